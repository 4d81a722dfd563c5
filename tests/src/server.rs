//! Local servers for the integration tests, and clients pointed at them: the one place that
//! knows how a test client is configured (token, project, quick retries) and how a test server
//! answers (in turn, from a script, with a reply set per case, or over raw TCP for the faults
//! an HTTP mock cannot produce).

use std::net::TcpListener as StdTcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use gigs::{types, Call, Error, Gigs, GigsBuilder, RequestOptions, RetryPolicy, WithProject};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The API token test clients send.
pub const TOKEN: &str = "sk_test_local";
/// The default project of test clients.
pub const PROJECT: &str = "gigs";

/// Retries as the default policy makes them, but after 10 ms waits with no jitter, so that
/// tests that retry stay fast and their attempt counts exact.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(10))
        .with_jitter(false)
}

/// An SDK client builder for `base_url` with [`TOKEN`], [`PROJECT`] and [`quick_retries`].
pub fn gigs_builder(base_url: &str) -> GigsBuilder<WithProject> {
    Gigs::builder()
        .token(TOKEN)
        .project(PROJECT)
        .base_url(base_url)
        .retry_policy(quick_retries())
}

/// The path [`retrieve_subscription`] requests.
pub const SUBSCRIPTION_PATH: &str = "/projects/gigs/subscriptions/sub_1";

/// The reference's example of a subscription: what a server answers [`retrieve_subscription`].
pub fn subscription_example() -> serde_json::Value {
    crate::examples::spec_example("retrieveSubscription.200")
}

/// A `200` with [`subscription_example`] that starts only after `delay`: for timeouts.
pub fn slow_subscription(delay: Duration) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(subscription_example())
        .set_delay(delay)
}

/// `retrieveSubscription` of `sub_1` through `.call_with(options)`: the call most tests of
/// the call path make.
pub async fn retrieve_subscription(
    gigs: &Gigs,
    options: RequestOptions,
) -> Result<types::Subscription, Error> {
    gigs.subscriptions()
        .retrieve("sub_1")
        .call_with(options)
        .await
}

/// [`gigs_builder`], built.
pub fn gigs(base_url: &str) -> Gigs {
    gigs_builder(base_url)
        .build()
        .expect("an SDK client for the local server")
}

/// The generated client alone for `base_url`, with its default settings and no token.
pub fn client(base_url: &str) -> gigs_client::Client {
    gigs_client::Client::new(base_url, Default::default())
}

/// The generated client for `base_url` on `http`, never retrying: for servers that answer the
/// same way every time, where a retry proves nothing.
pub fn client_without_retries(base_url: &str, http: reqwest::Client) -> gigs_client::Client {
    gigs_client::Client::new_with_client(
        base_url,
        http,
        gigs_client::ClientSettings::default().with_retry_policy(RetryPolicy::none()),
    )
}

/// A server answering any request with `response`.
pub async fn answering_any(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A server answering `http_method route` as `responder` says for each request.
pub async fn answering(
    http_method: &str,
    route: &str,
    responder: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(http_method))
        .and(path(route))
        .respond_with(responder)
        .mount(&server)
        .await;
    server
}

/// A server answering `http_method route` with `responses` in turn, the last one from then on.
pub async fn answering_in_turn(
    http_method: &str,
    route: &str,
    responses: Vec<ResponseTemplate>,
) -> MockServer {
    let server = MockServer::start().await;
    mount_in_turn(&server, http_method, route, responses).await;
    server
}

/// Makes `server` answer `http_method route` with `responses` in turn, the last one from then on.
pub async fn mount_in_turn(
    server: &MockServer,
    http_method: &str,
    route: &str,
    responses: Vec<ResponseTemplate>,
) {
    Mock::given(method(http_method))
        .and(path(route))
        .respond_with(in_turn(responses))
        .mount(server)
        .await;
}

/// A responder giving `responses` in turn, the last one from then on: for mocks with matchers
/// of their own.
pub fn in_turn(
    responses: Vec<ResponseTemplate>,
) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    assert!(!responses.is_empty(), "a server needs a response to give");
    let served = AtomicUsize::new(0);
    move |_: &Request| {
        let turn = served.fetch_add(1, Ordering::SeqCst);
        responses[turn.min(responses.len() - 1)].clone()
    }
}

/// Every request `server` received so far, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("the server records requests")
}

/// The value of the query parameter `name` of `request`.
pub fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The value of the header `name` of `request`, as text.
pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("a text header").to_owned())
}

