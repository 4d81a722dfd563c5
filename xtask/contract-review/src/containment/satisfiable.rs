//! Satisfiability: whether a schema, after all its layers, accepts no instance at all, and
//! why. Claimed only when certain (the property tests hold every claim to a validator).

use super::*;

/// Deeper than this, properties and items are taken to accept something.
const MAX_CONTRADICTION_DEPTH: usize = 4;

/// A contradiction found in the schema's own keywords (not in one of its children).
fn local(reason: String) -> Option<Contradiction> {
    Some(Contradiction {
        reason,
        local: true,
    })
}

/// Why `schema` accepts no instance in `direction`, when the engine can tell for certain:
/// layers whose types, enums, bounds or lengths leave nothing; no multiple of a step within
/// the bounds; no string of its lengths matching its patterns (on their automata); arrays
/// whose counts, `contains` or unique items cannot be met; a required property refused by
/// `additionalProperties: false` or accepting nothing itself; non-empty arrays of items that
/// accept nothing; every `oneOf`/`anyOf` branch accepting nothing. `None` when it may accept
/// something (keywords the engine does not read only refuse more, so they never make it
/// claim a contradiction that is not there).
pub(super) fn contradiction(
    spec: &SpecDocument,
    direction: Direction,
    schema: &Layers,
    depth: usize,
) -> Option<Contradiction> {
    if depth > MAX_CONTRADICTION_DEPTH || accepts_null(spec, schema) {
        return None;
    }
    let types = schema.types();
    if types == 0 {
        let declared: BTreeSet<&str> = schema.texts("type");
        let declared: Vec<&str> = declared.into_iter().collect();
        return local(format!(
            "its layers' types ({}) have none in common",
            declared.join(", ")
        ));
    }
    if let Some(values) = schema.enum_values() {
        let values: Vec<&Value> = values
            .into_iter()
            .filter(|value| !value.is_null())
            .collect();
        if values.is_empty() {
            return local("its layers' enums have no value in common".to_owned());
        }
        let refused = values
            .iter()
            .all(|value| accepts(spec, direction, schema, value) == Some(false));
        return refused.then(|| Contradiction {
            reason: "no value of its enum meets its other keywords".to_owned(),
            local: true,
        });
    }
    if schema.composition().is_some() {
        let members = members(spec, schema);
        let branches = branch_layers(schema, &members);
        let reasons: Option<Vec<Contradiction>> = branches
            .iter()
            .map(|branch| contradiction(spec, direction, branch, depth + 1))
            .collect();
        return reasons.map(|_| Contradiction {
            reason: "every oneOf/anyOf branch accepts nothing".to_owned(),
            local: true,
        });
    }
    let empty = |(lower, upper): (Option<Bound>, Option<Bound>)| match (lower, upper) {
        (Some(lower), Some(upper)) => {
            lower.value > upper.value
                || (lower.value == upper.value && (lower.exclusive || upper.exclusive))
        }
        _ => false,
    };
    let bound_text = |(lower, upper): (Option<Bound>, Option<Bound>)| {
        let end =
            |bound: Option<Bound>| bound.map_or_else(String::new, |bound| bound.value.to_string());
        format!("{} > {}", end(lower), end(upper))
    };
    let mut reasons = Vec::new();
    let mut all_local = true;
    let mut feasible = false;
    if types & (INTEGER | FRACTION) != 0 {
        let written = numeric_bounds(schema);
        let range = numeric_format_range(schema);
        let mut bounds = (
            tighter_lower(written.0, range.0),
            tighter_upper(written.1, range.1),
        );
        if types & FRACTION == 0 {
            bounds = integer_bounds(bounds);
        }
        if empty(bounds) {
            reasons.push(format!(
                "no number lies within its bounds ({})",
                bound_text(bounds)
            ));
        } else if let Some(step) = schema
            .numbers("multipleOf")
            .into_iter()
            .find(|step| !has_multiple_within(*step, bounds))
        {
            reasons.push(format!(
                "no multiple of {step} lies within its bounds ({} to {})",
                bounds
                    .0
                    .map_or_else(|| "-∞".to_owned(), |bound| bound.value.to_string()),
                bounds
                    .1
                    .map_or_else(|| "∞".to_owned(), |bound| bound.value.to_string()),
            ));
        } else {
            feasible = true;
        }
    }
    if types & STRING != 0 {
        let lengths = count_bounds(schema, "minLength", "maxLength");
        if empty(lengths) {
            reasons.push(format!("minLength > maxLength ({})", bound_text(lengths)));
        } else if let Some(reason) = strings_contradiction(schema, lengths) {
            reasons.push(reason);
        } else {
            feasible = true;
        }
    }
    if types & BOOLEAN != 0 {
        feasible = true;
    }
    if types & ARRAY != 0 {
        match array_contradiction(spec, direction, schema, depth) {
            Some(found) => {
                all_local &= found.local;
                reasons.push(found.reason);
            }
            None => feasible = true,
        }
    }
    if types & OBJECT != 0 {
        match object_contradiction(spec, direction, schema, depth) {
            Some(found) => {
                all_local &= found.local;
                reasons.push(found.reason);
            }
            None => feasible = true,
        }
    }
    if feasible || reasons.is_empty() {
        return None;
    }
    Some(Contradiction {
        reason: reasons.join("; "),
        local: all_local,
    })
}

