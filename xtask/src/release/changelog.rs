//! CHANGELOG.md: an "Unreleased" section for hand-written notes stays on top; a release folds
//! those notes into a new section generated from the contract diff, right below it.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::api_check::ApiBreak;
use contract_review::report::{Report, ReportedFinding};
use contract_review::Severity;

pub const FILE: &str = "CHANGELOG.md";
const UNRELEASED: &str = "## Unreleased";

const NEW_FILE: &str = "# Changelog

Releases of `gigs-client` and `gigs`, newest first. `cargo xtask release` writes each release
section from the contract diff (see RELEASING.md). Write notes by hand under \"Unreleased\": the
next release takes them in.

## Unreleased
";

/// A changelog split around its "Unreleased" section.
pub struct Changelog {
    /// Everything up to and including the "## Unreleased" heading line.
    head: String,
    /// The hand-written notes under it, trimmed.
    pub unreleased: String,
    /// The released sections below.
    rest: String,
}

impl Changelog {
    /// Reads a changelog's text; `None` (no file yet) starts a new one. A changelog without an
    /// "Unreleased" section gets one above its first release.
    pub fn parse(text: Option<&str>) -> Self {
        let text = text.unwrap_or(NEW_FILE);
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let heading = lines
            .iter()
            .position(|line| line.trim_end().eq_ignore_ascii_case(UNRELEASED));
        let Some(heading) = heading else {
            let first_section = lines
                .iter()
                .position(|line| line.starts_with("## "))
                .unwrap_or(lines.len());
            let mut head: String = lines[..first_section].concat();
            if !head.is_empty() && !head.ends_with("\n\n") {
                head.push_str(if head.ends_with('\n') { "\n" } else { "\n\n" });
            }
            head.push_str(UNRELEASED);
            head.push('\n');
            return Self {
                head,
                unreleased: String::new(),
                rest: lines[first_section..].concat(),
            };
        };
        let end = lines[heading + 1..]
            .iter()
            .position(|line| line.starts_with("## "))
            .map_or(lines.len(), |offset| heading + 1 + offset);
        let mut head: String = lines[..=heading].concat();
        if !head.ends_with('\n') {
            head.push('\n');
        }
        Self {
            head,
            unreleased: lines[heading + 1..end].concat().trim().to_owned(),
            rest: lines[end..].concat(),
        }
    }

    /// Whether a section for this gigs-client version is already there.
    pub fn has_release(&self, client_version: &str) -> bool {
        let heading = format!("## gigs-client {client_version},");
        self.rest.lines().any(|line| line.starts_with(&heading))
    }

    /// The text with `section` below an emptied "Unreleased" section.
    pub fn with_release(&self, section: &str) -> String {
        let mut text = self.head.clone();
        text.push('\n');
        text.push_str(section);
        if !self.rest.is_empty() {
            text.push('\n');
            text.push_str(&self.rest);
        }
        text
    }
}

/// What a release section says besides the findings.
pub struct Section<'a> {
    pub client_version: String,
    pub gigs_version: String,
    pub date: String,
    /// One line: what the spec was compared with and how the version step was chosen.
    pub summary: String,
    /// The notes folded in from "Unreleased".
    pub notes: &'a str,
    pub report: &'a Report,
    /// Breaks cargo-semver-checks found that the spec diff does not explain.
    pub api_breaks: &'a [ApiBreak],
    /// The release cargo-semver-checks compared with, where removed items were.
    pub api_baseline: &'a str,
}

/// Where a finding goes in the changelog, judged for Rust users of the crates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Breaking,
    Review,
    Added,
}

fn group(finding: &ReportedFinding) -> Group {
    if finding.rust == Severity::Breaking {
        Group::Breaking
    } else if finding.rust == Severity::Review || finding.wire >= Severity::Review {
        Group::Review
    } else {
        Group::Added
    }
}

