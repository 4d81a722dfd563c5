//! Belongs here: the exact request each operation sends (snapshots `it__requests__*`) and what the
//! client refuses to send.
//!
//! The exact request every operation sends, captured by a local server, with every optional
//! parameter and body field set; and every operation reads the response example it gets back.

use gigs_client::types::{self, DeviceModelType, SimStatus, SimType, SubscriptionStatus};
use std::future::Future;
use std::path::Path;
use std::pin::Pin;

use gigs_client::operation::Operation;
use gigs_client::{Client, RequestOptions};
use gigs_tests::examples::success_examples;
use gigs_tests::fixtures::{cancellation_details, metadata, metadata_update};
use gigs_tests::operations::example_ids::{
    DEVICE, DEVICE_MODEL, EMAIL, ICCID, IMEI, PHONE_NUMBER, PLAN, PROJECT, SIM, SUBSCRIPTION, USER,
};
use gigs_tests::operations::{example_request, WithRequest, OPERATIONS};
use gigs_tests::server::{answering_any, received};
use serde::Serialize;
use serde_json::{json, Value};
use wiremock::{MockServer, ResponseTemplate};

/// A local server that answers any request with the documented success example of one
/// operation, and a client pointed at it.
struct Server {
    server: MockServer,
    client: Client,
    operation_id: &'static str,
}

impl Server {
    async fn for_operation(operation_id: &'static str) -> Self {
        let example = success_examples(operation_id).remove(0);
        let server = answering_any(ResponseTemplate::new(200).set_body_json(example)).await;
        let client = gigs_tests::server::client(&server.uri());
        Self {
            server,
            client,
            operation_id,
        }
    }

    /// Snapshots the requests the server received: method, path, query, the headers the client
    /// sets, and the JSON body (one shape, or a list when the test sent several).
    async fn assert_request_shape(self) {
        let requests = received(&self.server).await;
        assert!(
            !requests.is_empty(),
            "{} sent no request",
            self.operation_id
        );
        let shapes: Vec<Value> = requests.iter().map(shape).collect();
        if let [shape] = shapes.as_slice() {
            insta::assert_yaml_snapshot!(self.operation_id, shape);
        } else {
            insta::assert_yaml_snapshot!(self.operation_id, shapes);
        }
    }
}

fn shape(request: &wiremock::Request) -> Value {
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    let body = if request.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&request.body).expect("the request body is JSON")
    };
    json!({
        "method": request.method.to_string(),
        "path": request.url.path(),
        "query": request.url.query(),
        "accept": header("accept"),
        "content-type": header("content-type"),
        "api-version": header("api-version"),
        "body": body,
    })
}

#[tokio::test]
async fn list_device_model_brands() {
    let server = Server::for_operation("listDeviceModelBrands").await;
    let brands = server
        .client
        .list_device_model_brands()
        .send()
        .await
        .unwrap();
    assert_eq!(brands.items, ["Apple"]);
    server.assert_request_shape().await;
}

