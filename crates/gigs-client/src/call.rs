//! The runtime's request path: a request that a generated builder made (or a caller, for a raw
//! request) sent with the call's [`RequestOptions`], and the [`Exchange`] that comes back.
//!
//! Options go in and the result comes out as values; nothing travels beside them. The steps
//! are drawn in `src/hooks.rs`, whose functions do the work for this path and for the
//! generated builders' own `send()`.

use std::fmt;
use std::future::Future;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

pub use crate::exchange::{Exchange, Failure, Reply};
use crate::hooks::{self, Attempts};
use crate::operation::OperationSpec;
use crate::options::RequestOptions;
use crate::Client;

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
