//! The JSON Schema 2020-12 applicators OpenAPI 3.1 allows whose containment the engine decides:
//! `prefixItems` (with `items` as the rest), `contains` with `minContains`/`maxContains`,
//! `dependentRequired`, `propertyNames` (as a language of strings) and `patternProperties`
//! (names matched on the patterns' automata).
//!
//! - An array's item at index `i` must satisfy, in every layer, the layer's `prefixItems[i]`,
//!   or its `items` past the prefix: positions are compared one by one up to the longest
//!   prefix, the last standing for every index after it. A position no array of a side can
//!   reach (past its `maxItems`) loses or gains nothing.
//! - `contains` counts the items that match it, between `minContains` (1 unless written) and
//!   `maxContains`. The counts move with the schema counted: a wider `contains` counts at
//!   least as many items, so a lower bound kept loses nothing, an upper one gains nothing.
//!   Several `contains` on one side are decided only when written the same.
//! - `dependentRequired` is a set of implications between names; the head loses nothing when
//!   each of its implications follows from the base's (through others, a name the base
//!   requires, or one it keeps out of this direction), and the reverse.
//! - `propertyNames` is read where it says only what a string says (`type: string`, lengths,
//!   patterns, `enum`, `format`): its strings compared as any string schema's, and against
//!   the names a closed object may hold.
//! - `patternProperties` are paired across the sides by the language of their patterns
//!   (written alike, or equal automata), each pair's schemas compared; a declared name takes
//!   the schemas of the patterns it matches too. A pattern on one side only is decided where
//!   the other side's object is open and none of its patterns overlaps it: added, it constrains
//!   names clients did not send; removed, it leaves them undocumented (possibly more).
//!
//! Anything else about them is unknown (review), never the same.

use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

use super::*;

/// The schema that accepts everything, for a side that has none of a keyword.
static ANYTHING: LazyLock<Value> = LazyLock::new(|| Value::Object(serde_json::Map::new()));

/// The schema every item at `index` must satisfy, one per layer that says anything of it.
pub(super) fn position_schemas<'d>(
    spec: &'d SpecDocument,
    schema: &Layers<'_, 'd>,
    index: usize,
) -> Vec<SchemaView<'d>> {
    let mut found = Vec::new();
    for layer in schema.each() {
        let prefix = layer.value.get("prefixItems").and_then(Value::as_array);
        let (value, field) = match prefix {
            Some(prefix) if index < prefix.len() => {
                (&prefix[index], layer.field.join("prefixItems").join(index))
            }
            _ => match layer.value.get("items") {
                Some(items) if items.is_object() => (items, layer.field.join("items")),
                _ => continue,
            },
        };
        if let Ok(view) = SchemaView::new(spec, value, &field) {
            found.push(view);
        }
    }
    found
}

/// The longest `prefixItems` of the layers.
pub(super) fn longest_prefix(schema: &Layers) -> usize {
    schema
        .values("prefixItems")
        .into_iter()
        .filter_map(Value::as_array)
        .map(Vec::len)
        .max()
        .unwrap_or(0)
}

/// Whether some layer holds `items` as a list (the tuple form of drafts before 2020-12), which
/// the engine does not read.
pub(super) fn items_as_list(schema: &Layers) -> bool {
    schema.values("items").iter().any(|items| items.is_array())
}

/// One layer's `contains`: the schema counted, and the bounds of the count.
pub(super) struct Contains<'d> {
    pub(super) schema: SchemaView<'d>,
    pub(super) value: &'d Value,
    pub(super) least: f64,
    pub(super) most: Option<f64>,
}

/// The `contains` of every layer (`minContains`/`maxContains` without it mean nothing).
pub(super) fn contains_of<'d>(
    spec: &'d SpecDocument,
    schema: &Layers<'_, 'd>,
) -> Vec<Contains<'d>> {
    let mut found = Vec::new();
    for layer in schema.each() {
        let Some(value) = layer.value.get("contains") else {
            continue;
        };
        let Ok(view) = SchemaView::new(spec, value, &layer.field.join("contains")) else {
            continue;
        };
        let number = |keyword: &str| layer.value.get(keyword).and_then(Value::as_f64);
        found.push(Contains {
            schema: view,
            value,
            least: number("minContains").unwrap_or(1.0),
            most: number("maxContains"),
        });
    }
    found
}

/// Whether the items of `items` that match `contains` can be counted: each accepted or
/// refused; their count.
pub(super) fn count_matching(
    spec: &SpecDocument,
    direction: Direction,
    contains: &Contains,
    items: &[Value],
) -> Option<f64> {
    let layers = Layers::plain(&contains.schema);
    let mut count = 0.0;
    for item in items {
        if accepts(spec, direction, &layers, item)? {
            count += 1.0;
        }
    }
    Some(count)
}

