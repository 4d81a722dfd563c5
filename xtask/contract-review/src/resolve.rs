//! `$ref` resolution: every comparison looks through references, through the
//! `allOf: [{$ref}]` wrapper the spec uses to attach `nullable` or `default` to a reference
//! (when it adds nothing but annotations), and into the members of any other `allOf`.

use serde_json::Value;

use spec_model::diagnostic::{Diagnostics, FieldPath};
use spec_model::spec::{self, SpecDocument, MAX_REF_HOPS};

/// Follows `$ref`s from `value` (found at `field`) to the referenced value and where it lives;
/// the model's resolver, with its problem located in the file.
pub fn resolve<'d>(
    spec: &'d SpecDocument,
    value: &'d Value,
    field: &FieldPath,
) -> anyhow::Result<(&'d Value, FieldPath)> {
    spec::resolve_located(&spec.value, value, field)
        .map_err(|problem| anyhow::anyhow!(Diagnostics(vec![spec.problem(problem)])))
}

/// A schema with references and single-`allOf` wrappers looked through, and the members of a
/// longer `allOf` flattened into it: `allOf: [{$ref: Base}, {properties: ...}]` describes the
/// same instances as one schema with the merged keywords, and the generator merges it into one
/// struct, so a comparison must not see a different shape.
#[derive(Clone)]
pub struct SchemaView<'d> {
    pub value: &'d Value,
    pub field: FieldPath,
    /// Nullable on the schema itself or on a wrapper around it.
    pub nullable: bool,
    /// `readOnly` / `writeOnly` on the schema itself or on a wrapper around it.
    pub read_only: bool,
    pub write_only: bool,
    /// A wrapper read from 3.1's `anyOf: [X, {type: 'null'}]` ([`crate::openapi31::OR_NULL`]):
    /// `null` is accepted whatever X says of it.
    pub or_null: bool,
    pub default: Option<&'d Value>,
    /// The `components.schemas` name reached through a `$ref`: the Rust type name.
    pub component: Option<String>,
    /// The members of the schema's own `allOf` (unless it is an annotating wrapper, which is
    /// looked through), resolved and flattened in turn. Every member applies: the containment
    /// engine reads each keyword across all of them ([`SchemaView::layers`]).
    pub all_of: Vec<SchemaView<'d>>,
}

/// Deeper `allOf` nesting than this is taken as a cycle and not flattened further.
pub const MAX_ALL_OF_DEPTH: usize = 16;

impl<'d> SchemaView<'d> {
    pub fn new(
        spec: &'d SpecDocument,
        value: &'d Value,
        field: &FieldPath,
    ) -> anyhow::Result<Self> {
        Self::at_depth(spec, value, field, 0)
    }

    fn at_depth(
        spec: &'d SpecDocument,
        value: &'d Value,
        field: &FieldPath,
        depth: usize,
    ) -> anyhow::Result<Self> {
        let mut view = SchemaView {
            value,
            field: field.clone(),
            nullable: false,
            read_only: false,
            write_only: false,
            or_null: false,
            default: None,
            component: None,
            all_of: Vec::new(),
        };
        // A component whose whole schema is `allOf: [{$ref: Other}]` is generated as a newtype
        // of its own name around `Other`, so its name stays the Rust type's name.
        let mut in_component_wrapper = false;
        for _ in 0..MAX_REF_HOPS {
            let flag = |name| view.value.get(name) == Some(&Value::Bool(true));
            let (nullable, read_only, write_only) =
                (flag("nullable"), flag("readOnly"), flag("writeOnly"));
            // The marker sits beside `nullable: true` only.
            let or_null = nullable && flag(crate::openapi31::OR_NULL);
            view.nullable |= nullable;
            view.read_only |= read_only;
            view.write_only |= write_only;
            view.or_null |= or_null;
            if view.default.is_none() {
                view.default = view.value.get("default");
            }
            if view.value.get("$ref").is_some() {
                let (target, target_field) = resolve(spec, view.value, &view.field)?;
                if !in_component_wrapper && component_name(&target_field).is_some() {
                    view.component = component_name(&target_field).map(str::to_owned);
                }
                view.value = target;
                view.field = target_field;
            } else if let Some(inner) = single_all_of(spec, view.value) {
                in_component_wrapper |= component_name(&view.field).is_some();
                view.field = view.field.join("allOf").join(0);
                view.value = inner;
            } else {
                if depth < MAX_ALL_OF_DEPTH {
                    let members = view.value.get("allOf").and_then(Value::as_array);
                    for (index, member) in members.into_iter().flatten().enumerate() {
                        let member_field = view.field.join("allOf").join(index);
                        view.all_of
                            .push(Self::at_depth(spec, member, &member_field, depth + 1)?);
                    }
                }
                return Ok(view);
            }
        }
        Err(anyhow::anyhow!(Diagnostics(vec![spec.diagnostic(
            field,
            "schema wrappers nest too deeply (a reference cycle?)"
        )])))
    }

