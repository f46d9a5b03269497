//! How the service's answers become [`StoreError`]s.

use crate::sdk_error::is_access_denied;
use aws_sdk_dynamodb::error::{BuildError, DisplayErrorContext, ProvideErrorMetadata, SdkError};
use gradual_core::ports::{Entity, StoreError};
use std::error::Error;

const CONDITION_FAILED: &str = "ConditionalCheckFailedException";

/// A failure of `operation` on `table` that the store cannot interpret: the service's own
/// message, with its causes. A refusal by IAM is [`StoreError::AccessDenied`]: retrying it
/// cannot help.
pub(super) fn backend(
    operation: &str,
    table: &str,
    error: impl Error + ProvideErrorMetadata,
) -> StoreError {
    if error.code().is_some_and(is_access_denied) {
        return StoreError::AccessDenied(format!(
            "{operation} on table {table}: {}; the function's role in template.yaml needs that action",
            error.message().unwrap_or("access denied")
        ));
    }
    StoreError::Backend(format!(
        "{operation} on table {table} failed: {}",
        DisplayErrorContext(error)
    ))
}

/// A request that could not be assembled (a required field left out).
pub(super) fn unbuildable(operation: &str, error: BuildError) -> StoreError {
    StoreError::Backend(format!(
        "could not assemble the {operation} request: {error}"
    ))
}

/// `Ok(Some(output))` when the write happened, `Ok(None)` when its condition did not hold.
pub(super) fn conditional<T, E>(
    result: Result<T, SdkError<E>>,
    operation: &str,
    table: &str,
) -> Result<Option<T>, StoreError>
where
    E: ProvideErrorMetadata + Error + 'static,
{
    match result {
        Ok(output) => Ok(Some(output)),
        Err(error) if error.code() == Some(CONDITION_FAILED) => Ok(None),
        Err(error) => Err(backend(operation, table, error)),
    }
}

pub(super) fn not_found(entity: Entity, name: impl Into<String>) -> StoreError {
    StoreError::NotFound {
        entity,
        name: name.into(),
    }
}

pub(super) fn already_exists(entity: Entity, name: impl Into<String>) -> StoreError {
    StoreError::AlreadyExists {
        entity,
        name: name.into(),
    }
}
