//! [`Patch`]: a request field that can be left out, set to `null`, or set to a value.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field of an update (or any request body) that says what the caller means: leave the
/// field alone, clear it, or set it.
///
/// `cargo xtask generate` gives every optional, nullable property of a request body this type,
/// so a body can say all three things the API understands:
///
/// | Rust                        | JSON sent                | the API                     |
/// |-----------------------------|--------------------------|-----------------------------|
/// | `Patch::Keep` (the default) | the key is left out      | leaves the field as it is   |
/// | `Patch::Null`               | `"name": null`           | clears the field            |
/// | `Patch::Set(value)`         | `"name": "Work phone"`   | sets the field to the value |
///
/// Reading JSON, a left-out key is `Keep` (the generated fields carry `#[serde(default)]`),
/// `null` is `Null` and any other value is `Set`, so a body read and written again is unchanged.
///
/// ```
/// use gigs_client::Patch;
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Update {
///     #[serde(default, skip_serializing_if = "Patch::is_keep")]
///     name: Patch<String>,
/// }
///
/// let keep = Update { name: Patch::Keep };
/// let clear = Update { name: Patch::Null };
/// let set = Update { name: "Work phone".to_owned().into() };
/// assert_eq!(serde_json::to_string(&keep)?, r#"{}"#);
/// assert_eq!(serde_json::to_string(&clear)?, r#"{"name":null}"#);
/// assert_eq!(serde_json::to_string(&set)?, r#"{"name":"Work phone"}"#);
///
/// // What a service received is what it forwards.
/// let received: Update = serde_json::from_str(r#"{"name": null}"#)?;
/// assert!(received.name.is_null());
/// let received: Update = serde_json::from_str("{}")?;
/// assert!(received.name.is_keep());
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// The generated request types use it the same way, for example
/// `UpdateDeviceRequest::builder().name(Patch::Null)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Patch<T> {
    /// Leave the field as it is: the key is not sent.
    #[default]
    Keep,
    /// Clear the field: sends `null`.
    Null,
    /// Set the field: sends the value.
    Set(T),
}

impl<T> Patch<T> {
    /// `Set(value)` for `Some(value)` and `Null` for `None`: for a field the caller always sends,
    /// from an `Option` that means "no value".
    ///
    /// ```
    /// use gigs_client::Patch;
    /// assert_eq!(Patch::nullable(Some(3)), Patch::Set(3));
    /// assert_eq!(Patch::<i32>::nullable(None), Patch::Null);
    /// ```
    pub fn nullable(value: Option<T>) -> Self {
        match value {
            Some(value) => Patch::Set(value),
            None => Patch::Null,
        }
    }

