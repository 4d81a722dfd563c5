#![doc = include_str!("../README.md")]
//!
//! ## The crate at a glance
//!
//! - [`Gigs`] is the configured client of one project ([`Gigs::builder`], [`Gigs::from_env`],
//!   [`Gigs::project`] for another). Its resource groups (`devices()`, `sims()`,
//!   `subscriptions()`, `users()`, `plans()`) return the generated request builders with the
//!   project and the path's ids filled in: `gigs.devices().retrieve("dev_123")`.
//!   [`UnscopedGigs`] has no project: it reaches the operations that need none (the device
//!   models) and makes a [`Gigs`] per project. `examples/subscribe_flow.rs` walks from a new
//!   user through a plan, a device and a subscription to its cancellation.
//! - [`prelude`]: `use gigs::prelude::*;` brings the traits that add `.call()` and `.items()`,
//!   and the types most programs name.
//! - [`Call`] adds `.call()` and `.call_with(`[`RequestOptions`]`)` to every request builder:
//!   one request, its body or an [`Error`]; `.call_with_response()` gives the body in a
//!   [`Response`] with status, headers, request id and attempts.
//! - [`Gigs::request`] sends a raw request to any path, with the same token, retries and errors.
//! - [`Paginate`] adds `.items()` and `.pages()` (streams over a whole list, one page fetched
//!   ahead: an [`ItemStream`] and a [`PageStream`], named types that can be kept in a field)
//!   and `.paginate()` (start cursor, backward, page size, prefetch) to every list request.
//! - [`Error`] is the one error type: API errors keep the status, the Gigs error body, the
//!   request id and `Retry-After`, whatever the body looks like.
//! - Retries follow [`RetryPolicy`] (its defaults are listed there); POST and DELETE only with an
//!   idempotency key ([`GigsBuilder::idempotency_keys`], [`RequestOptions::idempotency_key`]).
//!   Timeouts ([`DEFAULT_TIMEOUT`], [`DEFAULT_CONNECT_TIMEOUT`]) are per attempt;
//!   [`GigsBuilder::deadline`] bounds a whole call.
//! - The generated client is re-exported as [`client`], its types as [`types`].

#![warn(missing_docs)]

mod api_error;
mod call;
mod config;
mod cursor_guard;
mod decode;
mod error;
mod gigs;
mod pagination;
mod raw;
mod redact;
mod response;
mod token;

pub use crate::gigs::{Gigs, UnscopedGigs};
pub use api_error::{ApiError, ApiErrorBuilder};
pub use call::Call;
pub use config::{
    GigsBuilder, NoProject, WithProject, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use error::{ConfigError, DecodeError, Error};
pub use gigs_client as client;
pub use gigs_client::{types, IdempotencyKey, Patch, RequestOptions, RetryPolicy};
pub use pagination::{ItemStream, Page, PageStream, Pager, Paginate, MAX_PAGE_SIZE};
pub use raw::{RawRequest, RAW_OPERATION};
pub use response::Response;
pub use token::ApiToken;

/// What most programs name: `use gigs::prelude::*;` brings the clients, the traits that add
/// `.call()` (and its variants) to every request and `.items()`/`.pages()`/`.paginate()` to every
/// list request, futures' [`TryStreamExt`](futures::TryStreamExt) for `.try_next()` and
/// `.try_collect()` on those streams (by its methods only), and the generated [`types`].
///
/// ```no_run
/// use gigs::prelude::*;
///
/// # async fn run() -> Result<(), gigs::Error> {
/// let gigs = Gigs::from_env()?;
/// let device = gigs.devices().retrieve("dev_123").call().await?;
/// let mut sims = gigs.sims().list().items();
/// while let Some(sim) = sims.try_next().await? {
///     println!("{} {}", sim.id, sim.status);
/// }
/// # let _ = device;
/// # Ok(()) }
/// ```
pub mod prelude {
    pub use crate::{
        types, Call, Error, Gigs, ItemStream, Page, PageStream, Paginate, Patch, RequestOptions,
        UnscopedGigs,
    };
    pub use futures::TryStreamExt as _;
}
