//! What every operation's builder has in common, so that generic code (the `gigs` crate's error
//! mapping and pagers) can send any of them. `cargo xtask generate` implements [`Operation`] for
//! every builder.

use std::future::Future;

use progenitor_client::{Error, ResponseValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::exchange::Exchange;
use crate::options::RequestOptions;

/// A request builder of one API operation, ready to send.
///
/// ```
/// use gigs_client::operation::Operation;
///
/// fn operation_id<O: Operation>(_: &O) -> &'static str {
///     O::OPERATION_ID
/// }
/// let client = gigs_client::Client::new("https://api.gigs.com", Default::default());
/// assert_eq!(operation_id(&client.list_devices()), "listDevices");
/// ```
pub trait Operation: Send {
    /// The operation's `operationId` in the spec.
    const OPERATION_ID: &'static str;
    /// What the runtime knows of the operation (method, path template, success statuses).
    const SPEC: &'static OperationSpec;
    /// The body of a success response.
    type Response: DeserializeOwned + Send;
    /// The body of an error response.
    type ErrorBody: DeserializeOwned + Send;

    /// Sends the request: the builder's own `send()`, decoded by progenitor.
    fn send_request(
        self,
    ) -> impl Future<Output = Result<ResponseValue<Self::Response>, Error<Self::ErrorBody>>> + Send;

    /// Sends the request with `options` on top of the client's settings and returns the last
    /// response undecoded, with the number of attempts (see [`Exchange`]).
    fn exchange(self, options: RequestOptions) -> impl Future<Output = Exchange> + Send;

    /// Decodes a success body as [`Self::Response`] ([`decode_json`]). The generated impls
    /// implement it for their own response type, so the decoder of each type is compiled once,
    /// in this crate, and code that is generic over operations (the `gigs` crate's `.call()`
    /// and pagers) compiles none of its own.
    ///
    /// # Errors
    /// A [`BodyMismatch`] when the body is not JSON of that type.
    fn decode_response(body: &[u8]) -> Result<Self::Response, BodyMismatch> {
        decode_json(body)
    }
}

/// A body that is not the JSON its type expects: where it stops matching (`.` for the whole
/// body, else a path such as `items[0].status`) and serde's error.
#[derive(Debug)]
pub struct BodyMismatch {
    /// Where in the body the JSON stops matching the type.
    pub path: String,
    /// serde's error at that place.
    pub error: serde_json::Error,
}

/// Decodes `body` as JSON of type `T`; when it does not match, decodes it again tracking the
/// path, to say where.
///
/// ```
/// use gigs_client::operation::decode_json;
///
/// let ok: Vec<u32> = decode_json(b"[1, 2]").unwrap();
/// assert_eq!(ok, [1, 2]);
/// let mismatch = decode_json::<Vec<u32>>(br#"[1, "two"]"#).unwrap_err();
/// assert_eq!(mismatch.path, "[1]");
/// ```
///
/// # Errors
/// A [`BodyMismatch`] when the body is not JSON of type `T`.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyMismatch> {
    serde_json::from_slice(body).map_err(|fallback| locate::<T>(body, fallback))
}

/// Where `body` stops matching `T`, decoding it again with the path tracked; `fallback` is the
/// first decode's error, for a body the second decode accepts.
fn locate<T: DeserializeOwned>(body: &[u8], fallback: serde_json::Error) -> BodyMismatch {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, error) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => (error.path().to_string(), error.into_inner()),
        Ok(_) => match deserializer.end() {
            Err(error) => (".".to_owned(), error),
            Ok(()) => (".".to_owned(), fallback),
        },
    };
    BodyMismatch { path, error }
}

