//! Reading the two versions of the spec: a file, or `openapi.yaml` as committed at a git ref
//! (read with `git show`, without touching the working tree).

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::git::Repository;
use crate::spec::SpecDocument;

/// One version of the spec and how the report names it.
pub struct Version {
    pub document: SpecDocument,
    pub label: String,
    pub commit: Option<String>,
    /// Said in the report when the version is unusual (no spec at the base ref).
    pub note: Option<String>,
}

pub fn from_file(path: &Path, label: String) -> anyhow::Result<Version> {
    Ok(Version {
        document: read_equivalent_forms(SpecDocument::load_for_review(path)?),
        label,
        commit: None,
        note: None,
    })
}

/// OpenAPI 3.1 forms and `x-extensible-enum` read as the 3.0 forms they mean
/// (`super::openapi31`), so that a migration is compared on instances. Then both ways of writing
/// a nullable reference (`nullable: true, allOf: [{$ref: X}]` and
/// `oneOf: [{$ref: X}, {nullable: true, enum: [null]}]`) mean the same and generate the same
/// field, so the comparison reads them alike (`crate::nullable`).
fn read_equivalent_forms(mut document: SpecDocument) -> SpecDocument {
    let openapi_31 = document.is_openapi_31();
    super::openapi31::read_as_openapi_30(&mut document.value, openapi_31);
    crate::nullable::read_nullable_refs(&mut document.value);
    document
}

/// The spec at `reference`, from the repository that holds `spec` in its working tree.
pub fn from_git(reference: &str, spec: &Path, label: &str) -> anyhow::Result<Version> {
    let directory = match spec.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = spec
        .file_name()
        .with_context(|| format!("{} is not a file path", spec.display()))?
        .to_string_lossy()
        .into_owned();
    let git = Repository::new(&directory);
    let commit = git.commit(reference)?.with_context(|| {
        format!(
            "unknown git ref `{reference}` in the repository of {}",
            spec.display()
        )
    })?;
    let short = git.short_commit(&commit)?;
    let file = format!("./{file_name}");
    let name = format!("{reference}:{label}");
    if !git.has_file(&commit, &file)? {
        return Ok(Version {
            document: SpecDocument::empty(Path::new(&name)),
            label: reference.to_owned(),
            commit: Some(short.clone()),
            note: Some(format!(
                "{label} does not exist at `{reference}` ({short}): every operation is new"
            )),
        });
    }
    let text = git
        .show(&commit, &file)?
        .with_context(|| format!("cannot read {label} at `{reference}`"))?;
    Ok(Version {
        document: read_equivalent_forms(SpecDocument::parse_for_review(Path::new(&name), text)?),
        label: reference.to_owned(),
        commit: Some(short),
        note: None,
    })
}
