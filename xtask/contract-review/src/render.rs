//! The report as Markdown (a pull-request comment), plain text, JSON, GitHub annotations,
//! JUnit XML (GitLab, Jenkins) or SARIF 2.1.0 (code scanning).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::json;

use crate::report::{Report, ReportedFinding};
use crate::rules::{self, Severity};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Md,
    Text,
    Json,
    Github,
    Junit,
    Sarif,
}

/// The report in `format`. `fail_on` is the run's threshold (`None`: it never fails): a JUnit
/// test case fails exactly when its finding fails the run.
pub fn render(report: &Report, format: Format, fail_on: Option<Severity>) -> String {
    match format {
        Format::Md => markdown(report),
        Format::Text => text(report),
        Format::Json => {
            let mut json =
                serde_json::to_string_pretty(report).expect("the report serializes to JSON");
            json.push('\n');
            json
        }
        Format::Github => github(report),
        Format::Junit => junit(report, fail_on),
        Format::Sarif => sarif(report),
    }
}

/// How loudly a CI format raises a finding. Accepted breaks are notes, so they do not fail a
/// pipeline that treats errors as fatal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Error,
    Warning,
    Note,
}

/// What the CI formats (GitHub, JUnit, SARIF) say of one finding: one place, so they agree.
struct Annotation<'a> {
    level: Level,
    rule: &'static str,
    /// The head spec, as the report names it.
    file: &'a str,
    line: Option<usize>,
    /// One line: operations, summary, old → new, pointer, both severities, acceptance.
    message: String,
}

fn annotation<'a>(report: &'a Report, finding: &ReportedFinding) -> Annotation<'a> {
    let level = match (finding.accepted.is_some(), finding.severity) {
        (true, _) | (false, Severity::Info) => Level::Note,
        (false, Severity::Review) => Level::Warning,
        (false, Severity::Breaking) => Level::Error,
    };
    let mut message = format!(
        "{}: {} ({}) at {}. Wire: {}, Rust API: {}: {}",
        operations_text(finding, ", ").replace('`', ""),
        finding.summary,
        finding.change_text(),
        finding.pointer,
        finding.wire,
        finding.rust,
        finding.rust_effect
    );
    if let Some(reason) = &finding.accepted {
        write!(message, ". Accepted: {reason}").unwrap();
    }
    Annotation {
        level,
        rule: finding.rule,
        file: &report.head_file,
        line: finding.head_line,
        message,
    }
}

fn version_text(version: &crate::report::VersionLabel) -> String {
    match &version.commit {
        Some(commit) => format!("`{}` ({commit})", version.label),
        None => format!("`{}`", version.label),
    }
}

fn location_text(finding: &ReportedFinding) -> String {
    let mut text = format!("`{}`", finding.pointer);
    if let Some(line) = finding.line {
        match finding.side {
            crate::findings::Side::Head => write!(text, " line {line}").unwrap(),
            crate::findings::Side::Base => write!(text, " base line {line}").unwrap(),
        }
    } else if finding.side == crate::findings::Side::Base {
        text.push_str(" (base)");
    }
    text
}