/// The implications `dependentRequired` writes across the layers: (present, then required).
pub(super) fn dependencies<'d>(schema: &Layers<'_, 'd>) -> BTreeSet<(&'d str, &'d str)> {
    let mut pairs = BTreeSet::new();
    for value in schema.values("dependentRequired") {
        for (name, names) in value.as_object().into_iter().flatten() {
            for then in names
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                pairs.insert((name.as_str(), then));
            }
        }
    }
    pairs
}

/// Whether `(name, then)` holds of every instance of a side with these implications, these
/// required names and these names kept out.
fn implied(
    pairs: &BTreeSet<(&str, &str)>,
    required: &HashSet<&str>,
    never: &HashSet<&str>,
    (name, then): (&str, &str),
) -> bool {
    if name == then || required.contains(then) || never.contains(name) {
        return true;
    }
    let mut reached: HashSet<&str> = HashSet::from([name]);
    let mut queue = vec![name];
    while let Some(present) = queue.pop() {
        for (from, to) in pairs {
            if *from == present && reached.insert(to) {
                if *to == then {
                    return true;
                }
                queue.push(to);
            }
        }
    }
    false
}

/// What one side's object says of its names, for `dependentRequired`: its implications, the
/// names it requires and the names it keeps out of this direction.
pub(super) struct Implications<'d> {
    pub(super) pairs: BTreeSet<(&'d str, &'d str)>,
    pub(super) required: HashSet<&'d str>,
    pub(super) never: HashSet<&'d str>,
}

/// The extent of the implications of `to` that do not follow from those of `from`.
pub(super) fn implications_delta(from: &Implications, to: &Implications) -> Extent {
    let missing = to
        .pairs
        .iter()
        .any(|pair| !implied(&from.pairs, &from.required, &from.never, *pair));
    certainly(missing)
}

/// The `propertyNames` schemas of the layers, and whether each says only what a string says.
pub(super) fn name_schemas<'d>(
    spec: &'d SpecDocument,
    schema: &Layers<'_, 'd>,
) -> (Vec<SchemaView<'d>>, bool) {
    let views = children(spec, schema, "propertyNames");
    let readable = views.iter().all(|view| {
        view.layers().iter().all(|layer| {
            layer.value.as_object().is_some_and(|keywords| {
                keywords.iter().all(|(key, value)| match key.as_str() {
                    "type" => value == "string",
                    "minLength" | "maxLength" | "pattern" | "enum" | "format" => true,
                    key => is_annotation(key),
                })
            })
        })
    });
    (views, readable)
}

/// Whether a name is one the `propertyNames` of a side allow.
pub(super) fn name_allowed(
    spec: &SpecDocument,
    direction: Direction,
    names: &[SchemaView],
    name: &str,
) -> Option<bool> {
    let text = Value::String(name.to_owned());
    all_of(
        names
            .iter()
            .map(|view| accepts(spec, direction, &Layers::plain(view), &text)),
    )
}

/// The `patternProperties` of every layer: pattern, schema, and the layer's index.
pub(super) fn pattern_entries<'d>(
    spec: &'d SpecDocument,
    schema: &Layers<'_, 'd>,
) -> Vec<(&'d str, SchemaView<'d>, usize)> {
    let mut found = Vec::new();
    for (index, layer) in schema.each().into_iter().enumerate() {
        let entries = layer
            .value
            .get("patternProperties")
            .and_then(Value::as_object);
        for (pattern, value) in entries.into_iter().flatten() {
            let field = layer.field.join("patternProperties").join(pattern);
            if let Ok(view) = SchemaView::new(spec, value, &field) {
                found.push((pattern.as_str(), view, index));
            }
        }
    }
    found
}

/// The schemas a name's value must satisfy beside its declarations: those of the patterns it
/// matches. `None` when a pattern cannot tell (not regular, or read otherwise).
pub(super) fn matched_schemas<'d>(
    entries: &[(&'d str, SchemaView<'d>, usize)],
    name: &str,
) -> Option<Vec<SchemaView<'d>>> {
    let mut matched = Vec::new();
    for (pattern, view, _) in entries {
        if patterns::matches(pattern, name)? {
            matched.push(view.clone());
        }
    }
    Some(matched)
}

/// What an object says of the names it neither declares nor matches with a pattern.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Rest {
    Open,
    Closed,
    Other,
}

