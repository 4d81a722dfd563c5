//! Walking two versions of the spec side by side: operations, their parameters, request bodies,
//! responses and security, and the component schemas themselves.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::findings::{Change, Finding, Findings, LifecycleOf, OperationName, Side};
use crate::lifecycle::Lifecycle;
use crate::resolve;
use crate::rules::{self, Severity};
use crate::rust_api;
use crate::schema::{Role, SchemaDiff};
use spec_model::diagnostic::FieldPath;
use spec_model::naming;
use spec_model::spec::{self, SpecDocument};

/// Every contract change from `base` to `head`, in no particular order.
/// `today` is the date `x-sunset` dates are compared with.
pub fn compare(
    base: &SpecDocument,
    head: &SpecDocument,
    today: chrono::NaiveDate,
    rust: &dyn crate::RustSurface,
) -> anyhow::Result<Vec<Finding>> {
    let mut findings = Findings::new(base, head, today);
    let base_operations = operations(base)?;
    let head_operations = operations(head)?;
    for (key, base_operation) in &base_operations {
        match head_operations.get(key) {
            Some(head_operation) => {
                OperationDiff {
                    base,
                    head,
                    base_operation,
                    head_operation,
                    schemas: SchemaDiff::new(
                        base,
                        head,
                        rust,
                        &mut findings,
                        head_operation.name.clone(),
                    ),
                }
                .compare()?;
            }
            None => findings.push(
                Some(&base_operation.name),
                Change::new(&rules::OPERATION_REMOVED, Side::Base, &base_operation.field)
                    .old(base_operation.name.label())
                    .operation_lifecycle(base, base_operation.value, LifecycleOf::Removal)
                    .rust(format!("method {} removed", base_operation.calls())),
            ),
        }
    }
    for (key, head_operation) in &head_operations {
        if !base_operations.contains_key(key) {
            findings.push(
                Some(&head_operation.name),
                Change::new(&rules::OPERATION_ADDED, Side::Head, &head_operation.field)
                    .new_value(head_operation.name.label())
                    .rust(format!("new method {}", head_operation.calls())),
            );
        }
    }
    compare_component_schemas(base, head, &mut findings);
    compare_webhooks(base, head, &mut findings);
    Ok(findings.into_vec())
}

/// An operation of the model, with the name the report gives it.
struct Operation<'d> {
    name: OperationName,
    field: FieldPath,
    value: &'d Value,
    model: spec::Operation<'d>,
}

impl Operation<'_> {
    fn operation_id(&self) -> Option<&str> {
        self.model.id
    }

    /// The Rust calls of the operation, as the report names them.
    fn calls(&self) -> String {
        self.model
            .names
            .as_ref()
            .map(rust_api::calls)
            .unwrap_or_else(|| "(no operationId)".to_owned())
    }
}

