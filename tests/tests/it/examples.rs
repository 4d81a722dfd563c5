//! Belongs here: the spec's JSON examples read into the generated types and written back (snapshots
//! `it__examples__*`).
//!
//! Every JSON example of the reference pages (carried in openapi.yaml) reads into its generated
//! type and writes back without losing a field.

use gigs_tests::examples::{lost_fields, spec_example, spec_examples};
use gigs_tests::registry::round_trip;

#[test]
fn every_example_round_trips_through_its_type() {
    let examples = spec_examples();
    assert!(
        examples.len() >= 40,
        "expected the reference's examples in the spec, found {}",
        examples.len()
    );
    let mut failures = Vec::new();
    for example in &examples {
        let written = match round_trip(&example.type_name, &example.value) {
            None => {
                failures.push(format!(
                    "{}: no generated type named {}",
                    example.location, example.type_name
                ));
                continue;
            }
            Some(Err(error)) => {
                failures.push(format!(
                    "{}: does not read as {}: {error}",
                    example.location, example.type_name
                ));
                continue;
            }
            Some(Ok(written)) => written,
        };
        for lost in lost_fields(&example.value, &written) {
            failures.push(format!("{}: {lost}", example.location));
        }
        insta::assert_json_snapshot!(format!("example__{}", example.location), written);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn resource_examples_without_collections_read_them_as_empty() {
    // The Device example of the Devices reference page leaves out `metadata` and `sims`, which
    // the spec requires; it is kept here rather than in openapi.yaml, whose examples are all
    // valid (example_validity.rs).
    let mut example = spec_example("retrieveDevice.200.retrieveDevice");
    let object = example.as_object_mut().unwrap();
    object.remove("metadata");
    object.remove("sims");
    let device: gigs_client::types::Device = serde_json::from_value(example).unwrap();
    assert!(device.metadata.is_empty());
    assert!(device.sims.is_empty());
}

#[test]
fn the_loss_check_notices_a_dropped_field() {
    let original = serde_json::json!({"id": "dev_1", "name": "Anna's phone", "sims": []});
    let written = serde_json::json!({"id": "dev_1"});
    assert_eq!(
        lost_fields(&original, &written),
        ["$.name: missing after the round trip"]
    );
}
