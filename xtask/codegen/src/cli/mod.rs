//! The `gigs` command line's command tree and dispatch, generated from the spec
//! (`crates/gigs-cli/src/generated.rs`).
//!
//! progenitor's `Generator::cli` gives one flat command per operationId, path parameters as
//! required `--flags`, bodies only from `--json-body FILE`, and an `execute` that calls the
//! builders' `send()` (progenitor errors, no project default, no cursor pagination). The Gigs
//! command line wants commands grouped by resource with the API's verbs, positional ids, comma
//! filters and `--body FILE|-`, run through the `gigs` SDK; so the tree is generated here, from the
//! same normalized spec progenitor reads:
//!
//! - resource: the first literal path segment after an optional `/projects/{project}` scope,
//!   in kebab case (`/deviceModels/search` → `device-models`);
//! - verb: the literal segment after the last path parameter (`/sims/{sim}/credentials` →
//!   `credentials`), otherwise the first word of the operationId (`listSims` → `list`); the kebab
//!   operationId where two operations of a resource would get the same verb;
//! - path parameters other than `project` are positional, in path order; `project` comes from the
//!   global `--project`/`GIGS_PROJECT`;
//! - every query parameter is a flag (comma-separated arrays accept `a,b` and repeated flags);
//! - every top-level property of a JSON request body is a flag (objects and arrays of objects take
//!   JSON), beside `--body FILE|-` for the whole body.

mod model;
mod render;

use anyhow::Context;

use crate::GENERATED_HEADER as HEADER;
use spec_model::spec::Operation;

/// The generated source of `crates/gigs-cli/src/generated.rs`, with [`HEADER`]: the command
/// line's model of `operations` (resources, verbs, flags), rendered.
pub fn generate(spec: &serde_json::Value, operations: &[Operation]) -> anyhow::Result<String> {
    let resources = model::resources(spec, operations)?;
    let tokens = render::render(&resources);
    let file: syn::File =
        syn::parse2(tokens).context("the command line generator produced invalid Rust")?;
    Ok(format!("{HEADER}\n{}", prettyplease::unparse(&file)))
}
