//! The AWS adapters the functions are built from, each made from the shared configuration and
//! the settings of [`crate::settings`].

use crate::settings::{env, SetupError, STATE_MACHINE_ARN, TABLE};
use aws_config::SdkConfig;
use gradual_aws::cloudwatch::CloudWatchAlarms;
use gradual_aws::codepipeline::CodePipelineReporter;
use gradual_aws::dynamodb::DynamoDbStore;
use gradual_aws::lambda_invoke::LambdaHookInvoker;
use gradual_aws::sns::SnsNotifier;
use gradual_aws::step_functions::StepFunctionsWorkflow;
use gradual_core::ports::SystemClock;
use gradual_handlers::traffic::{RouterFactory, ShiftTraffic};
use std::sync::Arc;

/// The state store on the table named by [`TABLE`]. One value serves as the deployment store,
/// the signals and the hook execution store.
pub fn state_store(config: &SdkConfig) -> Result<Arc<DynamoDbStore>, SetupError> {
    let client = aws_sdk_dynamodb::Client::new(config);
    Ok(Arc::new(DynamoDbStore::new(client, env(TABLE)?)))
}

/// The deployment workflow, on the state machine named by [`STATE_MACHINE_ARN`].
pub fn workflow(config: &SdkConfig) -> Result<Arc<StepFunctionsWorkflow>, SetupError> {
    let client = aws_sdk_sfn::Client::new(config);
    Ok(Arc::new(StepFunctionsWorkflow::new(
        client,
        env(STATE_MACHINE_ARN)?,
    )?))
}

/// Invokes hook functions asynchronously.
pub fn hook_invoker(config: &SdkConfig) -> Arc<LambdaHookInvoker> {
    Arc::new(LambdaHookInvoker::new(aws_sdk_lambda::Client::new(config)))
}

/// Answers CodePipeline jobs.
pub fn pipeline_reporter(config: &SdkConfig) -> Arc<CodePipelineReporter> {
    Arc::new(CodePipelineReporter::new(
        aws_sdk_codepipeline::Client::new(config),
    ))
}

/// Publishes trigger messages to SNS.
pub fn notifier(config: &SdkConfig) -> Arc<SnsNotifier> {
    Arc::new(SnsNotifier::new(aws_sdk_sns::Client::new(config)))
}

/// Reads alarm states from CloudWatch.
pub fn alarm_source(config: &SdkConfig) -> Arc<CloudWatchAlarms> {
    Arc::new(CloudWatchAlarms::new(aws_sdk_cloudwatch::Client::new(
        config,
    )))
}

/// The traffic handler moving the targets `routers` makes routers for: what
/// `shift-alias-weight` and `swap-alb-targets` run.
pub fn shift_traffic(
    config: &SdkConfig,
    routers: impl RouterFactory + 'static,
) -> Result<ShiftTraffic, SetupError> {
    let store = state_store(config)?;
    Ok(ShiftTraffic {
        store: store.clone(),
        signals: store,
        clock: Arc::new(SystemClock),
        routers: Arc::new(routers),
        alarms: alarm_source(config),
    })
}
