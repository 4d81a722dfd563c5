//! The one model of an operation: every task (the client's extras, the command line, the tests'
//! tables, the fake's server trait, the contract review) reads the spec's operations through
//! [`read_operations`] and renders from what it returns, so that they all see the same
//! parameters, bodies, statuses and names.
//!
//! ```text
//! paths.{path}.{method} ──► read_operations ──► Vec<Operation>
//!     parameters: path item + operation, merged by (in, name), the operation's winning
//!     body, responses: `$ref`s followed, each with the field it was found at
//!     success statuses, project scope, list shape (cursor parameters + page envelope)
//!     Rust names: naming.rs only
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use super::{schema_ref_name, OperationObject};
use crate::diagnostic::FieldPath;
use crate::naming;

/// One operation of the spec, with everything a renderer needs to know of it.
pub struct Operation<'d> {
    /// The path template (`/projects/{project}/devices/{device}`).
    pub path: &'d str,
    /// The method as the spec writes it (`get`).
    pub method: &'static str,
    /// The operation object.
    pub value: &'d Value,
    /// The `$ref` the path item under `paths` is, when it is one.
    pub item_ref: Option<&'d str>,
    pub id: Option<&'d str>,
    /// The first tag, which names the operation's resource group.
    pub tag: Option<&'d str>,
    /// Path-level and operation-level parameters merged (the operation's win), path-level ones
    /// first, each list in its own order.
    pub parameters: Vec<Parameter<'d>>,
    pub body: Option<RequestBody<'d>>,
    /// Every documented response, in the spec's order.
    pub responses: Vec<Response<'d>>,
    /// The operation takes the `project` path parameter (the SDK fills in a default project).
    pub project_scoped: bool,
    /// The cursor-paginated list shape, when the operation has one.
    pub list: Option<ListShape>,
    /// The generated Rust names; `None` without an operationId (which `generate` refuses and
    /// the contract review reports as such).
    pub names: Option<RustNames>,
    /// The spec marks the operation safe to repeat ([`IDEMPOTENT_EXTENSION`]): sending it twice
    /// has the effect of sending it once (a search sent as a POST), so the runtime retries it
    /// like a GET.
    pub idempotent: bool,
}

/// The operation extension that marks an operation safe to repeat (`x-gigs-idempotent: true`),
/// for the methods that are not by themselves (POST, DELETE).
pub const IDEMPOTENT_EXTENSION: &str = "x-gigs-idempotent";

/// The property extension that marks a value as a secret (`x-gigs-sensitive: true`): the
/// generated `Debug` prints a placeholder instead, and no error or log line holds it.
pub const SENSITIVE_EXTENSION: &str = "x-gigs-sensitive";

/// Whether the schema (a property) is marked [`SENSITIVE_EXTENSION`].
pub fn is_sensitive(schema: &Value) -> bool {
    schema.get(SENSITIVE_EXTENSION).and_then(Value::as_bool) == Some(true)
}

/// A parameter after `$ref` resolution.
pub struct Parameter<'d> {
    pub name: &'d str,
    /// `path`, `query`, `header` or `cookie`.
    pub location: &'d str,
    /// The parameter object.
    pub value: &'d Value,
    /// Where the parameter object lives (a `components.parameters` entry for a `$ref`).
    pub field: FieldPath,
    /// Path parameters always are.
    pub required: bool,
    /// The builder method of the parameter (`type` → `type_`).
    pub rust_name: String,
    /// What the parameter's schema says about its values.
    pub values: ParameterValues<'d>,
    /// The Rust type of the value (`crate::types::SimStatus`, `i64`, ...), as the generated
    /// client's builder holds it (without the `Option` of an optional parameter); set by
    /// [`type_parameters`] once progenitor has run, `None` before.
    pub rust_type: Option<String>,
}

