//! `cargo xtask release` on temporary repositories: a release tag, a spec change, the client
//! regenerated, then the release, for a breaking, a review-only and a no-op change; the first
//! release; and cargo-semver-checks finding a break the spec diff does not explain.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::git;

const WORKSPACE_MANIFEST: &str = r#"[workspace]
resolver = "2"
members = ["crates/gigs-client", "crates/gigs", "crates/gigs-testing"]

[workspace.dependencies]
# The crates' own versions, kept in step by the release.
gigs-client = { path = "crates/gigs-client", version = "0.1.0" }
gigs = { path = "crates/gigs", version = "=0.1.0" }
gigs-testing = { path = "crates/gigs-testing", version = "0.1.0" }
serde = "1"
"#;

const CLIENT_MANIFEST: &str = r#"[package]
name = "gigs-client"
version = "0.1.0" # released by tag
edition = "2021"

[dependencies]
serde.workspace = true
"#;

const GIGS_MANIFEST: &str = r#"[package]
name = "gigs"
version = "0.1.0"
edition = "2021"

[dependencies]
gigs-client.workspace = true
"#;

const TESTING_MANIFEST: &str = r#"[package]
name = "gigs-testing"
version = "0.1.0"
edition = "2021"

[dependencies]
gigs.workspace = true
gigs-client.workspace = true
"#;

const LOCK: &str = r#"version = 4

[[package]]
name = "gigs"
version = "0.1.0"
dependencies = [
 "gigs-client",
]

[[package]]
name = "gigs-client"
version = "0.1.0"
dependencies = [
 "serde",
]

[[package]]
name = "gigs-testing"
version = "0.1.0"
dependencies = [
 "gigs",
 "gigs-client",
]

[[package]]
name = "serde"
version = "0.1.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

const CHANGELOG: &str = "# Changelog

Releases of gigs-client and gigs.

## Unreleased

## gigs-client 0.1.0, gigs 0.1.0 (2026-01-01)

First release.
";

fn workspace_spec() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml");
    std::fs::read_to_string(path).unwrap()
}

fn xtask(args: &[&str], path: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(args);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    command.output().unwrap()
}

