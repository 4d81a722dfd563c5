//! Belongs here: the `gigs` crate's `.items()`/`.pages()` streams over list operations.
//!
//! The `gigs` crate's streams over list operations, against a local server serving several pages.

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use gigs::types::{DeviceModelType, SimStatus, SubscriptionStatus};
use gigs::{Error, Gigs, Paginate, RequestOptions};
use gigs_tests::examples::spec_example;
use gigs_tests::server::{answering, query, received as requests, TOKEN};
use serde_json::{json, Value};
use wiremock::{MockServer, Request, ResponseTemplate};

/// A resource example of the spec with its `id` replaced.
fn item(example_location: &str, id: &str) -> Value {
    let mut item = spec_example(example_location);
    item["id"] = json!(id);
    item
}

fn sim(id: &str) -> Value {
    item("retrieveSim.200", id)
}

fn list(items: Vec<Value>, after: Option<&str>, before: Option<&str>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "object": "list",
        "items": items,
        "moreItemsAfter": after,
        "moreItemsBefore": before,
    }))
}

/// The cursor a page request carries: `first`, `after=<id>` or `before=<id>`.
fn cursor(request: &Request) -> String {
    match (query(request, "after"), query(request, "before")) {
        (Some(_), Some(_)) => panic!("after and before were sent together: {}", request.url),
        (Some(after), None) => format!("after={after}"),
        (None, Some(before)) => format!("before={before}"),
        (None, None) => "first".to_owned(),
    }
}

/// Three pages of SIMs, forward: sim_1..sim_5.
fn three_pages(request: &Request) -> ResponseTemplate {
    match cursor(request).as_str() {
        "first" => list(vec![sim("sim_1"), sim("sim_2")], Some("sim_2"), None),
        "after=sim_2" => list(
            vec![sim("sim_3"), sim("sim_4")],
            Some("sim_4"),
            Some("sim_3"),
        ),
        "after=sim_4" => list(vec![sim("sim_5")], None, Some("sim_5")),
        other => ResponseTemplate::new(404).set_body_string(format!("no page {other}")),
    }
}

/// A local server answering `GET route` as `responder` says, and an SDK client for it.
async fn server_with(
    route: &str,
    responder: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static,
) -> (MockServer, Gigs) {
    let server = answering("GET", route, responder).await;
    let gigs = gigs_tests::server::gigs(&server.uri());
    (server, gigs)
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|item| id(item).to_owned()).collect()
}

#[tokio::test]
async fn items_come_in_api_order_and_every_request_repeats_filters_and_limit() {
    let (server, gigs) = server_with("/projects/gigs/sims", three_pages).await;
    let sims: Vec<_> = gigs
        .sims()
        .list()
        .status(vec![SimStatus::Active, SimStatus::Inactive])
        .user("usr_1")
        .paginate()
        .limit(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        ids(&sims, |sim| &sim.id),
        ["sim_1", "sim_2", "sim_3", "sim_4", "sim_5"]
    );
    let queries: Vec<_> = requests(&server)
        .await
        .iter()
        .map(|request| request.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "limit=2&status=active,inactive&user=usr_1",
            "after=sim_2&limit=2&status=active,inactive&user=usr_1",
            "after=sim_4&limit=2&status=active,inactive&user=usr_1",
        ]
    );
    for request in requests(&server).await {
        assert_eq!(
            request.headers.get("authorization").unwrap(),
            &format!("Bearer {TOKEN}")
        );
    }
}

#[tokio::test]
async fn pages_carry_items_and_both_cursors() {
    let (_server, gigs) = server_with("/projects/gigs/sims", three_pages).await;
    let pages: Vec<_> = gigs.sims().list().pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(ids(&pages[1].items, |sim| &sim.id), ["sim_3", "sim_4"]);
    assert_eq!(pages[1].more_items_after.as_deref(), Some("sim_4"));
    assert_eq!(pages[1].more_items_before.as_deref(), Some("sim_3"));
    assert_eq!(pages[2].more_items_after, None);
}

