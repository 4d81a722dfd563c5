//! The lifecycle of what a change removes or deprecates, as oasdiff reads it: `deprecated: true`
//! and an `x-sunset` date on an operation, a parameter or a property schema, and for an
//! operation the `Sunset` response header of RFC 8594 (declaring it announces the operation's
//! end; the date is the header's example or its schema's `example`, `default` or single `enum`
//! value). A removal of something that had a sunset date is breaking on the wire whatever the
//! rule says: before the date it breaks a promise the API made; on or after it, clients that
//! still use it break all the same, and the finding is marked *announced* when the element was
//! deprecated.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use spec_model::diagnostic::{Diagnostic, FieldPath};
use spec_model::spec::{self, SpecDocument};

/// The extension that carries the date after which something may be removed.
pub const SUNSET_KEY: &str = "x-sunset";

/// The response header (RFC 8594) by which an operation announces the date it stops answering.
pub const SUNSET_HEADER: &str = "Sunset";

/// What the base (for a removal) or the head (for a deprecation) says of an element's lifecycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lifecycle {
    /// `deprecated: true`, or (an operation) a declared `Sunset` response header.
    pub deprecated: bool,
    pub sunset: Option<NaiveDate>,
    /// The deprecation, or the sunset date, comes from a `Sunset` response header.
    pub by_sunset_header: bool,
}

impl Lifecycle {
    /// The lifecycle of an operation, parameter or schema object. An `x-sunset` that is not a
    /// date is refused before any comparison ([`check_sunsets`]), so here it is only read.
    pub fn of(value: &Value) -> Self {
        Self {
            deprecated: value.get("deprecated") == Some(&Value::Bool(true)),
            sunset: value.get(SUNSET_KEY).and_then(parse_sunset),
            by_sunset_header: false,
        }
    }

    /// The lifecycle of an operation: its own keywords, and a `Sunset` header declared on any
    /// of its responses (which counts as a deprecation; its date as the sunset when the
    /// operation has no `x-sunset`).
    pub fn of_operation(spec: &SpecDocument, operation: &Value) -> Self {
        let mut lifecycle = Self::of(operation);
        let headers: Vec<&Value> = sunset_headers(&spec.value, operation).collect();
        if headers.is_empty() {
            return lifecycle;
        }
        let header_date = headers.iter().find_map(|header| {
            header_date(&spec.value, header, &FieldPath::root())
                .and_then(|(date, _)| parse_sunset(date))
        });
        lifecycle.by_sunset_header =
            !lifecycle.deprecated || (lifecycle.sunset.is_none() && header_date.is_some());
        lifecycle.deprecated = true;
        lifecycle.sunset = lifecycle.sunset.or(header_date);
        lifecycle
    }

    /// The lifecycle written on any of `values` (a property and the schema its `$ref` reaches).
    pub fn of_any(values: &[&Value]) -> Self {
        let each: Vec<Self> = values.iter().map(|value| Self::of(value)).collect();
        Self {
            deprecated: each.iter().any(|lifecycle| lifecycle.deprecated),
            sunset: each.iter().find_map(|lifecycle| lifecycle.sunset),
            by_sunset_header: each.iter().any(|lifecycle| lifecycle.by_sunset_header),
        }
    }

    /// How the lifecycle stands on `today`.
    pub fn on(&self, today: NaiveDate) -> LifecycleReport {
        let sunset_passed = self.sunset.map(|sunset| sunset <= today);
        LifecycleReport {
            deprecated: self.deprecated,
            by_sunset_header: self.by_sunset_header,
            sunset: self.sunset.map(|sunset| sunset.to_string()),
            sunset_passed,
            announced: self.deprecated && sunset_passed == Some(true),
        }
    }
}

