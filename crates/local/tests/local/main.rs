//! gradual's functions and workflow on the local world, in one test binary: the workflow end to
//! end (`workflow`), the entry points (`entry_points`), the traffic functions (`functions`) and
//! alarms (`alarms`), and the functions' IAM identities (`iam`). Every test asserts what the emulator really holds: alias weights read with
//! GetAlias, listener weights with DescribeListeners, items in the table, SNS messages read back
//! from SQS.

mod alarms;
mod chaos;
mod entry_points;
mod functions;
mod iam;
mod workflow;
