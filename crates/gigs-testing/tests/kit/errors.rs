//! Bad input and missing things, sent raw: every answer is a Gigs error body with the
//! documented status (401, 404, 400 for malformed JSON and parameters, 422 naming the
//! property), never a 500 or a dropped connection.

use reqwest::Method;

use crate::ids::{DEVICE, SUBSCRIPTION};
use crate::{raw, seeded};

fn assert_gigs_error(status: u16, body: &serde_json::Value, expected: u16, context: &str) {
    assert_eq!(status, expected, "{context}: {body}");
    assert_eq!(body["object"], "error", "{context}");
    assert!(
        body["type"].is_string() && body["code"].is_string(),
        "{context}: {body}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{context}"
    );
}

#[tokio::test]
async fn no_bearer_token_is_a_401() {
    let fake = seeded().await;
    let (status, _, body) = raw(&fake, Method::GET, "/projects/gigs/devices", None, false).await;
    assert_gigs_error(status, &body, 401, "no token");
    assert_eq!(body["type"], "unauthenticated");
}

#[tokio::test]
async fn unknown_ids_are_404s_and_unknown_projects_are_empty() {
    let fake = seeded().await;
    for path in [
        "/projects/gigs/devices/dev_nope",
        "/projects/gigs/sims/sim_nope",
        "/projects/gigs/sims/sim_nope/credentials",
        "/projects/gigs/subscriptions/sub_nope",
        "/deviceModels/dmd_nope",
        "/projects/other/devices/".to_owned().leak(),
        "/nothing/here",
    ] {
        let (status, _, body) = raw(&fake, Method::GET, path, None, true).await;
        assert_gigs_error(status, &body, 404, path);
    }
    let path = format!("/projects/other/devices/{DEVICE}");
    let (status, _, _) = raw(&fake, Method::GET, &path, None, true).await;
    assert_eq!(status, 404, "projects do not share objects");
    let (status, _, body) = raw(
        &fake,
        Method::GET,
        "/projects/other/subscriptions",
        None,
        true,
    )
    .await;
    assert_eq!((status, body["items"].as_array().unwrap().len()), (200, 0));
}

#[tokio::test]
async fn bad_bodies_are_400_or_422_naming_the_property() {
    let fake = seeded().await;
    let cancel = format!("/projects/gigs/subscriptions/{SUBSCRIPTION}/cancel");
    let cases: &[(&str, &str, u16, Option<&str>)] = &[
        ("/projects/gigs/devices", "{\"imei\": ", 400, None),
        ("/projects/gigs/devices", "[1, 2]", 400, None),
        ("/projects/gigs/devices", "\u{0}\u{1}", 400, None),
        ("/projects/gigs/devices", "{}", 422, Some("imei")),
        ("/projects/gigs/devices", "{\"imei\": 5}", 422, Some("imei")),
        (
            "/projects/gigs/devices",
            "{\"imei\": \"12\"}",
            422,
            Some("imei"),
        ),
        (
            "/projects/gigs/devices",
            "{\"imei\": \"492388841798923\", \"user\": \"usr_nope\"}",
            422,
            Some("user"),
        ),
        (
            "/projects/gigs/devices",
            "{\"imei\": \"492388841798923\", \"sims\": [\"sim_nope\"]}",
            422,
            Some("sims[0]"),
        ),
        (
            "/projects/gigs/devices",
            "{\"imei\": \"492388841798923\", \"metadata\": {\"k\": 1}}",
            422,
            Some("metadata.k"),
        ),
        (
            "/projects/gigs/sims/search",
            "{\"iccid\": \"abc\"}",
            422,
            Some("iccid"),
        ),
        (
            "/projects/gigs/subscriptions",
            "{\"user\": \"usr_0SNlurA049MEWV4OpCwsNyC9Kn2d\"}",
            422,
            Some("plan"),
        ),
        (
            "/projects/gigs/subscriptions/search",
            "{\"phoneNumber\": \"555\"}",
            422,
            Some("phoneNumber"),
        ),
        (
            &cancel,
            "{\"cancellationDetails\": {\"userReason\": 3}}",
            422,
            Some("cancellationDetails.userReason"),
        ),
        (
            "/deviceModels/search",
            "{\"imei\": null}",
            422,
            Some("imei"),
        ),
    ];
    for (path, body, expected, property) in cases {
        let (status, _, answer) = raw(&fake, Method::POST, path, Some(body), true).await;
        assert_gigs_error(status, &answer, *expected, &format!("POST {path} {body}"));
        if let Some(property) = property {
            assert_eq!(
                answer["details"][0]["property"], *property,
                "POST {path} {body}: {answer}"
            );
        }
    }
    let too_many: serde_json::Map<String, serde_json::Value> =
        (0..11).map(|i| (format!("k{i}"), "v".into())).collect();
    let body = serde_json::json!({"metadata": too_many}).to_string();
    let path = format!("/projects/gigs/devices/{DEVICE}");
    let (status, _, answer) = raw(&fake, Method::PATCH, &path, Some(&body), true).await;
    assert_gigs_error(status, &answer, 422, "11 metadata keys");
}

