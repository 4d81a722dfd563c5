//! The Rust API as built, compared with a baseline by `cargo-semver-checks`: it catches breaks
//! the spec diff cannot see (a progenitor or dependency upgrade, a hand-written change).

use std::path::Path;
use std::process::Command;

use anyhow::bail;

/// The cargo-semver-checks version `.ci/run` installs and RELEASING.md asks for.
pub const PINNED_VERSION: &str = "0.51.0";

/// One failed lint: the crate, the lint id and its description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiBreak {
    pub krate: String,
    pub lint: String,
    pub description: String,
}

/// Runs `cargo semver-checks` for each crate against the workspace at `baseline` (a git rev),
/// asking whether the change fits a release that breaks nothing (`--release-type minor`: only
/// lints that require a major version fail). Returns the failed lints.
pub fn check(root: &Path, crates: &[&str], baseline: &str) -> anyhow::Result<Vec<ApiBreak>> {
    let mut breaks = Vec::new();
    for krate in crates {
        let output = Command::new("cargo-semver-checks")
            .current_dir(root)
            .args(["semver-checks", "check-release", "--package", krate])
            .args(["--baseline-rev", baseline, "--release-type", "minor"])
            .arg("--manifest-path")
            .arg(root.join("Cargo.toml"))
            .env("CARGO_TERM_COLOR", "never")
            .output()
            .map_err(|error| {
                anyhow::anyhow!(
                    "cannot run cargo-semver-checks ({error}); install it with \
                     `cargo install --locked cargo-semver-checks --version {PINNED_VERSION}` \
                     or pass --no-semver-checks"
                )
            })?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let found = failures(krate, &stdout);
        if !output.status.success() && found.is_empty() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            bail!(
                "cargo-semver-checks could not compare {krate} with `{baseline}` ({}):\n{}{}",
                output.status,
                stdout,
                stderr.trim_end()
            );
        }
        if output.status.success() && !found.is_empty() {
            bail!("cargo-semver-checks succeeded for {krate} but printed failures:\n{stdout}");
        }
        breaks.extend(found);
    }
    Ok(breaks)
}

/// The `--- failure <lint>: <description> ---` lines of cargo-semver-checks' report.
fn failures(krate: &str, stdout: &str) -> Vec<ApiBreak> {
    stdout
        .lines()
        .filter_map(|line| {
            let inner = line
                .trim()
                .strip_prefix("--- failure ")?
                .strip_suffix(" ---")?;
            let (lint, description) = inner.split_once(": ")?;
            Some(ApiBreak {
                krate: (*krate).to_owned(),
                lint: lint.to_owned(),
                description: description.to_owned(),
            })
        })
        .collect()
}

/// The command a person runs to see the full report, with the items each lint found.
pub fn command_line(krate: &str, baseline: &str) -> String {
    format!(
        "cargo semver-checks check-release --package {krate} --baseline-rev {baseline} --release-type minor"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_failed_lints_of_a_report() {
        let stdout = "\n--- failure struct_missing: pub struct removed or renamed ---\n\n\
                      Description:\nA publicly-visible struct ...\n\
                      \n--- failure enum_variant_added: enum variant added on exhaustive enum ---\n";
        let found = failures("gigs-client", stdout);
        assert_eq!(
            found,
            [
                ApiBreak {
                    krate: "gigs-client".into(),
                    lint: "struct_missing".into(),
                    description: "pub struct removed or renamed".into(),
                },
                ApiBreak {
                    krate: "gigs-client".into(),
                    lint: "enum_variant_added".into(),
                    description: "enum variant added on exhaustive enum".into(),
                },
            ]
        );
        assert!(failures("gigs", "    Checked [0.1s] 200 checks: 200 pass, 0 skip\n").is_empty());
    }

    #[test]
    fn ci_and_the_release_guide_install_the_pinned_version() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let pin = format!("cargo install --locked cargo-semver-checks --version {PINNED_VERSION}");
        for file in [".ci/run", "RELEASING.md"] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            assert!(text.contains(&pin), "{file} does not say `{pin}`");
        }
    }
}
