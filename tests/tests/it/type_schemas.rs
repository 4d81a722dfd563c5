//! Belongs here: the JSON Schema of every generated type (snapshots `it__type_schemas__*`).
//!
//! A snapshot of the JSON Schema of every public generated type: a spec change that alters a
//! type shows up as a reviewable snapshot diff.

use gigs_tests::registry::{json_schemas, TYPE_NAMES};

#[test]
fn every_generated_type_has_a_schema_snapshot() {
    let schemas = json_schemas();
    assert_eq!(schemas.len(), TYPE_NAMES.len());
    assert!(
        TYPE_NAMES.len() >= 60,
        "expected the full set of generated types, found {}",
        TYPE_NAMES.len()
    );
    for (name, schema) in schemas {
        insta::assert_json_snapshot!(format!("schema__{name}"), schema);
    }
}

#[test]
fn the_named_types_of_the_spec_are_generated() {
    for name in [
        "Device",
        "DeviceModel",
        "DeviceModelBrands",
        "Sim",
        "SimCredentials",
        "ESimProfile",
        "Subscription",
        "Plan",
        "Porting",
        "User",
        "Metadata",
        "Error",
        "DeviceList",
        "DeviceModelList",
        "SimList",
        "SubscriptionList",
    ] {
        assert!(TYPE_NAMES.contains(&name), "{name} is not generated");
    }
}
