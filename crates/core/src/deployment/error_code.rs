//! CodeDeploy's error codes, and the error information a failed or stopped deployment carries.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The subset of CodeDeploy's `ErrorCode` values that gradual can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// An alarm watched by the deployment went into ALARM.
    AlarmActive,
    /// The application named by the request does not exist.
    ApplicationMissing,
    /// The deployment group named by the request does not exist.
    DeploymentGroupMissing,
    /// A load balancer, listener or target group is not as the deployment expects.
    ElasticLoadBalancingInvalid,
    /// Green has fewer healthy targets than required.
    HealthConstraints,
    /// A hook reported Failed, or could not be invoked.
    HookExecutionFailure,
    /// A function's role lacks a permission a call needed (AWS answered AccessDenied).
    IamRolePermissions,
    /// Something unexpected broke inside gradual.
    InternalError,
    /// An alias is not in the state the deployment expects (changed by someone else, …).
    InvalidLambdaConfiguration,
    /// A function or version named by the deployment does not exist.
    InvalidLambdaFunction,
    /// The revision (AppSpec or targets) is not valid.
    InvalidRevision,
    /// Stopped by a user.
    ManualStop,
    /// AWS throttled a call past the retries.
    Throttled,
    /// A hook or step did not finish in time.
    Timeout,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            AlarmActive => "ALARM_ACTIVE",
            ApplicationMissing => "APPLICATION_MISSING",
            DeploymentGroupMissing => "DEPLOYMENT_GROUP_MISSING",
            ElasticLoadBalancingInvalid => "ELASTIC_LOAD_BALANCING_INVALID",
            HealthConstraints => "HEALTH_CONSTRAINTS",
            HookExecutionFailure => "HOOK_EXECUTION_FAILURE",
            IamRolePermissions => "IAM_ROLE_PERMISSIONS",
            InternalError => "INTERNAL_ERROR",
            InvalidLambdaConfiguration => "INVALID_LAMBDA_CONFIGURATION",
            InvalidLambdaFunction => "INVALID_LAMBDA_FUNCTION",
            InvalidRevision => "INVALID_REVISION",
            ManualStop => "MANUAL_STOP",
            Throttled => "THROTTLED",
            Timeout => "TIMEOUT",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a deployment failed or stopped, in CodeDeploy's shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInformation {
    #[serde(rename = "code")]
    pub code: ErrorCode,
    #[serde(rename = "message")]
    pub message: String,
}

impl ErrorInformation {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorInformation {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for ErrorInformation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_codedeploy_spells_them() {
        for code in [
            ErrorCode::AlarmActive,
            ErrorCode::HookExecutionFailure,
            ErrorCode::ManualStop,
            ErrorCode::ElasticLoadBalancingInvalid,
            ErrorCode::InvalidLambdaConfiguration,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