pub fn render(section: &Section) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "## gigs-client {}, gigs {} ({})\n",
        section.client_version, section.gigs_version, section.date
    )
    .unwrap();
    writeln!(out, "{}\n", section.summary).unwrap();
    if !section.notes.is_empty() {
        writeln!(out, "{}\n", section.notes).unwrap();
    }
    let findings = &section.report.findings;
    for (wanted, title) in [
        (Group::Breaking, "Breaking"),
        (Group::Review, "Needs review"),
        (Group::Added, "Added and other compatible changes"),
    ] {
        let selected: Vec<&ReportedFinding> = findings
            .iter()
            .filter(|finding| group(finding) == wanted)
            .collect();
        let api_breaks = if wanted == Group::Breaking {
            section.api_breaks
        } else {
            &[]
        };
        if selected.is_empty() && api_breaks.is_empty() {
            continue;
        }
        writeln!(out, "### {title}\n").unwrap();
        for (operation, lines) in per_operation(&selected) {
            writeln!(out, "- {operation}").unwrap();
            for line in lines {
                writeln!(out, "  - {line}").unwrap();
            }
        }
        if !api_breaks.is_empty() {
            writeln!(
                out,
                "- Rust API breaks found by cargo-semver-checks that the spec does not explain"
            )
            .unwrap();
            for api_break in api_breaks {
                write!(
                    out,
                    "  - `{}`: {}",
                    api_break.krate,
                    api_break.consumer_text()
                )
                .unwrap();
                let details = api_break.details(section.api_baseline);
                if details.is_empty() {
                    writeln!(out).unwrap();
                } else {
                    writeln!(out, " ({details})").unwrap();
                }
            }
        }
        writeln!(out).unwrap();
    }
    let accepted: Vec<&ReportedFinding> = findings
        .iter()
        .filter(|finding| finding.accepted.is_some())
        .collect();
    if !accepted.is_empty() {
        writeln!(out, "### Accepted breaks\n").unwrap();
        for finding in accepted {
            writeln!(
                out,
                "- `{}` at `{}` ({}): {}",
                finding.rule,
                finding.pointer,
                operations(finding),
                finding.accepted.as_deref().unwrap_or_default()
            )
            .unwrap();
        }
        writeln!(out).unwrap();
    }
    out
}

/// Findings listed under the operations they reach: a change of a shared component is listed
/// once, under all its operations; one that no operation reaches under "Shared components".
fn per_operation(findings: &[&ReportedFinding]) -> BTreeMap<String, Vec<String>> {
    let mut grouped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for finding in findings {
        let key = if finding.operations.is_empty() {
            "Shared components".to_owned()
        } else {
            operations(finding)
        };
        grouped.entry(key).or_default().push(finding_line(finding));
    }
    grouped
}

fn finding_line(finding: &ReportedFinding) -> String {
    let accepted = if finding.accepted.is_some() {
        ", accepted"
    } else {
        ""
    };
    format!(
        "{} (`{}` at `{}`: {}; wire: {}{accepted})",
        finding.rust_effect,
        finding.rule,
        finding.pointer,
        finding.change_text(),
        finding.wire
    )
}

fn operations(finding: &ReportedFinding) -> String {
    if finding.operations.is_empty() {
        return "shared component".to_owned();
    }
    finding
        .operations
        .iter()
        .map(|operation| format!("`{operation}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreleased_notes_are_read_and_emptied_by_a_release() {
        let text = "# Changelog\n\nIntro.\n\n## Unreleased\n\n- Hand note.\n\n## gigs-client 0.1.1, gigs 0.1.1 (2026-01-01)\n\nOld.\n";
        let changelog = Changelog::parse(Some(text));
        assert_eq!(changelog.unreleased, "- Hand note.");
        assert!(changelog.has_release("0.1.1"));
        assert!(!changelog.has_release("0.1.2"));
        let released =
            changelog.with_release("## gigs-client 0.1.2, gigs 0.1.2 (2026-02-02)\n\nNew.\n");
        assert_eq!(
            released,
            "# Changelog\n\nIntro.\n\n## Unreleased\n\n## gigs-client 0.1.2, gigs 0.1.2 (2026-02-02)\n\nNew.\n\n## gigs-client 0.1.1, gigs 0.1.1 (2026-01-01)\n\nOld.\n"
        );
    }

    #[test]
    fn a_changelog_without_unreleased_gets_one_above_the_first_release() {
        let changelog = Changelog::parse(Some(
            "# Changelog\n\n## gigs-client 0.1.0, gigs 0.1.0 (2026-01-01)\n",
        ));
        assert_eq!(changelog.unreleased, "");
        assert_eq!(
            changelog.with_release("## gigs-client 0.2.0, gigs 0.2.0 (2026-02-02)\n"),
            "# Changelog\n\n## Unreleased\n\n## gigs-client 0.2.0, gigs 0.2.0 (2026-02-02)\n\n## gigs-client 0.1.0, gigs 0.1.0 (2026-01-01)\n"
        );
    }
}