    /// Whether the field is left out of the request. The generated fields use it as
    /// `skip_serializing_if`.
    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Patch::Null)
    }

    /// Whether the field is sent with a value.
    pub fn is_set(&self) -> bool {
        matches!(self, Patch::Set(_))
    }

    /// The value, if the field is set.
    ///
    /// ```
    /// use gigs_client::Patch;
    /// assert_eq!(Patch::Set("a").value(), Some(&"a"));
    /// assert_eq!(Patch::<&str>::Null.value(), None);
    /// ```
    pub fn value(&self) -> Option<&T> {
        match self {
            Patch::Set(value) => Some(value),
            Patch::Keep | Patch::Null => None,
        }
    }

    /// The value, if the field is set: for a body where left out and `null` both mean "no
    /// value" (a create request, for example).
    ///
    /// ```
    /// use gigs_client::Patch;
    /// assert_eq!(Patch::Set(1).into_value(), Some(1));
    /// assert_eq!(Patch::<u8>::Null.into_value(), None);
    /// assert_eq!(Patch::<u8>::Keep.into_value(), None);
    /// ```
    pub fn into_value(self) -> Option<T> {
        match self {
            Patch::Set(value) => Some(value),
            Patch::Keep | Patch::Null => None,
        }
    }

    /// A `Patch` of a reference to the value.
    pub fn as_ref(&self) -> Patch<&T> {
        match self {
            Patch::Keep => Patch::Keep,
            Patch::Null => Patch::Null,
            Patch::Set(value) => Patch::Set(value),
        }
    }

    /// A `Patch` of a mutable reference to the value.
    pub fn as_mut(&mut self) -> Patch<&mut T> {
        match self {
            Patch::Keep => Patch::Keep,
            Patch::Null => Patch::Null,
            Patch::Set(value) => Patch::Set(value),
        }
    }

    /// Applies `f` to a set value; `Keep` and `Null` stay as they are.
    ///
    /// ```
    /// use gigs_client::Patch;
    /// assert_eq!(Patch::Set("Work phone").map(str::len), Patch::Set(10));
    /// assert_eq!(Patch::<&str>::Null.map(str::len), Patch::Null);
    /// ```
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Keep => Patch::Keep,
            Patch::Null => Patch::Null,
            Patch::Set(value) => Patch::Set(f(value)),
        }
    }

    /// The three states as nested options: `Keep` is `None`, `Null` is `Some(None)`, `Set(v)`
    /// is `Some(Some(v))`.
    ///
    /// ```
    /// use gigs_client::Patch;
    /// assert_eq!(Patch::<u8>::Keep.into_option(), None);
    /// assert_eq!(Patch::<u8>::Null.into_option(), Some(None));
    /// assert_eq!(Patch::Set(1).into_option(), Some(Some(1)));
    /// assert_eq!(Patch::<u8>::from(Some(None)), Patch::Null);
    /// ```
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Patch::Keep => None,
            Patch::Null => Some(None),
            Patch::Set(value) => Some(Some(value)),
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Set(value)
    }
}

/// A `Patch<String>` takes what a `String` is made from, so a setter of one accepts text as it
/// is: `UpdateDeviceRequest::builder().name("Work phone")`.
///
/// ```
/// use gigs_client::Patch;
/// let name: Patch<String> = "Work phone".into();
/// assert_eq!(name, Patch::Set("Work phone".to_owned()));
/// assert_eq!(Patch::<String>::from(&name.value().unwrap().clone()), name);
/// ```
impl From<&str> for Patch<String> {
    fn from(value: &str) -> Self {
        Patch::Set(value.to_owned())
    }
}

impl From<&String> for Patch<String> {
    fn from(value: &String) -> Self {
        Patch::Set(value.clone())
    }
}

impl From<Box<str>> for Patch<String> {
    fn from(value: Box<str>) -> Self {
        Patch::Set(value.into())
    }
}

impl From<std::borrow::Cow<'_, str>> for Patch<String> {
    fn from(value: std::borrow::Cow<'_, str>) -> Self {
        Patch::Set(value.into_owned())
    }
}

/// A `Patch<Vec<T>>` takes an array or a slice, as a `Vec` does:
/// `UpdateDeviceRequest::builder().sims(["sim_1".to_owned()])`.
///
/// ```
/// use gigs_client::Patch;
/// assert_eq!(Patch::from([1, 2]), Patch::Set(vec![1, 2]));
/// assert_eq!(Patch::from(&[1, 2][..]), Patch::Set(vec![1, 2]));
/// ```
impl<T, const N: usize> From<[T; N]> for Patch<Vec<T>> {
    fn from(value: [T; N]) -> Self {
        Patch::Set(value.into())
    }
}

impl<T: Clone> From<&[T]> for Patch<Vec<T>> {
    fn from(value: &[T]) -> Self {
        Patch::Set(value.to_vec())
    }
}

impl<T> From<Option<Option<T>>> for Patch<T> {
    fn from(value: Option<Option<T>>) -> Self {
        match value {
            None => Patch::Keep,
            Some(None) => Patch::Null,
            Some(Some(value)) => Patch::Set(value),
        }
    }
}

impl<T> From<Patch<T>> for Option<Option<T>> {
    fn from(patch: Patch<T>) -> Self {
        patch.into_option()
    }
}

