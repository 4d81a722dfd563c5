//! The contract review of a change of `openapi.yaml`: what it does to clients on the wire and
//! to Rust code written against gigs-client.
//!
//! ```text
//! two SpecDocuments ─ load (3.1 and nullable forms read as one) ─▶ resolve/refuse (broken
//!   specs refused with file:line) ─▶ compare (paths, operations, parameters, bodies,
//!   responses; schemas through the containment engine) ─▶ findings ─▶ accept ─▶ report ─▶ render
//! ```
//!
//! The wire verdicts come from the rules and the containment engine alone. The Rust column
//! names what the generated API declares: [`spec_model::naming`] for names, and a
//! [`RustSurface`] that the caller gives for what the generator decides (codegen implements
//! it), plus the public API of the two committed clients when there are both
//! ([`load::GeneratedClients`]). Nothing here depends on the generator.
//!
//! ```no_run
//! use std::path::Path;
//! use contract_review::{build_report, load, render, Accepted, Format, Severity};
//!
//! # fn run(rust: &dyn contract_review::RustSurface) -> anyhow::Result<()> {
//! let base = load::Version::from_file(Path::new("old.yaml"), "old.yaml".into())?;
//! let head = load::Version::from_file(Path::new("openapi.yaml"), "openapi.yaml".into())?;
//! let today = chrono::Utc::now().date_naive();
//! let report = build_report(
//!     base, head, "openapi.yaml".into(), Accepted::None, today,
//!     load::GeneratedClients::None, rust,
//! )?;
//! print!("{}", render(&report, Format::Md, Some(Severity::Breaking)));
//! # Ok(()) }
//! ```

mod accept;
mod compare;
mod containment;
mod documentation;
mod findings;
mod generated_api;
mod lifecycle;
pub mod load;
mod openapi31;
mod patterns;
mod refuse;
mod render;
pub mod report;
mod resolve;
mod rules;
pub mod rules_reference;
mod rust_api;
mod schema;
#[cfg(test)]
mod vocabulary_tests;

use std::path::Path;

pub use render::{render, Format};
pub use rules::Severity;

/// What the generator decides about the Rust API that the spec alone does not say: the
/// Rust column of the review asks it, so that the wire verdicts never depend on the generator
/// and the generator's rules are written once (codegen implements this).
pub trait RustSurface {
    /// How the generated field of the property at `property` stands for it: `property` is
    /// where the property is written (`components.schemas.X.properties.p`, or inside an inline
    /// request body), not where its `$ref` leads, since whether its struct is a request type
    /// decides.
    fn field_form(
        &self,
        spec: &serde_json::Value,
        property: &spec_model::FieldPath,
        facts: spec_model::field_form::PropertyFacts,
    ) -> spec_model::field_form::FieldForm;
    /// Whether the generated type checks the constraint `keyword` (`pattern`, `maxLength`,
    /// `minimum`, ...) of `schema`, so that changing it changes the Rust type.
    fn checks_constraint(&self, keyword: &str, schema: &serde_json::Value) -> bool;
    /// Whether the generated builder takes the parameter (resolved) as `CommaSeparated<T>`
    /// rather than the Rust type of its schema (`Vec<T>`).
    fn comma_separated(&self, parameter: &serde_json::Value) -> bool;
}

/// The accepted-breaks file of a review.
#[derive(Clone, Copy, Debug)]
pub enum Accepted<'a> {
    /// None is read.
    None,
    /// Read when it exists (the workspace's default file).
    IfExists(&'a Path),
    /// Read, and an error when it does not exist (a file the user named).
    Required(&'a Path),
}

/// The report of `head` against `base`, without printing it. `head_file` is how the report
/// names the head's file; `today` is the date sunsets are compared with; `generated` the
/// committed clients' public APIs when there are both; `rust` what the generator decides.
pub fn build_report(
    base: load::Version,
    head: load::Version,
    head_file: String,
    accepted: Accepted,
    today: chrono::NaiveDate,
    generated: load::GeneratedClients,
    rust: &dyn RustSurface,
) -> anyhow::Result<report::Report> {
    for version in [&base, &head] {
        refuse::check(&version.document)?;
    }
    let mut findings = compare::compare(&base.document, &head.document, today, rust)?;
    let mut notes: Vec<String> = base.note.into_iter().collect();
    match generated {
        load::GeneratedClients::Both {
            base: old,
            head: new,
        } => {
            let changes = generated_api::compare(&old, &new);
            generated_api::add_findings(&mut findings, changes, &base.document, &head.document);
        }
        load::GeneratedClients::OneSide(note) => notes.push(note),
        load::GeneratedClients::None => {}
    }
    let entries = match accepted {
        Accepted::None => Vec::new(),
        Accepted::IfExists(path) => accept::load(path, false)?,
        Accepted::Required(path) => accept::load(path, true)?,
    };
    let unused_accepted_breaks = accept::apply(&mut findings, &entries);
    let description_changes =
        documentation::count_changes(&base.document.value, &head.document.value);
    Ok(report::build(
        report::Inputs {
            base: report::VersionLabel {
                label: base.label,
                commit: base.commit,
            },
            head: report::VersionLabel {
                label: head.label,
                commit: head.commit,
            },
            head_document: &head.document,
            head_file,
            description_changes,
            notes,
            unused_accepted_breaks,
        },
        findings,
    ))
}

/// `--rules`: one tab-separated line per rule. `wire from` says whether the wire severity is the
/// rule's (`rule`) or the containment engine's verdict on the schemas (`schemas`; the `wire`
/// column then shows the verdict such a change usually gets).
pub fn rule_table() -> String {
    let mut table = String::from("rule\twire\twire from\trust\tsummary\n");
    for rule in rules::ALL {
        table.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            rule.id,
            rule.wire,
            rule.wire_source(),
            rule.rust,
            rule.summary
        ));
    }
    table
}
