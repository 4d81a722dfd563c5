//! Lists: newest first, `limit` and its default, `after`/`before` cursors and
//! `moreItemsAfter`/`moreItemsBefore` exactly as the API documents them, walked through gigs.

use futures::TryStreamExt;
use gigs::{Call, Paginate};
use gigs_client::types::{Sim, SimStatus};
use reqwest::Method;

use crate::raw;

/// `n` inactive eSIMs created one second apart (`sim_00` oldest).
fn sims(n: usize) -> Vec<Sim> {
    (0..n)
        .map(|index| {
            serde_json::from_value(serde_json::json!({
                "object": "sim",
                "id": format!("sim_{index:02}"),
                "createdAt": format!("2024-01-01T00:{:02}:{:02}Z", index / 60, index % 60),
                "iccid": format!("89883070000007{index:06}"),
                "provider": "p9",
                "status": "inactive",
                "type": "eSIM",
            }))
            .expect("a valid SIM")
        })
        .collect()
}

#[tokio::test]
async fn pages_are_newest_first_with_the_documented_cursors() {
    let fake = gigs_testing::FakeGigs::start().await;
    sims(25).into_iter().for_each(|sim| fake.insert_sim(sim));
    let gigs = fake.gigs();

    let first = gigs.sims().list().call().await.unwrap();
    let ids: Vec<&str> = first.items.iter().map(|sim| sim.id.as_str()).collect();
    assert_eq!(ids.len(), 10, "default limit is 10");
    assert_eq!(ids[0], "sim_24");
    assert_eq!(ids[9], "sim_15");
    assert_eq!(first.more_items_after.as_deref(), Some("sim_15"));
    assert_eq!(first.more_items_before, None);

    let second = gigs
        .sims()
        .list()
        .after("sim_15")
        .limit(10)
        .call()
        .await
        .unwrap();
    assert_eq!(second.items[0].id, "sim_14");
    assert_eq!(second.more_items_before.as_deref(), Some("sim_14"));
    assert_eq!(second.more_items_after.as_deref(), Some("sim_05"));

    let last = gigs.sims().list().after("sim_05").call().await.unwrap();
    assert_eq!(last.items.len(), 5);
    assert_eq!(last.more_items_after, None);
    assert_eq!(last.more_items_before.as_deref(), Some("sim_04"));

    let back = gigs
        .sims()
        .list()
        .before("sim_14")
        .limit(3)
        .call()
        .await
        .unwrap();
    let ids: Vec<&str> = back.items.iter().map(|sim| sim.id.as_str()).collect();
    assert_eq!(ids, ["sim_17", "sim_16", "sim_15"]);
    assert_eq!(back.more_items_before.as_deref(), Some("sim_17"));
    assert_eq!(back.more_items_after.as_deref(), Some("sim_15"));
}

#[tokio::test]
async fn items_walk_every_page_both_ways() {
    let fake = gigs_testing::FakeGigs::start().await;
    sims(45).into_iter().for_each(|sim| fake.insert_sim(sim));
    let gigs = fake.gigs();
    let forward: Vec<Sim> = gigs
        .sims()
        .list()
        .paginate()
        .limit(7)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = forward.iter().map(|sim| sim.id.clone()).collect();
    let expected: Vec<String> = (0..45).rev().map(|i| format!("sim_{i:02}")).collect();
    assert_eq!(ids, expected);
    let backward: Vec<Sim> = gigs
        .sims()
        .list()
        .paginate()
        .limit(7)
        .before("sim_00")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(backward.len(), 44, "everything newer than the oldest SIM");
}

#[tokio::test]
async fn limit_bounds_and_zero() {
    let fake = gigs_testing::FakeGigs::start().await;
    sims(3).into_iter().for_each(|sim| fake.insert_sim(sim));
    let (status, _, body) = raw(
        &fake,
        Method::GET,
        "/projects/gigs/sims?limit=0",
        None,
        true,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["items"].as_array().unwrap().len(), 0);
    let (status, _, body) = raw(
        &fake,
        Method::GET,
        "/projects/gigs/sims?limit=200",
        None,
        true,
    )
    .await;
    assert_eq!((status, body["items"].as_array().unwrap().len()), (200, 3));
    for bad in ["201", "-1", "ten"] {
        let path = format!("/projects/gigs/sims?limit={bad}");
        let (status, _, body) = raw(&fake, Method::GET, &path, None, true).await;
        assert_eq!(status, 400, "limit={bad}");
        assert_eq!(body["details"][0]["property"], "limit");
    }
}

#[tokio::test]
async fn sim_status_filter_defaults_to_inactive_and_active() {
    let fake = gigs_testing::FakeGigs::start().await;
    let mut all = sims(3);
    all[0].status = SimStatus::Retired;
    all[1].status = SimStatus::Active;
    all.into_iter().for_each(|sim| fake.insert_sim(sim));
    let gigs = fake.gigs();
    let default: Vec<Sim> = gigs.sims().list().items().try_collect().await.unwrap();
    assert_eq!(
        default.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["sim_02", "sim_01"]
    );
    let retired = gigs
        .sims()
        .list()
        .status(vec![SimStatus::Retired])
        .call()
        .await
        .unwrap();
    assert_eq!(retired.items.len(), 1);
    let both = gigs
        .sims()
        .list()
        .status(vec![SimStatus::Retired, SimStatus::Active])
        .call()
        .await
        .unwrap();
    assert_eq!(both.items.len(), 2);
}

#[tokio::test]
async fn unknown_cursors_and_filter_values_are_400s_naming_the_parameter() {
    let fake = gigs_testing::FakeGigs::start().await;
    for (path, property) in [
        ("/projects/gigs/sims?after=sim_nope", "after"),
        ("/projects/gigs/sims?status=lost", "status"),
        ("/projects/gigs/subscriptions?status=active,", "status"),
        ("/projects/gigs/devices?after=a&before=b", "before"),
        ("/deviceModels?type=spaceship", "type"),
        (
            "/projects/gigs/sims?status=active&status=inactive",
            "status",
        ),
    ] {
        let (status, _, body) = raw(&fake, Method::GET, path, None, true).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["object"], "error");
        assert_eq!(body["details"][0]["property"], property, "{path}: {body}");
    }
}
