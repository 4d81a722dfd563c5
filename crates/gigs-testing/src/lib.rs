//! Test kit for code that uses `gigs`.

#[cfg(feature = "httpmock")]
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, rustdoc::all, missing_docs)]
pub mod httpmock;