#[tokio::test]
async fn list_device_models() {
    let server = Server::for_operation("listDeviceModels").await;
    let page = server
        .client
        .list_device_models()
        .type_(vec![
            DeviceModelType::Smartphone,
            DeviceModelType::FeaturePhone,
        ])
        .brand(vec!["Apple".to_owned(), "Samsung".to_owned()])
        .sim_type(vec![SimType::ESim, SimType::PSim])
        .after("dmd_after")
        .limit(50)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    // The API takes one cursor at a time: the backward request goes separately.
    server
        .client
        .list_device_models()
        .before("dmd_before")
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn retrieve_device_model() {
    let server = Server::for_operation("retrieveDeviceModel").await;
    server
        .client
        .retrieve_device_model()
        .device_model(DEVICE_MODEL)
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn search_device_models() {
    let server = Server::for_operation("searchDeviceModels").await;
    server
        .client
        .search_device_models()
        .body_map(|body| body.imei(IMEI.to_owned()))
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn list_devices() {
    let server = Server::for_operation("listDevices").await;
    server
        .client
        .list_devices()
        .project(PROJECT)
        .sim(SIM)
        .user(USER)
        .after("dev_after")
        .limit(200)
        .send()
        .await
        .unwrap();
    // The API takes one cursor at a time: the backward request goes separately.
    server
        .client
        .list_devices()
        .project(PROJECT)
        .before("dev_before")
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn create_device() {
    let server = Server::for_operation("createDevice").await;
    server
        .client
        .create_device()
        .project(PROJECT)
        .body_map(|body| {
            body.imei(IMEI.to_owned())
                .name("Anna's iPhone 12 Pro".to_owned())
                .user(USER.to_owned())
                .sims(vec![SIM.to_owned()])
                .metadata(metadata())
        })
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn retrieve_device() {
    let server = Server::for_operation("retrieveDevice").await;
    server
        .client
        .retrieve_device()
        .project(PROJECT)
        .device(DEVICE)
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn update_device() {
    let server = Server::for_operation("updateDevice").await;
    server
        .client
        .update_device()
        .project(PROJECT)
        .device(DEVICE)
        .body_map(|body| {
            body.name("Anna's iPhone 12 Pro".to_owned())
                .user(USER.to_owned())
                .sims(vec![SIM.to_owned()])
                .metadata(metadata_update())
        })
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn delete_device() {
    let server = Server::for_operation("deleteDevice").await;
    server
        .client
        .delete_device()
        .project(PROJECT)
        .device(DEVICE)
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn search_devices() {
    let server = Server::for_operation("searchDevices").await;
    server
        .client
        .search_devices()
        .project(PROJECT)
        .body_map(|body| body.imei(IMEI.to_owned()))
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn list_sims() {
    let server = Server::for_operation("listSims").await;
    server
        .client
        .list_sims()
        .project(PROJECT)
        .provider(vec!["p9".to_owned(), "p3".to_owned()])
        .status(vec![SimStatus::Active, SimStatus::Retired])
        .type_(SimType::ESim)
        .user(USER)
        .after("sim_after")
        .limit(1)
        .send()
        .await
        .unwrap();
    // The API takes one cursor at a time: the backward request goes separately.
    server
        .client
        .list_sims()
        .project(PROJECT)
        .before("sim_before")
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn retrieve_sim() {
    let server = Server::for_operation("retrieveSim").await;
    server
        .client
        .retrieve_sim()
        .project(PROJECT)
        .sim(SIM)
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn update_sim() {
    let server = Server::for_operation("updateSim").await;
    server
        .client
        .update_sim()
        .project(PROJECT)
        .sim(SIM)
        .body_map(|body| body.metadata(metadata_update()))
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn search_sims() {
    let server = Server::for_operation("searchSims").await;
    server
        .client
        .search_sims()
        .project(PROJECT)
        .body_map(|body| {
            body.iccid(ICCID.to_owned())
                .type_(vec![SimType::ESim, SimType::PSim])
        })
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn retrieve_sim_credentials() {
    let server = Server::for_operation("retrieveSimCredentials").await;
    server
        .client
        .retrieve_sim_credentials()
        .project(PROJECT)
        .sim(SIM)
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn retrieve_e_sim_profile() {
    let server = Server::for_operation("retrieveESimProfile").await;
    server
        .client
        .retrieve_e_sim_profile()
        .project(PROJECT)
        .sim(SIM)
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn list_subscriptions() {
    let server = Server::for_operation("listSubscriptions").await;
    server
        .client
        .list_subscriptions()
        .project(PROJECT)
        .user(USER)
        .plan(PLAN)
        .sim(SIM)
        .status(vec![
            SubscriptionStatus::Active,
            SubscriptionStatus::Initiated,
        ])
        .after("sub_after")
        .limit(10)
        .send()
        .await
        .unwrap();
    // The API takes one cursor at a time: the backward request goes separately.
    server
        .client
        .list_subscriptions()
        .project(PROJECT)
        .before("sub_before")
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn create_subscription() {
    let server = Server::for_operation("createSubscription").await;
    server
        .client
        .create_subscription()
        .project(PROJECT)
        .body_map(|body| {
            body.plan(PLAN.to_owned())
                .user(USER.to_owned())
                .sim(SIM.to_owned())
                .device(DEVICE.to_owned())
                .device_model(DEVICE_MODEL.to_owned())
                .porting("prt_0SNlurA049MEWV39s2kSYqaat7ZS".to_owned())
                .user_address("adr_0SNlurA049MEWV5ELDmnaqVXgTFT".to_owned())
                .metadata(metadata())
        })
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn retrieve_subscription() {
    let server = Server::for_operation("retrieveSubscription").await;
    server
        .client
        .retrieve_subscription()
        .project(PROJECT)
        .subscription(SUBSCRIPTION)
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn update_subscription() {
    let server = Server::for_operation("updateSubscription").await;
    server
        .client
        .update_subscription()
        .project(PROJECT)
        .subscription(SUBSCRIPTION)
        .body_map(|body| body.metadata(metadata_update()))
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn search_subscriptions() {
    let server = Server::for_operation("searchSubscriptions").await;
    server
        .client
        .search_subscriptions()
        .project(PROJECT)
        .body_map(|body| body.phone_number(PHONE_NUMBER.to_owned()))
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn cancel_subscription() {
    let server = Server::for_operation("cancelSubscription").await;
    server
        .client
        .cancel_subscription()
        .project(PROJECT)
        .subscription(SUBSCRIPTION)
        .body_map(|body| body.cancellation_details(cancellation_details()))
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn end_subscription() {
    let server = Server::for_operation("endSubscription").await;
    server
        .client
        .end_subscription()
        .project(PROJECT)
        .subscription(SUBSCRIPTION)
        .body_map(|body| body.cancellation_details(cancellation_details()))
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn resume_subscription() {
    let server = Server::for_operation("resumeSubscription").await;
    server
        .client
        .resume_subscription()
        .project(PROJECT)
        .subscription(SUBSCRIPTION)
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn list_users() {
    let server = Server::for_operation("listUsers").await;
    server
        .client
        .list_users()
        .project(PROJECT)
        .after("usr_after")
        .limit(25)
        .send()
        .await
        .unwrap();
    // The API takes one cursor at a time: the backward request goes separately.
    server
        .client
        .list_users()
        .project(PROJECT)
        .before("usr_before")
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn create_user() {
    let server = Server::for_operation("createUser").await;
    let user = server
        .client
        .create_user()
        .project(PROJECT)
        .body_map(|body| {
            body.email(EMAIL.to_owned())
                .full_name("Jerry Seinfeld".to_owned())
                .birthday(chrono::NaiveDate::from_ymd_opt(2017, 7, 21).unwrap())
                .preferred_locale(Some("en-US".to_owned()))
                .metadata(metadata())
        })
        .send()
        .await
        .unwrap();
    assert_eq!(
        user.birthday, None,
        "the example's `null` birthday reads as none"
    );
    server.assert_request_shape().await;
}

#[tokio::test]
async fn search_users() {
    let server = Server::for_operation("searchUsers").await;
    server
        .client
        .search_users()
        .project(PROJECT)
        .body_map(|body| body.email(EMAIL.to_owned()))
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn retrieve_user() {
    let server = Server::for_operation("retrieveUser").await;
    let user = server
        .client
        .retrieve_user()
        .project(PROJECT)
        .user(USER)
        .send()
        .await
        .unwrap();
    assert_eq!(user.status, Some(types::UserStatus::Active));
    server.assert_request_shape().await;
}

#[tokio::test]
async fn update_user() {
    let server = Server::for_operation("updateUser").await;
    server
        .client
        .update_user()
        .project(PROJECT)
        .user(USER)
        .body_map(|body| {
            body.email(Some(EMAIL.to_owned()))
                .full_name(gigs_client::Patch::Null)
                .birthday(chrono::NaiveDate::from_ymd_opt(2017, 7, 21).unwrap())
                .preferred_locale(Some("en-US".to_owned()))
                .metadata(metadata_update())
        })
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn delete_user() {
    let server = Server::for_operation("deleteUser").await;
    let user = server
        .client
        .delete_user()
        .project(PROJECT)
        .user(USER)
        .send()
        .await
        .unwrap();
    assert_eq!(user.status, Some(types::UserStatus::Deleted));
    server.assert_request_shape().await;
}

#[tokio::test]
async fn list_plans() {
    let server = Server::for_operation("listPlans").await;
    let page = server
        .client
        .list_plans()
        .project(PROJECT)
        .provider(vec!["p5".to_owned(), "p9".to_owned()])
        .sim_type(vec![SimType::ESim])
        .status(vec![
            types::PlanStatus::Available,
            types::PlanStatus::Archived,
        ])
        .after("pln_after")
        .limit(20)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items[0].status, Some(types::PlanStatus::Available));
    // The API takes one cursor at a time: the backward request goes separately.
    server
        .client
        .list_plans()
        .project(PROJECT)
        .before("pln_before")
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn retrieve_plan() {
    let server = Server::for_operation("retrievePlan").await;
    server
        .client
        .retrieve_plan()
        .project(PROJECT)
        .plan(PLAN)
        .send()
        .await
        .unwrap();
    server.assert_request_shape().await;
}

#[tokio::test]
async fn an_empty_filter_list_sends_no_parameter() {
    let server = Server::for_operation("listSubscriptions").await;
    server
        .client
        .list_subscriptions()
        .project(PROJECT)
        .status(Vec::<SubscriptionStatus>::new())
        .send()
        .await
        .unwrap();
    let requests = received(&server.server).await;
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = Server::for_operation("retrieveDevice").await;
    server
        .client
        .retrieve_device()
        .project(PROJECT)
        .device("../x/a b?c=d#e")
        .send()
        .await
        .unwrap();
    let requests = received(&server.server).await;
    assert_eq!(
        requests[0].url.path(),
        "/projects/gigs/devices/..%2Fx%2Fa%20b%3Fc=d%23e"
    );
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn both_cursors_are_refused_before_sending() {
    let server = Server::for_operation("listSims").await;
    let error = server
        .client
        .list_sims()
        .project(PROJECT)
        .after("sim_1")
        .before("sim_9")
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`after` and `before` cannot be sent together"),
        "{error}"
    );
    assert!(received(&server.server).await.is_empty());
}

/// Sends an example request and says whether its response decoded.
struct SendDecoded;

impl<'a> WithRequest<'a> for SendDecoded {
    type Output = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

    fn request<O>(self, request: O) -> Self::Output
    where
        O: Operation<ErrorBody = types::Error> + 'a,
        O::Response: Serialize,
    {
        Box::pin(async move {
            request
                .send_request()
                .await
                .map(|_| ())
                .map_err(|error| error.to_string())
        })
    }
}

/// The generated table and the generated client agree: each operation's example request goes
/// out once, with the table's method and the path template filled with the example ids, and
/// reads the documented response.
#[tokio::test]
async fn every_operation_sends_its_method_and_path() {
    for row in OPERATIONS {
        let server = Server::for_operation(row.operation_id).await;
        let sent = example_request(&server.client, row.operation_id, SendDecoded)
            .expect("the table builds a request for each of its operations")
            .await;
        assert_eq!(sent, Ok(()), "{}", row.operation_id);
        let requests = received(&server.server).await;
        let [request] = requests.as_slice() else {
            panic!("{}: {} requests", row.operation_id, requests.len());
        };
        assert_eq!(request.method.as_str(), row.method, "{}", row.operation_id);
        assert_eq!(request.url.path(), row.example_path, "{}", row.operation_id);
        assert!(
            !row.example_path.contains('{'),
            "{}: a path parameter is left unfilled",
            row.operation_id
        );
    }
}

/// Every operation has a test above that sets each of its optional parameters and body fields,
/// with a reviewed snapshot: a new operation needs one (see docs/changing-the-spec.md).
#[test]
fn every_operation_has_a_request_snapshot() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    let missing: Vec<&str> = OPERATIONS
        .iter()
        .map(|row| row.operation_id)
        .filter(|id| !snapshots.join(format!("it__requests__{id}.snap")).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a request test and snapshot in tests/tests/it/requests.rs: {missing:?}"
    );
}

/// Sends an example request the way `gigs`' `.call()` does: the builder's `build_request()`
/// through the runtime's request path, with options as an argument.
struct Exchange;

impl<'a> WithRequest<'a> for Exchange {
    type Output = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

    fn request<O>(self, request: O) -> Self::Output
    where
        O: Operation<ErrorBody = types::Error> + 'a,
        O::Response: Serialize,
    {
        Box::pin(async move {
            let exchange = request.exchange(RequestOptions::new()).await;
            match exchange.outcome {
                Ok(reply) if reply.status.is_success() => Ok(()),
                Ok(reply) => Err(format!("status {}", reply.status)),
                Err(failure) => Err(failure.to_string()),
            }
        })
    }
}

/// `.call()` sends requests that the xtask builds from the statements of progenitor's `send()`
/// (with the URL and headers written in place): for every operation, both send the same bytes.
#[tokio::test]
async fn the_runtime_path_sends_what_the_generated_send_sends() {
    let everything = |request: &wiremock::Request| {
        let mut headers: Vec<(String, Vec<u8>)> = request
            .headers
            .iter()
            .map(|(name, value)| (name.to_string(), value.as_bytes().to_vec()))
            .collect();
        headers.sort();
        (
            request.method.to_string(),
            request.url.to_string(),
            headers,
            request.body.clone(),
        )
    };
    for row in OPERATIONS {
        let server = Server::for_operation(row.operation_id).await;
        let sent = example_request(&server.client, row.operation_id, SendDecoded)
            .expect("the table builds a request for each of its operations")
            .await;
        assert_eq!(sent, Ok(()), "{} through send()", row.operation_id);
        let exchanged = example_request(&server.client, row.operation_id, Exchange)
            .expect("the table builds a request for each of its operations")
            .await;
        assert_eq!(exchanged, Ok(()), "{} through exchange()", row.operation_id);
        let requests = received(&server.server).await;
        let [through_send, through_exchange] = requests.as_slice() else {
            panic!("{}: {} requests", row.operation_id, requests.len());
        };
        assert_eq!(
            everything(through_exchange),
            everything(through_send),
            "{}",
            row.operation_id
        );
    }
}
