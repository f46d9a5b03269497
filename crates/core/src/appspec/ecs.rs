//! The `AWS::ECS::Service` resource of an ECS AppSpec: the task set to bring up behind the
//! load balancer.

use super::fields::{Field, Fields};
use super::path::AppSpecError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The one ECS service an ECS AppSpec deploys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EcsService {
    /// The resource's key in the AppSpec, e.g. `TargetService`.
    pub logical_name: String,
    /// ARN of the task definition the replacement task set runs.
    pub task_definition: String,
    pub load_balancer_info: LoadBalancerInfo,
    /// Fargate platform version, e.g. `LATEST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    /// CodeDeploy's `NetworkConfiguration`, kept as written for the ECS API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<Value>,
    /// CodeDeploy's `CapacityProviderStrategy`, kept as written for the ECS API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_strategy: Option<Value>,
}

/// The container the load balancer sends traffic to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerInfo {
    pub container_name: String,
    pub container_port: u16,
}

const PROPERTIES: &[&str] = &[
    "TaskDefinition",
    "LoadBalancerInfo",
    "PlatformVersion",
    "NetworkConfiguration",
    "CapacityProviderStrategy",
];
const LOAD_BALANCER_INFO: &[&str] = &["ContainerName", "ContainerPort"];

impl EcsService {
    /// Reads the `Properties` of the resource called `logical_name`.
    pub(crate) fn parse(
        logical_name: &str,
        properties: &Field<'_>,
    ) -> Result<EcsService, AppSpecError> {
        let fields = Fields::new(properties, PROPERTIES)?;
        let task_definition = task_definition_arn(&fields.required("TaskDefinition")?)?;
        let load_balancer_info = LoadBalancerInfo::parse(&fields.required("LoadBalancerInfo")?)?;
        let platform_version = match fields.optional("PlatformVersion") {
            Some(field) => Some(field.non_empty_text()?.to_owned()),
            None => None,
        };
        let network_configuration = raw(
            fields.optional("NetworkConfiguration"),
            Value::is_object,
            "a map",
        )?;
        let capacity_provider_strategy = raw(
            fields.optional("CapacityProviderStrategy"),
            Value::is_array,
            "a list",
        )?;
        Ok(EcsService {
            logical_name: logical_name.to_owned(),
            task_definition: task_definition.to_owned(),
            load_balancer_info,
            platform_version,
            network_configuration,
            capacity_provider_strategy,
        })
    }
}

impl LoadBalancerInfo {
    fn parse(field: &Field<'_>) -> Result<LoadBalancerInfo, AppSpecError> {
        let fields = Fields::new(field, LOAD_BALANCER_INFO)?;
        let container_name = fields.required("ContainerName")?.non_empty_text()?;
        let port = fields.required("ContainerPort")?;
        let container_port = port
            .positive_integer()
            .ok()
            .and_then(|number| u16::try_from(number).ok())
            .ok_or_else(|| port.mismatch("a port number from 1 to 65535"))?;
        Ok(LoadBalancerInfo {
            container_name: container_name.to_owned(),
            container_port,
        })
    }
}

fn task_definition_arn<'a>(field: &Field<'a>) -> Result<&'a str, AppSpecError> {
    let arn = field.non_empty_text()?;
    if arn.starts_with("arn:") && arn.contains(":task-definition/") {
        Ok(arn)
    } else {
        Err(field.mismatch("a task definition ARN (arn:aws:ecs:…:task-definition/family:revision)"))
    }
}

/// A pass-through field, checked only for its outer shape.
fn raw(
    field: Option<Field<'_>>,
    has_shape: fn(&Value) -> bool,
    shape: &str,
) -> Result<Option<Value>, AppSpecError> {
    match field {
        Some(field) if has_shape(field.value) => Ok(Some(field.value.clone())),
        Some(field) => Err(field.mismatch(shape)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(properties: Value) -> Result<EcsService, AppSpecError> {
        EcsService::parse("svc", &Field::root(&properties))
    }

    fn properties_with(key: &str, value: Value) -> Value {
        let mut properties = json!({
            "TaskDefinition": "arn:aws:ecs:us-east-1:111122223333:task-definition/web:3",
            "LoadBalancerInfo": {"ContainerName": "web", "ContainerPort": 8080}
        });
        properties[key] = value;
        properties
    }

    #[test]
    fn the_port_may_be_a_string() {
        let service = parse(properties_with(
            "LoadBalancerInfo",
            json!({"ContainerName": "web", "ContainerPort": "443"}),
        ))
        .unwrap();
        assert_eq!(service.load_balancer_info.container_port, 443);
        assert_eq!(service.platform_version, None);
    }

    #[test]
    fn a_task_definition_family_name_is_not_an_arn() {
        let error = parse(properties_with("TaskDefinition", json!("web:3"))).unwrap_err();
        assert_eq!(
            error.to_string(),
            "TaskDefinition: must be a task definition ARN (arn:aws:ecs:…:task-definition/family:revision), got \"web:3\""
        );
    }

    #[test]
    fn network_configuration_must_be_a_map() {
        let error = parse(properties_with("NetworkConfiguration", json!("sg-1"))).unwrap_err();
        assert_eq!(
            error.to_string(),
            "NetworkConfiguration: must be a map, got \"sg-1\""
        );
    }

    #[test]
    fn port_zero_is_out_of_range() {
        let error = parse(properties_with(
            "LoadBalancerInfo",
            json!({"ContainerName": "web", "ContainerPort": 0}),
        ))
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "LoadBalancerInfo.ContainerPort: must be a port number from 1 to 65535, got 0"
        );
    }
}
