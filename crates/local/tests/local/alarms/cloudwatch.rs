//! The CloudWatch adapter of the alarm source, against the emulator's alarms.

use gradual_aws::cloudwatch::{CloudWatchAlarms, NAMES_PER_REQUEST};
use gradual_core::ports::{AlarmError, AlarmReading, AlarmSource, AlarmState};
use gradual_emulator::{unique_name, Emulator};
use gradual_local::testing::TestWorld;

async fn source() -> CloudWatchAlarms {
    let sdk = Emulator::shared().await.sdk_config().await;
    CloudWatchAlarms::new(aws_sdk_cloudwatch::Client::new(&sdk))
}

fn reading(name: &str, state: AlarmState) -> AlarmReading {
    AlarmReading {
        name: name.to_owned(),
        state,
    }
}

#[tokio::test]
async fn states_are_read_by_name_in_the_order_asked() {
    let world = TestWorld::manual().await;
    let (errors, latency) = (unique_name("errors"), unique_name("latency"));
    world.create_alarm(&errors).await;
    world.create_alarm(&latency).await;
    let alarms = source().await;
    let names = [latency.clone(), errors.clone()];

    assert_eq!(
        alarms.alarm_states(&names).await,
        Ok(vec![
            reading(&latency, AlarmState::Ok),
            reading(&errors, AlarmState::Ok)
        ])
    );
    world.set_alarm_state(&errors, AlarmState::Alarm).await;
    world
        .set_alarm_state(&latency, AlarmState::InsufficientData)
        .await;
    assert_eq!(
        alarms.alarm_states(&names).await,
        Ok(vec![
            reading(&latency, AlarmState::InsufficientData),
            reading(&errors, AlarmState::Alarm)
        ])
    );
    assert_eq!(alarms.alarms_in_alarm(&names).await, Ok(vec![errors]));
}

#[tokio::test]
async fn missing_alarms_are_named_whichever_request_asked_for_them() {
    let world = TestWorld::manual().await;
    let (first, last) = (unique_name("first"), unique_name("last"));
    world.create_alarm(&first).await;
    world.create_alarm(&last).await;
    world.set_alarm_state(&last, AlarmState::Alarm).await;
    let alarms = source().await;

    // More names than one request carries: the last one is read by a second request.
    let missing: Vec<String> = (0..NAMES_PER_REQUEST)
        .map(|_| unique_name("missing"))
        .collect();
    let mut names = vec![first.clone()];
    names.extend(missing.iter().cloned());
    names.push(last.clone());
    assert_eq!(
        alarms.alarm_states(&names).await,
        Err(AlarmError::Missing {
            names: missing.clone()
        })
    );
    assert_eq!(
        alarms.alarms_in_alarm(&[first.clone(), last.clone()]).await,
        Ok(vec![last])
    );
    assert_eq!(
        alarms.alarm_states(&[missing[0].clone(), first]).await,
        Err(AlarmError::Missing {
            names: vec![missing[0].clone()]
        })
    );
}
