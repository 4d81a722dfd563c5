//! Bounds, counts and string constraint sets as the engine reads them across a schema's layers:
//! intervals (with formats' ranges and integer rounding), the tightest bound of each end, and
//! the sets of patterns and formats compared as constraints.

use std::collections::BTreeSet;

use super::*;

/// A bound of an interval; `None` is unbounded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Bound {
    pub(super) value: f64,
    pub(super) exclusive: bool,
}

/// Whether lower bound `a` admits everything lower bound `b` admits.
pub(super) fn lower_admits(a: Option<Bound>, b: Option<Bound>) -> bool {
    match (a, b) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => {
            a.value < b.value || (a.value == b.value && (!a.exclusive || b.exclusive))
        }
    }
}

pub(super) fn upper_admits(a: Option<Bound>, b: Option<Bound>) -> bool {
    let negate = |bound: Option<Bound>| {
        bound.map(|bound| Bound {
            value: -bound.value,
            exclusive: bound.exclusive,
        })
    };
    lower_admits(negate(a), negate(b))
}

/// The extents of an interval change, one end at a time: `(lower, upper)`.
pub(super) fn interval_delta(
    base: (Option<Bound>, Option<Bound>),
    head: (Option<Bound>, Option<Bound>),
) -> (Delta, Delta) {
    let end = |base_admits_head: bool, head_admits_base: bool| {
        Delta::new(
            if head_admits_base {
                Extent::None
            } else {
                Extent::Certainly
            },
            if base_admits_head {
                Extent::None
            } else {
                Extent::Certainly
            },
        )
    };
    (
        end(lower_admits(base.0, head.0), lower_admits(head.0, base.0)),
        end(upper_admits(base.1, head.1), upper_admits(head.1, base.1)),
    )
}

/// The range a numeric `format` gives (`int32`, `int64`, `float`, `double`).
pub(super) fn format_range(format: Option<&str>) -> (Option<Bound>, Option<Bound>) {
    let bound = |value: f64| {
        Some(Bound {
            value,
            exclusive: false,
        })
    };
    match format {
        Some("int32") => (bound(f64::from(i32::MIN)), bound(f64::from(i32::MAX))),
        Some("int64") => (bound(i64::MIN as f64), bound(i64::MAX as f64)),
        Some("float") => (bound(-f64::from(f32::MAX)), bound(f64::from(f32::MAX))),
        _ => (None, None),
    }
}

pub(super) fn tighter_lower(a: Option<Bound>, b: Option<Bound>) -> Option<Bound> {
    if lower_admits(a, b) {
        b
    } else {
        a
    }
}

pub(super) fn tighter_upper(a: Option<Bound>, b: Option<Bound>) -> Option<Bound> {
    if upper_admits(a, b) {
        b
    } else {
        a
    }
}

/// Numeric bounds as written (`minimum`, `exclusiveMinimum`, ...), the tightest of each end
/// across the layers, without the formats' ranges.
pub(super) fn numeric_bounds(schema: &Layers) -> (Option<Bound>, Option<Bound>) {
    schema
        .each()
        .into_iter()
        .fold((None, None), |bounds, layer| {
            let bound = |keyword: &str, exclusive: &str| {
                layer
                    .value
                    .get(keyword)
                    .and_then(Value::as_f64)
                    .map(|value| Bound {
                        value,
                        exclusive: layer.value.get(exclusive) == Some(&Value::Bool(true)),
                    })
            };
            (
                tighter_lower(bounds.0, bound("minimum", "exclusiveMinimum")),
                tighter_upper(bounds.1, bound("maximum", "exclusiveMaximum")),
            )
        })
}

/// The range the numeric formats of all layers leave (`int32` within `int64`, ...).
pub(super) fn numeric_format_range(schema: &Layers) -> (Option<Bound>, Option<Bound>) {
    schema
        .texts("format")
        .into_iter()
        .fold((None, None), |range, format| {
            let this = format_range(Some(format));
            (
                tighter_lower(range.0, this.0),
                tighter_upper(range.1, this.1),
            )
        })
}

