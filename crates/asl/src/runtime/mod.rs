//! Running state machines: the executor, its executions and their histories.

mod choice;
mod execution;
mod fan_out;
mod history;
mod interpreter;
mod io;
mod lane;
mod task;
mod tokens;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::Value;

use self::execution::Execution;
use self::interpreter::Interpreter;
use self::lane::Lane;
use self::tokens::{Report, TaskTokens};
use crate::clock::Clock;
use crate::definition::StateMachine;
use crate::error::{ExecError, StatesError, TaskTokenError};
use crate::functions::FunctionRegistry;
use crate::limits::{self, MAX_PAYLOAD_BYTES};

pub use execution::{ExecutionDescription, ExecutionOutcome, ExecutionStatus};
pub use history::{EventDetails, HistoryEvent, HistoryEventType};

/// Where the executor pretends to run: the region and account in the ARNs it makes, and the
/// seed of the random numbers behind `"JitterStrategy": "FULL"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutorSettings {
    pub region: String,
    pub account_id: String,
    pub jitter_seed: u64,
}

impl Default for ExecutorSettings {
    fn default() -> Self {
        Self {
            region: "us-east-1".to_owned(),
            account_id: "123456789012".to_owned(),
            jitter_seed: 0,
        }
    }
}

/// Runs executions of loaded state machines as tokio tasks. Cheap to clone; clones share
/// everything.
#[derive(Clone)]
pub struct Executor {
    world: Arc<World>,
}

/// What every execution shares.
pub(crate) struct World {
    pub clock: Arc<dyn Clock>,
    pub functions: FunctionRegistry,
    pub settings: ExecutorSettings,
    pub tokens: Arc<TaskTokens>,
    pub jitter: Mutex<StdRng>,
    executions: Mutex<HashMap<String, Arc<Execution>>>,
    end_listeners: Mutex<Vec<EndListener>>,
}

/// Told of every execution that ends, as EventBridge's "Step Functions Execution Status
/// Change" events tell a rule's targets in AWS.
pub type EndListener = Arc<dyn Fn(ExecutionDescription) + Send + Sync>;

impl Executor {
    pub fn new(clock: Arc<dyn Clock>, functions: FunctionRegistry) -> Self {
        Self::with_settings(clock, functions, ExecutorSettings::default())
    }

    pub fn with_settings(
        clock: Arc<dyn Clock>,
        functions: FunctionRegistry,
        settings: ExecutorSettings,
    ) -> Self {
        let jitter = Mutex::new(StdRng::seed_from_u64(settings.jitter_seed));
        Self {
            world: Arc::new(World {
                clock,
                functions,
                settings,
                tokens: Arc::default(),
                jitter,
                executions: Mutex::default(),
                end_listeners: Mutex::default(),
            }),
        }
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.world.clock
    }

    /// The registry tasks are dispatched to; functions may still be added to it.
    pub fn functions(&self) -> &FunctionRegistry {
        &self.world.functions
    }

    /// Calls `listener` with the description of every execution that ends from now on, right
    /// as it ends (before anyone waiting for it wakes, on any thread), whatever ended it: its last state, a
    /// failure, a timeout or StopExecution.
    pub fn on_execution_end(&self, listener: EndListener) {
        self.world
            .end_listeners
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(listener);
    }

    /// The ARN a machine gets from this executor.
    pub fn state_machine_arn(&self, machine: &StateMachine) -> String {
        let ExecutorSettings {
            region, account_id, ..
        } = &self.world.settings;
        format!(
            "arn:aws:states:{region}:{account_id}:stateMachine:{}",
            machine.name()
        )
    }

