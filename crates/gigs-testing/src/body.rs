//! Request bodies: JSON objects read into the API's request types, with a Gigs error naming
//! the property for anything wrong; and the metadata rules shared by every resource.

use gigs_client::types::{Metadata, MetadataUpdate};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{ApiError, Detail};

/// A request body: the typed request and the raw object (to tell `null` from a missing key).
#[derive(Debug)]
pub(crate) struct Body<T> {
    pub typed: T,
    pub raw: Map<String, Value>,
}

impl<T> std::ops::Deref for Body<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.typed
    }
}

/// Reads the body of an operation whose spec marks it `required`: an empty body is a 400,
/// anything else as [`parse`].
pub(crate) fn parse_required<T: DeserializeOwned>(
    raw: &[u8],
    not_null: &[&str],
) -> Result<Body<T>, ApiError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::missing_body());
    }
    parse(raw, not_null)
}

/// Reads `raw` as a JSON object of type `T`. An empty body reads as `{}` (a body the spec
/// leaves optional; [`parse_required`] refuses it). Not JSON: 400; JSON that does not fit `T`:
/// 422 naming the property.
///
/// `not_null` names the top-level properties the spec does not mark nullable: `null` there is
/// a 422 too (the request types would read it as left out).
pub(crate) fn parse<T: DeserializeOwned>(
    raw: &[u8],
    not_null: &[&str],
) -> Result<Body<T>, ApiError> {
    let value: Value = if raw.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(raw).map_err(|error| ApiError::invalid_json(&error.to_string()))?
    };
    let Value::Object(object) = value else {
        return Err(ApiError::invalid_json("the body must be a JSON object"));
    };
    let nulls: Vec<Detail> = not_null
        .iter()
        .filter(|name| object.get(**name).is_some_and(Value::is_null))
        .map(|name| Detail::new(*name, "invalidType", "cannot be null"))
        .collect();
    if !nulls.is_empty() {
        return Err(ApiError::invalid_body(nulls));
    }
    let typed = serde_path_to_error::deserialize(Value::Object(object.clone())).map_err(
        |error: serde_path_to_error::Error<serde_json::Error>| {
            let path = error.path().to_string();
            let message = error.inner().to_string();
            let detail = match message.strip_prefix("missing field `") {
                Some(rest) => {
                    let field = rest.split('`').next().unwrap_or_default();
                    let property = if path == "." {
                        field.to_owned()
                    } else {
                        format!("{path}.{field}")
                    };
                    Detail::new(property, "required", "is required")
                }
                None => Detail::new(path, "invalidType", message),
            };
            ApiError::invalid_body(vec![detail])
        },
    )?;
    Ok(Body { typed, raw: object })
}

/// The documented metadata limits: at most 10 keys, keys of 1 to 40 characters, values of at
/// most 255.
pub(crate) fn check_metadata<'a>(
    property: &str,
    entries: impl Iterator<Item = (&'a String, Option<&'a String>)>,
    details: &mut Vec<Detail>,
) {
    for (key, value) in entries {
        if key.is_empty() || key.chars().count() > 40 {
            details.push(Detail::new(
                format!("{property}.{key}"),
                "invalidMetadataKey",
                "metadata keys have 1 to 40 characters",
            ));
        }
        if value.is_some_and(|value| value.chars().count() > 255) {
            details.push(Detail::new(
                format!("{property}.{key}"),
                "invalidMetadataValue",
                "metadata values have at most 255 characters",
            ));
        }
    }
}

/// Checks a full metadata object (on create).
pub(crate) fn new_metadata(metadata: Option<&Metadata>, details: &mut Vec<Detail>) -> Metadata {
    let metadata = metadata
        .cloned()
        .unwrap_or_else(|| Metadata(Default::default()));
    check_metadata(
        "metadata",
        metadata.0.iter().map(|(k, v)| (k, Some(v))),
        details,
    );
    if metadata.0.len() > 10 {
        details.push(Detail::new(
            "metadata",
            "tooManyMetadataKeys",
            "has more than 10 keys",
        ));
    }
    metadata
}

/// Applies a `metadata` update to `current`: a string sets a key, `null` deletes it, keys left
/// out stay. The result must keep the limits.
pub(crate) fn update_metadata(
    current: &Metadata,
    changes: Option<&MetadataUpdate>,
    details: &mut Vec<Detail>,
) -> Metadata {
    let mut updated = current.clone();
    let Some(changes) = changes else {
        return updated;
    };
    // The spec's `maxProperties` of an update: at most 10 keys changed at once, deletions
    // included.
    if changes.len() > 10 {
        details.push(Detail::new(
            "metadata",
            "tooManyMetadataKeys",
            "changes more than 10 keys",
        ));
    }
    let mut checked = Vec::new();
    for (key, value) in changes.iter() {
        match value {
            Some(value) => {
                checked.push((key.clone(), Some(value.clone())));
                updated.0.insert(key.clone(), value.clone());
            }
            None => {
                updated.0.remove(key);
            }
        }
    }
    check_metadata(
        "metadata",
        checked.iter().map(|(k, v)| (k, v.as_ref())),
        details,
    );
    if updated.0.len() > 10 {
        details.push(Detail::new(
            "metadata",
            "tooManyMetadataKeys",
            "would have more than 10 keys",
        ));
    }
    updated
}
