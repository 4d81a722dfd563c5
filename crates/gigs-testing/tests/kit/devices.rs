//! Devices and device models through gigs: create, list with filters, update (metadata `null`
//! deletes a key, `name: null` clears), delete (the device is returned, then 404), searches.

use std::collections::HashMap;

use gigs::Call;
use gigs_client::types::{
    CreateDeviceRequest, SearchDeviceModelsRequest, SearchDevicesRequest, UpdateDeviceRequest,
};

use crate::ids::{DEVICE, ESIM, IMEI, PSIM, USER};
use crate::seeded;

#[tokio::test]
async fn create_list_update_delete() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let created = gigs
        .devices()
        .create()
        .body(
            CreateDeviceRequest::builder()
                .imei("492388841798924")
                .name("Work phone".to_owned())
                .user(USER.to_owned())
                .sims(vec![ESIM.to_owned()])
                .metadata(Some(gigs_client::types::Metadata(HashMap::from([
                    ("team".to_owned(), "ops".to_owned()),
                    ("old".to_owned(), "x".to_owned()),
                ])))),
        )
        .call()
        .await
        .unwrap();
    assert_eq!(created.user.as_ref().unwrap().id, USER);
    assert_eq!(created.sims[0].id, ESIM);
    assert_eq!(
        created.model.as_ref().map(|m| m.name.as_str()),
        Some("iPhone 12 Pro"),
        "the model comes from the IMEI's type allocation code"
    );

    let listed = gigs.devices().list().call().await.unwrap();
    assert_eq!(listed.items[0].id, created.id, "newest first");
    assert_eq!(listed.items.len(), 2);
    let by_user = gigs.devices().list().user(USER).call().await.unwrap();
    assert_eq!(by_user.items.len(), 2);
    let by_sim = gigs.devices().list().sim(ESIM).call().await.unwrap();
    assert_eq!(
        by_sim.items.len(),
        2,
        "the seeded device holds the eSIM too"
    );

    let update: UpdateDeviceRequest = serde_json::from_value(serde_json::json!({
        "metadata": {"old": null, "new": "1"},
    }))
    .unwrap();
    let updated = gigs
        .devices()
        .update(&created.id)
        .body(update)
        .call()
        .await
        .unwrap();
    assert_eq!(
        updated.name.as_deref(),
        Some("Work phone"),
        "keys left out are not changed"
    );
    assert_eq!(
        updated.metadata.0,
        HashMap::from([
            ("team".to_owned(), "ops".to_owned()),
            ("new".to_owned(), "1".to_owned())
        ])
    );
    assert_eq!(updated.sims.len(), 1, "keys left out are not changed");
    assert_eq!(fake.device(&created.id).unwrap().metadata, updated.metadata);

    // gigs leaves a `None` name out of the body; `null` itself clears it.
    let path = format!("/projects/gigs/devices/{}", created.id);
    let (status, _, body) = crate::raw(
        &fake,
        reqwest::Method::PATCH,
        &path,
        Some(r#"{"name": null}"#),
        true,
    )
    .await;
    assert_eq!((status, &body["name"]), (200, &serde_json::Value::Null));
    assert_eq!(fake.device(&created.id).unwrap().name, None);

    let deleted = gigs.devices().delete(&created.id).call().await.unwrap();
    assert_eq!(deleted.id, created.id);
    let again = gigs
        .devices()
        .retrieve(&created.id)
        .call()
        .await
        .unwrap_err();
    assert!(again.is_not_found(), "{again}");
    assert!(fake.device(&created.id).is_none());
}

#[tokio::test]
async fn a_psim_goes_into_one_device_only() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let create = || {
        gigs.devices().create().body(
            CreateDeviceRequest::builder()
                .imei(IMEI)
                .sims(vec![PSIM.to_owned()]),
        )
    };
    create().call().await.unwrap();
    let error = create().call().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    assert_eq!(error.code(), Some("simAlreadyAttached"));
}

#[tokio::test]
async fn searches_by_imei() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let found = gigs
        .devices()
        .search()
        .body(SearchDevicesRequest::builder().imei(IMEI))
        .call()
        .await
        .unwrap();
    assert_eq!(
        found
            .items
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>(),
        [DEVICE]
    );
    let none = gigs
        .devices()
        .search()
        .body(SearchDevicesRequest::builder().imei("111111111111111"))
        .call()
        .await
        .unwrap();
    assert!(none.items.is_empty());
    let models = gigs
        .client()
        .search_device_models()
        .body(SearchDeviceModelsRequest::builder().imei("492388849999999"))
        .call()
        .await
        .unwrap();
    assert_eq!(models.items[0].id, "dmd_0SNlurA04OUskUGfGAn3Rh");
}

#[tokio::test]
async fn device_model_catalog_comes_from_the_spec_and_the_seed() {
    let fake = gigs_testing::FakeGigs::builder()
        .seed(
            gigs_testing::Seed::from_json(
                r#"{"deviceModels": [{"object": "deviceModel", "id": "dmd_pixel", "brand": "Google",
                    "name": "Pixel 8", "simTypes": ["eSIM"], "type": "smartphone"}]}"#,
            )
            .unwrap(),
        )
        .start()
        .await
        .unwrap();
    let client = fake.gigs();
    let brands = client
        .client()
        .list_device_model_brands()
        .call()
        .await
        .unwrap();
    assert_eq!(brands.items, ["Apple", "Google"], "sorted alphabetically");
    let models = client.client().list_device_models().call().await.unwrap();
    assert_eq!(models.items[0].id, "dmd_pixel", "newest first");
    let apple = client
        .client()
        .list_device_models()
        .brand(vec!["Apple".to_owned()])
        .call()
        .await
        .unwrap();
    assert_eq!(apple.items.len(), 1);
    let model = client
        .client()
        .retrieve_device_model()
        .device_model("dmd_pixel")
        .call()
        .await
        .unwrap();
    assert_eq!(model.name, "Pixel 8");
}
