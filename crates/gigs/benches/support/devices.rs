//! A device list served page by page the way `GET /projects/{project}/devices` answers: small
//! devices (no model, user or SIMs), and `moreItemsAfter` set to the id of a page's last device
//! while more follow.

use hyper::body::Bytes;
use serde_json::{json, Value};

/// The id of the device at `index` in the list; the ids sort in list order.
pub fn device_id(index: usize) -> String {
    format!("dev_{index:010}")
}

/// The page of a list of `total` devices that a request with `query` asks for: the devices after
/// the `after` cursor, `limit` of them, or `default_limit` without one.
pub fn device_page(query: Option<&str>, total: usize, default_limit: usize) -> Bytes {
    let mut start = 0;
    let mut limit = default_limit;
    for pair in query.unwrap_or_default().split('&') {
        match pair.split_once('=') {
            Some(("after", cursor)) => start = index_of(cursor) + 1,
            Some(("limit", value)) => limit = value.parse().expect("a numeric limit"),
            _ => {}
        }
    }
    let end = (start + limit).min(total);
    let items: Vec<Value> = (start..end)
        .map(|index| {
            json!({
                "object": "device",
                "id": device_id(index),
                "metadata": {},
                "createdAt": "2021-02-14T19:38:34Z",
                "imei": null,
                "model": null,
                "name": null,
                "sims": [],
                "user": null,
            })
        })
        .collect();
    let page = json!({
        "object": "list",
        "items": items,
        "moreItemsAfter": (end < total).then(|| device_id(end - 1)),
        "moreItemsBefore": (start > 0).then(|| device_id(start)),
    });
    Bytes::from(serde_json::to_vec(&page).expect("a page serialises"))
}

fn index_of(cursor: &str) -> usize {
    cursor
        .strip_prefix("dev_")
        .and_then(|digits| digits.parse().ok())
        .unwrap_or_else(|| panic!("not a cursor of this list: {cursor}"))
}
