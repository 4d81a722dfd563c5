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

/// The committed generated clients of both sides, for comparing their public Rust API.
pub enum GeneratedClients {
    /// Parsed from the git ref and from the working tree.
    Both {
        base: super::generated_api::PublicApi,
        head: super::generated_api::PublicApi,
    },
    /// Only one side has it: said in the report, and only the spec is compared.
    OneSide(String),
    /// Neither side has one (or two files are compared).
    None,
}

/// `crates/gigs-client/src/generated.rs` at `reference` and in the working tree, beside `spec`
/// (the workspace root). The working tree's file is what `cargo xtask generate` last wrote.
pub fn generated_clients(reference: &str, spec: &Path) -> anyhow::Result<GeneratedClients> {
    let directory = match spec.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let git = Repository::new(&directory);
    let commit = git
        .commit(reference)?
        .with_context(|| format!("unknown git ref `{reference}`"))?;
    let relative = format!("./{}", crate::files::CLIENT);
    let base = if git.has_file(&commit, &relative)? {
        git.show(&commit, &relative)?
    } else {
        None
    };
    let head_path = directory.join(crate::files::CLIENT);
    let head = if head_path.exists() {
        Some(
            std::fs::read_to_string(&head_path)
                .with_context(|| format!("cannot read {}", head_path.display()))?,
        )
    } else {
        None
    };
    let parse = |text: &str, label: &str| {
        super::generated_api::read(text).map_err(|error| {
            anyhow::anyhow!("{label}: the generated client does not parse as Rust: {error}")
        })
    };
    Ok(match (base, head) {
        (Some(base), Some(head)) => GeneratedClients::Both {
            base: parse(&base, &format!("{reference}:{}", crate::files::CLIENT))?,
            head: parse(&head, crate::files::CLIENT)?,
        },
        (None, None) => GeneratedClients::None,
        (base, _) => {
            let (missing, present) = if base.is_none() {
                (format!("at `{reference}`"), "in the working tree")
            } else {
                ("in the working tree".to_owned(), "at the ref")
            };
            GeneratedClients::OneSide(format!(
                "{} does not exist {missing} (it does {present}): the Rust API is judged from the \
                 spec alone",
                crate::files::CLIENT
            ))
        }
    })
}
