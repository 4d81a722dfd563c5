//! What is not a spec is refused before any comparison, with the file, line and reason: a
//! `$ref` that stands for another kind of object than its place needs (a schema `$ref` that
//! points to an operation, say; checked in the walk of [`crate::resolve::check_references`]),
//! a key of `paths` that is not a path, a path parameter whose name is not a variable of
//! its template, and an `x-sunset` that is not a date. Read as if they were right, each would be compared as something other than
//! what is written.

use serde_json::Value;

use spec_model::diagnostic::{Diagnostic, Diagnostics, FieldPath};
use spec_model::spec::{self, SpecDocument, HTTP_METHODS};

/// Every problem of the document's paths, all at once.
pub fn check(spec: &SpecDocument) -> Result<(), Diagnostics> {
    let mut problems = Vec::new();
    check_paths(spec, &mut problems);
    crate::lifecycle::check_sunsets(spec, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(problems))
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
    for operation in spec::operation_objects(&spec.value) {
        let path_field = FieldPath::root().join("paths").join(operation.path);
        let lists = [
            (operation.path_item, path_field),
            (operation.value, operation.field()),
        ];
        for (owner, owner_field) in lists {
            let list = owner.get("parameters").and_then(Value::as_array);
            for (index, raw) in list.into_iter().flatten().enumerate() {
                let parameter = spec::resolve_or_self(&spec.value, raw);
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
        ["paths", _, rest @ ..] => path_item(rest),
        _ => None,
    }
}

fn schema(rest: &[&str]) -> Option<&'static str> {
    match rest {
        [] => Some("schema"),
        ["properties", _, rest @ ..]
        | ["allOf" | "oneOf" | "anyOf", _, rest @ ..]
        | ["items" | "additionalProperties" | "not", rest @ ..] => schema(rest),
        _ => None,
    }
}

fn media_schema(rest: &[&str]) -> Option<&'static str> {
    match rest {
        ["content", _, "schema", rest @ ..] => schema(rest),
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
        _ => None,
    }
}
