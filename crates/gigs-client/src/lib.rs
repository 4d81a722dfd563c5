#![doc = include_str!("../README.md")]
//!
//! ## The crate at a glance
//!
//! Everything in [`types`], [`builder`] and [`Client`] is generated from the workspace's
//! `openapi.yaml` by `cargo xtask generate`; the rest of this crate is the small hand-written
//! runtime that the generated code needs. Transient failures are retried according to the
//! client's [`RetryPolicy`] (its documentation states the defaults), set in its
//! [`ClientSettings`]; one request can be given its own settings (an idempotency key, no
//! retries, a timeout, a deadline, extra headers) with
//! [`Operation::exchange`](operation::Operation::exchange), which returns the undecoded
//! [`call::Exchange`]; the `gigs` crate decodes it into typed results and errors. The path of a
//! request through the runtime is drawn in the [`call`] module. Every attempt is a `tracing`
//! span named `gigs.request` with the OpenTelemetry HTTP client attribute names. String enums
//! are open (see [`types::SubscriptionStatus`]).

#![warn(missing_docs)]

mod attempts;
pub mod call;
mod endpoint;
mod exchange;
mod hooks;
mod idempotency;
mod open_enum;
pub mod operation;
mod options;
pub mod pagination;
mod patch;
mod prepare;
pub mod query;
pub mod retry;
mod settings;

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, rustdoc::all, missing_docs)]
mod generated;

pub use attempts::{request_id, REQUEST_ID_HEADERS};
pub use generated::*;
pub use idempotency::{IdempotencyKey, InvalidIdempotencyKey, IDEMPOTENCY_KEY};
pub use options::RequestOptions;
pub use patch::Patch;
pub use retry::RetryPolicy;
pub use settings::ClientSettings;
