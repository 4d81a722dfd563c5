//! The Rust API as built, compared with a baseline by `cargo-semver-checks`: it catches breaks
//! the spec diff cannot see (a progenitor or dependency upgrade, a hand-written change).
//!
//! Each break is named as a consumer upgrading needs it: the item (`gigs::Error::is_not_found`),
//! what happened to it ("method `Error::is_not_found` removed"), the lint that found it, and
//! where the item is in the source cargo-semver-checks reports.

use std::path::Path;
use std::process::Command;

use anyhow::bail;
use serde_json::{Map, Value};

/// The cargo-semver-checks version `.ci/run` installs and RELEASING.md asks for.
pub const PINNED_VERSION: &str = "0.51.0";

/// One break: an item a lint found, or a failed lint that named none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiBreak {
    pub krate: String,
    /// The lint id, such as `inherent_method_missing`.
    pub lint: String,
    /// The lint's own description, such as "pub method removed or renamed".
    pub description: String,
    /// The item the lint found; `None` when the report named no item.
    pub item: Option<BrokenItem>,
}

/// An item a lint found, read from the lint's output values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenItem {
    /// The full path, crate first: `gigs::Error::is_not_found`.
    pub path: String,
    /// `file:line` of the item as cargo-semver-checks reports it: in the baseline for an item
    /// that is gone, otherwise usually in the current source.
    pub location: Option<String>,
    /// cargo-semver-checks' one-line message for this item, without its location.
    pub message: String,
}

impl ApiBreak {
    /// What a consumer reads: "method `Error::is_not_found` removed" for a removed item, the
    /// lint's description and message otherwise.
    pub fn consumer_text(&self) -> String {
        let Some(item) = &self.item else {
            return format!("`{}` ({})", self.lint, self.description);
        };
        let short = item
            .path
            .split_once("::")
            .map_or(item.path.as_str(), |(_, rest)| rest);
        match removed_noun(&self.lint) {
            Some(noun) => format!("{noun} `{short}` removed"),
            None if item.message.is_empty() => format!("`{short}`: {}", self.description),
            None => format!("{}: {}", self.description, item.message),
        }
    }

    /// The details after the consumer text: item path, lint and location, where known.
    /// `baseline` names the release a removed item was in.
    pub fn details(&self, baseline: &str) -> String {
        let Some(item) = &self.item else {
            return String::new();
        };
        let mut parts = vec![format!("`{}`", item.path), format!("`{}`", self.lint)];
        if let Some(location) = &item.location {
            parts.push(if removed_noun(&self.lint).is_some() {
                format!("was at `{location}` in `{baseline}`")
            } else {
                format!("at `{location}`")
            });
        }
        parts.join(", ")
    }
}

/// The kind of item a removal lint is about (`inherent_method_missing` → "method"); `None` for
/// a lint that does not report a removal.
fn removed_noun(lint: &str) -> Option<&'static str> {
    let subject = lint.strip_suffix("_missing")?;
    Some(match subject {
        "inherent_method" => "method",
        "trait_method" => "trait method",
        "function" => "function",
        "struct" => "struct",
        "struct_pub_field" | "union_field" => "field",
        "enum" => "enum",
        "enum_variant" => "variant",
        "enum_struct_variant_field" | "enum_tuple_variant_field" => "variant field",
        "trait" => "trait",
        "union" => "union",
        "module" => "module",
        "pub_static" => "static",
        "pub_module_level_const" => "constant",
        "inherent_associated_pub_const" => "associated constant",
        "declarative_macro"
        | "attribute_proc_macro"
        | "derive_proc_macro"
        | "function_like_proc_macro" => "macro",
        "feature" => "feature",
        _ => "item",
    })
}

