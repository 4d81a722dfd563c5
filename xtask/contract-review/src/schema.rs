//! Comparing two versions of a schema in the direction it is used: what a client sends
//! (parameters, request bodies) can only be loosened, what it receives can only be tightened.
//! An object's properties, name by name, are compared in [`properties`].

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::rc::Rc;

use serde_json::Value;

use crate::containment::{self, Aspect, Comparison, Delta, Direction, Relation};
use crate::findings::{json_pointer, Change, Findings, LifecycleOf, OperationName, Side};
use crate::openapi31;
use crate::resolve::{is_annotation, newtype_of, owner_component, SchemaView};
use crate::rules::{self, Rule};
use crate::rust_api;
use spec_model::diagnostic::FieldPath;
use spec_model::field_form::FieldForm;
use spec_model::naming;
use spec_model::spec::{is_sensitive, SpecDocument, SENSITIVE_EXTENSION};

mod properties;

/// Where a schema is used, which decides how each change is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Parameter,
    Request,
    Response,
}

impl Role {
    fn is_response(self) -> bool {
        self == Role::Response
    }

    fn direction(self) -> Direction {
        match self {
            Role::Response => Direction::Response,
            Role::Parameter | Role::Request => Direction::Request,
        }
    }
}

/// A schema position being compared: the engine's comparison of it, and the aspects findings
/// have named so far (what is left unnamed gets a finding of its own).
struct Position {
    comparison: Rc<Comparison>,
    direction: Direction,
    named: Vec<Aspect>,
    all_named: bool,
}

/// Compares the schemas of one operation, recording findings against it.
pub struct SchemaDiff<'a, 'd> {
    pub base: &'d SpecDocument,
    pub head: &'d SpecDocument,
    /// What the generator decides, for the Rust column.
    pub rust: &'d dyn crate::RustSurface,
    pub findings: &'a mut Findings<'d>,
    pub operation: OperationName,
    /// Set while a response header's schema is compared: gigs-client reads headers as text
    /// from `ResponseValue::headers()`, so no generated type changes with it.
    pub untyped: bool,
    /// Set while the schema of a parameter with `content` is compared: its value is written
    /// in the media type (JSON), not as text.
    pub json_parameter: bool,
    /// Set while a parameter's schema is compared: its builder method as the report names it
    /// (`ListSubscriptions::status`), and whether the base's and the head's take it as
    /// `CommaSeparated<T>`.
    pub parameter_setter: Option<(String, bool, bool)>,
    visited: HashSet<(String, String, Role)>,
    positions: Vec<Position>,
}

/// Keywords that bound a value from above: lowering or adding one tightens the schema.
const UPPER_BOUNDS: [&str; 4] = ["maxLength", "maximum", "maxItems", "maxProperties"];
/// Keywords that bound a value from below: raising or adding one tightens the schema.
const LOWER_BOUNDS: [&str; 4] = ["minLength", "minimum", "minItems", "minProperties"];

impl<'a, 'd> SchemaDiff<'a, 'd> {
    pub fn new(
        base: &'d SpecDocument,
        head: &'d SpecDocument,
        rust: &'d dyn crate::RustSurface,
        findings: &'a mut Findings<'d>,
        operation: OperationName,
    ) -> Self {
        Self {
            base,
            head,
            rust,
            findings,
            operation,
            untyped: false,
            json_parameter: false,
            parameter_setter: None,
            visited: HashSet::new(),
            positions: Vec::new(),
        }
    }

    fn push(&mut self, mut change: Change) {
        if self.untyped {
            change = change
                .rust_severity(rules::Severity::Info)
                .rust("none: response headers are read as text from `ResponseValue::headers()`");
        }
        let operation = self.operation.clone();
        self.findings.push(Some(&operation), change);
    }

    /// The extents of `aspects` at the current position (all of them when empty).
    fn delta_of(&self, aspects: &[Aspect]) -> Delta {
        let position = self
            .positions
            .last()
            .expect("a finding inside a schema position");
        if aspects.is_empty() {
            return position.comparison.total();
        }
        aspects.iter().fold(Delta::SAME, |all, aspect| {
            all.and(position.comparison.aspect(aspect))
        })
    }

    /// Pushes a change of what a schema accepts, with the wire verdict the containment engine
    /// gives the aspects it names (the whole position when `aspects` is empty).
    fn push_judged(&mut self, aspects: &[Aspect], change: Change) {
        let delta = self.delta_of(aspects);
        if aspects.is_empty() {
            if let Some(position) = self.positions.last_mut() {
                position.all_named = true;
            }
        }
        self.push_with(aspects, delta, change);
    }

    /// Pushes a change judged by `delta`, naming `aspects` of the current position.
    fn push_with(&mut self, aspects: &[Aspect], delta: Delta, change: Change) {
        let position = self
            .positions
            .last_mut()
            .expect("a finding inside a schema position");
        position.named.extend(aspects.iter().cloned());
        let wire = containment::verdict(position.direction, delta);
        self.push(change.wire(wire));
    }

    /// Marks aspects as reported elsewhere (by the comparison of a nested position).
    fn name(&mut self, aspect: impl FnOnce() -> Aspect) {
        if let Some(position) = self.positions.last_mut() {
            // Nothing to name where nothing differs, the common case.
            if position.comparison.changed().next().is_some() {
                position.named.push(aspect());
            }
        }
    }

    /// The engine's comparison of two schemas, for a finding about them made by their parent.
    fn comparison(
        &mut self,
        role: Role,
        base: &SchemaView<'d>,
        head: &SchemaView<'d>,
    ) -> Rc<Comparison> {
        // A parameter's or a header's own value travels as text (its items, as JSON values).
        let as_text = self.positions.is_empty()
            && ((role == Role::Parameter && !self.json_parameter) || self.untyped);
        let containment = &mut self.findings.containment;
        if as_text {
            containment.compare_text(role.direction(), base, head)
        } else {
            containment.compare(role.direction(), base, head)
        }
    }

