//! List commands: one page by default, `--all` over a multi-page local server (cursors, page
//! size, filters on every page, items as they arrive, a failing page), no progress line off a
//! terminal.

use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{gigs, query_pairs, success_example};

fn subscription(id: &str) -> Value {
    let mut subscription = success_example("retrieveSubscription");
    subscription["id"] = json!(id);
    subscription
}

fn page(ids: &[&str], after: Option<&str>) -> Value {
    json!({
        "object": "list",
        "items": ids.iter().map(|id| subscription(id)).collect::<Vec<_>>(),
        "moreItemsAfter": after,
        "moreItemsBefore": null,
    })
}

/// Three pages: `sub_a, sub_b` → `sub_c, sub_d` → `sub_e`; with `fail_last`, the last page
/// answers 500 instead.
async fn three_pages(fail_last: bool) -> MockServer {
    let server = MockServer::start().await;
    let list = "/projects/gigs/subscriptions";
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(page(&["sub_a", "sub_b"], Some("sub_b"))),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("after", "sub_b"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(page(&["sub_c", "sub_d"], Some("sub_d"))),
        )
        .mount(&server)
        .await;
    let last = if fail_last {
        ResponseTemplate::new(500).set_body_json(json!({
            "object": "error", "type": "api_error", "code": "internal", "message": "boom",
            "documentation": [], "details": []
        }))
    } else {
        ResponseTemplate::new(200).set_body_json(page(&["sub_e"], None))
    };
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("after", "sub_d"))
        .respond_with(last)
        .mount(&server)
        .await;
    server
}

fn ids_of_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            let item: Value = serde_json::from_str(line).expect("one JSON value per line");
            item["id"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn without_all_one_page_is_printed_with_its_cursors() {
    let server = three_pages(false).await;
    let output = gigs(&["subscriptions", "list", "--limit", "2"])
        .at(&server)
        .run()
        .await;
    output.assert_code(0);
    let printed = output.json();
    assert_eq!(printed["moreItemsAfter"], "sub_b");
    assert_eq!(printed["items"].as_array().unwrap().len(), 2);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one page only");
    assert_eq!(
        query_pairs(&requests[0]),
        vec![("limit".to_owned(), "2".to_owned())]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn all_walks_every_page_with_the_filters_and_page_size_on_each() {
    let server = three_pages(false).await;
    let output = gigs(&[
        "subscriptions",
        "list",
        "--all",
        "--limit",
        "2",
        "--status",
        "active",
        "-o",
        "jsonl",
    ])
    .at(&server)
    .run()
    .await;
    output.assert_code(0);
    assert_eq!(
        ids_of_lines(&output.stdout),
        ["sub_a", "sub_b", "sub_c", "sub_d", "sub_e"]
    );
    assert_eq!(
        output.stderr, "",
        "no progress line when stderr is not a terminal"
    );

    let requests = server.received_requests().await.unwrap();
    let queries: Vec<_> = requests.iter().map(query_pairs).collect();
    let pair = |name: &str, value: &str| (name.to_owned(), value.to_owned());
    assert_eq!(
        queries,
        vec![
            vec![pair("limit", "2"), pair("status", "active")],
            vec![
                pair("after", "sub_b"),
                pair("limit", "2"),
                pair("status", "active")
            ],
            vec![
                pair("after", "sub_d"),
                pair("limit", "2"),
                pair("status", "active")
            ],
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn all_as_json_is_one_array_of_every_item() {
    let server = three_pages(false).await;
    let output = gigs(&["subscriptions", "list", "--all"])
        .at(&server)
        .run()
        .await;
    output.assert_code(0);
    let printed = output.json();
    let ids: Vec<&str> = printed
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["sub_a", "sub_b", "sub_c", "sub_d", "sub_e"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn all_starts_after_a_given_cursor() {
    let server = three_pages(false).await;
    let output = gigs(&[
        "subscriptions",
        "list",
        "--all",
        "--after",
        "sub_b",
        "-o",
        "jsonl",
    ])
    .at(&server)
    .run()
    .await;
    output.assert_code(0);
    assert_eq!(ids_of_lines(&output.stdout), ["sub_c", "sub_d", "sub_e"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_page_keeps_what_was_printed_and_exits_1() {
    let server = three_pages(true).await;
    let output = gigs(&[
        "subscriptions",
        "list",
        "--all",
        "-o",
        "jsonl",
        "--retries",
        "0",
    ])
    .at(&server)
    .run()
    .await;
    output.assert_code(1);
    assert_eq!(
        ids_of_lines(&output.stdout),
        ["sub_a", "sub_b", "sub_c", "sub_d"]
    );
    let lines: Vec<&str> = output.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one error line: {}", output.stderr);
    assert!(lines[0].contains("listSubscriptions"), "{}", lines[0]);
    assert!(lines[0].contains("500"), "{}", lines[0]);
    assert!(lines[0].contains("boom"), "{}", lines[0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn all_is_offered_only_on_paginated_lists() {
    let server = three_pages(false).await;
    let output = gigs(&["device-model-brands", "list", "--all"])
        .at(&server)
        .run()
        .await;
    output.assert_code(2);
    assert!(output.stderr.contains("--all"), "{}", output.stderr);
}
