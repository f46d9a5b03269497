//! `make demo`: three full deployments on the local AWS emulator, run by the local executor on
//! the real workflow definition, with live progress and the SNS messages read back from SQS.
//!
//! (a) a Lambda canary whose BeforeAllowTraffic hook succeeds;
//! (b) an ALB linear blue/green deployment with a test listener;
//! (c) a Lambda deployment whose AfterAllowTraffic hook fails, rolled back automatically.
//!
//! Every outcome is checked against the emulator's real state; any difference is reported and
//! makes the demo exit non-zero.

mod progress;
mod scenarios;

pub use scenarios::{run, run_on};
