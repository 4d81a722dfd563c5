//! `cargo xtask release`: the next versions of gigs-client and gigs and their changelog section,
//! from the contract diff since the last release tag and from cargo-semver-checks' view of the
//! built Rust API. A dry run by default; `--write` applies. It never tags or publishes.

mod api_check;
mod changelog;
use crate::git;
mod manifest;
mod version;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use semver::Version;

use crate::files::{ACCEPTED_BREAKS_FILE, SPEC_FILE};
use api_check::ApiBreak;
use changelog::Changelog;
use contract_review::report::{Bump, Report};
use contract_review::Accepted;
use manifest::{TomlFile, CRATES};
use version::Change;

/// Release tags name the gigs-client version: `gigs-client-v0.2.0`.
pub const TAG_PREFIX: &str = "gigs-client-v";

#[derive(clap::Args)]
pub struct ReleaseArgs {
    /// Write the new versions (Cargo manifests, Cargo.lock) and the changelog section; without
    /// it, print what would be written.
    #[arg(long)]
    write: bool,
    /// Do not run cargo-semver-checks; the release then says the built API was not compared.
    #[arg(long)]
    no_semver_checks: bool,
    /// The workspace to release: the root of a git working tree.
    #[arg(long, default_value_os_t = crate::files::workspace_root())]
    root: PathBuf,
    /// The date of the release (`YYYY-MM-DD`): the changelog section's, and the one sunset dates
    /// are compared with [default: today, UTC].
    #[arg(long, value_parser = crate::diff::parse_date)]
    date: Option<chrono::NaiveDate>,
}

/// What the release is compared with.
struct Base {
    /// A tag or a commit, as git and cargo-semver-checks take it.
    reference: String,
    /// The gigs-client and gigs versions released at the tag; `None` before the first release.
    released: Option<(Version, Version)>,
    /// The ref cargo-semver-checks builds as the baseline: the release tag; `None` before the
    /// first release, when no published API exists to break.
    api_baseline: Option<String>,
}

pub fn run(args: &ReleaseArgs) -> anyhow::Result<()> {
    let root = args.root.as_path();
    let repository = git::Repository::new(root);
    let base = find_base(&repository)?;
    let base_commit = repository.short_commit(&base.reference)?;

    let accepted = root.join(ACCEPTED_BREAKS_FILE);
    let date = args.date.unwrap_or_else(crate::diff::today_utc);
    let report = crate::diff::report_on(
        &base.reference,
        &root.join(SPEC_FILE),
        Accepted::IfExists(&accepted),
        date,
    )?;
    let spec_change = match report.suggested_bump {
        Bump::None => Change::None,
        Bump::Patch => Change::Fix,
        Bump::Minor => Change::Feature,
        Bump::Major => Change::Breaking,
    };

    let mut out = String::new();
    match &base.released {
        Some(_) => writeln!(out, "base: {} ({base_commit}), the last release tag", base.reference),
        None => writeln!(
            out,
            "base: {base_commit}, the first commit with {SPEC_FILE} (no `{TAG_PREFIX}*` tag yet: this is the first release)"
        ),
    }
    .unwrap();
    writeln!(
        out,
        "spec diff: {}; Rust API: {} ({})",
        report.counts_text(),
        report.suggested_bump.as_str(),
        report.bump_reason
    )
    .unwrap();

    let api_breaks = check_api(args, &base, spec_change, &mut out)?;
    let unexplained: &[ApiBreak] = if spec_change < Change::Breaking {
        &api_breaks
    } else {
        &[]
    };

    let changelog_path = root.join(changelog::FILE);
    let changelog = read_changelog(&changelog_path)?;
    if !changelog.unreleased.is_empty() {
        writeln!(
            out,
            "notes: CHANGELOG.md has notes under Unreleased; the release takes them in"
        )
        .unwrap();
    }

    let change = spec_change
        .max(if changelog.unreleased.is_empty() {
            Change::None
        } else {
            Change::Fix
        })
        .max(if api_breaks.is_empty() {
            Change::None
        } else {
            Change::Breaking
        });

    let mut manifests = Vec::new();
    for (_, path) in CRATES {
        manifests.push(TomlFile::read(root, path)?);
    }
    let current: Vec<Version> = manifests
        .iter()
        .map(TomlFile::package_version)
        .collect::<anyhow::Result<_>>()?;
    let Some((next, step_text)) = next_versions(base.released.as_ref(), &current, change) else {
        print!("{out}");
        println!(
            "nothing to release since {}: the contract is unchanged, CHANGELOG.md has no notes under Unreleased{}",
            base.reference,
            if args.no_semver_checks { "" } else { " and cargo-semver-checks found no break" }
        );
        return Ok(());
    };
    let (client_next, gigs_next) = (&next[0], &next[1]);
    match &base.released {
        Some((client, gigs)) => writeln!(
            out,
            "versions: gigs-client {client} → {client_next}, gigs {gigs} → {gigs_next}: {step_text}"
        ),
        None => writeln!(
            out,
            "versions: gigs-client {client_next}, gigs {gigs_next}: {step_text}"
        ),
    }
    .unwrap();
    let tag = format!("{TAG_PREFIX}{client_next}");

    if changelog.has_release(&client_next.to_string()) {
        if current != next {
            bail!(
                "CHANGELOG.md already has a section for gigs-client {client_next}, but the manifests say gigs-client {}, gigs {}: fix one of them",
                current[0],
                current[1]
            );
        }
        print!("{out}");
        println!("already prepared: CHANGELOG.md and the manifests are at gigs-client {client_next}; nothing to write");
        print_tag(&tag, client_next, gigs_next);
        return Ok(());
    }

    let summary = section_summary(
        &base,
        &base_commit,
        &report,
        &step_text,
        &api_breaks,
        args.no_semver_checks,
    );
    let section = changelog::render(&changelog::Section {
        client_version: client_next.to_string(),
        gigs_version: gigs_next.to_string(),
        date: date.to_string(),
        summary,
        notes: &changelog.unreleased,
        report: &report,
        api_breaks: unexplained,
        api_baseline: base.api_baseline.as_deref().unwrap_or_default(),
    });

    let mut files = set_versions(root, manifests, client_next, gigs_next)?;
    let changed: Vec<&str> = files
        .iter()
        .filter(|file| file.changed())
        .map(|file| file.path)
        .chain([changelog::FILE])
        .collect();
    writeln!(
        out,
        "{} {}",
        if args.write {
            "wrote"
        } else {
            "would write (dry run; --write applies)"
        },
        changed.join(", ")
    )
    .unwrap();
    if args.write {
        for file in &mut files {
            if file.changed() {
                file.write()?;
            }
        }
        std::fs::write(&changelog_path, changelog.with_release(&section))
            .with_context(|| format!("cannot write {}", changelog_path.display()))?;
    }
    print!("{out}");
    println!("\n{section}");
    print_tag(&tag, client_next, gigs_next);
    Ok(())
}

