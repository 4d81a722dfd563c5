//! Updates whose effect is the state they leave: `--clear-<flag>` (null), `--no-<flag>` (`[]`)
//! and `--body` run against gigs-testing's stateful fake, which is then asked what it holds.

use gigs_testing::{FakeGigs, Seed};

use crate::support::gigs;

/// The seed file's device: named, owned by a user, holding the seed's eSIM.
const DEVICE: &str = "dev_0SNlurA049MEWV55CrA9qMvI2FVJ";
const ESIM: &str = "sim_0SNlurA049MEWV1BAAmWZULA4lf6";

/// A fake with gigs-testing's seed file (project `gigs`), checked to hold what the tests change.
async fn seeded_fake() -> FakeGigs {
    let seed_file = concat!(env!("CARGO_MANIFEST_DIR"), "/../gigs-testing/seed.json");
    let seed = Seed::from_file(std::path::Path::new(seed_file)).expect("the seed file loads");
    let fake = FakeGigs::builder()
        .seed(seed)
        .start()
        .await
        .expect("the fake starts");
    let device = fake.device(DEVICE).expect("the seeded device");
    assert!(device.name.is_some() && device.user.is_some(), "{device:?}");
    assert_eq!(device.sims.len(), 1, "{device:?}");
    fake
}

#[tokio::test(flavor = "multi_thread")]
async fn clear_flags_null_the_fields_and_the_empty_list_flag_detaches_every_sim() {
    let fake = seeded_fake().await;
    let base_url = fake.base_url();
    let output = gigs(&[
        "devices",
        "update",
        DEVICE,
        "--clear-name",
        "--clear-user",
        "--no-sims",
        "-o",
        "json",
    ])
    .at_url(&base_url)
    .run()
    .await;
    output.assert_code(0);
    let printed = output.json();
    assert_eq!(printed["name"], serde_json::Value::Null, "{printed:#}");
    assert_eq!(printed["sims"], serde_json::json!([]), "{printed:#}");

    let device = fake.device(DEVICE).unwrap();
    assert_eq!(device.name, None);
    assert!(device.user.is_none(), "{device:?}");
    assert!(device.sims.is_empty(), "{device:?}");
    // Detached for real: the SIM can go into another device.
    let created = gigs(&[
        "devices",
        "create",
        "--imei",
        "492388841798924",
        "--sims",
        ESIM,
        "-o",
        "json",
    ])
    .at_url(&base_url)
    .run()
    .await;
    created.assert_code(0);
    assert_eq!(created.json()["sims"][0]["id"], ESIM);
}

#[tokio::test(flavor = "multi_thread")]
async fn flags_left_out_leave_fields_alone() {
    let fake = seeded_fake().await;
    let before = fake.device(DEVICE).unwrap();
    gigs(&[
        "devices",
        "update",
        DEVICE,
        "--name",
        "Work phone",
        "-o",
        "json",
    ])
    .at_url(&fake.base_url())
    .run()
    .await
    .assert_code(0);
    let after = fake.device(DEVICE).unwrap();
    assert_eq!(after.name.as_deref(), Some("Work phone"));
    assert_eq!(after.user, before.user);
    assert_eq!(after.sims, before.sims);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_value_flag_is_a_value_even_when_it_reads_null() {
    // Why clearing has a flag of its own: `null` is a name like any other.
    let fake = seeded_fake().await;
    gigs(&["devices", "update", DEVICE, "--name", "null", "-o", "json"])
        .at_url(&fake.base_url())
        .run()
        .await
        .assert_code(0);
    assert_eq!(fake.device(DEVICE).unwrap().name.as_deref(), Some("null"));
}

#[tokio::test(flavor = "multi_thread")]
async fn body_from_stdin_keeps_null_and_the_empty_list() {
    let fake = seeded_fake().await;
    let before = fake.device(DEVICE).unwrap();
    gigs(&["devices", "update", DEVICE, "--body", "-", "-o", "json"])
        .at_url(&fake.base_url())
        .stdin(r#"{"name": null, "sims": []}"#)
        .run()
        .await
        .assert_code(0);
    let after = fake.device(DEVICE).unwrap();
    assert_eq!(after.name, None);
    assert!(after.sims.is_empty(), "{after:?}");
    assert_eq!(after.user, before.user, "left out of the body, left alone");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clear_flag_wins_over_the_body_like_every_flag() {
    let fake = seeded_fake().await;
    gigs(&[
        "devices",
        "update",
        DEVICE,
        "--body",
        "-",
        "--clear-name",
        "-o",
        "json",
    ])
    .at_url(&fake.base_url())
    .stdin(r#"{"name": "From the file"}"#)
    .run()
    .await
    .assert_code(0);
    assert_eq!(fake.device(DEVICE).unwrap().name, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clear_or_empty_flag_beside_a_value_is_a_usage_error() {
    let fake = seeded_fake().await;
    let before = fake.device(DEVICE).unwrap();
    for args in [
        &["devices", "update", DEVICE, "--clear-name", "--name", "x"][..],
        &["devices", "update", DEVICE, "--no-sims", "--sims", ESIM],
        &[
            "devices",
            "create",
            "--imei",
            "492388841798924",
            "--clear-sims",
            "--no-sims",
        ],
    ] {
        let output = gigs(args).at_url(&fake.base_url()).run().await;
        output.assert_code(2);
        assert!(
            output.stderr.contains("cannot be used with"),
            "{args:?}: {}",
            output.stderr
        );
    }
    assert_eq!(fake.device(DEVICE).unwrap(), before, "nothing was sent");
    assert_eq!(fake.calls("updateDevice") + fake.calls("createDevice"), 0);
}
