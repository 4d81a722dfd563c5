//! The properties of two versions of an object schema, name by name: added, removed, required,
//! nullable, read-only or write-only, sensitive, and each one's schema compared in turn; with
//! what each change does to the property's generated field.

use super::*;

impl<'a, 'd> SchemaDiff<'a, 'd> {
    pub(super) fn compare_properties(
        &mut self,
        role: Role,
        base: &SchemaView<'d>,
        head: &SchemaView<'d>,
    ) -> anyhow::Result<()> {
        let base_object = object_members(base);
        let head_object = object_members(head);
        let struct_name = head
            .component
            .as_deref()
            .or(base.component.as_deref())
            .map_or_else(|| "inline struct".to_owned(), naming::type_name);
        for (name, (value, field)) in &base_object.properties {
            let base_required = base_object.required.contains(name);
            let base_property = SchemaView::new(self.base, value, field)?;
            let Some((head_value, head_field)) = head_object.properties.get(name) else {
                let rule = if role.is_response() {
                    &rules::RESPONSE_PROPERTY_REMOVED
                } else {
                    &rules::REQUEST_PROPERTY_REMOVED
                };
                let declared = rust_api::field(
                    self.rust,
                    self.base,
                    field,
                    name,
                    base_required,
                    &base_property,
                );
                self.push_judged(
                    &[
                        Aspect::Presence(name.clone()),
                        Aspect::Property(name.clone()),
                    ],
                    Change::new(rule, Side::Base, field)
                        .old(name.clone())
                        .lifecycle(&[value, base_property.value], LifecycleOf::Removal)
                        .rust(format!("field {declared} removed from `{struct_name}`")),
                );
                continue;
            };
            let head_required = head_object.required.contains(name);
            let head_property = SchemaView::new(self.head, head_value, head_field)?;
            // Described only for a change: building the text for every property would cost
            // more than the comparison itself on large specs.
            let effect = || {
                field_effect(
                    self.rust,
                    (self.base, field, name, base_required, &base_property),
                    (self.head, head_field, name, head_required, &head_property),
                    &struct_name,
                )
            };
            let head_declared = || {
                rust_api::field(
                    self.rust,
                    self.head,
                    head_field,
                    name,
                    head_required,
                    &head_property,
                )
            };
            if base_required != head_required {
                let rule = match (role.is_response(), head_required) {
                    (false, true) => &rules::REQUEST_PROPERTY_BECAME_REQUIRED,
                    (false, false) => &rules::REQUEST_PROPERTY_BECAME_OPTIONAL,
                    (true, true) => &rules::RESPONSE_PROPERTY_BECAME_REQUIRED,
                    (true, false) => &rules::RESPONSE_PROPERTY_BECAME_OPTIONAL,
                };
                self.push_judged(
                    &[Aspect::Presence(name.clone())],
                    effect().apply(
                        Change::new(rule, Side::Head, head_field)
                            .old(required_text(base_required))
                            .new_value(required_text(head_required)),
                    ),
                );
            }
            let mut named = Vec::new();
            // `nullable` as written, when it changes what is accepted: `null` may also move
            // into a `oneOf` branch (the 3.0.3 form), which is no change of the instances.
            let null_delta = self
                .comparison(role, &base_property, &head_property)
                .aspect(&Aspect::Null);
            // A 3.0 `nullable` in a 3.1 head is reported where it is written, by its position.
            let set_aside = || {
                head_property
                    .keyword_places(openapi31::SET_ASIDE)
                    .iter()
                    .any(|(keywords, _)| keywords.get("nullable").is_some())
            };
            if base_property.nullable != head_property.nullable
                && null_delta != Delta::SAME
                && !set_aside()
            {
                let rule = match (role.is_response(), head_property.nullable) {
                    (false, true) => &rules::REQUEST_PROPERTY_BECAME_NULLABLE,
                    (false, false) => &rules::REQUEST_PROPERTY_BECAME_NON_NULLABLE,
                    (true, true) => &rules::RESPONSE_PROPERTY_BECAME_NULLABLE,
                    (true, false) => &rules::RESPONSE_PROPERTY_BECAME_NON_NULLABLE,
                };
                named.push(Aspect::Null);
                self.push_with(
                    &[],
                    null_delta,
                    effect().apply(
                        Change::new(rule, Side::Head, head_field)
                            .old(nullable_text(base_property.nullable))
                            .new_value(nullable_text(head_property.nullable)),
                    ),
                );
            }
            let (was, is) = if role.is_response() {
                (base_property.write_only, head_property.write_only)
            } else {
                (base_property.read_only, head_property.read_only)
            };
            if was != is {
                // typify ignores readOnly and writeOnly: the field stays as it is, and is still
                // sent when set and still expected when required.
                let declared = head_declared();
                let form = rust_api::field_form(
                    self.rust,
                    self.head,
                    head_field,
                    head_required,
                    &head_property,
                );
                let (rule, effect): (&'static Rule, String) = match (role.is_response(), is) {
                    (false, true) => (
                        &rules::REQUEST_PROPERTY_BECAME_READ_ONLY,
                        format!(
                            "none in the generated types: {declared} stays in `{struct_name}` \
                             and is sent whenever it is set{}",
                            match form {
                                FieldForm::Option => "; leave it `None`",
                                FieldForm::Patch => "; leave it `Patch::Keep`",
                                FieldForm::EmptyWhenLeftOut => {
                                    " (when not empty: an empty list is left out)"
                                }
                                FieldForm::Default => {
                                    " (always: a field with a default is not an `Option`)"
                                }
                                FieldForm::Required => " (always: it is not an `Option`)",
                            }
                        ),
                    ),
                    (false, false) => (
                        &rules::REQUEST_PROPERTY_NO_LONGER_READ_ONLY,
                        format!("none: {declared} stays in `{struct_name}` and may now be sent"),
                    ),
                    (true, true) => (
                        &rules::RESPONSE_PROPERTY_BECAME_WRITE_ONLY,
                        format!(
                            "none in the generated types: {declared} stays in `{struct_name}`{}",
                            match form {
                                FieldForm::Option | FieldForm::Patch => {
                                    " and reads `None` from now on"
                                }
                                FieldForm::EmptyWhenLeftOut => " and reads as empty from now on",
                                FieldForm::Default => " and reads as its default from now on",
                                FieldForm::Required => {
                                    "; it is not an `Option`, so a response without it fails \
                                     to decode"
                                }
                            }
                        ),
                    ),
                    (true, false) => (
                        &rules::RESPONSE_PROPERTY_NO_LONGER_WRITE_ONLY,
                        format!("none: {declared} stays in `{struct_name}` and is filled again"),
                    ),
                };
                let keyword = if role.is_response() {
                    "writeOnly"
                } else {
                    "readOnly"
                };
                let change = Change::new(rule, Side::Head, head_field).rust(effect);
                self.push_judged(
                    &[Aspect::Presence(name.clone())],
                    if is {
                        change.new_value(keyword)
                    } else {
                        change.old(keyword)
                    },
                );
            }
            let (was, is) = (
                is_sensitive(value) || is_sensitive(base_property.value),
                is_sensitive(head_value) || is_sensitive(head_property.value),
            );
            if was != is {
                let declared = head_declared();
                let (rule, effect) = if is {
                    (
                        &rules::PROPERTY_BECAME_SENSITIVE,
                        format!(
                            "the `Debug` of `{struct_name}` (and of its builder) prints \
                             `[redacted]` for {declared}; the field itself is unchanged"
                        ),
                    )
                } else {
                    (
                        &rules::PROPERTY_NO_LONGER_SENSITIVE,
                        format!(
                            "the `Debug` of `{struct_name}` prints {declared} again; the field \
                             itself is unchanged"
                        ),
                    )
                };
                let change = Change::new(rule, Side::Head, head_field).rust(effect);
                self.push(if is {
                    change.new_value(SENSITIVE_EXTENSION)
                } else {
                    change.old(SENSITIVE_EXTENSION)
                });
            }
            self.name(|| Aspect::Property(name.clone()));
            self.compare_position(role, &base_property, &head_property, head_field, &named)?;
        }
        for (name, (value, field)) in &head_object.properties {
            if base_object.properties.contains_key(name) {
                continue;
            }
            let required = head_object.required.contains(name);
            let property = SchemaView::new(self.head, value, field)?;
            let declared = rust_api::field(self.rust, self.head, field, name, required, &property);
            // `required` binds only the direction the property is not kept out of: a required
            // `readOnly` property is never sent, a required `writeOnly` one never returned.
            let binds = required && !property.read_only;
            let mut rust_severity = None;
            let (rule, effect): (&'static Rule, String) = match (role.is_response(), binds) {
                (false, false) if required => {
                    // typify ignores readOnly: the generated field is still required.
                    rust_severity = Some(rules::Severity::Breaking);
                    (
                        &rules::REQUEST_PROPERTY_ADDED_OPTIONAL,
                        format!(
                            "new field {declared} in `{struct_name}`, required in the generated \
                             type (typify ignores readOnly): struct literals and builders \
                             without it fail"
                        ),
                    )
                }
                (false, true) => (
                    &rules::REQUEST_PROPERTY_ADDED_REQUIRED,
                    format!(
                        "new field {declared} in `{struct_name}`: struct literals and builders \
                         without it fail"
                    ),
                ),
                (false, false) => (
                    &rules::REQUEST_PROPERTY_ADDED_OPTIONAL,
                    format!(
                        "new field {declared} in `{struct_name}`: struct literals must add it; \
                         builders are unaffected"
                    ),
                ),
                (true, _) => (
                    &rules::RESPONSE_PROPERTY_ADDED,
                    format!(
                        "new field {declared} in `{struct_name}`, which is `#[non_exhaustive]`: \
                         no code outside gigs-client writes it as a literal or pattern without \
                         `..`, and its builder starts an `Option` as `None`"
                    ),
                ),
            };
            let mut change = Change::new(rule, Side::Head, field)
                .new_value(name.clone())
                .rust(effect);
            if let Some(severity) = rust_severity {
                change = change.rust_severity(severity);
            }
            self.push_judged(
                &[
                    Aspect::Presence(name.clone()),
                    Aspect::Property(name.clone()),
                ],
                change,
            );
        }
        Ok(())
    }
}