/// A local address nothing listens on.
pub fn closed_port_url() -> String {
    let listener = StdTcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let port = listener.local_addr().expect("the bound address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// What a [`SettableServer`] answers to every request until told otherwise.
struct Reply {
    status: u16,
    body: Vec<u8>,
}

/// A server that answers every request with the status and body last set, recording nothing:
/// for many cases in a row against one server (the fuzz test).
pub struct SettableServer {
    server: MockServer,
    reply: Arc<Mutex<Reply>>,
}

impl SettableServer {
    /// A server answering `200` with an empty body until [`set_reply`](Self::set_reply).
    pub async fn start() -> Self {
        let reply = Arc::new(Mutex::new(Reply {
            status: 200,
            body: Vec::new(),
        }));
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        let shared = Arc::clone(&reply);
        Mock::given(any())
            .respond_with(move |_: &Request| {
                let reply = shared.lock().unwrap_or_else(PoisonError::into_inner);
                ResponseTemplate::new(reply.status).set_body_bytes(reply.body.clone())
            })
            .mount(&server)
            .await;
        Self { server, reply }
    }

    /// Answers every request from now on with `status` and `body`.
    pub fn set_reply(&self, status: u16, body: &[u8]) {
        *self.reply.lock().unwrap_or_else(PoisonError::into_inner) = Reply {
            status,
            body: body.to_vec(),
        };
    }

    /// The server's base URL.
    pub fn uri(&self) -> String {
        self.server.uri()
    }
}

/// The request id header every [`RawServer`] response carries, with [`RAW_REQUEST_ID`].
pub const RAW_REQUEST_ID_HEADER: &str = "x-request-id";
/// The request id of every [`RawServer`] response.
pub const RAW_REQUEST_ID: &str = "req_raw_server";

/// What a [`RawServer`] does with one request: every response is a 200 that promises the whole
/// body in `Content-Length`.
#[derive(Clone, Copy, Debug)]
pub enum RawReply {
    /// Sends the whole body.
    Whole,
    /// Sends half of the body, then resets the connection (RST).
    ResetMidBody,
    /// Sends half of the body, then closes the connection (FIN).
    CloseMidBody,
    /// Sends half of the body, then sends nothing more for a long time.
    StallMidBody,
}

/// A TCP server that answers every request with `body` as `script` says for the n-th request
/// (from 0), and counts the requests: for broken connections, which an HTTP mock cannot make.
pub struct RawServer {
    base_url: String,
    requests: Arc<AtomicUsize>,
}

impl RawServer {
    /// Starts the server on a free loopback port; it runs on the calling tokio runtime.
    pub async fn start(
        body: Vec<u8>,
        script: impl Fn(usize) -> RawReply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let base_url = format!(
            "http://{}",
            listener.local_addr().expect("the bound address")
        );
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        let body: Arc<[u8]> = body.into();
        let script = Arc::new(script);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (counter, body, script) =
                    (Arc::clone(&counter), Arc::clone(&body), Arc::clone(&script));
                tokio::spawn(async move {
                    let mut stream = stream;
                    if read_request_head(&mut stream).await {
                        let reply = script(counter.fetch_add(1, Ordering::SeqCst));
                        answer(stream, &body, reply).await;
                    }
                });
            }
        });
        Self { base_url, requests }
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How many requests the server has read.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads up to the end of a request head; false if the connection ends first.
async fn read_request_head(stream: &mut TcpStream) -> bool {
    let mut head = Vec::new();
    let mut chunk = [0; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(read) => head.extend_from_slice(&chunk[..read]),
        }
    }
    true
}

async fn answer(mut stream: TcpStream, body: &[u8], reply: RawReply) {
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{RAW_REQUEST_ID_HEADER}: {RAW_REQUEST_ID}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let half = &body[..body.len() / 2];
    match reply {
        RawReply::Whole => {
            stream.write_all(body).await.unwrap();
            let _ = stream.shutdown().await;
        }
        RawReply::ResetMidBody => {
            stream.write_all(half).await.unwrap();
            stream.flush().await.unwrap();
            // Let the client take in the head and start on the body before the reset.
            tokio::time::sleep(Duration::from_millis(50)).await;
            stream.set_zero_linger().unwrap();
            drop(stream);
        }
        RawReply::CloseMidBody => {
            stream.write_all(half).await.unwrap();
            let _ = stream.shutdown().await;
        }
        RawReply::StallMidBody => {
            stream.write_all(half).await.unwrap();
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    }
}
