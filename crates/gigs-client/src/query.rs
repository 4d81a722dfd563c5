//! Query parameter encodings that progenitor does not produce by itself.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A list sent as one comma-separated query parameter: `?status=active,inactive`.
///
/// Gigs reads array filters in this form (`style: form, explode: false`), while progenitor would
/// repeat the key (`?status=active&status=inactive`). An empty list sends no parameter at all,
/// because the API rejects empty filter values such as `?status=`.
///
/// ```
/// use gigs_client::query::CommaSeparated;
/// use gigs_client::types::SubscriptionStatus;
///
/// let statuses = CommaSeparated::from([SubscriptionStatus::Active, SubscriptionStatus::Pending]);
/// assert_eq!(statuses.to_string(), "active,pending");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommaSeparated<T>(Vec<T>);

impl<T> CommaSeparated<T> {
    /// The values, in the order they are sent.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// Whether there is no value (then the parameter is left out of the request).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values, in the order they are sent.
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }
}

impl<T> Default for CommaSeparated<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> From<Vec<T>> for CommaSeparated<T> {
    fn from(values: Vec<T>) -> Self {
        Self(values)
    }
}

impl<T, const N: usize> From<[T; N]> for CommaSeparated<T> {
    fn from(values: [T; N]) -> Self {
        Self(values.into())
    }
}

impl<T: Clone> From<&[T]> for CommaSeparated<T> {
    fn from(values: &[T]) -> Self {
        Self(values.to_vec())
    }
}

impl<T> FromIterator<T> for CommaSeparated<T> {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Self {
        Self(values.into_iter().collect())
    }
}

impl<T: fmt::Display> fmt::Display for CommaSeparated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, value) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            write!(f, "{value}")?;
        }
        Ok(())
    }
}

impl<T: fmt::Display> Serialize for CommaSeparated<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.is_empty() {
            serializer.serialize_none()
        } else {
            serializer.collect_str(self)
        }
    }
}

impl<'de, T> Deserialize<'de> for CommaSeparated<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let joined = String::deserialize(deserializer)?;
        if joined.is_empty() {
            return Ok(Self::default());
        }
        joined
            .split(',')
            .map(|value| value.parse().map_err(serde::de::Error::custom))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::CommaSeparated;

    #[test]
    fn joins_values_with_commas() {
        let values = CommaSeparated::from(vec!["Apple", "Samsung"]);
        assert_eq!(serde_json::to_value(&values).unwrap(), "Apple,Samsung");
    }

    #[test]
    fn an_empty_list_serialises_as_nothing() {
        let values = CommaSeparated::<String>::default();
        assert_eq!(
            serde_json::to_value(&values).unwrap(),
            serde_json::Value::Null
        );
    }

    #[test]
    fn splits_on_commas_when_read_back() {
        let values: CommaSeparated<String> = serde_json::from_str("\"eSIM,pSIM\"").unwrap();
        assert_eq!(values.as_slice(), ["eSIM", "pSIM"]);
    }
}
