//! Ports: how the domain reaches the outside world. Adapters live in `gradual-aws`.

mod store;

pub use store::{
    Creation, DeploymentStore, IdempotencyKey, Page, StatusChange, StatusUpdate, StoreError,
};