/// cargo-semver-checks against the baseline, unless skipped; what it found goes into `out`.
fn check_api(
    args: &ReleaseArgs,
    base: &Base,
    spec_change: Change,
    out: &mut String,
) -> anyhow::Result<Vec<ApiBreak>> {
    let breaks = match (&base.api_baseline, args.no_semver_checks) {
        (_, true) => {
            writeln!(
                out,
                "API check: skipped (--no-semver-checks): the built Rust API was not compared"
            )
            .unwrap();
            Vec::new()
        }
        (None, false) => {
            writeln!(
                out,
                "API check: not run: nothing was released yet, so no published Rust API can break \
                 (cargo-semver-checks compares with the last release tag from the first release on)"
            )
            .unwrap();
            Vec::new()
        }
        (Some(baseline), false) => {
            let crates: Vec<&str> = CRATES.iter().map(|(name, _)| *name).collect();
            let breaks = api_check::check(&args.root, &crates, baseline)?;
            writeln!(out, "{}", api_check_text(baseline, &breaks, spec_change)).unwrap();
            breaks
        }
    };
    Ok(breaks)
}

/// CHANGELOG.md, or a new one when there is none yet.
fn read_changelog(path: &Path) -> anyhow::Result<Changelog> {
    let changelog_text = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => bail!("cannot read {}: {error}", path.display()),
    };
    Ok(Changelog::parse(changelog_text.as_deref()))
}

/// The versions to release and why: the step `change` takes from the released versions, or
/// the manifests' versions for a first release. `None` when there is nothing to release.
fn next_versions(
    released: Option<&(Version, Version)>,
    current: &[Version],
    change: Change,
) -> Option<(Vec<Version>, String)> {
    // gigs-testing (the third crate) takes gigs' version.
    let Some((client, gigs)) = released else {
        return Some((
            vec![current[0].clone(), current[1].clone(), current[1].clone()],
            "first release: the versions in the manifests are released as they are".to_owned(),
        ));
    };
    let step = version::step(client, change)?;
    let gigs_step = version::step(gigs, change).unwrap_or(step);
    let gigs_next = version::bump(gigs, gigs_step);
    Some((
        vec![version::bump(client, step), gigs_next.clone(), gigs_next],
        format!("{} ({})", step.as_str(), version::rule_text(client, change)),
    ))
}

/// The newest `gigs-client-v*` tag HEAD contains; without one, the first commit with the spec.
fn find_base(repository: &git::Repository) -> anyhow::Result<Base> {
    if repository.is_shallow()? {
        bail!(
            "the repository is a shallow clone: the release needs the history and the tags \
             (`git fetch --unshallow --tags`)"
        );
    }
    let newest = repository
        .merged_tags(&format!("{TAG_PREFIX}*"))?
        .into_iter()
        .filter_map(|tag| {
            let version = Version::parse(tag.strip_prefix(TAG_PREFIX)?).ok()?;
            Some((version, tag))
        })
        .max();
    if let Some((client, tag)) = newest {
        let gigs_manifest = CRATES[1].1;
        let gigs_text = repository.show(&tag, gigs_manifest)?.with_context(|| {
            format!("{gigs_manifest} does not exist at the release tag `{tag}`")
        })?;
        let gigs = manifest::version_in(&gigs_text, gigs_manifest)?;
        return Ok(Base {
            api_baseline: Some(tag.clone()),
            reference: tag,
            released: Some((client, gigs)),
        });
    }
    let first_spec = repository
        .first_commit_with(SPEC_FILE)?
        .with_context(|| format!("no commit has {SPEC_FILE}: there is nothing to release"))?;
    // Before the first release no consumer builds against any version of the crates, so there
    // is no Rust API to break: cargo-semver-checks runs from the first release tag on.
    Ok(Base {
        reference: first_spec,
        released: None,
        api_baseline: None,
    })
}