/// Runs `cargo semver-checks` for each crate against the workspace at `baseline` (a git rev),
/// asking whether the change fits a release that breaks nothing (`--release-type minor`: only
/// lints that require a major version fail). `-vv` makes it print each finding's output values
/// (item path, span) as JSON, which is what names the items. Returns the breaks.
pub fn check(root: &Path, crates: &[&str], baseline: &str) -> anyhow::Result<Vec<ApiBreak>> {
    let mut breaks = Vec::new();
    for krate in crates {
        let output = Command::new("cargo-semver-checks")
            .current_dir(root)
            .args(["semver-checks", "check-release", "--package", krate])
            .args(["--baseline-rev", baseline, "--release-type", "minor", "-vv"])
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
        let mut found = failures(krate, &stdout)?;
        for item in found
            .iter_mut()
            .filter_map(|api_break| api_break.item.as_mut())
        {
            if let Some(location) = &item.location {
                item.location = Some(repository_path(location, root));
            }
        }
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

/// Reads the failures of cargo-semver-checks' report: each `--- failure <lint>: <description>
/// ---` block, and under its `Failed in:` the one-line message of each finding, each followed
/// (with `-vv`) by `lint rule output values:` and a JSON object. A failure whose block names
/// no item is one break without an item. Warnings (`--- warning`) are not breaks.
///
/// # Errors
/// The output values of a finding are not a JSON object: the format changed, and a release
/// must not silently drop what broke.
fn failures(krate: &str, stdout: &str) -> anyhow::Result<Vec<ApiBreak>> {
    struct Block<'a> {
        lint: &'a str,
        description: &'a str,
        /// Each finding's message and output values.
        findings: Vec<(String, Option<Map<String, Value>>)>,
    }
    let mut blocks: Vec<Block> = Vec::new();
    // Whether the lines are in a failure's block (not a warning's), and under its "Failed in:".
    let mut in_failure = false;
    let mut in_findings = false;
    let mut lines = stdout.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if let Some(heading) = trimmed.strip_prefix("--- ") {
            in_findings = false;
            let failure = heading
                .strip_prefix("failure ")
                .and_then(|rest| rest.strip_suffix(" ---"))
                .and_then(|failure| failure.split_once(": "));
            in_failure = failure.is_some();
            if let Some((lint, description)) = failure {
                blocks.push(Block {
                    lint,
                    description,
                    findings: Vec::new(),
                });
            }
            continue;
        }
        let Some(block) = blocks.last_mut().filter(|_| in_failure) else {
            continue;
        };
        if trimmed == "Failed in:" {
            in_findings = true;
        } else if !in_findings || trimmed.is_empty() {
            continue;
        } else if trimmed == "lint rule output values:" || trimmed.starts_with('{') {
            // The JSON object follows (or starts on this line for a lint without a message
            // template); read up to the line that closes it.
            let mut json = if trimmed.starts_with('{') {
                format!("{trimmed}\n")
            } else {
                String::new()
            };
            let values = loop {
                if let Ok(Value::Object(values)) = serde_json::from_str::<Value>(&json) {
                    break values;
                }
                let Some(next) = lines.next() else {
                    bail!(
                        "cargo-semver-checks' output values for `{}` in {krate} are not a JSON object:\n{json}",
                        block.lint
                    );
                };
                json.push_str(next);
                json.push('\n');
            };
            match block.findings.last_mut() {
                Some((_, slot @ None)) => *slot = Some(values),
                _ => block.findings.push((String::new(), Some(values))),
            }
        } else if trimmed.starts_with("note:") {
            // A witness hint: example code, not a finding.
            in_findings = false;
        } else {
            block.findings.push((trimmed.to_owned(), None));
        }
    }
    Ok(blocks
        .into_iter()
        .flat_map(|block| {
            let api_break = |item| ApiBreak {
                krate: krate.to_owned(),
                lint: block.lint.to_owned(),
                description: block.description.to_owned(),
                item,
            };
            if block.findings.is_empty() {
                return vec![api_break(None)];
            }
            block
                .findings
                .into_iter()
                .map(|(message, values)| api_break(Some(broken_item(krate, &message, values))))
                .collect()
        })
        .collect())
}

/// The item of one finding: from its output values where there are some (the importable
/// `path` or the `name`, then the member: method, variant, field, associated item), from the
/// message otherwise.
fn broken_item(krate: &str, message: &str, values: Option<Map<String, Value>>) -> BrokenItem {
    let (message, message_location) = split_location(message);
    let Some(values) = values else {
        return BrokenItem {
            path: format!("{}::{}", krate.replace('-', "_"), leading_path(message)),
            location: message_location,
            message: message.to_owned(),
        };
    };
    let text = |key: &str| values.get(key).and_then(Value::as_str);
    let mut path = match values.get("path").and_then(Value::as_array) {
        Some(segments) => segments
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("::"),
        None => {
            let name = text("name").unwrap_or_default();
            format!("{}::{name}", krate.replace('-', "_"))
        }
    };
    for key in [
        "method_name",
        "method",
        "variant_name",
        "associated_constant",
        "associated_type",
    ] {
        if let Some(member) = text(key) {
            path.push_str("::");
            path.push_str(member);
        }
    }
    if let Some(field) = text("field_name") {
        path.push('.');
        path.push_str(field);
    }
    let line = values.get("span_begin_line").and_then(Value::as_u64);
    let location = match (text("span_filename"), line) {
        (Some(file), Some(line)) => Some(format!("{file}:{line}")),
        (Some(file), None) => Some(file.to_owned()),
        _ => message_location,
    };
    BrokenItem {
        path,
        location,
        message: message.to_owned(),
    }
}