/// Operations keyed by method and path template with parameter names left out, so that
/// renaming `{id}` to `{device}` does not read as one operation removed and another added.
fn operations(
    spec: &SpecDocument,
) -> anyhow::Result<BTreeMap<(String, &'static str), Operation<'_>>> {
    let operations = spec.operations()?;
    Ok(operations
        .into_iter()
        .map(|model| {
            (
                (template_shape(model.path), model.method),
                Operation {
                    name: OperationName::new(model.path, model.method),
                    field: model.field(),
                    value: model.value,
                    model,
                },
            )
        })
        .collect())
}

/// A path template with its variable names left out: `/devices/{}`.
pub fn template_shape(path: &str) -> String {
    let mut shape = String::new();
    let mut in_parameter = false;
    for character in path.chars() {
        match character {
            '{' => {
                in_parameter = true;
                shape.push('{');
            }
            '}' => {
                in_parameter = false;
                shape.push('}');
            }
            _ if in_parameter => {}
            _ => shape.push(character),
        }
    }
    shape
}

struct OperationDiff<'a, 'd> {
    base: &'d SpecDocument,
    head: &'d SpecDocument,
    base_operation: &'a Operation<'d>,
    head_operation: &'a Operation<'d>,
    schemas: SchemaDiff<'a, 'd>,
}

impl<'d> OperationDiff<'_, 'd> {
    fn push(&mut self, change: Change) {
        let operation = self.head_operation.name.clone();
        self.schemas.findings.push(Some(&operation), change);
    }

    fn compare(mut self) -> anyhow::Result<()> {
        self.compare_identity();
        self.compare_servers();
        self.compare_security();
        self.compare_parameters()?;
        self.compare_request_bodies()?;
        self.compare_responses()?;
        self.compare_callbacks();
        Ok(())
    }

    /// The URLs the operation's requests go to: its own `servers`, else its path item's, else
    /// the document's, each server with every value its variables may take (the default
    /// first). A URL clients used that is no longer a server breaks them; another default
    /// that is still listed needs review; a new alternative is harmless.
    fn compare_servers(&mut self) {
        let (old, _) = effective_servers(self.base, self.base_operation);
        let (new, new_field) = effective_servers(self.head, self.head_operation);
        if old == new {
            return;
        }
        let all = |servers: &[ServerUrls]| -> BTreeSet<String> {
            servers
                .iter()
                .flat_map(|server| server.all.iter().cloned())
                .collect()
        };
        let (old_all, new_all) = (all(&old), all(&new));
        let default = |servers: &[ServerUrls]| servers.first().map(|server| server.default.clone());
        let (old_default, new_default) = (default(&old), default(&new));
        let text = |urls: &[&String]| {
            if urls.is_empty() {
                "none".to_owned()
            } else {
                urls.iter()
                    .map(|url| url.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let lost: Vec<&String> = old_all.difference(&new_all).collect();
        let gained: Vec<&String> = new_all.difference(&old_all).collect();
        let rust = "none in the generated code: gigs-client sends requests to the base URL its \
                    caller gives `Client::new` (check the `gigs` crate's default base URL)";
        let change = if old.is_empty() || new.is_empty() {
            // No servers: requests go to where the document is served from, which the
            // review cannot compare with a URL.
            Change::new(&rules::SERVERS_CHANGED, Side::Head, &new_field)
                .old(text(&old_all.iter().collect::<Vec<_>>()))
                .new_value(text(&new_all.iter().collect::<Vec<_>>()))
        } else if !lost.is_empty() {
            Change::new(&rules::BASE_URL_CHANGED, Side::Head, &new_field)
                .old(text(&lost))
                .new_value(new_default.clone().unwrap_or_default())
        } else if old_default != new_default {
            Change::new(&rules::SERVERS_CHANGED, Side::Head, &new_field)
                .old(format!("default {}", old_default.unwrap_or_default()))
                .new_value(format!("default {}", new_default.unwrap_or_default()))
        } else if !gained.is_empty() {
            Change::new(&rules::SERVER_ADDED, Side::Head, &new_field).new_value(text(&gained))
        } else {
            return;
        };
        self.push(change.rust(rust));
    }

    /// Callbacks are requests the API sends; they are not compared, and a change is said once
    /// per operation.
    fn compare_callbacks(&mut self) {
        let (old, new) = (
            self.base_operation.value.get("callbacks"),
            self.head_operation.value.get("callbacks"),
        );
        if not_compared_unchanged(self.base, old, self.head, new) {
            return;
        }
        let (side, field) = match new {
            Some(_) => (Side::Head, self.head_operation.field.join("callbacks")),
            None => (Side::Base, self.base_operation.field.join("callbacks")),
        };
        self.push(
            Change::new(&rules::CALLBACKS_NOT_COMPARED, side, &field)
                .old(names_text(old))
                .new_value(names_text(new))
                .rust("none: progenitor generates nothing for callbacks"),
        );
    }

    /// A part of the document the review does not read (`encoding`, `links`): a change, after
    /// `$ref`s are followed, is reported once where it is, with the names it holds, so it never
    /// passes as unchanged.
    fn compare_not_compared(
        &mut self,
        rule: &'static rules::Rule,
        base: (Option<&Value>, &FieldPath),
        head: (Option<&Value>, &FieldPath),
        rust: &str,
    ) {
        if not_compared_unchanged(self.base, base.0, self.head, head.0) {
            return;
        }
        let (side, field) = match head.0 {
            Some(_) => (Side::Head, head.1),
            None => (Side::Base, base.1),
        };
        self.push(
            Change::new(rule, side, field)
                .old(names_text(base.0))
                .new_value(names_text(head.0))
                .rust(rust),
        );
    }

    fn compare_identity(&mut self) {
        let (base_id, head_id) = (
            self.base_operation.operation_id(),
            self.head_operation.operation_id(),
        );
        if base_id != head_id {
            let effect = format!(
                "method {} → {}",
                self.base_operation.calls(),
                self.head_operation.calls()
            );
            let field = self.head_operation.field.join("operationId");
            self.push(
                Change::new(&rules::OPERATION_ID_CHANGED, Side::Head, &field)
                    .old(base_id.unwrap_or("none"))
                    .new_value(head_id.unwrap_or("none"))
                    .rust(effect),
            );
        }
        // `deprecated: true`, or a declared `Sunset` response header.
        let (was, is) = (
            Lifecycle::of_operation(self.base, self.base_operation.value).deprecated,
            Lifecycle::of_operation(self.head, self.head_operation.value).deprecated,
        );
        if was != is {
            let rule = if is {
                &rules::OPERATION_DEPRECATED
            } else {
                &rules::OPERATION_UNDEPRECATED
            };
            // At the keyword when there is one; a `Sunset` header alone names the operation.
            let field = if is && self.head_operation.value.get("deprecated").is_some() {
                self.head_operation.field.join("deprecated")
            } else {
                self.head_operation.field.clone()
            };
            let mut change = Change::new(rule, Side::Head, &field)
                .old(was.to_string())
                .new_value(is.to_string())
                .rust("none: progenitor does not mark methods `#[deprecated]`");
            if is {
                change = change.operation_lifecycle(
                    self.head,
                    self.head_operation.value,
                    LifecycleOf::Deprecation,
                );
            }
            self.push(change);
        }
    }

    fn compare_security(&mut self) {
        let (base_requirements, _) = security(self.base, self.base_operation);
        let (head_requirements, head_field) = security(self.head, self.head_operation);
        if base_requirements == head_requirements {
            return;
        }
        // A client that satisfied some base requirement keeps working when some head
        // requirement asks for no more than that.
        let still_satisfied = |base: &BTreeSet<String>| {
            head_requirements.is_empty()
                || head_requirements.iter().any(|head| head.is_subset(base))
        };
        let tightened =
            base_requirements.is_empty() || !base_requirements.iter().all(still_satisfied);
        let rule = if tightened {
            &rules::SECURITY_REQUIREMENT_ADDED
        } else {
            &rules::SECURITY_REQUIREMENT_RELAXED
        };
        self.push(
            Change::new(rule, Side::Head, &head_field)
                .old(security_text(&base_requirements))
                .new_value(security_text(&head_requirements))
                .rust("none: the client sends whatever credentials its reqwest client carries"),
        );
    }

    fn compare_parameters(&mut self) -> anyhow::Result<()> {
        let base_parameters = parameters(self.base_operation);
        let head_parameters = parameters(self.head_operation);
        // A parameter that only changes location (query → header) is one move, not a removal
        // and an addition with contradicting Rust notes: the builder method keeps its name.
        let moved = |key: &(String, String), from: &Parameters, to: &Parameters| {
            !to.contains_key(key)
                && to.iter().any(|(other, parameter)| {
                    other.1 == key.1
                        && other.0 != key.0
                        && !from.contains_key(other)
                        && parameter.location != "path"
                })
        };
        for (key, base_parameter) in &base_parameters {
            let setter = format!("`.{}()`", naming::field(&base_parameter.name));
            if key.0 != "path" && moved(key, &base_parameters, &head_parameters) {
                let (_, head_parameter) = head_parameters
                    .iter()
                    .find(|(other, _)| other.1 == key.1 && other.0 != key.0)
                    .expect("checked by `moved`");
                self.push(
                    Change::new(
                        &rules::PARAMETER_LOCATION_CHANGED,
                        Side::Head,
                        &head_parameter.field,
                    )
                    .old(format!("{} parameter {}", key.0, base_parameter.name))
                    .new_value(format!(
                        "{} parameter {}",
                        head_parameter.location, head_parameter.name
                    ))
                    .rust(format!(
                        "none: the builder method {setter} stays; the regenerated client sends \
                             the value in the {} instead",
                        head_parameter.location
                    )),
                );
                continue;
            }
            let Some(head_parameter) = head_parameters.get(key) else {
                self.push(
                    Change::new(&rules::PARAMETER_REMOVED, Side::Base, &base_parameter.field)
                        .old(format!("{} parameter {}", key.0, base_parameter.name))
                        .lifecycle(&[base_parameter.value], LifecycleOf::Removal)
                        .rust(format!("builder method {setter} removed")),
                );
                continue;
            };
            if key.0 == "path" && base_parameter.name != head_parameter.name {
                let new_setter = format!("`.{}()`", naming::field(&head_parameter.name));
                self.push(
                    Change::new(
                        &rules::PATH_PARAMETER_RENAMED,
                        Side::Head,
                        &head_parameter.field,
                    )
                    .old(base_parameter.name.clone())
                    .new_value(head_parameter.name.clone())
                    .rust(format!(
                        "builder method {setter} → {new_setter}; the URLs stay the same"
                    )),
                );
            }
            let deprecated = |parameter: &Parameter| {
                parameter.value.get("deprecated") == Some(&Value::Bool(true))
            };
            let (was, is) = (deprecated(base_parameter), deprecated(head_parameter));
            if was != is {
                let rule = if is {
                    &rules::PARAMETER_DEPRECATED
                } else {
                    &rules::PARAMETER_UNDEPRECATED
                };
                let mut change = Change::new(rule, Side::Head, &head_parameter.field)
                    .old(was.to_string())
                    .new_value(is.to_string())
                    .rust(format!(
                        "none: the builder method {setter} stays (progenitor does not mark it \
                         `#[deprecated]`)"
                    ));
                if is {
                    change = change.lifecycle(&[head_parameter.value], LifecycleOf::Deprecation);
                }
                self.push(change);
            }
            let (was_required, is_required) =
                (base_parameter.required(), head_parameter.required());
            if was_required != is_required {
                let (rule, effect) = if is_required {
                    (
                        &rules::PARAMETER_BECAME_REQUIRED,
                        format!("calls without {setter} still compile but `send()` fails"),
                    )
                } else {
                    (
                        &rules::PARAMETER_BECAME_OPTIONAL,
                        format!("none: {setter} stays and may now be left out"),
                    )
                };
                self.push(
                    Change::new(rule, Side::Head, &head_parameter.field)
                        .old(if was_required { "required" } else { "optional" })
                        .new_value(if is_required { "required" } else { "optional" })
                        .rust(effect),
                );
            }
            self.compare_wire_form(base_parameter, head_parameter)?;
        }
        for (key, head_parameter) in &head_parameters {
            if base_parameters.contains_key(key)
                || (key.0 != "path" && moved(key, &head_parameters, &base_parameters))
            {
                continue;
            }
            let setter = format!("`.{}()`", naming::field(&head_parameter.name));
            let (rule, effect) = if head_parameter.required() {
                (
                    &rules::PARAMETER_ADDED_REQUIRED,
                    format!("new required builder method {setter}: existing calls compile but `send()` fails until it is set"),
                )
            } else {
                (
                    &rules::PARAMETER_ADDED_OPTIONAL,
                    format!("new builder method {setter}; existing calls are unchanged"),
                )
            };
            self.push(
                Change::new(rule, Side::Head, &head_parameter.field)
                    .new_value(format!("{} parameter {}", key.0, head_parameter.name))
                    .rust(effect),
            );
        }
        Ok(())
    }

    /// How a parameter's value is written on the wire: `style` and `explode`, `allowReserved`,
    /// `allowEmptyValue`, and `content` (a media type) instead of a schema. Each change is
    /// judged by the requests clients build today from the base: whether the head reads every
    /// value the base's schema admits from the same text.
    fn compare_wire_form(
        &mut self,
        base_parameter: &Parameter<'d>,
        head_parameter: &Parameter<'d>,
    ) -> anyhow::Result<()> {
        // What the base's schema admits, read only for a change that needs it.
        let values = || ParameterValues::of(self.base, base_parameter.value);
        let (base_style, head_style) = (base_parameter.style(), head_parameter.style());
        let (base_content, head_content) = (
            base_parameter
                .value
                .get("content")
                .and_then(Value::as_object),
            head_parameter
                .value
                .get("content")
                .and_then(Value::as_object),
        );
        if base_style != head_style && base_content.is_none() && head_content.is_none() {
            let wire = values()
                .kinds()
                .into_iter()
                .map(|kind| {
                    match (
                        written(&base_style.0, base_style.1, kind),
                        written(&head_style.0, head_style.1, kind),
                    ) {
                        (Some(old), Some(new)) if old == new => Severity::Info,
                        (Some(_), Some(_)) => Severity::Breaking,
                        // A style OpenAPI does not define for such a value.
                        _ => Severity::Review,
                    }
                })
                .max()
                .unwrap_or(Severity::Info);
            let change = Change::new(
                &rules::PARAMETER_STYLE_CHANGED,
                Side::Head,
                &head_parameter.field,
            )
            .old(style_text(&base_style))
            .new_value(style_text(&head_style))
            .wire(wire);
            let change = match self.builder_types(base_parameter, head_parameter) {
                Some((setter, old, new)) if old != new => change.rust(format!(
                    "builder method `{setter}` takes `{old}` → `{new}` (values convert from a \
                     `Vec` either way; code that names the type changes); the client writes \
                     the value as the head says"
                )),
                _ => change.rust(
                    "the client serializes the value differently; check the query hooks of \
                     gigs-client",
                ),
            };
            self.push(change);
        }
        let flag = |parameter: &Parameter, name: &str| {
            parameter.location == "query" && parameter.value.get(name) == Some(&Value::Bool(true))
        };
        for (keyword, rule) in [
            ("allowReserved", &rules::PARAMETER_ALLOW_RESERVED_CHANGED),
            (
                "allowEmptyValue",
                &rules::PARAMETER_ALLOW_EMPTY_VALUE_CHANGED,
            ),
        ] {
            let (was, is) = (flag(base_parameter, keyword), flag(head_parameter, keyword));
            if was == is {
                continue;
            }
            // Allowing more reads what was sent before the same way. Refusing reserved
            // characters sent as they are may read a text value otherwise (`&`, `#`, `+`);
            // refusing empty values refuses what clients may send.
            let wire = match (keyword, is) {
                (_, true) => Severity::Info,
                ("allowReserved", false) if values().text => Severity::Review,
                ("allowReserved", false) => Severity::Info,
                _ => Severity::Breaking,
            };
            let field = if head_parameter.value.get(keyword).is_some() {
                head_parameter.field.join(keyword)
            } else {
                head_parameter.field.clone()
            };
            self.push(
                Change::new(rule, Side::Head, &field)
                    .old(format!("{keyword}: {was}"))
                    .new_value(format!("{keyword}: {is}"))
                    .wire(wire)
                    .rust("none: the builder method stays; the client writes the value as before"),
            );
        }
        let media = |content: Option<&serde_json::Map<String, Value>>| {
            content.and_then(|content| content.keys().next().cloned())
        };
        match (base_content, head_content) {
            (None, None) => {
                if let (Some(base_schema), Some(head_schema)) = (
                    base_parameter.value.get("schema"),
                    head_parameter.value.get("schema"),
                ) {
                    self.schemas.parameter_setter =
                        self.builder_setter(base_parameter, head_parameter);
                    let compared = self.schemas.compare(
                        Role::Parameter,
                        (base_schema, &base_parameter.field.join("schema")),
                        (head_schema, &head_parameter.field.join("schema")),
                    );
                    self.schemas.parameter_setter = None;
                    compared?;
                }
            }
            (Some(base_map), Some(head_map)) if media(Some(base_map)) == media(Some(head_map)) => {
                let media_type = media(Some(base_map)).unwrap_or_default();
                let (base_media, head_media) = (&base_map[&media_type], &head_map[&media_type]);
                if let (Some(base_schema), Some(head_schema)) =
                    (base_media.get("schema"), head_media.get("schema"))
                {
                    let field = |parameter: &Parameter| {
                        parameter
                            .field
                            .join("content")
                            .join(&media_type)
                            .join("schema")
                    };
                    self.schemas.json_parameter = true;
                    let compared = self.schemas.compare(
                        Role::Parameter,
                        (base_schema, &field(base_parameter)),
                        (head_schema, &field(head_parameter)),
                    );
                    self.schemas.json_parameter = false;
                    compared?;
                }
            }
            _ => {
                let text = |content: Option<&serde_json::Map<String, Value>>| match media(content) {
                    Some(media_type) => format!("content: {media_type}"),
                    None => "schema".to_owned(),
                };
                let field = if head_content.is_some() {
                    head_parameter.field.join("content")
                } else {
                    head_parameter.field.clone()
                };
                self.push(
                    Change::new(&rules::PARAMETER_CONTENT_CHANGED, Side::Head, &field)
                        .old(text(base_content))
                        .new_value(text(head_content))
                        .rust("the builder may take another type (see the generated diff)"),
                );
            }
        }
        Ok(())
    }

    /// A parameter's builder method as the report names it (`ListSubscriptions::status`), and
    /// whether the base's and the head's take it as `CommaSeparated<T>` (the generator's
    /// rule).
    fn builder_setter(
        &self,
        base_parameter: &Parameter<'d>,
        head_parameter: &Parameter<'d>,
    ) -> Option<(String, bool, bool)> {
        let builder = &self.head_operation.model.names.as_ref()?.builder;
        let rust = self.schemas.rust;
        Some((
            format!("{builder}::{}", naming::field(&head_parameter.name)),
            rust.comma_separated(base_parameter.value),
            rust.comma_separated(head_parameter.value),
        ))
    }

    /// The builder method of a parameter with a schema on both sides, and the types it takes.
    fn builder_types(
        &self,
        base_parameter: &Parameter<'d>,
        head_parameter: &Parameter<'d>,
    ) -> Option<(String, String, String)> {
        let (setter, base_comma, head_comma) =
            self.builder_setter(base_parameter, head_parameter)?;
        let argument = |spec: &'d SpecDocument, parameter: &Parameter<'d>, comma: bool| {
            let schema = parameter.value.get("schema")?;
            let view =
                crate::resolve::SchemaView::new(spec, schema, &parameter.field.join("schema"))
                    .ok()?;
            Some(rust_api::builder_argument(spec, &view, comma))
        };
        Some((
            setter,
            argument(self.base, base_parameter, base_comma)?,
            argument(self.head, head_parameter, head_comma)?,
        ))
    }

    fn compare_request_bodies(&mut self) -> anyhow::Result<()> {
        let base_body = request_body(self.base_operation);
        let head_body = request_body(self.head_operation);
        let (base_body, head_body) = match (base_body, head_body) {
            (None, None) => return Ok(()),
            (Some((_, field)), None) => {
                self.push(
                    Change::new(&rules::REQUEST_BODY_REMOVED, Side::Base, &field)
                        .old("request body")
                        .rust("builder methods `.body()` and `.body_map()` removed"),
                );
                return Ok(());
            }
            (None, Some((value, field))) => {
                let (rule, effect) = if is_required(value) {
                    (
                        &rules::REQUEST_BODY_ADDED_REQUIRED,
                        "new builder method `.body()`: existing calls compile but `send()` fails until it is set",
                    )
                } else {
                    (
                        &rules::REQUEST_BODY_ADDED_OPTIONAL,
                        "new builder method `.body()`; existing calls are unchanged",
                    )
                };
                self.push(
                    Change::new(rule, Side::Head, &field)
                        .new_value("request body")
                        .rust(effect),
                );
                return Ok(());
            }
            (Some(base_body), Some(head_body)) => (base_body, head_body),
        };
        let (was_required, now_required) = (is_required(base_body.0), is_required(head_body.0));
        if was_required != now_required {
            let (rule, effect) = if now_required {
                (
                    &rules::REQUEST_BODY_BECAME_REQUIRED,
                    "calls without `.body()` still compile but `send()` fails",
                )
            } else {
                (
                    &rules::REQUEST_BODY_BECAME_OPTIONAL,
                    "none: `.body()` stays and may now be left out",
                )
            };
            self.push(
                Change::new(rule, Side::Head, &head_body.1)
                    .old(if was_required { "required" } else { "optional" })
                    .new_value(if now_required { "required" } else { "optional" })
                    .rust(effect),
            );
        }
        self.compare_content(
            Role::Request,
            (base_body.0, &base_body.1),
            (head_body.0, &head_body.1),
        )
    }

    fn compare_responses(&mut self) -> anyhow::Result<()> {
        let base_responses = responses(self.base_operation);
        let head_responses = responses(self.head_operation);
        for (status, (base_value, base_field)) in &base_responses {
            match head_responses.get(status) {
                Some((head_value, head_field)) => {
                    self.compare_headers((base_value, base_field), (head_value, head_field))?;
                    self.compare_not_compared(
                        &rules::LINKS_NOT_COMPARED,
                        (base_value.get("links"), &base_field.join("links")),
                        (head_value.get("links"), &head_field.join("links")),
                        "none: progenitor generates nothing for links",
                    );
                    self.compare_content(
                        Role::Response,
                        (base_value, base_field),
                        (head_value, head_field),
                    )?
                }
                None => {
                    let field = self.base_operation.field.join("responses").join(status);
                    let (rule, effect) = if status.starts_with('2') {
                        (
                            &rules::RESPONSE_SUCCESS_STATUS_REMOVED,
                            "the success type of `send()` changes",
                        )
                    } else {
                        (
                            &rules::RESPONSE_ERROR_STATUS_REMOVED,
                            "the error type of `send()` may change",
                        )
                    };
                    self.push(
                        Change::new(rule, Side::Base, &field)
                            .old(status.clone())
                            .rust(effect),
                    );
                }
            }
        }
        for status in head_responses.keys() {
            if base_responses.contains_key(status) {
                continue;
            }
            let field = self.head_operation.field.join("responses").join(status);
            let (rule, effect) = if status.starts_with('2') {
                (
                    &rules::RESPONSE_SUCCESS_STATUS_ADDED,
                    "the success type of `send()` may change (progenitor merges success responses)",
                )
            } else {
                (
                    &rules::RESPONSE_ERROR_STATUS_ADDED,
                    "the error type of `send()` may change",
                )
            };
            self.push(
                Change::new(rule, Side::Head, &field)
                    .new_value(status.clone())
                    .rust(effect),
            );
        }
        Ok(())
    }

    /// Response headers a client may read, by name (HTTP header names ignore case); the schema
    /// of a header both versions declare is response data, judged as such.
    fn compare_headers(
        &mut self,
        base: (&'d Value, &FieldPath),
        head: (&'d Value, &FieldPath),
    ) -> anyhow::Result<()> {
        let names = |response: &'d Value| -> BTreeMap<String, &'d String> {
            let headers = response.get("headers").and_then(Value::as_object);
            headers
                .into_iter()
                .flatten()
                .map(|(name, _)| (name.to_ascii_lowercase(), name))
                .collect()
        };
        let (base_names, head_names) = (names(base.0), names(head.0));
        for (key, name) in &base_names {
            if !head_names.contains_key(key) {
                self.push(
                    Change::new(
                        &rules::RESPONSE_HEADER_REMOVED,
                        Side::Base,
                        &base.1.join("headers").join(name),
                    )
                    .old((*name).clone())
                    .rust("none in the types; code reading it from `ResponseValue::headers()` gets nothing"),
                );
            }
        }
        for (key, name) in &head_names {
            if !base_names.contains_key(key) {
                self.push(
                    Change::new(
                        &rules::RESPONSE_HEADER_ADDED,
                        Side::Head,
                        &head.1.join("headers").join(name),
                    )
                    .new_value((*name).clone())
                    .rust("none: response headers are read from `ResponseValue::headers()`"),
                );
            }
        }
        for (key, base_name) in &base_names {
            let Some(head_name) = head_names.get(key) else {
                continue;
            };
            let header = |spec: &'d SpecDocument, response: (&'d Value, &FieldPath), name: &str| {
                let field = response.1.join("headers").join(name);
                let declared = &response.0["headers"][name];
                resolve::resolve(spec, declared, &field)
            };
            let (base_header, base_header_field) = header(self.base, base, base_name)?;
            let (head_header, head_header_field) = header(self.head, head, head_name)?;
            if let (Some(base_schema), Some(head_schema)) =
                (base_header.get("schema"), head_header.get("schema"))
            {
                self.schemas.untyped = true;
                let compared = self.schemas.compare(
                    Role::Response,
                    (base_schema, &base_header_field.join("schema")),
                    (head_schema, &head_header_field.join("schema")),
                );
                self.schemas.untyped = false;
                compared?;
            }
        }
        Ok(())
    }

    /// Media types of a request body or response, and the schema of each one both versions have.
    fn compare_content(
        &mut self,
        role: Role,
        base: (&'d Value, &FieldPath),
        head: (&'d Value, &FieldPath),
    ) -> anyhow::Result<()> {
        let base_content = base.0.get("content").and_then(Value::as_object);
        let head_content = head.0.get("content").and_then(Value::as_object);
        let has = |content: Option<&serde_json::Map<String, Value>>, media_type: &str| {
            content.is_some_and(|content| content.contains_key(media_type))
        };
        let (removed_rule, added_rule) = match role {
            Role::Response => (
                &rules::RESPONSE_MEDIA_TYPE_REMOVED,
                &rules::RESPONSE_MEDIA_TYPE_ADDED,
            ),
            _ => (
                &rules::REQUEST_MEDIA_TYPE_REMOVED,
                &rules::REQUEST_MEDIA_TYPE_ADDED,
            ),
        };
        for (media_type, base_media) in base_content.into_iter().flatten() {
            let base_field = base.1.join("content").join(media_type);
            let Some(head_media) = head_content.and_then(|content| content.get(media_type)) else {
                self.push(
                    Change::new(removed_rule, Side::Base, &base_field)
                        .old(media_type.clone())
                        .rust("the body type of the method changes"),
                );
                continue;
            };
            let head_field = head.1.join("content").join(media_type);
            if let (Some(base_schema), Some(head_schema)) =
                (base_media.get("schema"), head_media.get("schema"))
            {
                self.schemas.compare(
                    role,
                    (base_schema, &base_field.join("schema")),
                    (head_schema, &head_field.join("schema")),
                )?;
            }
            self.compare_not_compared(
                &rules::ENCODING_NOT_COMPARED,
                (base_media.get("encoding"), &base_field.join("encoding")),
                (head_media.get("encoding"), &head_field.join("encoding")),
                "none: the generated client sends JSON bodies",
            );
        }
        for media_type in head_content.into_iter().flat_map(|content| content.keys()) {
            if !has(base_content, media_type) {
                let field = head.1.join("content").join(media_type);
                self.push(
                    Change::new(added_rule, Side::Head, &field)
                        .new_value(media_type.clone())
                        .rust("none while a JSON media type stays; progenitor uses the JSON one"),
                );
            }
        }
        Ok(())
    }
}

fn is_required(value: &Value) -> bool {
    value.get("required") == Some(&Value::Bool(true))
}

/// The security requirements in force for an operation, each as its set of scheme names.
fn security(spec: &SpecDocument, operation: &Operation) -> (BTreeSet<BTreeSet<String>>, FieldPath) {
    let (value, field) = match operation.value.get("security") {
        Some(value) => (Some(value), operation.field.join("security")),
        None => (
            spec.value.get("security"),
            FieldPath::root().join("security"),
        ),
    };
    let requirements = value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|requirement| requirement.keys().cloned().collect::<BTreeSet<_>>())
        .collect();
    (requirements, field)
}

fn security_text(requirements: &BTreeSet<BTreeSet<String>>) -> String {
    if requirements.is_empty() {
        return "none".to_owned();
    }
    requirements
        .iter()
        .map(|schemes| {
            if schemes.is_empty() {
                "anonymous".to_owned()
            } else {
                schemes.iter().cloned().collect::<Vec<_>>().join(" + ")
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

struct Parameter<'d> {
    value: &'d Value,
    field: FieldPath,
    location: String,
    name: String,
}

/// Which variable of `template` (counting from 0) is `{name}`.
fn template_position(template: &str, name: &str) -> Option<usize> {
    let variables = template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}'));
    variables
        .map(|(variable, _)| variable)
        .position(|variable| variable == name)
}

impl Parameter<'_> {
    fn required(&self) -> bool {
        self.location == "path" || is_required(self.value)
    }

    /// `style` and `explode` with the defaults OpenAPI gives each location.
    fn style(&self) -> (String, bool) {
        let style = self
            .value
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or(match self.location.as_str() {
                "query" | "cookie" => "form",
                _ => "simple",
            })
            .to_owned();
        let explode = self
            .value
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        (style, explode)
    }
}

/// The kinds of value a parameter's schema admits, which decide how its `style` writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ValueKind {
    Primitive,
    Array,
    Object,
}

/// What a parameter's schema admits, as its serialization needs to know.
struct ParameterValues {
    primitive: bool,
    array: bool,
    object: bool,
    /// Text that may hold reserved characters (a string without an `enum`).
    text: bool,
}

impl ParameterValues {
    fn of(spec: &SpecDocument, parameter: &Value) -> Self {
        let Some(schema) = parameter.get("schema") else {
            return Self {
                primitive: true,
                array: true,
                object: true,
                text: true,
            };
        };
        let schema = spec::resolve_or_self(&spec.value, schema);
        let mut values = Self {
            primitive: false,
            array: false,
            object: false,
            text: false,
        };
        values.add(spec, schema, 0);
        values
    }

    fn add(&mut self, spec: &SpecDocument, schema: &Value, depth: usize) {
        let schema = spec::resolve_or_self(&spec.value, schema);
        let members: Vec<&Value> = ["allOf", "oneOf", "anyOf"]
            .iter()
            .filter_map(|kind| schema.get(*kind).and_then(Value::as_array))
            .flatten()
            .collect();
        let declared = schema.get("type").and_then(Value::as_str);
        if declared.is_none() && !members.is_empty() && depth < 8 {
            for member in members {
                self.add(spec, member, depth + 1);
            }
            return;
        }
        let enumerated = schema.get("enum").is_some();
        match declared {
            Some("array") => {
                self.array = true;
                let items = schema
                    .get("items")
                    .map(|items| spec::resolve_or_self(&spec.value, items));
                let text_items = items.is_none_or(|items| {
                    items.get("enum").is_none()
                        && matches!(
                            items.get("type").and_then(Value::as_str),
                            None | Some("string")
                        )
                });
                self.text |= text_items;
            }
            Some("object") => {
                self.object = true;
                self.text = true;
            }
            Some("string") => {
                self.primitive = true;
                self.text |= !enumerated;
            }
            Some(_) => self.primitive = true,
            None => {
                self.primitive = true;
                self.array = true;
                self.object = true;
                self.text = true;
            }
        }
    }

    fn kinds(&self) -> Vec<ValueKind> {
        [
            (self.primitive, ValueKind::Primitive),
            (self.array, ValueKind::Array),
            (self.object, ValueKind::Object),
        ]
        .into_iter()
        .filter_map(|(admitted, kind)| admitted.then_some(kind))
        .collect()
    }
}

/// How a `style` with `explode` writes a value of `kind` (OpenAPI 3.x, "Style Examples"):
/// two settings that give the same name write it the same; `None` where OpenAPI defines
/// no such form.
fn written(style: &str, explode: bool, kind: ValueKind) -> Option<&'static str> {
    use ValueKind::{Array, Object, Primitive};
    Some(match (style, kind, explode) {
        ("matrix", Primitive, _) => ";name=value",
        ("matrix", Array | Object, false) => ";name=a,b",
        ("matrix", Array, true) => ";name=a;name=b",
        ("matrix", Object, true) => ";key=value;key=value",
        ("label", Primitive, _) => ".value",
        ("label", Array | Object, false) => ".a,b",
        ("label", Array, true) => ".a.b",
        ("label", Object, true) => ".key=value.key=value",
        ("form", Primitive, _) => "name=value",
        ("form", Array | Object, false) => "name=a,b",
        ("form" | "spaceDelimited" | "pipeDelimited", Array, true) => "name=a&name=b",
        ("form", Object, true) => "key=value&key=value",
        ("spaceDelimited", Array | Object, false) => "name=a%20b",
        ("pipeDelimited", Array | Object, false) => "name=a|b",
        ("simple", Primitive, _) => "value",
        ("simple", Array, _) | ("simple", Object, false) => "a,b",
        ("simple", Object, true) => "key=value,key=value",
        ("deepObject", Object, true) => "name[key]=value",
        _ => return None,
    })
}

fn style_text((style, explode): &(String, bool)) -> String {
    format!("style: {style}, explode: {explode}")
}

type Parameters<'d> = BTreeMap<(String, String), Parameter<'d>>;

/// The model's parameters (path-level and operation-level merged) by location and identity.
fn parameters<'d>(operation: &Operation<'d>) -> Parameters<'d> {
    let mut parameters = BTreeMap::new();
    for parameter in &operation.model.parameters {
        let (location, name) = (parameter.location.to_owned(), parameter.name.to_owned());
        // A path parameter is the n-th variable of the template, whatever it is called:
        // `{device}` → `{deviceId}` addresses the same URLs.
        // A header parameter is named without regard to case, as HTTP header names are.
        let identity = match template_position(&operation.name.path, &name) {
            Some(position) if location == "path" => format!("{{{position}}}"),
            _ if location == "header" => name.to_ascii_lowercase(),
            _ => name.clone(),
        };
        parameters.insert(
            (location.clone(), identity),
            Parameter {
                value: parameter.value,
                field: parameter.field.clone(),
                location,
                name,
            },
        );
    }
    parameters
}

fn request_body<'d>(operation: &Operation<'d>) -> Option<(&'d Value, FieldPath)> {
    let body = operation.model.body.as_ref()?;
    Some((body.value, body.field.clone()))
}

fn responses<'d>(operation: &Operation<'d>) -> BTreeMap<String, (&'d Value, FieldPath)> {
    operation
        .model
        .responses
        .iter()
        .map(|response| {
            let status = response.status.to_owned();
            (status, (response.value, response.field.clone()))
        })
        .collect()
}

