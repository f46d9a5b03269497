//! A sample world on the emulator, shared by the tests and the demo: a function with published
//! versions and an alias, and a load balancer with blue and green target groups and listeners.

pub mod alb;
pub mod lambda;
