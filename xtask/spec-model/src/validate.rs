//! Checks that catch, with a precise location, the spec mistakes progenitor would either reject
//! with a vague message, panic on, or silently turn into a wrong client.

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, FieldPath};
use crate::spec::{
    operation_objects, reference_target, visit_keys, SpecDocument, IDEMPOTENT_EXTENSION,
    SENSITIVE_EXTENSION,
};

pub fn validate(spec: &SpecDocument) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    check_operations(spec, &mut problems);
    check_refs(spec, &mut problems);
    problems
}

fn check_operations(spec: &SpecDocument, problems: &mut Vec<Diagnostic>) {
    let Some(paths) = spec.value.get("paths").and_then(Value::as_object) else {
        problems.push(spec.diagnostic(&FieldPath::root().join("paths"), "missing `paths` object"));
        return;
    };
    for (path, item) in paths {
        if item.get("$ref").is_some() {
            problems.push(spec.diagnostic(
                &FieldPath::root().join("paths").join(path),
                "path items cannot be `$ref`s (progenitor does not resolve them)",
            ));
        }
    }
    let mut uses: HashMap<&str, Vec<FieldPath>> = HashMap::new();
    for operation in operation_objects(&spec.value) {
        let operation_field = operation.field();
        match operation.operation_id() {
            None | Some("") => problems.push(spec.diagnostic(
                &operation_field,
                format!(
                    "{} {} has no operationId (it names the generated Rust method)",
                    operation.method.to_uppercase(),
                    operation.path
                ),
            )),
            Some(id) => uses
                .entry(id)
                .or_default()
                .push(operation_field.join("operationId")),
        }
        if let Some(mark) = operation.value.get(IDEMPOTENT_EXTENSION) {
            if !mark.is_boolean() {
                problems.push(spec.diagnostic(
                    &operation_field.join(IDEMPOTENT_EXTENSION),
                    format!("`{IDEMPOTENT_EXTENSION}` is `true` or `false`, got `{mark}`"),
                ));
            }
        }
        if operation
            .value
            .get("responses")
            .and_then(|responses| responses.get("default"))
            .is_some()
        {
            problems.push(spec.diagnostic(
                &operation_field.join("responses").join("default"),
                "`default` responses are not allowed: progenitor takes them as both the \
                 success and the error type; list the error statuses explicitly",
            ));
        }
    }
    report_duplicates(spec, uses, problems);
}

/// Reports every use of an operationId after its first one in the file.
fn report_duplicates(
    spec: &SpecDocument,
    uses: HashMap<&str, Vec<FieldPath>>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut duplicated: Vec<(&str, Vec<FieldPath>)> = uses
        .into_iter()
        .filter(|(_, fields)| fields.len() > 1)
        .collect();
    duplicated.sort_by(|a, b| a.0.cmp(b.0));
    for (id, mut fields) in duplicated {
        fields.sort_by_key(|field| spec.locate(field).line_column);
        let first = spec.locate(&fields[0]);
        let line = first
            .line_column
            .map(|(line, _)| format!(" (line {line})"))
            .unwrap_or_default();
        for field in &fields[1..] {
            problems.push(spec.diagnostic(
                field,
                format!(
                    "duplicate operationId `{id}`: already used at {}{line}",
                    first.field
                ),
            ));
        }
    }
}

fn check_refs(spec: &SpecDocument, problems: &mut Vec<Diagnostic>) {
    visit_keys(&spec.value, &FieldPath::root(), &mut |key, child, field| {
        if key == "$ref" {
            if let Some(target) = child.as_str() {
                check_ref_target(spec, target, field, problems);
            }
        } else if key == SENSITIVE_EXTENSION && !child.is_boolean() {
            problems.push(spec.diagnostic(
                field,
                format!("`{SENSITIVE_EXTENSION}` is `true` or `false`, got `{child}`"),
            ));
        } else if key == "const" {
            problems.push(spec.diagnostic(
                field,
                "`const` is not part of OpenAPI 3.0 and progenitor drops it silently; \
                 use a one-value `enum`",
            ));
        }
    });
}

fn check_ref_target(
    spec: &SpecDocument,
    target: &str,
    field: &FieldPath,
    problems: &mut Vec<Diagnostic>,
) {
    if !target.starts_with("#/") {
        problems.push(spec.diagnostic(
            field,
            format!("unsupported `$ref` `{target}`: only references inside the document (`#/...`) are allowed"),
        ));
        return;
    }
    if reference_target(&spec.value, target).is_none() {
        problems.push(spec.diagnostic(
            field,
            format!("unresolved `$ref` `{target}`: nothing is defined at that path"),
        ));
    }
}
