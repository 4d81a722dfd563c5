//! Belongs here: the values of the properties the spec marks `x-gigs-sensitive` (an eSIM's
//! activation code and QR code URL, a porting's account number) in no `Debug` or `Display`
//! output, no `gigs::Error`, no tracing span or event, whatever the response that carried them.
//!
//! The secrets are the spec's own example values of those properties. Every generated type is
//! filled from every example of the spec and formatted; then every way the SDK can meet such a
//! body (decoded, a body that does not decode, an undocumented status, an error status, a body
//! cut off) is sent through a local server with a TRACE subscriber listening, and everything
//! the caller can print is searched.

use std::collections::BTreeSet;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use gigs::client::operation::Operation;
use gigs::{Call, Error, Gigs, RequestOptions};
use gigs_tests::examples::{all_examples, spec_example, spec_examples};
use gigs_tests::registry::debug_formatted;
use gigs_tests::server::{gigs_builder, RawReply, RawServer};
use gigs_tests::spec::spec;
use serde_json::{json, Value};
use tracing::Level;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CREDENTIALS_PATH: &str = "/projects/gigs/sims/sim_1/credentials";
const SUBSCRIPTION_PATH: &str = "/projects/gigs/subscriptions/sub_1";

/// The properties the spec marks sensitive, by JSON name, found by walking every schema.
fn marked_properties() -> BTreeSet<String> {
    fn walk(value: &Value, found: &mut BTreeSet<String>) {
        match value {
            Value::Object(object) => {
                if let Some(properties) = object.get("properties").and_then(Value::as_object) {
                    for (name, property) in properties {
                        if property.get("x-gigs-sensitive") == Some(&json!(true)) {
                            found.insert(name.clone());
                        }
                    }
                }
                object.values().for_each(|child| walk(child, found));
            }
            Value::Array(items) => items.iter().for_each(|child| walk(child, found)),
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    walk(spec(), &mut found);
    found
}

/// Every example value the spec gives a sensitive property: on the property, and inside every
/// example of the spec (schemas, requests, responses).
fn secrets() -> BTreeSet<String> {
    fn walk(value: &Value, names: &BTreeSet<String>, found: &mut BTreeSet<String>) {
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    if names.contains(key) {
                        if let Some(text) = child.as_str() {
                            found.insert(text.to_owned());
                        }
                    }
                    walk(child, names, found);
                }
            }
            Value::Array(items) => items.iter().for_each(|child| walk(child, names, found)),
            _ => {}
        }
    }
    let names = marked_properties();
    let mut found = BTreeSet::new();
    for example in all_examples() {
        walk(&example.value, &names, &mut found);
    }
    found
}

/// Fails with the place and the secret when `text` holds one.
#[track_caller]
fn assert_no_secret(what: &str, text: &str) {
    for secret in secrets() {
        assert!(
            !text.contains(&secret),
            "{what} prints the secret `{secret}`:\n{text}"
        );
    }
}

/// Every way an error prints: `Display`, `{:#}`, `Debug`, `{:#?}`, and each of its sources.
fn printed(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = format!("{error}\n{error:#}\n{error:?}\n{error:#?}");
    let mut source = error.source();
    while let Some(next) = source {
        text.push_str(&format!("\n{next}\n{next:?}"));
        source = next.source();
    }
    text
}

#[test]
fn the_marked_properties_are_the_generated_list_and_their_examples_are_known() {
    let marked = marked_properties();
    let generated: BTreeSet<String> = gigs::client::SENSITIVE_PROPERTIES
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    assert_eq!(marked, generated);
    for name in ["activationCode", "qrCodeUrl", "accountNumber"] {
        assert!(marked.contains(name), "{name} is marked: {marked:?}");
    }
    let secrets = secrets();
    for value in [
        "LPA:1$smdp.gigs.com$2M-3L0MX-F8HE2",
        "https://files.gigs.com/qrcode/example/pUNIvfeLBNQ.png",
        "123456789",
    ] {
        assert!(secrets.contains(value), "{value} is a secret: {secrets:?}");
    }
}

#[test]
fn no_generated_type_filled_from_any_example_prints_a_secret() {
    let mut redacted = 0;
    for example in spec_examples() {
        let Some(formatted) = debug_formatted(&example.type_name, &example.value) else {
            panic!(
                "{}: no generated type {}",
                example.location, example.type_name
            );
        };
        let formatted = formatted
            .unwrap_or_else(|error| panic!("{}: does not decode: {error}", example.location));
        assert_no_secret(&example.location, &formatted);
        redacted += usize::from(formatted.contains("[redacted]"));
    }
    // The credentials (schema and response) and the porting examples at least.
    assert!(redacted >= 3, "{redacted} examples showed a redacted field");
}