/// A file as the repository names it. cargo-semver-checks reports absolute paths: below the
/// working tree for the current source, below `<target>/semver-checks/git-<name>/<commit>/`
/// for the baseline it checked out.
fn repository_path(file: &str, root: &Path) -> String {
    let path = Path::new(file);
    let roots = std::iter::once(root.to_path_buf()).chain(root.canonicalize().ok());
    if let Some(relative) = roots
        .filter(|root| root.is_absolute())
        .find_map(|root| path.strip_prefix(root).ok().map(Path::to_path_buf))
    {
        if !relative.starts_with("target") {
            return relative.display().to_string();
        }
    }
    if let Some((_, checkout)) = file.split_once("/semver-checks/") {
        let mut parts = checkout.splitn(3, '/');
        if let (Some(name), Some(_commit), Some(rest)) = (parts.next(), parts.next(), parts.next())
        {
            if name.starts_with("git-") {
                return rest.to_owned();
            }
        }
    }
    file.to_owned()
}

/// A message's text and its trailing location: cargo-semver-checks' messages end in
/// `in file F:L`, `in F:L` or `previously at F:L`, after an optional comma.
fn split_location(message: &str) -> (&str, Option<String>) {
    for marker in [
        " previously in file ",
        " in file ",
        " previously at ",
        " in ",
    ] {
        if let Some(start) = message.rfind(marker) {
            let location = &message[start + marker.len()..];
            let is_location = location.rsplit_once(':').is_some_and(|(file, line)| {
                !file.is_empty() && !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
            });
            if is_location {
                let text = message[..start].trim_end_matches(',');
                return (text, Some(location.to_owned()));
            }
        }
    }
    (message, None)
}

/// The item path a message starts with (`Error::is_not_found, ...` → `Error::is_not_found`),
/// skipping a leading kind word (`struct Foo` → `Foo`).
fn leading_path(message: &str) -> &str {
    let mut words = message.split_whitespace();
    let first = words.next().unwrap_or_default();
    let word = if first.contains("::") || first.ends_with(',') {
        first
    } else {
        words.next().unwrap_or(first)
    };
    word.trim_end_matches(',')
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

    /// A report as cargo-semver-checks 0.51 prints it with `-vv` (trimmed to what is read).
    const REPORT: &str = "
--- failure inherent_method_missing: pub method removed or renamed ---

Description:
A publicly-visible method or associated fn is no longer available under its prior name. It may have been renamed or removed entirely.
         ref: https://doc.rust-lang.org/cargo/reference/semver.html#item-remove
        impl: https://github.com/obi1kenobi/cargo-semver-checks/tree/v0.51.0/src/lints/inherent_method_missing.ron

Failed in:
  Error::is_not_found, previously in file src/error.rs:12
\tlint rule output values:
    {
      \"method_name\": \"is_not_found\",
      \"method_visibility\": \"public\",
      \"name\": \"Error\",
      \"path\": [
        \"gigs\",
        \"Error\"
      ],
      \"span_begin_line\": 12,
      \"span_end_line\": 14,
      \"span_filename\": \"src/error.rs\",
      \"visibility_limit\": \"public\"
    }
  Error::code, previously in file src/error.rs:20
\tlint rule output values:
    {
      \"method_name\": \"code\",
      \"name\": \"Error\",
      \"path\": [\"gigs\", \"Error\"],
      \"span_begin_line\": 20,
      \"span_filename\": \"src/error.rs\"
    }

--- failure enum_variant_added: enum variant added on exhaustive enum ---

Description:
A publicly-visible enum without #[non_exhaustive] has a new variant.

Failed in:
  variant Kind:Other in src/kind.rs:7

--- warning function_must_use_added: function #[must_use] added ---

Failed in:
  function gigs::f in file src/lib.rs:3
