//! Applications: a name and a compute platform that every group of the application shares.

use super::{Register, RegisterOutput};
use crate::error::HandlerError;
use crate::support::names::check_name;
use gradual_core::{Application, ComputePlatform, ErrorCode};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplicationInput {
    pub application_name: String,
    pub compute_platform: ComputePlatform,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplicationRef {
    pub application_name: String,
}

impl Register {
    pub(super) async fn create_application(
        &self,
        input: ApplicationInput,
    ) -> Result<RegisterOutput, HandlerError> {
        check_name("applicationName", &input.application_name)?;
        let application = Application {
            application_name: input.application_name,
            compute_platform: input.compute_platform,
            create_time: self.clock.now(),
        };
        self.store.create_application(&application).await?;
        Ok(RegisterOutput {
            application: Some(application),
            ..RegisterOutput::default()
        })
    }

    /// The application with the names of its deployment groups.
    pub(super) async fn get_application(
        &self,
        input: ApplicationRef,
    ) -> Result<RegisterOutput, HandlerError> {
        let application = self.application(&input.application_name).await?;
        let groups = self
            .store
            .list_deployment_groups(&application.application_name)
            .await?;
        Ok(RegisterOutput {
            application: Some(application),
            deployment_groups: Some(groups),
            ..RegisterOutput::default()
        })
    }

    /// Refused while the application has deployment groups.
    pub(super) async fn delete_application(
        &self,
        input: ApplicationRef,
    ) -> Result<RegisterOutput, HandlerError> {
        self.store
            .delete_application(&input.application_name)
            .await?;
        Ok(RegisterOutput::deleted(format!(
            "application {}",
            input.application_name
        )))
    }

    /// The application named `name`, which must exist.
    pub(super) async fn application(&self, name: &str) -> Result<Application, HandlerError> {
        self.store.get_application(name).await?.ok_or_else(|| {
            HandlerError::deployment(
                ErrorCode::ApplicationMissing,
                format!("applicationName: application {name:?} does not exist"),
            )
        })
    }
}
