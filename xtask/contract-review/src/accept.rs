//! Known breaking changes accepted on purpose, listed in a checked-in file. Accepted findings
//! stay in the report, marked as accepted, but no longer fail the check.

use std::path::Path;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use crate::findings::Finding;
use crate::rules;

/// One entry of the accepted-breaks file.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AcceptedBreak {
    pub rule: String,
    /// `METHOD /path`; left out, the entry covers every operation the change reaches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    pub pointer: String,
    pub reason: String,
}

impl AcceptedBreak {
    fn covers(&self, finding: &Finding, operation: Option<&str>) -> bool {
        self.rule == finding.rule.id
            && self.pointer == finding.pointer
            && (self.operation.is_none() || self.operation.as_deref() == operation)
    }
}

/// The entries of `path`; a missing file means none when `required` is false.
pub fn load(path: &Path, required: bool) -> anyhow::Result<Vec<AcceptedBreak>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(Vec::new())
        }
        Err(error) => bail!("cannot read {}: {error}", path.display()),
    };
    let entries: Option<Vec<AcceptedBreak>> = serde_yaml_ng::from_str(&text)
        .with_context(|| format!("{} is not a list of accepted breaks", path.display()))?;
    let entries = entries.unwrap_or_default();
    for (index, entry) in entries.iter().enumerate() {
        if rules::by_id(&entry.rule).is_none() {
            bail!(
                "{}: entry {index}: unknown rule `{}` (see `cargo xtask diff --rules`)",
                path.display(),
                entry.rule
            );
        }
        if entry.reason.trim().is_empty() {
            bail!("{}: entry {index}: `reason` is empty", path.display());
        }
    }
    Ok(entries)
}

/// Marks each finding whose every operation is covered by an entry; returns the entries
/// that matched nothing, which are probably stale.
pub fn apply(findings: &mut [Finding], entries: &[AcceptedBreak]) -> Vec<AcceptedBreak> {
    let mut used = vec![false; entries.len()];
    for finding in findings.iter_mut() {
        let labels: Vec<Option<String>> = if finding.operations.is_empty() {
            vec![None]
        } else {
            finding
                .operations
                .iter()
                .map(|operation| Some(operation.label()))
                .collect()
        };
        let mut reasons = Vec::new();
        let mut all_covered = true;
        let mut matched = Vec::new();
        for label in &labels {
            let covering = entries
                .iter()
                .enumerate()
                .find(|(_, entry)| entry.covers(finding, label.as_deref()));
            match covering {
                Some((index, entry)) => {
                    matched.push(index);
                    if !reasons.contains(&entry.reason) {
                        reasons.push(entry.reason.clone());
                    }
                }
                None => all_covered = false,
            }
        }
        if all_covered {
            for index in matched {
                used[index] = true;
            }
            finding.accepted = Some(reasons.join("; "));
        }
    }
    entries
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(entry, _)| entry.clone())
        .collect()
}
