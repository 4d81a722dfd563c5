//! Belongs here: tests against Prism (the independent mock that checks every request against
//! openapi.yaml), and the examples of `crates/gigs/examples` run against it.
//!
//! Contract tests against an independent mock: Stoplight Prism serves `openapi.yaml`, checks every
//! request against it, and answers with the spec's examples. Every one of the 32 operations is
//! called through the `gigs` SDK (resource groups, `.items()` and `.pages()` streams) and through
//! the generated `gigs_client::Client`, with every optional parameter and body field set at least
//! once. A request Prism finds in breach of the spec (`sl-violations`), or a response that does
//! not decode into the documented example, fails the test.
//!
//! Needs the Node tools: `npm ci --prefix tools`. Without them these tests are skipped with a
//! notice, unless `GIGS_CONTRACT_TESTS=1` is set (as `.ci/run` does), which makes them fail.

use std::collections::HashMap;
use std::fmt::Debug;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::process::Command;

use futures::{Stream, TryStreamExt};
use gigs::{Gigs, Paginate};
use gigs_client::operation::Operation;
use gigs_client::types::{
    self, DeviceModelType, PlanStatus, SimStatus, SimType, SubscriptionCancellationDetailsInput,
    SubscriptionCancellationUserReason, SubscriptionStatus,
};
use gigs_client::{Client, ResponseValue, RetryPolicy};
use gigs_tests::examples::{lost_fields, spec_example, success_examples};
use gigs_tests::fixtures::{cancellation_details, metadata, metadata_update};
use gigs_tests::operations::example_ids::{
    DEVICE, DEVICE_MODEL, EMAIL, ICCID, IMEI, PHONE_NUMBER, PLAN, PROJECT, SIM, SUBSCRIPTION, USER,
};
use gigs_tests::operations::{example_request, WithRequest, OPERATIONS};
use gigs_tests::prism::{self, Prism, VIOLATIONS_HEADER};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use serde::Serialize;
use serde_json::Value;

type ApiError = gigs_client::Error<types::Error>;
type ApiResult<T> = Result<ResponseValue<T>, ApiError>;

/// The shared Prism of this binary and clients pointed at it; `None` when the tests are skipped.
struct Contract {
    prism: &'static Prism,
    gigs: Gigs,
    client: Client,
}

impl Contract {
    fn connect() -> Option<Self> {
        Self::with_headers(HeaderMap::new())
    }

    /// Clients that send `extra` headers on every request (`Prefer: code=404`, ...).
    fn with_headers(extra: HeaderMap) -> Option<Self> {
        let prism = prism::shared()?;
        let gigs = Gigs::builder()
            .token("sk_test_contract")
            .project(PROJECT)
            .base_url(prism.base_url())
            .http_client_builder(reqwest::Client::builder().default_headers(extra.clone()))
            // The mock answers a preferred error status every time: retrying it proves nothing here.
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("an SDK client for the mock");
        let mut headers = extra;
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_static("Bearer sk_test_contract"),
        );
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("an HTTP client for the mock");
        let client = gigs_tests::server::client_without_retries(&prism.base_url(), http);
        Some(Self {
            prism,
            gigs,
            client,
        })
    }

    /// The body of a response that Prism accepted without reporting a violation.
    #[track_caller]
    fn accepted<T>(&self, result: ApiResult<T>) -> T {
        match result {
            Ok(response) => {
                if let Some(violations) = response.headers().get(VIOLATIONS_HEADER) {
                    panic!("Prism reported violations: {violations:?}");
                }
                response.into_inner()
            }
            Err(error) => panic!("{}", Self::describe(&error)),
        }
    }

    /// Every item of a stream, failing on the first error with what Prism said about it.
    async fn all<T>(&self, stream: impl Stream<Item = Result<T, gigs::Error>>) -> Vec<T> {
        match stream.try_collect().await {
            Ok(items) => items,
            Err(gigs::Error::Api(error)) => panic!(
                "Prism answered {}; body: {}",
                error.status(),
                String::from_utf8_lossy(error.raw_body())
            ),
            Err(error) => panic!("the stream failed: {error}"),
        }
    }

    fn describe(error: &ApiError) -> String {
        let (status, headers, body) = match error {
            gigs_client::Error::ErrorResponse(response) => (
                response.status(),
                response.headers(),
                format!("{:?}", **response),
            ),
            gigs_client::Error::UnexpectedResponse(response) => (
                response.status(),
                response.headers(),
                "(not read)".to_owned(),
            ),
            other => return format!("the request failed: {other}"),
        };
        format!(
            "Prism answered {status}; violations: {:?}; body: {body}",
            headers.get(VIOLATIONS_HEADER),
        )
    }
}