impl<'d> Containment<'d> {
    /// The items of each position, up to the longest prefix (the last one standing for every
    /// later index): `(prefixItems, items)`.
    pub(super) fn compare_positions(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
    ) -> (Delta, Delta) {
        let longest = longest_prefix(base).max(longest_prefix(head));
        let (base_most, head_most) = (
            item_counts(self.base, direction, base).1,
            item_counts(self.head, direction, head).1,
        );
        let reaches =
            |most: Option<Bound>, index: usize| most.is_none_or(|most| (index as f64) < most.value);
        let (mut prefix, mut rest) = (Delta::SAME, Delta::SAME);
        for index in 0..=longest {
            let base_items = position_schemas(self.base, base, index);
            let head_items = position_schemas(self.head, head, index);
            let mut delta = self.compare_all(direction, &base_items, &head_items);
            if !reaches(base_most, index) {
                delta.loses = Extent::None;
            }
            if !reaches(head_most, index) {
                delta.gains = Extent::None;
            }
            if index < longest {
                prefix = prefix.and(delta);
            } else {
                rest = delta;
            }
        }
        (prefix, rest)
    }

    /// `contains` with its counts (see the module documentation).
    pub(super) fn compare_contains(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
    ) -> Delta {
        let (old, new) = (contains_of(self.base, base), contains_of(self.head, head));
        match (old.as_slice(), new.as_slice()) {
            ([], []) => Delta::SAME,
            ([_] | [], [_] | []) => {
                let (old, new) = (old.first(), new.first());
                let bounds =
                    |side: Option<&Contains>| side.map_or((0.0, None), |c| (c.least, c.most));
                let ((old_least, old_most), (new_least, new_most)) = (bounds(old), bounds(new));
                // How the counted schemas relate: the head's counts at least as many items as
                // the base's where it loses nothing, at most as many where it gains nothing.
                let counted = match (old, new) {
                    (Some(old), Some(new)) => {
                        self.compare(direction, &old.schema, &new.schema).total()
                    }
                    _ => Delta::SAME,
                };
                let within = |most: Option<f64>, outer: Option<f64>| match (most, outer) {
                    (_, None) => true,
                    (None, Some(_)) => false,
                    (Some(most), Some(outer)) => most <= outer,
                };
                let loses_nothing = new_least <= old_least
                    && (new_least == 0.0 || counted.loses == Extent::None)
                    && (new_most.is_none()
                        || (within(old_most, new_most) && counted.gains == Extent::None));
                let gains_nothing = old_least <= new_least
                    && (old_least == 0.0 || counted.gains == Extent::None)
                    && (old_most.is_none()
                        || (within(new_most, old_most) && counted.loses == Extent::None));
                // With the same schema counted, a count one side allows is a witness.
                let otherwise = if counted == Delta::SAME {
                    Extent::Certainly
                } else {
                    Extent::Possibly
                };
                Delta::new(
                    if loses_nothing {
                        Extent::None
                    } else {
                        otherwise
                    },
                    if gains_nothing {
                        Extent::None
                    } else {
                        otherwise
                    },
                )
            }
            _ => {
                let alike = old.len() == new.len()
                    && old.iter().zip(&new).all(|(old, new)| {
                        old.least == new.least
                            && old.most == new.most
                            && same_resolved(self.base, old.value, self.head, new.value)
                    });
                if alike {
                    Delta::SAME
                } else {
                    Delta::UNKNOWN
                }
            }
        }
    }

