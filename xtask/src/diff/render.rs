//! The report as Markdown (a pull-request comment), plain text, JSON, or GitHub annotations.

use std::fmt::Write;

use super::report::{Report, ReportedFinding};
use super::rules::Severity;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Md,
    Text,
    Json,
    Github,
}

pub fn render(report: &Report, format: Format) -> String {
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
    }
}

fn version_text(version: &super::report::VersionLabel) -> String {
    match &version.commit {
        Some(commit) => format!("`{}` ({commit})", version.label),
        None => format!("`{}`", version.label),
    }
}

fn location_text(finding: &ReportedFinding) -> String {
    let mut text = format!("`{}`", finding.pointer);
    if let Some(line) = finding.line {
        match finding.side {
            super::findings::Side::Head => write!(text, " line {line}").unwrap(),
            super::findings::Side::Base => write!(text, " base line {line}").unwrap(),
        }
    } else if finding.side == super::findings::Side::Base {
        text.push_str(" (base)");
    }
    text
}

fn change_text(finding: &ReportedFinding) -> String {
    let side = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".to_owned());
    format!("{} → {}", side(&finding.old), side(&finding.new))
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
                cell(&change_text(finding)),
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
                change_text(finding),
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
        writeln!(out, "  change: {}", change_text(finding)).unwrap();
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
        let level = match (finding.accepted.is_some(), finding.severity) {
            (true, _) | (false, Severity::Info) => "notice",
            (false, Severity::Review) => "warning",
            (false, Severity::Breaking) => "error",
        };
        let mut properties = format!("file={}", escape_property(&report.head_file));
        if let Some(line) = finding.head_line {
            write!(properties, ",line={line}").unwrap();
        }
        write!(properties, ",title={}", escape_property(finding.rule)).unwrap();
        let mut message = format!(
            "{}: {} ({}) at {}. Wire: {}, Rust API: {}: {}",
            operations_text(finding, ", ").replace('`', ""),
            finding.summary,
            change_text(finding),
            finding.pointer,
            finding.wire,
            finding.rust,
            finding.rust_effect
        );
        if let Some(reason) = &finding.accepted {
            write!(message, ". Accepted: {reason}").unwrap();
        }
        writeln!(out, "::{level} {properties}::{}", escape_data(&message)).unwrap();
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
