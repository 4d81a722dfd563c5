//! `cargo xtask diff`: the command line of the contract review (`contract-review`): which two
//! versions to read (two files, or `openapi.yaml` at a git ref against the working tree, with the
//! committed generated clients of both), where the accepted breaks are, how to print and when to
//! fail.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use contract_review::load::{self, GeneratedClients, Version};
use contract_review::report::Report;
use contract_review::{Accepted, Format, Severity};

use crate::files::{workspace_root, ACCEPTED_BREAKS_FILE, CLIENT, SPEC_FILE};
use crate::git::Repository;

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
    #[arg(long, value_enum, default_value_t = FormatArg::Md)]
    format: FormatArg,
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

/// The report formats, as the command line names them.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum FormatArg {
    Md,
    Text,
    Json,
    Github,
    Junit,
    Sarif,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Md => Format::Md,
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
            FormatArg::Junit => Format::Junit,
            FormatArg::Sarif => Format::Sarif,
        }
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum FailOn {
    Breaking,
    Review,
    Never,
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

/// What the generator decides about the Rust API, told to the review (codegen's rules, read
/// where they are applied).
struct GeneratedRust;

impl contract_review::RustSurface for GeneratedRust {
    fn field_form(
        &self,
        spec: &serde_json::Value,
        property: &spec_model::FieldPath,
        facts: spec_model::field_form::PropertyFacts,
    ) -> spec_model::field_form::FieldForm {
        codegen::client::patch::field_form(spec, property, facts)
    }

    fn checks_constraint(&self, keyword: &str, schema: &serde_json::Value) -> bool {
        codegen::generated_type_checks(keyword, schema)
    }

    fn comma_separated(&self, parameter: &serde_json::Value) -> bool {
        codegen::is_comma_separated(parameter)
    }
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
        print!("{}", contract_review::rule_table());
        return Ok(ExitCode::SUCCESS);
    }
    let today = args.today.unwrap_or_else(today_utc);
    let default_accepted = workspace_root().join(ACCEPTED_BREAKS_FILE);
    let accepted = match &args.accepted {
        Some(path) => Accepted::Required(path),
        None => Accepted::IfExists(&default_accepted),
    };
    let report = match (&args.base, &args.from, &args.to) {
        (_, Some(from), Some(to)) => compare_files(from, to, accepted, today)?,
        (Some(reference), _, _) => report_on(reference, &args.spec, accepted, today)?,
        _ => anyhow::bail!("give a git ref, or both --from and --to"),
    };
    let threshold = match args.fail_on {
        FailOn::Breaking => Some(Severity::Breaking),
        FailOn::Review => Some(Severity::Review),
        FailOn::Never => None,
    };
    print!(
        "{}",
        contract_review::render(&report, args.format.into(), threshold)
    );
    Ok(match threshold {
        Some(threshold) if report.fails(threshold) => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    })
}

/// The report of the spec file `from` (the base) against the spec file `to` (the head), as
/// `cargo xtask diff --from --to` makes it: no generated client to compare, so the Rust column
/// comes from the generator's rules alone. `today` is the date sunsets are compared with.
///
/// ```no_run
/// # fn main() -> anyhow::Result<()> {
/// use std::path::Path;
/// use contract_review::Accepted;
///
/// let report = xtask::diff::compare_files(
///     Path::new("old.yaml"),
///     Path::new("openapi.yaml"),
///     Accepted::IfExists(Path::new("openapi-accepted-breaks.yaml")),
///     xtask::diff::today_utc(),
/// )?;
/// println!("{}", report.counts_text());
/// # Ok(())
/// # }
/// ```
pub fn compare_files(
    from: &Path,
    to: &Path,
    accepted: Accepted,
    today: chrono::NaiveDate,
) -> anyhow::Result<Report> {
    contract_review::build_report(
        Version::from_file(from, display_path(from))?,
        Version::from_file(to, display_path(to))?,
        display_path(to),
        accepted,
        today,
        GeneratedClients::None,
        &GeneratedRust,
    )
}

/// The report of `spec` as committed at the git ref `reference` (the base) against `spec` in
/// the working tree (the head), without printing it. `today` is the date sunsets are compared
/// with.
pub fn report_on(
    reference: &str,
    spec: &Path,
    accepted: Accepted,
    today: chrono::NaiveDate,
) -> anyhow::Result<Report> {
    let head_file = display_path(spec);
    let base = from_git(reference, spec, &head_file)?;
    let head = Version::from_file(spec, format!("working tree: {head_file}"))?;
    let generated = generated_clients(reference, spec)?;
    contract_review::build_report(
        base,
        head,
        head_file,
        accepted,
        today,
        generated,
        &GeneratedRust,
    )
}

/// A path as the report shows it: relative to the workspace when inside it.
fn display_path(path: &Path) -> String {
    let root = workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The directory of `spec`'s repository to run git in.
fn directory_of(spec: &Path) -> PathBuf {
    match spec.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// The spec at `reference`, from the repository that holds `spec` in its working tree (read
/// with `git show`, without touching the working tree).
fn from_git(reference: &str, spec: &Path, label: &str) -> anyhow::Result<Version> {
    let file_name = spec
        .file_name()
        .with_context(|| format!("{} is not a file path", spec.display()))?
        .to_string_lossy()
        .into_owned();
    let git = Repository::new(&directory_of(spec));
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
        return Ok(Version::missing(
            Path::new(&name),
            reference.to_owned(),
            Some(short.clone()),
            format!("{label} does not exist at `{reference}` ({short}): every operation is new"),
        ));
    }
    let text = git
        .show(&commit, &file)?
        .with_context(|| format!("cannot read {label} at `{reference}`"))?;
    Version::from_text(Path::new(&name), text, reference.to_owned(), Some(short))
}

/// `crates/gigs-client/src/generated.rs` at `reference` and in the working tree, beside `spec`
/// (the workspace root). The working tree's file is what `cargo xtask generate` last wrote.
fn generated_clients(reference: &str, spec: &Path) -> anyhow::Result<GeneratedClients> {
    let directory = directory_of(spec);
    let git = Repository::new(&directory);
    let commit = git
        .commit(reference)?
        .with_context(|| format!("unknown git ref `{reference}`"))?;
    let relative = format!("./{CLIENT}");
    let base = if git.has_file(&commit, &relative)? {
        git.show(&commit, &relative)?
    } else {
        None
    };
    let head_path = directory.join(CLIENT);
    let head = if head_path.exists() {
        Some(
            std::fs::read_to_string(&head_path)
                .with_context(|| format!("cannot read {}", head_path.display()))?,
        )
    } else {
        None
    };
    Ok(match (base, head) {
        (Some(base), Some(head)) => GeneratedClients::Both {
            base: load::parse_generated(&base, &format!("{reference}:{CLIENT}"))?,
            head: load::parse_generated(&head, CLIENT)?,
        },
        (None, None) => GeneratedClients::None,
        (base, _) => {
            let (missing, present) = if base.is_none() {
                (format!("at `{reference}`"), "in the working tree")
            } else {
                ("in the working tree".to_owned(), "at the ref")
            };
            GeneratedClients::OneSide(format!(
                "{CLIENT} does not exist {missing} (it does {present}): the Rust API is judged \
                 from the spec alone"
            ))
        }
    })
}
