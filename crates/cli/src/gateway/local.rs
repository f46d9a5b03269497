//! The gateway to the local stack: gradual's handlers served in this process by the local
//! world, on the emulator, with the workflow run by the local executor. One local stack serves
//! the whole process, so that commands run one after the other (and tests) share it.

use super::{Function, Gateway, GatewayError};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use gradual_asl::ScaledClock;
use gradual_core::DeploymentId;
use gradual_emulator::{Emulator, ENDPOINT_VARIABLE};
use gradual_local::world::{names, LocalWorld};
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// How the local stack runs.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalSettings {
    /// How many times faster than real time the local clock runs.
    pub time_scale: f64,
    /// The emulator's DynamoDB table holding the stack's state.
    pub table: String,
}

/// The local world, with the settings it was started with.
pub struct LocalStack {
    world: LocalWorld,
    settings: LocalSettings,
}

static SHARED: OnceCell<LocalStack> = OnceCell::const_new();

/// What the local stack is called in error messages.
const LOCAL_STACK: &str = "the local stack";

impl LocalStack {
    /// The local stack of this process, started with `settings` on first use. Asking for it
    /// again with other settings is refused: a process has one clock and one table.
    pub async fn shared(settings: &LocalSettings) -> Result<&'static LocalStack, GatewayError> {
        let stack = SHARED
            .get_or_try_init(|| LocalStack::start(settings.clone()))
            .await?;
        if stack.settings != *settings {
            return Err(GatewayError::Unreachable {
                function: LOCAL_STACK.to_owned(),
                detail: format!(
                    "it already runs in this process with time scale {} on table {}",
                    stack.settings.time_scale, stack.settings.table
                ),
            });
        }
        Ok(stack)
    }

    /// The world the stack runs in: its store, clock, executor and functions.
    pub fn world(&self) -> &LocalWorld {
        &self.world
    }

    async fn start(settings: LocalSettings) -> Result<LocalStack, GatewayError> {
        check_emulator_available()?;
        let sdk = Emulator::shared().await.sdk_config().await;
        ensure_table(&aws_sdk_dynamodb::Client::new(&sdk), &settings.table).await?;
        let clock = Arc::new(ScaledClock::new(settings.time_scale));
        let world = LocalWorld::on_table(clock, settings.table.clone()).await;
        Ok(LocalStack { world, settings })
    }
}

#[async_trait]
impl Gateway for &'static LocalStack {
    async fn invoke(&self, function: Function, payload: Value) -> Result<Value, GatewayError> {
        // The local world names its functions as a stack named `gradual` does.
        let name = names::function_name(function);
        let handler =
            self.world
                .functions
                .function(&name)
                .ok_or_else(|| GatewayError::Missing {
                    function: name.clone(),
                    hint: format!(" in {LOCAL_STACK}"),
                })?;
        let _busy = self.world.clock.hold();
        handler
            .invoke(payload)
            .await
            .map_err(|error| GatewayError::Refused {
                function: name,
                error_type: error.error_type,
                message: error.message,
            })
    }

    fn runs_workflows_here(&self) -> bool {
        true
    }

    async fn await_workflow(&self, deployment: &DeploymentId) {
        // A deployment whose workflow another process ran has no execution here: nothing to
        // wait for.
        let _ = self.world.wait_for(deployment).await;
    }
}

/// The emulator is started from the project's Python environment unless one is named.
fn check_emulator_available() -> Result<(), GatewayError> {
    let named = std::env::var(ENDPOINT_VARIABLE).is_ok_and(|endpoint| !endpoint.is_empty());
    let python = gradual_emulator::project_root().join(".venv/bin/python");
    if named || python.exists() {
        return Ok(());
    }
    Err(GatewayError::Unreachable {
        function: LOCAL_STACK.to_owned(),
        detail: format!(
            "the emulator is not installed ({} is missing): run scripts/bootstrap-venv.sh, or set {ENDPOINT_VARIABLE} to a running emulator",
            python.display()
        ),
    })
}

/// Creates the table unless it exists, so that a stack on a long-running emulator keeps its
/// state from one command to the next.
async fn ensure_table(client: &aws_sdk_dynamodb::Client, table: &str) -> Result<(), GatewayError> {
    let unreachable = |detail: String| GatewayError::Unreachable {
        function: LOCAL_STACK.to_owned(),
        detail,
    };
    match client.describe_table().table_name(table).send().await {
        Ok(_) => Ok(()),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|service| service.is_resource_not_found_exception()) =>
        {
            gradual_aws::dynamodb::create_table(client, table)
                .await
                .map_err(|error| unreachable(error.to_string()))
        }
        Err(error) => Err(unreachable(format!(
            "could not read table {table}: {}",
            DisplayErrorContext(&error)
        ))),
    }
}
