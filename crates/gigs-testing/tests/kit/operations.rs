//! The generated operation table (`gigs_testing::OPERATIONS`, written by `cargo xtask generate`
//! from openapi.yaml): every operation of the spec reaches the fake, from its documented path and
//! request example, and is answered by its behaviour or, where it has none, by its example.

use gigs_testing::{EXAMPLE_HEADER, OPERATIONS};
use reqwest::Method;

use crate::{raw, seeded};

#[tokio::test]
async fn every_operation_of_the_spec_is_routed_to_and_never_answered_with_a_500() {
    let fake = seeded().await;
    for operation in OPERATIONS {
        let method = Method::from_bytes(operation.method.as_bytes()).unwrap();
        let path = operation.example_path();
        let (status, headers, body) =
            raw(&fake, method, &path, operation.request_example, true).await;
        let context = format!(
            "{} {} {path}: {status} {body}",
            operation.id, operation.method
        );
        assert_eq!(fake.calls(operation.id), 1, "{context}");
        assert!(status < 500, "{context}");
        if let Some(example_of) = headers.get(EXAMPLE_HEADER) {
            assert_eq!(example_of, operation.id, "{context}");
            let example: serde_json::Value =
                serde_json::from_str(operation.example.expect("an example answer has one"))
                    .unwrap();
            assert_eq!(body, example, "{context}");
        } else if (200..300).contains(&status) {
            assert_eq!(status, operation.status, "{context}");
        }
    }
}

#[tokio::test]
async fn the_answers_of_behaviour_carry_no_example_header() {
    let fake = seeded().await;
    let (status, headers, _) = raw(
        &fake,
        Method::GET,
        "/projects/gigs/subscriptions",
        None,
        true,
    )
    .await;
    assert_eq!(status, 200);
    assert!(headers.get(EXAMPLE_HEADER).is_none());
}