fn operations_text(finding: &ReportedFinding, separator: &str) -> String {
    if finding.operations.is_empty() {
        return "—".to_owned();
    }
    finding
        .operations
        .iter()
        .map(|operation| format!("`{operation}`"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Table cells cannot hold pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn markdown(report: &Report) -> String {
    let mut out = String::new();
    writeln!(out, "## OpenAPI contract changes\n").unwrap();
    writeln!(
        out,
        "Base {} → head {}\n",
        version_text(&report.base),
        version_text(&report.head)
    )
    .unwrap();
    for note in &report.notes {
        writeln!(out, "> {note}\n").unwrap();
    }
    writeln!(out, "**{}**\n", report.counts_text()).unwrap();
    writeln!(
        out,
        "Suggested version bump for gigs-client: **{}** ({}).\n",
        report.suggested_bump.as_str(),
        report.bump_reason
    )
    .unwrap();
    if report.findings.is_empty() {
        writeln!(out, "No contract changes.").unwrap();
    }
    for (severity, title) in [
        (Severity::Breaking, "Breaking"),
        (Severity::Review, "Needs review"),
    ] {
        let findings: Vec<&ReportedFinding> = report
            .findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .collect();
        if findings.is_empty() {
            continue;
        }
        writeln!(out, "### {title}\n").unwrap();
        writeln!(
            out,
            "| Rule | Operations | Location | Old → new | Wire / Rust | Rust API effect |"
        )
        .unwrap();
        writeln!(out, "|---|---|---|---|---|---|").unwrap();
        for finding in findings {
            let mut rule = format!("`{}`", finding.rule);
            if let Some(reason) = &finding.accepted {
                write!(rule, " **accepted**: {reason}").unwrap();
            }
            writeln!(
                out,
                "| {} | {} | {} | {} | {} / {} | {} |",
                cell(&rule),
                cell(&operations_text(finding, "<br>")),
                cell(&location_text(finding)),
                cell(&finding.change_text()),
                finding.wire,
                finding.rust,
                cell(&finding.rust_effect)
            )
            .unwrap();
        }
        writeln!(out).unwrap();
    }
    let harmless: Vec<&ReportedFinding> = report
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Info)
        .collect();
    if !harmless.is_empty() {
        writeln!(
            out,
            "<details><summary>Non-breaking changes ({})</summary>\n",
            harmless.len()
        )
        .unwrap();
        for finding in harmless {
            writeln!(
                out,
                "- `{}` {} at {}: {}. Rust: {}",
                finding.rule,
                operations_text(finding, ", "),
                location_text(finding),
                finding.change_text(),
                finding.rust_effect
            )
            .unwrap();
        }
        writeln!(out, "\n</details>").unwrap();
    }
    if !report.unused_accepted_breaks.is_empty() {
        writeln!(out, "\n### Accepted breaks that matched nothing\n").unwrap();
        for entry in &report.unused_accepted_breaks {
            writeln!(
                out,
                "- `{}` {} at `{}`: {}",
                entry.rule,
                entry.operation.as_deref().unwrap_or("(any operation)"),
                entry.pointer,
                entry.reason
            )
            .unwrap();
        }
    }
    out
}

fn text(report: &Report) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "base {} → head {}",
        version_text(&report.base).replace('`', ""),
        version_text(&report.head).replace('`', "")
    )
    .unwrap();
    for note in &report.notes {
        writeln!(out, "note: {note}").unwrap();
    }
    writeln!(out, "{}", report.counts_text()).unwrap();
    writeln!(
        out,
        "suggested version bump: {} ({})",
        report.suggested_bump.as_str(),
        report.bump_reason
    )
    .unwrap();
    for finding in &report.findings {
        writeln!(
            out,
            "\n{} {} {}",
            finding.severity,
            finding.rule,
            operations_text(finding, ", ").replace('`', "")
        )
        .unwrap();
        writeln!(out, "  at {}", location_text(finding).replace('`', "")).unwrap();
        writeln!(out, "  change: {}", finding.change_text()).unwrap();
        writeln!(
            out,
            "  wire: {}, rust: {}: {}",
            finding.wire, finding.rust, finding.rust_effect
        )
        .unwrap();
        if let Some(reason) = &finding.accepted {
            writeln!(out, "  accepted: {reason}").unwrap();
        }
    }
    for entry in &report.unused_accepted_breaks {
        writeln!(
            out,
            "\nunused accepted break: {} at {}",
            entry.rule, entry.pointer
        )
        .unwrap();
    }
    out
}

/// Workflow commands (`::error file=...,line=...::message`), one per finding.
fn github(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let annotation = annotation(report, finding);
        let level = match annotation.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut properties = format!("file={}", escape_property(annotation.file));
        if let Some(line) = annotation.line {
            write!(properties, ",line={line}").unwrap();
        }
        write!(properties, ",title={}", escape_property(annotation.rule)).unwrap();
        writeln!(
            out,
            "::{level} {properties}::{}",
            escape_data(&annotation.message)
        )
        .unwrap();
    }
    out
}