/// The URLs one server stands for: its default (every variable at its `default`) and every
/// one its variables' `enum`s allow, trailing `/` left out.
#[derive(Debug, PartialEq, Eq)]
struct ServerUrls {
    default: String,
    all: BTreeSet<String>,
}

/// At most this many URLs are expanded from one server's variables.
const MAX_SERVER_URLS: usize = 64;

fn server_urls(server: &Value) -> Option<ServerUrls> {
    let template = server.get("url")?.as_str()?;
    let variables = server.get("variables").and_then(Value::as_object);
    let value_text = |value: &Value| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let mut default = template.to_owned();
    let mut all = vec![template.to_owned()];
    for (name, variable) in variables.into_iter().flatten() {
        let placeholder = format!("{{{name}}}");
        let chosen = variable.get("default").map(value_text).unwrap_or_default();
        let mut values: Vec<String> = variable
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(value_text)
            .collect();
        if !values.contains(&chosen) {
            values.push(chosen.clone());
        }
        default = default.replace(&placeholder, &chosen);
        all = all
            .iter()
            .flat_map(|url| {
                values
                    .iter()
                    .map(|value| url.replace(&placeholder, value))
                    .collect::<Vec<_>>()
            })
            .take(MAX_SERVER_URLS)
            .collect();
    }
    let trim = |url: &str| url.trim_end_matches('/').to_owned();
    Some(ServerUrls {
        default: trim(&default),
        all: all.iter().map(|url| trim(url)).collect(),
    })
}