#[tokio::test]
async fn a_single_page_is_one_send() {
    let (server, gigs) = server_with("/projects/gigs/sims", three_pages).await;
    let page = gigs.sims().list().limit(2).send().await.unwrap();
    assert_eq!(ids(&page.items, |sim| &sim.id), ["sim_1", "sim_2"]);
    assert_eq!(requests(&server).await.len(), 1);
}

/// Pages walked backward from sim_9: before=sim_9 gives sim_7, sim_8; then sim_6; then the start.
fn backward_pages(request: &Request) -> ResponseTemplate {
    match cursor(request).as_str() {
        "first" => list(vec![sim("sim_8"), sim("sim_9")], None, Some("sim_8")),
        "before=sim_9" | "before=sim_8" => list(vec![sim("sim_7")], Some("sim_7"), Some("sim_7")),
        "before=sim_7" => list(vec![sim("sim_6")], Some("sim_6"), None),
        other => ResponseTemplate::new(404).set_body_string(format!("no page {other}")),
    }
}

#[tokio::test]
async fn walking_backward_from_an_id_follows_more_items_before() {
    let (server, gigs) = server_with("/projects/gigs/sims", backward_pages).await;
    let sims: Vec<_> = gigs
        .sims()
        .list()
        .paginate()
        .before("sim_9")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&sims, |sim| &sim.id), ["sim_7", "sim_6"]);
    let cursors: Vec<_> = requests(&server).await.iter().map(cursor).collect();
    assert_eq!(cursors, ["before=sim_9", "before=sim_7"]);
}

#[tokio::test]
async fn the_explicit_backward_mode_starts_from_the_first_page() {
    let (server, gigs) = server_with("/projects/gigs/sims", backward_pages).await;
    let sims: Vec<_> = gigs
        .sims()
        .list()
        .paginate()
        .backward()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        ids(&sims, |sim| &sim.id),
        ["sim_8", "sim_9", "sim_7", "sim_6"]
    );
    let cursors: Vec<_> = requests(&server).await.iter().map(cursor).collect();
    assert_eq!(cursors, ["first", "before=sim_8", "before=sim_7"]);
}