    /// Starts an execution and returns its ARN. As StartExecution does, a second start
    /// with the same name and input while the first still runs returns the same ARN;
    /// anything else under a used name is refused, and so is an input over 256 KiB.
    pub fn start_execution(
        &self,
        machine: Arc<StateMachine>,
        name: &str,
        input: Value,
    ) -> Result<String, ExecError> {
        check_execution_name(name)?;
        let bytes = limits::payload_bytes(&input);
        if bytes > MAX_PAYLOAD_BYTES {
            return Err(ExecError::InputTooLarge {
                bytes,
                limit: MAX_PAYLOAD_BYTES,
            });
        }
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| ExecError::NoRuntime)?;
        let ExecutorSettings {
            region, account_id, ..
        } = &self.world.settings;
        let arn = format!(
            "arn:aws:states:{region}:{account_id}:execution:{}:{name}",
            machine.name()
        );
        let execution = {
            let mut executions = self.world.executions();
            if let Some(existing) = executions.get(&arn) {
                return if existing.input == input && existing.outcome().is_none() {
                    Ok(arn)
                } else {
                    Err(ExecError::ExecutionAlreadyExists {
                        name: name.to_owned(),
                    })
                };
            }
            let execution = Arc::new(Execution::new(
                arn.clone(),
                name.to_owned(),
                self.state_machine_arn(&machine),
                machine,
                input,
                self.world.clock.now(),
            ));
            executions.insert(arn.clone(), execution.clone());
            execution
        };
        // Counted as busy before the task exists, so a virtual clock cannot move before
        // the execution has reached its first wait.
        let lane = Lane::new(self.world.clock.hold());
        let interpreter = Interpreter::new(self.world.clone(), execution.clone());
        let runner = runtime.spawn(interpreter.clone().run_execution(lane));
        execution.set_abort_handle(runner.abort_handle());
        runtime.spawn(async move {
            if let Err(failure) = runner.await {
                if failure.is_panic() {
                    interpreter.finish_after_panic();
                }
            }
        });
        Ok(arn)
    }

    /// Waits until the execution has ended and tells how.
    pub async fn wait_for_completion(
        &self,
        execution_arn: &str,
    ) -> Result<ExecutionOutcome, ExecError> {
        Ok(self.execution(execution_arn)?.wait().await)
    }

    pub fn describe_execution(&self, execution_arn: &str) -> Option<ExecutionDescription> {
        self.execution(execution_arn).ok().map(|e| e.describe())
    }

    /// The execution's events so far, oldest first.
    pub fn history(&self, execution_arn: &str) -> Vec<HistoryEvent> {
        self.execution(execution_arn)
            .map(|e| e.history())
            .unwrap_or_default()
    }

    /// How many state transitions AWS would bill for the execution so far: one per state
    /// entered.
    pub fn state_transitions(&self, execution_arn: &str) -> usize {
        self.history(execution_arn)
            .iter()
            .filter(|event| event.event_type.is_state_entered())
            .count()
    }

    /// Stops a running execution (stopping an ended one changes nothing).
    pub fn stop_execution(
        &self,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), ExecError> {
        let execution = self.execution(execution_arn)?;
        let failure = StatesError::new(error.unwrap_or_default(), cause.unwrap_or_default());
        let outcome = ExecutionOutcome::ended(ExecutionStatus::Aborted, failure);
        if self.world.finish(&execution, 0, outcome) {
            self.world.tokens.close_execution(execution_arn);
        }
        Ok(())
    }

    /// SendTaskSuccess: the waiting task succeeds with `output`.
    pub fn send_task_success(&self, task_token: &str, output: Value) -> Result<(), TaskTokenError> {
        self.report(task_token, Report::Success(output))
    }

    /// SendTaskFailure: the waiting task fails with `error` and `cause`.
    pub fn send_task_failure(
        &self,
        task_token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), TaskTokenError> {
        self.report(
            task_token,
            Report::Failure {
                error: error.to_owned(),
                cause: cause.to_owned(),
            },
        )
    }

    /// SendTaskHeartbeat: the waiting task's heartbeat timer starts again.
    pub fn send_task_heartbeat(&self, task_token: &str) -> Result<(), TaskTokenError> {
        self.report(task_token, Report::Heartbeat)
    }

    fn report(&self, task_token: &str, report: Report) -> Result<(), TaskTokenError> {
        let clock = &self.world.clock;
        self.world
            .tokens
            .report(task_token, report, || clock.hold())
    }

    fn execution(&self, execution_arn: &str) -> Result<Arc<Execution>, ExecError> {
        self.world
            .executions()
            .get(execution_arn)
            .cloned()
            .ok_or_else(|| ExecError::ExecutionDoesNotExist {
                arn: execution_arn.to_owned(),
            })
    }
}

impl std::fmt::Debug for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor")
            .field("settings", &self.world.settings)
            .field("functions", &self.world.functions)
            .finish()
    }
}

impl World {
    /// Ends `execution` (unless it already ended) and tells the end listeners; returns
    /// whether this call ended it.
    pub(crate) fn finish(
        &self,
        execution: &Execution,
        previous: u64,
        outcome: ExecutionOutcome,
    ) -> bool {
        if !execution.finish(self.clock.now(), previous, outcome) {
            return false;
        }
        let listeners = self
            .end_listeners
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        for listener in listeners {
            listener(execution.describe());
        }
        execution.announce_end();
        true
    }

    fn executions(&self) -> MutexGuard<'_, HashMap<String, Arc<Execution>>> {
        self.executions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// StartExecution's rules for names: 1 to 80 characters, none of them blank, a bracket,
/// a wildcard, a control character or one of `"#%\^|~`$&,;:/`.
fn check_execution_name(name: &str) -> Result<(), ExecError> {
    let problem = if name.is_empty() || name.chars().count() > 80 {
        Some("must be 1 to 80 characters long")
    } else if name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c))
    {
        Some("contains a character StartExecution does not allow")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(ExecError::InvalidName {
            name: name.to_owned(),
            problem,
        }),
        None => Ok(()),
    }
}