/// Asserts that `value`, written back to JSON, holds every field of one of the documented
/// success examples of `operation_id`: Prism served the example and the client read all of it.
#[track_caller]
fn assert_is_example(operation_id: &str, value: &impl Serialize) {
    let written = serde_json::to_value(value).unwrap();
    let examples = success_examples(operation_id);
    let differences: Vec<Vec<String>> = examples
        .iter()
        .map(|example| lost_fields(example, &written))
        .collect();
    assert!(
        differences.iter().any(Vec::is_empty),
        "{operation_id}: the response does not read as a documented example: {differences:?}"
    );
}

/// Like [`assert_is_example`], for the items of a list example.
#[track_caller]
fn assert_are_example_items<T: Serialize>(operation_id: &str, items: &[T]) {
    let written = serde_json::to_value(items).unwrap();
    let differences: Vec<Vec<String>> = success_examples(operation_id)
        .iter()
        .map(|example| lost_fields(&example["items"], &written))
        .collect();
    assert!(
        differences.iter().any(Vec::is_empty),
        "{operation_id}: the items do not read as a documented example: {differences:?}"
    );
}

// ---- Devices ----------------------------------------------------------------------------

#[tokio::test]
async fn list_device_model_brands() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let brands = contract.accepted(contract.gigs.devices().list_model_brands().send().await);
    assert_is_example("listDeviceModelBrands", &brands);
    let brands = contract.accepted(contract.client.list_device_model_brands().send().await);
    assert_is_example("listDeviceModelBrands", &brands);
}

#[tokio::test]
async fn list_device_models() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let filtered = || {
        contract
            .gigs
            .devices()
            .list_models()
            .type_(vec![
                DeviceModelType::Smartphone,
                DeviceModelType::FeaturePhone,
            ])
            .brand(vec!["Apple".to_owned(), "Samsung".to_owned()])
            .sim_type(vec![SimType::ESim, SimType::PSim])
    };
    let items = contract
        .all(filtered().paginate().after(DEVICE_MODEL).limit(50).items())
        .await;
    assert_are_example_items("listDeviceModels", &items);
    let pages = contract
        .all(filtered().paginate().before(DEVICE_MODEL).pages())
        .await;
    assert_eq!(pages.len(), 1, "the example has no further page");
    assert_are_example_items("listDeviceModels", &pages[0].items);

    let page = contract.accepted(
        contract
            .client
            .list_device_models()
            .type_(vec![DeviceModelType::Tablet])
            .brand(vec!["Apple".to_owned()])
            .sim_type(vec![SimType::ESim])
            .after(DEVICE_MODEL)
            .limit(200)
            .send()
            .await,
    );
    assert_is_example("listDeviceModels", &page);
    let page = contract.accepted(
        contract
            .client
            .list_device_models()
            .before(DEVICE_MODEL)
            .limit(1)
            .send()
            .await,
    );
    assert_is_example("listDeviceModels", &page);
}

#[tokio::test]
async fn search_device_models() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let found = contract.accepted(
        contract
            .gigs
            .devices()
            .search_models()
            .body_map(|body| body.imei(IMEI.to_owned()))
            .send()
            .await,
    );
    assert_is_example("searchDeviceModels", &found);
    let found = contract.accepted(
        contract
            .client
            .search_device_models()
            .body_map(|body| body.imei(IMEI.to_owned()))
            .send()
            .await,
    );
    assert_is_example("searchDeviceModels", &found);
}

#[tokio::test]
async fn retrieve_device_model() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let model = contract.accepted(
        contract
            .gigs
            .devices()
            .retrieve_model(DEVICE_MODEL)
            .send()
            .await,
    );
    assert_is_example("retrieveDeviceModel", &model);
    let model = contract.accepted(
        contract
            .client
            .retrieve_device_model()
            .device_model(DEVICE_MODEL)
            .send()
            .await,
    );
    assert_is_example("retrieveDeviceModel", &model);
}

#[tokio::test]
async fn list_devices() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let filtered = || contract.gigs.devices().list().sim(SIM).user(USER);
    let items = contract
        .all(filtered().paginate().after(DEVICE).limit(20).items())
        .await;
    assert_are_example_items("listDevices", &items);
    let pages = contract
        .all(filtered().paginate().before(DEVICE).prefetch(false).pages())
        .await;
    assert_eq!(pages.len(), 1, "the example has no further page");
    assert_are_example_items("listDevices", &pages[0].items);

    let page = contract.accepted(
        contract
            .client
            .list_devices()
            .project(PROJECT)
            .sim(SIM)
            .user(USER)
            .after(DEVICE)
            .limit(10)
            .send()
            .await,
    );
    assert_is_example("listDevices", &page);
    let page = contract.accepted(
        contract
            .client
            .list_devices()
            .project(PROJECT)
            .before(DEVICE)
            .send()
            .await,
    );
    assert_is_example("listDevices", &page);
}

