//! gradual without AWS: the local world (gradual's functions wired to the emulator's AWS
//! services and to the local Step Functions interpreter, `gradual-asl`) and the demo that runs
//! full deployments on it.

pub mod demo;
pub mod faults;
#[cfg(feature = "testing")]
pub mod testing;
pub mod world;