/// The servers in force for an operation and where they are declared.
fn effective_servers(spec: &SpecDocument, operation: &Operation) -> (Vec<ServerUrls>, FieldPath) {
    let path_item = spec
        .value
        .get("paths")
        .and_then(|paths| paths.get(operation.model.path))
        .map(|item| spec::resolve_or_self(&spec.value, item));
    let places = [
        (Some(operation.value), operation.field.clone()),
        (path_item, operation.model.path_field()),
        (Some(&spec.value), FieldPath::root()),
    ];
    for (owner, field) in places {
        if let Some(servers) = owner
            .and_then(|owner| owner.get("servers"))
            .and_then(Value::as_array)
            .filter(|servers| !servers.is_empty())
        {
            let urls = servers.iter().filter_map(server_urls).collect();
            return (urls, field.join("servers"));
        }
    }
    (Vec::new(), FieldPath::root().join("servers"))
}

/// Whether a part of the document the review does not compare (webhooks, callbacks) is the
/// same on both sides, `$ref`s followed and documentation left out.
fn not_compared_unchanged(
    base: &SpecDocument,
    old: Option<&Value>,
    head: &SpecDocument,
    new: Option<&Value>,
) -> bool {
    match (old, new) {
        (None, None) => true,
        (Some(old), Some(new)) => crate::resolve::same_resolved(base, old, head, new),
        _ => false,
    }
}

