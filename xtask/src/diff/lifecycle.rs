//! The lifecycle of what a change removes or deprecates, as oasdiff reads it: `deprecated: true`
//! and an `x-sunset` date on an operation, a parameter or a property schema. A removal before
//! its sunset date breaks a promise the API made, so it is breaking whatever the rule says; a
//! removal of something deprecated whose sunset has passed is still a removal on the wire, but
//! an announced one.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, FieldPath};
use crate::spec::SpecDocument;

/// The extension that carries the date after which something may be removed.
pub const SUNSET_KEY: &str = "x-sunset";

/// What the base (for a removal) or the head (for a deprecation) says of an element's lifecycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lifecycle {
    pub deprecated: bool,
    pub sunset: Option<NaiveDate>,
}

impl Lifecycle {
    /// The lifecycle of an operation, parameter or schema object. An `x-sunset` that is not a
    /// date is refused before any comparison ([`check_sunsets`]), so here it is only read.
    pub fn of(value: &Value) -> Self {
        Self {
            deprecated: value.get("deprecated") == Some(&Value::Bool(true)),
            sunset: value.get(SUNSET_KEY).and_then(parse_sunset),
        }
    }

    /// The lifecycle written on any of `values` (a property and the schema its `$ref` reaches).
    pub fn of_any(values: &[&Value]) -> Self {
        let each: Vec<Self> = values.iter().map(|value| Self::of(value)).collect();
        Self {
            deprecated: each.iter().any(|lifecycle| lifecycle.deprecated),
            sunset: each.iter().find_map(|lifecycle| lifecycle.sunset),
        }
    }

    /// How the lifecycle stands on `today`.
    pub fn on(&self, today: NaiveDate) -> LifecycleReport {
        let sunset_passed = self.sunset.map(|sunset| sunset <= today);
        LifecycleReport {
            deprecated: self.deprecated,
            sunset: self.sunset.map(|sunset| sunset.to_string()),
            sunset_passed,
            announced: self.deprecated && sunset_passed == Some(true),
        }
    }
}

/// A lifecycle as the report carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LifecycleReport {
    /// The element was marked `deprecated: true`.
    pub deprecated: bool,
    /// Its `x-sunset` date, `YYYY-MM-DD`.
    pub sunset: Option<String>,
    /// Whether the sunset date is today or past (`None` without a sunset).
    pub sunset_passed: Option<bool>,
    /// Deprecated and past its sunset: the removal was announced.
    pub announced: bool,
}

impl LifecycleReport {
    /// A removal before its sunset date: breaking on the wire, whatever else is said of it.
    pub fn before_sunset(&self) -> bool {
        self.sunset_passed == Some(false)
    }

    /// `deprecated, sunset 2026-06-01 (passed): announced`, for every format. Only a removal can
    /// find its element undeprecated.
    pub fn text(&self) -> String {
        let mut text = String::from(if self.deprecated {
            "deprecated"
        } else {
            "removed without deprecation"
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

/// `2026-06-01`, or an RFC 3339 date-time whose date is taken.
fn parse_sunset(value: &Value) -> Option<NaiveDate> {
    let text = value.as_str()?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|time| time.date_naive())
        })
}

/// Every `x-sunset` in the document that is not a date, with where it is.
pub fn check_sunsets(spec: &SpecDocument, problems: &mut Vec<Diagnostic>) {
    fn walk(spec: &SpecDocument, value: &Value, field: FieldPath, problems: &mut Vec<Diagnostic>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let child_field = field.join(key);
                    if key == SUNSET_KEY && parse_sunset(child).is_none() {
                        problems.push(spec.diagnostic(
                            &child_field,
                            format!(
                                "`{SUNSET_KEY}: {child}` is not a date (write `YYYY-MM-DD` or an \
                                 RFC 3339 date-time)"
                            ),
                        ));
                    } else {
                        walk(spec, child, child_field, problems);
                    }
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(spec, child, field.join(index), problems);
                }
            }
            _ => {}
        }
    }
    walk(spec, &spec.value, FieldPath::root(), problems);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn reads_deprecation_and_both_sunset_spellings() {
        let lifecycle = Lifecycle::of(&json!({"deprecated": true, "x-sunset": "2026-06-01"}));
        assert_eq!(
            lifecycle,
            Lifecycle {
                deprecated: true,
                sunset: Some(date("2026-06-01"))
            }
        );
        let lifecycle = Lifecycle::of(&json!({"x-sunset": "2026-06-01T12:00:00Z"}));
        assert_eq!(lifecycle.sunset, Some(date("2026-06-01")));
        assert!(!lifecycle.deprecated);
        assert_eq!(Lifecycle::of(&json!({"deprecated": false})).sunset, None);
    }

    #[test]
    fn the_sunset_decides_between_breaking_a_promise_and_an_announced_removal() {
        let lifecycle = Lifecycle::of(&json!({"deprecated": true, "x-sunset": "2026-06-01"}));
        let before = lifecycle.on(date("2026-05-31"));
        assert!(before.before_sunset());
        assert!(!before.announced);
        assert_eq!(before.text(), "deprecated, sunset 2026-06-01 (not reached)");
        // The sunset day itself is past the promise.
        let on_the_day = lifecycle.on(date("2026-06-01"));
        assert!(!on_the_day.before_sunset());
        assert!(on_the_day.announced);
        assert_eq!(
            on_the_day.text(),
            "deprecated, sunset 2026-06-01 (passed): announced"
        );
        // Past its sunset without a deprecation: not announced.
        let undeclared = Lifecycle::of(&json!({"x-sunset": "2026-06-01"})).on(date("2027-01-01"));
        assert!(!undeclared.announced);
        let none = Lifecycle::of(&json!({})).on(date("2027-01-01"));
        assert!(!none.before_sunset());
        assert_eq!(none.text(), "removed without deprecation, no sunset");
    }
}