#[tokio::test]
async fn a_cursor_seen_before_ends_the_stream_with_an_error() {
    let (server, gigs) = server_with("/projects/gigs/sims", |request: &Request| {
        match cursor(request).as_str() {
            "first" => list(vec![sim("sim_1")], Some("sim_1"), None),
            // A misbehaving server sends the reader back to a page it has already served.
            _ => list(vec![sim("sim_2")], Some("sim_1"), None),
        }
    })
    .await;
    let results: Vec<_> = gigs.sims().list().pages().collect().await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    assert!(
        matches!(&results[2], Err(Error::RepeatedCursor { cursor }) if cursor == "sim_1"),
        "{:?}",
        results[2]
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_page_with_a_cursor_continues() {
    let (_server, gigs) = server_with("/projects/gigs/sims", |request: &Request| {
        match cursor(request).as_str() {
            "first" => list(vec![sim("sim_1")], Some("sim_1"), None),
            "after=sim_1" => list(vec![], Some("sim_x"), None),
            _ => list(vec![sim("sim_2")], None, None),
        }
    })
    .await;
    let sims: Vec<_> = gigs.sims().list().items().try_collect().await.unwrap();
    assert_eq!(ids(&sims, |sim| &sim.id), ["sim_1", "sim_2"]);
}

#[tokio::test]
async fn take_stops_requests() {
    let (server, gigs) = server_with("/projects/gigs/sims", three_pages).await;
    let first: Vec<_> = gigs
        .sims()
        .list()
        .paginate()
        .prefetch(false)
        .items()
        .take(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&first, |sim| &sim.id), ["sim_1", "sim_2"]);
    assert_eq!(requests(&server).await.len(), 1, "no page beyond the first");

    // With prefetch, at most the one page ahead is requested.
    let (server, gigs) = server_with("/projects/gigs/sims", three_pages).await;
    let first: Vec<_> = gigs
        .sims()
        .list()
        .items()
        .take(1)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(requests(&server).await.len() <= 2);
}

#[tokio::test]
async fn dropping_the_stream_stops_requests() {
    let (server, gigs) = server_with("/projects/gigs/sims", three_pages).await;
    let mut pages = gigs.sims().list().pages();
    pages.next().await.unwrap().unwrap();
    drop(pages);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let count = requests(&server).await.len();
    assert!(count <= 2, "{count} requests: more than one page ahead");
}

async fn wait_for_requests(server: &MockServer, count: usize) -> usize {
    for _ in 0..100 {
        let received = requests(server).await.len();
        if received >= count {
            return received;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    requests(server).await.len()
}

#[tokio::test]
async fn the_next_page_is_requested_while_the_current_one_is_consumed() {
    let (server, gigs) = server_with("/projects/gigs/sims", three_pages).await;
    let mut pages = gigs.sims().list().pages();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.items.len(), 2);
    // The stream is not polled while page 1 is "being worked on", yet page 2 is on its way.
    assert_eq!(wait_for_requests(&server, 2).await, 2);
    // And never more than one page ahead.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(requests(&server).await.len(), 2);
    let rest: Vec<_> = pages.try_collect().await.unwrap();
    assert_eq!(rest.len(), 2);
}

#[tokio::test]
async fn prefetch_can_be_switched_off() {
    let (server, gigs) = server_with("/projects/gigs/sims", three_pages).await;
    let mut pages = gigs.sims().list().paginate().prefetch(false).pages();
    pages.next().await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(requests(&server).await.len(), 1);
    pages.next().await.unwrap().unwrap();
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_server_error_mid_stream_is_yielded_and_ends_the_stream_with_the_pager_options() {
    let (server, gigs) = server_with("/projects/gigs/sims", |request: &Request| {
        match cursor(request).as_str() {
            "first" => list(vec![sim("sim_1")], Some("sim_1"), None),
            _ => ResponseTemplate::new(500).set_body_json(json!({
                "object": "error",
                "type": "internal",
                "message": "An internal error occurred.",
            })),
        }
    })
    .await;
    // The pager's options apply to every page request: here, no retries of the 500.
    let results: Vec<_> = gigs
        .sims()
        .list()
        .paginate()
        .options(RequestOptions::new().no_retries())
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, "sim_1");
    match &results[1] {
        Err(Error::Api(error)) => {
            assert_eq!(error.status().as_u16(), 500);
            assert_eq!(error.error_type(), Some("internal"));
            assert_eq!(error.attempts(), 1);
        }
        other => panic!("expected the API error, got {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_page_size_outside_1_to_200_is_rejected_before_any_request() {
    let (server, gigs) = server_with("/projects/gigs/sims", three_pages).await;
    for limit in [0, 201] {
        let results: Vec<_> = gigs
            .sims()
            .list()
            .paginate()
            .limit(limit)
            .items()
            .collect()
            .await;
        assert_eq!(results.len(), 1);
        match &results[0] {
            Err(error @ Error::InvalidPageSize { limit: rejected }) => {
                assert_eq!(*rejected, limit);
                assert!(error.to_string().contains("between 1 and 200"), "{error}");
            }
            other => panic!("expected InvalidPageSize, got {other:?}"),
        }
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn devices_stream_both_ways_through_the_public_api() {
    let (server, gigs) = server_with("/projects/gigs/devices", |request: &Request| {
        let device = |id| item("retrieveDevice.200.retrieveDevice", id);
        match cursor(request).as_str() {
            "first" => list(vec![device("dev_1")], Some("dev_1"), None),
            "after=dev_1" => list(vec![device("dev_2")], Some("dev_2"), Some("dev_2")),
            "after=dev_2" => list(vec![device("dev_3")], None, Some("dev_3")),
            "before=dev_3" => list(vec![device("dev_2")], Some("dev_2"), Some("dev_2")),
            "before=dev_2" => list(vec![device("dev_1")], Some("dev_1"), None),
            other => ResponseTemplate::new(404).set_body_string(format!("no page {other}")),
        }
    })
    .await;
    let devices: Vec<_> = gigs
        .devices()
        .list()
        .user("usr_1")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        ids(&devices, |device| &device.id),
        ["dev_1", "dev_2", "dev_3"]
    );
    assert!(requests(&server)
        .await
        .iter()
        .all(|request| query(request, "user").as_deref() == Some("usr_1")));
}

#[tokio::test]
async fn device_models_stream_both_ways_without_a_project() {
    let (server, gigs) = server_with("/deviceModels", |request: &Request| {
        let model = |id| item("retrieveDeviceModel.200", id);
        match cursor(request).as_str() {
            "first" => list(vec![model("dmd_1")], Some("dmd_1"), None),
            "after=dmd_1" => list(vec![model("dmd_2")], Some("dmd_2"), Some("dmd_2")),
            "after=dmd_2" => list(vec![model("dmd_3")], None, Some("dmd_3")),
            "before=dmd_3" => list(vec![model("dmd_2")], Some("dmd_2"), Some("dmd_2")),
            "before=dmd_2" => list(vec![model("dmd_1")], Some("dmd_1"), None),
            other => ResponseTemplate::new(404).set_body_string(format!("no page {other}")),
        }
    })
    .await;
    let models: Vec<_> = gigs
        .devices()
        .list_models()
        .type_(vec![DeviceModelType::Smartphone])
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&models, |model| &model.id), ["dmd_1", "dmd_2", "dmd_3"]);
    let backward: Vec<_> = gigs
        .devices()
        .list_models()
        .type_(vec![DeviceModelType::Smartphone])
        .paginate()
        .before("dmd_3")
        .pages()
        .try_collect()
        .await
        .unwrap();
    let backward_ids: Vec<_> = backward
        .iter()
        .flat_map(|page| ids(&page.items, |model| &model.id))
        .collect();
    assert_eq!(backward_ids, ["dmd_2", "dmd_1"]);
    assert!(requests(&server)
        .await
        .iter()
        .all(|request| query(request, "type").as_deref() == Some("smartphone")));
}

#[tokio::test]
async fn subscriptions_stream_both_ways_through_the_public_api() {
    let subscription = |id| item("retrieveSubscription.200", id);
    let (server, gigs) =
        server_with(
            "/projects/gigs/subscriptions",
            move |request: &Request| match cursor(request).as_str() {
                "first" => list(vec![subscription("sub_1")], Some("sub_1"), None),
                "after=sub_1" => list(vec![subscription("sub_2")], Some("sub_2"), Some("sub_2")),
                "after=sub_2" => list(vec![subscription("sub_3")], None, Some("sub_3")),
                "before=sub_3" => list(vec![subscription("sub_2")], Some("sub_2"), Some("sub_2")),
                "before=sub_2" => list(vec![subscription("sub_1")], Some("sub_1"), None),
                other => ResponseTemplate::new(404).set_body_string(format!("no page {other}")),
            },
        )
        .await;
    let forward: Vec<_> = gigs
        .subscriptions()
        .list()
        .status(vec![SubscriptionStatus::Active])
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&forward, |s| &s.id), ["sub_1", "sub_2", "sub_3"]);
    let backward: Vec<_> = gigs
        .subscriptions()
        .list()
        .status(vec![SubscriptionStatus::Active])
        .paginate()
        .before("sub_3")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&backward, |s| &s.id), ["sub_2", "sub_1"]);
    assert!(requests(&server)
        .await
        .iter()
        .all(|request| query(request, "status").as_deref() == Some("active")));
}

#[tokio::test]
async fn an_unscoped_client_lists_the_project_it_is_given() {
    let (server, _) = server_with("/projects/other/sims", three_pages).await;
    let unscoped = Gigs::builder()
        .token("sk_test")
        .base_url(server.uri())
        .build_unscoped()
        .unwrap();
    let sims: Vec<_> = unscoped
        .project("other")
        .sims()
        .list()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sims.len(), 5);
}

#[tokio::test]
async fn requests_carry_the_user_agent_and_a_sensitive_token() {
    let (server, gigs) = server_with("/projects/gigs/sims", three_pages).await;
    gigs.sims().list().send().await.unwrap();
    let request = &requests(&server).await[0];
    assert_eq!(
        request.headers.get("user-agent").unwrap(),
        gigs::DEFAULT_USER_AGENT
    );
    assert!(gigs::DEFAULT_USER_AGENT.starts_with("gigs/0."));
    let shown = format!("{gigs:?} {:?}", gigs.client());
    assert!(!shown.contains(TOKEN), "{shown}");
}