/// The names a map holds (webhooks, callbacks), for the `old → new` columns.
fn names_text(value: Option<&Value>) -> String {
    let names: Vec<&str> = value
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, _)| name.as_str())
        .filter(|name| !name.starts_with("x-"))
        .collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// Webhooks (OpenAPI 3.1) are requests the API sends to its clients; they are not compared,
/// and a change is said once.
fn compare_webhooks(base: &SpecDocument, head: &SpecDocument, findings: &mut Findings) {
    let (old, new) = (base.value.get("webhooks"), head.value.get("webhooks"));
    if not_compared_unchanged(base, old, head, new) {
        return;
    }
    let side = if new.is_some() {
        Side::Head
    } else {
        Side::Base
    };
    findings.push(
        None,
        Change::new(
            &rules::WEBHOOKS_NOT_COMPARED,
            side,
            &FieldPath::root().join("webhooks"),
        )
        .old(names_text(old))
        .new_value(names_text(new))
        .rust("none: progenitor generates nothing for webhooks"),
    );
}

/// Component schemas removed, added, or renamed (removed and added with the same content).
fn compare_component_schemas(base: &SpecDocument, head: &SpecDocument, findings: &mut Findings) {
    let schemas = |spec: &SpecDocument| {
        spec.value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (base_schemas, head_schemas) = (schemas(base), schemas(head));
    let field = |name: &str| {
        FieldPath::root()
            .join("components")
            .join("schemas")
            .join(name)
    };
    let mut added: BTreeSet<&String> = head_schemas
        .keys()
        .filter(|name| !base_schemas.contains_key(*name))
        .collect();
    for (name, value) in &base_schemas {
        if head_schemas.contains_key(name) {
            continue;
        }
        let shape = without_documentation(value);
        let renamed_to = added
            .iter()
            .copied()
            .find(|candidate| without_documentation(&head_schemas[*candidate]) == shape);
        let change = match renamed_to {
            Some(new_name) => {
                added.remove(new_name);
                Change::new(&rules::SCHEMA_RENAMED, Side::Head, &field(new_name))
                    .old(name.clone())
                    .new_value(new_name.clone())
                    .rust(format!("type `types::{}` → `types::{}`", name, new_name))
            }
            None => Change::new(&rules::SCHEMA_REMOVED, Side::Base, &field(name))
                .old(name.clone())
                .rust(format!("type `types::{name}` removed")),
        };
        findings.push(None, change);
    }
    for name in added {
        findings.push(
            None,
            Change::new(&rules::SCHEMA_ADDED, Side::Head, &field(name))
                .new_value(name.clone())
                .rust(format!("new type `types::{name}`")),
        );
    }
}

/// A schema with descriptions, titles and examples removed: what the wire and Rust see.
pub fn without_documentation(value: &Value) -> Value {
    strip_documentation(value, false)
}

fn strip_documentation(value: &Value, names_properties: bool) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| names_properties || !is_documentation(key))
                .map(|(key, child)| {
                    let child =
                        strip_documentation(child, !names_properties && key == "properties");
                    (key.clone(), child)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| strip_documentation(item, false))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Keys that document a schema, operation or parameter without changing the contract.
pub fn is_documentation(key: &str) -> bool {
    matches!(
        key,
        "description" | "summary" | "title" | "example" | "examples"
    )
}
