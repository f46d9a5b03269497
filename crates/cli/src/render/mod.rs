//! Text renderings of what the stack answers, for `--output text`.

pub mod deployment;
pub mod group;
pub mod timeline;