/// For integers only: the tightest inclusive integer bounds.
pub(super) fn integer_bounds(
    bounds: (Option<Bound>, Option<Bound>),
) -> (Option<Bound>, Option<Bound>) {
    let lower = bounds.0.map(|bound| Bound {
        value: if bound.exclusive {
            bound.value.floor() + 1.0
        } else {
            bound.value.ceil()
        },
        exclusive: false,
    });
    let upper = bounds.1.map(|bound| Bound {
        value: if bound.exclusive {
            bound.value.ceil() - 1.0
        } else {
            bound.value.floor()
        },
        exclusive: false,
    });
    (lower, upper)
}

/// The tightest count bounds across the layers (`minLength`/`maxLength`, ...).
pub(super) fn count_bounds(
    schema: &Layers,
    min: &str,
    max: &str,
) -> (Option<Bound>, Option<Bound>) {
    let bound = |value: f64| Bound {
        value,
        exclusive: false,
    };
    let lower = schema.numbers(min).into_iter().reduce(f64::max);
    let upper = schema.numbers(max).into_iter().reduce(f64::min);
    // A count of 0 as the least is no bound at all.
    (
        lower.filter(|least| *least > 0.0).map(bound),
        upper.map(bound),
    )
}

/// The restricting string formats of all layers.
pub(super) fn string_formats<'d>(schema: &Layers<'_, 'd>) -> BTreeSet<&'d str> {
    schema
        .texts("format")
        .into_iter()
        .filter(|format| restricting_format(Some(format)).is_some())
        .collect()
}

/// The patterns of all layers that restrict something.
pub(super) fn effective_patterns<'d>(schema: &Layers<'_, 'd>) -> BTreeSet<&'d str> {
    schema
        .texts("pattern")
        .into_iter()
        .filter(|pattern| effective_pattern(Some(pattern)).is_some())
        .collect()
}

/// Two sets of constraints an instance must all satisfy, that the engine cannot compare one
/// with another (patterns, formats): adding one certainly narrows what none constrained, and
/// otherwise possibly (the others may already imply it); any other difference is unknown.
pub(super) fn constraint_sets_delta(base: &BTreeSet<&str>, head: &BTreeSet<&str>) -> Delta {
    let extent = |before: &BTreeSet<&str>| {
        if before.is_empty() {
            Extent::Certainly
        } else {
            Extent::Possibly
        }
    };
    if base == head {
        Delta::SAME
    } else if base.is_subset(head) {
        Delta::new(extent(base), Extent::None)
    } else if head.is_subset(base) {
        Delta::new(Extent::None, extent(head))
    } else {
        Delta::UNKNOWN
    }
}

/// Schemas compared member by member, each pair's delta known, when an instance must satisfy
/// all members: a pair that loses nothing keeps the intersection from losing; one that
/// certainly loses may not when there are others (they may refuse the witness already).
pub(super) fn intersection_delta(pairs: &[Delta]) -> Delta {
    let combined = pairs.iter().fold(Delta::SAME, |all, delta| all.and(*delta));
    let soften = |extent: Extent| match extent {
        Extent::Certainly if pairs.len() > 1 => Extent::Possibly,
        other => other,
    };
    Delta::new(soften(combined.loses), soften(combined.gains))
}

/// String formats that restrict values; others (`password`, vendor formats) only annotate.
pub(super) fn restricting_format(format: Option<&str>) -> Option<&str> {
    format.filter(|format| {
        matches!(
            *format,
            "date"
                | "date-time"
                | "time"
                | "email"
                | "uuid"
                | "uri"
                | "ipv4"
                | "ipv6"
                | "hostname"
                | "byte"
        )
    })
}

/// A pattern that every string matches (`.*`, the empty pattern) restricts nothing: JSON
/// Schema patterns are unanchored, so one without anchors that matches the empty string
/// matches inside every string.
pub(super) fn effective_pattern(pattern: Option<&str>) -> Option<&str> {
    pattern.filter(|pattern| {
        let anchored =
            pattern.contains(['^', '$']) || pattern.contains("\\b") || pattern.contains("(?");
        let matches_empty = regex::Regex::new(pattern).is_ok_and(|regex| regex.is_match(""));
        anchored || !matches_empty
    })
}
