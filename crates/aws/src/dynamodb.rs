//! The state store on DynamoDB: one table holds applications, deployment groups, custom
//! deployment configs, deployments, their history and stop signals, each group's active slot,
//! the client request tokens and the lifecycle event hook executions.
//!
//! # Layout
//!
//! Every item has a string partition key `PK` and sort key `SK`; the schema lives in
//! [`schema`] and nowhere else.
//!
//! | Item | `PK` | `SK` | Other attributes |
//! |---|---|---|---|
//! | application | `APP#<app>` | `APP` | `document`, `groupCount` |
//! | deployment group | `APP#<app>` | `GROUP#<group>` | `document`, `GSI1PK`, `GSI1SK` |
//! | custom config | `CONFIG` | `CONFIG#<name>` | `document` |
//! | deployment | `DEPLOYMENT#<id>` | `DEPLOYMENT` | `document`, `status`, the changing fields, `GSI1PK`, `GSI1SK`, `waitToken`, `stopRequest` |
//! | history counter | `DEPLOYMENT#<id>` | `SEQUENCE` | `lastSequence` |
//! | history record | `DEPLOYMENT#<id>` | `HISTORY#<key>` | `sequence`, `document` |
//! | active slot | `ACTIVE#<app>/<group>` | `ACTIVE` | `deploymentId`, `GSI1PK`, `GSI1SK` |
//! | request token | `TOKEN#<token>` | `TOKEN` | `fingerprint`, `deploymentId` |
//! | hook execution | `HOOK#<execution id>` | `HOOK` | `executionId`, `deploymentId`, `lifecycleEvent`, `functionName`, `taskToken`, `status`, `startedAt`, `expiresAt` |
//! | event's hook execution | `DEPLOYMENT#<id>` | `HOOK#<event>` | `executionId`, `expiresAt` |
//!
//! The global index `GSI1` (keys only) lists a group's deployments newest first:
//! `GSI1PK = GROUP#<app>/<group>`, `GSI1SK = <create time, UTC, nanoseconds>#<id>`.
//! The same index lists every held active slot, across groups, under `GSI1PK = ACTIVE`,
//! `GSI1SK = <app>/<group>#<id>`: what an alarm state change looks through for the running
//! deployments that watch the alarm. And it lists the groups of each deployment config, under
//! `GSI1PK = CONFIG#<config>`, `GSI1SK = <app>/<group>`: who still uses a config that is to be
//! deleted, without a scan of the table.
//! Its reads are eventually consistent, as every global index's; all other reads are strong.
//! A listing's `nextToken` is that index position, bound to its group and hex-encoded; a page
//! carries one only when more deployments follow, and holds at most [`MAX_PAGE`] of them.
//! History records are numbered from the deployment's counter as they are written, and read
//! back by time, then by that number.
//! A deployment's `waitToken` is the task token of the workflow's current wait (a bake or a
//! hook); its `stopRequest` is the first stop request, as JSON.
//! Hook execution items carry the table's time to live attribute `expiresAt` (whole epoch
//! seconds, rounded up, so an execution reads back with its expiry to the second).
//!
//! # Guarantees
//!
//! Every rule is a condition the service checks as it writes, never a read followed by a write:
//! - a deployment is stored together with its group's active slot and its request token in one
//!   transaction, so a group has at most one active deployment and a token names one request;
//! - a status changes only from the status the caller saw, and a terminal status frees the
//!   slot in the same transaction;
//! - an application counts its groups, so it cannot be deleted while one exists, and a group
//!   cannot be deleted while its slot is held;
//! - a wait is registered only while no stop is recorded, and a stop is recorded only while
//!   the deployment runs and no stop is, reading the wait's token in the same write: whichever
//!   comes second sees the other, and the first stop request stands;
//! - a hook execution is stored with the item naming it under its deployment and event in one
//!   transaction, so an event has one execution; it changes only while `Pending`, so it
//!   completes once.
//!
//! A deployment's `document` is the deployment as it was created; the fields that change later
//! (status, error, start and complete times, traffic, rollback link) are attributes of their
//! own that override it, so each change is one small conditional update.

mod applications;
mod configs;
mod creation;
mod deployment_item;
mod deployments;
mod documents;
mod expression;
mod failure;
mod groups;
mod history;
mod hook_executions;
mod hook_item;
mod item;
mod keys;
mod listing;
mod page_token;
pub mod schema;
mod signals;
mod status;
mod store;
mod table;
mod transaction;

pub use listing::MAX_PAGE;
pub use schema::TABLE_SCHEMA;
pub use store::DynamoDbStore;
pub use table::{create_table, TableError};
