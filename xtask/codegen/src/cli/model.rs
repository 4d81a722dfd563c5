//! The command line's model: resources and verbs from path templates, flags from parameters and
//! body properties, read from the one operation model (`spec_model::spec::Operation`).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Context};
use heck::ToKebabCase;
use serde_json::Value;

use spec_model::spec::{resolve_or_self as resolve, schema_ref_name as schema_name, Operation};

/// Flags the hand-written part of the command line declares on every command, or on every list
/// command; a spec parameter or body property with one of these names gets `field-` in front.
const RESERVED_FLAGS: &[&str] = &[
    "all",
    "base-url",
    "body",
    "connect-timeout",
    "help",
    "output",
    "project",
    "retries",
    "timeout",
    "token-file",
    "verbose",
    "version",
];

/// `--clear-name` sends `"name": null`. A flag of its own rather than a literal value such as
/// `--name null`: the text `null` is a valid name, and clap can refuse `--clear-name --name x`.
pub const CLEAR_PREFIX: &str = "clear-";
/// `--no-sims` sends `"sims": []`, which the value flag cannot spell (`--sims ''` is one empty
/// id, and a left-out flag means "leave it alone").
pub const EMPTY_PREFIX: &str = "no-";

pub struct Resource<'m, 'd> {
    pub name: String,
    /// The spec's tag of the same name (`SIMs` for `sims`), for the resource's help.
    pub title: Option<String>,
    pub commands: Vec<Command<'m, 'd>>,
}

/// One operation as a command: `gigs <resource> <verb> <ids> --flags`.
pub struct Command<'m, 'd> {
    pub operation: &'m Operation<'d>,
    pub verb: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Path parameters other than `project`, in path order.
    pub positional: Vec<Positional<'m>>,
    pub query: Vec<Flag>,
    pub body: Option<Body>,
}

pub struct Positional<'m> {
    pub name: &'m str,
    /// The builder method.
    pub setter: &'m str,
    pub description: Option<String>,
}

pub struct Body {
    pub type_name: String,
    pub fields: Vec<Flag>,
}

#[derive(Clone)]
pub struct Flag {
    /// The name in the API (query parameter or body property).
    pub api_name: String,
    /// The builder method (query parameters).
    pub setter: String,
    /// The long flag, without `--`.
    pub flag: String,
    pub help: Option<String>,
    pub kind: Kind,
    /// Documented values (string enums), offered by `--help` and completion and checked.
    pub values: Vec<String>,
    /// The Rust enum of a query parameter or its items, when its schema is a named enum.
    pub enum_type: Option<String>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    /// Body properties the API requires (unless the whole body comes from `--body`).
    pub required: bool,
    /// `--clear-<flag>`: sends `null`. Exactly the optional, nullable body properties, which the
    /// SDK generates as `Patch<T>` (`xtask/codegen/src/client/patch.rs`).
    pub null_flag: Option<String>,
    /// `--no-<flag>`: sends `[]`. Exactly the optional array body properties, which the SDK
    /// keeps apart from left out (`Option<Vec<T>>`, or `Patch<Vec<T>>` when also nullable).
    pub empty_flag: Option<String>,
}

/// How a flag's value is parsed and put into the request: the one list of kinds, rendered into
/// the command line as its `FieldKind` enum.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    StringList,
    IntegerList,
    Json,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::String,
        Kind::Integer,
        Kind::Number,
        Kind::Boolean,
        Kind::StringList,
        Kind::IntegerList,
        Kind::Json,
    ];

    /// The variant of the command line's `FieldKind`, and what it documents.
    pub fn variant(self) -> (&'static str, &'static str) {
        match self {
            Kind::String => ("String", "A JSON string."),
            Kind::Integer => ("Integer", "A JSON integer."),
            Kind::Number => ("Number", "A JSON number."),
            Kind::Boolean => ("Boolean", "`true` or `false`."),
            Kind::StringList => (
                "StringList",
                "An array of strings (comma-separated or repeated flag).",
            ),
            Kind::IntegerList => (
                "IntegerList",
                "An array of integers (comma-separated or repeated flag).",
            ),
            Kind::Json => ("Json", "Any JSON value, given as JSON text."),
        }
    }
}

/// A property's schema with a single `allOf` member (how the spec attaches descriptions to
/// references) replaced by that member.
fn unwrap_all_of(schema: &Value) -> &Value {
    match schema.get("allOf").and_then(Value::as_array) {
        Some(members) if members.len() == 1 => &members[0],
        _ => schema,
    }
}

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|text| !text.is_empty())
}

