//! Green's health, as `DescribeTargetHealth` reports it.

use super::failed;
use crate::sdk_error::ServiceCall;
use aws_sdk_elasticloadbalancingv2::types::TargetHealthStateEnum;
use aws_sdk_elasticloadbalancingv2::Client;
use gradual_core::ports::RouterError;
use gradual_core::ErrorCode;

/// Refuses unless `target_group` has at least `required` healthy targets.
pub(crate) async fn ensure_healthy(
    client: &Client,
    target_group: &str,
    required: u32,
) -> Result<(), RouterError> {
    if required == 0 {
        return Ok(());
    }
    let name = format!("target group {target_group}");
    let output = client
        .describe_target_health()
        .target_group_arn(target_group)
        .send()
        .await
        .map_err(|error| {
            let call = ServiceCall {
                code: ErrorCode::ElasticLoadBalancingInvalid,
                operation: "DescribeTargetHealth",
                resource: name.clone(),
                missing: name.clone(),
            };
            failed(call, &error)
        })?;
    let targets = output.target_health_descriptions();
    let healthy = targets
        .iter()
        .filter(|target| {
            target.target_health().and_then(|health| health.state())
                == Some(&TargetHealthStateEnum::Healthy)
        })
        .count() as u32;
    if healthy < required {
        return Err(RouterError::Unhealthy {
            target_group: target_group.to_string(),
            healthy,
            registered: targets.len() as u32,
            required,
        });
    }
    Ok(())
}
