//! What the stack's EventBridge rule and queue do in AWS: every execution of the deployment
//! workflow that ends FAILED, ABORTED or TIMED_OUT is sent, as Step Functions' "Execution
//! Status Change" event, to the reconcile queue, which holds it for `DELAY_SECONDS` and then
//! hands it to the reconcile function; an event the function reports as failed is delivered
//! again once its visibility timeout has passed, up to the queue's receive count, and then
//! kept aside (the dead-letter queue).

use super::{names, LocalWorld};
use gradual_asl::{ExecutionDescription, ExecutionStatus, FunctionRegistry};
use gradual_handlers::reconcile::{DELAY_SECONDS, DETAIL_TYPE, SOURCE};
use gradual_handlers::Function;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// The queue's visibility timeout: how long a failed event waits before its next delivery.
const VISIBILITY_TIMEOUT: Duration = Duration::from_secs(720);
/// How many times the queue delivers an event before it keeps it aside.
const MAX_RECEIVE_COUNT: usize = 5;

/// The events delivered to reconcile and how each delivery ended.
#[derive(Default)]
pub struct Reconciliations {
    in_flight: Mutex<Option<watch::Sender<usize>>>,
    answers: Mutex<Vec<Delivery>>,
}

/// One event and the answer of its last attempt.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub execution_name: String,
    pub status: ExecutionStatus,
    pub attempts: usize,
    pub answer: Result<Value, String>,
}

impl Reconciliations {
    fn counter(&self) -> watch::Sender<usize> {
        self.in_flight
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get_or_insert_with(|| watch::channel(0).0)
            .clone()
    }

    /// Waits until no delivery is under way.
    pub async fn settled(&self) {
        let mut in_flight = self.counter().subscribe();
        // The sender lives in `self`, so waiting cannot fail.
        let _ = in_flight.wait_for(|count| *count == 0).await;
    }

    /// Every delivery that ended, in the order they ended.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.answers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

impl LocalWorld {
    /// Sends the end of every execution of the deployment workflow that did not succeed to
    /// the reconcile function, as the stack's rule does.
    pub(super) fn deliver_execution_ends(&self) {
        let machine_arn = self.executor.state_machine_arn(&self.machine);
        let clock = Arc::clone(&self.clock);
        let functions = self.functions.clone();
        let log = Arc::clone(&self.reconciliations);
        self.executor
            .on_execution_end(Arc::new(move |execution: ExecutionDescription| {
                let reconciled = matches!(
                    execution.status,
                    ExecutionStatus::Failed | ExecutionStatus::Aborted | ExecutionStatus::TimedOut
                );
                let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                    return;
                };
                if !reconciled || execution.state_machine_arn != machine_arn {
                    return;
                }
                // Counted before the task exists, so that nobody sees the world settled and
                // a virtual clock does not move before the delivery has begun.
                let busy = clock.hold();
                log.counter().send_modify(|count| *count += 1);
                let delivery = deliver(
                    Arc::clone(&clock),
                    functions.clone(),
                    Arc::clone(&log),
                    execution,
                    busy,
                );
                runtime.spawn(delivery);
            }));
    }
}

async fn deliver(
    clock: Arc<dyn gradual_asl::Clock>,
    functions: FunctionRegistry,
    log: Arc<Reconciliations>,
    execution: ExecutionDescription,
    mut busy: gradual_asl::ActivityGuard,
) {
    let event = status_change_event(&execution);
    let name = names::function_name(Function::Reconcile);
    drop(busy);
    busy = clock.sleep(Duration::from_secs(DELAY_SECONDS)).await;
    let mut attempts = 0;
    let answer = loop {
        attempts += 1;
        let batch = queue_batch(&event, attempts);
        let answer = match functions.function(&name) {
            Some(function) => match function.invoke(batch).await {
                Ok(response) if failures(&response) == 0 => Ok(response),
                Ok(response) => Err(format!("the function reported a failure: {response}")),
                Err(error) => Err(error.to_string()),
            },
            None => Err(format!("no function {name} is registered")),
        };
        match answer {
            Err(error) if attempts < MAX_RECEIVE_COUNT => {
                tracing::warn!(execution = %execution.name, %error, "reconcile failed; delivering again");
                drop(busy);
                busy = clock.sleep(VISIBILITY_TIMEOUT).await;
            }
            answer => break answer,
        }
    };
    if let Err(error) = &answer {
        tracing::error!(execution = %execution.name, %error, "reconcile gave up");
    }
    log.answers
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push(Delivery {
            execution_name: execution.name.clone(),
            status: execution.status,
            attempts,
            answer,
        });
    log.counter().send_modify(|count| *count -= 1);
    drop(busy);
}

/// The queue's batch of one message carrying `event`, on its `receive`th delivery.
fn queue_batch(event: &Value, receive: usize) -> Value {
    json!({"Records": [{
        "messageId": format!("end-of-{}", event["detail"]["name"].as_str().unwrap_or_default()),
        "receiptHandle": format!("receipt-{receive}"),
        "body": event.to_string(),
        "attributes": {"ApproximateReceiveCount": receive.to_string()},
        "messageAttributes": {},
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:gradual-reconcile",
        "awsRegion": "us-east-1"
    }]})
}

fn failures(response: &Value) -> usize {
    response["batchItemFailures"].as_array().map_or(0, Vec::len)
}

/// The event as EventBridge delivers it.
fn status_change_event(execution: &ExecutionDescription) -> Value {
    let millis = |at: time::OffsetDateTime| (at.unix_timestamp_nanos() / 1_000_000) as i64;
    let (region, account) = arn_region_and_account(&execution.execution_arn);
    json!({
        "version": "0",
        // One end per execution: its ARN names the event as well as a random id would.
        "id": format!("end-of-{}", execution.execution_arn),
        "detail-type": DETAIL_TYPE,
        "source": SOURCE,
        "account": account,
        "time": execution
            .stop_date
            .and_then(|at| at.format(&time::format_description::well_known::Rfc3339).ok()),
        "region": region,
        "resources": [execution.execution_arn],
        "detail": {
            "executionArn": execution.execution_arn,
            "stateMachineArn": execution.state_machine_arn,
            "name": execution.name,
            "status": execution.status,
            "startDate": millis(execution.start_date),
            "stopDate": execution.stop_date.map(millis),
            "input": execution.input.to_string(),
            "inputDetails": {"included": true},
            "output": execution.output.as_ref().map(Value::to_string),
            "outputDetails": execution.output.as_ref().map(|_| json!({"included": true})),
            "error": execution.error,
            "cause": execution.cause,
        }
    })
}

fn arn_region_and_account(arn: &str) -> (String, String) {
    let parts: Vec<&str> = arn.split(':').collect();
    let part = |index: usize| parts.get(index).copied().unwrap_or_default().to_owned();
    (part(3), part(4))
}