/// Kebab case with a one-letter word joined to the next one, so that `eSimProfile` reads
/// `esim-profile`, not `e-sim-profile`.
pub fn kebab(name: &str) -> String {
    let words: Vec<String> = name.to_kebab_case().split('-').map(str::to_owned).collect();
    let mut joined: Vec<String> = Vec::new();
    let mut pending = String::new();
    for word in words {
        if word.len() == 1 {
            pending.push_str(&word);
        } else {
            joined.push(format!("{pending}{word}"));
            pending.clear();
        }
    }
    if !pending.is_empty() {
        joined.push(pending);
    }
    joined.join("-")
}

/// The commands of every operation, grouped by resource, verbs sorted.
pub fn resources<'m, 'd>(
    spec: &Value,
    operations: &'m [Operation<'d>],
) -> anyhow::Result<Vec<Resource<'m, 'd>>> {
    let mut by_name: BTreeMap<String, Vec<Command>> = BTreeMap::new();
    for operation in operations {
        let (resource, command) = command_of(spec, operation)?;
        by_name.entry(resource).or_default().push(command);
    }
    let mut resources = Vec::new();
    for (name, mut commands) in by_name {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for command in &commands {
            *counts.entry(command.verb.clone()).or_default() += 1;
        }
        for command in &mut commands {
            if counts[&command.verb] > 1 {
                command.verb = kebab(command.operation.require_id()?);
            }
        }
        commands.sort_by(|a, b| a.verb.cmp(&b.verb));
        let title = commands
            .iter()
            .filter_map(|command| command.operation.tag)
            .find(|tag| tag.to_lowercase().replace([' ', '-'], "") == name.replace('-', ""))
            .map(str::to_owned);
        resources.push(Resource {
            name,
            title,
            commands,
        });
    }
    Ok(resources)
}

/// The resource and the command of one operation.
fn command_of<'m, 'd>(
    spec: &Value,
    operation: &'m Operation<'d>,
) -> anyhow::Result<(String, Command<'m, 'd>)> {
    let id = operation.require_id()?;
    let path = operation.path;
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let scoped = segments.len() >= 2 && segments[0] == "projects" && segments[1] == "{project}";
    let rest = if scoped {
        &segments[2..]
    } else {
        &segments[..]
    };
    let resource = rest
        .iter()
        .find(|segment| !segment.starts_with('{'))
        .map(|segment| kebab(segment))
        .with_context(|| format!("{id}: path {path} names no resource"))?;
    let last_parameter = rest.iter().rposition(|s| s.starts_with('{'));
    let verb = match last_parameter {
        Some(index) if index + 1 < rest.len() => kebab(rest[rest.len() - 1]),
        _ => kebab(id).split('-').next().unwrap_or_default().to_owned(),
    };

    let positional = operation
        .path_parameters()
        .into_iter()
        .filter(|parameter| parameter.name != "project")
        .map(|parameter| Positional {
            name: parameter.name,
            setter: &parameter.rust_name,
            description: text(parameter.value, "description"),
        })
        .collect();
    let mut query = Vec::new();
    // Header and cookie parameters are the SDK's business (authorization, idempotency).
    for parameter in operation.parameters_in("query") {
        let schema = parameter.schema().unwrap_or(&Value::Null);
        let mut flag = flag_of(spec, id, parameter.name, schema)?;
        flag.help = text(parameter.value, "description");
        flag.required = parameter.required;
        query.push(flag);
    }

    let body = match &operation.body {
        None => None,
        Some(body) => {
            let schema = body
                .json
                .and_then(|json| json.get("schema"))
                .with_context(|| format!("{id}: the request body is not application/json"))?;
            schema_name(schema).with_context(|| {
                format!("{id}: the request body schema must be a $ref to components.schemas")
            })?;
            let type_name = body.type_name.clone().unwrap_or_default();
            let schema = body.schema.unwrap_or(&Value::Null);
            let required: BTreeSet<&str> = body.required_properties().into_iter().collect();
            let mut fields = Vec::new();
            for (name, property) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let target = resolve(spec, unwrap_all_of(property));
                let mut flag = flag_of(spec, id, name, property)
                    .unwrap_or_else(|_| Flag::new(name, Kind::Json));
                if matches!(flag.kind, Kind::Json) {
                    flag.enum_type = None;
                }
                flag.help = text(property, "description").or_else(|| text(target, "description"));
                flag.required = required.contains(name.as_str());
                if !flag.required {
                    if crate::client::patch::sends_null(property) {
                        flag.null_flag = Some(format!("{CLEAR_PREFIX}{}", flag.flag));
                    }
                    if target.get("type").and_then(Value::as_str) == Some("array") {
                        flag.empty_flag = Some(format!("{EMPTY_PREFIX}{}", flag.flag));
                    }
                }
                fields.push(flag);
            }
            Some(Body { type_name, fields })
        }
    };

    let mut command = Command {
        operation,
        verb,
        summary: text(operation.value, "summary"),
        description: operation
            .value
            .get("description")
            .and_then(Value::as_str)
            .map(|text| text.trim().to_owned()),
        positional,
        query,
        body,
    };
    rename_clashing_flags(&mut command)?;
    Ok((resource, command))
}