/// `cargo xtask generate` into the temporary workspace, as after a spec edit.
fn regenerate(root: &Path) {
    let output = xtask(
        &[
            "generate",
            "--spec",
            root.join("openapi.yaml").to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

/// A workspace like this one at its first release: the real spec, the client generated from it,
/// both crates at 0.1.0, a changelog, and the tag `gigs-client-v0.1.0`.
fn released_repository() -> tempfile::TempDir {
    let dir = unreleased_repository();
    let root = dir.path();
    write(root, "CHANGELOG.md", CHANGELOG);
    git(root, &["add", "-A"]);
    git(root, &["commit", "--quiet", "-m", "release 0.1.0"]);
    git(root, &["tag", "gigs-client-v0.1.0"]);
    dir
}

/// Two commits, no tag: a README, then the workspace with the spec and the generated client.
fn unreleased_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "--quiet"]);
    write(root, "README.md", "fixture\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "--quiet", "-m", "before the spec"]);
    write(root, "Cargo.toml", WORKSPACE_MANIFEST);
    write(root, "Cargo.lock", LOCK);
    write(root, "crates/gigs-client/Cargo.toml", CLIENT_MANIFEST);
    write(root, "crates/gigs/Cargo.toml", GIGS_MANIFEST);
    write(root, "crates/gigs-testing/Cargo.toml", TESTING_MANIFEST);
    write(root, "crates/gigs-client/src/lib.rs", "mod generated;\n");
    write(root, "openapi.yaml", &workspace_spec());
    write(root, "openapi-accepted-breaks.yaml", "[]\n");
    regenerate(root);
    git(root, &["add", "-A"]);
    git(root, &["commit", "--quiet", "-m", "spec and client"]);
    dir
}

/// Edits the spec, regenerates the client and commits both.
fn change_spec(root: &Path, from: &str, to: &str, message: &str) {
    let spec = read(root, "openapi.yaml");
    assert_eq!(
        spec.matches(from).count(),
        1,
        "`{from}` must occur once in the spec"
    );
    write(root, "openapi.yaml", &spec.replacen(from, to, 1));
    regenerate(root);
    git(root, &["commit", "--quiet", "-am", message]);
}

fn release(root: &Path, extra: &[&str], path: Option<&str>) -> Output {
    let mut args = vec![
        "release",
        "--root",
        root.to_str().unwrap(),
        "--date",
        "2026-02-03",
    ];
    args.extend_from_slice(extra);
    xtask(&args, path)
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "release failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn versions(root: &Path) -> [String; 7] {
    let package = |path: &str| {
        let manifest: toml_edit::DocumentMut = read(root, path).parse().unwrap();
        manifest["package"]["version"].as_str().unwrap().to_owned()
    };
    let workspace: toml_edit::DocumentMut = read(root, "Cargo.toml").parse().unwrap();
    let lock: toml_edit::DocumentMut = read(root, "Cargo.lock").parse().unwrap();
    let locked = |name: &str| {
        lock["package"]
            .as_array_of_tables()
            .unwrap()
            .iter()
            .find(|entry| entry["name"].as_str() == Some(name))
            .unwrap()["version"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    [
        package("crates/gigs-client/Cargo.toml"),
        package("crates/gigs/Cargo.toml"),
        workspace["workspace"]["dependencies"]["gigs-client"]["version"]
            .as_str()
            .unwrap()
            .to_owned(),
        locked("gigs-client"),
        locked("gigs"),
        package("crates/gigs-testing/Cargo.toml"),
        locked("gigs-testing"),
    ]
}

/// A section of the changelog: from its heading to the next heading of the same or a higher
/// level.
fn section<'a>(changelog: &'a str, heading: &str) -> &'a str {
    let start = changelog
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}` in:\n{changelog}"));
    let level = heading.chars().take_while(|c| *c == '#').count();
    let mut end = start + heading.len();
    for line in changelog[end..].split_inclusive('\n') {
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if hashes > 0 && hashes <= level && line[hashes..].starts_with(' ') {
            break;
        }
        end += line.len();
    }
    &changelog[start..end]
}

#[test]
fn a_breaking_change_raises_the_minor_version_and_lists_the_break_per_operation() {
    let repository = released_repository();
    let root = repository.path();
    write(
        root,
        "openapi-accepted-breaks.yaml",
        "- rule: operation-id-changed\n  pointer: /paths/~1projects~1{project}~1devices~1{device}/get/operationId\n  reason: named like the other get operations\n",
    );
    change_spec(
        root,
        "operationId: retrieveDevice\n",
        "operationId: getDevice\n",
        "rename retrieveDevice",
    );
    let generated = read(root, "crates/gigs-client/src/generated.rs");
    assert!(
        generated.contains("pub fn get_device(") && !generated.contains("pub fn retrieve_device(")
    );

    // The dry run prints the plan and writes nothing.
    let dry = stdout(&release(root, &["--no-semver-checks"], None));
    assert!(dry.contains("gigs-client 0.1.0 → 0.2.0, gigs 0.1.0 → 0.2.0: minor (breaking; 0.x rules: a break raises the minor version)"), "{dry}");
    assert!(dry.contains("would write (dry run; --write applies) crates/gigs-client/Cargo.toml, crates/gigs/Cargo.toml, crates/gigs-testing/Cargo.toml, Cargo.toml, Cargo.lock, CHANGELOG.md"), "{dry}");
    assert!(
        dry.contains("API check: skipped (--no-semver-checks)"),
        "{dry}"
    );
    assert_eq!(
        git(root, &["status", "--porcelain"]),
        "",
        "the dry run wrote files"
    );

    let written = stdout(&release(root, &["--write", "--no-semver-checks"], None));
    assert_eq!(
        versions(root),
        ["0.2.0", "0.2.0", "0.2.0", "0.2.0", "0.2.0", "0.2.0", "0.2.0"]
    );
    // Comments and layout of the manifests are kept, and so is an exact requirement.
    assert!(read(root, "crates/gigs-client/Cargo.toml")
        .contains("version = \"0.2.0\" # released by tag"));
    assert!(read(root, "Cargo.toml")
        .contains("gigs = { path = \"crates/gigs\", version = \"=0.2.0\" }"));
    assert!(
        written.contains("tag to create once the release is committed: gigs-client-v0.2.0"),
        "{written}"
    );
    assert_eq!(
        git(root, &["tag", "--list"]),
        "gigs-client-v0.1.0",
        "the release created a tag"
    );

    let changelog = read(root, "CHANGELOG.md");
    assert!(changelog.starts_with("# Changelog\n\nReleases of gigs-client and gigs.\n\n## Unreleased\n\n## gigs-client 0.2.0, gigs 0.2.0 (2026-02-03)\n"), "{changelog}");
    let released = section(&changelog, "## gigs-client 0.2.0, gigs 0.2.0 (2026-02-03)");
    assert!(
        released.contains("The spec compared with `gigs-client-v0.1.0`"),
        "{released}"
    );
    assert!(released.contains(
        "### Breaking\n\n- `GET /projects/{project}/devices/{device}`\n  - method `Client::retrieve_device` (`ProjectClient::devices().retrieve(device)`) → `Client::get_device` (`ProjectClient::devices().get(device)`) (`operation-id-changed`"
    ), "{released}");
    assert!(
        released.contains("retrieveDevice → getDevice; wire: info, accepted)"),
        "{released}"
    );
    assert!(released.contains("### Accepted breaks\n\n- `operation-id-changed` at `/paths/~1projects~1{project}~1devices~1{device}/get/operationId` (`GET /projects/{project}/devices/{device}`): named like the other get operations"), "{released}");
    assert!(!released.contains("### Needs review"), "{released}");
    // The previous release stays below.
    assert!(
        changelog.ends_with("## gigs-client 0.1.0, gigs 0.1.0 (2026-01-01)\n\nFirst release.\n")
    );

    // Running it again changes nothing and names the same tag.
    let again = stdout(&release(root, &["--write", "--no-semver-checks"], None));
    assert!(again.contains("already prepared"), "{again}");
    assert!(again.contains("gigs-client-v0.2.0"), "{again}");
    assert_eq!(read(root, "CHANGELOG.md"), changelog);
}

#[test]
fn a_review_only_change_raises_the_patch_version_and_takes_in_the_unreleased_notes() {
    let repository = released_repository();
    let root = repository.path();
    let changelog = read(root, "CHANGELOG.md").replace(
        "## Unreleased\n",
        "## Unreleased\n\n- Hand-written: retries now log the attempt number.\n",
    );
    write(root, "CHANGELOG.md", &changelog);
    change_spec(
        root,
        "        - active\n        - ended\n    SubscriptionCancellationDetails:",
        "        - active\n        - ended\n        - suspended\n    SubscriptionCancellationDetails:",
        "subscriptions can be suspended",
    );

    let output = stdout(&release(root, &["--write", "--no-semver-checks"], None));
    assert!(output.contains("gigs-client 0.1.0 → 0.1.1, gigs 0.1.0 → 0.1.1: patch (the Rust API changes without breaking; 0.x rules: anything but a break raises the patch version)"), "{output}");
    assert!(
        output.contains("tag to create once the release is committed: gigs-client-v0.1.1"),
        "{output}"
    );
    assert_eq!(
        versions(root),
        ["0.1.1", "0.1.1", "0.1.1", "0.1.1", "0.1.1", "0.1.1", "0.1.1"]
    );

    let changelog = read(root, "CHANGELOG.md");
    // The notes moved from Unreleased, which stays on top and empty, into the release.
    assert!(
        changelog.contains("## Unreleased\n\n## gigs-client 0.1.1, gigs 0.1.1 (2026-02-03)\n"),
        "{changelog}"
    );
    let released = section(&changelog, "## gigs-client 0.1.1, gigs 0.1.1 (2026-02-03)");
    assert!(
        released.contains("- Hand-written: retries now log the attempt number.\n"),
        "{released}"
    );
    assert_eq!(changelog.matches("retries now log").count(), 1);
    assert!(!released.contains("### Breaking"), "{released}");
    let review = section(released, "### Needs review");
    // The enum is shared: the change is listed once, under every operation it reaches.
    let operations = review
        .lines()
        .find(|line| line.starts_with("- "))
        .unwrap_or_else(|| panic!("no operation line in:\n{review}"));
    for operation in [
        "`GET /projects/{project}/subscriptions`",
        "`GET /projects/{project}/subscriptions/{subscription}`",
        "`POST /projects/{project}/subscriptions`",
    ] {
        assert!(operations.contains(operation), "{operation} in:\n{review}");
    }
    assert_eq!(
        review
            .matches("new variant `SubscriptionStatus::Suspended`")
            .count(),
        1,
        "{review}"
    );
    assert!(review.contains("(`response-enum-value-added` at `/components/schemas/SubscriptionStatus/enum`: — → suspended; wire: review)"), "{review}");
}

#[test]
fn a_change_without_contract_effect_releases_nothing() {
    let repository = released_repository();
    let root = repository.path();
    // Reformatting the spec and committing other files: no finding, no description change.
    write(root, "README.md", "fixture, edited\n");
    let spec = read(root, "openapi.yaml");
    write(root, "openapi.yaml", &format!("# A comment only.\n{spec}"));
    regenerate(root);
    git(root, &["commit", "--quiet", "-am", "comment"]);
    let before = git(root, &["rev-parse", "HEAD"]);

    let output = stdout(&release(root, &["--write", "--no-semver-checks"], None));
    assert!(
        output.contains(
            "spec diff: 0 breaking, 0 needs review, 0 non-breaking; 0 description changes"
        ),
        "{output}"
    );
    assert!(
        output.contains("nothing to release since gigs-client-v0.1.0"),
        "{output}"
    );
    assert!(!output.contains("tag to create"), "{output}");
    assert_eq!(
        versions(root),
        ["0.1.0", "0.1.0", "0.1.0", "0.1.0", "0.1.0", "0.1.0", "0.1.0"]
    );
    assert_eq!(read(root, "CHANGELOG.md"), CHANGELOG);
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    assert_eq!(git(root, &["rev-parse", "HEAD"]), before);
}

#[test]
fn without_a_tag_the_first_release_keeps_the_manifest_versions() {
    let repository = unreleased_repository();
    let root = repository.path();
    let first_spec_commit = git(root, &["rev-parse", "--short", "HEAD"]);
    change_spec(
        root,
        "operationId: retrieveDevice\n",
        "operationId: getDevice\n",
        "rename retrieveDevice",
    );

    let output = stdout(&release(root, &["--write", "--no-semver-checks"], None));
    assert!(
        output.contains(&format!(
            "base: {first_spec_commit}, the first commit with openapi.yaml"
        )),
        "{output}"
    );
    assert!(
        output.contains("versions: gigs-client 0.1.0, gigs 0.1.0: first release"),
        "{output}"
    );
    assert!(
        output.contains("tag to create once the release is committed: gigs-client-v0.1.0"),
        "{output}"
    );
    assert_eq!(
        versions(root),
        ["0.1.0", "0.1.0", "0.1.0", "0.1.0", "0.1.0", "0.1.0", "0.1.0"]
    );
    let changelog = read(root, "CHANGELOG.md");
    assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
    assert!(
        changelog.contains(
            "## Unreleased\n\n## gigs-client 0.1.0, gigs 0.1.0 (2026-02-03)\n\nFirst release."
        ),
        "{changelog}"
    );
    assert!(
        changelog.contains("method `Client::retrieve_device` (`ProjectClient::devices().retrieve(device)`) → `Client::get_device` (`ProjectClient::devices().get(device)`)"),
        "{changelog}"
    );
}

/// A `cargo-semver-checks` on PATH that records its arguments and prints `report` (exit 1 when
/// it holds a failure, as the real tool does).
fn fake_semver_checks(dir: &Path, report: &str, status: i32) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("cargo-semver-checks");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\ncat <<'REPORT'\n{report}\nREPORT\nexit {status}\n",
            dir.join("calls").display()
        ),
    )
    .unwrap();
    let mut permissions = std::fs::metadata(&script).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&script, permissions).unwrap();
    let path: Vec<PathBuf> = std::iter::once(bin)
        .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap()))
        .collect();
    std::env::join_paths(path).unwrap().into_string().unwrap()
}

/// Before the first release nobody builds against the crates: the API check does not run
/// cargo-semver-checks (here one that would report a break) and says why.
#[test]
fn without_a_tag_no_api_is_compared_and_cargo_semver_checks_is_not_run() {
    let repository = unreleased_repository();
    let root = repository.path();
    let tools = tempfile::tempdir().unwrap();
    let path = fake_semver_checks(
        tools.path(),
        "--- failure inherent_method_missing: pub method removed or renamed ---",
        1,
    );

    let output = stdout(&release(root, &[], Some(&path)));
    assert!(
        output.contains(
            "API check: not run: nothing was released yet, so no published Rust API can break"
        ),
        "{output}"
    );
    assert!(
        output.contains("versions: gigs-client 0.1.0, gigs 0.1.0: first release"),
        "{output}"
    );
    assert!(
        !tools.path().join("calls").exists(),
        "cargo-semver-checks ran before the first release"
    );
}

#[test]
fn a_rust_break_the_spec_does_not_explain_takes_the_breaking_step() {
    let repository = released_repository();
    let root = repository.path();
    change_spec(
        root,
        "        - active\n        - ended\n    SubscriptionCancellationDetails:",
        "        - active\n        - ended\n        - suspended\n    SubscriptionCancellationDetails:",
        "subscriptions can be suspended",
    );
    let tools = tempfile::tempdir().unwrap();
    // As cargo-semver-checks 0.51 prints a removed method with `-vv`; the real tool is run by
    // `a_removed_public_method_is_named_in_the_changelog` below.
    let path = fake_semver_checks(
        tools.path(),
        "\n--- failure inherent_method_missing: pub method removed or renamed ---\n\nDescription:\nA publicly-visible method is no longer available.\n\nFailed in:\n  Error::is_not_found, previously in file src/error.rs:12\n\tlint rule output values:\n    {\n      \"method_name\": \"is_not_found\",\n      \"name\": \"Error\",\n      \"path\": [\n        \"gigs\",\n        \"Error\"\n      ],\n      \"span_begin_line\": 12,\n      \"span_filename\": \"src/error.rs\"\n    }\n",
        1,
    );

    let output = stdout(&release(root, &["--write"], Some(&path)));
    assert!(
        output.contains(
            "API check: cargo-semver-checks against `gigs-client-v0.1.0` found 3 breaks:"
        ),
        "{output}"
    );
    assert!(
        output.contains("the spec diff reports no Rust break"),
        "{output}"
    );
    assert!(
        output.contains("gigs-client 0.1.0 → 0.2.0, gigs 0.1.0 → 0.2.0: minor (breaking;"),
        "{output}"
    );
    assert_eq!(
        versions(root),
        ["0.2.0", "0.2.0", "0.2.0", "0.2.0", "0.2.0", "0.2.0", "0.2.0"]
    );
    // The dry run's lines and the changelog's name the same item.
    assert!(
        output.contains("\n  gigs: method `Error::is_not_found` removed (`gigs::Error::is_not_found`, `inherent_method_missing`, was at `src/error.rs:12` in `gigs-client-v0.1.0`)\n"),
        "{output}"
    );
    let calls = std::fs::read_to_string(tools.path().join("calls")).unwrap();
    for krate in ["gigs-client", "gigs", "gigs-testing"] {
        assert!(calls.contains(&format!("semver-checks check-release --package {krate} --baseline-rev gigs-client-v0.1.0 --release-type minor -vv")), "{calls}");
    }
    let changelog = read(root, "CHANGELOG.md");
    let breaking = section(&changelog, "### Breaking");
    assert!(breaking.contains("- Rust API breaks found by cargo-semver-checks that the spec does not explain\n  - `gigs-client`: method `Error::is_not_found` removed (`gigs::Error::is_not_found`, `inherent_method_missing`, was at `src/error.rs:12` in `gigs-client-v0.1.0`)\n  - `gigs`: method `Error::is_not_found` removed"), "{breaking}");

    // A run that fails without reporting lints (a baseline that does not build) stops the release.
    let broken = tempfile::tempdir().unwrap();
    let path = fake_semver_checks(broken.path(), "error: could not build the baseline", 1);
    git(root, &["checkout", "--quiet", "--", "."]);
    let output = release(root, &[], Some(&path));
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "cargo-semver-checks could not compare gigs-client with `gigs-client-v0.1.0`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("could not build the baseline"), "{stderr}");
}

/// Whether the real cargo-semver-checks runs: it is on PATH, or `GIGS_SEMVER_CHECKS_TESTS=1`
/// (set by `.ci/run`, which installs it first) makes its absence a failure.
fn real_semver_checks() -> bool {
    let installed = Command::new("cargo-semver-checks")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    let required =
        std::env::var("GIGS_SEMVER_CHECKS_TESTS").is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(
        installed || !required,
        "GIGS_SEMVER_CHECKS_TESTS is set but cargo-semver-checks is not on PATH: \
         cargo install --locked cargo-semver-checks --version 0.51.0"
    );
    if !installed {
        eprintln!(
            "NOTE: cargo-semver-checks is not on PATH: the release test with the real tool did not \
             run (GIGS_SEMVER_CHECKS_TESTS=1 makes this a failure, as in CI)"
        );
    }
    installed
}

#[test]
fn a_removed_public_method_is_named_in_the_changelog() {
    if !real_semver_checks() {
        return;
    }
    // A released workspace of two small crates with no dependencies (builds offline).
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "--quiet"]);
    write(
        root,
        "Cargo.toml",
        "[workspace]\nresolver = \"2\"\nmembers = [\"crates/gigs-client\", \"crates/gigs\", \"crates/gigs-testing\"]\n\n\
         [workspace.dependencies]\ngigs-client = { path = \"crates/gigs-client\", version = \"0.1.0\" }\n\
         gigs = { path = \"crates/gigs\", version = \"0.1.0\" }\n",
    );
    write(
        root,
        "crates/gigs-testing/Cargo.toml",
        "[package]\nname = \"gigs-testing\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ngigs.workspace = true\n",
    );
    write(
        root,
        "crates/gigs-testing/src/lib.rs",
        "//! Test kit.\n\npub use gigs::Error;\n",
    );
    write(
        root,
        "crates/gigs-client/Cargo.toml",
        "[package]\nname = \"gigs-client\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(
        root,
        "crates/gigs-client/src/lib.rs",
        "//! Client.\n\n/// Sends nothing.\npub fn ping() {}\n",
    );
    write(
        root,
        "crates/gigs/Cargo.toml",
        "[package]\nname = \"gigs\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ngigs-client.workspace = true\n",
    );
    let error_rs = "//! Errors.\n\n/// An error.\npub struct Error;\n\nimpl Error {\n    /// Whether the API answered 404.\n    pub fn is_not_found(&self) -> bool {\n        false\n    }\n\n    /// The error code.\n    pub fn code(&self) -> Option<&str> {\n        None\n    }\n}\n";
    write(
        root,
        "crates/gigs/src/lib.rs",
        "//! SDK.\n\nmod error;\npub use error::Error;\n",
    );
    write(root, "crates/gigs/src/error.rs", error_rs);
    write(root, "openapi.yaml", &workspace_spec());
    write(root, "CHANGELOG.md", CHANGELOG);
    write(root, ".gitignore", "/target\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "--quiet", "-m", "release 0.1.0"]);
    git(root, &["tag", "gigs-client-v0.1.0"]);

    // `gigs::Error::is_not_found` goes; the spec does not change.
    write(
        root,
        "crates/gigs/src/error.rs",
        &error_rs.replace(
            "    /// Whether the API answered 404.\n    pub fn is_not_found(&self) -> bool {\n        false\n    }\n\n",
            "",
        ),
    );
    git(
        root,
        &["commit", "--quiet", "-am", "remove Error::is_not_found"],
    );

    let run = |extra: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .args([
                "release",
                "--root",
                root.to_str().unwrap(),
                "--date",
                "2026-02-03",
            ])
            .args(extra)
            // Its own target directory: the test's cargo holds the lock on the outer one.
            .env("CARGO_TARGET_DIR", root.join("target"));
        stdout(&command.output().unwrap())
    };
    let expected = "method `Error::is_not_found` removed (`gigs::Error::is_not_found`, `inherent_method_missing`, was at `crates/gigs/src/error.rs:8` in `gigs-client-v0.1.0`)";

    let dry = run(&[]);
    assert!(dry.contains(&format!("\n  gigs: {expected}\n")), "{dry}");
    assert!(
        dry.contains("gigs-client 0.1.0 → 0.2.0, gigs 0.1.0 → 0.2.0: minor (breaking;"),
        "{dry}"
    );

    run(&["--write"]);
    let changelog = read(root, "CHANGELOG.md");
    let breaking = section(&changelog, "### Breaking");
    assert_eq!(
        breaking.trim_end(),
        format!(
            "### Breaking\n\n- Rust API breaks found by cargo-semver-checks that the spec does not explain\n  - `gigs`: {expected}"
        )
    );
}

/// The release's `--date` is the date sunsets are compared with: an operation removed after
/// the release tag had deprecated it with an `x-sunset` is a break either way, listed with its
/// lifecycle, and announced only when the release is dated on or after the sunset.
#[test]
fn the_release_date_decides_whether_a_removal_was_announced() {
    let repository = unreleased_repository();
    let root = repository.path();
    change_spec(
        root,
        "      operationId: retrieveSimCredentials\n",
        "      operationId: retrieveSimCredentials\n      deprecated: true\n      x-sunset: '2026-03-01'\n",
        "deprecate retrieveSimCredentials",
    );
    write(root, "CHANGELOG.md", CHANGELOG);
    git(root, &["add", "-A"]);
    git(root, &["commit", "--quiet", "-m", "release 0.1.0"]);
    git(root, &["tag", "gigs-client-v0.1.0"]);
    let spec = read(root, "openapi.yaml");
    let start = spec
        .find("  /projects/{project}/sims/{sim}/credentials:\n")
        .unwrap();
    let end = start + 2 + spec[start + 2..].find("\n  /").unwrap() + 1;
    write(
        root,
        "openapi.yaml",
        &format!("{}{}", &spec[..start], &spec[end..]),
    );
    regenerate(root);
    git(
        root,
        &["commit", "--quiet", "-am", "remove retrieveSimCredentials"],
    );

    let dated = |date: &str| {
        let output = xtask(
            &[
                "release",
                "--root",
                root.to_str().unwrap(),
                "--date",
                date,
                "--no-semver-checks",
            ],
            None,
        );
        stdout(&output)
    };
    let line = "`operation-removed` at `/paths/~1projects~1{project}~1sims~1{sim}~1credentials/get`: GET /projects/{project}/sims/{sim}/credentials → — [deprecated, sunset 2026-03-01";
    let before = dated("2026-02-28");
    assert!(
        before.contains(&format!("{line} (not reached)]; wire: breaking)")),
        "{before}"
    );
    assert!(before.contains("(2026-02-28)"), "{before}");
    let after = dated("2026-03-01");
    assert!(
        after.contains(&format!("{line} (passed): announced]; wire: breaking)")),
        "{after}"
    );
    let refused = xtask(
        &[
            "release",
            "--root",
            root.to_str().unwrap(),
            "--date",
            "March",
        ],
        None,
    );
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("`March` is not a date (YYYY-MM-DD)"));
}

/// This workspace's sources (no `target`, `.git` or Node modules) in `to`.
fn copy_workspace(to: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if matches!(name.to_str(), Some("target" | ".git" | "node_modules")) {
                continue;
            }
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                copy(&entry.path(), &to.join(&name));
            } else if kind.is_symlink() {
                std::os::unix::fs::symlink(
                    std::fs::read_link(entry.path()).unwrap(),
                    to.join(&name),
                )
                .unwrap();
            } else if kind.is_file() {
                std::fs::copy(entry.path(), to.join(&name)).unwrap();
            }
        }
    }
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."), to);
}

/// The real crates released, then the API grows by a response property and an enum value:
/// cargo-semver-checks finds no break in gigs-client, gigs or gigs-testing (their response
/// types are `#[non_exhaustive]`, their enums open), so the release takes the step of a
/// change that breaks nothing. A response field removed still takes the breaking step.
#[test]
fn with_the_real_crates_a_grown_response_breaks_nothing_and_a_removed_field_breaks() {
    if !real_semver_checks() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_workspace(root);
    git(root, &["init", "--quiet"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "--quiet", "-m", "release 0.1.0"]);
    git(root, &["tag", "gigs-client-v0.1.0"]);
    // One target directory across runs (the builds are large); the test's own cargo holds the
    // lock on the outer one.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("release-semver-checks");
    let run = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .args([
                "release",
                "--root",
                root.to_str().unwrap(),
                "--date",
                "2026-02-03",
            ])
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("CARGO_MAKEFLAGS")
            .env_remove("MAKEFLAGS")
            .env_remove("MFLAGS");
        stdout(&command.output().unwrap())
    };

    change_spec(
        root,
        "required: [object, id, metadata, createdAt, imei, model, name, sims, user]",
        "required: [object, id, metadata, createdAt, imei, model, name, sims, user, color]",
        "devices have a color",
    );
    change_spec(
        root,
        "          example: \"Anna's iPhone 12 Pro\"\n        sims:\n",
        "          example: \"Anna's iPhone 12 Pro\"\n        color:\n          type: string\n          nullable: true\n          description: The color of the device.\n        sims:\n",
        "devices have a color",
    );
    change_spec(
        root,
        "        - active\n        - ended\n    SubscriptionCancellationDetails:",
        "        - active\n        - ended\n        - paused\n    SubscriptionCancellationDetails:",
        "subscriptions can be paused",
    );
    let grown = run();
    assert!(
        grown.contains("Rust API: minor (the Rust API changes without breaking)"),
        "{grown}"
    );
    assert!(
        grown.contains("API check: cargo-semver-checks against `gigs-client-v0.1.0`: no break"),
        "{grown}"
    );
    assert!(
        grown.contains("versions: gigs-client 0.1.0 → 0.1.1, gigs 0.1.0 → 0.1.1: patch"),
        "{grown}"
    );

    change_spec(
        root,
        "required: [object, id, metadata, createdAt, imei, model, name, sims, user, color]",
        "required: [object, id, metadata, createdAt, imei, model, sims, user, color]",
        "devices lose their name",
    );
    change_spec(
        root,
        "        name:\n          type: string\n          nullable: true\n          description: An optional custom name for the device.\n          example: \"Anna's iPhone 12 Pro\"\n        color:\n",
        "        color:\n",
        "devices lose their name",
    );
    let removed = run();
    assert!(
        removed
            .contains("versions: gigs-client 0.1.0 → 0.2.0, gigs 0.1.0 → 0.2.0: minor (breaking;"),
        "{removed}"
    );
    assert!(removed.contains("struct_pub_field_missing"), "{removed}");
}