    pub fn compare(
        &mut self,
        role: Role,
        base: (&'d Value, &FieldPath),
        head: (&'d Value, &FieldPath),
    ) -> anyhow::Result<()> {
        let base_view = SchemaView::new(self.base, base.0, base.1)?;
        let head_view = SchemaView::new(self.head, head.0, head.1)?;
        self.compare_views(role, &base_view, &head_view, head.1)
    }

    /// `at` is where the head schema is used (a property, a body), before any `$ref`.
    fn compare_views(
        &mut self,
        role: Role,
        base: &SchemaView<'d>,
        head: &SchemaView<'d>,
        at: &FieldPath,
    ) -> anyhow::Result<()> {
        self.compare_position(role, base, head, at, &[])
    }

    /// Compares one position; `named` are aspects its parent has already reported. Whatever
    /// the engine finds different and no rule named is reported as a change of its own.
    fn compare_position(
        &mut self,
        role: Role,
        base: &SchemaView<'d>,
        head: &SchemaView<'d>,
        at: &FieldPath,
        named: &[Aspect],
    ) -> anyhow::Result<()> {
        let comparison = self.comparison(role, base, head);
        self.positions.push(Position {
            comparison,
            direction: role.direction(),
            named: named.to_vec(),
            all_named: false,
        });
        let compared = self.compare_rules(role, base, head, at);
        let position = self.positions.pop().expect("pushed above");
        if compared? && !position.all_named {
            self.report_unnamed(role, head, &position);
        }
        Ok(())
    }

    /// A difference no rule names: the verdict still comes from the engine.
    fn report_unnamed(&mut self, role: Role, head: &SchemaView<'d>, position: &Position) {
        let rule = if role.is_response() {
            &rules::RESPONSE_SCHEMA_CHANGED
        } else {
            &rules::REQUEST_SCHEMA_CHANGED
        };
        for (aspect, delta) in position.comparison.changed() {
            if position.named.contains(aspect) {
                continue;
            }
            let relation = delta.relation();
            self.push(
                Change::new(rule, Side::Head, &head.field)
                    .new_value(format!("{}: {}", aspect.label(), relation.as_str()))
                    .wire(containment::verdict(position.direction, *delta))
                    .rust_severity(crate::rules::Severity::Review)
                    .rust("the generated type may change (see the generated diff)"),
            );
        }
    }

    /// The rules at one position; `false` when the position was already compared (reached
    /// again through another route), so that what is left unnamed is reported once.
    fn compare_rules(
        &mut self,
        role: Role,
        base: &SchemaView<'d>,
        head: &SchemaView<'d>,
        at: &FieldPath,
    ) -> anyhow::Result<bool> {
        // Recursive schemas, and one component reached along several routes, are compared once;
        // a use of the schema is still checked for the Rust type it gets.
        let key = (json_pointer(&base.field), json_pointer(&head.field), role);
        let first_visit = self.visited.insert(key);
        if first_visit {
            self.compare_unread(base, head);
            self.compare_set_aside(base, head);
            self.compare_satisfiable(role, head);
        }
        if self.compare_widening(role, base, head, first_visit)? {
            return Ok(first_visit);
        }
        let (base_type, head_type) = (type_signature(base), type_signature(head));
        if base_type != head_type {
            let rule = match role {
                Role::Parameter => &rules::PARAMETER_TYPE_CHANGED,
                Role::Request => &rules::REQUEST_PROPERTY_TYPE_CHANGED,
                Role::Response => &rules::RESPONSE_PROPERTY_TYPE_CHANGED,
            };
            // A parameter's own schema is what its builder method takes.
            let setter = self
                .parameter_setter
                .clone()
                .filter(|_| role == Role::Parameter && self.positions.len() == 1);
            let (old_type, new_type) = match &setter {
                Some((_, old, new)) => (
                    rust_api::builder_argument(self.base, base, *old),
                    rust_api::builder_argument(self.head, head, *new),
                ),
                None => (
                    rust_api::type_name(self.base, base),
                    rust_api::type_name(self.head, head),
                ),
            };
            // The Rust verdict from the generated types: a format that keeps the type
            // (`password` on a `String`) breaks no Rust code, `int64` → `int32` does.
            let (rust, effect) = match (&setter, old_type == new_type) {
                (None, true) => (
                    crate::rules::Severity::Info,
                    format!("none: the type stays `{new_type}`"),
                ),
                (None, false) => (rule.rust, format!("type `{old_type}` → `{new_type}`")),
                (Some((setter, _, _)), true) => (
                    crate::rules::Severity::Info,
                    format!("none: builder method `{setter}` still takes `{new_type}`"),
                ),
                (Some((setter, _, _)), false) => (
                    rule.rust,
                    format!("builder method `{setter}` takes `{old_type}` → `{new_type}`"),
                ),
            };
            self.push_judged(
                &[],
                Change::new(rule, Side::Head, &head.field)
                    .old(shape_text(self.base, base, &base_type))
                    .new_value(shape_text(self.head, head, &head_type))
                    .rust(effect)
                    .rust_severity(rust),
            );
            return Ok(first_visit);
        }
        self.compare_type_names(base, head, at);
        if !first_visit {
            return Ok(false);
        }
        self.compare_enums(role, base, head);
        if role != Role::Response {
            self.compare_defaults(role, base, head);
        }
        self.compare_constraints(role, base, head);
        self.compare_closed(role, base, head);
        self.compare_composition(role, base, head)?;
        self.compare_properties(role, base, head)?;
        for (keyword, aspect) in [
            ("items", Aspect::Items),
            ("additionalProperties", Aspect::Additional),
        ] {
            if let (Some((base_inner, base_field)), Some((head_inner, head_field))) =
                (base.keyword_at(keyword), head.keyword_at(keyword))
            {
                if base_inner.is_object() && head_inner.is_object() {
                    let base_inner = SchemaView::new(self.base, base_inner, &base_field)?;
                    let head_inner = SchemaView::new(self.head, head_inner, &head_field)?;
                    self.name(|| aspect.clone());
                    let mut named = Vec::new();
                    if keyword == "additionalProperties"
                        && self.compare_map_values(role, (base, &base_inner), (head, &head_inner))
                    {
                        named.push(Aspect::Null);
                    }
                    self.compare_position(role, &base_inner, &head_inner, &head_field, &named)?;
                }
            }
        }
        Ok(true)
    }

    /// Keywords the engine does not read, written differently: each reported at the keyword,
    /// needing review whichever way it is used.
    fn compare_unread(&mut self, base: &SchemaView<'d>, head: &SchemaView<'d>) {
        let position = self
            .positions
            .last()
            .expect("compared inside a schema position");
        let unread: Vec<String> = position
            .comparison
            .changed()
            .filter_map(|(aspect, _)| match aspect {
                Aspect::Unread(keyword) => Some(keyword.clone()),
                _ => None,
            })
            .collect();
        for keyword in unread {
            let (old, new) = (base.keyword_places(&keyword), head.keyword_places(&keyword));
            let (side, field) = match (new.first(), old.first()) {
                (Some((_, field)), _) => (Side::Head, field.clone()),
                (None, Some((_, field))) => (Side::Base, field.clone()),
                (None, None) => (Side::Head, head.field.clone()),
            };
            let text = |places: &[(&Value, FieldPath)]| {
                if places.is_empty() {
                    return "none".to_owned();
                }
                let values: Vec<String> =
                    places.iter().map(|(value, _)| short_json(value)).collect();
                values.join(", ")
            };
            let (mut old_text, new_text) = (text(&old), text(&new));
            if old_text == new_text {
                old_text.push_str(" (the schemas it references changed)");
            }
            // Names a pattern or `unevaluatedProperties` holds are not additional ones either.
            let mut aspects = vec![Aspect::Unread(keyword.clone())];
            if matches!(
                keyword.as_str(),
                "patternProperties" | "unevaluatedProperties"
            ) {
                aspects.push(Aspect::Additional);
            }
            self.push_judged(
                &aspects,
                Change::new(&rules::KEYWORD_NOT_COMPARED, side, &field)
                    .old(format!("{keyword}: {old_text}"))
                    .new_value(format!("{keyword}: {new_text}"))
                    .rust(
                        "not compared: the generated type may change or keep accepting what \
                         the server now refuses (see the generated diff)",
                    ),
            );
        }
    }

    /// A request schema or parameter that accepts nothing any more: every request with it is
    /// refused, which is reported where the contradiction is (a property or items accepting
    /// nothing are positions of their own).
    fn compare_satisfiable(&mut self, role: Role, head: &SchemaView<'d>) {
        let comparison = Rc::clone(
            &self
                .positions
                .last()
                .expect("compared inside a schema position")
                .comparison,
        );
        // The base's contradiction comes from a property or items: they say so themselves.
        if comparison
            .base_contradiction
            .as_ref()
            .is_some_and(|found| !found.local)
        {
            self.name(|| Aspect::Satisfiable);
        }
        let Some(contradiction) = comparison.head_contradiction.clone() else {
            return;
        };
        if role.is_response() {
            return;
        }
        if !contradiction.local {
            self.name(|| Aspect::Satisfiable);
            return;
        }
        // Accepting nothing explains every other difference of the position's instances.
        self.push_judged(
            &[],
            Change::new(
                &rules::REQUEST_SCHEMA_UNSATISFIABLE,
                Side::Head,
                &head.field,
            )
            .old("accepts instances")
            .new_value(format!("accepts nothing: {}", contradiction.reason))
            .rust(
                "none in the generated type, which still builds a value; the server refuses \
                     every one",
            ),
        );
    }

    /// OpenAPI 3.0 keywords a 3.1 head holds (`nullable`, a boolean `exclusiveMinimum`), which
    /// mean nothing there: each reported where it is written, judged by what the schema accepts
    /// without it. Nothing when the base is a 3.1 document holding the same.
    fn compare_set_aside(&mut self, base: &SchemaView<'d>, head: &SchemaView<'d>) {
        if !self.head.is_openapi_31() {
            return;
        }
        let set_aside = |view: &SchemaView<'d>| -> Vec<(&'d str, &'d Value, FieldPath)> {
            let mut found = Vec::new();
            for layer in view.layers() {
                let keywords = layer.value.get(openapi31::SET_ASIDE);
                for (keyword, value) in keywords.and_then(Value::as_object).into_iter().flatten() {
                    found.push((keyword.as_str(), value, layer.field.join(keyword)));
                }
            }
            found
        };
        let (old, new) = (set_aside(base), set_aside(head));
        for (keyword, value, field) in new {
            if old
                .iter()
                .any(|(other, old_value, _)| *other == keyword && *old_value == value)
            {
                continue;
            }
            let aspect = match keyword {
                "nullable" => Aspect::Null,
                "exclusiveMinimum" => Aspect::Keyword("minimum"),
                _ => Aspect::Keyword("maximum"),
            };
            let was = base
                .keyword_places(keyword)
                .first()
                .map_or_else(|| "none".to_owned(), |(value, _)| value.to_string());
            self.push_judged(
                &[aspect],
                Change::new(&rules::OPENAPI_30_KEYWORD_IGNORED, Side::Head, &field)
                    .old(format!("{keyword}: {was}"))
                    .new_value(format!(
                        "{keyword}: {value}, which means nothing in OpenAPI 3.1"
                    ))
                    .rust(
                        "none: `cargo xtask generate` reads OpenAPI 3.0 documents only (the \
                         generated type follows the 3.0 meaning)",
                    ),
            );
        }
    }

    /// A plain schema that became a `oneOf`/`anyOf` with the old schema as one of its variants
    /// (or the reverse) is a widening (narrowing) of the values, not a different type. Returns
    /// whether it was one; the kept variant is then compared with the plain schema.
    fn compare_widening(
        &mut self,
        role: Role,
        base: &SchemaView<'d>,
        head: &SchemaView<'d>,
        compare_kept: bool,
    ) -> anyhow::Result<bool> {
        let (plain, composed, composed_spec, kind, widened) =
            match (composition_kind(base), composition_kind(head)) {
                (None, Some(kind)) => (base, head, self.head, kind, true),
                (Some(kind), None) => (head, base, self.base, kind, false),
                _ => return Ok(false),
            };
        if type_signature(composed) != "any" {
            return Ok(false);
        }
        let members = variants(composed_spec, composed, kind)?;
        let mut views = Vec::with_capacity(members.len());
        for (value, field) in members.values() {
            views.push(SchemaView::new(composed_spec, value, field)?);
        }
        let plain_type = type_signature(plain);
        // The variant that is the same component, or else the first of the same type.
        let kept = views
            .iter()
            .find(|view| plain.component.is_some() && view.component == plain.component)
            .or_else(|| views.iter().find(|view| type_signature(view) == plain_type));
        let Some(kept) = kept else {
            return Ok(false);
        };
        let (plain_name, composed_name) = if widened {
            (
                rust_api::type_name(self.base, plain),
                rust_api::type_name(self.head, composed),
            )
        } else {
            (
                rust_api::type_name(self.head, plain),
                rust_api::type_name(self.base, composed),
            )
        };
        let composed_text = shape_text(composed_spec, composed, "any");
        let (rule, effect): (&'static Rule, String) = match (role.is_response(), widened) {
            (false, true) => (
                &rules::REQUEST_TYPE_WIDENED,
                format!(
                    "type `{plain_name}` → `{composed_name}`, an enum with a variant per \
                     {kind} member: code that sets a `{plain_name}` must wrap it in its variant"
                ),
            ),
            (false, false) => (
                &rules::REQUEST_TYPE_NARROWED,
                format!(
                    "type `{composed_name}` → `{plain_name}`: code that builds the enum must \
                     set a `{plain_name}`; the other variants can no longer be sent"
                ),
            ),
            (true, true) => (
                &rules::RESPONSE_TYPE_WIDENED,
                format!(
                    "type `{plain_name}` → `{composed_name}`, an enum with a variant per \
                     {kind} member: code that reads a `{plain_name}` must match the variants"
                ),
            ),
            (true, false) => (
                &rules::RESPONSE_TYPE_NARROWED,
                format!(
                    "type `{composed_name}` → `{plain_name}`: code that matches the enum's \
                     variants must read a `{plain_name}`"
                ),
            ),
        };
        let (old, new) = if widened {
            (plain_type.clone(), composed_text)
        } else {
            (composed_text, plain_type.clone())
        };
        // The same instances written another way (the 3.0.3 nullable `oneOf` form against
        // `nullable` beside a `$ref`): nothing changes on the wire, only the generated type may.
        let (rule, effect) = if self.delta_of(&[]) == Delta::SAME {
            (
                &rules::SCHEMA_REWRITTEN,
                format!(
                    "the generated type may change (`{}` → `{}`, as typify reads each form)",
                    if widened { &plain_name } else { &composed_name },
                    if widened { &composed_name } else { &plain_name },
                ),
            )
        } else {
            (rule, effect)
        };
        self.push_judged(
            &[],
            Change::new(rule, Side::Head, &head.field)
                .old(old)
                .new_value(new)
                .rust(effect),
        );
        let kept_field = kept.field.clone();
        // The kept variant against the plain schema: a tighter bound on it is still a change.
        // Keywords beside the composition apply to the variant as well; compared without them,
        // a bound written there would read as added or removed (the whole is judged above).
        let compare_kept = compare_kept && !constrains_beside_composition(composed);
        match (compare_kept, widened) {
            (false, _) => {}
            // Whether `null` is accepted is the composition's matter, judged above.
            (true, true) => {
                self.compare_position(role, plain, kept, &kept_field, &[Aspect::Null])?
            }
            (true, false) => {
                self.compare_position(role, kept, plain, &head.field, &[Aspect::Null])?
            }
        }
        Ok(true)
    }

    /// A schema generated under another Rust type: an inline schema moved into a component (or
    /// back), or a `$ref` to another component. When the content is the same, the wire is
    /// unchanged and only Rust code naming the type breaks; other differences are compared as
    /// usual and reported on their own. A component renamed is reported once as
    /// such (`schema-renamed`), not at every use.
    fn compare_type_names(&mut self, base: &SchemaView<'d>, head: &SchemaView<'d>, at: &FieldPath) {
        if base.component == head.component {
            match &base.component {
                Some(name) => self.compare_newtype(name),
                // Two inline schemas: their types are named after the component they sit in.
                // When that component was renamed, the rename is the finding.
                None => {
                    let renamed = match (owner_component(&base.field), owner_component(&head.field))
                    {
                        (Some(old_owner), Some(new_owner)) => {
                            !has_component(self.head, old_owner)
                                && !has_component(self.base, new_owner)
                        }
                        _ => false,
                    };
                    if let (false, Some(old), Some(new)) = (
                        renamed,
                        rust_api::inline_name(self.base, base),
                        rust_api::inline_name(self.head, head),
                    ) {
                        if old != new {
                            self.push_type_renamed(old, new, at);
                        }
                    }
                }
            }
            return;
        }
        if let (Some(name), Some(_)) = (&base.component, &head.component) {
            if !has_component(self.head, name) {
                return;
            }
        }
        let (old, new) = (
            rust_api::type_name(self.base, base),
            rust_api::type_name(self.head, head),
        );
        if old == new {
            return;
        }
        self.push_type_renamed(old, new, at);
    }

    fn push_type_renamed(&mut self, old: String, new: String, at: &FieldPath) {
        let effect = format!(
            "type `{old}` → `{new}`: code that names the type (struct literals, `impl`s, \
             signatures) must use the new one; what changes in the JSON, if anything, is a \
             finding of its own"
        );
        self.push(
            Change::new(&rules::RUST_TYPE_RENAMED, Side::Head, at)
                .old(old)
                .new_value(new)
                .rust(effect),
        );
    }

    /// A component that turned into a wrapper of another one (`allOf: [{$ref: Other}]`) or back:
    /// the same instances, but the generated type becomes a newtype around `Other`, or a
    /// struct of its own again.
    fn compare_newtype(&mut self, name: &str) {
        let (old, new) = (newtype_of(self.base, name), newtype_of(self.head, name));
        if old == new {
            return;
        }
        let rust_name = naming::type_name(name);
        let shape = |inner: Option<&str>| match inner {
            Some(inner) => format!("`{rust_name}({})`", naming::type_name(inner)),
            None => format!("`{rust_name} {{ .. }}`"),
        };
        let effect = match new {
            Some(inner) => format!(
                "`{rust_name}` becomes a newtype around `{}`: struct literals and patterns \
                 must wrap the inner value (`{rust_name}(..)`); fields are still reached \
                 through `Deref`",
                naming::type_name(inner)
            ),
            None => format!(
                "`{rust_name}` is a struct of its own again: code that wraps or unwraps the \
                 inner value (`.0`, `{rust_name}(..)`) must use the fields"
            ),
        };
        let at = FieldPath::root()
            .join("components")
            .join("schemas")
            .join(name);
        self.push(
            Change::new(&rules::RUST_NEWTYPE_CHANGED, Side::Head, &at)
                .old(shape(old))
                .new_value(shape(new))
                .rust(effect),
        );
    }

    /// `additionalProperties: false` added (the object refuses properties it does not list)
    /// or removed.
    fn compare_closed(&mut self, role: Role, base: &SchemaView<'d>, head: &SchemaView<'d>) {
        let closed = |view: &SchemaView<'d>| {
            view.keyword_at("additionalProperties")
                .filter(|(value, _)| **value == Value::Bool(false))
                .map(|(_, field)| field)
        };
        let (base_closed, head_closed) = (closed(base), closed(head));
        if base_closed.is_some() == head_closed.is_some() {
            return;
        }
        let struct_name = rust_api::type_name(self.head, head);
        let denies = "`#[serde(deny_unknown_fields)]`";
        let (rule, effect): (&'static Rule, String) =
            match (role.is_response(), head_closed.is_some()) {
                (false, true) => (
                    &rules::REQUEST_OBJECT_CLOSED,
                    format!(
                        "none in what is sent: `{struct_name}` serializes only its declared \
                         fields (it gains {denies}, which only matters when deserializing one)"
                    ),
                ),
                (false, false) => (
                    &rules::REQUEST_OBJECT_OPENED,
                    format!("none in what is sent: `{struct_name}` loses {denies}"),
                ),
                (true, true) => (
                    &rules::RESPONSE_OBJECT_CLOSED,
                    format!(
                        "`{struct_name}` gains {denies}: a response holding a property the spec \
                         does not list fails to decode"
                    ),
                ),
                (true, false) => (
                    &rules::RESPONSE_OBJECT_OPENED,
                    format!(
                        "`{struct_name}` loses {denies}; gigs-client versions generated before \
                         keep it and fail to decode a response with a property they do not know"
                    ),
                ),
            };
        let (old, new) = (
            closed_text(base_closed.is_some()),
            closed_text(head_closed.is_some()),
        );
        let change = match (base_closed, head_closed) {
            (_, Some(field)) => Change::new(rule, Side::Head, &field),
            (Some(field), None) => Change::new(rule, Side::Base, &field),
            (None, None) => return,
        };
        self.push_judged(
            &[Aspect::Additional],
            change.old(old).new_value(new).rust(effect),
        );
    }

    /// Values of a map (`additionalProperties: {schema}`) that may or may no longer be null;
    /// whether that was reported.
    fn compare_map_values(
        &mut self,
        role: Role,
        base: (&SchemaView<'d>, &SchemaView<'d>),
        head: (&SchemaView<'d>, &SchemaView<'d>),
    ) -> bool {
        let (base_values, head_values) = (base.1, head.1);
        let delta = self
            .comparison(role, base_values, head_values)
            .aspect(&Aspect::Null);
        if base_values.nullable == head_values.nullable || delta == Delta::SAME {
            return false;
        }
        let rule = match (role.is_response(), head_values.nullable) {
            (false, true) => &rules::REQUEST_MAP_VALUE_BECAME_NULLABLE,
            (false, false) => &rules::REQUEST_MAP_VALUE_BECAME_NON_NULLABLE,
            (true, true) => &rules::RESPONSE_MAP_VALUE_BECAME_NULLABLE,
            (true, false) => &rules::RESPONSE_MAP_VALUE_BECAME_NON_NULLABLE,
        };
        let value_type = |spec, view: &SchemaView| {
            let name = rust_api::type_name(spec, view);
            if view.nullable {
                format!("Option<{name}>")
            } else {
                name
            }
        };
        let (old_value, new_value) = (
            value_type(self.base, base_values),
            value_type(self.head, head_values),
        );
        let (old_map, new_map) = (
            rust_api::type_name(self.base, base.0),
            rust_api::type_name(self.head, head.0),
        );
        let effect = if old_map == new_map {
            format!("the values of `{new_map}` change type: `{old_value}` → `{new_value}`")
        } else {
            format!("type `{old_map}` → `{new_map}`")
        };
        self.push_with(
            &[],
            delta,
            Change::new(rule, Side::Head, &head_values.field)
                .old(nullable_text(base_values.nullable))
                .new_value(nullable_text(head_values.nullable))
                .rust(effect),
        );
        true
    }

    fn compare_enums(&mut self, role: Role, base: &SchemaView<'d>, head: &SchemaView<'d>) {
        let (Some(base_values), Some(head_values)) = (enum_values(base), enum_values(head)) else {
            return;
        };
        let base_name = rust_api::type_name(self.base, base);
        let head_name = rust_api::type_name(self.head, head);
        for removed in base_values.difference(&head_values) {
            let rule = match role {
                Role::Parameter => &rules::PARAMETER_ENUM_VALUE_REMOVED,
                Role::Request => &rules::REQUEST_ENUM_VALUE_REMOVED,
                Role::Response => &rules::RESPONSE_ENUM_VALUE_REMOVED,
            };
            let effect = format!(
                "variant `{base_name}::{}` removed",
                naming::variant(removed)
            );
            self.push_judged(
                &[Aspect::Enum],
                Change::new(rule, Side::Base, &enum_field(base))
                    .old(removed.clone())
                    .rust(effect),
            );
        }
        for added in head_values.difference(&base_values) {
            let variant = format!("{head_name}::{}", naming::variant(added));
            let (rule, effect) = match role {
                Role::Parameter | Role::Request => (
                    if role == Role::Parameter {
                        &rules::PARAMETER_ENUM_VALUE_ADDED
                    } else {
                        &rules::REQUEST_ENUM_VALUE_ADDED
                    },
                    format!("new variant `{variant}`"),
                ),
                Role::Response => (
                    &rules::RESPONSE_ENUM_VALUE_ADDED,
                    format!(
                        "new variant `{variant}`; gigs-client enums are open (`#[non_exhaustive]` \
                         with `Unknown(String)`), so older clients keep decoding it as \
                         `Unknown(\"{added}\")`; clients with closed enums fail to decode it"
                    ),
                ),
            };
            self.push_judged(
                &[Aspect::Enum],
                Change::new(rule, Side::Head, &enum_field(head))
                    .new_value(added.clone())
                    .rust(effect),
            );
        }
    }

    fn compare_defaults(&mut self, role: Role, base: &SchemaView<'d>, head: &SchemaView<'d>) {
        if base.default == head.default {
            return;
        }
        let (side, field) = if head.default.is_some() {
            (Side::Head, head.field.join("default"))
        } else {
            (Side::Base, base.field.join("default"))
        };
        let (rule, effect) = if role == Role::Parameter {
            (
                &rules::PARAMETER_DEFAULT_CHANGED,
                "none: the builder sends only what the caller sets; the server applies the new default",
            )
        } else {
            (
                &rules::REQUEST_DEFAULT_CHANGED,
                "an optional field with a default is a plain value in the generated type, one \
                 without is an `Option`; the server fills a left-out value differently",
            )
        };
        self.push(
            Change::new(rule, side, &field)
                .old(optional_text(base.default))
                .new_value(optional_text(head.default))
                .rust(effect),
        );
    }

    fn compare_constraints(&mut self, role: Role, base: &SchemaView<'d>, head: &SchemaView<'d>) {
        let keywords = UPPER_BOUNDS
            .iter()
            .chain(&LOWER_BOUNDS)
            .chain(&[
                "exclusiveMinimum",
                "exclusiveMaximum",
                "multipleOf",
                "pattern",
            ])
            .chain(containment::MODELLED_2020_12);
        let composed = composition_kind(base).is_some() || composition_kind(head).is_some();
        // A boolean exclusive flag a 3.1 head sets aside is reported as such.
        let set_aside: Vec<&str> = if self.head.is_openapi_31() {
            head.keyword_places(openapi31::SET_ASIDE)
                .iter()
                .flat_map(|(keywords, _)| keywords.as_object().into_iter().flatten())
                .map(|(keyword, _)| keyword.as_str())
                .collect()
        } else {
            Vec::new()
        };
        // Only the keywords some layer of either side writes (most schemas hold few).
        let written: HashSet<&str> = base
            .layers()
            .into_iter()
            .chain(head.layers())
            .flat_map(|layer| layer.value.as_object().into_iter().flatten())
            .map(|(key, _)| key.as_str())
            .collect();
        for &keyword in keywords {
            if set_aside.contains(&keyword) || !written.contains(keyword) {
                continue;
            }
            // Every layer's value applies: the first place where the two sides differ, matched
            // by where it is written.
            let places = |view: &SchemaView<'d>| {
                view.keyword_places(keyword)
                    .into_iter()
                    .map(|(value, field)| (field.segments().to_vec(), value, field))
                    .collect::<Vec<_>>()
            };
            let (old_places, new_places) = (places(base), places(head));
            // The same values moved between layers (into an `allOf` member) change nothing.
            let values = |places: &[(Vec<String>, &'d Value, FieldPath)]| {
                let mut values: Vec<String> = places
                    .iter()
                    .map(|(_, value, _)| value.to_string())
                    .collect();
                values.sort();
                values
            };
            if values(&old_places) == values(&new_places) {
                continue;
            }
            let value_at = |places: &[(Vec<String>, &'d Value, FieldPath)], place: &[String]| {
                places
                    .iter()
                    .find(|(other, _, _)| other.as_slice() == place)
                    .map(|(_, value, field)| (*value, field.clone()))
            };
            let differing = old_places
                .iter()
                .chain(&new_places)
                .map(|(place, _, _)| (value_at(&old_places, place), value_at(&new_places, place)))
                .find(|(old, new)| {
                    old.as_ref().map(|(value, _)| value) != new.as_ref().map(|(value, _)| value)
                });
            let Some((old_at, new_at)) = differing else {
                continue;
            };
            let (old, new) = (
                old_at.as_ref().map(|(value, _)| *value),
                new_at.as_ref().map(|(value, _)| *value),
            );
            // Tightened or loosened as the engine reads the keyword: a pattern that matches
            // every string is no pattern, two different patterns cannot be compared. Beside a
            // `oneOf`/`anyOf` the keyword applies to every variant, and the engine judges it
            // with them (as the composition), so the finding names that too.
            // An exclusive flag belongs to its bound, which the engine judges as one.
            let judged_as = match keyword {
                "exclusiveMinimum" => "minimum",
                "exclusiveMaximum" => "maximum",
                "minContains" | "maxContains" => "contains",
                keyword => keyword,
            };
            let aspects = if composed {
                vec![Aspect::Keyword(judged_as), Aspect::Composition]
            } else {
                vec![Aspect::Keyword(judged_as)]
            };
            let rule = match (role.is_response(), self.delta_of(&aspects).relation()) {
                // Written differently, the same instances (`minimum: 0` exclusive and
                // `minimum: 1` on an integer, say).
                (_, Relation::Same) => &rules::SCHEMA_REWRITTEN,
                (true, _) => &rules::RESPONSE_CONSTRAINT_CHANGED,
                (false, Relation::Narrower) => &rules::REQUEST_CONSTRAINT_TIGHTENED,
                (false, Relation::Wider) => &rules::REQUEST_CONSTRAINT_LOOSENED,
                (false, _) => &rules::REQUEST_CONSTRAINT_CHANGED,
            };
            let (side, field) = match (new_at, old_at) {
                (Some((_, field)), _) => (Side::Head, field),
                (None, Some((_, field))) => (Side::Base, field),
                (None, None) => continue,
            };
            let schema_of = |view: &SchemaView<'d>| {
                view.layers()
                    .into_iter()
                    .find(|layer| layer.value.get("type").is_some())
                    .map_or(view.value, |layer| layer.value)
            };
            let checked = self.rust.checks_constraint(keyword, schema_of(base))
                || self.rust.checks_constraint(keyword, schema_of(head));
            let change = Change::new(rule, side, &field)
                .old(format!("{keyword}: {}", optional_text(old)))
                .new_value(format!("{keyword}: {}", optional_text(new)));
            let change = if checked {
                change.rust("validation in the generated type changes (see the generated diff)")
            } else {
                change.rust_severity(rules::Severity::Info).rust(
                    "none: the generator leaves string constraints to the API; the field stays \
                     a `String`",
                )
            };
            self.push_judged(&aspects, change);
        }
    }

    fn compare_composition(
        &mut self,
        role: Role,
        base: &SchemaView<'d>,
        head: &SchemaView<'d>,
    ) -> anyhow::Result<()> {
        let (base_kind, head_kind) = (composition_kind(base), composition_kind(head));
        if base_kind != head_kind {
            let field = head_kind.map_or(head.field.clone(), |kind| head.field.join(kind));
            self.push_judged(
                &[Aspect::Composition],
                Change::new(&rules::COMPOSITION_CHANGED, Side::Head, &field)
                    .old(base_kind.unwrap_or("none"))
                    .new_value(head_kind.unwrap_or("none"))
                    .rust("the generated type changes shape (enum vs struct)"),
            );
            return Ok(());
        }
        let Some(kind) = base_kind else {
            return Ok(());
        };
        // Matched variants are compared as positions of their own.
        self.name(|| Aspect::Composition);
        let (base_discriminator, head_discriminator) =
            (base.keyword("discriminator"), head.keyword("discriminator"));
        if base_discriminator != head_discriminator {
            let field = if head_discriminator.is_some() {
                head.field.join("discriminator")
            } else {
                head.field.clone()
            };
            self.push_judged(
                &[Aspect::Composition],
                Change::new(&rules::COMPOSITION_CHANGED, Side::Head, &field)
                    .old(format!(
                        "discriminator: {}",
                        optional_text(base_discriminator)
                    ))
                    .new_value(format!(
                        "discriminator: {}",
                        optional_text(head_discriminator)
                    ))
                    .rust("the serde tagging of the generated enum changes"),
            );
        }
        let base_variants = variants(self.base, base, kind)?;
        let head_variants = variants(self.head, head, kind)?;
        let head_variants = self.match_inline_variants(role, &base_variants, head_variants)?;
        let type_name = rust_api::type_name(self.head, head);
        for (name, (value, field)) in &base_variants {
            match head_variants.get(name) {
                Some((head_value, head_field)) => {
                    self.compare(role, (value, field), (head_value, head_field))?
                }
                None => {
                    let rule = if role.is_response() {
                        &rules::RESPONSE_VARIANT_REMOVED
                    } else {
                        &rules::REQUEST_VARIANT_REMOVED
                    };
                    self.push_judged(
                        &[Aspect::Composition],
                        Change::new(rule, Side::Base, field)
                            .old(name.clone())
                            .rust(format!("variant `{name}` of `{type_name}` removed")),
                    );
                }
            }
        }
        for (name, (_, field)) in &head_variants {
            if !base_variants.contains_key(name) {
                let rule = if role.is_response() {
                    &rules::RESPONSE_VARIANT_ADDED
                } else {
                    &rules::REQUEST_VARIANT_ADDED
                };
                self.push_judged(
                    &[Aspect::Composition],
                    Change::new(rule, Side::Head, field)
                        .new_value(name.clone())
                        .rust(format!(
                            "new variant `{name}` of `{type_name}`: exhaustive matches break"
                        )),
                );
            }
        }
        Ok(())
    }

    /// Inline variants are matched regardless of order: a head variant that accepts the same
    /// instances as a base one takes its name; the others pair up in order.
    fn match_inline_variants(
        &mut self,
        role: Role,
        base_variants: &Members<'d>,
        head_variants: Members<'d>,
    ) -> anyhow::Result<Members<'d>> {
        let inline = |name: &String| name.ends_with(']');
        let mut head_inline: Vec<(String, (&'d Value, FieldPath))> = Vec::new();
        let mut matched = Members::new();
        for (name, member) in head_variants {
            if inline(&name) {
                head_inline.push((name, member));
            } else {
                matched.insert(name, member);
            }
        }
        let mut unmatched_base = Vec::new();
        for (name, (value, field)) in base_variants.iter().filter(|(name, _)| inline(name)) {
            let base_view = SchemaView::new(self.base, value, field)?;
            let mut same = None;
            for (index, (_, (head_value, head_field))) in head_inline.iter().enumerate() {
                let head_view = SchemaView::new(self.head, head_value, head_field)?;
                if self.comparison(role, &base_view, &head_view).total() == Delta::SAME {
                    same = Some(index);
                    break;
                }
            }
            match same {
                Some(index) => {
                    let (_, member) = head_inline.remove(index);
                    matched.insert(name.clone(), member);
                }
                None => unmatched_base.push(name.clone()),
            }
        }
        let mut rest = head_inline.into_iter();
        for name in unmatched_base {
            match rest.next() {
                Some((_, member)) => {
                    matched.insert(name, member);
                }
                None => break,
            }
        }
        for (name, member) in rest {
            let key = if matched.contains_key(&name) || base_variants.contains_key(&name) {
                format!("{name} (new)")
            } else {
                name
            };
            matched.insert(key, member);
        }
        Ok(matched)
    }
}

fn closed_text(closed: bool) -> &'static str {
    if closed {
        "additionalProperties: false"
    } else {
        "open"
    }
}

fn enum_field(schema: &SchemaView) -> FieldPath {
    schema
        .keyword_at("enum")
        .map_or_else(|| schema.field.join("enum"), |(_, field)| field)
}

fn has_component(spec: &SpecDocument, name: &str) -> bool {
    spec.value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .is_some_and(|schemas| schemas.contains_key(name))
}

/// A type signature for the `old → new` columns; a `oneOf`/`anyOf` lists its variants' types
/// (`oneOf [string, object]`) instead of reading as `any`.
fn shape_text(spec: &SpecDocument, schema: &SchemaView, signature: &str) -> String {
    let Some(kind) = composition_kind(schema).filter(|_| signature == "any") else {
        return signature.to_owned();
    };
    let members = schema.keyword(kind).and_then(Value::as_array);
    let types: Vec<String> = members
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(index, member)| {
            SchemaView::new(spec, member, &schema.field.join(kind).join(index))
                .map_or_else(|_| "?".to_owned(), |view| type_signature(&view))
        })
        .collect();
    format!("{kind} [{}]", types.join(", "))
}

