//! The versions in the Cargo manifests and the lock file, edited in place with `toml_edit` so
//! comments and layout survive.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use semver::Version;
use toml_edit::{value, DocumentMut, Item, Value};

/// The crates a release versions, with their manifests relative to the workspace root. The
/// first is the one the release tag names; gigs-testing, the test kit for code that uses gigs,
/// takes gigs' version (its `FakeGigs::gigs()` is a `gigs::Gigs`).
pub const CRATES: [(&str, &str); 3] = [
    ("gigs-client", "crates/gigs-client/Cargo.toml"),
    ("gigs", "crates/gigs/Cargo.toml"),
    ("gigs-testing", "crates/gigs-testing/Cargo.toml"),
];

/// A TOML file of the workspace, read for editing.
pub struct TomlFile {
    /// Relative to the workspace root, as reports show it.
    pub path: &'static str,
    full_path: PathBuf,
    document: DocumentMut,
    original: String,
}

impl TomlFile {
    pub fn read(root: &Path, path: &'static str) -> anyhow::Result<Self> {
        let full_path = root.join(path);
        let original = std::fs::read_to_string(&full_path)
            .with_context(|| format!("cannot read {}", full_path.display()))?;
        Self::parse(path, full_path, original)
    }

    fn parse(path: &'static str, full_path: PathBuf, original: String) -> anyhow::Result<Self> {
        let document = original
            .parse::<DocumentMut>()
            .with_context(|| format!("{path} is not valid TOML"))?;
        Ok(Self {
            path,
            full_path,
            document,
            original,
        })
    }

    /// The text after the edits.
    pub fn text(&self) -> String {
        self.document.to_string()
    }

    pub fn changed(&self) -> bool {
        self.text() != self.original
    }

    pub fn write(&self) -> anyhow::Result<()> {
        std::fs::write(&self.full_path, self.text())
            .with_context(|| format!("cannot write {}", self.full_path.display()))
    }

    /// `package.version` of a crate manifest.
    pub fn package_version(&self) -> anyhow::Result<Version> {
        package_version(&self.document, self.path)
    }

    pub fn set_package_version(&mut self, version: &Version) -> anyhow::Result<()> {
        let package = self.document["package"]
            .as_table_like_mut()
            .with_context(|| format!("{}: no [package] table", self.path))?;
        match package.get_mut("version") {
            Some(item) if item.is_str() => {
                replace_keeping_comments(item, version);
                Ok(())
            }
            _ => bail!(
                "{}: package.version must be a literal version to be released",
                self.path
            ),
        }
    }

    /// Sets the `version` of the dependency on `name` wherever a table of dependencies gives
    /// one (`[workspace.dependencies]`, `[dependencies]`, `[dev-dependencies]`); a dependency
    /// that says `workspace = true` takes it from the workspace. Returns how many were set.
    pub fn set_dependency_version(&mut self, name: &str, version: &Version) -> usize {
        let mut set = 0;
        let tables: [&[&str]; 4] = [
            &["workspace", "dependencies"],
            &["dependencies"],
            &["dev-dependencies"],
            &["build-dependencies"],
        ];
        for keys in tables {
            let Some(item) = item_at(&mut self.document, keys) else {
                continue;
            };
            let Some(dependency) = item.get_mut(name).and_then(Item::as_table_like_mut) else {
                continue;
            };
            if let Some(item) = dependency.get_mut("version") {
                replace_keeping_comments(item, version);
                set += 1;
            }
        }
        set
    }

    /// Sets the version of the workspace's own package `name` in `Cargo.lock` (the entry
    /// without a `source`), so `--locked` builds accept the new version.
    pub fn set_locked_version(&mut self, name: &str, version: &Version) -> anyhow::Result<()> {
        let packages = self
            .document
            .get_mut("package")
            .and_then(Item::as_array_of_tables_mut)
            .with_context(|| format!("{}: no [[package]] entries", self.path))?;
        let entry = packages
            .iter_mut()
            .find(|entry| {
                entry.get("name").and_then(Item::as_str) == Some(name)
                    && !entry.contains_key("source")
            })
            .with_context(|| format!("{}: no entry for the workspace crate {name}", self.path))?;
        entry.insert("version", value(version.to_string()));
        Ok(())
    }
}

/// A new version string in place of `item`, with the comments and spacing around it, and its
/// `=` when it required that version exactly.
fn replace_keeping_comments(item: &mut Item, version: &Version) {
    let exact = item
        .as_str()
        .is_some_and(|old| old.trim_start().starts_with('='));
    let text = if exact {
        format!("={version}")
    } else {
        version.to_string()
    };
    let mut new = Value::from(text);
    if let Some(old) = item.as_value() {
        *new.decor_mut() = old.decor().clone();
    }
    *item = Item::Value(new);
}

fn item_at<'a>(document: &'a mut DocumentMut, keys: &[&str]) -> Option<&'a mut Item> {
    let (first, rest) = keys.split_first()?;
    let mut item = document.get_mut(first)?;
    for key in rest {
        item = item.get_mut(key)?;
    }
    Some(item)
}

/// `package.version` of a manifest's text, as committed at some ref or on disk.
pub fn version_in(text: &str, path: &str) -> anyhow::Result<Version> {
    let document = text
        .parse::<DocumentMut>()
        .with_context(|| format!("{path} is not valid TOML"))?;
    package_version(&document, path)
}

fn package_version(document: &DocumentMut, path: &str) -> anyhow::Result<Version> {
    let text = document
        .get("package")
        .and_then(|package| package.get("version"))
        .and_then(Item::as_str)
        .with_context(|| format!("{path}: no literal package.version"))?;
    Version::parse(text).with_context(|| format!("{path}: package.version `{text}` is not semver"))
}