/// The counts of items a schema's arrays may have: `minItems` and `maxItems`, the latter
/// lowered to the first position whose items accept nothing (no array reaches past it).
pub(super) fn item_counts(
    spec: &SpecDocument,
    direction: Direction,
    schema: &Layers,
) -> (Option<Bound>, Option<Bound>) {
    let (least, most) = count_bounds(schema, "minItems", "maxItems");
    if items_as_list(schema) {
        return (least, most);
    }
    let longest = longest_prefix(schema);
    let reached = most.map_or(longest + 1, |most| {
        (most.value.max(0.0) as usize).min(longest + 1)
    });
    for index in 0..reached {
        let views = position_schemas(spec, schema, index);
        let Some(layers) = Layers::all_of(&views) else {
            continue;
        };
        if contradiction(spec, direction, &layers, 1).is_some() {
            let bound = Bound {
                value: index as f64,
                exclusive: false,
            };
            return (least, Some(bound));
        }
    }
    (least, most)
}

/// Whether some multiple of `step` lies within `bounds` (where rounding leaves it in doubt,
/// it does: the claim that none does must be certain).
fn has_multiple_within(step: f64, bounds: (Option<Bound>, Option<Bound>)) -> bool {
    let (Some(lower), Some(upper)) = bounds else {
        return true;
    };
    if step <= 0.0 || !step.is_finite() || (upper.value - lower.value) / step > 1e12 {
        return true;
    }
    // The least multiple at or above the lower bound (past it only when it is exactly the
    // bound and the bound is exclusive).
    let quotient = lower.value / step;
    let whole = quotient.round();
    let index = if (quotient - whole).abs() < 1e-9 {
        whole
            + if lower.exclusive && whole * step == lower.value {
                1.0
            } else {
                0.0
            }
    } else {
        quotient.ceil()
    };
    let least = index * step;
    let tolerance = 1e-9 * step.max(upper.value.abs()).max(1.0);
    if least < upper.value - tolerance {
        true
    } else if least > upper.value + tolerance {
        false
    } else {
        !(upper.exclusive && least == upper.value)
    }
}

