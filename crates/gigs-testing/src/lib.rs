//! Test kit for code that uses `gigs`.

mod body;
mod catalog;
mod error;
mod fake;
mod faults;
mod handlers;
mod params;
mod routes;
mod seed;
mod server;
mod store;

pub use fake::{FakeError, FakeGigs, FakeGigsBuilder, FakeProject, DEFAULT_PROJECT, FAKE_TOKEN};
pub use faults::{Fault, ANY_OPERATION};
pub use seed::{ProjectSeed, Seed};
pub use server::ADMIN_PREFIX;

#[cfg(feature = "httpmock")]
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, rustdoc::all, missing_docs)]
pub mod httpmock;
