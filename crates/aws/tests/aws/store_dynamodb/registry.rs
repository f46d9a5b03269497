//! Applications, deployment groups and custom configs.

use super::support::fresh_table;
use gradual_core::config::{DeploymentConfig, TrafficRouting};
use gradual_core::fixtures;
use gradual_core::group::{AlarmConfiguration, AutoRollbackEvent};
use gradual_core::platform::ComputePlatform;
use gradual_core::ports::ApplicationStore;
use gradual_core::ports::ConfigStore;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::GroupStore;
use gradual_core::ports::{Entity, StoreError};
use gradual_core::target::{AlbListenerTarget, Target};

#[tokio::test]
async fn applications_and_groups_round_trip_and_keep_their_rules() {
    let table = fresh_table().await;
    let store = &table.store;

    let application = fixtures::lambda_application("shop");
    store.create_application(&application).await.unwrap();
    assert_eq!(
        store.get_application("shop").await,
        Ok(Some(application.clone()))
    );
    assert_eq!(store.get_application("bakery").await, Ok(None));
    assert_eq!(
        store.create_application(&application).await,
        Err(StoreError::AlreadyExists {
            entity: Entity::Application,
            name: "shop".into()
        })
    );

    let mut live = fixtures::lambda_group("shop", "live");
    live.targets = vec![fixtures::alias_target("checkout"), alb_target()];
    live.auto_rollback_configuration.events = vec![
        AutoRollbackEvent::DeploymentFailure,
        AutoRollbackEvent::DeploymentStopOnAlarm,
    ];
    live.alarm_configuration = AlarmConfiguration {
        enabled: true,
        ignore_poll_alarm_failure: true,
        alarms: vec!["checkout-errors".into(), "checkout-latency".into()],
    };
    store.create_deployment_group(&live).await.unwrap();
    assert_eq!(
        store.get_deployment_group("shop", "live").await,
        Ok(Some(live.clone()))
    );
    assert_eq!(
        store.create_deployment_group(&live).await,
        Err(StoreError::AlreadyExists {
            entity: Entity::DeploymentGroup,
            name: "shop/live".into()
        })
    );
    let orphan = fixtures::lambda_group("bakery", "live");
    assert_eq!(
        store.create_deployment_group(&orphan).await,
        Err(StoreError::NotFound {
            entity: Entity::Application,
            name: "bakery".into()
        })
    );
    assert_eq!(store.get_deployment_group("bakery", "live").await, Ok(None));

    live.deployment_config_name = "CodeDeployDefault.LambdaAllAtOnce".into();
    store.update_deployment_group(&live).await.unwrap();
    assert_eq!(
        store.get_deployment_group("shop", "live").await,
        Ok(Some(live.clone()))
    );
    let missing = fixtures::lambda_group("shop", "canary");
    assert_eq!(
        store.update_deployment_group(&missing).await,
        Err(StoreError::NotFound {
            entity: Entity::DeploymentGroup,
            name: "shop/canary".into()
        })
    );
    assert_eq!(store.get_deployment_group("shop", "canary").await, Ok(None));

    store
        .create_deployment_group(&fixtures::lambda_group("shop", "beta"))
        .await
        .unwrap();
    assert_eq!(
        store.list_deployment_groups("shop").await,
        Ok(vec!["beta".to_owned(), "live".to_owned()])
    );
    assert_eq!(store.list_deployment_groups("bakery").await, Ok(vec![]));

    assert_eq!(
        store.delete_application("shop").await,
        Err(StoreError::InUse {
            entity: Entity::Application,
            name: "shop".into(),
            user: "deployment groups beta, live".into()
        })
    );
    assert!(store.get_application("shop").await.unwrap().is_some());

    store.delete_deployment_group("shop", "beta").await.unwrap();
    store.delete_deployment_group("shop", "live").await.unwrap();
    assert_eq!(
        store.delete_deployment_group("shop", "live").await,
        Err(StoreError::NotFound {
            entity: Entity::DeploymentGroup,
            name: "shop/live".into()
        })
    );
    assert_eq!(store.list_deployment_groups("shop").await, Ok(vec![]));
    store.delete_application("shop").await.unwrap();
    assert_eq!(store.get_application("shop").await, Ok(None));
    assert_eq!(
        store.delete_application("shop").await,
        Err(StoreError::NotFound {
            entity: Entity::Application,
            name: "shop".into()
        })
    );
}