/// Why no string meets a schema's patterns with its lengths, decided on the automata when
/// every pattern is regular.
fn strings_contradiction(
    schema: &Layers,
    lengths: (Option<Bound>, Option<Bound>),
) -> Option<String> {
    let patterns = effective_patterns(schema);
    if patterns.is_empty() {
        return None;
    }
    let least = lengths.0.map_or(0, |bound| bound.value as u64);
    let most = lengths.1.map(|bound| bound.value as u64);
    let language = patterns::Language::of(patterns.iter().copied())?;
    let bounded = lengths.0.is_some() || lengths.1.is_some();
    let language = if bounded {
        language.with_lengths(least, most)?
    } else {
        language
    };
    if patterns::is_empty(&language)? {
        let listed: Vec<&str> = patterns.into_iter().collect();
        let lengths = if bounded {
            format!(
                " of {least} to {} characters",
                most.map_or_else(|| "any number of".to_owned(), |most| most.to_string())
            )
        } else {
            String::new()
        };
        return Some(format!(
            "no string{lengths} matches its pattern{} ({})",
            if listed.len() > 1 { "s" } else { "" },
            listed.join(", ")
        ));
    }
    None
}

/// How many distinct values a schema's instances can take at most, where that is finite: the
/// values of an `enum` it may accept, booleans, integers between bounds (and `null`).
fn distinct_values(spec: &SpecDocument, direction: Direction, schema: &Layers) -> Option<f64> {
    let null = if accepts_null(spec, schema) { 1.0 } else { 0.0 };
    if let Some(values) = schema.enum_values() {
        let possible = values
            .iter()
            .filter(|value| !value.is_null())
            .filter(|value| accepts(spec, direction, schema, value) != Some(false))
            .count();
        return Some(possible as f64 + null);
    }
    if schema.composition().is_some() {
        return None;
    }
    let types = schema.types();
    if types & !(BOOLEAN | INTEGER) != 0 {
        return None;
    }
    let mut count = null;
    if types & BOOLEAN != 0 {
        count += 2.0;
    }
    if types & INTEGER != 0 {
        let written = numeric_bounds(schema);
        let range = numeric_format_range(schema);
        let bounds = integer_bounds((
            tighter_lower(written.0, range.0),
            tighter_upper(written.1, range.1),
        ));
        let (Some(lower), Some(upper)) = bounds else {
            return None;
        };
        count += (upper.value - lower.value + 1.0).max(0.0);
    }
    Some(count)
}

/// Why an array schema accepts no array, if it certainly does not: its counts, an item it
/// needs that accepts nothing, `contains` counts it cannot meet, more unique items than
/// their values.
fn array_contradiction(
    spec: &SpecDocument,
    direction: Direction,
    schema: &Layers,
    depth: usize,
) -> Option<Contradiction> {
    let counts = count_bounds(schema, "minItems", "maxItems");
    let least = counts.0.map_or(0.0, |bound| bound.value);
    if let (Some(lower), Some(upper)) = counts {
        if lower.value > upper.value {
            return local(format!(
                "minItems > maxItems ({} > {})",
                lower.value, upper.value
            ));
        }
    }
    let most = counts.1.map(|bound| bound.value);
    for contains in contains_of(spec, schema) {
        let too_many = most.is_some_and(|most| contains.least > most);
        let crossed = contains.most.is_some_and(|upper| contains.least > upper);
        if too_many || crossed {
            return local(format!(
                "it needs {} items matching contains, and {}",
                contains.least,
                if crossed {
                    "maxContains allows fewer".to_owned()
                } else {
                    format!("maxItems allows {}", most.unwrap_or_default())
                }
            ));
        }
        if contains.least >= 1.0
            && contradiction(spec, direction, &Layers::plain(&contains.schema), depth + 1).is_some()
        {
            return local("it needs items matching contains, which accepts nothing".to_owned());
        }
    }
    if items_as_list(schema) {
        return None;
    }
    // The items it needs, position by position (the last standing for every later one).
    let longest = longest_prefix(schema);
    let needed = (least.min(1e6) as usize).min(longest + 1);
    for index in 0..needed {
        let views = position_schemas(spec, schema, index);
        let Some(layers) = Layers::all_of(&views) else {
            continue;
        };
        if let Some(inner) = contradiction(spec, direction, &layers, depth + 1) {
            return Some(Contradiction {
                reason: format!("it needs items, and they accept nothing: {}", inner.reason),
                local: false,
            });
        }
    }
    if schema.flag("uniqueItems") && least > longest as f64 {
        // Past the prefix, every item is one of the rest's values, each at most once.
        let views = position_schemas(spec, schema, longest);
        if let Some(layers) = Layers::all_of(&views) {
            if let Some(values) = distinct_values(spec, direction, &layers) {
                if least - longest as f64 > values {
                    return local(format!(
                        "it needs {least} unique items, and its items take at most {values} values"
                    ));
                }
            }
        }
    }
    None
}

