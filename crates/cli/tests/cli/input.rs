//! Bad input is refused with a non-zero exit code and one line saying what was wrong, before
//! any stack is reached.

use crate::support::{gradual, TempFile};

#[tokio::test]
async fn planning_an_unknown_config_names_it_and_the_known_ones() {
    let ran = gradual(&["plan", "CodeDeployDefault.LambdaCanary99Percent"]).await;

    ran.assert_refused(
        1,
        &[
            "\"CodeDeployDefault.LambdaCanary99Percent\"",
            "--file",
            "CodeDeployDefault.LambdaCanary10Percent5Minutes",
        ],
    );
    assert_eq!(ran.stdout, "");
}

#[tokio::test]
async fn planning_an_invalid_custom_config_names_the_field() {
    let file = TempFile::new(
        "bad-canary.json",
        r#"{"deploymentConfigName": "too-much", "computePlatform": "Lambda",
            "trafficRoutingConfig": {"type": "TimeBasedCanary",
                "timeBasedCanary": {"canaryPercentage": 150, "canaryInterval": 5}}}"#,
    );

    let ran = gradual(&["plan", "--file", file.arg()]).await;

    ran.assert_refused(1, &["--file", "canaryPercentage", "150"]);
}

#[tokio::test]
async fn deploying_a_missing_appspec_file_names_the_option_and_the_file() {
    let missing = std::env::temp_dir().join("gradual-no-such-appspec.yaml");
    let missing = missing.to_str().unwrap();

    let ran = gradual(&[
        "deploy",
        "--application",
        "shop",
        "--group",
        "checkout",
        "--appspec",
        missing,
    ])
    .await;

    ran.assert_refused(1, &["--appspec", missing, "cannot read"]);
}

#[tokio::test]
async fn deploying_an_appspec_that_does_not_parse_says_why() {
    let appspec = TempFile::new("appspec.yaml", "version: 0.0\nResources: []\n");

    let ran = gradual(&[
        "deploy",
        "--application",
        "shop",
        "--group",
        "checkout",
        "--appspec",
        appspec.arg(),
    ])
    .await;

    ran.assert_refused(1, &["--appspec", appspec.arg()]);
}

#[tokio::test]
async fn deploying_without_a_revision_is_a_usage_error_on_one_line() {
    let ran = gradual(&["deploy", "--application", "shop", "--group", "checkout"]).await;

    ran.assert_refused(2, &["--appspec", "--function"]);
}

#[tokio::test]
async fn an_alias_needs_both_versions() {
    let ran = gradual(&[
        "deploy",
        "--application",
        "shop",
        "--group",
        "checkout",
        "--function",
        "checkout-api",
        "--alias",
        "live",
        "--from",
        "1",
    ])
    .await;

    ran.assert_refused(2, &["--to"]);
}

#[tokio::test]
async fn a_malformed_deployment_id_is_refused() {
    let ran = gradual(&["status", "d-nope"]).await;

    ran.assert_refused(2, &["d-nope", "not a deployment id"]);
}
