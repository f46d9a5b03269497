//! What the emulator must show during a deployment: the routing a target has at each percent
//! of a schedule, and the observations a successful run makes, derived from the schedule.

use super::{Subject, TestWorld};
use gradual_core::{Deployment, Target, TrafficSchedule};
use gradual_local::world::{Forward, Observation, Routing};
use time::Duration;

/// One observation as the tests compare it: how long after the deployment was created, after
/// what, and the routing of every target of the deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub after: Duration,
    pub moment: String,
    pub succeeded: bool,
    pub routing: Result<Vec<Routing>, String>,
}

impl Seen {
    /// A successful moment `seconds` after creation, with one target routed as `routing`.
    pub fn ok(seconds: u64, moment: &str, routing: Routing) -> Self {
        Seen {
            after: Duration::seconds(seconds as i64),
            moment: moment.to_owned(),
            succeeded: true,
            routing: Ok(vec![routing]),
        }
    }

    fn of(deployment: &Deployment, observation: Observation) -> Self {
        Seen {
            after: observation.at - deployment.create_time,
            moment: observation.moment,
            succeeded: observation.succeeded,
            routing: observation.routing,
        }
    }
}

/// Everything the world observed of a deployment, oldest first.
pub fn seen(world: &TestWorld, deployment: &Deployment) -> Vec<Seen> {
    let observations = world.traffic.of(&deployment.id);
    observations
        .into_iter()
        .map(|observation| Seen::of(deployment, observation))
        .collect()
}

/// The routing of `subject` with `percent` on the new version, its test listener (if any) on
/// green or on blue. Listeners keep the stickiness they had.
pub fn routing_at(subject: &Subject, percent: u8, test_on_green: bool) -> Routing {
    match (&subject.target, &subject.initial) {
        (Target::LambdaAlias(alias), _) => {
            let (version, additional_weights) = match percent {
                0 => (&alias.current_version, Default::default()),
                100 => (&alias.target_version, Default::default()),
                split => (
                    &alias.current_version,
                    [(alias.target_version.clone(), f64::from(split) / 100.0)].into(),
                ),
            };
            Routing::Alias {
                version: version.clone(),
                additional_weights,
            }
        }
        (Target::AlbListener(_), Routing::Listener { production, test }) => {
            let percent = i32::from(percent);
            Routing::Listener {
                production: Forward {
                    blue: 100 - percent,
                    green: percent,
                    ..*production
                },
                test: test.map(|test| on_one_side(test, test_on_green)),
            }
        }
        (target, initial) => panic!("{target} cannot be routed as {initial:?}"),
    }
}

/// The initial routing once AllowTestTraffic moved the test listener to green.
pub fn test_traffic(initial: &Routing) -> Routing {
    match initial {
        Routing::Listener { production, test } => Routing::Listener {
            production: *production,
            test: test.map(|test| on_one_side(test, true)),
        },
        alias => alias.clone(),
    }
}

fn on_one_side(forward: Forward, green: bool) -> Forward {
    Forward {
        blue: if green { 0 } else { 100 },
        green: if green { 100 } else { 0 },
        ..forward
    }
}

/// What a successful run of `schedule` on `subject` shows, with hooks that answer at once:
/// the start changes nothing, a blue/green deployment moves its test listener first, then
/// every step shifts and bakes for its time, and the finish puts everything on the new version.
pub fn expected_success(subject: &Subject, schedule: &TrafficSchedule) -> Vec<Seen> {
    let blue_green = matches!(subject.target, Target::AlbListener(_));
    let mut expected = vec![Seen::ok(0, "start", subject.initial.clone())];
    if blue_green {
        expected.push(Seen::ok(0, "test-traffic", test_traffic(&subject.initial)));
    }
    let mut second = 0;
    let (shifts, _) = schedule.steps().split_at(schedule.steps().len() - 1);
    for step in shifts {
        let routing = routing_at(subject, step.percent, blue_green);
        expected.push(Seen::ok(second, "shift", routing.clone()));
        expected.push(Seen::ok(second, "bake", routing));
        second += step.bake.as_secs();
    }
    expected.push(Seen::ok(
        second,
        "finish",
        routing_at(subject, 100, blue_green),
    ));
    expected
}
