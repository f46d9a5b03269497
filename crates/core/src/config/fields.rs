//! The JSON paths that error messages name, so parsing and validation spell them alike.

pub const CANARY: &str = "trafficRoutingConfig.timeBasedCanary";
pub const CANARY_PERCENTAGE: &str = "trafficRoutingConfig.timeBasedCanary.canaryPercentage";
pub const CANARY_INTERVAL: &str = "trafficRoutingConfig.timeBasedCanary.canaryInterval";
pub const LINEAR: &str = "trafficRoutingConfig.timeBasedLinear";
pub const LINEAR_PERCENTAGE: &str = "trafficRoutingConfig.timeBasedLinear.linearPercentage";
pub const LINEAR_INTERVAL: &str = "trafficRoutingConfig.timeBasedLinear.linearInterval";
pub const STEPS: &str = "trafficRoutingConfig.steps";

pub fn step_percentage(index: usize) -> String {
    format!("{STEPS}[{index}].percentage")
}

pub fn step_bake_seconds(index: usize) -> String {
    format!("{STEPS}[{index}].bakeSeconds")
}
