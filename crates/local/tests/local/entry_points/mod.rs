//! The entry points on the emulator: create-deployment's three request shapes (direct,
//! EventBridge, CodePipeline) read from the samples under `events/`, concurrent and repeated
//! creates, refused requests that write nothing, stop-deployment mid-bake, and registration.
//! Every test asserts what the emulator holds: items in the table, the alias or listener, the
//! SNS messages read back from SQS.

mod support;

mod concurrency;
mod idempotency;
mod invalid;
mod pipeline;
mod reconcile;
mod registration;
mod shapes;
mod stop;