#[tokio::test]
async fn create_device() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let device = contract.accepted(
        contract
            .gigs
            .devices()
            .create()
            .body_map(|body| body.imei(IMEI.to_owned()))
            .send()
            .await,
    );
    assert_is_example("createDevice", &device);
    let device = contract.accepted(
        contract
            .client
            .create_device()
            .project(PROJECT)
            .body_map(|body| {
                body.imei(IMEI.to_owned())
                    .user(USER.to_owned())
                    .sims(vec![SIM.to_owned()])
                    .name("Anna's iPhone 12 Pro".to_owned())
                    .metadata(metadata())
            })
            .send()
            .await,
    );
    assert_is_example("createDevice", &device);
}

#[tokio::test]
async fn search_devices() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let found = contract.accepted(
        contract
            .gigs
            .devices()
            .search()
            .body_map(|body| body.imei(IMEI.to_owned()))
            .send()
            .await,
    );
    assert_is_example("searchDevices", &found);
    let found = contract.accepted(
        contract
            .client
            .search_devices()
            .project(PROJECT)
            .body_map(|body| body.imei(IMEI.to_owned()))
            .send()
            .await,
    );
    assert_is_example("searchDevices", &found);
}

#[tokio::test]
async fn retrieve_device() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let device = contract.accepted(contract.gigs.devices().retrieve(DEVICE).send().await);
    assert_is_example("retrieveDevice", &device);
    let device = contract.accepted(
        contract
            .client
            .retrieve_device()
            .project(PROJECT)
            .device(DEVICE)
            .send()
            .await,
    );
    assert_is_example("retrieveDevice", &device);
}

#[tokio::test]
async fn update_device() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let device = contract.accepted(
        contract
            .gigs
            .devices()
            .update(DEVICE)
            .body_map(|body| body.name("Anna's phone".to_owned()))
            .send()
            .await,
    );
    assert_is_example("updateDevice", &device);
    let device = contract.accepted(
        contract
            .client
            .update_device()
            .project(PROJECT)
            .device(DEVICE)
            .body_map(|body| {
                body.name("Anna's iPhone 12 Pro".to_owned())
                    .metadata(metadata_update())
                    .sims(vec![SIM.to_owned()])
                    .user(USER.to_owned())
            })
            .send()
            .await,
    );
    assert_is_example("updateDevice", &device);
}

#[tokio::test]
async fn delete_device() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let device = contract.accepted(contract.gigs.devices().delete(DEVICE).send().await);
    assert_is_example("deleteDevice", &device);
    let device = contract.accepted(
        contract
            .client
            .delete_device()
            .project(PROJECT)
            .device(DEVICE)
            .send()
            .await,
    );
    assert_is_example("deleteDevice", &device);
}

// ---- SIMs -------------------------------------------------------------------------------

#[tokio::test]
async fn list_sims() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let filtered = || {
        contract
            .gigs
            .sims()
            .list()
            .provider(vec!["p9".to_owned(), "p5".to_owned()])
            .status(vec![SimStatus::Active, SimStatus::Inactive])
            .type_(SimType::ESim)
            .user(USER)
    };
    let items = contract
        .all(filtered().paginate().after(SIM).limit(100).items())
        .await;
    assert_are_example_items("listSims", &items);
    let pages = contract
        .all(filtered().paginate().before(SIM).pages())
        .await;
    assert_eq!(pages.len(), 1, "the example has no further page");
    assert_are_example_items("listSims", &pages[0].items);

    let page = contract.accepted(
        contract
            .client
            .list_sims()
            .project(PROJECT)
            .provider(vec!["p9".to_owned()])
            .status(vec![SimStatus::Retired])
            .type_(SimType::PSim)
            .user(USER)
            .after(SIM)
            .limit(5)
            .send()
            .await,
    );
    assert_is_example("listSims", &page);
    let page = contract.accepted(
        contract
            .client
            .list_sims()
            .project(PROJECT)
            .before(SIM)
            .send()
            .await,
    );
    assert_is_example("listSims", &page);
}

#[tokio::test]
async fn search_sims() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let found = contract.accepted(
        contract
            .gigs
            .sims()
            .search()
            .body_map(|body| body.iccid(ICCID.to_owned()))
            .send()
            .await,
    );
    assert_is_example("searchSims", &found);
    let found = contract.accepted(
        contract
            .client
            .search_sims()
            .project(PROJECT)
            .body_map(|body| body.iccid(ICCID.to_owned()).type_(vec![SimType::ESim]))
            .send()
            .await,
    );
    assert_is_example("searchSims", &found);
}

#[tokio::test]
async fn retrieve_sim() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let sim = contract.accepted(contract.gigs.sims().retrieve(SIM).send().await);
    assert_is_example("retrieveSim", &sim);
    let sim = contract.accepted(
        contract
            .client
            .retrieve_sim()
            .project(PROJECT)
            .sim(SIM)
            .send()
            .await,
    );
    assert_is_example("retrieveSim", &sim);
}

#[tokio::test]
async fn update_sim() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let sim = contract.accepted(
        contract
            .gigs
            .sims()
            .update(SIM)
            .body_map(|body| body.metadata(metadata_update()))
            .send()
            .await,
    );
    assert_is_example("updateSim", &sim);
    let sim = contract.accepted(
        contract
            .client
            .update_sim()
            .project(PROJECT)
            .sim(SIM)
            .body_map(|body| body)
            .send()
            .await,
    );
    assert_is_example("updateSim", &sim);
}

