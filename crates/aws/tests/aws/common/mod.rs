//! Test worlds on the emulator: a function with an alias, a load balancer with blue and green
//! target groups and listeners, and a recorder of the requests a client sends.
//!
//! Each test module uses a different part of these helpers.
#![allow(dead_code, unused_imports, async_fn_in_trait)]

pub mod alb_world;
pub mod lambda_world;
pub mod requests;