/// What a parameter's schema says about its values, `$ref`s followed.
#[derive(Default)]
pub struct ParameterValues<'d> {
    /// An array, sent as one comma-separated value.
    pub list: bool,
    /// The documented values of the parameter (or of its items), empty when any value goes.
    pub allowed: Vec<&'d str>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    /// The value the API assumes when the parameter is left out.
    pub default: Option<&'d Value>,
    /// The spec's example value.
    pub example: Option<&'d Value>,
}

/// A request body after `$ref` resolution.
pub struct RequestBody<'d> {
    /// The request body object.
    pub value: &'d Value,
    pub field: FieldPath,
    /// The `application/json` media type object, when there is one.
    pub json: Option<&'d Value>,
    /// The Rust type of the JSON body: its component's, or the one typify names an inline body.
    pub type_name: Option<String>,
    /// The JSON body's schema, `$ref`s followed.
    pub schema: Option<&'d Value>,
}

impl<'d> RequestBody<'d> {
    /// The properties the JSON body's schema requires, in its order.
    pub fn required_properties(&self) -> Vec<&'d str> {
        let required = self.schema.and_then(|schema| schema.get("required"));
        required
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    }
}

/// A response after `$ref` resolution.
pub struct Response<'d> {
    /// `200`, `4XX` or `default`.
    pub status: &'d str,
    pub value: &'d Value,
    pub field: FieldPath,
    /// The component schema of the `application/json` body, when it is a `$ref`.
    pub json_component: Option<&'d str>,
}

/// A list answered page by page: query `after`, `before` and `limit`, and a page whose `items`
/// hold component items beside `moreItemsAfter` and `moreItemsBefore`.
pub struct ListShape {
    pub page_type: String,
    pub item_type: String,
    /// The one value the page's `object` property may hold (`list`), when it has one.
    pub object: Option<String>,
}

/// The query parameters of a cursor-paginated list.
pub const CURSOR_PARAMETERS: [&str; 3] = ["after", "before", "limit"];

/// What the generated client calls an operation.
pub struct RustNames {
    /// The `Client` method (`retrieve_device`).
    pub method: String,
    /// The builder type (`RetrieveDevice`).
    pub builder: String,
    /// The resource group type of the tag (`Devices`).
    pub group: String,
    /// The `ProjectClient` method returning the group (`devices`).
    pub group_accessor: String,
    /// The method in the group (`retrieve`).
    pub group_method: String,
    /// Its arguments: the path parameters other than `project`, in path order (`device`).
    pub group_arguments: Vec<String>,
}

/// A `$ref` that points nowhere, or another reason the operations cannot be read.
#[derive(Debug)]
pub struct Problem {
    pub field: FieldPath,
    pub message: String,
}

impl<'d> Operation<'d> {
    /// `paths./things.get`
    pub fn field(&self) -> FieldPath {
        self.path_field().join(self.method)
    }

    /// `paths./things`, or where the `$ref` written there points.
    pub fn path_field(&self) -> FieldPath {
        super::item_field(self.path, self.item_ref)
    }

    /// `GET`
    pub fn http_method(&self) -> String {
        self.method.to_uppercase()
    }

