//! What the entry point tests share beyond the harness ([`TestWorld`]): the names the samples
//! under `events/` use, and requests.

pub use gradual_local::testing::{capture_logs, deployment_id, sample, TestWorld};

use gradual_emulator::unique_name;
use serde_json::{json, Value};

/// The names the samples under `events/` use.
pub const SAMPLE_APPLICATION: &str = "shop";
pub const SAMPLE_GROUP: &str = "checkout";
pub const SAMPLE_FUNCTION: &str = "shop-checkout-api";
pub const SAMPLE_JOB_ID: &str = "a6f0c7de-3b4e-4c1f-9d2a-8e5b7c6d1f20";
/// The pipeline sample's artifact credentials, which must never be logged.
pub const SAMPLE_SECRETS: [&str; 3] = [
    "ASIAEXAMPLEPIPELINEKEY",
    "pipelineSecretEXAMPLE+k9Jd2L/w8QzR4vT6yH1nB3mC5xA",
    "IQoJb3JpZ2luX2VjEXAMPLEPIPELINESESSIONTOKEN",
];
pub const CANARY: &str = "CodeDeployDefault.LambdaCanary10Percent5Minutes";
/// An ECS AppSpec: its deployments shift the listeners of their group.
pub const ECS_APPSPEC: &str = "version: 0.0\nResources:\n  - web:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: \"arn:aws:ecs:us-east-1:123456789012:task-definition/web:3\"\n        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 80\n";

/// A direct request moving `function`'s alias from version 1 to 2 in the group.
pub fn targets_request(application: &str, group: &str, function: &str) -> Value {
    json!({
        "applicationName": application,
        "deploymentGroupName": group,
        "revision": {"revisionType": "Targets", "targets": [{
            "type": "LambdaAlias", "functionName": function, "alias": "live",
            "currentVersion": "1", "targetVersion": "2"
        }]},
    })
}

/// A name no other test uses.
pub fn fresh(prefix: &str) -> String {
    unique_name(prefix)
}
