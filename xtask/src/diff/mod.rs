//! `cargo xtask diff`: what a change of `openapi.yaml` does to the contract, judged for clients
//! on the wire and for Rust code written against gigs-client.

mod accept;
mod compare;
mod containment;
mod documentation;
mod findings;
mod generated_api;
mod lifecycle;
mod load;
mod openapi31;
mod refuse;
mod render;
pub mod report;
mod resolve;
mod rules;
mod rust_api;
mod schema;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use render::Format;

use crate::files::{workspace_root, ACCEPTED_BREAKS_FILE, SPEC_FILE};
pub use rules::Severity;

/// Exit status when the diff itself cannot be made (bad ref, unreadable spec, broken `$ref`).
const TOOL_ERROR: u8 = 2;

#[derive(clap::Args)]
pub struct DiffArgs {
    /// Git ref whose committed spec is the base (`main`, `HEAD~1`, a tag); the head is the
    /// spec in the working tree.
    #[arg(required_unless_present_any = ["from", "rules"], conflicts_with = "from")]
    base: Option<String>,
    /// Compare two files instead: the base...
    #[arg(long, requires = "to")]
    from: Option<PathBuf>,
    /// ...and the head.
    #[arg(long, requires = "from")]
    to: Option<PathBuf>,
    /// The working-tree spec compared with the one at the git ref.
    #[arg(long, default_value_os_t = workspace_root().join(SPEC_FILE), conflicts_with = "from")]
    spec: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// The least severe unaccepted finding that makes the command exit with status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
    fail_on: FailOn,
    /// The accepted-breaks file [default: openapi-accepted-breaks.yaml at the workspace root,
    /// when it exists].
    #[arg(long)]
    accepted: Option<PathBuf>,
    /// Print the rules with their severities and exit.
    #[arg(long)]
    rules: bool,
    /// The date `x-sunset` dates are compared with (`YYYY-MM-DD`) [default: today, UTC].
    #[arg(long, value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
}

/// A `YYYY-MM-DD` command-line date (`diff --today`, `release --date`).
pub fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|error| format!("`{text}` is not a date (YYYY-MM-DD): {error}"))
}

/// Today's date in UTC: the default of `diff --today` and `release --date`.
pub fn today_utc() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum FailOn {
    Breaking,
    Review,
    Never,
}

/// Runs the diff: 0 when nothing unaccepted reaches `--fail-on`, 1 when something does,
/// 2 when the tool could not compare.
pub fn run(args: &DiffArgs) -> ExitCode {
    match execute(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(TOOL_ERROR)
        }
    }
}

fn execute(args: &DiffArgs) -> anyhow::Result<ExitCode> {
    if args.rules {
        print!("{}", rule_table());
        return Ok(ExitCode::SUCCESS);
    }
    let today = args.today.unwrap_or_else(today_utc);
    let report = match (&args.base, &args.from, &args.to) {
        // Two files: no generated client to compare, the spec rules alone.
        (_, Some(from), Some(to)) => build_report(
            load::from_file(from, display_path(from))?,
            load::from_file(to, display_path(to))?,
            display_path(to),
            args.accepted.as_deref(),
            today,
            load::GeneratedClients::None,
        )?,
        (Some(reference), _, _) => {
            report_on(reference, &args.spec, args.accepted.as_deref(), today)?
        }
        _ => anyhow::bail!("give a git ref, or both --from and --to"),
    };
    let threshold = match args.fail_on {
        FailOn::Breaking => Some(Severity::Breaking),
        FailOn::Review => Some(Severity::Review),
        FailOn::Never => None,
    };
    print!("{}", render::render(&report, args.format, threshold));
    Ok(match threshold {
        Some(threshold) if report.fails(threshold) => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    })
}

/// The report of `spec` as committed at the git ref `reference` (the base) against `spec` in
/// the working tree (the head), without printing it. `accepted` is the accepted-breaks file;
/// `None` reads `openapi-accepted-breaks.yaml` at the workspace root when it exists. `today` is
/// the date sunsets are compared with.
pub fn report_on(
    reference: &str,
    spec: &Path,
    accepted: Option<&Path>,
    today: chrono::NaiveDate,
) -> anyhow::Result<report::Report> {
    let head_file = display_path(spec);
    let base = load::from_git(reference, spec, &head_file)?;
    let head = load::from_file(spec, format!("working tree: {head_file}"))?;
    let generated = load::generated_clients(reference, spec)?;
    build_report(base, head, head_file, accepted, today, generated)
}

fn build_report(
    base: load::Version,
    head: load::Version,
    head_file: String,
    accepted: Option<&Path>,
    today: chrono::NaiveDate,
    generated: load::GeneratedClients,
) -> anyhow::Result<report::Report> {
    for version in [&base, &head] {
        resolve::check_references(&version.document)?;
        refuse::check(&version.document)?;
    }
    let mut findings = compare::compare(&base.document, &head.document, today)?;
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
        Some(path) => accept::load(path, true)?,
        None => accept::load(&workspace_root().join(ACCEPTED_BREAKS_FILE), false)?,
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

/// A path as the report shows it: relative to the workspace when inside it.
fn display_path(path: &Path) -> String {
    let root = crate::workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `--rules`: one tab-separated line per rule. `wire from` says whether the wire severity is the
/// rule's (`rule`) or the containment engine's verdict on the schemas (`schemas`; the `wire`
/// column then shows the verdict such a change usually gets).
fn rule_table() -> String {
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
