//! The whole flow around a subscription with the command line alone, against gigs-testing's
//! stateful fake (seeded with its seed file's plan): create a user, list the available plans
//! and pick one, create a device for the user, subscribe, list the user's subscriptions, cancel.

use gigs_testing::{FakeGigs, Seed};
use serde_json::Value;

use crate::support::gigs;

/// Runs `gigs <args> -o json` against `base_url`, expects success and returns the JSON printed.
async fn json(base_url: &str, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["-o", "json"]);
    let output = gigs(&args).at_url(base_url).run().await;
    output.assert_code(0);
    output.json()
}

fn id(value: &Value) -> String {
    value["id"]
        .as_str()
        .expect("an object with an id")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn subscribe_a_new_user_with_the_command_line_alone() {
    let seed_file = concat!(env!("CARGO_MANIFEST_DIR"), "/../gigs-testing/seed.json");
    let seed = Seed::from_file(std::path::Path::new(seed_file)).expect("the seed file loads");
    let fake = FakeGigs::builder()
        .seed(seed)
        .start()
        .await
        .expect("the fake starts");
    let url = fake.base_url();

    let user = json(
        &url,
        &[
            "users",
            "create",
            "--email",
            "elaine@example.com",
            "--full-name",
            "Elaine Benes",
        ],
    )
    .await;
    let user_id = id(&user);
    assert_eq!(user["status"], "active", "{user:#}");

    let plans = json(
        &url,
        &[
            "plans",
            "list",
            "--status",
            "available",
            "--sim-type",
            "eSIM",
        ],
    )
    .await;
    let plan = &plans["items"][0];
    assert_eq!(plan["status"], "available", "{plans:#}");
    let plan_id = id(plan);

    let device = json(
        &url,
        &[
            "devices",
            "create",
            "--imei",
            "492388841798924",
            "--user",
            &user_id,
            "--name",
            "Elaine's phone",
        ],
    )
    .await;
    let device_id = id(&device);
    assert_eq!(device["user"]["id"], user_id.as_str());

    let subscription = json(
        &url,
        &[
            "subscriptions",
            "create",
            "--plan",
            &plan_id,
            "--user",
            &user_id,
            "--device",
            &device_id,
        ],
    )
    .await;
    let subscription_id = id(&subscription);
    assert_eq!(subscription["plan"]["id"], plan_id.as_str());
    assert_eq!(subscription["user"]["id"], user_id.as_str());

    let listed = json(&url, &["subscriptions", "list", "--user", &user_id]).await;
    let listed: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [subscription_id.as_str()]);

    let canceled = json(
        &url,
        &[
            "subscriptions",
            "cancel",
            &subscription_id,
            "--cancellation-details",
            r#"{"userReason": "tooExpensive"}"#,
        ],
    )
    .await;
    assert!(canceled["canceledAt"].is_string(), "{canceled:#}");
    assert_eq!(
        canceled["cancellationDetails"]["userReason"],
        "tooExpensive"
    );
    let stored = fake
        .subscription(&subscription_id)
        .expect("the fake holds it");
    assert!(stored.canceled_at.is_some());
    assert_eq!(
        fake.user(&user_id).unwrap().full_name.as_deref(),
        Some("Elaine Benes")
    );
}
