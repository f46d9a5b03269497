//! `reconcile`: ends a deployment whose workflow execution stopped outside its failure path
//! (Step Functions' execution status change events, held in a delay queue), and brings its
//! traffic home by the group's rules.

use gradual_handlers::reconcile::ReconcileQueue;
use gradual_handlers::Function;
use gradual_lambda::{run, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(Function::Reconcile, ReconcileQueue::from_ports).await
}
