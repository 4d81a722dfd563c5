//! Reading the two versions of the spec (a file, or a text such as `openapi.yaml` at a git ref)
//! and the public API of the committed generated clients.

use std::path::Path;

use spec_model::spec::SpecDocument;

pub use crate::generated_api::PublicApi;

/// One version of the spec and how the report names it.
pub struct Version {
    pub document: SpecDocument,
    pub label: String,
    pub commit: Option<String>,
    /// Said in the report when the version is unusual (no spec at the base ref).
    pub note: Option<String>,
}

fn from_file(path: &Path, label: String) -> anyhow::Result<Version> {
    Ok(Version {
        document: read_equivalent_forms(SpecDocument::load_for_review(path)?),
        label,
        commit: None,
        note: None,
    })
}

/// OpenAPI 3.1 forms and `x-extensible-enum` read as the 3.0 forms they mean
/// (`crate::openapi31`), so that a migration is compared on instances. Then both ways of writing
/// a nullable reference (`nullable: true, allOf: [{$ref: X}]` and
/// `oneOf: [{$ref: X}, {nullable: true, enum: [null]}]`) mean the same and generate the same
/// field, so the comparison reads them alike (`spec_model::nullable`).
fn read_equivalent_forms(mut document: SpecDocument) -> SpecDocument {
    let openapi_31 = document.is_openapi_31();
    crate::openapi31::read_as_openapi_30(&mut document.value, openapi_31);
    spec_model::nullable::read_nullable_refs(&mut document.value);
    document
}

impl Version {
    /// A spec file, named `label` in the report.
    pub fn from_file(path: &Path, label: String) -> anyhow::Result<Self> {
        from_file(path, label)
    }

    /// A spec's `text` (say, as committed at a git ref): `name` is the file name its problems
    /// are reported with, `label` and `commit` how the report names the version.
    pub fn from_text(
        name: &Path,
        text: String,
        label: String,
        commit: Option<String>,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            document: read_equivalent_forms(SpecDocument::parse_for_review(name, text)?),
            label,
            commit,
            note: None,
        })
    }

    /// A version without the spec file (every operation of the other is new); `note` says so
    /// in the report.
    pub fn missing(name: &Path, label: String, commit: Option<String>, note: String) -> Self {
        Self {
            document: SpecDocument::empty(name),
            label,
            commit,
            note: Some(note),
        }
    }
}

/// The committed generated clients of both sides, for comparing their public Rust API.
pub enum GeneratedClients {
    /// Parsed from the git ref and from the working tree.
    Both {
        base: crate::generated_api::PublicApi,
        head: crate::generated_api::PublicApi,
    },
    /// Only one side has it: said in the report, and only the spec is compared.
    OneSide(String),
    /// Neither side has one (or two files are compared).
    None,
}

/// The public Rust API of a generated client's source `text`; `label` names it in the error.
pub fn parse_generated(text: &str, label: &str) -> anyhow::Result<crate::generated_api::PublicApi> {
    crate::generated_api::read(text).map_err(|error| {
        anyhow::anyhow!("{label}: the generated client does not parse as Rust: {error}")
    })
}