";

    #[test]
    fn names_each_item_of_each_failed_lint() {
        let found = failures("gigs", REPORT).unwrap();
        let texts: Vec<(String, String)> = found
            .iter()
            .map(|api_break| {
                (
                    api_break.consumer_text(),
                    api_break.details("gigs-client-v0.1.0"),
                )
            })
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "method `Error::is_not_found` removed".to_owned(),
                    "`gigs::Error::is_not_found`, `inherent_method_missing`, was at `src/error.rs:12` in `gigs-client-v0.1.0`".to_owned()
                ),
                (
                    "method `Error::code` removed".to_owned(),
                    "`gigs::Error::code`, `inherent_method_missing`, was at `src/error.rs:20` in `gigs-client-v0.1.0`".to_owned()
                ),
                // No output values (a run without -vv): the message names the item.
                (
                    "enum variant added on exhaustive enum: variant Kind:Other".to_owned(),
                    "`gigs::Kind:Other`, `enum_variant_added`, at `src/kind.rs:7`".to_owned()
                ),
            ]
        );
        assert!(
            failures("gigs", "    Checked [0.1s] 200 checks: 200 pass, 0 skip\n")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_failed_lint_without_items_is_one_break_and_broken_values_are_an_error() {
        let found = failures(
            "gigs-client",
            "\n--- failure struct_missing: pub struct removed or renamed ---\n\nDescription:\nA publicly-visible struct ...\n",
        )
        .unwrap();
        assert_eq!(
            found,
            [ApiBreak {
                krate: "gigs-client".into(),
                lint: "struct_missing".into(),
                description: "pub struct removed or renamed".into(),
                item: None,
            }]
        );
        assert_eq!(
            found[0].consumer_text(),
            "`struct_missing` (pub struct removed or renamed)"
        );
        assert_eq!(found[0].details("v1"), "");

        let cut = "--- failure struct_missing: pub struct removed or renamed ---\nFailed in:\n  struct gigs_client::S in file src/lib.rs:1\n\tlint rule output values:\n    {\n      \"name\": ";
        let error = failures("gigs-client", cut).unwrap_err().to_string();
        assert!(
            error.contains("`struct_missing` in gigs-client are not a JSON object"),
            "{error}"
        );
    }

    #[test]
    fn items_are_named_from_their_output_values() {
        let item = |values: Value| {
            let Value::Object(values) = values else {
                unreachable!()
            };
            broken_item("gigs-client", "", Some(values))
        };
        assert_eq!(
            item(
                serde_json::json!({"path": ["gigs_client", "types", "Sim"], "field_name": "iccid",
                                    "span_filename": "src/generated.rs", "span_begin_line": 40})
            )
            .path,
            "gigs_client::types::Sim.iccid"
        );
        assert_eq!(
            item(serde_json::json!({"name": "Status", "variant_name": "Active"})).path,
            "gigs_client::Status::Active"
        );
        assert_eq!(
            split_location("struct gigs::S became enum in file src/lib.rs:4"),
            (
                "struct gigs::S became enum",
                Some("src/lib.rs:4".to_owned())
            )
        );
        // As 0.51 words a method that gained a generic parameter.
        assert_eq!(
            split_location("hx::O::g takes 1 generic types instead of 0, in /tmp/h/src/lib.rs:7"),
            (
                "hx::O::g takes 1 generic types instead of 0",
                Some("/tmp/h/src/lib.rs:7".to_owned())
            )
        );
        assert_eq!(
            split_location("Foo::bar in a way"),
            ("Foo::bar in a way", None)
        );
        assert_eq!(removed_noun("enum_variant_missing"), Some("variant"));
        assert_eq!(removed_noun("enum_variant_added"), None);
    }

    #[test]
    fn locations_are_named_as_the_repository_names_them() {
        let root = Path::new("/work/repo");
        for (reported, expected) in [
            (
                "/work/repo/target/semver-checks/git-gigs_client_v0_1_0/106373d2f4c24d55f18a21be41c74cecc42cf12d/crates/gigs/src/error.rs:8",
                "crates/gigs/src/error.rs:8",
            ),
            (
                "/elsewhere/semver-checks/git-abc/0123/crates/gigs/src/lib.rs:3",
                "crates/gigs/src/lib.rs:3",
            ),
            ("/work/repo/crates/gigs/src/raw.rs:70", "crates/gigs/src/raw.rs:70"),
            ("src/lib.rs:1", "src/lib.rs:1"),
        ] {
            assert_eq!(repository_path(reported, root), expected, "{reported}");
        }
    }

    #[test]
    fn ci_and_the_release_guide_install_the_pinned_version() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        // `cargo install --locked`, other flags (CI builds it unoptimized), then the pin.
        let pin = format!("cargo-semver-checks --version {PINNED_VERSION}");
        for file in [".ci/run", "RELEASING.md"] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            assert!(
                text.lines().any(|line| {
                    let line = line.trim_start();
                    line.starts_with("cargo install --locked ") && line.contains(&pin)
                }),
                "{file} has no `cargo install --locked … {pin}` line"
            );
        }
    }
}
