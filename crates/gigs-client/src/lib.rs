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
//! let client = gigs_client::Client::new_with_client("https://api.gigs.com", http);
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
//! String enums are open: a value added to the API after this crate was generated arrives as
//! `Unknown(String)` instead of failing the response (see [`types::SubscriptionStatus`]).

#![warn(missing_docs)]

mod hooks;
mod open_enum;
pub mod pagination;
mod project_client;
pub mod query;

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, rustdoc::all, missing_docs)]
mod generated;

pub use generated::*;
pub use project_client::ProjectClient;
