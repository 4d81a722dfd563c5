//! gigs-testing's typed `httpmock` extensions (`crates/gigs-testing/src/generated/httpmock.rs`).

use std::path::Path;

use anyhow::Context;
use progenitor::Generator;

use crate::client::{run_progenitor, settings};
use crate::normalize::Replacement;
use crate::GENERATED_HEADER as HEADER;

/// The crate the typed mocks refer to for the request and response types.
const HTTPMOCK_CLIENT_CRATE: &str = "gigs_client";

/// The typed `httpmock` extensions (progenitor's `Generator::httpmock`): one `MockServerExt`
/// method per operation, with `when` matchers and `then` responses typed by gigs-client. The
/// open enums and comma-separated filters are gigs-client's own types, so a matcher compares
/// their wire form (`Display`), exactly what the client sends.
pub fn generate(
    spec_path: &Path,
    openapi: &openapiv3::OpenAPI,
    replacements: &[Replacement],
) -> anyhow::Result<String> {
    let settings = settings(replacements, &format!("::{HTTPMOCK_CLIENT_CRATE}"));
    let tokens = run_progenitor(spec_path, "the typed mocks", || {
        Generator::new(&settings).httpmock(openapi, HTTPMOCK_CLIENT_CRATE)
    })?;
    let file: syn::File = syn::parse2(tokens).context("progenitor produced invalid Rust")?;
    Ok(format!("{HEADER}\n{}", prettyplease::unparse(&file)))
}
