//! Everything `cargo xtask generate` writes into this crate from `openapi.yaml` (never edited
//! by hand; see `xtask/codegen`): the typed mocks, the device model catalog, and the fake's
//! server trait with its operation table and dispatch.

pub(crate) mod catalog;
#[cfg(feature = "httpmock")]
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, rustdoc::all, missing_docs)]
pub mod httpmock;
#[rustfmt::skip]
pub(crate) mod server_trait;