/// JUnit XML as GitLab and Jenkins read it: a `testsuite` per rule that found something, a
/// `testcase` per finding, failing (`<failure>`) when the finding fails the run (`fail_on`:
/// unaccepted breaks by default). Without findings, one passing test case says the contract is
/// unchanged, so the pipeline shows that the review ran.
fn junit(report: &Report, fail_on: Option<Severity>) -> String {
    let fails =
        |finding: &ReportedFinding| fail_on.is_some_and(|threshold| finding.fails(threshold));
    let mut suites: BTreeMap<&'static str, Vec<(&ReportedFinding, Annotation)>> = BTreeMap::new();
    for finding in &report.findings {
        suites
            .entry(finding.rule)
            .or_default()
            .push((finding, annotation(report, finding)));
    }
    let failures = |cases: &[(&ReportedFinding, Annotation)]| {
        cases.iter().filter(|(finding, _)| fails(finding)).count()
    };
    let total_failures: usize = suites.values().map(|cases| failures(cases)).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    writeln!(
        out,
        "<testsuites name=\"OpenAPI contract review\" tests=\"{}\" failures=\"{total_failures}\" \
         errors=\"0\">",
        report.findings.len().max(1)
    )
    .unwrap();
    if suites.is_empty() {
        writeln!(
            out,
            "  <testsuite name=\"contract\" tests=\"1\" failures=\"0\" errors=\"0\">\n    \
             <testcase name=\"{}\" classname=\"contract\"/>\n  </testsuite>",
            xml_escape(&report.counts_text())
        )
        .unwrap();
    }
    for (rule, cases) in &suites {
        writeln!(
            out,
            "  <testsuite name=\"{rule}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            cases.len(),
            failures(cases)
        )
        .unwrap();
        for (finding, annotation) in cases {
            let name = format!("{} ({})", finding.pointer, finding.change_text());
            let location = match annotation.line {
                Some(line) => format!("{}:{line}", annotation.file),
                None => annotation.file.to_owned(),
            };
            let body = xml_escape(&format!("{location}: {}", annotation.message));
            writeln!(
                out,
                "    <testcase name=\"{}\" classname=\"{rule}\">",
                xml_escape(&name)
            )
            .unwrap();
            if fails(finding) {
                writeln!(
                    out,
                    "      <failure type=\"{rule}\" message=\"{}\">{body}</failure>",
                    xml_escape(finding.summary)
                )
                .unwrap();
            } else {
                writeln!(out, "      <system-out>{body}</system-out>").unwrap();
            }
            writeln!(out, "    </testcase>").unwrap();
        }
        writeln!(out, "  </testsuite>").unwrap();
    }
    writeln!(out, "</testsuites>").unwrap();
    out
}

/// Text as XML character data or an attribute value. Characters XML 1.0 cannot hold at all
/// (control characters other than tab and line breaks) become U+FFFD.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(character),
            character if character < ' ' => out.push('\u{fffd}'),
            character => out.push(character),
        }
    }
    out
}

/// A rule's severities in words, for SARIF's rule help.
fn rule_help(rule: &rules::Rule) -> String {
    let wire = if rule.wire_judged {
        format!(
            "wire decided for each finding by what the base and head schemas accept (usually {})",
            rule.wire
        )
    } else {
        format!("wire {}", rule.wire)
    };
    format!("{}. {wire}; Rust API {}.", rule.summary, rule.rust)
}

/// The identifier SARIF consumers show for the tool.
const SARIF_TOOL: &str = "gigs-rs contract review (cargo xtask diff)";

/// SARIF 2.1.0: one run; every rule of the catalogue as a reporting descriptor (its summary as
/// the description, its two severities as the help), one result per finding located at the
/// head spec's line. Accepted breaks carry an external suppression with the reason.
fn sarif(report: &Report) -> String {
    let level_text = |level: Level| match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    };
    let rule_level = |rule: &rules::Rule| match rule.wire.max(rule.rust) {
        Severity::Breaking => Level::Error,
        Severity::Review => Level::Warning,
        Severity::Info => Level::Note,
    };
    let descriptors: Vec<serde_json::Value> = rules::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id,
                "shortDescription": { "text": rule.summary },
                "help": { "text": rule_help(rule) },
                "helpUri": crate::rules_reference::rule_url(rule),
                "defaultConfiguration": { "level": level_text(rule_level(rule)) },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|finding| {
            let annotation = annotation(report, finding);
            let mut physical = json!({ "artifactLocation": { "uri": annotation.file } });
            if let Some(line) = annotation.line {
                physical["region"] = json!({ "startLine": line });
            }
            let mut result = json!({
                "ruleId": annotation.rule,
                "ruleIndex": rules::ALL
                    .iter()
                    .position(|rule| rule.id == annotation.rule)
                    .expect("a finding's rule is in the catalogue"),
                "level": level_text(annotation.level),
                "message": { "text": annotation.message },
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{ "fullyQualifiedName": finding.pointer }],
                }],
                "properties": { "wire": finding.wire, "rust": finding.rust },
            });
            if let Some(reason) = &finding.accepted {
                result["suppressions"] = json!([{ "kind": "external", "justification": reason }]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": SARIF_TOOL,
                // The page of the workspace's repository (Cargo.toml) that explains the review.
                "informationUri": format!(
                    "{}/blob/main/docs/contract-review.md",
                    env!("CARGO_PKG_REPOSITORY")
                ),
                "rules": descriptors,
            } },
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).expect("the SARIF log serializes to JSON");
    text.push('\n');
    text
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