    /// `propertyNames`, as languages of strings where they say only what a string says.
    /// `closed`: for each side whose object is closed, the names it may hold.
    pub(super) fn compare_names(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
        closed: (Option<Vec<&str>>, Option<Vec<&str>>),
    ) -> Delta {
        let ((old, old_readable), (new, new_readable)) =
            (name_schemas(self.base, base), name_schemas(self.head, head));
        if old.is_empty() && new.is_empty() {
            return Delta::SAME;
        }
        if !(old_readable && new_readable) {
            let alike = old.len() == new.len()
                && old
                    .iter()
                    .zip(&new)
                    .all(|(old, new)| same_resolved(self.base, old.value, self.head, new.value));
            return if alike { Delta::SAME } else { Delta::UNKNOWN };
        }
        let anything = |spec: &'d SpecDocument, views: Vec<SchemaView<'d>>| {
            if views.is_empty() {
                SchemaView::new(spec, &ANYTHING, &FieldPath::root())
                    .map(|view| vec![view])
                    .unwrap_or_default()
            } else {
                views
            }
        };
        let (old_names, new_names) = (anything(self.base, old), anything(self.head, new));
        let (Some(old_layers), Some(new_layers)) =
            (Layers::all_of(&old_names), Layers::all_of(&new_names))
        else {
            return Delta::UNKNOWN;
        };
        let mut strings = Comparison::default();
        if old_layers.enum_values().is_some() || new_layers.enum_values().is_some() {
            let delta = self.compare_finite(direction, &old_layers, &new_layers);
            // A name is a name: no enum of an SDK stands behind it.
            let open = |extent: Extent| match extent {
                Extent::EnumValues => Extent::Certainly,
                other => other,
            };
            strings.add(
                Aspect::Enum,
                Delta::new(open(delta.loses), open(delta.gains)),
            );
        } else {
            compare_strings(&old_layers, &new_layers, &mut strings);
        }
        let mut delta = strings.total();
        // A closed object holds only the names it declares: those decide.
        let (old_closed, new_closed) = closed;
        let names_extent = |spec: &SpecDocument, names: &[SchemaView], held: &[&str]| {
            held.iter()
                .map(|name| match name_allowed(spec, direction, names, name) {
                    Some(true) => Extent::None,
                    Some(false) => Extent::Certainly,
                    None => Extent::Possibly,
                })
                .max()
                .unwrap_or(Extent::None)
        };
        if let Some(held) = old_closed {
            delta.loses = delta.loses.min(names_extent(self.head, &new_names, &held));
        }
        if let Some(held) = new_closed {
            delta.gains = delta.gains.min(names_extent(self.base, &old_names, &held));
        }
        delta
    }

    /// `patternProperties` (see the module documentation); `rest`: what each side's object
    /// says of the names it neither declares nor matches.
    pub(super) fn compare_patterns(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
        rest: (Rest, Rest),
    ) -> Delta {
        let (old, new) = (
            pattern_entries(self.base, base),
            pattern_entries(self.head, head),
        );
        if old.is_empty() && new.is_empty() {
            return Delta::SAME;
        }
        // Patterns grouped by their language, each with the schemas of both sides.
        let mut groups: Vec<(&str, Vec<SchemaView<'d>>, Vec<SchemaView<'d>>)> = Vec::new();
        let mut delta = Delta::SAME;
        for (side, entries) in [(0, &old), (1, &new)] {
            for (pattern, view, _) in entries.iter() {
                let mut found = None;
                for (index, (known, _, _)) in groups.iter().enumerate() {
                    match patterns::same_language(known, pattern) {
                        Some(true) => {
                            found = Some(index);
                            break;
                        }
                        Some(false) => {}
                        None => delta = Delta::UNKNOWN,
                    }
                }
                let index = found.unwrap_or_else(|| {
                    groups.push((pattern, Vec::new(), Vec::new()));
                    groups.len() - 1
                });
                if side == 0 {
                    groups[index].1.push(view.clone());
                } else {
                    groups[index].2.push(view.clone());
                }
            }
        }
        if delta == Delta::UNKNOWN {
            return delta;
        }
        for (pattern, old_views, new_views) in &groups {
            let this = match (old_views.is_empty(), new_views.is_empty()) {
                (false, false) => self.compare_all(direction, old_views, new_views),
                (added, _) => {
                    // On one side only: decided where the other side leaves the names it
                    // does not declare open or refuses them, and none of its patterns shares
                    // a name with it.
                    let (other, other_rest) = if added {
                        (&old, rest.0)
                    } else {
                        (&new, rest.1)
                    };
                    let apart = other.iter().all(|(other_pattern, _, _)| {
                        match (
                            patterns::Language::of([*pattern]),
                            patterns::Language::of([*other_pattern]),
                        ) {
                            (Some(a), Some(b)) => patterns::disjoint(&a, &b) == Some(true),
                            _ => false,
                        }
                    });
                    match (apart, other_rest, added) {
                        (false, _, _) | (_, Rest::Other, _) => Delta::UNKNOWN,
                        // Added: it constrains names the base's clients did not send.
                        (true, Rest::Open, true) => Delta::SAME,
                        // Removed: what the head holds there is no longer said.
                        (true, Rest::Open, false) => Delta::new(Extent::None, Extent::Possibly),
                        // Added beside a closed base: names it refused are allowed.
                        (true, Rest::Closed, true) => Delta::new(Extent::None, Extent::Certainly),
                        // Removed beside a closed head: names it allowed are refused.
                        (true, Rest::Closed, false) => Delta::new(Extent::Certainly, Extent::None),
                    }
                }
            };
            delta = delta.and(this);
        }
        delta
    }
}
