//! The names of things on disk, each defined once: the spec, the accepted-breaks file, and where
//! every output of codegen goes (relative to the workspace root).

use std::path::{Path, PathBuf};

/// The API contract, at the workspace root.
pub const SPEC_FILE: &str = "openapi.yaml";

/// Contract breaks accepted on purpose, at the workspace root (see `cargo xtask diff`).
pub const ACCEPTED_BREAKS_FILE: &str = "openapi-accepted-breaks.yaml";

/// The generated client (progenitor's output and the extras).
pub const CLIENT: &str = "crates/gigs-client/src/generated.rs";

/// The tests' tables.
pub const TEST_TABLES: &str = "tests/src/generated.rs";

/// The command line's command tree and dispatch.
pub const CLI: &str = "crates/gigs-cli/src/generated.rs";

/// gigs-testing's typed `httpmock` extensions.
pub const HTTPMOCK: &str = "crates/gigs-testing/src/generated/httpmock.rs";

/// The fake's device model catalog (gigs-testing).
pub const CATALOG: &str = "crates/gigs-testing/src/generated/catalog.rs";

/// The fake's server trait, operation table and dispatch (gigs-testing).
pub const FAKE_SERVER: &str = "crates/gigs-testing/src/generated/server_trait.rs";

/// The fake's hand-written behaviour: the `impl GigsServer` whose methods `generate` looks for,
/// to report the operations the fake answers from the spec alone.
pub const FAKE_BEHAVIOUR: &str = "crates/gigs-testing/src/handlers/mod.rs";

/// The contract review's rules reference, written by `generate` from the rule table.
pub const RULES_REFERENCE: &str = "docs/contract-review-rules.md";

/// Where `output` goes, relative to the workspace root.
pub fn output_path(output: codegen::Output) -> &'static str {
    match output {
        codegen::Output::Client => CLIENT,
        codegen::Output::TestTables => TEST_TABLES,
        codegen::Output::Cli => CLI,
        codegen::Output::Httpmock => HTTPMOCK,
        codegen::Output::Catalog => CATALOG,
        codegen::Output::ServerTrait => FAKE_SERVER,
    }
}

/// The workspace root: the parent of the xtask crate.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_owned()
}
