//! Client for the [Gigs Core API](https://developers.gigs.com): phone plans, SIMs and devices.
//!
//! Everything in [`types`], [`builder`] and [`Client`] is generated from the workspace's
//! `openapi.yaml` by `cargo xtask generate`; the rest of this crate is the small hand-written
//! runtime that the generated code needs.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use gigs_client::types::SubscriptionStatus;
//! use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};
//!
//! let mut token = HeaderValue::from_str(&format!("Bearer {}", std::env::var("GIGS_TOKEN")?))?;
//! token.set_sensitive(true);
//! let http = reqwest::Client::builder()
//!     .default_headers(HeaderMap::from_iter([(AUTHORIZATION, token)]))
//!     .build()?;
//! let client = gigs_client::Client::new_with_client(
//!     "https://api.gigs.com",
//!     http,
//!     gigs_client::Runtime::default(),
//! );
//!
//! let page = client
//!     .list_subscriptions()
//!     .project("gigs")
//!     .status(vec![SubscriptionStatus::Active])
//!     .limit(50)
//!     .send()
//!     .await?;
//! for subscription in &page.items {
//!     println!("{} {}", subscription.id, subscription.status);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Transient failures (connection errors, timeouts, 408, 429, 500, 502, 503, 504) are retried
//! according to the client's [`RetryPolicy`], set through its [`Runtime`]; one request can be
//! given its own settings (an idempotency key, no retries, a timeout) with [`with_options`].
//! Every attempt is a `tracing` span named `gigs.request`.
//!
//! String enums are open: a value added to the API after this crate was generated arrives as
//! `Unknown(String)` instead of failing the response (see [`types::SubscriptionStatus`]).

#![warn(missing_docs)]

mod hooks;
mod open_enum;
pub mod operation;
pub mod pagination;
mod project_client;
pub mod query;
pub mod retry;
mod runtime;

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, rustdoc::all, missing_docs)]
mod generated;

pub use generated::*;
pub use project_client::ProjectClient;
pub use retry::RetryPolicy;
pub use runtime::{
    with_options, CallReport, RequestOptions, Runtime, IDEMPOTENCY_KEY, MAX_IDEMPOTENCY_KEY_LEN,
};
