//! Lockstep over the real routers: a Lambda alias and two ALB listeners moved as one, asserted
//! on the emulator.

use crate::common;

use common::alb_world::{AlbRouters, AlbWorld};
use common::lambda_world::{LambdaRouters, LambdaWorld};
use gradual_core::ports::TrafficRouter;
use gradual_core::traffic::{Lockstep, Recovery, TrafficAction};
use gradual_core::ErrorCode;
use std::collections::HashMap;
use std::sync::Arc;

struct Worlds {
    function: LambdaWorld,
    first_alb: AlbWorld,
    second_alb: AlbWorld,
    lockstep: Lockstep,
}

async fn three_targets() -> Worlds {
    let function = LambdaWorld::new().await;
    let first_alb = AlbWorld::new().await;
    let second_alb = AlbWorld::new().await;
    let routers: Vec<Arc<dyn TrafficRouter>> = vec![
        Arc::new(function.router().await.0),
        Arc::new(first_alb.router().await.0),
        Arc::new(second_alb.router().await.0),
    ];
    Worlds {
        function,
        first_alb,
        second_alb,
        lockstep: Lockstep::new(routers),
    }
}

async fn alias_weights(worlds: &Worlds) -> (String, HashMap<String, f64>) {
    let alias = worlds.function.alias().await;
    (alias.version, alias.weights)
}

#[tokio::test]
async fn when_the_third_target_fails_the_first_two_go_back_to_their_previous_weights() {
    let worlds = three_targets().await;
    worlds
        .lockstep
        .apply(TrafficAction::Shift(10))
        .await
        .unwrap();
    worlds.second_alb.stop_green_instance().await;

    let error = worlds
        .lockstep
        .apply(TrafficAction::Shift(20))
        .await
        .unwrap_err();

    assert_eq!(error.failed.index, 2);
    assert_eq!(
        error.failed.target,
        format!("listener {}", worlds.second_alb.listener)
    );
    assert_eq!(error.code(), ErrorCode::HealthConstraints);
    assert_eq!(
        error.recovery,
        Recovery::Restored {
            targets: vec![0, 1]
        }
    );
    assert_eq!(
        alias_weights(&worlds).await,
        ("1".to_string(), HashMap::from([("2".to_string(), 0.1)]))
    );
    let first = &worlds.first_alb;
    assert_eq!(first.weights(&first.listener).await, (90, 10));
    let second = &worlds.second_alb;
    assert_eq!(second.weights(&second.listener).await, (90, 10));
}

#[tokio::test]
async fn all_targets_finish_and_roll_back_together() {
    let worlds = three_targets().await;
    worlds.lockstep.apply(TrafficAction::Start).await.unwrap();
    let first = &worlds.first_alb;

    let finished = worlds.lockstep.apply(TrafficAction::Finish).await.unwrap();
    assert!(finished.iter().all(|state| state.percent_on_new == 100));
    assert_eq!(
        alias_weights(&worlds).await,
        ("2".to_string(), HashMap::new())
    );
    assert_eq!(first.weights(&first.listener).await, (0, 100));

    let rolled_back = worlds
        .lockstep
        .apply(TrafficAction::Rollback)
        .await
        .unwrap();
    assert!(rolled_back.iter().all(|state| state.percent_on_new == 0));
    assert_eq!(
        alias_weights(&worlds).await,
        ("1".to_string(), HashMap::new())
    );
    let second = &worlds.second_alb;
    assert_eq!(second.weights(&second.listener).await, (100, 0));
    worlds
        .lockstep
        .apply(TrafficAction::Verify(0))
        .await
        .unwrap();
}