/// A lifecycle as the report carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LifecycleReport {
    /// The element was marked `deprecated: true`, or (an operation) declared a `Sunset`
    /// response header.
    pub deprecated: bool,
    /// The deprecation or the sunset date was read from a `Sunset` response header.
    pub by_sunset_header: bool,
    /// Its `x-sunset` date, `YYYY-MM-DD`.
    pub sunset: Option<String>,
    /// Whether the sunset date is today or past (`None` without a sunset).
    pub sunset_passed: Option<bool>,
    /// Deprecated and past its sunset: the removal was announced.
    pub announced: bool,
}

impl LifecycleReport {
    /// A removal of something with a sunset date: breaking on the wire whatever else is said of
    /// it, before the date (a broken promise) and after it (clients still using it break; the
    /// finding says it was announced).
    pub fn removal_breaks(&self) -> bool {
        self.sunset.is_some()
    }

    /// `deprecated, sunset 2026-06-01 (passed): announced`, for every format. Only a removal can
    /// find its element undeprecated.
    pub fn text(&self) -> String {
        let mut text = String::from(match (self.deprecated, self.by_sunset_header) {
            (true, true) => "deprecated (`Sunset` response header)",
            (true, false) => "deprecated",
            (false, _) => "removed without deprecation",
        });
        match (&self.sunset, self.sunset_passed) {
            (Some(sunset), Some(true)) => text.push_str(&format!(", sunset {sunset} (passed)")),
            (Some(sunset), _) => text.push_str(&format!(", sunset {sunset} (not reached)")),
            (None, _) => text.push_str(", no sunset"),
        }
        if self.announced {
            text.push_str(": announced");
        }
        text
    }
}

/// `2026-06-01`, an RFC 3339 date-time, or an HTTP-date as the `Sunset` header carries it
/// (`Tue, 01 Jun 2027 00:00:00 GMT`); of a date-time, the date (in its own offset) is taken.
fn parse_sunset(value: &Value) -> Option<NaiveDate> {
    let text = value.as_str()?.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|time| time.date_naive())
        })
        .or_else(|| {
            chrono::DateTime::parse_from_rfc2822(text)
                .ok()
                .map(|time| time.date_naive())
        })
}

/// The `Sunset` headers (any letter case) declared on the responses of `operation`, resolved.
fn sunset_headers<'d>(
    document: &'d Value,
    operation: &'d Value,
) -> impl Iterator<Item = &'d Value> + 'd {
    let responses = operation.get("responses").and_then(Value::as_object);
    responses
        .into_iter()
        .flatten()
        .flat_map(move |(_, response)| {
            let headers = spec::resolve_or_self(document, response)
                .get("headers")
                .and_then(Value::as_object);
            headers
                .into_iter()
                .flatten()
                .filter(|(name, _)| name.eq_ignore_ascii_case(SUNSET_HEADER))
                .map(move |(_, header)| spec::resolve_or_self(document, header))
        })
}

/// The date a `Sunset` header declaration gives, with where it is written (below `field`, the
/// header's): the header's `example`, or its schema's `example`, `default` or single `enum`
/// value.
fn header_date<'d>(
    document: &'d Value,
    header: &'d Value,
    field: &FieldPath,
) -> Option<(&'d Value, FieldPath)> {
    if let Some(example) = header.get("example") {
        return Some((example, field.join("example")));
    }
    let schema_field = field.join("schema");
    let (schema, schema_field) =
        spec::resolve_located(document, header.get("schema")?, &schema_field).ok()?;
    let at = |key: &str| schema_field.join(key);
    schema
        .get("example")
        .map(|value| (value, at("example")))
        .or_else(|| schema.get("default").map(|value| (value, at("default"))))
        .or_else(|| {
            match schema
                .get("enum")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                Some([only]) => Some((only, at("enum").join(0))),
                _ => None,
            }
        })
}