#[tokio::test]
async fn retrieve_sim_credentials() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let credentials =
        contract.accepted(contract.gigs.sims().retrieve_credentials(SIM).send().await);
    assert_is_example("retrieveSimCredentials", &credentials);
    let credentials = contract.accepted(
        contract
            .client
            .retrieve_sim_credentials()
            .project(PROJECT)
            .sim(SIM)
            .send()
            .await,
    );
    assert_is_example("retrieveSimCredentials", &credentials);
}

#[tokio::test]
async fn retrieve_e_sim_profile() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let profile = contract.accepted(
        contract
            .gigs
            .sims()
            .retrieve_e_sim_profile(SIM)
            .send()
            .await,
    );
    assert_is_example("retrieveESimProfile", &profile);
    let profile = contract.accepted(
        contract
            .client
            .retrieve_e_sim_profile()
            .project(PROJECT)
            .sim(SIM)
            .send()
            .await,
    );
    assert_is_example("retrieveESimProfile", &profile);
}

// ---- Subscriptions ----------------------------------------------------------------------

#[tokio::test]
async fn list_subscriptions() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let filtered = || {
        contract
            .gigs
            .subscriptions()
            .list()
            .plan(PLAN)
            .sim(SIM)
            .status(vec![
                SubscriptionStatus::Active,
                SubscriptionStatus::Pending,
            ])
            .user(USER)
    };
    let items = contract
        .all(filtered().paginate().after(SUBSCRIPTION).limit(25).items())
        .await;
    assert_are_example_items("listSubscriptions", &items);
    let pages = contract
        .all(filtered().paginate().before(SUBSCRIPTION).pages())
        .await;
    assert_eq!(pages.len(), 1, "the example has no further page");
    assert_are_example_items("listSubscriptions", &pages[0].items);

    let page = contract.accepted(
        contract
            .client
            .list_subscriptions()
            .project(PROJECT)
            .plan(PLAN)
            .sim(SIM)
            .status(vec![SubscriptionStatus::Ended])
            .user(USER)
            .after(SUBSCRIPTION)
            .limit(50)
            .send()
            .await,
    );
    assert_is_example("listSubscriptions", &page);
    let page = contract.accepted(
        contract
            .client
            .list_subscriptions()
            .project(PROJECT)
            .before(SUBSCRIPTION)
            .send()
            .await,
    );
    assert_is_example("listSubscriptions", &page);
}

#[tokio::test]
async fn create_subscription() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let subscription = contract.accepted(
        contract
            .gigs
            .subscriptions()
            .create()
            .body_map(|body| body.plan(PLAN.to_owned()).user(USER.to_owned()))
            .send()
            .await,
    );
    assert_is_example("createSubscription", &subscription);
    // `device` and `deviceModel` exclude each other: one request each.
    let subscription = contract.accepted(
        contract
            .client
            .create_subscription()
            .project(PROJECT)
            .body_map(|body| {
                body.plan(PLAN.to_owned())
                    .user(USER.to_owned())
                    .device(DEVICE.to_owned())
                    .sim(SIM.to_owned())
                    .metadata(metadata())
                    .porting("prt_0SNlurA049MEWV39s2kSYqaat7ZS".to_owned())
                    .user_address("adr_0SNlurA049MEWV5ELDmnaqVXgTFT".to_owned())
            })
            .send()
            .await,
    );
    assert_is_example("createSubscription", &subscription);
    let subscription = contract.accepted(
        contract
            .client
            .create_subscription()
            .project(PROJECT)
            .body_map(|body| {
                body.plan(PLAN.to_owned())
                    .user(USER.to_owned())
                    .device_model(DEVICE_MODEL.to_owned())
                    .sim("auto".to_owned())
            })
            .send()
            .await,
    );
    assert_is_example("createSubscription", &subscription);
}

#[tokio::test]
async fn search_subscriptions() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let found = contract.accepted(
        contract
            .gigs
            .subscriptions()
            .search()
            .body_map(|body| body.phone_number(PHONE_NUMBER.to_owned()))
            .send()
            .await,
    );
    assert_is_example("searchSubscriptions", &found);
    let found = contract.accepted(
        contract
            .client
            .search_subscriptions()
            .project(PROJECT)
            .body_map(|body| body.phone_number("+19591234567".to_owned()))
            .send()
            .await,
    );
    assert_is_example("searchSubscriptions", &found);
}

#[tokio::test]
async fn retrieve_subscription() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let subscription = contract.accepted(
        contract
            .gigs
            .subscriptions()
            .retrieve(SUBSCRIPTION)
            .send()
            .await,
    );
    assert_is_example("retrieveSubscription", &subscription);
    let subscription = contract.accepted(
        contract
            .client
            .retrieve_subscription()
            .project(PROJECT)
            .subscription(SUBSCRIPTION)
            .send()
            .await,
    );
    assert_is_example("retrieveSubscription", &subscription);
}

