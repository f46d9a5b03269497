//! Reading the service's error code and message off an SDK error, shared by the routers: the
//! service's error names are the adapters' business, the domain sees a [`RouterError`].

use aws_sdk_lambda::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::http::Response as HttpResponse;
use gradual_core::ports::RouterError;
use gradual_core::ErrorCode;

/// The router error for a failed service call, sorted by the service's error code; a call the
/// service never answered (a timeout, a connection that failed) or answered 5xx is
/// [`RouterError::Unavailable`].
pub(crate) fn failed<E>(call: ServiceCall, error: &SdkError<E, HttpResponse>) -> RouterError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let message = error
        .message()
        .map_or_else(|| DisplayErrorContext(error).to_string(), str::to_string);
    let unanswered = match error {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(service) => service.raw().status().is_server_error(),
        _ => false,
    };
    if unanswered {
        return call.unavailable(message);
    }
    call.failed(error.code(), message)
}

/// The error codes AWS services answer throttling with.
const THROTTLING: [&str; 6] = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
];

/// The error codes AWS answers a call its caller may not make with.
pub(crate) fn is_access_denied(code: &str) -> bool {
    matches!(code, "AccessDeniedException" | "AccessDenied")
}

/// A call an adapter makes to its service, and how to report its failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceCall {
    /// The target kind's configuration code, reported for most failures.
    pub code: ErrorCode,
    pub operation: &'static str,
    /// The resource the call acts on, as messages name it.
    pub resource: String,
    /// What a not-found answer means is missing, e.g. "alias checkout:live".
    pub missing: String,
}

impl ServiceCall {
    /// Turns the service's error code and message into a [`RouterError`]: a not-found answer is
    /// [`RouterError::Missing`], a failed revision check [`RouterError::ConcurrentChange`],
    /// throttling past the SDK's retries [`RouterError::Unavailable`], anything else the target
    /// kind's code.
    pub(crate) fn failed(self, service_code: Option<&str>, message: String) -> RouterError {
        match service_code.unwrap_or_default() {
            code if code.ends_with("NotFound") || code.ends_with("NotFoundException") => {
                RouterError::Missing {
                    code: self.code,
                    what: self.missing,
                }
            }
            "PreconditionFailedException" => RouterError::ConcurrentChange {
                code: self.code,
                resource: self.resource,
            },
            code if THROTTLING.contains(&code) => self.unavailable(message),
            // Retrying cannot help: the function's role needs the permission.
            code if is_access_denied(code) => self.service_error(
                ErrorCode::IamRolePermissions,
                format!("{message}; the function's role in template.yaml needs that action"),
            ),
            _ => {
                let code = self.code;
                self.service_error(code, message)
            }
        }
    }

    pub(crate) fn unavailable(self, message: String) -> RouterError {
        RouterError::Unavailable {
            resource: self.resource,
            operation: self.operation,
            message,
        }
    }

    fn service_error(self, code: ErrorCode, message: String) -> RouterError {
        RouterError::Service {
            code,
            resource: self.resource,
            operation: self.operation,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update_alias() -> ServiceCall {
        ServiceCall {
            code: ErrorCode::InvalidLambdaConfiguration,
            operation: "UpdateAlias",
            resource: "alias f:live".into(),
            missing: "alias f:live".into(),
        }
    }

    #[test]
    fn service_failures_are_sorted_by_what_the_service_answered() {
        let throttled = update_alias().failed(Some("TooManyRequestsException"), "slow".into());
        assert_eq!(throttled.code(), ErrorCode::Throttled);
        assert!(throttled.is_transient(), "{throttled:?}");
        let missing = update_alias().failed(Some("ResourceNotFoundException"), "gone".into());
        assert_eq!(missing.to_string(), "alias f:live does not exist");
        let listener_missing = update_alias().failed(Some("ListenerNotFound"), "gone".into());
        assert!(matches!(listener_missing, RouterError::Missing { .. }));
        let denied = update_alias().failed(
            Some("AccessDeniedException"),
            "User: arn:aws:sts::1:assumed-role/r/f is not authorized to perform: lambda:UpdateAlias"
                .into(),
        );
        assert_eq!(denied.code(), ErrorCode::IamRolePermissions);
        assert!(!denied.is_transient(), "{denied:?}");
        assert!(
            denied.to_string().contains("lambda:UpdateAlias"),
            "{denied}"
        );
        let stale = update_alias().failed(Some("PreconditionFailedException"), "stale".into());
        assert_eq!(
            stale,
            RouterError::ConcurrentChange {
                code: ErrorCode::InvalidLambdaConfiguration,
                resource: "alias f:live".into()
            }
        );
        let denied = update_alias().failed(Some("AccessDenied"), "not allowed".into());
        assert_eq!(denied.code(), ErrorCode::IamRolePermissions);
        assert_eq!(
            denied.to_string(),
            "UpdateAlias on alias f:live failed: not allowed; the function's role in template.yaml needs that action"
        );
        let refused = update_alias().failed(Some("ValidationError"), "bad weight".into());
        assert_eq!(refused.code(), ErrorCode::InvalidLambdaConfiguration);
        let unknown = update_alias().failed(None, "connection refused".into());
        assert_eq!(unknown.code(), ErrorCode::InvalidLambdaConfiguration);
    }
}
