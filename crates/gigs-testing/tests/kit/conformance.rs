//! Independent conformance: Prism in proxy mode in front of the fake checks every request and
//! response of every operation of the generated table `gigs_testing::OPERATIONS` (driven
//! through gigs, or from the spec's examples for one the scenario does not know) against
//! openapi.yaml; any violation it logs fails the test. Also checks that the proxy does catch a
//! server that breaks the spec, so that a passing run means something.

use std::collections::HashMap;

use gigs::{Call, Gigs, RetryPolicy};
use gigs_client::types::{
    CancelSubscriptionRequest, CreateDeviceRequest, CreateSubscriptionRequest, CreateUserRequest,
    EndSubscriptionRequest, SearchDeviceModelsRequest, SearchDevicesRequest, SearchSimsRequest,
    SearchSubscriptionsRequest, SearchUsersRequest, SubscriptionCancellationDetailsInput,
    SubscriptionCancellationUserReason, UpdateDeviceRequest, UpdateSimRequest,
    UpdateSubscriptionRequest, UpdateUserRequest,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::ids::{ESIM, IMEI, PLAN, PSIM, SUBSCRIPTION, USER};
use crate::prism_proxy::PrismProxy;
use crate::seeded;

fn through(proxy: &PrismProxy) -> Gigs {
    Gigs::builder()
        .token("test")
        .base_url(proxy.base_url())
        .project("gigs")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_conforms_through_a_prism_proxy() {
    let fake = seeded().await;
    let Some(proxy) = PrismProxy::start(&fake.base_url()) else {
        return;
    };
    let gigs = through(&proxy);
    let client = gigs.client();
    let metadata =
        || gigs_client::types::Metadata(HashMap::from([("k".to_owned(), "v".to_owned())]));
    let fail = |operation: &str, error: gigs::Error| -> ! {
        panic!(
            "{operation} through Prism: {error}\nPrism printed:\n{}",
            proxy.output()
        )
    };
    macro_rules! ok {
        ($operation:literal, $call:expr) => {
            match $call.await {
                Ok(value) => value,
                Err(error) => fail($operation, error),
            }
        };
    }

    ok!(
        "listDeviceModelBrands",
        client.list_device_model_brands().call()
    );
    let models = ok!(
        "listDeviceModels",
        client.list_device_models().limit(5).call()
    );
    ok!(
        "retrieveDeviceModel",
        client
            .retrieve_device_model()
            .device_model(&models.items[0].id)
            .call()
    );
    ok!(
        "searchDeviceModels",
        client
            .search_device_models()
            .body(SearchDeviceModelsRequest::builder().imei(IMEI))
            .call()
    );

    ok!("listDevices", gigs.devices().list().user(USER).call());
    let device = ok!(
        "createDevice",
        gigs.devices()
            .create()
            .body(
                CreateDeviceRequest::builder()
                    .imei("492388841798924")
                    .name("Conformance".to_owned())
                    .user(USER.to_owned())
                    .sims(vec![ESIM.to_owned()])
                    .metadata(Some(metadata()))
            )
            .call()
    );
    ok!(
        "searchDevices",
        gigs.devices()
            .search()
            .body(SearchDevicesRequest::builder().imei("492388841798924"))
            .call()
    );
    ok!("retrieveDevice", gigs.devices().retrieve(&device.id).call());
    let update: UpdateDeviceRequest = serde_json::from_value(
        serde_json::json!({"name": null, "metadata": {"k": null}, "sims": []}),
    )
    .unwrap();
    ok!(
        "updateDevice",
        gigs.devices().update(&device.id).body(update).call()
    );
    ok!("deleteDevice", gigs.devices().delete(&device.id).call());

    ok!(
        "listSims",
        gigs.sims()
            .list()
            .status(vec!["active".into(), "inactive".into()])
            .limit(50)
            .call()
    );
    ok!(
        "searchSims",
        gigs.sims()
            .search()
            .body(SearchSimsRequest::builder().iccid("89883070000007537119"))
            .call()
    );
    ok!("retrieveSim", gigs.sims().retrieve(PSIM).call());
    let update: UpdateSimRequest =
        serde_json::from_value(serde_json::json!({"metadata": {"k": "v"}})).unwrap();
    ok!("updateSim", gigs.sims().update(ESIM).body(update).call());
    ok!(
        "retrieveSimCredentials",
        gigs.sims().retrieve_credentials(ESIM).call()
    );
    ok!(
        "retrieveESimProfile",
        gigs.sims().retrieve_e_sim_profile(ESIM).call()
    );

    ok!(
        "listSubscriptions",
        gigs.subscriptions().list().user(USER).plan(PLAN).call()
    );
    let created = ok!(
        "createSubscription",
        gigs.subscriptions()
            .create()
            .body(
                CreateSubscriptionRequest::builder()
                    .plan(PLAN)
                    .user(USER)
                    .metadata(Some(metadata()))
            )
            .call()
    );
    ok!(
        "searchSubscriptions",
        gigs.subscriptions()
            .search()
            .body(SearchSubscriptionsRequest::builder().phone_number("+19591234567"))
            .call()
    );
    ok!(
        "retrieveSubscription",
        gigs.subscriptions().retrieve(SUBSCRIPTION).call()
    );
    let update: UpdateSubscriptionRequest =
        serde_json::from_value(serde_json::json!({"metadata": {"k": null, "n": "1"}})).unwrap();
    ok!(
        "updateSubscription",
        gigs.subscriptions().update(&created.id).body(update).call()
    );
    let details = || SubscriptionCancellationDetailsInput {
        user_comment: gigs_client::Patch::Set("moving abroad".to_owned()),
        user_reason: SubscriptionCancellationUserReason::Other,
    };
    ok!(
        "cancelSubscription",
        gigs.subscriptions()
            .cancel(&created.id)
            .body(CancelSubscriptionRequest::builder().cancellation_details(details()))
            .call()
    );
    ok!(
        "resumeSubscription",
        gigs.subscriptions().resume(&created.id).call()
    );
    ok!(
        "endSubscription",
        gigs.subscriptions()
            .end(&created.id)
            .body(EndSubscriptionRequest::builder().cancellation_details(details()))
            .call()
    );

    ok!("listPlans", gigs.plans().list().limit(5).call());
    ok!(
        "listPlans",
        gigs.plans()
            .list()
            .status(vec!["available".into(), "archived".into()])
            .provider(vec!["p5".to_owned()])
            .sim_type(vec!["eSIM".into()])
            .call()
    );
    ok!("retrievePlan", gigs.plans().retrieve(PLAN).call());

    ok!("listUsers", gigs.users().list().limit(5).call());
    let user = ok!(
        "createUser",
        gigs.users()
            .create()
            .body(
                CreateUserRequest::builder()
                    .email("conformance@example.com")
                    .full_name("Conformance".to_owned())
                    .birthday(chrono::NaiveDate::from_ymd_opt(1990, 5, 17).unwrap())
                    .preferred_locale(Some("en-GB".to_owned()))
                    .metadata(Some(metadata()))
            )
            .call()
    );
    ok!(
        "searchUsers",
        gigs.users()
            .search()
            .body(SearchUsersRequest::builder().email("conformance@example.com"))
            .call()
    );
    ok!("retrieveUser", gigs.users().retrieve(&user.id).call());
    let update: UpdateUserRequest = serde_json::from_value(
        serde_json::json!({"fullName": null, "birthday": null, "metadata": {"k": null}}),
    )
    .unwrap();
    ok!(
        "updateUser",
        gigs.users().update(&user.id).body(update).call()
    );
    ok!("deleteUser", gigs.users().delete(&user.id).call());
    ok!("retrieveUser", gigs.users().retrieve(&user.id).call());

    // Every operation of the generated table, those the scenario above does not drive (an
    // operation new in the spec, answered from its example) from their documented path and
    // request example.
    let http = reqwest::Client::new();
    for operation in gigs_testing::OPERATIONS {
        if fake.calls(operation.id) == 0 {
            let method = reqwest::Method::from_bytes(operation.method.as_bytes()).unwrap();
            let mut request = http
                .request(
                    method,
                    format!("{}{}", proxy.base_url(), operation.example_path()),
                )
                .bearer_auth("test");
            if let Some(body) = operation.request_example {
                request = request
                    .header("content-type", "application/json")
                    .body(body);
            }
            let response = request.send().await.expect("Prism answers");
            assert!(
                response.status().is_success(),
                "{} through Prism: {}\nPrism printed:\n{}",
                operation.id,
                response.status(),
                proxy.output()
            );
        }
        assert!(
            fake.calls(operation.id) >= 1,
            "{} never reached the fake through Prism",
            operation.id
        );
    }

    // Documented error answers conform too, and come from the fake (its own codes).
    let missing = gigs
        .subscriptions()
        .retrieve("sub_missing")
        .call()
        .await
        .unwrap_err();
    assert_eq!(
        (missing.status().map(|s| s.as_u16()), missing.code()),
        (Some(404), Some("notFound"))
    );
    let ended = gigs
        .subscriptions()
        .resume(&created.id)
        .call()
        .await
        .unwrap_err();
    assert_eq!(
        ended.code(),
        Some("subscriptionEnded"),
        "{ended}\n{}",
        proxy.output()
    );
    // Every violation fails: the spec writes its nullable references so that Prism (and any
    // validator reading OpenAPI 3.0.3's `nullable`) accepts the documented nulls.
    let violations = proxy.violations();
    assert!(
        violations.is_empty(),
        "Prism found violations:\n{violations:#?}\nPrism printed:\n{}",
        proxy.output()
    );
}

/// A server that answers every request with a 200 that is no subscription.
async fn broken_upstream() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0_u8; 4096];
                let _ = stream.read(&mut buffer).await;
                let body = r#"{"object":"subscription","id":7}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_proxy_catches_a_response_that_breaks_the_spec() {
    let upstream = broken_upstream().await;
    let Some(proxy) = PrismProxy::start(&upstream) else {
        return;
    };
    let error = through(&proxy)
        .subscriptions()
        .retrieve(SUBSCRIPTION)
        .call()
        .await
        .unwrap_err();
    assert!(matches!(error, gigs::Error::Decode { .. }), "{error}");
    let broken_id = |v: &str| v.starts_with("response.body.id ");
    let violations = proxy.violations_once(broken_id, std::time::Duration::from_secs(10));
    assert!(
        violations.iter().any(|v| broken_id(v)),
        "Prism did not report the broken `id`: {violations:#?}"
    );
}
