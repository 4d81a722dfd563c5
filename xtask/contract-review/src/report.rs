//! The report: findings in a fixed order, counts, and the suggested version bump.

use serde::Serialize;

use crate::accept::AcceptedBreak;
use crate::findings::{Finding, Side};
use crate::lifecycle::LifecycleReport;
use crate::rules::Severity;
use spec_model::spec::SpecDocument;

#[derive(Serialize)]
pub struct Report {
    pub base: VersionLabel,
    pub head: VersionLabel,
    pub counts: Counts,
    pub suggested_bump: Bump,
    /// Why: what in the findings asks for that step.
    pub bump_reason: &'static str,
    pub description_changes: usize,
    pub notes: Vec<String>,
    pub findings: Vec<ReportedFinding>,
    pub unused_accepted_breaks: Vec<AcceptedBreak>,
    /// The head spec as a repository path, for GitHub annotations.
    #[serde(skip)]
    pub head_file: String,
}

#[derive(Serialize)]
pub struct VersionLabel {
    pub label: String,
    pub commit: Option<String>,
}

#[derive(Serialize, Default)]
pub struct Counts {
    pub breaking: usize,
    pub review: usize,
    pub info: usize,
    pub accepted: usize,
}

/// The semver step the change asks of gigs-client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The step a finding asks for, and why. A finding whose Rust effect is "none" leaves the
/// Rust API as it is, so it asks for a patch release, not a minor one.
fn bump_of(finding: &Finding) -> (Bump, &'static str) {
    if finding.rust == Severity::Breaking {
        (
            Bump::Major,
            "the Rust API breaks; while gigs-client is 0.x, that means the minor version",
        )
    } else if finding.rust_effect.starts_with("none") {
        (
            Bump::Patch,
            "the contract changes on the wire; the Rust API stays the same",
        )
    } else {
        (Bump::Minor, "the Rust API changes without breaking")
    }
}

#[derive(Serialize)]
pub struct ReportedFinding {
    pub rule: &'static str,
    pub severity: Severity,
    pub wire: Severity,
    pub rust: Severity,
    pub summary: &'static str,
    pub operations: Vec<String>,
    pub pointer: String,
    pub side: Side,
    pub line: Option<usize>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub rust_effect: String,
    pub accepted: Option<String>,
    /// For a removal or a deprecation: `deprecated`, `x-sunset`, whether the sunset has passed
    /// and whether the removal was announced (deprecated, sunset passed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<LifecycleReport>,
    /// The line in the head spec closest to the change, for annotations.
    #[serde(skip)]
    pub head_line: Option<usize>,
}

pub struct Inputs<'a> {
    pub base: VersionLabel,
    pub head: VersionLabel,
    pub head_document: &'a SpecDocument,
    pub head_file: String,
    pub description_changes: usize,
    pub notes: Vec<String>,
    pub unused_accepted_breaks: Vec<AcceptedBreak>,
}

pub fn build(inputs: Inputs, findings: Vec<Finding>) -> Report {
    let mut counts = Counts::default();
    let mut bump = match inputs.description_changes {
        0 => (Bump::None, "the contract is unchanged"),
        _ => (Bump::Patch, "documentation changes only"),
    };
    let mut reported: Vec<ReportedFinding> = findings
        .into_iter()
        .map(|finding| {
            let severity = finding.severity();
            match severity {
                Severity::Breaking => counts.breaking += 1,
                Severity::Review => counts.review += 1,
                Severity::Info => counts.info += 1,
            }
            counts.accepted += usize::from(finding.accepted.is_some());
            let finding_bump = bump_of(&finding);
            if finding_bump.0 > bump.0 || (finding_bump.0 == bump.0 && bump.0 == Bump::Patch) {
                bump = finding_bump;
            }
            ReportedFinding {
                rule: finding.rule.id,
                severity,
                wire: finding.wire,
                rust: finding.rust,
                summary: finding.rule.summary,
                operations: finding.operations.iter().map(|name| name.label()).collect(),
                head_line: inputs
                    .head_document
                    .locate(&finding.field)
                    .line_column
                    .map(|(line, _)| line),
                pointer: finding.pointer,
                side: finding.side,
                line: finding.line,
                old: finding.old,
                new: finding.new,
                rust_effect: finding.rust_effect,
                accepted: finding.accepted,
                lifecycle: finding.lifecycle,
            }
        })
        .collect();
    reported.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.pointer.cmp(&b.pointer))
            .then_with(|| a.rule.cmp(b.rule))
            .then_with(|| a.old.cmp(&b.old))
            .then_with(|| a.new.cmp(&b.new))
    });
    Report {
        base: inputs.base,
        head: inputs.head,
        counts,
        suggested_bump: bump.0,
        bump_reason: bump.1,
        description_changes: inputs.description_changes,
        notes: inputs.notes,
        findings: reported,
        unused_accepted_breaks: inputs.unused_accepted_breaks,
        head_file: inputs.head_file,
    }
}

impl ReportedFinding {
    /// `old → new`, and for a removal or deprecation its lifecycle: every format, and the
    /// changelog, shows this.
    pub fn change_text(&self) -> String {
        let side = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".to_owned());
        let mut text = format!("{} → {}", side(&self.old), side(&self.new));
        if let Some(lifecycle) = &self.lifecycle {
            text.push_str(&format!(" [{}]", lifecycle.text()));
        }
        text
    }

    /// Whether this finding fails a run that fails on `threshold`: unaccepted and at least as
    /// severe.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.accepted.is_none() && self.severity >= threshold
    }
}

impl Report {
    /// `1 breaking, 0 needs review, 2 non-breaking (1 accepted); 3 description changes`: the
    /// counts as the report and the release print them.
    pub fn counts_text(&self) -> String {
        let counts = &self.counts;
        let mut text = format!(
            "{} breaking, {} needs review, {} non-breaking",
            counts.breaking, counts.review, counts.info
        );
        if counts.accepted > 0 {
            text.push_str(&format!(" ({} accepted)", counts.accepted));
        }
        let plural = if self.description_changes == 1 {
            ""
        } else {
            "s"
        };
        text.push_str(&format!(
            "; {} description change{plural}",
            self.description_changes
        ));
        text
    }

    /// Whether an unaccepted finding reaches `threshold`.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|finding| finding.fails(threshold))
    }
}
