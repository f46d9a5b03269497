//! Reading the service's error code and message off an SDK error, shared by the routers: the
//! service's error names are the adapters' business, the domain sees a [`RouterError`].

use aws_sdk_lambda::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use gradual_core::ports::RouterError;
use gradual_core::ErrorCode;

/// The router error for a failed service call, sorted by the service's error code.
pub(crate) fn failed<E, R>(call: ServiceCall, error: &SdkError<E, R>) -> RouterError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let message = error
        .message()
        .map_or_else(|| DisplayErrorContext(error).to_string(), str::to_string);
    call.failed(error.code(), message)
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
    /// throttling past the SDK's retries `THROTTLED`, anything else the target kind's code.
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
            "Throttling" | "ThrottlingException" | "TooManyRequestsException" => {
                self.service_error(ErrorCode::Throttled, message)
            }
            _ => {
                let code = self.code;
                self.service_error(code, message)
            }
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
        let missing = update_alias().failed(Some("ResourceNotFoundException"), "gone".into());
        assert_eq!(missing.to_string(), "alias f:live does not exist");
        let listener_missing = update_alias().failed(Some("ListenerNotFound"), "gone".into());
        assert!(matches!(listener_missing, RouterError::Missing { .. }));
        let stale = update_alias().failed(Some("PreconditionFailedException"), "stale".into());
        assert_eq!(
            stale,
            RouterError::ConcurrentChange {
                code: ErrorCode::InvalidLambdaConfiguration,
                resource: "alias f:live".into()
            }
        );
        let denied = update_alias().failed(Some("AccessDenied"), "not allowed".into());
        assert_eq!(denied.code(), ErrorCode::InvalidLambdaConfiguration);
        assert_eq!(
            denied.to_string(),
            "UpdateAlias on alias f:live failed: not allowed"
        );
        let unknown = update_alias().failed(None, "connection refused".into());
        assert_eq!(unknown.code(), ErrorCode::InvalidLambdaConfiguration);
    }
}
