//! Optimistic locking of the alias, which the emulator does not implement: the service is
//! mocked to answer as Lambda does when the `RevisionId` sent with `UpdateAlias` is stale.

use aws_sdk_lambda::error::ErrorMetadata;
use aws_sdk_lambda::operation::get_alias::GetAliasOutput;
use aws_sdk_lambda::operation::list_versions_by_function::ListVersionsByFunctionOutput;
use aws_sdk_lambda::operation::update_alias::{UpdateAliasError, UpdateAliasOutput};
use aws_sdk_lambda::types::error::PreconditionFailedException;
use aws_sdk_lambda::types::FunctionConfiguration;
use aws_sdk_lambda::Client;
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use gradual_aws::lambda_alias::LambdaAliasRouter;
use gradual_core::ports::RouterError;
use gradual_core::traffic::RouterActions;
use gradual_core::{ErrorCode, LambdaAliasTarget};

const REVISION: &str = "0f1e2d3c-revision-read";

fn target() -> LambdaAliasTarget {
    LambdaAliasTarget {
        function_name: "checkout".into(),
        alias: "live".into(),
        current_version: "1".into(),
        target_version: "2".into(),
    }
}

fn alias_on_version_1() -> Rule {
    mock!(Client::get_alias).then_output(|| {
        GetAliasOutput::builder()
            .name("live")
            .function_version("1")
            .revision_id(REVISION)
            .build()
    })
}

/// The alias read before the write, then as the write left it (10 % on version 2), as the
/// router's read-back sees it.
fn alias_shifted_by_the_write() -> Rule {
    let alias = |weight: Option<f64>| {
        let routing = weight.map(|weight| {
            aws_sdk_lambda::types::AliasRoutingConfiguration::builder()
                .additional_version_weights("2", weight)
                .build()
        });
        GetAliasOutput::builder()
            .name("live")
            .function_version("1")
            .set_routing_config(routing)
            .revision_id(REVISION)
            .build()
    };
    mock!(Client::get_alias)
        .sequence()
        .output(move || alias(None))
        .output(move || alias(Some(0.1)))
        .repeatedly()
        .build()
}

fn published_versions() -> Rule {
    mock!(Client::list_versions_by_function).then_output(|| {
        ListVersionsByFunctionOutput::builder()
            .set_versions(Some(
                ["$LATEST", "1", "2"]
                    .map(|version| FunctionConfiguration::builder().version(version).build())
                    .to_vec(),
            ))
            .build()
    })
}

/// Matches only an update carrying the revision read just before and 10 % on version 2.
fn update_with_revision_read() -> aws_smithy_mocks::RuleBuilder<
    aws_sdk_lambda::operation::update_alias::UpdateAliasInput,
    UpdateAliasOutput,
    UpdateAliasError,
> {
    mock!(Client::update_alias).match_requests(|update| {
        let weight = update
            .routing_config()
            .and_then(|routing| routing.additional_version_weights())
            .and_then(|weights| weights.get("2"))
            .copied();
        update.revision_id() == Some(REVISION)
            && update.function_version() == Some("1")
            && weight == Some(0.1)
    })
}

#[tokio::test]
async fn the_write_carries_the_revision_it_read() {
    let update = update_with_revision_read().then_output(|| {
        UpdateAliasOutput::builder()
            .function_version("1")
            .revision_id("next")
            .build()
    });
    let read = alias_shifted_by_the_write();
    let client = mock_client!(
        aws_sdk_lambda,
        RuleMode::MatchAny,
        [&read, &published_versions(), &update]
    );

    let state = LambdaAliasRouter::new(client, target())
        .shift(10)
        .await
        .unwrap();

    assert_eq!(state.percent_on_new, 10);
    assert_eq!(update.num_calls(), 1);
    assert_eq!(
        read.num_calls(),
        2,
        "read before the write, and back after it"
    );
}

