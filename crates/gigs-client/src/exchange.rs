//! What one call came to: the values the runtime's request path ([`crate::call`]) returns.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

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
    /// When the last attempt failed after its response's status and headers had arrived (its
    /// body timed out or broke off): those, with the request id they may carry.
    pub head: Option<Head>,
}

/// The status and headers of a response whose body did not arrive whole.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Head {
    /// The response's status.
    pub status: StatusCode,
    /// The response's headers.
    pub headers: HeaderMap,
}

/// A response read to its end. Its `Debug` shows the body's length, not the body: the runtime
/// cannot tell whether it holds a secret.
#[derive(Clone)]
#[non_exhaustive]
pub struct Reply {
    /// The response's status.
    pub status: StatusCode,
    /// The response's headers.
    pub headers: HeaderMap,
    /// The whole body, as received.
    pub body: Bytes,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
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
    pub(crate) fn refused(failure: Failure) -> Self {
        Self {
            outcome: Err(failure),
            attempts: 0,
            deadline_reached: false,
            head: None,
        }
    }
}

impl Failure {
    /// Why a generated builder could not make its request.
    pub(crate) fn not_built<E: fmt::Debug>(error: progenitor_client::Error<E>) -> Self {
        match error {
            progenitor_client::Error::CommunicationError(error) => Self::Transport(error),
            progenitor_client::Error::InvalidRequest(reason) => Self::Refused(reason),
            other => Self::Refused(other.to_string()),
        }
    }
}