/// Every `x-sunset`, and every date a `Sunset` response header declares, that is not a date,
/// with where it is.
pub fn check_sunsets(spec: &SpecDocument, problems: &mut Vec<Diagnostic>) {
    // One walk of the whole document; the path is kept as segments and made a `FieldPath`
    // only for a problem, as most documents have none.
    fn walk<'d>(
        spec: &'d SpecDocument,
        value: &'d Value,
        path: &mut Vec<String>,
        problems: &mut Vec<Diagnostic>,
    ) {
        let field = |path: &[String]| {
            path.iter()
                .fold(FieldPath::root(), |field, segment| field.join(segment))
        };
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    path.push(key.clone());
                    if key == SUNSET_KEY && parse_sunset(child).is_none() {
                        problems.push(spec.diagnostic(
                            &field(path),
                            format!(
                                "`{SUNSET_KEY}: {child}` is not a date (write `YYYY-MM-DD`, an RFC 3339 \
                                 date-time or an HTTP-date)"
                            ),
                        ));
                    } else {
                        // A response's (or `components`') headers: a `Sunset` one's date.
                        if key == "headers" {
                            check_sunset_headers(spec, child, &field(path), problems);
                        }
                        walk(spec, child, path, problems);
                    }
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    path.push(index.to_string());
                    walk(spec, child, path, problems);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    walk(spec, &spec.value, &mut Vec::new(), problems);
}

