//! Idempotency keys: the one place that knows what a key may hold, which requests carry one, and
//! why a key makes a request safe to send again.

use std::fmt;
use std::str::FromStr;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;

/// The header that makes a POST or DELETE safe to send again.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// An `Idempotency-Key` value: 1 to [`IdempotencyKey::MAX_LEN`] visible ASCII characters (no
/// spaces), checked once when it is made and trusted from then on.
///
/// Gigs honours the key on POST and DELETE requests ([`IdempotencyKey::applies_to`]): the same
/// key sent again (by a retry, or after a crash) returns the first result instead of applying
/// the request twice. GET and PATCH requests are safe to repeat anyway and do not send it; a
/// POST the spec marks `x-gigs-idempotent` (a search) is retried without one, and any request is
/// retried without one after a failure that proves nothing reached the server (see
/// [`RetryPolicy`](crate::RetryPolicy)).
///
/// ```
/// use gigs_client::IdempotencyKey;
///
/// let key = IdempotencyKey::new("cancel-sub_123").unwrap();
/// assert_eq!(key.as_str(), "cancel-sub_123");
///
/// let error = IdempotencyKey::new("has space").unwrap_err();
/// assert!(error.to_string().contains("visible ASCII"), "{error}");
/// assert!(IdempotencyKey::new("").is_err());
/// assert!(IdempotencyKey::new("k".repeat(256)).is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(HeaderValue);

impl IdempotencyKey {
    /// The longest key the API accepts.
    pub const MAX_LEN: usize = 255;

    /// Checks `key` and makes it a key.
    ///
    /// # Errors
    /// [`InvalidIdempotencyKey`] saying what is wrong: empty, too long, or a character that is not
    /// visible ASCII.
    pub fn new(key: impl Into<String>) -> Result<Self, InvalidIdempotencyKey> {
        let key = key.into();
        let reason = if key.is_empty() {
            Some("it is empty".to_owned())
        } else if let Some(bad) = key.chars().find(|c| !c.is_ascii_graphic()) {
            Some(format!(
                "it contains {bad:?}: only visible ASCII characters (no spaces) are allowed"
            ))
        } else if key.len() > Self::MAX_LEN {
            Some(format!(
                "it has {} characters, at most {} are allowed",
                key.len(),
                Self::MAX_LEN
            ))
        } else {
            None
        };
        match reason {
            Some(reason) => Err(InvalidIdempotencyKey { reason }),
            None => Ok(Self(
                HeaderValue::from_str(&key).expect("visible ASCII is a valid header value"),
            )),
        }
    }

    /// A fresh random key (a UUIDv4), as the client attaches when
    /// [`ClientSettings::idempotency_keys`](crate::ClientSettings::idempotency_keys) is on.
    ///
    /// ```
    /// let key = gigs_client::IdempotencyKey::generate();
    /// assert_eq!(key.as_str().len(), 36);
    /// assert_ne!(key, gigs_client::IdempotencyKey::generate());
    /// ```
    pub fn generate() -> Self {
        Self(
            HeaderValue::try_from(uuid::Uuid::new_v4().to_string())
                .expect("a UUID is a valid header value"),
        )
    }

    /// Whether requests of `method` carry a key: POST and DELETE. Elsewhere the API ignores it.
    ///
    /// ```
    /// use gigs_client::IdempotencyKey;
    /// use reqwest::Method;
    ///
    /// assert!(IdempotencyKey::applies_to(&Method::POST));
    /// assert!(IdempotencyKey::applies_to(&Method::DELETE));
    /// assert!(!IdempotencyKey::applies_to(&Method::GET));
    /// assert!(!IdempotencyKey::applies_to(&Method::PATCH));
    /// ```
    pub fn applies_to(method: &Method) -> bool {
        matches!(*method, Method::POST | Method::DELETE)
    }

    /// Whether a request of `method` can be sent again without being applied twice: any method
    /// that takes no key, and POST and DELETE when they carry one.
    pub(crate) fn allows_repeat(method: &Method, carries_key: bool) -> bool {
        carries_key || !Self::applies_to(method)
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        self.0.to_str().expect("checked to be visible ASCII")
    }

    /// The key as a header value.
    pub fn header_value(&self) -> &HeaderValue {
        &self.0
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdempotencyKey")
            .field(&self.as_str())
            .finish()
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IdempotencyKey {
    type Err = InvalidIdempotencyKey;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        Self::new(key)
    }
}

impl TryFrom<&str> for IdempotencyKey {
    type Error = InvalidIdempotencyKey;

    fn try_from(key: &str) -> Result<Self, Self::Error> {
        Self::new(key)
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = InvalidIdempotencyKey;

    fn try_from(key: String) -> Result<Self, Self::Error> {
        Self::new(key)
    }
}

/// Why a string cannot be an [`IdempotencyKey`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidIdempotencyKey {
    reason: String,
}

impl fmt::Display for InvalidIdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid idempotency key: {}", self.reason)
    }
}

impl std::error::Error for InvalidIdempotencyKey {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_and_delete_repeat_only_with_a_key() {
        for method in [Method::GET, Method::PATCH, Method::PUT, Method::HEAD] {
            assert!(IdempotencyKey::allows_repeat(&method, false), "{method}");
        }
        for method in [Method::POST, Method::DELETE] {
            assert!(!IdempotencyKey::allows_repeat(&method, false), "{method}");
            assert!(IdempotencyKey::allows_repeat(&method, true), "{method}");
        }
    }

    #[test]
    fn the_longest_key_is_accepted_and_non_ascii_refused() {
        assert!(IdempotencyKey::new("k".repeat(IdempotencyKey::MAX_LEN)).is_ok());
        let error = IdempotencyKey::new("clé").unwrap_err();
        assert!(error.to_string().contains("'é'"), "{error}");
        let error = IdempotencyKey::new("k".repeat(256)).unwrap_err();
        assert!(error.to_string().contains("256 characters"), "{error}");
    }
}