#[test]
fn the_builders_of_the_types_with_secrets_print_none_either() {
    let credentials: gigs::types::SimCredentials =
        serde_json::from_value(spec_example("schema.SimCredentials")).unwrap();
    let builder = gigs::types::builder::SimCredentials::from(credentials.clone());
    assert_no_secret(
        "the SimCredentials builder",
        &format!("{builder:?}\n{builder:#?}"),
    );
    assert!(format!("{credentials:?}").contains("activation_code: [redacted]"));

    let porting: gigs::types::Porting =
        serde_json::from_value(spec_example("schema.Porting")).unwrap();
    let builder = gigs::types::builder::Porting::from(porting.clone());
    assert_no_secret("the Porting builder", &format!("{builder:?}\n{builder:#?}"));
    // Serialising is the type's job: the values are all there.
    let written = serde_json::to_string(&credentials).unwrap();
    assert!(
        written.contains("LPA:1$smdp.gigs.com$2M-3L0MX-F8HE2"),
        "{written}"
    );
}

/// Logs written while a closure runs, at TRACE, from every target.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The credentials example as a response body.
fn credentials_body() -> Value {
    spec_example("retrieveSimCredentials.200")
}

/// A subscription whose porting holds the example account number twice: as `accountNumber`,
/// and as `declinedAttempts`, where a number belongs: the decoder's message quotes it.
fn subscription_with_a_mistyped_secret() -> Value {
    let mut porting = spec_example("schema.Porting");
    porting["declinedAttempts"] = porting["accountNumber"].clone();
    let mut subscription = spec_example("retrieveSubscription.200");
    subscription["porting"] = porting;
    subscription
}

async fn answering(http_method: &str, route: &str, template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(http_method))
        .and(path(route))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Gigs {
    gigs_builder(&server.uri()).build().unwrap()
}

async fn credentials(gigs: &Gigs) -> Result<gigs::Response<gigs::types::SimCredentials>, Error> {
    gigs.sims()
        .retrieve_credentials("sim_1")
        .call_with_response()
        .await
}

#[tokio::test(flavor = "current_thread")]
async fn no_error_response_or_log_line_prints_a_secret_whatever_the_answer() {
    let buffer = LogBuffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let mut printed_all = String::new();

    // Decoded: the response and its body.
    let server = answering(
        "GET",
        CREDENTIALS_PATH,
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req_secret_1")
            .set_body_json(credentials_body()),
    )
    .await;
    let response = credentials(&client(&server)).await.unwrap();
    assert_eq!(
        response.activation_code.as_deref(),
        credentials_body()["activationCode"].as_str()
    );
    printed_all.push_str(&format!("{response:?}\n{response:#?}\n{:?}", *response));

    // The raw exchange, undecoded.
    let exchange = client(&server)
        .client()
        .retrieve_sim_credentials()
        .project("gigs")
        .sim("sim_1")
        .exchange(RequestOptions::new())
        .await;
    printed_all.push_str(&format!("{exchange:?}\n{exchange:#?}"));

    // A body that does not decode, with a secret where the decoder quotes the value.
    let server = answering(
        "GET",
        SUBSCRIPTION_PATH,
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req_secret_2")
            .set_body_json(subscription_with_a_mistyped_secret()),
    )
    .await;
    let error = gigs_tests::server::retrieve_subscription(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(
        decode.message().contains("[redacted]"),
        "{}",
        decode.message()
    );
    assert_eq!(error.request_id(), Some("req_secret_2"));
    printed_all.push_str(&printed(&error));

    // A status the operation does not document, and an error status (retried, then returned).
    for status in [203, 500] {
        let server = answering(
            "GET",
            CREDENTIALS_PATH,
            ResponseTemplate::new(status)
                .insert_header("x-request-id", "req_secret_3")
                .set_body_json(credentials_body()),
        )
        .await;
        let error = credentials(&client(&server)).await.unwrap_err();
        assert_eq!(error.status().map(|status| status.as_u16()), Some(status));
        assert_eq!(error.request_id(), Some("req_secret_3"));
        assert!(
            error.to_string().contains("[request id req_secret_3]"),
            "{error}"
        );
        printed_all.push_str(&printed(&error));
    }

    // A body cut off after its first half arrived: the head is kept, the body is not printed.
    let body = serde_json::to_vec(&credentials_body()).unwrap();
    let raw = RawServer::start(body, |_| RawReply::CloseMidBody).await;
    let gigs = gigs_builder(raw.base_url()).build().unwrap();
    let error = credentials(&gigs).await.unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert_eq!(error.status(), Some(reqwest::StatusCode::OK));
    printed_all.push_str(&printed(&error));

    drop(guard);
    let logs = String::from_utf8_lossy(&buffer.0.lock().unwrap()).into_owned();
    // The retries of the 500 and of the cut body logged their warnings here.
    assert!(logs.contains("retrying after"), "{logs}");
    assert_no_secret("a log line", &logs);
    assert_no_secret("what the caller can print", &printed_all);
}