    /// `GET /things`, for messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.http_method(), self.path)
    }

    /// The operationId, or an error naming the operation for tasks that need one.
    pub fn require_id(&self) -> anyhow::Result<&'d str> {
        self.id.ok_or_else(|| {
            anyhow::anyhow!(
                "{} has no operationId (it names the generated Rust method)",
                self.label()
            )
        })
    }

    /// The Rust names, or an error naming the operation when it has no operationId.
    pub fn require_names(&self) -> anyhow::Result<&RustNames> {
        self.require_id()?;
        Ok(self
            .names
            .as_ref()
            .expect("an operation with an id is named"))
    }

    /// The documented success statuses (2xx), in the spec's order.
    pub fn success_statuses(&self) -> Vec<u16> {
        self.responses
            .iter()
            .filter_map(|response| response.status.parse::<u16>().ok())
            .filter(|status| (200..300).contains(status))
            .collect()
    }

    /// The component of the JSON success body (the first 2xx one that is a `$ref`).
    pub fn success_type(&self) -> Option<&'d str> {
        self.body_component(true)
    }

    /// The component of the JSON error body (the first non-2xx one that is a `$ref`).
    pub fn error_type(&self) -> Option<&'d str> {
        self.body_component(false)
    }

    fn body_component(&self, success: bool) -> Option<&'d str> {
        self.responses
            .iter()
            .filter(|response| response.status.starts_with('2') == success)
            .find_map(|response| response.json_component)
    }

    /// The documented example of the first success response with a JSON body: the media
    /// type's `example`, else its first `examples` entry, else the example of its schema.
    pub fn success_example(&self, spec: &'d Value) -> Option<&'d Value> {
        let media = self
            .responses
            .iter()
            .filter(|response| response.status.starts_with('2'))
            .find_map(|response| response.value.pointer("/content/application~1json"))?;
        media_example(spec, media)
    }

    /// The documented example of the JSON request body, found as for
    /// [`Operation::success_example`].
    pub fn request_example(&self, spec: &'d Value) -> Option<&'d Value> {
        media_example(spec, self.body.as_ref()?.json?)
    }

    /// The parameters in `location` (`path`, `query`, ...), in model order.
    pub fn parameters_in<'a>(
        &'a self,
        location: &'a str,
    ) -> impl Iterator<Item = &'a Parameter<'d>> + 'a {
        self.parameters
            .iter()
            .filter(move |parameter| parameter.location == location)
    }

    /// The path parameters in the order of the path template.
    pub fn path_parameters(&self) -> Vec<&Parameter<'d>> {
        let mut parameters: Vec<_> = self.parameters_in("path").collect();
        parameters.sort_by_key(|parameter| self.path.find(&format!("{{{}}}", parameter.name)));
        parameters
    }

    fn has_parameter(&self, name: &str, location: &str) -> bool {
        self.parameters
            .iter()
            .any(|parameter| parameter.name == name && parameter.location == location)
    }
}

impl<'d> Parameter<'d> {
    /// The parameter's schema as written (possibly a `$ref`).
    pub fn schema(&self) -> Option<&'d Value> {
        self.value.get("schema")
    }
}

/// Every operation under `paths`, path by path in document order, methods in
/// [`super::HTTP_METHODS`] order: the one reading of operations every task renders from.
pub fn read_operations(spec: &Value) -> Result<Vec<Operation<'_>>, Problem> {
    let mut operations = super::operation_objects(spec)
        .map(|object| read_operation(spec, object))
        .collect::<Result<Vec<_>, _>>()?;
    name_operations(&mut operations);
    Ok(operations)
}

fn read_operation<'d>(
    spec: &'d Value,
    object: OperationObject<'d>,
) -> Result<Operation<'d>, Problem> {
    let OperationObject {
        path,
        method,
        value,
        path_item,
        item_ref,
    } = object;
    let path_field = object.item_field();
    let field = path_field.join(method);
    let mut operation = Operation {
        path,
        method,
        value,
        item_ref,
        id: value.get("operationId").and_then(Value::as_str),
        tag: value.pointer("/tags/0").and_then(Value::as_str),
        parameters: merged_parameters(spec, [(path_item, &path_field), (value, &field)])?,
        body: None,
        responses: Vec::new(),
        project_scoped: false,
        list: None,
        names: None,
        idempotent: value.get(IDEMPOTENT_EXTENSION).and_then(Value::as_bool) == Some(true),
    };
    operation.project_scoped = operation.has_parameter("project", "path");
    if let Some(raw) = value.get("requestBody") {
        let (body, body_field) = resolve_located(spec, raw, &field.join("requestBody"))?;
        let json = body.pointer("/content/application~1json");
        let type_name = json.and_then(|json| json.get("schema")).map(|schema| {
            schema_ref_name(schema)
                .map(naming::type_name)
                .or_else(|| operation.id.map(naming::request_body_type))
                .unwrap_or_default()
        });
        let schema = match json.and_then(|json| json.get("schema")) {
            Some(schema) => Some(resolve_located(spec, schema, &body_field)?.0),
            None => None,
        };
        operation.body = Some(RequestBody {
            value: body,
            field: body_field,
            json,
            type_name: type_name.filter(|name| !name.is_empty()),
            schema,
        });
    }
    let responses = value.get("responses").and_then(Value::as_object);
    for (status, raw) in responses.into_iter().flatten() {
        let (response, response_field) =
            resolve_located(spec, raw, &field.join("responses").join(status))?;
        operation.responses.push(Response {
            status,
            value: response,
            field: response_field,
            json_component: response
                .pointer("/content/application~1json/schema")
                .and_then(schema_ref_name),
        });
    }
    operation.list = list_shape(spec, &operation);
    Ok(operation)
}

