//! Output formats: json (pretty, the default off a terminal), jsonl, table (the columns per
//! resource) and yaml, for one object and for a page of a list; and completion scripts.

use serde_json::{json, Value};

use crate::support::{answering, gigs, success_example};

#[tokio::test(flavor = "multi_thread")]
async fn json_is_the_default_off_a_terminal_and_pretty() {
    let example = success_example("retrieveSubscription");
    let server = answering(200, example.clone()).await;
    let default = gigs(&["subscriptions", "retrieve", "sub_1"])
        .at(&server)
        .run()
        .await;
    let json = gigs(&["subscriptions", "retrieve", "sub_1", "-o", "json"])
        .at(&server)
        .run()
        .await;
    default.assert_code(0);
    json.assert_code(0);
    assert_eq!(default.stdout, json.stdout);
    assert!(
        json.stdout.lines().count() > 10,
        "pretty-printed: {}",
        json.stdout
    );
    assert_eq!(json.json()["id"], example["id"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn jsonl_is_one_line_per_object_and_per_list_item() {
    let server = answering(200, success_example("retrieveSubscription")).await;
    let one = gigs(&["subscriptions", "retrieve", "sub_1", "--output", "jsonl"])
        .at(&server)
        .run()
        .await;
    one.assert_code(0);
    assert_eq!(one.stdout.lines().count(), 1);
    let _: Value = serde_json::from_str(one.stdout.trim_end()).unwrap();

    let list = success_example("listSims");
    let server = answering(200, list.clone()).await;
    let page = gigs(&["sims", "list", "-o", "jsonl"])
        .at(&server)
        .run()
        .await;
    page.assert_code(0);
    let ids: Vec<Value> = page
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["id"].clone())
        .collect();
    let expected: Vec<Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].clone())
        .collect();
    assert_eq!(ids, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn yaml_reads_back_as_the_same_document() {
    let server = answering(200, success_example("retrieveDevice")).await;
    let yaml = gigs(&["devices", "retrieve", "dev_1", "-o", "yaml"])
        .at(&server)
        .run()
        .await;
    let json = gigs(&["devices", "retrieve", "dev_1", "-o", "json"])
        .at(&server)
        .run()
        .await;
    yaml.assert_code(0);
    let from_yaml: Value = serde_yaml_ng::from_str(&yaml.stdout).unwrap();
    assert_eq!(from_yaml, json.json());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subscription_table_shows_id_status_plan_and_phone_number() {
    let example = success_example("retrieveSubscription");
    let server = answering(200, example.clone()).await;
    let output = gigs(&["subscriptions", "retrieve", "sub_1", "-o", "table"])
        .at(&server)
        .run()
        .await;
    output.assert_code(0);
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", output.stdout);
    let header: Vec<&str> = lines[0]
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        header,
        ["ID", "STATUS", "PLAN", "PHONE NUMBER", "SIM", "CREATED"]
    );
    for field in ["/id", "/status", "/plan/name", "/phoneNumber"] {
        let value = example.pointer(field).and_then(Value::as_str).unwrap();
        assert!(
            lines[1].contains(value),
            "{field} `{value}` missing: {}",
            lines[1]
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_table_has_a_row_per_item() {
    let list = success_example("listSims");
    let server = answering(200, list.clone()).await;
    let output = gigs(&["sims", "list", "-o", "table"])
        .at(&server)
        .run()
        .await;
    output.assert_code(0);
    let lines: Vec<&str> = output.stdout.lines().collect();
    let items = list["items"].as_array().unwrap();
    assert_eq!(lines.len(), items.len() + 1, "{}", output.stdout);
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("ICCID"),
        "{}",
        lines[0]
    );
    for (line, item) in lines[1..].iter().zip(items) {
        assert!(line.contains(item["iccid"].as_str().unwrap()), "{line}");
    }
}

#[test]
fn completion_scripts_cover_the_generated_commands() {
    for shell in ["bash", "zsh", "fish"] {
        let output = gigs(&["completion", shell]).run_blocking();
        output.assert_code(0);
        for word in [
            "subscriptions",
            "esim-profile",
            "device-model-brands",
            "status",
            "phone-number",
        ] {
            assert!(output.stdout.contains(word), "{shell}: `{word}` missing");
        }
    }
}

fn table(rows: &[Value]) -> String {
    let mut out = Vec::new();
    gigs_cli::output::write_table(&mut out, rows).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn table_columns_are_aligned_and_empty_cells_trimmed() {
    let text = table(&[
        json!({"object": "subscription", "id": "sub_1", "status": "active",
               "plan": {"id": "pln_1", "name": "Europe 10GB"}, "phoneNumber": "+4912345",
               "sim": {"iccid": "8988"}, "createdAt": "2021-01-21T19:32:13Z"}),
        json!({"object": "subscription", "id": "sub_22", "status": "pending",
               "plan": {"id": "pln_2", "name": "US"}, "phoneNumber": null}),
    ]);
    assert_eq!(
        text,
        "ID      STATUS   PLAN         PHONE NUMBER  SIM   CREATED\n\
         sub_1   active   Europe 10GB  +4912345      8988  2021-01-21T19:32:13Z\n\
         sub_22  pending  US\n"
    );
}

#[test]
fn other_objects_are_field_value_pairs() {
    let text = table(&[
        json!({"object": "simCredentials", "activationCode": "LPA:1$x",
                              "sim": {"id": "sim_1"}}),
    ]);
    assert_eq!(
        text,
        "FIELD           VALUE\nactivationCode  LPA:1$x\nobject          simCredentials\nsim             sim_1\n"
    );
}