type Field<'d> = (
    &'d SpecDocument,
    &'d FieldPath,
    &'d str,
    bool,
    &'d SchemaView<'d>,
);

/// What a change of a property does to its generated field.
struct FieldEffect {
    text: String,
    /// The field is declared the same on both sides.
    unchanged: bool,
}

impl FieldEffect {
    /// The effect as the change's Rust column: a field declared alike on both sides is no
    /// change of the Rust API (info), whatever the rule's usual Rust severity.
    fn apply(self, change: Change) -> Change {
        let change = change.rust(self.text);
        if self.unchanged {
            change.rust_severity(rules::Severity::Info)
        } else {
            change
        }
    }
}

fn field_effect(
    rust: &dyn crate::RustSurface,
    base: Field<'_>,
    head: Field<'_>,
    struct_name: &str,
) -> FieldEffect {
    let old = rust_api::field(rust, base.0, base.1, base.2, base.3, base.4);
    let new = rust_api::field(rust, head.0, head.1, head.2, head.3, head.4);
    if old == new {
        FieldEffect {
            text: format!("none: the field stays {new} in `{struct_name}`"),
            unchanged: true,
        }
    } else {
        FieldEffect {
            text: format!("field {old} → {new} in `{struct_name}`"),
            unchanged: false,
        }
    }
}