/// Why an object schema accepts no object, if it certainly does not.
fn object_contradiction(
    spec: &SpecDocument,
    direction: Direction,
    schema: &Layers,
    depth: usize,
) -> Option<Contradiction> {
    let (properties, mut required) = schema.object();
    let extra = additional(spec, schema, &properties);
    let patterns = pattern_entries(spec, schema);
    let (names_allowed, _) = name_schemas(spec, schema);
    // A required name's `dependentRequired` names are required too.
    let dependencies = dependencies(schema);
    loop {
        let implied: Vec<&str> = dependencies
            .iter()
            .filter(|(name, then)| required.contains(name) && !required.contains(then))
            .map(|(_, then)| *then)
            .collect();
        if implied.is_empty() {
            break;
        }
        required.extend(implied);
    }
    let mut binding: Vec<&str> = Vec::new();
    let mut names: Vec<&&str> = required.iter().collect();
    names.sort();
    for name in names {
        let mut declared: Vec<SchemaView> = properties
            .iter()
            .find(|(known, _)| known.as_str() == *name)
            .into_iter()
            .flat_map(|(_, places)| places)
            .filter_map(|(value, field)| SchemaView::new(spec, value, field).ok())
            .collect();
        if declared.iter().any(|view| kept_out(direction, view)) {
            // Kept out of this direction: `required` does not bind it.
            continue;
        }
        binding.push(name);
        if name_allowed(spec, direction, &names_allowed, name) == Some(false) {
            return Some(Contradiction {
                reason: format!("required property `{name}` is refused by propertyNames"),
                local: true,
            });
        }
        // The patterns it matches hold it too; where one cannot tell, nothing is claimed.
        let Some(matched) = matched_schemas(&patterns, name) else {
            continue;
        };
        declared.extend(matched);
        match Layers::all_of(&declared) {
            None if matches!(extra, Additional::Closed) => {
                return Some(Contradiction {
                    reason: format!(
                        "required property `{name}` is refused by `additionalProperties: false`"
                    ),
                    local: true,
                });
            }
            None => {}
            Some(layers) => {
                if let Some(inner) = contradiction(spec, direction, &layers, depth + 1) {
                    return Some(Contradiction {
                        reason: format!(
                            "required property `{name}` accepts nothing: {}",
                            inner.reason
                        ),
                        // One declaration is a position of its own, which says so; the
                        // declarations of several layers meet only here.
                        local: !layers.outer.is_empty(),
                    });
                }
            }
        }
    }
    let counts = count_bounds(schema, "minProperties", "maxProperties");
    if let (Some(least), Some(most)) = counts {
        if least.value > most.value {
            return Some(Contradiction {
                reason: format!(
                    "minProperties > maxProperties ({} > {})",
                    least.value, most.value
                ),
                local: true,
            });
        }
    }
    if let Some(most) = counts.1 {
        if (binding.len() as f64) > most.value {
            return Some(Contradiction {
                reason: format!(
                    "{} required properties, at most {} allowed",
                    binding.len(),
                    most.value
                ),
                local: true,
            });
        }
    }
    None
}
