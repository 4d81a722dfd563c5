//! How a generated struct field stands for its property: the words in which codegen says what
//! it generates for a property (`codegen::client::patch::field_form`, typify's rule and the
//! patch pass's) and the contract review explains a change of one. The rule itself is
//! codegen's; this module only names its inputs and its answers, so that neither crate depends
//! on the other.

/// What the value of a property is, as far as typify's defaults go: an inline array or map
/// has an intrinsic default (empty) and is never wrapped in an `Option` for being optional.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// An inline `type: array` (a `Vec`).
    List,
    /// An inline object with `additionalProperties` and no properties (a map).
    Map,
    /// Anything else: a scalar, a named type (a component, even one that is an array or a
    /// map), an inline struct or enum.
    Other,
}

impl ValueKind {
    /// The kind of a property's value: a named type (`named`: a component, through a `$ref`
    /// or a wrapper around one) is [`Other`](Self::Other) whatever it holds; otherwise an
    /// inline `type: array` is a list, and an inline object whose `additionalProperties` is a
    /// schema (`map_values`) a map.
    pub fn of(named: bool, json_type: Option<&str>, map_values: bool) -> Self {
        match (named, json_type) {
            (true, _) => ValueKind::Other,
            (false, Some("array")) => ValueKind::List,
            (false, _) if map_values => ValueKind::Map,
            (false, _) => ValueKind::Other,
        }
    }
}

/// What the spec says of a property that decides its generated field, besides where it sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropertyFacts {
    /// Listed in its object's `required`, as the spec writes it.
    pub required: bool,
    /// `nullable` on the property or on a wrapper around its reference.
    pub nullable: bool,
    /// A `default` on the property or on a wrapper around its reference.
    pub has_default: bool,
    pub value: ValueKind,
}

/// The generated field of a property: how it wraps the value type `T`, and what it holds when
/// the JSON leaves the property out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldForm {
    /// `Option<T>`: `None` when left out (or null), and not written while `None`.
    Option,
    /// `Patch<T>` (an optional, nullable property of a request type): `Patch::Keep` when left
    /// out, and not sent while `Keep`.
    Patch,
    /// `T` with `#[serde(default)]`, for a property with a `default` (required or not): the
    /// default when left out, and always written.
    Default,
    /// `T`, a list or map that reads as empty when left out (typify's intrinsic default) and
    /// is not written while empty.
    EmptyWhenLeftOut,
    /// `T`, required: always written, and a response without it fails to decode.
    Required,
}

impl FieldForm {
    /// The field's declared type around `rust_type`: `Option<T>`, `Patch<T>` or `T`.
    pub fn declare(self, rust_type: &str) -> String {
        match self {
            FieldForm::Option => format!("Option<{rust_type}>"),
            FieldForm::Patch => format!("Patch<{rust_type}>"),
            FieldForm::Default | FieldForm::EmptyWhenLeftOut | FieldForm::Required => {
                rust_type.to_owned()
            }
        }
    }
}