fn api_check_text(baseline: &str, breaks: &[ApiBreak], spec_change: Change) -> String {
    if breaks.is_empty() {
        return format!("API check: cargo-semver-checks against `{baseline}`: no break");
    }
    let mut text = format!(
        "API check: cargo-semver-checks against `{baseline}` found {} break{}:",
        breaks.len(),
        if breaks.len() == 1 { "" } else { "s" }
    );
    for api_break in breaks {
        write!(
            text,
            "\n  {}: {}",
            api_break.krate,
            api_break.consumer_text()
        )
        .unwrap();
        match api_break.details(baseline) {
            details if details.is_empty() => write!(
                text,
                "; see `{}`",
                api_check::command_line(&api_break.krate, baseline)
            ),
            details => write!(text, " ({details})"),
        }
        .unwrap();
    }
    if spec_change < Change::Breaking {
        text.push_str(
            "\n  the spec diff reports no Rust break: these come from elsewhere (progenitor, a dependency, hand-written code), so the release takes the breaking step",
        );
    } else {
        text.push_str("\n  the spec diff reports Rust breaks too; the breaking step covers both");
    }
    text
}

fn section_summary(
    base: &Base,
    base_commit: &str,
    report: &Report,
    step_text: &str,
    api_breaks: &[ApiBreak],
    skipped: bool,
) -> String {
    let compared = match &base.released {
        Some(_) => format!(
            "The spec compared with `{}` ({base_commit})",
            base.reference
        ),
        None => format!("First release. The spec compared with its first commit ({base_commit})"),
    };
    let api = match (&base.api_baseline, skipped, api_breaks.len()) {
        (_, true, _) => "the built Rust API was not compared".to_owned(),
        (None, false, _) => "nothing released before, no Rust API to compare".to_owned(),
        (Some(baseline), false, 0) => {
            format!("cargo-semver-checks against `{baseline}` found no break")
        }
        (Some(baseline), false, count) => {
            format!("cargo-semver-checks against `{baseline}` found {count} break(s)")
        }
    };
    format!(
        "{compared}: {}. API check: {api}. Version step: {step_text}.",
        report.counts_text()
    )
}

/// The new versions in the crate manifests, the dependency between the crates (in the
/// workspace table or a crate's own), and Cargo.lock.
fn set_versions(
    root: &Path,
    mut manifests: Vec<TomlFile>,
    client: &Version,
    gigs: &Version,
) -> anyhow::Result<Vec<TomlFile>> {
    manifests[0].set_package_version(client)?;
    manifests[1].set_package_version(gigs)?;
    // gigs-testing is released with gigs, at its version.
    manifests[2].set_package_version(gigs)?;
    let mut workspace = TomlFile::read(root, "Cargo.toml")?;
    let mut dependency_versions = workspace.set_dependency_version("gigs-client", client);
    let gigs_versions = workspace.set_dependency_version("gigs", gigs)
        + manifests[2].set_dependency_version("gigs", gigs);
    workspace.set_dependency_version("gigs-testing", gigs);
    dependency_versions += manifests[1].set_dependency_version("gigs-client", client);
    manifests[2].set_dependency_version("gigs-client", client);
    if dependency_versions == 0 {
        bail!(
            "no `version` on gigs' dependency on gigs-client (in Cargo.toml's [workspace.dependencies] or in {}): a published gigs needs one",
            CRATES[1].1
        );
    }
    if gigs_versions == 0 {
        bail!(
            "no `version` on gigs-testing's dependency on gigs (in Cargo.toml's [workspace.dependencies] or in {}): a published gigs-testing needs one",
            CRATES[2].1
        );
    }
    manifests.push(workspace);
    if root.join("Cargo.lock").exists() {
        let mut lock = TomlFile::read(root, "Cargo.lock")?;
        lock.set_locked_version("gigs-client", client)?;
        lock.set_locked_version("gigs", gigs)?;
        lock.set_locked_version("gigs-testing", gigs)?;
        manifests.push(lock);
    }
    Ok(manifests)
}

fn print_tag(tag: &str, client: &Version, gigs: &Version) {
    println!("tag to create once the release is committed: {tag}");
    println!("  git tag -a {tag} -m \"gigs-client {client}, gigs {gigs}\"");
    println!("gigs-testing is released at gigs' version, {gigs}");
    println!("this command never creates tags or publishes: see RELEASING.md for the rest");
}