#[tokio::test]
async fn applications_are_listed_by_name_and_nothing_else_is() {
    let table = fresh_table().await;
    assert_eq!(table.store.list_applications().await, Ok(Vec::new()));
    table.created_deployment("live").await;
    table
        .store
        .create_application(&fixtures::lambda_application("bakery"))
        .await
        .unwrap();

    let mut names = table.store.list_applications().await.unwrap();
    names.sort();

    assert_eq!(names, ["bakery", "shop"]);
}

#[tokio::test]
async fn a_group_with_an_active_deployment_cannot_be_deleted() {
    let table = fresh_table().await;
    let group = table.registered_group("shop", "live").await;
    let deployment = fixtures::lambda_deployment(&group);
    table
        .store
        .create_deployment(&deployment, None)
        .await
        .unwrap();

    assert_eq!(
        table.store.delete_deployment_group("shop", "live").await,
        Err(StoreError::InUse {
            entity: Entity::DeploymentGroup,
            name: "shop/live".into(),
            user: format!("active deployment {}", deployment.id)
        })
    );
    assert_eq!(
        table.store.get_deployment_group("shop", "live").await,
        Ok(Some(group))
    );
    // The refused deletion did not uncount the group either.
    assert!(matches!(
        table.store.delete_application("shop").await,
        Err(StoreError::InUse { .. })
    ));
}

#[tokio::test]
async fn custom_configs_round_trip_and_are_listed() {
    let table = fresh_table().await;
    let store = &table.store;
    let linear = DeploymentConfig {
        name: "Linear25Every2".into(),
        compute_platform: ComputePlatform::Lambda,
        traffic_routing: TrafficRouting::TimeBasedLinear {
            linear_percentage: 25,
            linear_interval_minutes: 2,
        },
    };
    let canary = DeploymentConfig {
        name: "Canary5For1".into(),
        compute_platform: ComputePlatform::Ecs,
        traffic_routing: TrafficRouting::TimeBasedCanary {
            canary_percentage: 5,
            canary_interval_minutes: 1,
        },
    };
    store.create_deployment_config(&linear).await.unwrap();
    store.create_deployment_config(&canary).await.unwrap();
    assert_eq!(
        store.get_deployment_config("Linear25Every2").await,
        Ok(Some(linear.clone()))
    );
    assert_eq!(store.get_deployment_config("Nope").await, Ok(None));
    assert_eq!(
        store.create_deployment_config(&linear).await,
        Err(StoreError::AlreadyExists {
            entity: Entity::DeploymentConfig,
            name: "Linear25Every2".into()
        })
    );
    assert_eq!(
        store.list_deployment_configs().await,
        Ok(vec![canary.clone(), linear.clone()])
    );

    store.delete_deployment_config("Canary5For1").await.unwrap();
    assert_eq!(store.list_deployment_configs().await, Ok(vec![linear]));
    assert_eq!(
        store.delete_deployment_config("Canary5For1").await,
        Err(StoreError::NotFound {
            entity: Entity::DeploymentConfig,
            name: "Canary5For1".into()
        })
    );
}

#[tokio::test]
async fn service_failures_name_the_operation_the_table_and_the_services_reason() {
    let table = fresh_table().await;
    let missing = table.store_on("gradual-no-such-table");
    let error = missing.get_application("shop").await.unwrap_err();
    let StoreError::Backend(message) = error else {
        panic!("not a backend error: {error:?}");
    };
    assert!(
        message.starts_with("GetItem APP#shop/APP on table gradual-no-such-table failed: "),
        "{message}"
    );
    assert!(message.contains("ResourceNotFoundException"), "{message}");
}

pub fn alb_target() -> Target {
    Target::AlbListener(AlbListenerTarget {
        listener_arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/1/2"
            .into(),
        rule_arn: Some(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/1/2/3"
                .into(),
        ),
        blue_target_group_arn:
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1".into(),
        green_target_group_arn:
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2".into(),
        test_listener_arn: Some(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/1/9".into(),
        ),
        min_healthy_targets: 2,
    })
}
