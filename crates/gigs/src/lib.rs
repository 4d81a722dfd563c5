#![doc = include_str!("../README.md")]
//!
//! ## The crate at a glance
//!
//! - [`Gigs`] is the configured client ([`Gigs::builder`], [`Gigs::from_env`]). Its resource
//!   groups (`devices()`, `sims()`, `subscriptions()`, `users()`, `plans()`) return the generated
//!   request builders with the default project filled in. `examples/subscribe_flow.rs` walks
//!   from a new user through a plan, a device and a subscription to its cancellation.
//! - [`Call`] adds `.call()` and `.call_with(`[`RequestOptions`]`)` to every request builder:
//!   one request, its body or an [`Error`]; `.call_with_response()` gives the body in a
//!   [`Response`] with status, headers, request id and attempts.
//! - [`Gigs::request`] sends a raw request to any path, with the same token, retries and errors.
//! - [`Paginate`] adds `.items()` and `.pages()` (streams over a whole list, one page fetched
//!   ahead) and `.paginate()` (start cursor, backward, page size, prefetch) to every list request.
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

pub use crate::gigs::Gigs;
pub use api_error::{ApiError, ApiErrorBuilder};
pub use call::Call;
pub use config::{
    GigsBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use error::{ConfigError, DecodeError, Error};
pub use gigs_client as client;
pub use gigs_client::{types, IdempotencyKey, Patch, RequestOptions, RetryPolicy};
pub use pagination::{Page, Pager, Pages, Paginate, MAX_PAGE_SIZE};
pub use raw::{RawRequest, RAW_OPERATION};
pub use response::Response;
pub use token::ApiToken;
