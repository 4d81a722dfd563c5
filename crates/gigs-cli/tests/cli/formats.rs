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

#[test]
fn user_and_plan_tables_have_their_columns() {
    let user = success_example("retrieveUser");
    let printed = table(std::slice::from_ref(&user));
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 2, "{printed}");
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["ID", "EMAIL", "NAME", "STATUS", "CREATED"]);
    for field in ["/id", "/email", "/fullName", "/status"] {
        let value = user.pointer(field).and_then(Value::as_str).unwrap();
        assert!(lines[1].contains(value), "{field}: {printed}");
    }

    let plans = success_example("listPlans")["items"].clone();
    let printed = table(plans.as_array().unwrap());
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines[0]
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>(),
        [
            "ID",
            "NAME",
            "STATUS",
            "PRICE",
            "CURRENCY",
            "PROVIDER",
            "SIM TYPES"
        ]
    );
    for value in [
        "pln_0SNlurA049MEWV3V0q7gjQbM4EVo",
        "Gigs Global",
        "available",
        "999",
        "USD",
        "eSIM,pSIM",
    ] {
        assert!(lines[1].contains(value), "{value}: {printed}");
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
    table_within(rows, None)
}

fn table_within(rows: &[Value], width: Option<u16>) -> String {
    let mut out = Vec::new();
    gigs_cli::output::write_table(&mut out, rows, width).unwrap();
    String::from_utf8(out).unwrap()
}

/// Devices named as users name them: CJK and an emoji (two columns each), a combining
/// diaeresis (none), a long name, and one holding a newline and a terminal escape sequence.
fn devices_with_real_names() -> Vec<Value> {
    let device = |id: &str, name: &str, model: &str| {
        json!({"object": "device", "id": id, "imei": "492388841798923", "name": name,
               "model": {"id": "mdl_1", "name": model}, "user": {"id": "usr_0SNlurA049MEWV1"},
               "sims": [{"id": "sim_0SNlurA049MEWV1BAAm"}], "createdAt": "2024-05-01T12:00:00Z"})
    };
    vec![
        device(
            "dev_0SNlurA049MEWV4OpCwsNyC9Kx2N",
            "山田の電話 📱",
            "iPhone 15 Pro",
        ),
        device("dev_1", "Zoe\u{308}'s Pixel", "Pixel 8"),
        device(
            "dev_0SNlurA049MEWV4OpCwsNyC9Kx2Q",
            "Anna's very long device name for the office",
            "Galaxy S24 Ultra Enterprise Edition",
        ),
        device("dev_3", "two\nlines\u{1b}[2J", "Fairphone 5"),
    ]
}

/// The display column at which `needle` starts in `line`.
fn column_of(line: &str, needle: &str) -> usize {
    let start = line
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in `{line}`"));
    unicode_width::UnicodeWidthStr::width(&line[..start])
}

#[test]
fn wide_and_combining_names_keep_the_columns_in_line() {
    let rows = devices_with_real_names();
    let text = table(&rows);
    insta::assert_snapshot!("device_table_plain", text);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), rows.len() + 1, "{text}");
    // Every row's MODEL and USER start at the header's display column.
    for header in ["MODEL", "USER"] {
        let column = column_of(lines[0], header);
        let needle = if header == "MODEL" { "Pixel 8" } else { "usr_" };
        let row = lines.iter().find(|line| line.contains(needle)).unwrap();
        assert_eq!(column_of(row, needle), column, "{header}:\n{text}");
        for line in &lines[1..] {
            if header == "USER" {
                assert_eq!(column_of(line, "usr_"), column, "{header}:\n{text}");
            }
        }
    }
    // Off a terminal nothing is cut; control characters are shown escaped.
    assert!(
        text.contains("Anna's very long device name for the office"),
        "{text}"
    );
    assert!(text.contains("two\\nlines\\u{1b}[2J"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('…'), "{text}");
}

#[test]
fn on_a_terminal_free_text_is_cut_to_its_width_and_ids_never_are() {
    let rows = devices_with_real_names();
    // The columns never cut (ID, IMEI, USER, SIMS: 32 + 15 + 19 + 23 and two spaces after
    // each) and the three cut ones at their least (NAME, MODEL, CREATED: 8 each, spaces after
    // the first two): no terminal narrower than this gets a narrower table.
    let least = 97 + 10 + 10 + 8;
    for width in [160_u16, 130, 100] {
        let text = table_within(&rows, Some(width));
        insta::assert_snapshot!(format!("device_table_{width}_columns"), text);
        let bound = usize::from(width).max(least);
        for line in text.lines() {
            let shown = unicode_width::UnicodeWidthStr::width(line);
            assert!(shown <= bound, "{shown} > {bound}: `{line}`");
        }
        for id in [
            "dev_0SNlurA049MEWV4OpCwsNyC9Kx2N",
            "dev_0SNlurA049MEWV4OpCwsNyC9Kx2Q",
            "492388841798923",
            "usr_0SNlurA049MEWV1",
            "sim_0SNlurA049MEWV1BAAm",
        ] {
            let rows_with_it = if id.starts_with("dev_") { 1 } else { 4 };
            assert_eq!(
                text.matches(id).count(),
                rows_with_it,
                "{id} cut at {width}:\n{text}"
            );
        }
        let lines: Vec<&str> = text.lines().collect();
        let user = column_of(lines[0], "USER");
        for line in &lines[1..] {
            assert_eq!(column_of(line, "usr_"), user, "at {width}:\n{text}");
        }
        // Long names and models are cut with an ellipsis.
        assert!(text.contains('…'), "{text}");
        assert!(!text.contains("for the office"), "{text}");
    }
    // A terminal wide enough cuts nothing.
    assert_eq!(table_within(&rows, Some(400)), table(&rows));
}