    /// The schema and its `allOf` members, theirs in turn, depth first: every schema whose
    /// keywords an instance must satisfy.
    pub fn layers(&self) -> Vec<&SchemaView<'d>> {
        let mut layers = vec![self];
        for member in &self.all_of {
            layers.extend(member.layers());
        }
        layers
    }

    /// A keyword of the schema, or of the first `allOf` member that has it: what names the
    /// Rust type. What an instance must satisfy reads every layer ([`SchemaView::layers`]).
    pub fn keyword(&self, name: &str) -> Option<&'d Value> {
        self.value
            .get(name)
            .or_else(|| self.all_of.iter().find_map(|member| member.keyword(name)))
    }

    /// The values of a keyword in every layer that has it, each with the place it is written.
    pub fn keyword_places(&self, name: &str) -> Vec<(&'d Value, FieldPath)> {
        self.layers()
            .into_iter()
            .filter_map(|layer| {
                layer
                    .value
                    .get(name)
                    .map(|value| (value, layer.field.join(name)))
            })
            .collect()
    }

    /// A keyword as [`SchemaView::keyword`] finds it, with the place it is written.
    pub fn keyword_at(&self, name: &str) -> Option<(&'d Value, FieldPath)> {
        match self.value.get(name) {
            Some(value) => Some((value, self.field.join(name))),
            None => self
                .all_of
                .iter()
                .find_map(|member| member.keyword_at(name)),
        }
    }

    /// `type` plus `format`, the two keywords that decide the wire and the Rust type.
    pub fn type_and_format(&self) -> (Option<&'d str>, Option<&'d str>) {
        (
            self.keyword("type").and_then(Value::as_str),
            self.keyword("format").and_then(Value::as_str),
        )
    }
}

/// The component schema `field` is in (`/components/schemas/Name` or below it), if any.
pub fn owner_component(field: &FieldPath) -> Option<&str> {
    match field.segments() {
        [components, schemas, name, ..] if components == "components" && schemas == "schemas" => {
            Some(name)
        }
        _ => None,
    }
}

/// The name of the component schema at `field` itself (`/components/schemas/Name`), if it is one.
fn component_name(field: &FieldPath) -> Option<&str> {
    owner_component(field).filter(|_| field.segments().len() == 3)
}

/// The component a component schema wraps, when its whole schema is `allOf: [{$ref: Other}]`:
/// the generator makes it a newtype around `Other` (`pub struct Name(pub Other)`).
pub fn newtype_of<'d>(spec: &'d SpecDocument, name: &str) -> Option<&'d str> {
    let schema = spec.value.pointer("/components/schemas")?.get(name)?;
    single_all_of(spec, schema)?
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// The inner schema of a wrapper that only adds annotations to one `allOf` member. A
/// constraint beside the `allOf` (`maxLength`, `required`, a `type` other than the inner
/// one's) applies as well, so such a schema is read with its member as a layer instead.
fn single_all_of<'d>(spec: &'d SpecDocument, value: &'d Value) -> Option<&'d Value> {
    let map = value.as_object()?;
    let [only] = map.get("allOf")?.as_array()?.as_slice() else {
        return None;
    };
    let inner_type = || spec::resolve_or_self(&spec.value, only).get("type");
    let annotates = map.iter().all(|(key, beside)| match key.as_str() {
        "allOf" => true,
        // A `type` beside the wrapper that repeats the inner schema's says nothing more.
        "type" => inner_type() == Some(beside),
        key => is_annotation(key),
    });
    annotates.then_some(only)
}

/// Keywords that change no instance a schema accepts, or (`nullable`, `readOnly`,
/// `writeOnly`, `default`) that [`SchemaView`] carries from a wrapper to what it wraps.
pub fn is_annotation(key: &str) -> bool {
    const ANNOTATIONS: [&str; 13] = [
        "description",
        "title",
        "summary",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "nullable",
        "externalDocs",
        "xml",
        "$comment",
    ];
    ANNOTATIONS.contains(&key) || key.starts_with("x-")
}

/// Whether `base_value` (in `base`) and `head_value` (in `head`) are written the same once
/// every `$ref` in them is followed, documentation (`description`, `title`, examples) left
/// out: for parts of a document the review does not compare, whether they changed at all.
pub fn same_resolved(
    base: &SpecDocument,
    base_value: &Value,
    head: &SpecDocument,
    head_value: &Value,
) -> bool {
    let mut assumed = std::collections::HashSet::new();
    same_resolved_in((base, base_value), (head, head_value), false, &mut assumed)
}

/// `names_properties`: the keys of this map are property names, not keywords. Pairs already
/// under comparison (a recursive schema) are assumed the same: a difference anywhere else
/// still makes the whole differ.
fn same_resolved_in<'d>(
    base: (&'d SpecDocument, &'d Value),
    head: (&'d SpecDocument, &'d Value),
    names_properties: bool,
    assumed: &mut std::collections::HashSet<(usize, usize)>,
) -> bool {
    let follow = |spec: &'d SpecDocument, value: &'d Value| -> &'d Value {
        if names_properties {
            value
        } else {
            spec::resolve_or_self(&spec.value, value)
        }
    };
    let (old, new) = (follow(base.0, base.1), follow(head.0, head.1));
    if !assumed.insert((
        std::ptr::from_ref(old) as usize,
        std::ptr::from_ref(new) as usize,
    )) {
        return true;
    }
    match (old, new) {
        (Value::Object(old), Value::Object(new)) => {
            let kept = |key: &&String| names_properties || !crate::compare::is_documentation(key);
            old.keys().filter(kept).count() == new.keys().filter(kept).count()
                && old.keys().filter(kept).all(|key| {
                    new.get(key).is_some_and(|new_child| {
                        same_resolved_in(
                            (base.0, &old[key]),
                            (head.0, new_child),
                            !names_properties && key == "properties",
                            assumed,
                        )
                    })
                })
        }
        (Value::Array(old), Value::Array(new)) => {
            old.len() == new.len()
                && old.iter().zip(new).all(|(old, new)| {
                    same_resolved_in((base.0, old), (head.0, new), false, assumed)
                })
        }
        (old, new) => old == new,
    }
}