#[tokio::test]
async fn a_change_between_the_read_and_the_write_is_a_concurrent_change() {
    let update = update_with_revision_read().then_error(|| {
        UpdateAliasError::PreconditionFailedException(
            PreconditionFailedException::builder()
                .message("The Revision Id provided does not match the latest Revision Id.")
                .meta(
                    ErrorMetadata::builder()
                        .code("PreconditionFailedException")
                        .build(),
                )
                .build(),
        )
    });
    let client = mock_client!(
        aws_sdk_lambda,
        RuleMode::MatchAny,
        [&alias_on_version_1(), &published_versions(), &update]
    );

    let error = LambdaAliasRouter::new(client, target())
        .shift(10)
        .await
        .unwrap_err();

    assert_eq!(
        error,
        RouterError::ConcurrentChange {
            code: ErrorCode::InvalidLambdaConfiguration,
            resource: "alias checkout:live".into()
        }
    );
    assert_eq!(update.num_calls(), 1);
}

/// Lambda answering every UpdateAlias with `status`, as during an outage or throttling.
fn update_answering(status: u16, body: &'static str) -> Rule {
    mock!(Client::update_alias).then_http_response(move || {
        aws_smithy_runtime_api::http::Response::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(status).unwrap(),
            aws_sdk_lambda::primitives::SdkBody::from(body),
        )
    })
}

#[tokio::test]
async fn a_service_outage_or_throttling_is_transient_and_names_the_call() {
    for (status, body) in [
        (500, r#"{"Type":"Service","message":"Internal error"}"#),
        (503, r#"{"Type":"Service","message":"Service unavailable"}"#),
        (
            429,
            r#"{"Type":"User","message":"Rate exceeded","__type":"TooManyRequestsException"}"#,
        ),
    ] {
        let update = update_answering(status, body);
        let client = mock_client!(
            aws_sdk_lambda,
            RuleMode::MatchAny,
            [&alias_on_version_1(), &published_versions(), &update]
        );

        let error = LambdaAliasRouter::new(client, target())
            .shift(10)
            .await
            .unwrap_err();

        assert!(error.is_transient(), "{status}: {error:?}");
        assert!(
            matches!(
                &error,
                RouterError::Unavailable { resource, operation: "UpdateAlias", .. }
                    if resource == "alias checkout:live"
            ),
            "{status}: {error:?}"
        );
        assert_eq!(error.code(), ErrorCode::Throttled);
    }
}

#[tokio::test]
async fn a_refusal_of_the_request_is_not_transient() {
    let update = update_answering(
        400,
        r#"{"Type":"User","message":"Invalid alias","__type":"InvalidParameterValueException"}"#,
    );
    let client = mock_client!(
        aws_sdk_lambda,
        RuleMode::MatchAny,
        [&alias_on_version_1(), &published_versions(), &update]
    );

    let error = LambdaAliasRouter::new(client, target())
        .shift(10)
        .await
        .unwrap_err();

    assert!(!error.is_transient(), "{error:?}");
    assert_eq!(error.code(), ErrorCode::InvalidLambdaConfiguration);
}

#[tokio::test]
async fn a_write_the_alias_never_shows_fails_the_step_naming_what_was_written_and_read() {
    let update = update_with_revision_read().then_output(|| {
        UpdateAliasOutput::builder()
            .function_version("1")
            .revision_id("next")
            .build()
    });
    // Someone puts the alias back on version 1 alone after every write.
    let read = alias_on_version_1();
    let client = mock_client!(
        aws_sdk_lambda,
        RuleMode::MatchAny,
        [&read, &published_versions(), &update]
    );

    let error = LambdaAliasRouter::new(client, target())
        .shift(10)
        .await
        .unwrap_err();

    assert!(error.is_transient(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "alias checkout:live was written 10 % on the new version, but reads back 0 % on the new \
         version after 5 reads: the change did not take (another actor or a slow service); the \
         step will be tried again"
    );
    assert_eq!(
        read.num_calls(),
        1 + 5,
        "one read before the write, five after"
    );
}