impl Flag {
    fn new(name: &str, kind: Kind) -> Self {
        Flag {
            api_name: name.to_owned(),
            setter: spec_model::naming::field(name),
            flag: kebab(name),
            help: None,
            kind,
            values: Vec::new(),
            enum_type: None,
            minimum: None,
            maximum: None,
            required: false,
            null_flag: None,
            empty_flag: None,
        }
    }
}

/// A flag for a query parameter or body property with this schema (a `$ref`, a single `allOf`
/// or inline).
fn flag_of(spec: &Value, id: &str, name: &str, declared: &Value) -> anyhow::Result<Flag> {
    let schema = resolve(spec, unwrap_all_of(declared));
    let enum_values = |schema: &Value| -> Vec<String> {
        schema
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let mut flag = Flag::new(name, Kind::String);
    flag.minimum = schema.get("minimum").and_then(Value::as_i64);
    flag.maximum = schema.get("maximum").and_then(Value::as_i64);
    let (kind, values, enum_type) = match schema.get("type").and_then(Value::as_str) {
        Some("array") => {
            let items_ref = schema.get("items").unwrap_or(&Value::Null);
            let items = resolve(spec, unwrap_all_of(items_ref));
            match items.get("type").and_then(Value::as_str) {
                Some("string") | None if items.get("enum").is_some() => (
                    Kind::StringList,
                    enum_values(items),
                    schema_name(unwrap_all_of(items_ref)).map(str::to_owned),
                ),
                Some("string") => (Kind::StringList, Vec::new(), None),
                Some("integer") => (Kind::IntegerList, Vec::new(), None),
                _ => (Kind::Json, Vec::new(), None),
            }
        }
        Some("string") | None if schema.get("enum").is_some() => (
            Kind::String,
            enum_values(schema),
            schema_name(unwrap_all_of(declared)).map(str::to_owned),
        ),
        Some("string") => (Kind::String, Vec::new(), None),
        Some("integer") => (Kind::Integer, Vec::new(), None),
        Some("number") => (Kind::Number, Vec::new(), None),
        Some("boolean") => (Kind::Boolean, Vec::new(), None),
        Some("object") | None => (Kind::Json, Vec::new(), None),
        Some(other) => bail!("{id}: `{name}` has the unsupported schema type `{other}`"),
    };
    flag.kind = kind;
    flag.values = values;
    flag.enum_type = enum_type;
    Ok(flag)
}

fn rename_clashing_flags(command: &mut Command) -> anyhow::Result<()> {
    let mut taken: BTreeSet<String> = RESERVED_FLAGS.iter().map(|s| (*s).to_owned()).collect();
    let id = command.operation.require_id()?;
    let flags = command.query.iter_mut().chain(
        command
            .body
            .iter_mut()
            .flat_map(|body| body.fields.iter_mut()),
    );
    for flag in flags {
        if taken.contains(&flag.flag) {
            flag.flag = format!("field-{}", flag.flag);
        }
        if !taken.insert(flag.flag.clone()) {
            bail!(
                "{id}: two parameters or body properties give the flag `--{}`",
                flag.flag
            );
        }
    }
    // The clear and empty-list flags follow their property's (possibly renamed) flag.
    for field in command
        .body
        .iter_mut()
        .flat_map(|body| body.fields.iter_mut())
    {
        if field.null_flag.is_some() {
            field.null_flag = Some(format!("{CLEAR_PREFIX}{}", field.flag));
        }
        if field.empty_flag.is_some() {
            field.empty_flag = Some(format!("{EMPTY_PREFIX}{}", field.flag));
        }
        for derived in field.null_flag.iter().chain(&field.empty_flag) {
            if !taken.insert(derived.clone()) {
                bail!(
                    "{id}: the flag `--{derived}` of body property `{}` is also another \
                     parameter's or property's flag",
                    field.api_name
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use serde_json::Value;

    use super::{kebab, resources, CLEAR_PREFIX, EMPTY_PREFIX};
    use spec_model::spec::{operation_objects, read_operations, resolve_or_self, SpecDocument};

    /// The clear and empty-list flags the workspace's spec calls for, read from the spec itself
    /// (not from the command line's model): per operationId, property → (nullable, array), for
    /// every optional top-level property of a JSON request body.
    fn optional_body_properties(spec: &Value) -> BTreeMap<(String, String), (bool, bool)> {
        let mut found = BTreeMap::new();
        for operation in operation_objects(spec) {
            let Some(schema) = operation
                .value
                .pointer("/requestBody/content/application~1json/schema")
            else {
                continue;
            };
            let schema = resolve_or_self(spec, schema);
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (name, property) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if required.contains(&name.as_str()) {
                    continue;
                }
                let nullable = property.get("nullable") == Some(&Value::Bool(true));
                let target = match property.get("allOf").and_then(Value::as_array) {
                    Some(members) if members.len() == 1 => resolve_or_self(spec, &members[0]),
                    _ => resolve_or_self(spec, property),
                };
                let array = target.get("type").and_then(Value::as_str) == Some("array");
                let id = operation.operation_id().unwrap().to_owned();
                found.insert((id, name.clone()), (nullable, array));
            }
        }
        found
    }

    #[test]
    fn every_nullable_or_list_body_property_of_the_spec_has_its_flags() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi.yaml");
        let document = SpecDocument::load(&path).unwrap();
        let normalized = crate::normalize::normalize(&document).unwrap().value;
        let operations = read_operations(&normalized).unwrap();
        let model = resources(&normalized, &operations).unwrap();

        let expected = optional_body_properties(&normalized);
        let (nullable, arrays) = expected.values().fold((0, 0), |(n, a), (is_n, is_a)| {
            (n + usize::from(*is_n), a + usize::from(*is_a))
        });
        // Not vacuous: the spec has both kinds (UpdateDeviceRequest.name, .sims among them).
        assert!(nullable >= 2 && arrays >= 2, "{expected:?}");

        let mut seen = 0;
        for command in model.iter().flat_map(|resource| &resource.commands) {
            let id = command.operation.id.unwrap();
            for field in command.body.iter().flat_map(|body| &body.fields) {
                let key = (id.to_owned(), field.api_name.clone());
                let (nullable, array) = expected.get(&key).copied().unwrap_or_default();
                let clear = nullable.then(|| format!("{CLEAR_PREFIX}{}", field.flag));
                let empty = array.then(|| format!("{EMPTY_PREFIX}{}", field.flag));
                assert_eq!(
                    field.null_flag, clear,
                    "{id}: clear flag of `{}`",
                    field.api_name
                );
                assert_eq!(
                    field.empty_flag, empty,
                    "{id}: empty-list flag of `{}`",
                    field.api_name
                );
                if expected.contains_key(&key) {
                    seen += 1;
                }
            }
        }
        assert_eq!(
            seen,
            expected.len(),
            "every optional body property has a flag"
        );

        // And the rendered command line declares each of them, with its conflicts.
        let rendered = super::super::generate(&normalized, &operations).unwrap();
        for command in model.iter().flat_map(|resource| &resource.commands) {
            for field in command.body.iter().flat_map(|body| &body.fields) {
                for derived in field.null_flag.iter().chain(&field.empty_flag) {
                    assert!(
                        rendered.contains(&format!(".long(\"{derived}\")")),
                        "--{derived} is not rendered"
                    );
                }
            }
        }
        let update = model
            .iter()
            .flat_map(|resource| &resource.commands)
            .find(|command| command.operation.id == Some("updateDevice"))
            .unwrap();
        let flags: Vec<&str> = update
            .body
            .iter()
            .flat_map(|body| &body.fields)
            .flat_map(|field| field.null_flag.iter().chain(&field.empty_flag))
            .map(String::as_str)
            .collect();
        assert_eq!(flags, ["clear-name", "no-sims", "clear-user"]);
    }

    #[test]
    fn kebab_joins_one_letter_words() {
        assert_eq!(kebab("eSimProfile"), "esim-profile");
        assert_eq!(kebab("deviceModelBrands"), "device-model-brands");
        assert_eq!(kebab("retrieveESimProfile"), "retrieve-esim-profile");
        assert_eq!(kebab("credentials"), "credentials");
    }
}
