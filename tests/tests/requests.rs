//! The exact request every operation sends, captured by a local server, with every optional
//! parameter and body field set; and every operation reads the response example it gets back.

use gigs_client::types::{DeviceModelType, SimStatus, SimType, SubscriptionStatus};
use gigs_client::{Client, ClientSettings};
use gigs_tests::examples::spec_examples;
use gigs_tests::fixtures::{cancellation_details, metadata, metadata_update};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A local server that answers any request with the documented success example of one
/// operation, and a client pointed at it.
struct Server {
    server: MockServer,
    client: Client,
    operation_id: &'static str,
}

impl Server {
    async fn for_operation(operation_id: &'static str) -> Self {
        let example = spec_examples()
            .into_iter()
            .find(|example| {
                example.location == format!("{operation_id}.200")
                    || example
                        .location
                        .starts_with(&format!("{operation_id}.200."))
            })
            .unwrap_or_else(|| panic!("{operation_id} has a documented 200 example"));
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(example.value))
            .mount(&server)
            .await;
        let client = Client::new(&server.uri(), ClientSettings::default());
        Self {
            server,
            client,
            operation_id,
        }
    }

    /// Snapshots the requests the server received: method, path, query, the headers the client
    /// sets, and the JSON body (one shape, or a list when the test sent several).
    async fn assert_request_shape(self) {
        let requests = self.server.received_requests().await.unwrap();
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
        .device_model("dmd_0SNlurA04OUskUGfGAn3Rh")
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
        .body_map(|body| body.imei("492388841798923".to_owned()))
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
        .project("gigs")
        .sim("sim_0SNlurA049MEWV1BAAmWZULA4lf6")
        .user("usr_0SNlurA049MEWV4OpCwsNyC9Kn2d")
        .after("dev_after")
        .limit(200)
        .send()
        .await
        .unwrap();
    // The API takes one cursor at a time: the backward request goes separately.
    server
        .client
        .list_devices()
        .project("gigs")
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
        .project("gigs")
        .body_map(|body| {
            body.imei("492388841798923".to_owned())
                .name("Anna's iPhone 12 Pro".to_owned())
                .user("usr_0SNlurA049MEWV4OpCwsNyC9Kn2d".to_owned())
                .sims(vec!["sim_0SNlurA049MEWV1BAAmWZULA4lf6".to_owned()])
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
        .project("gigs")
        .device("dev_0SNlurA049MEWV55CrA9qMvI2FVJ")
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
        .project("gigs")
        .device("dev_0SNlurA049MEWV55CrA9qMvI2FVJ")
        .body_map(|body| {
            body.name("Anna's iPhone 12 Pro".to_owned())
                .user("usr_0SNlurA049MEWV4OpCwsNyC9Kn2d".to_owned())
                .sims(vec!["sim_0SNlurA049MEWV1BAAmWZULA4lf6".to_owned()])
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
        .project("gigs")
        .device("dev_0SNlurA049MEWV55CrA9qMvI2FVJ")
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
        .project("gigs")
        .body_map(|body| body.imei("492388841798923".to_owned()))
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
        .project("gigs")
        .provider(vec!["p9".to_owned(), "p3".to_owned()])
        .status(vec![SimStatus::Active, SimStatus::Retired])
        .type_(SimType::ESim)
        .user("usr_0SNlurA049MEWV4OpCwsNyC9Kn2d")
        .after("sim_after")
        .limit(1)
        .send()
        .await
        .unwrap();
    // The API takes one cursor at a time: the backward request goes separately.
    server
        .client
        .list_sims()
        .project("gigs")
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
        .project("gigs")
        .sim("sim_0SNlurA049MEWV1BAAmWZULA4lf6")
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
        .project("gigs")
        .sim("sim_0SNlurA049MEWV1BAAmWZULA4lf6")
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
        .project("gigs")
        .body_map(|body| {
            body.iccid("89883070000007537119".to_owned())
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
        .project("gigs")
        .sim("sim_0SNlurA049MEWV1BAAmWZULA4lf6")
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
        .project("gigs")
        .sim("sim_0SNlurA049MEWV1BAAmWZULA4lf6")
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
        .project("gigs")
        .user("usr_0SNlurA049MEWV4OpCwsNyC9Kn2d")
        .plan("pln_0SNlurA049MEWV3V0q7gjQbM4EVo")
        .sim("sim_0SNlurA049MEWV1BAAmWZULA4lf6")
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
        .project("gigs")
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
        .project("gigs")
        .body_map(|body| {
            body.plan("pln_0SNlurA049MEWV3V0q7gjQbM4EVo".to_owned())
                .user("usr_0SNlurA049MEWV4OpCwsNyC9Kn2d".to_owned())
                .sim("sim_0SNlurA049MEWV1BAAmWZULA4lf6".to_owned())
                .device("dev_0SNlurA049MEWV55CrA9qMvI2FVJ".to_owned())
                .device_model("dmd_0SNlurA04OUskUGfGAn3Rh".to_owned())
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
        .project("gigs")
        .subscription("sub_0SNlurA049MEWV2gSfSxi00xlPIi")
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
        .project("gigs")
        .subscription("sub_0SNlurA049MEWV2gSfSxi00xlPIi")
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
        .project("gigs")
        .body_map(|body| body.phone_number("+12065550123".to_owned()))
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
        .project("gigs")
        .subscription("sub_0SNlurA049MEWV2gSfSxi00xlPIi")
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
        .project("gigs")
        .subscription("sub_0SNlurA049MEWV2gSfSxi00xlPIi")
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
        .project("gigs")
        .subscription("sub_0SNlurA049MEWV2gSfSxi00xlPIi")
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
        .project("gigs")
        .status(Vec::<SubscriptionStatus>::new())
        .send()
        .await
        .unwrap();
    let requests = server.server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = Server::for_operation("retrieveDevice").await;
    server
        .client
        .retrieve_device()
        .project("gigs")
        .device("../x/a b?c=d#e")
        .send()
        .await
        .unwrap();
    let requests = server.server.received_requests().await.unwrap();
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
        .project("gigs")
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
    assert!(server.server.received_requests().await.unwrap().is_empty());
}
