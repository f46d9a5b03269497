//! The `Resources` list: what an AppSpec deploys, and from their `Type`, to which platform.

use super::ecs::EcsService;
use super::fields::{Field, Fields};
use super::lambda::LambdaResource;
use super::path::{AppSpecError, FieldPath};
use crate::platform::ComputePlatform;
use serde::{Deserialize, Serialize};

/// The resources of an AppSpec; all of one platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AppSpecResources {
    /// Aliases shifted in lockstep.
    Lambda(Vec<LambdaResource>),
    /// CodeDeploy deploys exactly one service per ECS AppSpec.
    #[serde(rename = "ECS")]
    Ecs(Box<EcsService>),
}

impl AppSpecResources {
    pub fn platform(&self) -> ComputePlatform {
        match self {
            AppSpecResources::Lambda(_) => ComputePlatform::Lambda,
            AppSpecResources::Ecs(_) => ComputePlatform::Ecs,
        }
    }
}

const LAMBDA_FUNCTION: &str = "AWS::Lambda::Function";
const ECS_SERVICE: &str = "AWS::ECS::Service";
const RESOURCE_KEYS: &[&str] = &["Type", "Properties"];

/// One item of the list, read up to its `Type`.
struct Declared<'a> {
    logical_name: &'a str,
    path: FieldPath,
    platform: ComputePlatform,
    properties: Field<'a>,
}

/// Reads the `Resources` field.
pub(crate) fn parse(resources: &Field<'_>) -> Result<AppSpecResources, AppSpecError> {
    let mut declared: Vec<Declared<'_>> = Vec::new();
    for item in resources.items("resources")? {
        let next = declare(&item)?;
        if let Some(first) = declared
            .iter()
            .find(|d| d.logical_name == next.logical_name)
        {
            return Err(next
                .path
                .error(format!("logical name already used by {}", first.path)));
        }
        if let Some(first) = declared
            .first()
            .filter(|first| first.platform != next.platform)
        {
            return Err(next.path.key("Type").error(format!(
                "{} cannot be mixed with the {} of {}: an AppSpec deploys to one compute platform",
                resource_type(next.platform),
                resource_type(first.platform),
                first.path
            )));
        }
        declared.push(next);
    }
    match declared.first().map(|first| first.platform) {
        None => Err(resources.path.error("must list at least one resource")),
        Some(ComputePlatform::Lambda) => lambda_resources(&declared).map(AppSpecResources::Lambda),
        Some(ComputePlatform::Ecs) => {
            ecs_service(&declared).map(|service| AppSpecResources::Ecs(Box::new(service)))
        }
    }
}

fn declare<'a>(item: &Field<'a>) -> Result<Declared<'a>, AppSpecError> {
    let (logical_name, body) = item.single_entry("LogicalName: {Type, Properties}")?;
    let fields = Fields::new(&body, RESOURCE_KEYS)?;
    let type_field = fields.required("Type")?;
    let type_name = type_field.non_empty_text()?;
    let platform = platform_of(type_name).ok_or_else(|| {
        type_field.path.error(format!(
            "unknown resource type \"{type_name}\"; valid: {LAMBDA_FUNCTION}, {ECS_SERVICE}"
        ))
    })?;
    Ok(Declared {
        logical_name,
        path: body.path.clone(),
        platform,
        properties: fields.required("Properties")?,
    })
}

fn lambda_resources(declared: &[Declared<'_>]) -> Result<Vec<LambdaResource>, AppSpecError> {
    let mut resources: Vec<LambdaResource> = Vec::new();
    for item in declared {
        let resource = LambdaResource::parse(item.logical_name, &item.properties)?;
        if let Some(first) = resources
            .iter()
            .find(|r| r.function_name == resource.function_name && r.alias == resource.alias)
        {
            return Err(item.properties.path.error(format!(
                "alias {} of function {} is already shifted by resource {}",
                resource.alias, resource.function_name, first.logical_name
            )));
        }
        resources.push(resource);
    }
    Ok(resources)
}

fn ecs_service(declared: &[Declared<'_>]) -> Result<EcsService, AppSpecError> {
    if let Some(second) = declared.get(1) {
        return Err(second.path.error(format!(
            "an ECS AppSpec deploys exactly one {ECS_SERVICE}; {} is already declared",
            declared[0].logical_name
        )));
    }
    EcsService::parse(declared[0].logical_name, &declared[0].properties)
}

fn platform_of(type_name: &str) -> Option<ComputePlatform> {
    match type_name {
        LAMBDA_FUNCTION => Some(ComputePlatform::Lambda),
        ECS_SERVICE => Some(ComputePlatform::Ecs),
        _ => None,
    }
}

fn resource_type(platform: ComputePlatform) -> &'static str {
    match platform {
        ComputePlatform::Lambda => LAMBDA_FUNCTION,
        ComputePlatform::Ecs => ECS_SERVICE,
    }
}