/// The parameters of each owner (path item, then operation) by location and name, a later
/// owner's replacing an earlier one's as OpenAPI says, in first-declared order.
fn merged_parameters<'d, const N: usize>(
    spec: &'d Value,
    owners: [(&'d Value, &FieldPath); N],
) -> Result<Vec<Parameter<'d>>, Problem> {
    let mut merged: Vec<Parameter<'d>> = Vec::new();
    for (owner, owner_field) in owners {
        let list = owner.get("parameters").and_then(Value::as_array);
        for (index, raw) in list.into_iter().flatten().enumerate() {
            let (value, field) =
                resolve_located(spec, raw, &owner_field.join("parameters").join(index))?;
            let text = |key| value.get(key).and_then(Value::as_str).unwrap_or_default();
            let (name, location) = (text("name"), text("in"));
            let parameter = Parameter {
                name,
                location,
                value,
                field,
                required: location == "path"
                    || value.get("required").and_then(Value::as_bool) == Some(true),
                rust_name: naming::field(name),
                values: parameter_values(spec, value),
                rust_type: None,
            };
            match merged
                .iter_mut()
                .find(|known| known.name == name && known.location == location)
            {
                Some(known) => *known = parameter,
                None => merged.push(parameter),
            }
        }
    }
    Ok(merged)
}

/// A media type object's example: its `example`, else its first `examples` entry, else the
/// example of its schema.
fn media_example<'d>(spec: &'d Value, media: &'d Value) -> Option<&'d Value> {
    if let Some(example) = media.get("example") {
        return Some(example);
    }
    let first = media
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|examples| examples.values().next());
    if let Some(named) = first {
        return super::resolve_or_self(spec, named).get("value");
    }
    super::resolve_or_self(spec, media.get("schema")?).get("example")
}

/// The values a parameter object's schema allows, its default and its example.
fn parameter_values<'d>(spec: &'d Value, parameter: &'d Value) -> ParameterValues<'d> {
    let Some(declared) = parameter.get("schema") else {
        return ParameterValues::default();
    };
    let schema = super::resolve_or_self(spec, declared);
    let list = schema.get("type").and_then(Value::as_str) == Some("array");
    let values = match (list, schema.get("items")) {
        (true, Some(items)) => super::resolve_or_self(spec, items),
        _ => schema,
    };
    ParameterValues {
        list,
        allowed: values
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect(),
        minimum: schema.get("minimum").and_then(Value::as_i64),
        maximum: schema.get("maximum").and_then(Value::as_i64),
        default: schema.get("default"),
        example: parameter.get("example").or_else(|| schema.get("example")),
    }
}