#[tokio::test]
async fn wrong_methods_and_ids_with_odd_characters_never_500() {
    let fake = seeded().await;
    let (status, _, body) = raw(&fake, Method::PUT, "/projects/gigs/devices", None, true).await;
    assert_gigs_error(status, &body, 405, "PUT");
    for path in [
        "/projects/gigs/devices/%FF%FE",
        "/projects/gigs/devices/a%2Fb",
        "/projects/%20/sims?limit=99999999999999999999999",
        "/projects/gigs/sims?after=%00",
    ] {
        let (status, _, body) = raw(&fake, Method::GET, path, None, true).await;
        assert!((400..500).contains(&status), "{path}: {status} {body}");
        assert_eq!(body["object"], "error");
    }
}

// What Schemathesis checks against the binary (tools/schemathesis), here in-process too.

#[tokio::test]
async fn a_fake_with_a_token_refuses_every_other_one() {
    let fake = gigs_testing::FakeGigs::builder()
        .token("sk_fake_only")
        .start()
        .await
        .unwrap();
    // `raw` sends `Bearer test`.
    let (status, _, body) = raw(&fake, Method::GET, "/projects/gigs/devices", None, true).await;
    assert_gigs_error(status, &body, 401, "another token");
    let answer = reqwest::Client::new()
        .get(format!("{}/projects/gigs/devices", fake.base_url()))
        .bearer_auth("sk_fake_only")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    use gigs::Call;
    assert!(
        fake.gigs().devices().list().call().await.is_ok(),
        "gigs() sends the fake's token"
    );
}

#[tokio::test]
async fn a_405_names_the_methods_of_the_path_that_routing_picks() {
    let fake = seeded().await;
    for (method, path, allow) in [
        (Method::PUT, "/projects/gigs/devices", "GET, POST"),
        (Method::GET, "/projects/gigs/sims/search", "POST"),
        (Method::DELETE, "/deviceModels/search", "POST"),
        (
            Method::POST,
            &*format!("/projects/gigs/devices/{DEVICE}"),
            "GET, DELETE, PATCH",
        ),
    ] {
        let (status, headers, body) = raw(&fake, method.clone(), path, None, true).await;
        if method == Method::GET {
            // GET /sims/search routes as retrieveSim with the id `search`: a 404.
            assert_eq!(status, 404, "{path}: {body}");
            continue;
        }
        assert_gigs_error(status, &body, 405, path);
        assert_eq!(headers["allow"], allow, "{method} {path}");
    }
}

#[tokio::test]
async fn a_required_body_left_out_is_a_400_and_null_where_the_spec_allows_none_a_422() {
    let fake = seeded().await;
    let path = format!("/projects/gigs/devices/{DEVICE}");
    let (status, _, body) = raw(&fake, Method::PATCH, &path, None, true).await;
    assert_gigs_error(status, &body, 400, "PATCH without a body");
    assert_eq!(body["code"], "missingBody");
    // Every body of the spec is required, cancel's too (whose fields are all optional: `{}`).
    let cancel = format!("/projects/gigs/subscriptions/{SUBSCRIPTION}/cancel");
    let (status, _, body) = raw(&fake, Method::POST, &cancel, None, true).await;
    assert_gigs_error(status, &body, 400, "cancel without a body");
    let (status, _, body) = raw(&fake, Method::POST, &cancel, Some("{}"), true).await;
    assert_eq!(status, 200, "{body}");

    let (status, _, body) = raw(
        &fake,
        Method::POST,
        "/projects/gigs/devices",
        Some(r#"{"imei": "356938035643809", "metadata": null}"#),
        true,
    )
    .await;
    assert_gigs_error(status, &body, 422, "metadata: null");
    assert_eq!(body["details"][0]["property"], "metadata");
    // `name` is nullable: null is fine.
    let (status, _, body) = raw(
        &fake,
        Method::POST,
        "/projects/gigs/devices",
        Some(r#"{"imei": "356938035643809", "name": null}"#),
        true,
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn an_update_of_more_than_ten_metadata_keys_is_a_422_deletions_included() {
    let fake = seeded().await;
    let changes: serde_json::Map<String, serde_json::Value> = (0..11)
        .map(|i| (format!("k{i}"), serde_json::Value::Null))
        .collect();
    let body = serde_json::json!({ "metadata": changes }).to_string();
    let path = format!("/projects/gigs/devices/{DEVICE}");
    let (status, _, answer) = raw(&fake, Method::PATCH, &path, Some(&body), true).await;
    assert_gigs_error(status, &answer, 422, "11 metadata deletions");
}