/// The date of each `Sunset` header in a `headers` map (at `field`) that is not a date.
fn check_sunset_headers(
    spec: &SpecDocument,
    headers: &Value,
    field: &FieldPath,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(headers) = headers.as_object() else {
        return;
    };
    for (name, header) in headers {
        if !name.eq_ignore_ascii_case(SUNSET_HEADER) || header.get("$ref").is_some() {
            // A `$ref`'d header is checked where it is written.
            continue;
        }
        let Some((date, date_field)) = header_date(&spec.value, header, &field.join(name)) else {
            continue;
        };
        if parse_sunset(date).is_none() {
            problems.push(spec.diagnostic(
                &date_field,
                format!(
                    "the `{SUNSET_HEADER}` header's date `{date}` is not a date (write an \
                     HTTP-date such as `Tue, 01 Jun 2027 00:00:00 GMT`, `YYYY-MM-DD` or an \
                     RFC 3339 date-time)"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn reads_deprecation_and_every_sunset_spelling() {
        let lifecycle = Lifecycle::of(&json!({"deprecated": true, "x-sunset": "2026-06-01"}));
        assert_eq!(
            lifecycle,
            Lifecycle {
                deprecated: true,
                sunset: Some(date("2026-06-01")),
                by_sunset_header: false,
            }
        );
        let lifecycle = Lifecycle::of(&json!({"x-sunset": "2026-06-01T12:00:00Z"}));
        assert_eq!(lifecycle.sunset, Some(date("2026-06-01")));
        assert!(!lifecycle.deprecated);
        // The `Sunset` header's own form (RFC 8594: an HTTP-date).
        let lifecycle = Lifecycle::of(&json!({"x-sunset": "Tue, 01 Jun 2027 00:00:00 GMT"}));
        assert_eq!(lifecycle.sunset, Some(date("2027-06-01")));
        assert_eq!(Lifecycle::of(&json!({"deprecated": false})).sunset, None);
        assert_eq!(Lifecycle::of(&json!({"x-sunset": "soon"})).sunset, None);
    }

    fn spec(yaml: &str) -> SpecDocument {
        SpecDocument::parse(std::path::Path::new("openapi.yaml"), yaml.to_owned()).unwrap()
    }

    const SUNSET_HEADER_SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          headers:
            sunset:
              schema: {type: string, example: "Tue, 01 Jun 2027 00:00:00 GMT"}
    post:
      responses:
        "201": {$ref: "#/components/responses/Ending"}
    put:
      deprecated: true
      x-sunset: "2027-01-01"
      responses:
        "200": {$ref: "#/components/responses/Ending"}
    delete:
      responses:
        "204": {description: gone}
components:
  headers:
    Sunset:
      description: when this operation stops answering
      schema: {type: string}
  responses:
    Ending:
      description: ok
      headers:
        Sunset: {$ref: "#/components/headers/Sunset"}
"##;

    #[test]
    fn a_sunset_response_header_announces_the_operations_end() {
        let spec = spec(SUNSET_HEADER_SPEC);
        let operation = |method: &str| {
            spec.value
                .pointer(&format!("/paths/~1things/{method}"))
                .unwrap()
        };
        // Declared in any letter case, with the date in its schema's example.
        assert_eq!(
            Lifecycle::of_operation(&spec, operation("get")),
            Lifecycle {
                deprecated: true,
                sunset: Some(date("2027-06-01")),
                by_sunset_header: true,
            }
        );
        // Declared through `$ref`s without a date: deprecated, sunset unknown.
        assert_eq!(
            Lifecycle::of_operation(&spec, operation("post")),
            Lifecycle {
                deprecated: true,
                sunset: None,
                by_sunset_header: true,
            }
        );
        // The operation's own keywords come first; the header adds nothing to them.
        assert_eq!(
            Lifecycle::of_operation(&spec, operation("put")),
            Lifecycle {
                deprecated: true,
                sunset: Some(date("2027-01-01")),
                by_sunset_header: false,
            }
        );
        assert_eq!(
            Lifecycle::of_operation(&spec, operation("delete")),
            Lifecycle::of(&json!({}))
        );
        let report = Lifecycle::of_operation(&spec, operation("get")).on(date("2027-06-02"));
        assert_eq!(
            report.text(),
            "deprecated (`Sunset` response header), sunset 2027-06-01 (passed): announced"
        );
    }

    #[test]
    fn a_sunset_header_date_that_is_not_a_date_is_refused_with_its_place() {
        let spec = spec(&SUNSET_HEADER_SPEC.replace("Tue, 01 Jun 2027 00:00:00 GMT", "next June"));
        let mut problems = Vec::new();
        check_sunsets(&spec, &mut problems);
        let [problem] = problems.as_slice() else {
            panic!("one problem expected: {problems:?}");
        };
        let text = problem.to_string();
        assert!(text.contains("openapi.yaml:12:"), "{text}");
        assert!(
            text.contains("`Sunset` header's date `\"next June\"` is not a date"),
            "{text}"
        );
        let mut problems = Vec::new();
        check_sunsets(&super::tests::spec(SUNSET_HEADER_SPEC), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_removal_with_a_sunset_breaks_before_the_date_and_after_it_is_announced() {
        let lifecycle = Lifecycle::of(&json!({"deprecated": true, "x-sunset": "2026-06-01"}));
        let before = lifecycle.on(date("2026-05-31"));
        assert!(before.removal_breaks());
        assert!(!before.announced);
        assert_eq!(before.text(), "deprecated, sunset 2026-06-01 (not reached)");
        // The sunset day itself is past the promise: still a break, now an announced one.
        let on_the_day = lifecycle.on(date("2026-06-01"));
        assert!(on_the_day.removal_breaks());
        assert!(on_the_day.announced);
        assert_eq!(
            on_the_day.text(),
            "deprecated, sunset 2026-06-01 (passed): announced"
        );
        // Past its sunset without a deprecation: not announced.
        let undeclared = Lifecycle::of(&json!({"x-sunset": "2026-06-01"})).on(date("2027-01-01"));
        assert!(undeclared.removal_breaks());
        assert!(!undeclared.announced);
        // Without a sunset, the rule decides.
        let none = Lifecycle::of(&json!({"deprecated": true})).on(date("2027-01-01"));
        assert!(!none.removal_breaks());
        assert_eq!(
            Lifecycle::of(&json!({})).on(date("2027-01-01")).text(),
            "removed without deprecation, no sunset"
        );
    }
}