/// Sets each parameter's [`Parameter::rust_type`] from the builder struct of its operation in
/// progenitor's output (`client`), the one place that decides those types.
pub fn type_parameters(operations: &mut [Operation], client: &syn::File) -> anyhow::Result<()> {
    let builders = client
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
            _ => None,
        })
        .map(|(_, items)| items.as_slice())
        .ok_or_else(|| anyhow::anyhow!("progenitor's output has no `builder` module"))?;
    for operation in operations {
        let label = operation.label();
        let Some(names) = &operation.names else {
            continue;
        };
        let builder = builders
            .iter()
            .find_map(|item| match item {
                syn::Item::Struct(item) if item.ident == names.builder => Some(item),
                _ => None,
            })
            .ok_or_else(|| anyhow::anyhow!("{label}: no builder `{}`", names.builder))?;
        for parameter in &mut operation.parameters {
            let Some(field) = builder.fields.iter().find(|field| {
                field
                    .ident
                    .as_ref()
                    .is_some_and(|ident| *ident == parameter.rust_name)
            }) else {
                continue;
            };
            let held = first_type_argument(&field.ty, "Result").ok_or_else(|| {
                anyhow::anyhow!(
                    "{label}: builder field `{}` is not a `Result<_, String>`",
                    parameter.rust_name
                )
            })?;
            let value = if parameter.required {
                held
            } else {
                first_type_argument(held, "Option").unwrap_or(held)
            };
            parameter.rust_type = Some(quote::ToTokens::to_token_stream(value).to_string());
        }
    }
    Ok(())
}

/// `T` of `Wrapper<T, ..>` (the last path segment named `wrapper`).
fn first_type_argument<'t>(ty: &'t syn::Type, wrapper: &str) -> Option<&'t syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let segment = path.path.segments.last()?;
    if segment.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    arguments.args.iter().find_map(|argument| match argument {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}

fn list_shape(spec: &Value, operation: &Operation) -> Option<ListShape> {
    let cursors = CURSOR_PARAMETERS
        .iter()
        .all(|name| operation.has_parameter(name, "query"));
    if !cursors || operation.error_type().is_none() {
        return None;
    }
    let page_type = operation.success_type()?;
    let page = spec.pointer(&format!("/components/schemas/{page_type}"))?;
    let properties = page.get("properties")?;
    properties.get("moreItemsAfter")?;
    properties.get("moreItemsBefore")?;
    let item_type = properties
        .pointer("/items/items")
        .and_then(schema_ref_name)?;
    // Normalization hoists an inline enum into a component of its own (`allOf: [$ref]`).
    let object_schema = properties.get("object").map(|schema| {
        let single_part = schema
            .pointer("/allOf/0")
            .filter(|_| schema["allOf"].as_array().map(Vec::len) == Some(1));
        schema_ref_name(single_part.unwrap_or(schema))
            .and_then(|name| spec.pointer(&format!("/components/schemas/{name}")))
            .unwrap_or(schema)
    });
    let values = object_schema.and_then(|schema| schema.get("enum"));
    let object = match values.and_then(Value::as_array) {
        Some(values) if values.len() == 1 => values[0].as_str().map(str::to_owned),
        _ => None,
    };
    Some(ListShape {
        page_type: naming::type_name(page_type),
        item_type: naming::type_name(item_type),
        object,
    })
}

/// Fills in the Rust names, once every operation is read: a group method's name depends on the
/// other operations of its tag.
fn name_operations(operations: &mut [Operation]) {
    let mut by_tag: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for (index, operation) in operations.iter().enumerate() {
        if let Some(id) = operation.id {
            let tag = operation.tag.unwrap_or(naming::DEFAULT_TAG);
            by_tag.entry(tag).or_default().push((index, id));
        }
    }
    let arguments: Vec<Vec<String>> = operations
        .iter()
        .map(|operation| {
            operation
                .path_parameters()
                .into_iter()
                .filter(|parameter| parameter.name != "project")
                .map(|parameter| parameter.rust_name.clone())
                .collect()
        })
        .collect();
    let mut names = Vec::new();
    for (tag, members) in by_tag {
        let ids: Vec<&str> = members.iter().map(|(_, id)| *id).collect();
        let methods = naming::group_methods(tag, &ids);
        for ((index, id), group_method) in members.into_iter().zip(methods) {
            names.push((
                index,
                RustNames {
                    method: naming::method(id),
                    builder: naming::builder(id),
                    group: naming::group(tag),
                    group_accessor: naming::group_accessor(tag),
                    group_method,
                    group_arguments: arguments[index].clone(),
                },
            ));
        }
    }
    for (index, rust_names) in names {
        operations[index].names = Some(rust_names);
    }
}

/// Follows `$ref`s from `value` (found at `field`) to the referenced value and where it lives.
pub fn resolve_located<'d>(
    spec: &'d Value,
    value: &'d Value,
    field: &FieldPath,
) -> Result<(&'d Value, FieldPath), Problem> {
    use spec_ref::{Resolved, Unresolved};
    match spec_ref::resolve(spec, value) {
        Ok(Resolved {
            value,
            reference: None,
        }) => Ok((value, field.clone())),
        Ok(Resolved {
            value,
            reference: Some(reference),
        }) => Ok((value, FieldPath::from_pointer(&reference[1..]))),
        Err(Unresolved::Missing { reference, after }) => Err(Problem {
            field: after
                .map_or_else(
                    || field.clone(),
                    |after| FieldPath::from_pointer(&after[1..]),
                )
                .join("$ref"),
            message: unresolved_message(reference),
        }),
        Err(Unresolved::Cycle) => Err(Problem {
            field: field.clone(),
            message: "`$ref` chain too long (a reference cycle?)".to_owned(),
        }),
    }
}