#[tokio::test]
async fn update_subscription() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let subscription = contract.accepted(
        contract
            .gigs
            .subscriptions()
            .update(SUBSCRIPTION)
            .body_map(|body| body.metadata(metadata_update()))
            .send()
            .await,
    );
    assert_is_example("updateSubscription", &subscription);
    let subscription = contract.accepted(
        contract
            .client
            .update_subscription()
            .project(PROJECT)
            .subscription(SUBSCRIPTION)
            .body_map(|body| body)
            .send()
            .await,
    );
    assert_is_example("updateSubscription", &subscription);
}

#[tokio::test]
async fn cancel_subscription() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let subscription = contract.accepted(
        contract
            .gigs
            .subscriptions()
            .cancel(SUBSCRIPTION)
            .body_map(|body| body.cancellation_details(cancellation_details()))
            .send()
            .await,
    );
    assert_is_example("cancelSubscription", &subscription);
    let subscription = contract.accepted(
        contract
            .client
            .cancel_subscription()
            .project(PROJECT)
            .subscription(SUBSCRIPTION)
            .body_map(|body| body)
            .send()
            .await,
    );
    assert_is_example("cancelSubscription", &subscription);
}

#[tokio::test]
async fn end_subscription() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let subscription = contract.accepted(
        contract
            .gigs
            .subscriptions()
            .end(SUBSCRIPTION)
            .body_map(|body| body)
            .send()
            .await,
    );
    assert_is_example("endSubscription", &subscription);
    let subscription = contract.accepted(
        contract
            .client
            .end_subscription()
            .project(PROJECT)
            .subscription(SUBSCRIPTION)
            .body_map(|body| {
                body.cancellation_details(SubscriptionCancellationDetailsInput {
                    user_reason: SubscriptionCancellationUserReason::TooExpensive,
                    user_comment: gigs_client::Patch::Keep,
                })
            })
            .send()
            .await,
    );
    assert_is_example("endSubscription", &subscription);
}

#[tokio::test]
async fn resume_subscription() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let subscription = contract.accepted(
        contract
            .gigs
            .subscriptions()
            .resume(SUBSCRIPTION)
            .send()
            .await,
    );
    assert_is_example("resumeSubscription", &subscription);
    let subscription = contract.accepted(
        contract
            .client
            .resume_subscription()
            .project(PROJECT)
            .subscription(SUBSCRIPTION)
            .send()
            .await,
    );
    assert_is_example("resumeSubscription", &subscription);
}

// ---- Users ------------------------------------------------------------------------------

fn birthday() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2017, 7, 21).unwrap()
}

#[tokio::test]
async fn list_users() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let items = contract
        .all(
            contract
                .gigs
                .users()
                .list()
                .paginate()
                .after(USER)
                .limit(20)
                .items(),
        )
        .await;
    assert_are_example_items("listUsers", &items);
    let pages = contract
        .all(contract.gigs.users().list().paginate().before(USER).pages())
        .await;
    assert_eq!(pages.len(), 1, "the example has no further page");
    assert_are_example_items("listUsers", &pages[0].items);

    let page = contract.accepted(
        contract
            .client
            .list_users()
            .project(PROJECT)
            .after(USER)
            .limit(10)
            .send()
            .await,
    );
    assert_is_example("listUsers", &page);
    let page = contract.accepted(
        contract
            .client
            .list_users()
            .project(PROJECT)
            .before(USER)
            .send()
            .await,
    );
    assert_is_example("listUsers", &page);
}

#[tokio::test]
async fn create_user() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let user = contract.accepted(
        contract
            .gigs
            .users()
            .create()
            .body_map(|body| body.email(EMAIL.to_owned()))
            .send()
            .await,
    );
    assert_is_example("createUser", &user);
    let user = contract.accepted(
        contract
            .client
            .create_user()
            .project(PROJECT)
            .body_map(|body| {
                body.email(EMAIL.to_owned())
                    .full_name("Jerry Seinfeld".to_owned())
                    .birthday(birthday())
                    .preferred_locale(Some("en-US".to_owned()))
                    .metadata(metadata())
            })
            .send()
            .await,
    );
    assert_is_example("createUser", &user);
    // Both nullable fields as `null`.
    let user = contract.accepted(
        contract
            .client
            .create_user()
            .project(PROJECT)
            .body_map(|body| {
                body.email(EMAIL.to_owned())
                    .full_name(gigs::Patch::Null)
                    .birthday(gigs::Patch::Null)
            })
            .send()
            .await,
    );
    assert_is_example("createUser", &user);
}