/// What the runtime knows of an operation of the spec, generated from it. The table of every
/// operation and the lookups by name ([`OperationSpec::ALL`], [`OperationSpec::by_method_name`],
/// [`OperationSpec::by_operation_id`]) are generated with the client.
///
/// ```
/// use gigs_client::operation::OperationSpec;
///
/// let spec = OperationSpec::by_method_name("retrieve_device").unwrap();
/// assert_eq!(spec.operation_id, "retrieveDevice");
/// assert_eq!(spec.path, "/projects/{project}/devices/{device}");
/// assert_eq!(OperationSpec::by_method_name("retrieveDevice"), None);
/// assert_eq!(OperationSpec::by_operation_id("retrieveDevice"), Some(spec));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationSpec {
    /// progenitor's name for it (the snake-case method name), as the hooks receive it.
    pub name: &'static str,
    /// The `operationId` in the spec.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, e.g. `/projects/{project}/devices/{device}`.
    pub path: &'static str,
    /// The success statuses the spec documents; any other status below 400 is unexpected.
    pub success_statuses: &'static [u16],
    /// The spec marks the operation safe to repeat (`x-gigs-idempotent: true`, on the searches
    /// sent as POST): it is retried like a GET, with no idempotency key needed.
    pub idempotent: bool,
}

impl OperationSpec {
    /// Whether the spec documents `status` as a success of this operation.
    ///
    /// ```
    /// let spec = gigs_client::operation::OperationSpec::by_method_name("retrieve_device").unwrap();
    /// assert!(spec.is_success(reqwest::StatusCode::OK));
    /// assert!(!spec.is_success(reqwest::StatusCode::ACCEPTED));
    /// ```
    pub fn is_success(&self, status: StatusCode) -> bool {
        self.success_statuses.contains(&status.as_u16())
    }

    /// Whether `path` (a request path below the base URL's path) has the template's shape:
    /// the same segments, each parameter filled with a value of its own.
    ///
    /// An id of `.` or `..` is not percent-encoded, and URL parsing then removes segments; this
    /// is how such a request is caught before it reaches another resource.
    ///
    /// ```
    /// let spec = gigs_client::operation::OperationSpec::by_method_name("retrieve_device").unwrap();
    /// assert!(spec.matches_path("/projects/p/devices/dev_1"));
    /// assert!(!spec.matches_path("/projects/p/"));
    /// ```
    pub fn matches_path(&self, path: &str) -> bool {
        // One pass over both: this runs before every request.
        let mut template = self.path.split('/');
        let mut actual = path.split('/');
        loop {
            match (template.next(), actual.next()) {
                (None, None) => return true,
                (Some(expected), Some(actual)) => {
                    let matches = if expected.starts_with('{') {
                        !actual.is_empty() && actual != "." && actual != ".."
                    } else {
                        expected == actual
                    };
                    if !matches {
                        return false;
                    }
                }
                // One has more segments than the other.
                _ => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OperationSpec;

    #[test]
    fn every_operation_is_found_by_its_names() {
        assert_eq!(OperationSpec::ALL.len(), 32);
        for operation in OperationSpec::ALL {
            assert_eq!(
                OperationSpec::by_method_name(operation.name),
                Some(operation)
            );
            assert_eq!(
                OperationSpec::by_operation_id(operation.operation_id),
                Some(operation)
            );
        }
        assert_eq!(OperationSpec::by_method_name("no_such_operation"), None);
    }

    #[test]
    fn a_path_matches_only_with_the_templates_segments_and_real_ids() {
        let spec = OperationSpec::by_method_name("retrieve_device").unwrap();
        assert!(spec.matches_path("/projects/p/devices/dev_1"));
        for path in [
            "/projects/p/devices",
            "/projects/p/devices/",
            "/projects/p/devices/dev_1/",
            "/projects/p/devices/dev_1/more",
            "/projects/p/devices/.",
            "/projects/p/devices/..",
            "/projects/../devices/dev_1",
            "/projects/p/sims/dev_1",
            "projects/p/devices/dev_1",
            "",
        ] {
            assert!(!spec.matches_path(path), "{path}");
        }
    }
}
