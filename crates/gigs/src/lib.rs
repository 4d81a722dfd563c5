//! The Rust SDK for the [Gigs Core API](https://developers.gigs.com): phone plans, SIMs and
//! devices for telecom products.
//!
//! List every active subscription of a project:
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use gigs::{types::SubscriptionStatus, Gigs, Paginate};
//!
//! # async fn run() -> Result<(), gigs::Error> {
//! let gigs = Gigs::from_env()?; // GIGS_TOKEN, GIGS_PROJECT
//! let mut active = gigs.subscriptions().list().status(vec![SubscriptionStatus::Active]).items();
//! while let Some(subscription) = active.try_next().await? {
//!     println!("{} {}", subscription.id, subscription.phone_number.unwrap_or_default());
//! }
//! # Ok(()) }
//! ```
//!
//! - [`Gigs`] is the configured client ([`Gigs::builder`], [`Gigs::from_env`]). Its resource
//!   groups (`devices()`, `sims()`, `subscriptions()`) return the generated request builders with
//!   the default project filled in.
//! - [`Call`] adds `.call()` and `.call_with(`[`RequestOptions`]`)` to every request builder:
//!   one request, its body or an [`Error`].
//! - [`Paginate`] adds `.items()` and `.pages()` (streams over a whole list, one page fetched
//!   ahead) and `.paginate()` (start cursor, backward, page size, prefetch) to every list request.
//! - [`Error`] is the one error type: API errors keep the status, the Gigs error body, the
//!   request id and `Retry-After`, whatever the body looks like.
//!
//! Transient failures (connection failures, timeouts, 408, 429, 500, 502, 503, 504) are retried
//! up to 2 times, waiting 0.5 s, then 1 s (with jitter), or what `Retry-After` asks up to 60 s;
//! POST and DELETE only when they carry an idempotency key ([`GigsBuilder::idempotency_keys`],
//! [`RequestOptions::idempotency_key`]). Timeouts (30 s, 5 s to connect) are per attempt. See
//! [`RetryPolicy`] and [`GigsBuilder::retry_policy`]. Every attempt is a `tracing` span
//! `gigs.request`.
//!
//! The generated client is re-exported as [`client`], its types as [`types`].

#![warn(missing_docs)]

mod call;
mod config;
mod cursor_guard;
mod error;
mod gigs;
mod pagination;
mod token;

pub use crate::gigs::Gigs;
pub use call::Call;
pub use config::{
    GigsBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use error::{ApiError, ConfigError, DecodeError, Error};
pub use gigs_client as client;
pub use gigs_client::{types, RequestOptions, RetryPolicy};
pub use pagination::{Page, Pager, Pages, Paginate, MAX_PAGE_SIZE};
pub use token::ApiToken;