#[tokio::test]
async fn search_users() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let found = contract.accepted(
        contract
            .gigs
            .users()
            .search()
            .body_map(|body| body.email(EMAIL.to_owned()))
            .send()
            .await,
    );
    assert_is_example("searchUsers", &found);
    let found = contract.accepted(
        contract
            .client
            .search_users()
            .project(PROJECT)
            .body_map(|body| body.email(EMAIL.to_owned()))
            .send()
            .await,
    );
    assert_is_example("searchUsers", &found);
}

#[tokio::test]
async fn retrieve_user() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let user = contract.accepted(contract.gigs.users().retrieve(USER).send().await);
    assert_is_example("retrieveUser", &user);
    let user = contract.accepted(
        contract
            .client
            .retrieve_user()
            .project(PROJECT)
            .user(USER)
            .send()
            .await,
    );
    assert_is_example("retrieveUser", &user);
}

#[tokio::test]
async fn update_user() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let user = contract.accepted(
        contract
            .gigs
            .users()
            .update(USER)
            .body_map(|body| {
                body.full_name(gigs::Patch::Null)
                    .birthday(gigs::Patch::Null)
            })
            .send()
            .await,
    );
    assert_is_example("updateUser", &user);
    let user = contract.accepted(
        contract
            .client
            .update_user()
            .project(PROJECT)
            .user(USER)
            .body_map(|body| {
                body.email(Some(EMAIL.to_owned()))
                    .full_name("Jerry Seinfeld".to_owned())
                    .birthday(birthday())
                    .preferred_locale(Some("en-US".to_owned()))
                    .metadata(metadata_update())
            })
            .send()
            .await,
    );
    assert_is_example("updateUser", &user);
}

#[tokio::test]
async fn delete_user() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let user = contract.accepted(contract.gigs.users().delete(USER).send().await);
    assert_is_example("deleteUser", &user);
    assert_eq!(user.status, Some(types::UserStatus::Deleted));
    let user = contract.accepted(
        contract
            .client
            .delete_user()
            .project(PROJECT)
            .user(USER)
            .send()
            .await,
    );
    assert_is_example("deleteUser", &user);
}

// ---- Plans ------------------------------------------------------------------------------

#[tokio::test]
async fn list_plans() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let filtered = || {
        contract
            .gigs
            .plans()
            .list()
            .provider(vec!["p5".to_owned(), "p9".to_owned()])
            .sim_type(vec![SimType::ESim])
            .status(vec![PlanStatus::Available, PlanStatus::Archived])
    };
    let items = contract
        .all(filtered().paginate().after(PLAN).limit(20).items())
        .await;
    assert_are_example_items("listPlans", &items);
    let pages = contract
        .all(filtered().paginate().before(PLAN).pages())
        .await;
    assert_eq!(pages.len(), 1, "the example has no further page");
    assert_are_example_items("listPlans", &pages[0].items);

    let page = contract.accepted(
        contract
            .client
            .list_plans()
            .project(PROJECT)
            .provider(vec!["p5".to_owned()])
            .sim_type(vec![SimType::PSim])
            .status(vec![PlanStatus::Draft, PlanStatus::Pending])
            .after(PLAN)
            .limit(200)
            .send()
            .await,
    );
    assert_is_example("listPlans", &page);
    let page = contract.accepted(
        contract
            .client
            .list_plans()
            .project(PROJECT)
            .before(PLAN)
            .send()
            .await,
    );
    assert_is_example("listPlans", &page);
}

#[tokio::test]
async fn retrieve_plan() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let plan = contract.accepted(contract.gigs.plans().retrieve(PLAN).send().await);
    assert_is_example("retrievePlan", &plan);
    let plan = contract.accepted(
        contract
            .client
            .retrieve_plan()
            .project(PROJECT)
            .plan(PLAN)
            .send()
            .await,
    );
    assert_is_example("retrievePlan", &plan);
}

// ---- Every operation, from the generated table -------------------------------------------

/// Sends an example request and returns its body as JSON, or why Prism did not accept it.
struct SendAccepted;

impl<'a> WithRequest<'a> for SendAccepted {
    type Output = Pin<Box<dyn Future<Output = Result<Value, String>> + Send + 'a>>;

    fn request<O>(self, request: O) -> Self::Output
    where
        O: Operation<ErrorBody = types::Error> + 'a,
        O::Response: Serialize,
    {
        Box::pin(async move {
            match request.send_request().await {
                Ok(response) => match response.headers().get(VIOLATIONS_HEADER) {
                    Some(violations) => Err(format!("Prism reported violations: {violations:?}")),
                    None => Ok(serde_json::to_value(response.into_inner()).unwrap()),
                },
                Err(error) => Err(Contract::describe(&error)),
            }
        })
    }
}

/// The table's request of every operation, with only its required parameters (the spec's
/// examples), is valid and reads back as a documented example: a new operation gets this
/// contract check without a hand-written test.
#[tokio::test]
async fn every_operation_with_only_its_required_parameters_is_accepted() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    for row in OPERATIONS {
        let send = example_request(&contract.client, row.operation_id, SendAccepted)
            .expect("the table builds a request for each of its operations");
        match send.await {
            Ok(body) => assert_is_example(row.operation_id, &body),
            Err(why) => panic!(
                "{} {} ({}): {why}",
                row.method, row.example_path, row.operation_id
            ),
        }
    }
}

