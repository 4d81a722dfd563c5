//! The generated server side without behaviour: every operation answers its documented
//! example (ids substituted, lists cut to `limit`) or a 501, through the generated `dispatch`
//! and the hand-written routing and decoding of `dispatch.rs`.

use serde_json::Value;

use crate::dispatch::{route, Answer, Operation};
use crate::error::ApiError;
use crate::generated::server_trait::{dispatch, GigsServer, OPERATIONS};
use crate::params::Query;

/// A server with no behaviour at all: every method is the trait's default.
struct NoBehaviour;
impl GigsServer for NoBehaviour {}

/// Routes `method path?query` and dispatches it to [`NoBehaviour`] with `body`.
fn answer(operation: &Operation, path: &str, query: &str) -> Result<Answer, ApiError> {
    let (index, parameters) = route(OPERATIONS, operation.method, path).unwrap();
    assert_eq!(
        OPERATIONS[index].id, operation.id,
        "{path} routes elsewhere"
    );
    let query = Query::parse(Some(query)).unwrap();
    let body = operation.request_example.unwrap_or_default();
    dispatch(
        &mut NoBehaviour,
        index,
        &parameters,
        &query,
        body.as_bytes(),
    )
}

#[test]
fn every_operation_without_behaviour_answers_its_example_marked_as_one() {
    for operation in OPERATIONS {
        let result = answer(operation, &operation.example_path(), "");
        let Some(example) = operation.example else {
            let error = result.expect_err("no example: a 501");
            assert_eq!(error.status.as_u16(), 501, "{}", operation.id);
            continue;
        };
        let answer = result.unwrap_or_else(|error| panic!("{}: {error:?}", operation.id));
        assert_eq!(answer.status, operation.status, "{}", operation.id);
        assert_eq!(answer.example_of, Some(operation.id));
        let example: Value = serde_json::from_str(example).unwrap();
        assert_eq!(answer.body.as_ref(), Some(&example), "{}", operation.id);
    }
}

#[test]
fn an_example_answers_with_the_requested_ids_and_a_list_cut_to_limit() {
    let mut substituted = 0;
    for operation in OPERATIONS {
        let Some(example) = operation.example else {
            continue;
        };
        let requested: Vec<String> = operation
            .path_examples
            .iter()
            .map(|documented| format!("{documented}_requested"))
            .collect();
        let mut segments = requested.iter();
        let path = operation
            .path
            .split('/')
            .map(|segment| match segment.starts_with('{') {
                true => segments.next().unwrap().clone(),
                false => segment.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/");
        let body = answer(operation, &path, "limit=0").unwrap().body.unwrap();
        let text = body.to_string();
        for (documented, requested) in operation.path_examples.iter().zip(&requested) {
            if !documented.is_empty() && example.contains(&format!("\"{documented}\"")) {
                assert!(
                    !text.contains(&format!("\"{documented}\"")),
                    "{}: {text}",
                    operation.id
                );
                assert!(
                    text.contains(requested.as_str()),
                    "{}: {text}",
                    operation.id
                );
                substituted += 1;
            }
        }
        if operation.paginated {
            assert_eq!(body["items"], serde_json::json!([]), "{}", operation.id);
        }
    }
    assert!(substituted > 0, "no example holds its own path ids");
}

#[test]
fn without_an_example_the_answer_is_a_501_naming_the_operation() {
    let operation = Operation {
        example: None,
        ..OPERATIONS[0]
    };
    let error = Answer::example(&operation, &[], None).unwrap_err();
    assert_eq!(error.status.as_u16(), 501);
    assert_eq!(error.body["object"], "error");
    let message = error.body["message"].as_str().unwrap();
    assert!(message.contains(operation.id), "{message}");
}

#[test]
fn a_fixed_segment_is_routed_before_a_parameter_in_its_place() {
    for (index, operation) in OPERATIONS.iter().enumerate() {
        let (routed, _) = route(OPERATIONS, operation.method, &operation.example_path()).unwrap();
        assert_eq!(routed, index, "{} {}", operation.method, operation.path);
    }
    // The table's order: of two templates of one length, the first to have a fixed segment
    // where the other has a parameter comes first.
    let kinds = |path: &str| -> Vec<bool> { path.split('/').map(|s| s.starts_with('{')).collect() };
    for (index, earlier) in OPERATIONS.iter().enumerate() {
        for later in &OPERATIONS[index + 1..] {
            let (a, b) = (kinds(earlier.path), kinds(later.path));
            if a.len() == b.len() {
                let first_difference = a.iter().zip(&b).find(|(x, y)| x != y);
                assert!(
                    !matches!(first_difference, Some((true, false))),
                    "{} is routed before {}",
                    earlier.path,
                    later.path
                );
            }
        }
    }
    // And a request for the fixed segment reaches its operation, not the parameter's.
    let (index, _) = route(OPERATIONS, "POST", "/projects/gigs/devices/search").unwrap();
    assert_eq!(OPERATIONS[index].id, "searchDevices");
    assert_eq!(
        route(OPERATIONS, "GET", "/projects/gigs/devices/search")
            .map(|(index, _)| OPERATIONS[index].id),
        Ok("retrieveDevice"),
        "another method on the fixed segment is still the parameter's"
    );
}
