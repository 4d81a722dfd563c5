//! The reference's examples, read from the workspace's `openapi.yaml`.

use serde_json::Value;

/// The response example of `retrieveSubscription` (`GET /projects/{project}/subscriptions/{subscription}`).
pub fn subscription_example() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml");
    let text = std::fs::read_to_string(path).expect("read openapi.yaml");
    let spec: Value = serde_yaml_ng::from_str(&text).expect("parse openapi.yaml");
    spec.pointer(
        "/paths/~1projects~1{project}~1subscriptions~1{subscription}/get/responses/200/content/application~1json/example",
    )
    .cloned()
    .expect("retrieveSubscription has a 200 example")
}
