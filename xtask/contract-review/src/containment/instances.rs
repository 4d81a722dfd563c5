//! Whether a schema accepts one given JSON instance: the concrete check behind the engine's
//! witnesses (a value one side's `enum` lists, a candidate beyond a bound) and behind
//! disjointness. Each keyword family is asked of the instance, as the comparison reads it;
//! `None` where the engine cannot tell.

use super::*;

/// Whether a schema accepts `value`, as far as the engine can tell (`None`: it cannot, e.g. a
/// pattern the regex engine does not read, or a string format).
pub(super) fn accepts(
    spec: &SpecDocument,
    direction: Direction,
    schema: &Layers,
    value: &Value,
) -> Option<bool> {
    if value.is_null() {
        return Some(accepts_null(spec, schema));
    }
    if let Some(values) = schema.enum_values() {
        if !values.iter().any(|listed| json_eq(listed, value)) {
            return Some(false);
        }
    }
    // Keywords the engine does not read are left out: they only refuse more, so a value this
    // refuses is refused, and one it accepts may not be (compared apart, in
    // `compare_unread`). `items` as a list is the exception: it says what `items` does not.
    let mut answers = Vec::new();
    if schema.compositions() > 1 {
        // Only the first composition is read.
        answers.push(None);
    }
    if let Some((kind, _)) = schema.composition() {
        let members = members(spec, schema);
        let mut matching = 0;
        let mut unknown = false;
        for member in &members {
            match accepts(spec, direction, &Layers::plain(member), value) {
                Some(true) => matching += 1,
                None => unknown = true,
                Some(false) => {}
            }
        }
        answers.push(match (kind, unknown) {
            (_, true) => None,
            ("oneOf", false) => Some(matching == 1),
            (_, false) => Some(matching >= 1),
        });
    }
    let kind = type_of(value);
    if schema.types() & kind == 0 {
        return Some(false);
    }
    match value {
        Value::Number(number) => {
            let number = number.as_f64()?;
            let written = numeric_bounds(schema);
            let range = numeric_format_range(schema);
            let bounds = (
                tighter_lower(written.0, range.0),
                tighter_upper(written.1, range.1),
            );
            let point = Some(Bound {
                value: number,
                exclusive: false,
            });
            answers.push(Some(
                lower_admits(bounds.0, point) && upper_admits(bounds.1, point),
            ));
            for step in schema.numbers("multipleOf") {
                answers.push(Some(is_multiple(number, step)));
            }
        }
        Value::String(text) => {
            let length = text.chars().count() as f64;
            let (min, max) = count_bounds(schema, "minLength", "maxLength");
            answers.push(Some(
                min.is_none_or(|min| length >= min.value)
                    && max.is_none_or(|max| length <= max.value),
            ));
            for pattern in effective_patterns(schema) {
                answers.push(
                    regex::Regex::new(pattern)
                        .ok()
                        .map(|regex| regex.is_match(text)),
                );
            }
            if !string_formats(schema).is_empty() {
                answers.push(None);
            }
        }
        Value::Array(items) => {
            let (min, max) = count_bounds(schema, "minItems", "maxItems");
            let length = items.len() as f64;
            answers.push(Some(
                min.is_none_or(|min| length >= min.value)
                    && max.is_none_or(|max| length <= max.value),
            ));
            if schema.flag("uniqueItems") {
                let unique = items.iter().enumerate().all(|(index, item)| {
                    items[index + 1..].iter().all(|other| !json_eq(item, other))
                });
                answers.push(Some(unique));
            }
            if items_as_list(schema) && !items.is_empty() {
                answers.push(None);
            }
            for (index, item) in items.iter().enumerate() {
                for item_schema in position_schemas(spec, schema, index) {
                    answers.push(accepts(spec, direction, &Layers::plain(&item_schema), item));
                }
            }
            for contains in contains_of(spec, schema) {
                answers.push(
                    count_matching(spec, direction, &contains, items).map(|count| {
                        count >= contains.least && contains.most.is_none_or(|most| count <= most)
                    }),
                );
            }
        }
        Value::Object(members) => {
            let (properties, required) = schema.object();
            // A `readOnly` property must be absent from a request (a `writeOnly` one from a
            // response), and its `required` entry binds only the other direction.
            let kept: Vec<&str> = properties
                .iter()
                .filter(|(_, places)| {
                    places.iter().any(|(value, field)| {
                        SchemaView::new(spec, value, field)
                            .is_ok_and(|view| kept_out(direction, &view))
                    })
                })
                .map(|(name, _)| name.as_str())
                .collect();
            answers.push(Some(
                required
                    .iter()
                    .filter(|name| !kept.contains(name))
                    .all(|name| members.contains_key(*name))
                    && kept.iter().all(|name| !members.contains_key(*name)),
            ));
            // Layer by layer, as JSON Schema reads it: `additionalProperties` counts the names
            // its own layer neither declares nor matches with a pattern.
            for layer in schema.each() {
                let declared = layer.value.get("properties").and_then(Value::as_object);
                let patterns = layer
                    .value
                    .get("patternProperties")
                    .and_then(Value::as_object);
                let extra = layer.value.get("additionalProperties");
                for (name, member) in members {
                    // Matched by a pattern: its schema applies, and the name is not additional.
                    let mut matched = Some(false);
                    for (pattern, value) in patterns.into_iter().flatten() {
                        let this = patterns::matches(pattern, name);
                        if this == Some(true) {
                            let field = layer.field.join("patternProperties").join(pattern);
                            answers.push(SchemaView::new(spec, value, &field).ok().and_then(
                                |view| accepts(spec, direction, &Layers::plain(&view), member),
                            ));
                        }
                        matched = match (matched, this) {
                            (Some(true), _) | (_, Some(true)) => Some(true),
                            (None, _) | (_, None) => None,
                            _ => Some(false),
                        };
                    }
                    let declared_here = declared.and_then(|declared| declared.get(name));
                    if declared_here.is_none() && matched != Some(false) {
                        if matched.is_none()
                            && extra.is_some_and(|extra| *extra != Value::Bool(true))
                        {
                            answers.push(None);
                        }
                        continue;
                    }
                    let (value, field) = match (declared_here, extra) {
                        (Some(declared), _) => {
                            (declared, layer.field.join("properties").join(name))
                        }
                        (None, Some(Value::Bool(false))) => {
                            answers.push(Some(false));
                            continue;
                        }
                        (None, Some(extra @ Value::Object(_))) => {
                            (extra, layer.field.join("additionalProperties"))
                        }
                        (None, _) => continue,
                    };
                    let answer = SchemaView::new(spec, value, &field)
                        .ok()
                        .and_then(|view| accepts(spec, direction, &Layers::plain(&view), member));
                    answers.push(answer);
                }
            }
            for (name, then) in dependencies(schema) {
                if members.contains_key(name) && !members.contains_key(then) {
                    answers.push(Some(false));
                }
            }
            let (names, _) = name_schemas(spec, schema);
            for name in members.keys() {
                answers.push(name_allowed(spec, direction, &names, name));
            }
            let (min, max) = count_bounds(schema, "minProperties", "maxProperties");
            let count = members.len() as f64;
            answers.push(Some(
                min.is_none_or(|min| count >= min.value)
                    && max.is_none_or(|max| count <= max.value),
            ));
        }
        _ => {}
    }
    all_of(answers)
}
