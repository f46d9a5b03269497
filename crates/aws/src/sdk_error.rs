//! Reading the service's error code and message off an SDK error, shared by the routers.

use aws_sdk_lambda::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use gradual_core::ports::{RouterError, ServiceCall};

/// The router error for a failed service call, sorted by the service's error code.
pub(crate) fn failed<E, R>(call: ServiceCall, error: &SdkError<E, R>) -> RouterError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let message = error
        .message()
        .map_or_else(|| DisplayErrorContext(error).to_string(), str::to_string);
    call.failed(error.code(), message)
}
