//! The rooms of xtask and the doors between them: which workspace crate each tool crate may
//! depend on (normal, dev and build dependencies alike), and that only the review engine is
//! optimized in the dev profile. A new edge is a design decision: change the table below with
//! it, and ARCHITECTURE.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each tool crate, its directory, and the workspace crates it may use.
const ROOMS: &[(&str, &str, &[&str])] = &[
    ("spec-ref", "xtask/spec-ref", &[]),
    ("spec-model", "xtask/spec-model", &["spec-ref"]),
    ("codegen", "xtask/codegen", &["spec-model"]),
    ("contract-review", "xtask/contract-review", &["spec-model"]),
    (
        "xtask",
        "xtask",
        &["spec-model", "codegen", "contract-review"],
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn manifest(directory: &str) -> toml_edit::DocumentMut {
    let path = root().join(directory).join("Cargo.toml");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .parse()
        .unwrap()
}

/// The names of every package of the workspace.
fn workspace_packages() -> BTreeSet<String> {
    let workspace = manifest(".");
    workspace["workspace"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|member| {
            let member = member.as_str().unwrap();
            manifest(member)["package"]["name"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn each_tool_crate_depends_only_on_the_rooms_it_may() {
    let packages = workspace_packages();
    let mut found: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (name, directory, _) in ROOMS {
        let manifest = manifest(directory);
        assert_eq!(manifest["package"]["name"].as_str(), Some(*name));
        let used = found.entry(name).or_default();
        for table in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if let Some(dependencies) = manifest.get(table).and_then(|t| t.as_table_like()) {
                for (dependency, _) in dependencies.iter() {
                    if packages.contains(dependency) {
                        used.insert(dependency.to_owned());
                    }
                }
            }
        }
    }
    for (name, _, allowed) in ROOMS {
        let allowed: BTreeSet<String> = allowed.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            found[name], allowed,
            "{name} uses these workspace crates; the table allows {allowed:?}"
        );
    }
}

#[test]
fn only_the_review_engine_is_optimized_in_the_dev_profile() {
    let packages = workspace_packages();
    let workspace = manifest(".");
    let optimized: BTreeSet<&str> = workspace["profile"]["dev"]["package"]
        .as_table_like()
        .unwrap()
        .iter()
        .map(|(name, _)| name)
        .filter(|name| packages.contains(*name))
        .collect();
    assert_eq!(optimized, BTreeSet::from(["contract-review"]));
}
