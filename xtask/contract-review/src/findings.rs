//! Findings: one contract change each, merged across the operations a shared component reaches.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::containment::Containment;
use crate::lifecycle::{Lifecycle, LifecycleReport};
use crate::rules::{Rule, Severity};
use spec_model::diagnostic::FieldPath;
use spec_model::spec::SpecDocument;

/// Which version of the spec a finding's location refers to: removals only exist in the base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Base,
    Head,
}

/// An operation as reviewers name it: `GET /path`. Ordered by path, then method.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationName {
    pub path: String,
    pub method: String,
}

impl OperationName {
    pub fn new(path: &str, method: &str) -> Self {
        Self {
            path: path.to_owned(),
            method: method.to_uppercase(),
        }
    }

    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// One change of the contract.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub operations: BTreeSet<OperationName>,
    pub pointer: String,
    pub side: Side,
    pub line: Option<usize>,
    /// The field path of the change, kept to find the nearest line in the head spec.
    pub field: FieldPath,
    pub old: Option<String>,
    pub new: Option<String>,
    pub rust_effect: String,
    pub accepted: Option<String>,
    /// The wire severity: the containment engine's verdict for a change of what a schema
    /// accepts, the rule's for anything else.
    pub wire: Severity,
    /// The Rust severity: the rule's, unless the comparison knows the generated type is kept.
    pub rust: Severity,
    /// For a removal, what the base said of the element's lifecycle; for a deprecation, what
    /// the head says.
    pub lifecycle: Option<LifecycleReport>,
}

impl Finding {
    /// The larger of the two severities: what a reviewer has to act on.
    pub fn severity(&self) -> Severity {
        self.wire.max(self.rust)
    }
}

/// What a comparison reports before it is placed: rule, where, and what changed.
pub struct Change {
    pub rule: &'static Rule,
    pub side: Side,
    pub field: FieldPath,
    pub old: Option<String>,
    pub new: Option<String>,
    pub rust_effect: String,
    pub wire: Option<Severity>,
    pub rust: Option<Severity>,
    pub lifecycle: Option<(Lifecycle, LifecycleOf)>,
}

/// What a finding's lifecycle belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LifecycleOf {
    /// The element is removed: before its sunset date that breaks a promise.
    Removal,
    /// The element is newly deprecated: its sunset is shown, nothing more.
    Deprecation,
}

impl Change {
    pub fn new(rule: &'static Rule, side: Side, field: &FieldPath) -> Self {
        Self {
            rule,
            side,
            field: field.clone(),
            old: None,
            new: None,
            rust_effect: String::new(),
            wire: None,
            rust: None,
            lifecycle: None,
        }
    }

    /// The lifecycle of the element removed or deprecated, read from its object (`values`: a
    /// property and the schema its `$ref` reaches).
    pub fn lifecycle(mut self, values: &[&serde_json::Value], of: LifecycleOf) -> Self {
        self.lifecycle = Some((Lifecycle::of_any(values), of));
        self
    }

    /// The lifecycle of an operation removed or deprecated (its `Sunset` response header too).
    pub fn operation_lifecycle(
        mut self,
        spec: &SpecDocument,
        operation: &serde_json::Value,
        of: LifecycleOf,
    ) -> Self {
        self.lifecycle = Some((Lifecycle::of_operation(spec, operation), of));
        self
    }

    /// The wire severity decided by the containment engine, in place of the rule's.
    pub fn wire(mut self, severity: Severity) -> Self {
        self.wire = Some(severity);
        self
    }

    /// The Rust severity, when the comparison knows better than the rule.
    pub fn rust_severity(mut self, severity: Severity) -> Self {
        self.rust = Some(severity);
        self
    }

    pub fn old(mut self, old: impl Into<String>) -> Self {
        self.old = Some(old.into());
        self
    }

    pub fn new_value(mut self, new: impl Into<String>) -> Self {
        self.new = Some(new.into());
        self
    }

    pub fn rust(mut self, effect: impl Into<String>) -> Self {
        self.rust_effect = effect.into();
        self
    }
}

type FindingKey = (&'static str, String, Option<String>, Option<String>);

/// Collects changes; the same change reached from several operations is one finding.
pub struct Findings<'a> {
    base: &'a SpecDocument,
    head: &'a SpecDocument,
    by_key: BTreeMap<FindingKey, Finding>,
    /// What each schema accepts, compared once for all the operations that reach it.
    pub containment: Containment<'a>,
    /// The date sunsets are compared with.
    today: chrono::NaiveDate,
}

impl<'a> Findings<'a> {
    pub fn new(base: &'a SpecDocument, head: &'a SpecDocument, today: chrono::NaiveDate) -> Self {
        Self {
            base,
            head,
            by_key: BTreeMap::new(),
            containment: Containment::new(base, head),
            today,
        }
    }

    pub fn push(&mut self, operation: Option<&OperationName>, change: Change) {
        let pointer = json_pointer(&change.field);
        let key = (
            change.rule.id,
            pointer.clone(),
            change.old.clone(),
            change.new.clone(),
        );
        let document = match change.side {
            Side::Base => self.base,
            Side::Head => self.head,
        };
        debug_assert_eq!(
            change.wire.is_some(),
            change.rule.wire_judged,
            "`{}`: a rule judged by the containment engine (`judged(..)` in rules.rs) gets its \
             wire verdict from it, and only those do",
            change.rule.id
        );
        let mut wire = change.wire.unwrap_or(change.rule.wire);
        let rust = change.rust.unwrap_or(change.rule.rust);
        let lifecycle = change
            .lifecycle
            .map(|(lifecycle, of)| (lifecycle.on(self.today), of));
        if let Some((report, LifecycleOf::Removal)) = &lifecycle {
            // The API gave it a sunset date: whoever still uses it breaks, before the date (a
            // broken promise) or after it (announced, but a break all the same).
            if report.removal_breaks() {
                wire = Severity::Breaking;
            }
        }
        let finding = self.by_key.entry(key).or_insert_with(|| Finding {
            rule: change.rule,
            operations: BTreeSet::new(),
            line: document
                .locate(&change.field)
                .line_column
                .map(|(line, _)| line),
            pointer,
            side: change.side,
            field: change.field,
            old: change.old,
            new: change.new,
            rust_effect: change.rust_effect,
            accepted: None,
            wire,
            rust,
            lifecycle: lifecycle.map(|(report, _)| report),
        });
        // One change reached in several ways is judged by the worst of them.
        finding.wire = finding.wire.max(wire);
        finding.rust = finding.rust.max(rust);
        if let Some(operation) = operation {
            finding.operations.insert(operation.clone());
        }
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.by_key.into_values().collect()
    }
}

/// RFC 6901 pointer for a field path: `/paths/~1things/get`.
pub fn json_pointer(field: &FieldPath) -> String {
    field
        .segments()
        .iter()
        .map(|segment| format!("/{}", segment.replace('~', "~0").replace('/', "~1")))
        .collect()
}