/// What is wrong with a `$ref` that points nowhere.
pub fn unresolved_message(reference: &str) -> String {
    if reference.starts_with("#/") {
        format!("unresolved `$ref` `{reference}`: nothing is defined at that path")
    } else {
        format!(
            "unresolved `$ref` `{reference}`: only references inside this file (`#/...`) are \
             supported"
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec_with(path_item: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/projects/{project}/things/{thing}": path_item},
            "components": {"parameters": {
                "Project": {"name": "project", "in": "path", "required": true,
                            "schema": {"type": "string"}},
            }},
        })
    }

    #[test]
    fn path_level_parameters_merge_with_the_operations_and_lose_to_them() {
        let spec = spec_with(json!({
            "parameters": [
                {"$ref": "#/components/parameters/Project"},
                {"name": "thing", "in": "path", "required": true, "description": "path level"},
                {"name": "type", "in": "query"},
            ],
            "get": {
                "operationId": "retrieveThing",
                "parameters": [
                    {"name": "thing", "in": "path", "required": true, "description": "operation"},
                    {"name": "type", "in": "header"},
                ],
                "responses": {},
            },
        }));
        let operations = read_operations(&spec).unwrap();
        let operation = &operations[0];
        let described: Vec<(&str, &str, Option<&str>)> = operation
            .parameters
            .iter()
            .map(|parameter| {
                let description = parameter.value.get("description").and_then(Value::as_str);
                (parameter.location, parameter.name, description)
            })
            .collect();
        assert_eq!(
            described,
            [
                ("path", "project", None),
                ("path", "thing", Some("operation")),
                ("query", "type", None),
                ("header", "type", None),
            ]
        );
        assert!(operation.project_scoped);
        assert_eq!(
            operation.parameters[0].field.to_string(),
            "components.parameters.Project"
        );
        assert_eq!(operation.parameters[2].rust_name, "type_");
    }

    #[test]
    fn a_broken_parameter_reference_is_located() {
        let spec = spec_with(json!({
            "get": {
                "operationId": "retrieveThing",
                "parameters": [{"$ref": "#/components/parameters/Missing"}],
                "responses": {},
            },
        }));
        let problem = read_operations(&spec)
            .err()
            .expect("the reference is broken");
        assert_eq!(
            problem.field.to_string(),
            "paths./projects/{project}/things/{thing}.get.parameters.0.$ref"
        );
        assert!(problem.message.contains("Missing"), "{}", problem.message);
    }
}
