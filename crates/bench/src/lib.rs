//! gradual's measurement tools: what the benchmark binaries share. Each binary prints figures
//! (counts, ratios, medians) and asserts nothing.

pub mod runtime_api;
pub mod throughput;