// ---- Errors -----------------------------------------------------------------------------

/// Clients whose requests ask Prism for the documented response with this status.
fn preferring(status: u16) -> Option<Contract> {
    let prefer = HeaderValue::from_str(&format!("code={status}")).unwrap();
    Contract::with_headers(HeaderMap::from_iter([(
        HeaderName::from_static("prefer"),
        prefer,
    )]))
}

/// The documented error body, read into `types::Error`, of an error response with `status`.
#[track_caller]
fn expect_error_response<T: Debug>(result: ApiResult<T>, status: u16) -> types::Error {
    match result {
        Err(gigs_client::Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), status);
            assert!(
                response.headers().get(VIOLATIONS_HEADER).is_none(),
                "the request itself broke the spec: {:?}",
                response.headers().get(VIOLATIONS_HEADER)
            );
            response.into_inner()
        }
        other => panic!("expected a typed {status} error response, got {other:?}"),
    }
}

#[track_caller]
fn assert_is_error_example(response_name: &str, error: &types::Error) {
    let example = spec_example(&format!("response.{response_name}"));
    let written = serde_json::to_value(error).unwrap();
    let lost = lost_fields(&example, &written);
    assert!(lost.is_empty(), "{response_name}: {lost:?}");
}

#[tokio::test]
async fn a_documented_404_comes_back_as_the_typed_error() {
    let Some(contract) = preferring(404) else {
        return;
    };
    let error = expect_error_response(contract.gigs.sims().retrieve(SIM).send().await, 404);
    assert_is_error_example("NotFound", &error);
    let error = expect_error_response(
        contract
            .client
            .retrieve_subscription()
            .project(PROJECT)
            .subscription(SUBSCRIPTION)
            .send()
            .await,
        404,
    );
    assert_is_error_example("NotFound", &error);

    // Through a stream, the same error arrives as `gigs::Error::Api`.
    let streamed: Result<Vec<_>, _> = contract.gigs.devices().list().items().try_collect().await;
    match streamed {
        Err(gigs::Error::Api(error)) => {
            assert_eq!(error.status().as_u16(), 404);
            let body = error.body().expect("the 404 body is a Gigs error");
            assert_is_error_example("NotFound", body);
        }
        other => panic!("expected the 404 to end the stream, got {other:?}"),
    }
}

#[tokio::test]
async fn every_documented_error_status_reads_as_the_error_type() {
    for (status, name) in [
        (400, "BadRequest"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (409, "Conflict"),
        (422, "UnprocessableEntity"),
        (429, "TooManyRequests"),
        (500, "InternalServerError"),
    ] {
        let Some(contract) = preferring(status) else {
            return;
        };
        let error = expect_error_response(
            contract
                .client
                .update_device()
                .project(PROJECT)
                .device(DEVICE)
                .body_map(|body| body.name("Anna's phone".to_owned()))
                .send()
                .await,
            status,
        );
        assert_is_error_example(name, &error);
    }
}

/// The other tests are only as good as Prism's checks: a request that breaks the spec must come
/// back as an error carrying `sl-violations`, which `Contract::accepted` turns into a failure.
#[tokio::test]
async fn prism_reports_a_request_that_breaks_the_spec() {
    let Some(contract) = Contract::connect() else {
        return;
    };
    let result = contract
        .client
        .list_subscriptions()
        .project(PROJECT)
        .limit(500)
        .send()
        .await;
    let Err(gigs_client::Error::ErrorResponse(response)) = result else {
        panic!("a page size over 200 was accepted: {result:?}");
    };
    let violations = response
        .headers()
        .get(VIOLATIONS_HEADER)
        .expect("Prism lists the violations")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(violations.contains("limit"), "{violations}");
    assert_eq!(response.status().as_u16(), 422);

    let unauthenticated = gigs_tests::server::client(&contract.prism.base_url())
        .retrieve_sim()
        .project(PROJECT)
        .sim(SIM)
        .send()
        .await;
    let Err(gigs_client::Error::ErrorResponse(response)) = unauthenticated else {
        panic!("a request without an API key was accepted: {unauthenticated:?}");
    };
    assert_eq!(response.status().as_u16(), 401);
    assert!(response.headers().contains_key(VIOLATIONS_HEADER));
}

// ---- The harness and the examples ---------------------------------------------------------

#[test]
fn a_stopped_prism_leaves_no_process_behind() {
    if prism::shared().is_none() {
        return;
    }
    let prism = Prism::start(&gigs_tests::spec::spec_path()).expect("a second Prism starts");
    let (pid, address) = (prism.pid(), prism.address());
    assert!(std::net::TcpStream::connect(address).is_ok());
    drop(prism);
    assert!(
        std::net::TcpStream::connect(address).is_err(),
        "Prism still answers on {address} after it was stopped"
    );
    if cfg!(target_os = "linux") {
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "process {pid} is still there after Prism was stopped"
        );
    }
}

