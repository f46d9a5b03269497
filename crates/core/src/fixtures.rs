//! Sample applications, groups and deployments for tests (feature `fixtures`).

use crate::config::DeploymentConfig;
use crate::deployment::{Creator, Deployment, DeploymentId, DeploymentStatus};
use crate::group::{
    AlarmConfiguration, Application, AutoRollbackConfiguration, AutoRollbackEvent, DeploymentGroup,
    TriggerConfig, TriggerEvent,
};
use crate::lifecycle::{Hook, LifecycleEvent};
use crate::platform::ComputePlatform;
use crate::target::{LambdaAliasTarget, Target};
use time::macros::datetime;
use time::OffsetDateTime;

pub const CANARY: &str = "CodeDeployDefault.LambdaCanary10Percent5Minutes";

/// A fixed instant, so that messages built from fixtures are predictable.
pub fn created_at() -> OffsetDateTime {
    datetime!(2026-11-23 10:15:30 UTC)
}

pub fn lambda_application(name: &str) -> Application {
    Application {
        application_name: name.to_owned(),
        compute_platform: ComputePlatform::Lambda,
        create_time: created_at(),
    }
}

pub fn lambda_group(application: &str, name: &str) -> DeploymentGroup {
    DeploymentGroup {
        application_name: application.to_owned(),
        deployment_group_name: name.to_owned(),
        compute_platform: ComputePlatform::Lambda,
        deployment_config_name: CANARY.to_owned(),
        targets: Vec::new(),
        auto_rollback_configuration: AutoRollbackConfiguration {
            enabled: true,
            events: vec![AutoRollbackEvent::DeploymentFailure],
        },
        alarm_configuration: AlarmConfiguration::default(),
        trigger_configurations: vec![TriggerConfig {
            trigger_name: "all-events".to_owned(),
            trigger_target_arn: "arn:aws:sns:us-east-1:123456789012:deployments".to_owned(),
            trigger_events: TriggerEvent::ALL.to_vec(),
        }],
    }
}

pub fn alias_target(function_name: &str) -> Target {
    Target::LambdaAlias(LambdaAliasTarget {
        function_name: function_name.to_owned(),
        alias: "live".to_owned(),
        current_version: "1".to_owned(),
        target_version: "2".to_owned(),
    })
}

/// A new canary deployment of `group`, status Created, with a BeforeAllowTraffic hook.
pub fn lambda_deployment(group: &DeploymentGroup) -> Deployment {
    let config = DeploymentConfig::predefined(CANARY).expect("a predefined config");
    Deployment {
        id: DeploymentId::generate(),
        application_name: group.application_name.clone(),
        deployment_group_name: group.deployment_group_name.clone(),
        compute_platform: ComputePlatform::Lambda,
        deployment_config_name: config.name.clone(),
        schedule: config.schedule(),
        targets: vec![alias_target("checkout")],
        hooks: vec![Hook {
            event: LifecycleEvent::BeforeAllowTraffic,
            function_name: "checkout-smoke-test".to_owned(),
        }],
        status: DeploymentStatus::Created,
        error_information: None,
        creator: Creator::User,
        description: Some("release 2".to_owned()),
        auto_rollback_configuration: group.auto_rollback_configuration.clone(),
        alarm_configuration: group.alarm_configuration.clone(),
        ignored_alarms: Vec::new(),
        rollback_info: Default::default(),
        traffic: Default::default(),
        create_time: created_at(),
        start_time: None,
        complete_time: None,
    }
}
