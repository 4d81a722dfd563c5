//! The runtime's request path: a request that a generated builder made (or a caller, for a raw
//! request) sent with the call's [`RequestOptions`], and the [`Exchange`] that comes back.
//!
//! Options go in and the result comes out as values; nothing travels beside them. The steps
//! are drawn in `src/hooks.rs`, whose functions do the work for this path and for the
//! generated builders' own `send()`.

use std::fmt;
use std::future::Future;

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::hooks::{self, Attempts};
use crate::operation::OperationSpec;
use crate::options::RequestOptions;
use crate::Client;

/// What one call came to: the last attempt's response or failure, and how many attempts it
/// took. The body is not decoded: `gigs` decodes it into the operation's type or its error.
///
/// ```no_run
/// # async fn example(client: gigs_client::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use gigs_client::operation::Operation;
/// use gigs_client::{IdempotencyKey, RequestOptions};
///
/// let request = client.cancel_subscription().project("my-project").subscription("sub_123");
/// let options = RequestOptions::new().idempotency_key(IdempotencyKey::new("cancel-sub_123")?);
/// let exchange = request.exchange(options).await;
/// println!("{} attempt(s)", exchange.attempts);
/// let reply = exchange.outcome?;
/// println!("{} {}", reply.status, String::from_utf8_lossy(&reply.body));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Exchange {
    /// The last attempt's response, whatever its status, or why there was none.
    pub outcome: Result<Reply, Failure>,
    /// The number of attempts sent (0 if the request was refused before sending).
    pub attempts: u32,
    /// Whether the call's deadline ended it: an attempt was cut off by it, or a retry was not
    /// made because its wait would have ended past it.
    pub deadline_reached: bool,
}

/// A response read to its end.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Reply {
    /// The response's status.
    pub status: StatusCode,
    /// The response's headers.
    pub headers: HeaderMap,
    /// The whole body, as received.
    pub body: Bytes,
}

/// Why a call got no response.
#[derive(Debug)]
pub enum Failure {
    /// Refused before anything was sent: a parameter missing or not convertible, an id that
    /// would change the path, both cursors, a per-call `Authorization` header.
    Refused(String),
    /// No response: the connection failed or broke, an attempt timed out, or reqwest could not
    /// build the request (a body that does not serialise).
    Transport(reqwest::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused(reason) => write!(f, "refused before sending: {reason}"),
            Self::Transport(error) => write!(f, "no response: {error}"),
        }
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Refused(_) => None,
            Self::Transport(error) => Some(error),
        }
    }
}

impl Exchange {
    fn refused(failure: Failure) -> Self {
        Self {
            outcome: Err(failure),
            attempts: 0,
            deadline_reached: false,
        }
    }
}

impl Failure {
    /// Why a generated builder could not make its request.
    fn not_built<E: fmt::Debug>(error: progenitor_client::Error<E>) -> Self {
        match error {
            progenitor_client::Error::CommunicationError(error) => Self::Transport(error),
            progenitor_client::Error::InvalidRequest(reason) => Self::Refused(reason),
            other => Self::Refused(other.to_string()),
        }
    }
}

/// Sends the request that `operation`'s generated builder made (`built`) with `options`.
///
/// Not an `async fn`: the future it returns is [`run`]'s own, one state machine fewer around
/// every request (each layer is moved, whole, when it starts).
pub(crate) fn exchange<'a, E: fmt::Debug>(
    built: Result<(&'a Client, reqwest::Request), progenitor_client::Error<E>>,
    operation: &'static OperationSpec,
    options: RequestOptions,
) -> impl Future<Output = Exchange> + Send + 'a {
    let built = built.map_err(Failure::not_built);
    run(built, operation.operation_id, Some(operation), options)
}

/// Sends a request built outside the generated builders (a raw request to a path the spec does
/// not have yet) with the client's token, retries, timeouts and `options`. `operation_id` names
/// it in spans and logs. Its path is not checked against the spec: check it before.
///
/// ```no_run
/// # async fn example(client: gigs_client::Client) {
/// use gigs_client::{call, ClientInfo, RequestOptions};
///
/// let url = format!("{}/projects/my-project/subscriptions", client.baseurl());
/// let request = client.client().get(url).build().expect("a valid URL");
/// let exchange = call::send_raw(&client, "listSubscriptions", request, RequestOptions::new()).await;
/// # let _ = exchange;
/// # }
/// ```
pub fn send_raw<'a>(
    client: &'a Client,
    operation_id: &'static str,
    request: reqwest::Request,
    options: RequestOptions,
) -> impl Future<Output = Exchange> + Send + 'a {
    run(Ok((client, request)), operation_id, None, options)
}

/// The request path: prepare the request (or refuse it), then the attempts.
async fn run(
    built: Result<(&Client, reqwest::Request), Failure>,
    operation_id: &'static str,
    operation: Option<&'static OperationSpec>,
    options: RequestOptions,
) -> Exchange {
    let (client, mut request) = match built {
        Ok(built) => built,
        Err(failure) => return Exchange::refused(failure),
    };
    if let Err(reason) = hooks::prepare(client, operation, &options, &mut request) {
        return Exchange::refused(Failure::Refused(reason));
    }
    let Attempts {
        outcome,
        count,
        deadline_reached,
    } = hooks::send_with_retries(client, operation_id, request, &options).await;
    Exchange {
        outcome: outcome
            .map(|response| Reply {
                status: response.parts.status,
                headers: response.parts.headers,
                body: response.body,
            })
            .map_err(Failure::Transport),
        attempts: count,
        deadline_reached,
    }
}

/// A path parameter written into a URL percent-encoded, byte for byte as progenitor's
/// `encode_path` encodes it (the URL standard's path-segment set, plus `%`), but without two
/// strings of its own: the generated `build_request` formats its URL with it.
pub(crate) struct PathSegment<'a, T: ?Sized>(pub(crate) &'a T);

/// The characters a path segment carries percent-encoded (progenitor's set).
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

impl<T: fmt::Display + ?Sized> fmt::Display for PathSegment<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Encodes what the parameter's `Display` writes on its way into the URL.
        struct Encoding<'f, 'g>(&'f mut fmt::Formatter<'g>);
        impl fmt::Write for Encoding<'_, '_> {
            fn write_str(&mut self, text: &str) -> fmt::Result {
                utf8_percent_encode(text, PATH_SEGMENT)
                    .try_for_each(|piece| self.0.write_str(piece))
            }
        }
        fmt::write(&mut Encoding(f), format_args!("{}", self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::PathSegment;

    #[test]
    fn path_segments_are_encoded_as_progenitor_encodes_them() {
        for segment in [
            "sub_0SNlurA049MEWV4V0q7gxGRHOzMf",
            "",
            "..",
            "a/b",
            "a b?c#d%e",
            "<{`\"}>",
            "ünï/cødé",
            "\u{0}\u{1f}\u{7f}",
            "~!$&'()*+,;=:@",
        ] {
            assert_eq!(
                PathSegment(segment).to_string(),
                progenitor_client::encode_path(segment),
                "{segment:?}"
            );
        }
        assert_eq!(PathSegment(&42).to_string(), "42");
    }
}