/// How the contract test runs each example of `crates/gigs/examples` against the mock: its
/// arguments, and a value from a documented response that its output must show.
fn example_runs() -> Vec<(&'static str, Vec<&'static str>, String)> {
    let example = |operation_id: &str, pointer: &str| {
        success_examples(operation_id)[0]
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{operation_id} example has {pointer}"))
            .to_owned()
    };
    vec![
        (
            "list_active_subscriptions",
            vec![],
            example("listSubscriptions", "/items/0/id"),
        ),
        (
            "create_device_and_attach_sim",
            vec![IMEI, ICCID],
            example("updateDevice", "/sims/0/id"),
        ),
        (
            "cancel_and_resume_subscription",
            vec![SUBSCRIPTION],
            example("resumeSubscription", "/id"),
        ),
        (
            "read_esim_credentials",
            vec![SIM],
            example("retrieveSimCredentials", "/activationCode"),
        ),
        // The example plan is also the seed's, so the fake's run shows it too.
        (
            "subscribe_flow",
            vec!["elaine@example.com", "492388841798924"],
            example("listPlans", "/items/0/id"),
        ),
    ]
}

#[test]
fn every_example_runs_against_the_mock() {
    let Some(prism) = prism::shared() else {
        return;
    };
    run_examples(&prism.base_url(), example_runs());
}

/// The examples against the consumer test kit's stateful fake, seeded with the spec's examples
/// (`crates/gigs-testing/seed.json`), a fresh fake for each example as a consumer's tests would
/// start one per test.
#[test]
fn every_example_runs_against_the_fake() {
    use gigs::Call as _;

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let seed_file = gigs_tests::prism::workspace_root().join("crates/gigs-testing/seed.json");
    let built = build_examples();
    let runs = example_runs();
    check_coverage(&built, &runs);
    for (name, args, expected) in runs {
        let seed = gigs_testing::Seed::from_file(&seed_file).expect("the seed file loads");
        let fake = runtime
            .block_on(
                gigs_testing::FakeGigs::builder()
                    .seed(seed)
                    .project(PROJECT)
                    .start(),
            )
            .expect("the fake starts");
        // The fake makes its own eSIM activation codes: the example must show the one it holds.
        let expected = if name == "read_esim_credentials" {
            let credentials = runtime
                .block_on(fake.gigs().sims().retrieve_credentials(SIM).call())
                .expect("the seeded eSIM has credentials");
            credentials
                .activation_code
                .expect("the seeded eSIM has an activation code")
        } else {
            expected
        };
        run_example(&built[name], name, &args, &expected, &fake.base_url());
    }
}

/// Runs every example of `crates/gigs/examples` against the API at `base_url`.
fn run_examples(base_url: &str, runs: Vec<(&'static str, Vec<&'static str>, String)>) {
    let built = build_examples();
    check_coverage(&built, &runs);
    for (name, args, expected) in runs {
        run_example(&built[name], name, &args, &expected, base_url);
    }
}

/// Every example has a run, and only those.
fn check_coverage(
    built: &HashMap<String, std::path::PathBuf>,
    runs: &[(&'static str, Vec<&'static str>, String)],
) {
    let mut names: Vec<&str> = built.keys().map(String::as_str).collect();
    names.sort_unstable();
    let mut covered: Vec<&str> = runs.iter().map(|(name, _, _)| *name).collect();
    covered.sort_unstable();
    assert_eq!(
        names, covered,
        "every example has a run here, and only those"
    );
}

/// Runs one example against `base_url` and checks it succeeds and shows `expected`.
fn run_example(
    executable: &std::path::Path,
    name: &str,
    args: &[&str],
    expected: &str,
    base_url: &str,
) {
    let output = Command::new(executable)
        .args(args)
        .env("GIGS_TOKEN", "sk_test_contract")
        .env("GIGS_PROJECT", PROJECT)
        .env("GIGS_BASE_URL", base_url)
        .output()
        .unwrap_or_else(|error| panic!("cannot run the {name} example: {error}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the {name} example failed against {base_url} ({}):\n{stdout}{stderr}",
        output.status,
    );
    assert!(
        stdout.contains(expected),
        "the {name} example does not show {expected} against {base_url}:\n{stdout}"
    );
}

/// Builds the `gigs` examples with the cargo running this test and returns each executable.
fn build_examples() -> HashMap<String, std::path::PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--package", "gigs", "--examples"])
        .arg("--message-format=json-render-diagnostics")
        .current_dir(gigs_tests::prism::workspace_root())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "building the examples failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact"
                && message["target"]["kind"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|kind| kind == "example"))
        })
        .filter_map(|message| {
            let name = message["target"]["name"].as_str()?.to_owned();
            let executable = message["executable"].as_str()?.into();
            Some((name, executable))
        })
        .collect()
}
