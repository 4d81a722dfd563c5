//! The one validator of the workspace: what a tool refuses before reading a document as a
//! spec, each problem with its file, line, column and field, all of them at once.
//!
//! - [`document_problems`]: what makes a document something other than a spec any tool could
//!   read as written: a `$ref` that points nowhere, outside the file, or at another kind of
//!   object than its place needs (a schema `$ref` that points to an operation), a key of
//!   `paths` that is not a path, a path parameter that is not a variable of its template. The
//!   contract review refuses exactly these (read as if they were right, each would be compared
//!   as something other than what is written).
//! - [`validate`]: for generation, those and what progenitor would reject with a vague message,
//!   panic on, or silently turn into a wrong client.

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, FieldPath};
use crate::spec::{
    operation_objects, reference_target, resolve_or_self, unresolved_message, visit_keys,
    SpecDocument, HTTP_METHODS, IDEMPOTENT_EXTENSION, SENSITIVE_EXTENSION,
};

/// Every problem that stops generation: [`document_problems`], then what progenitor cannot
/// generate.
pub fn validate(spec: &SpecDocument) -> Vec<Diagnostic> {
    let mut problems = document_problems(spec);
    check_operations(spec, &mut problems);
    check_generation_keywords(spec, &mut problems);
    problems
}

/// Every problem that makes the document something other than a spec as written.
pub fn document_problems(spec: &SpecDocument) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut path = Vec::new();
    find_broken_references(spec, &spec.value, &mut path, &mut problems);
    check_paths(spec, &mut problems);
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

/// What progenitor would drop silently: `const` (3.1 and JSON Schema), and an `x-gigs-sensitive`
/// mark that is not a boolean.
fn check_generation_keywords(spec: &SpecDocument, problems: &mut Vec<Diagnostic>) {
    visit_keys(&spec.value, &FieldPath::root(), &mut |key, child, field| {
        if key == SENSITIVE_EXTENSION && !child.is_boolean() {
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

/// Walks with a stack of borrowed keys; a field path is only built for a broken reference, as
/// building one per key dominated the time on large specs.
fn find_broken_references<'d>(
    spec: &SpecDocument,
    value: &'d Value,
    path: &mut Vec<std::borrow::Cow<'d, str>>,
    problems: &mut Vec<Diagnostic>,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(key.as_str().into());
                if let (true, Some(reference)) = (key == "$ref", child.as_str()) {
                    let field = || {
                        path.iter()
                            .fold(FieldPath::root(), |field, segment| field.join(segment))
                    };
                    if reference_target(&spec.value, reference).is_none() {
                        problems.push(spec.diagnostic(&field(), unresolved_message(reference)));
                    } else {
                        // The same walk checks that the reference stands for the kind of
                        // object its place needs (the place is the path without `$ref`).
                        let place: Vec<&str> =
                            path[..path.len() - 1].iter().map(AsRef::as_ref).collect();
                        if let Some(problem) = reference_problem(&place, reference) {
                            problems.push(spec.diagnostic(&field(), problem));
                        }
                    }
                }
                find_broken_references(spec, child, path, problems);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(index.to_string().into());
                find_broken_references(spec, child, path, problems);
                path.pop();
            }
        }
        _ => {}
    }
}

fn check_paths(spec: &SpecDocument, problems: &mut Vec<Diagnostic>) {
    let Some(paths) = spec.value.get("paths").and_then(Value::as_object) else {
        return;
    };
    for path in paths.keys() {
        if !path.starts_with('/') && !path.starts_with("x-") {
            let field = FieldPath::root().join("paths").join(path);
            problems.push(spec.diagnostic(
                &field,
                format!("path `{path}` does not start with `/` (and is not an `x-` extension)"),
            ));
        }
    }
    for operation in operation_objects(&spec.value) {
        let path_field = operation.item_field();
        let lists = [
            (operation.path_item, path_field),
            (operation.value, operation.field()),
        ];
        for (owner, owner_field) in lists {
            let list = owner.get("parameters").and_then(Value::as_array);
            for (index, raw) in list.into_iter().flatten().enumerate() {
                let parameter = resolve_or_self(&spec.value, raw);
                let text = |key| parameter.get(key).and_then(Value::as_str);
                let (Some("path"), Some(name)) = (text("in"), text("name")) else {
                    continue;
                };
                if !operation.path.contains(&format!("{{{name}}}")) {
                    problems.push(spec.diagnostic(
                        &owner_field.join("parameters").join(index),
                        format!(
                            "path parameter `{name}` is not a variable of `{}`",
                            operation.path
                        ),
                    ));
                }
            }
        }
    }
}