impl<T: fmt::Display> fmt::Display for Patch<T> {
    /// `keep`, `null` or the value, for messages and logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Patch::Keep => f.write_str("keep"),
            Patch::Null => f.write_str("null"),
            Patch::Set(value) => value.fmt(f),
        }
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    /// `Null` writes `null` and `Set` the value. `Keep` has no JSON form: a field of this type
    /// must be skipped with `skip_serializing_if = "Patch::is_keep"` (the generated ones are),
    /// and writing it anyway is an error rather than a silent `null`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Keep => Err(serde::ser::Error::custom(
                "Patch::Keep has no JSON form; skip the field with \
                 `skip_serializing_if = \"Patch::is_keep\"`",
            )),
            Patch::Null => serializer.serialize_none(),
            Patch::Set(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    /// `null` reads as `Null`, a value as `Set`; a left-out key is `Keep` through the field's
    /// `#[serde(default)]`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Patch::nullable)
    }
}

#[cfg(feature = "schemars")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Patch<T> {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        format!("Patch_{}", T::schema_name())
    }

    /// The value's schema, nullable: a `Keep` field is optional through `#[serde(default)]`.
    fn json_schema(generator: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        <Option<T>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Patch;

    #[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Body {
        #[serde(default, skip_serializing_if = "Patch::is_keep")]
        name: Patch<String>,
        #[serde(default, skip_serializing_if = "Patch::is_keep")]
        sims: Patch<Vec<String>>,
    }

    #[test]
    fn the_three_states_read_and_write_their_wire_form() {
        for (json, body) in [
            (json!({}), Body::default()),
            (
                json!({"name": null}),
                Body {
                    name: Patch::Null,
                    ..Body::default()
                },
            ),
            (
                json!({"name": "Work phone", "sims": []}),
                Body {
                    name: Patch::Set("Work phone".into()),
                    sims: Patch::Set(Vec::new()),
                },
            ),
            (
                json!({"sims": null}),
                Body {
                    sims: Patch::Null,
                    ..Body::default()
                },
            ),
        ] {
            let read: Body = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(read, body, "{json}");
            assert_eq!(serde_json::to_value(&body).unwrap(), json);
        }
    }

    #[test]
    fn a_wrong_type_is_an_error_naming_what_was_expected() {
        let error = serde_json::from_value::<Body>(json!({"name": 3})).unwrap_err();
        assert!(error.to_string().contains("expected a string"), "{error}");
    }

    #[test]
    fn keep_written_outside_a_skipping_field_is_an_error_not_a_null() {
        let error = serde_json::to_value(Patch::<u8>::Keep).unwrap_err();
        assert!(error.to_string().contains("skip_serializing_if"), "{error}");
        assert_eq!(
            serde_json::to_value(Patch::<u8>::Null).unwrap(),
            json!(null)
        );
        assert_eq!(serde_json::to_value(Patch::Set(2)).unwrap(), json!(2));
    }

    #[test]
    fn helpers_agree_with_the_nested_option_form() {
        let states = [Patch::Keep, Patch::Null, Patch::Set(5)];
        for patch in states {
            let nested: Option<Option<i32>> = patch.into();
            assert_eq!(Patch::from(nested), patch);
            assert_eq!(patch.is_keep(), nested.is_none());
            assert_eq!(patch.is_null(), nested == Some(None));
            assert_eq!(patch.is_set(), patch.value().is_some());
            assert_eq!(patch.as_ref().map(|v| v * 2), patch.map(|v| v * 2));
        }
        let mut patch = Patch::Set(1);
        if let Patch::Set(value) = patch.as_mut() {
            *value = 2;
        }
        assert_eq!(patch, Patch::from(2));
        assert_eq!(Patch::<u8>::default(), Patch::Keep);
        assert_eq!(
            format!(
                "{} {} {}",
                Patch::<u8>::Keep,
                Patch::<u8>::Null,
                Patch::Set(7)
            ),
            "keep null 7"
        );
    }

    #[cfg(feature = "schemars")]
    #[test]
    fn the_json_schema_is_the_nullable_value() {
        let schema = schemars::schema_for!(Patch<String>);
        let json = serde_json::to_value(&schema.schema).unwrap();
        assert_eq!(json["type"], json!(["string", "null"]), "{json}");
    }
}