fn required_text(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

fn nullable_text(nullable: bool) -> &'static str {
    if nullable {
        "nullable"
    } else {
        "non-nullable"
    }
}

/// A JSON value as compact JSON, cut short past 80 characters.
fn short_json(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// A JSON value as a short text for `old → new` columns.
pub fn optional_text(value: Option<&Value>) -> String {
    match value {
        None => "none".to_owned(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// What decides the shape on the wire: `string (date-time)`, `string enum`, `object`.
fn type_signature(schema: &SchemaView) -> String {
    let (declared, format) = schema.type_and_format();
    let inferred = declared.or_else(|| {
        let is_object = schema.keyword("properties").is_some()
            || schema.keyword("additionalProperties").is_some();
        is_object.then_some("object")
    });
    let mut signature = inferred.unwrap_or("any").to_owned();
    if let Some(format) = format {
        signature.push_str(&format!(" ({format})"));
    }
    if schema.keyword("enum").is_some() {
        signature.push_str(" enum");
    }
    signature
}

fn enum_values(schema: &SchemaView) -> Option<BTreeSet<String>> {
    let values = schema.keyword("enum")?.as_array()?;
    Some(
        values
            .iter()
            .map(|value| optional_text(Some(value)))
            .collect(),
    )
}

/// Whether a schema with a `oneOf`/`anyOf` also constrains its instances beside it (a bound,
/// a `type`, in itself or an `allOf` member), which then applies to every variant.
fn constrains_beside_composition(schema: &SchemaView) -> bool {
    schema.layers().iter().any(|layer| {
        layer.value.as_object().is_some_and(|keywords| {
            keywords.keys().any(|key| {
                !matches!(key.as_str(), "oneOf" | "anyOf" | "allOf" | "discriminator")
                    && !is_annotation(key)
            })
        })
    })
}

fn composition_kind(schema: &SchemaView) -> Option<&'static str> {
    ["oneOf", "anyOf"]
        .into_iter()
        .find(|kind| schema.keyword(kind).is_some())
}

type Members<'d> = BTreeMap<String, (&'d Value, FieldPath)>;

/// The variants of a `oneOf`/`anyOf`, named by their component, or by position when inline.
fn variants<'d>(
    spec: &'d SpecDocument,
    schema: &SchemaView<'d>,
    kind: &str,
) -> anyhow::Result<Members<'d>> {
    let mut variants = BTreeMap::new();
    let members = schema.keyword(kind).and_then(Value::as_array);
    for (index, member) in members.into_iter().flatten().enumerate() {
        let field = schema.field.join(kind).join(index);
        let view = SchemaView::new(spec, member, &field)?;
        let name = view
            .component
            .clone()
            .unwrap_or_else(|| format!("{kind}[{index}]"));
        variants.insert(name, (member, field));
    }
    Ok(variants)
}

struct ObjectMembers<'d> {
    properties: Members<'d>,
    required: BTreeSet<String>,
}

/// Properties and required names of an object, including those its (flattened) `allOf`
/// members add; the first declaration of a property wins.
fn object_members<'d>(schema: &SchemaView<'d>) -> ObjectMembers<'d> {
    let mut members = ObjectMembers {
        properties: BTreeMap::new(),
        required: BTreeSet::new(),
    };
    collect_members(schema, &mut members);
    members
}

fn collect_members<'d>(schema: &SchemaView<'d>, members: &mut ObjectMembers<'d>) {
    if let Some(properties) = schema.value.get("properties").and_then(Value::as_object) {
        for (name, value) in properties {
            let field = schema.field.join("properties").join(name);
            members
                .properties
                .entry(name.clone())
                .or_insert((value, field));
        }
    }
    if let Some(required) = schema.value.get("required").and_then(Value::as_array) {
        members
            .required
            .extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    // `SchemaView` bounds the depth of its flattened members.
    for member in &schema.all_of {
        collect_members(member, members);
    }
}