/// Why a `$ref` at `place` does not stand for what its place needs, if it does not.
pub fn reference_problem(place: &[&str], reference: &str) -> Option<String> {
    let needed = kind(place)?;
    // The raw segments do: the kind of a place depends only on keywords, which need no
    // unescaping (`~0`, `~1` only occur in names, matched as wildcards).
    let target = reference.strip_prefix("#/")?;
    let target_segments: Vec<&str> = target.split('/').collect();
    let found = kind(&target_segments);
    if found == Some(needed) {
        return None;
    }
    Some(format!(
        "`$ref` {reference:?} points to {}, where {} is expected",
        found.map_or_else(|| "something that is not one".to_owned(), with_article),
        with_article(needed)
    ))
}

fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

/// The kind of object OpenAPI 3.0 places at a path of keys, for the kinds a `$ref` can stand
/// for; `None` where it is none of them.
fn kind(segments: &[&str]) -> Option<&'static str> {
    match segments {
        ["components", "schemas", _, rest @ ..] => schema(rest),
        ["components", "parameters", _, rest @ ..] => parameter(rest),
        ["components", "responses", _, rest @ ..] => response(rest),
        ["components", "requestBodies", _, rest @ ..] => request_body(rest),
        ["components", "headers", _, rest @ ..] => header(rest),
        ["components", "pathItems", _, rest @ ..] | ["paths" | "webhooks", _, rest @ ..] => {
            path_item(rest)
        }
        ["components", "callbacks", _, _, rest @ ..] => path_item(rest),
        _ => None,
    }
}

/// A schema, and the schemas inside it (OpenAPI 3.0's keywords and those of JSON Schema
/// 2020-12 that OpenAPI 3.1 allows, `$defs` included).
fn schema(rest: &[&str]) -> Option<&'static str> {
    match rest {
        [] => Some("schema"),
        ["properties" | "patternProperties" | "dependentSchemas" | "$defs" | "definitions", _, rest @ ..]
        | ["allOf" | "oneOf" | "anyOf" | "prefixItems", _, rest @ ..]
        | ["items"
        | "additionalProperties"
        | "not"
        | "if"
        | "then"
        | "else"
        | "contains"
        | "propertyNames"
        | "unevaluatedItems"
        | "unevaluatedProperties"
        | "additionalItems"
        | "contentSchema", rest @ ..] => schema(rest),
        _ => None,
    }
}

fn media_schema(rest: &[&str]) -> Option<&'static str> {
    match rest {
        ["content", _, "schema", rest @ ..] => schema(rest),
        ["content", _, "encoding", _, "headers", _, rest @ ..] => header(rest),
        _ => None,
    }
}

fn parameter(rest: &[&str]) -> Option<&'static str> {
    match rest {
        [] => Some("parameter"),
        ["schema", rest @ ..] => schema(rest),
        _ => media_schema(rest),
    }
}

fn header(rest: &[&str]) -> Option<&'static str> {
    match rest {
        [] => Some("header"),
        ["schema", rest @ ..] => schema(rest),
        _ => media_schema(rest),
    }
}

fn request_body(rest: &[&str]) -> Option<&'static str> {
    match rest {
        [] => Some("request body"),
        _ => media_schema(rest),
    }
}

fn response(rest: &[&str]) -> Option<&'static str> {
    match rest {
        [] => Some("response"),
        ["headers", _, rest @ ..] => header(rest),
        _ => media_schema(rest),
    }
}

fn path_item(rest: &[&str]) -> Option<&'static str> {
    match rest {
        [] => Some("path item"),
        ["parameters", _, rest @ ..] => parameter(rest),
        [method, rest @ ..] if HTTP_METHODS.contains(method) => operation(rest),
        _ => None,
    }
}

fn operation(rest: &[&str]) -> Option<&'static str> {
    match rest {
        [] => Some("operation"),
        ["parameters", _, rest @ ..] => parameter(rest),
        ["requestBody", rest @ ..] => request_body(rest),
        ["responses", _, rest @ ..] => response(rest),
        ["callbacks", _, _, rest @ ..] => path_item(rest),
        _ => None,
    }
}
