//! `cargo xtask diff --format junit` and `--format sarif`, each checked against its published
//! schema (vendored in `tests/fixtures/schemas/`, sources in its README) and against the JSON
//! report of the same diff, so the formats agree with each other finding by finding.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output};

const BASE: &str = "tests/fixtures/diff/report/base.yaml";
const HEAD: &str = "tests/fixtures/diff/report/head.yaml";
const ACCEPTED: &str = "tests/fixtures/diff/report/accepted-breaks.yaml";
const SARIF_SCHEMA: &str = "tests/fixtures/schemas/sarif-2.1.0-rtm.5.json";
const JUNIT_XSD: &str = "tests/fixtures/schemas/junit-10.xsd";

/// Runs from the manifest directory with relative paths, as `diff_report.rs` does.
fn diff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("diff")
        .args(args)
        .output()
        .unwrap()
}

fn report_in(format: &str, base: &str, head: &str) -> String {
    let output = diff(&[
        "--from",
        base,
        "--to",
        head,
        "--accepted",
        ACCEPTED,
        "--format",
        format,
        "--fail-on",
        "never",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The JSON report's findings: what the other formats must carry, one each.
fn json_findings(base: &str, head: &str) -> Vec<serde_json::Value> {
    let report: serde_json::Value = serde_json::from_str(&report_in("json", base, head)).unwrap();
    report["findings"].as_array().unwrap().clone()
}

fn expected_level(finding: &serde_json::Value) -> &'static str {
    if !finding["accepted"].is_null() {
        return "note";
    }
    match finding["severity"].as_str().unwrap() {
        "breaking" => "error",
        "review" => "warning",
        "info" => "note",
        other => panic!("unknown severity {other}"),
    }
}

// ---------------------------------------------------------------- SARIF

/// The published `language` pattern (of `run` and of `toolComponent`) has a stray `]`, a literal
/// in ECMAScript's web-compatible regular expressions but refused by the `jsonschema` crate's
/// check that a schema's patterns are regular expressions; escaped, it means the same. No
/// output of ours sets `language`.
const SARIF_LANGUAGE_PATTERN: (&str, &str) = (
    "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
    "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$",
);

fn sarif_validator() -> jsonschema::Validator {
    let mut schema: serde_json::Value = serde_json::from_str(&read(SARIF_SCHEMA)).unwrap();
    for owner in ["run", "toolComponent"] {
        let pointer = format!("/definitions/{owner}/properties/language/pattern");
        let pattern = schema.pointer_mut(&pointer).unwrap();
        assert_eq!(
            pattern, SARIF_LANGUAGE_PATTERN.0,
            "the vendored schema changed"
        );
        *pattern = SARIF_LANGUAGE_PATTERN.1.into();
    }
    jsonschema::validator_for(&schema).expect("the vendored SARIF schema compiles")
}

fn assert_valid_sarif(log: &serde_json::Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
}

#[test]
fn sarif_log_is_valid_against_the_published_schema_and_carries_every_finding() {
    let log: serde_json::Value = serde_json::from_str(&report_in("sarif", BASE, HEAD)).unwrap();
    assert_valid_sarif(&log);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    let rules = driver["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    let distinct: BTreeSet<&&str> = rule_ids.iter().collect();
    assert_eq!(distinct.len(), rule_ids.len(), "rule ids are unique");
    // Each rule's help links its section of the committed rules reference, and the tool links
    // the review's page.
    let reference = read("../docs/contract-review-rules.md");
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let help = rule["helpUri"].as_str().unwrap();
        assert!(
            help.ends_with(&format!("/docs/contract-review-rules.md#{id}")),
            "{help}"
        );
        assert!(
            reference.contains(&format!("\n## {id}\n")),
            "no section for {id}"
        );
    }
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .ends_with("/docs/contract-review.md"));
    // Every rule of the catalogue, with its explanation as help text.
    let catalogue = diff(&["--rules"]);
    let catalogue = String::from_utf8(catalogue.stdout).unwrap();
    let catalogue_rows: Vec<Vec<&str>> = catalogue
        .lines()
        .skip(1)
        .map(|line| line.split('\t').collect())
        .collect();
    assert_eq!(rule_ids.len(), catalogue_rows.len());
    for row in &catalogue_rows {
        let rule = rules.iter().find(|rule| rule["id"] == row[0]).unwrap();
        let [_, wire, wire_from, rust, summary] = row.as_slice() else {
            panic!("five columns: {row:?}");
        };
        assert_eq!(rule["shortDescription"]["text"], *summary);
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(help.starts_with(summary), "{help}");
        let wire = match *wire_from {
            "schemas" => format!("what the base and head schemas accept (usually {wire})"),
            "rule" => format!("wire {wire}"),
            other => panic!("wire from {other}"),
        };
        assert!(
            help.contains(&format!("{wire}; Rust API {rust}.")),
            "{help}"
        );
    }

    let findings = json_findings(BASE, HEAD);
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    assert!(!results.is_empty());
    for (result, finding) in results.iter().zip(&findings) {
        assert_eq!(result["ruleId"], finding["rule"]);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], finding["rule"],
            "ruleIndex points at the rule"
        );
        assert_eq!(result["level"], expected_level(finding), "{result:#}");
        let message = result["message"]["text"].as_str().unwrap();
        assert!(
            message.contains(finding["summary"].as_str().unwrap()),
            "{message}"
        );
        let location = &result["locations"][0];
        assert_eq!(
            location["physicalLocation"]["artifactLocation"]["uri"],
            "tests/fixtures/diff/report/head.yaml"
        );
        assert_eq!(
            location["logicalLocations"][0]["fullyQualifiedName"],
            finding["pointer"]
        );
        match finding["accepted"].as_str() {
            Some(reason) => {
                assert_eq!(result["suppressions"][0]["kind"], "external");
                assert_eq!(result["suppressions"][0]["justification"], reason);
            }
            None => assert!(result.get("suppressions").is_none(), "{result:#}"),
        }
    }
    // The lines are those of the GitHub annotations (the same place maps both).
    let lines_of = |rule: &str| -> BTreeSet<u64> {
        results
            .iter()
            .filter(|result| result["ruleId"] == rule)
            .filter_map(|result| {
                result["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64()
            })
            .collect()
    };
    assert_eq!(
        lines_of("response-property-became-non-nullable"),
        BTreeSet::from([62])
    );
    assert_eq!(lines_of("response-enum-value-added"), BTreeSet::from([69]));
    assert_eq!(lines_of("operation-id-changed"), BTreeSet::from([37]));
}

#[test]
fn sarif_log_without_findings_is_valid() {
    let log: serde_json::Value = serde_json::from_str(&report_in("sarif", BASE, BASE)).unwrap();
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

/// The check would pass anything if the schema did not bind: a log missing what SARIF requires
/// must be refused.
#[test]
fn sarif_schema_check_refuses_a_broken_log() {
    let mut log: serde_json::Value = serde_json::from_str(&report_in("sarif", BASE, HEAD)).unwrap();
    log["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!sarif_validator().is_valid(&log));
    let mut log: serde_json::Value = serde_json::from_str(&report_in("sarif", BASE, HEAD)).unwrap();
    log["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    assert!(!sarif_validator().is_valid(&log));
}

// ---------------------------------------------------------------- JUnit

const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// What `junit-10.xsd` says of one element.
#[derive(Default, Debug)]
struct ElementRule {
    /// Text allowed (a simple `xs:string` type or a `mixed` complex type).
    text: bool,
    /// Child element → at most how many (`None`: unbounded).
    children: BTreeMap<String, Option<usize>>,
    /// Attribute → (required, the pattern of its simple type if any).
    attributes: BTreeMap<String, (bool, Option<regex::Regex>)>,
}

/// The element rules of an XSD, for the constructs `junit-10.xsd` uses; anything else panics,
/// so a schema this reader does not fully understand is never half-checked.
fn xsd_rules(xsd: &str) -> BTreeMap<String, ElementRule> {
    let document = roxmltree::Document::parse(xsd).unwrap();
    let schema = document.root_element();
    let known = [
        "schema",
        "simpleType",
        "restriction",
        "pattern",
        "complexType",
        "sequence",
        "choice",
        "element",
        "attribute",
    ];
    for node in schema.descendants().filter(|node| node.is_element()) {
        assert_eq!(node.tag_name().namespace(), Some(XS));
        assert!(
            known.contains(&node.tag_name().name()),
            "unknown XSD construct {:?}",
            node.tag_name()
        );
    }
    let is =
        |node: &roxmltree::Node, name: &str| node.is_element() && node.tag_name().name() == name;
    let mut patterns: BTreeMap<String, regex::Regex> = BTreeMap::new();
    for simple in schema.children().filter(|node| is(node, "simpleType")) {
        let restriction = simple
            .children()
            .find(|node| is(node, "restriction"))
            .unwrap();
        assert_eq!(restriction.attribute("base"), Some("xs:string"));
        let pattern = restriction
            .children()
            .find(|node| is(node, "pattern"))
            .unwrap();
        let regex = format!("^(?:{})$", pattern.attribute("value").unwrap());
        patterns.insert(
            simple.attribute("name").unwrap().to_owned(),
            regex::Regex::new(&regex).unwrap(),
        );
    }
    let named_types: BTreeMap<&str, roxmltree::Node> = schema
        .children()
        .filter(|node| is(node, "complexType"))
        .map(|node| (node.attribute("name").unwrap(), node))
        .collect();
    let max_occurs = |node: &roxmltree::Node| match node.attribute("maxOccurs") {
        Some("unbounded") => None,
        Some(number) => Some(number.parse().unwrap()),
        None => Some(1),
    };
    let complex = |node: roxmltree::Node, rules: &mut BTreeMap<String, ElementRule>| {
        let mut rule = ElementRule {
            text: node.attribute("mixed") == Some("true"),
            ..ElementRule::default()
        };
        for child in node.descendants().filter(|child| is(child, "element")) {
            // Unbounded if the element or any group around it repeats without bound.
            let unbounded = child
                .ancestors()
                .take_while(|ancestor| *ancestor != node)
                .any(|ancestor| max_occurs(&ancestor).is_none());
            let limit = if unbounded { None } else { Some(1) };
            let name = match (child.attribute("ref"), child.attribute("name")) {
                (Some(reference), None) => reference.to_owned(),
                (None, Some(name)) => {
                    // A local declaration: only `type="xs:string"` is used.
                    assert_eq!(child.attribute("type"), Some("xs:string"));
                    rules.entry(name.to_owned()).or_insert(ElementRule {
                        text: true,
                        ..ElementRule::default()
                    });
                    name.to_owned()
                }
                other => panic!("element with {other:?}"),
            };
            rule.children.insert(name, limit);
        }
        for attribute in node.children().filter(|child| is(child, "attribute")) {
            let pattern = match attribute.attribute("type").unwrap() {
                "xs:string" => None,
                named => Some(patterns[named].clone()),
            };
            rule.attributes.insert(
                attribute.attribute("name").unwrap().to_owned(),
                (attribute.attribute("use") == Some("required"), pattern),
            );
        }
        rule
    };
    let mut rules = BTreeMap::new();
    for element in schema.children().filter(|node| is(node, "element")) {
        let name = element.attribute("name").unwrap().to_owned();
        let rule = match element.attribute("type") {
            Some("xs:string") => ElementRule {
                text: true,
                ..ElementRule::default()
            },
            Some(named) => complex(named_types[named], &mut rules),
            None => complex(
                element
                    .children()
                    .find(|node| is(node, "complexType"))
                    .unwrap(),
                &mut rules,
            ),
        };
        rules.insert(name, rule);
    }
    rules
}

/// Every violation of `rules` in `xml`, as readable lines.
fn xsd_violations(rules: &BTreeMap<String, ElementRule>, xml: &str) -> Vec<String> {
    let document = match roxmltree::Document::parse(xml) {
        Ok(document) => document,
        Err(error) => return vec![format!("not well-formed XML: {error}")],
    };
    let mut violations = Vec::new();
    for element in document.descendants().filter(|node| node.is_element()) {
        let name = element.tag_name().name();
        let Some(rule) = rules.get(name) else {
            violations.push(format!("undeclared element <{name}>"));
            continue;
        };
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for child in element.children() {
            if child.is_element() {
                let child_name = child.tag_name().name();
                *counts.entry(child_name).or_default() += 1;
                if !rule.children.contains_key(child_name) {
                    violations.push(format!("<{child_name}> not allowed in <{name}>"));
                }
            } else if child.is_text() && !rule.text && !child.text().unwrap().trim().is_empty() {
                violations.push(format!("text not allowed in <{name}>"));
            }
        }
        for (child_name, count) in counts {
            if let Some(Some(limit)) = rule.children.get(child_name) {
                if count > *limit {
                    violations.push(format!(
                        "{count} <{child_name}> in <{name}>, at most {limit}"
                    ));
                }
            }
        }
        for attribute in element.attributes() {
            match rule.attributes.get(attribute.name()) {
                None => violations.push(format!(
                    "attribute {} not declared on <{name}>",
                    attribute.name()
                )),
                Some((_, Some(pattern))) if !pattern.is_match(attribute.value()) => violations
                    .push(format!(
                        "{}={:?} on <{name}> does not match its pattern",
                        attribute.name(),
                        attribute.value()
                    )),
                Some(_) => {}
            }
        }
        for (attribute, (required, _)) in &rule.attributes {
            if *required && element.attribute(attribute.as_str()).is_none() {
                violations.push(format!("<{name}> lacks required attribute {attribute}"));
            }
        }
    }
    violations
}

fn junit_rules() -> BTreeMap<String, ElementRule> {
    xsd_rules(&read(JUNIT_XSD))
}

fn count(node: roxmltree::Node, attribute: &str) -> usize {
    node.attribute(attribute).unwrap().parse().unwrap()
}

/// The structure GitLab documents for unit test reports: `testsuites` > `testsuite` >
/// `testcase` (`name`, `classname`), a failed case holding `<failure>`, and counts that add up.
fn assert_gitlab_structure(document: &roxmltree::Document) -> Vec<(String, String, bool)> {
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<roxmltree::Node> = root.children().filter(|node| node.is_element()).collect();
    let mut cases = Vec::new();
    let mut total_failures = 0;
    for suite in &suites {
        assert_eq!(suite.tag_name().name(), "testsuite");
        let testcases: Vec<roxmltree::Node> =
            suite.children().filter(|node| node.is_element()).collect();
        assert_eq!(count(*suite, "tests"), testcases.len());
        let failed = testcases
            .iter()
            .filter(|case| case.children().any(|child| child.has_tag_name("failure")))
            .count();
        assert_eq!(count(*suite, "failures"), failed);
        assert_eq!(count(*suite, "errors"), 0);
        total_failures += failed;
        for case in testcases {
            assert_eq!(case.tag_name().name(), "testcase");
            assert_eq!(case.attribute("classname"), suite.attribute("name"));
            let failure = case.children().find(|child| child.has_tag_name("failure"));
            if let Some(failure) = failure {
                assert!(failure.attribute("message").is_some());
                assert!(failure.text().is_some_and(|text| !text.is_empty()));
            }
            cases.push((
                suite.attribute("name").unwrap().to_owned(),
                case.attribute("name").unwrap().to_owned(),
                failure.is_some(),
            ));
        }
    }
    assert_eq!(count(root, "failures"), total_failures);
    assert_eq!(count(root, "tests"), cases.len());
    cases
}

/// The JUnit report of BASE → `head` with `--fail-on fail_on`; the exit code must say the same
/// as the report (1 exactly when a case fails).
fn junit_report(head: &str, fail_on: &str) -> String {
    let output = diff(&[
        "--from",
        BASE,
        "--to",
        head,
        "--accepted",
        ACCEPTED,
        "--format",
        "junit",
        "--fail-on",
        fail_on,
    ]);
    let xml = String::from_utf8(output.stdout).unwrap();
    let failed = xml.contains("<failure ");
    assert_eq!(
        output.status.code(),
        Some(i32::from(failed)),
        "--fail-on {fail_on}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    xml
}

#[test]
fn junit_report_is_valid_against_the_jenkins_xsd_with_a_failure_per_break() {
    let xml = junit_report(HEAD, "breaking");
    let violations = xsd_violations(&junit_rules(), &xml);
    assert!(violations.is_empty(), "{violations:#?}\n{xml}");
    let document = roxmltree::Document::parse(&xml).unwrap();
    let cases = assert_gitlab_structure(&document);

    let findings = json_findings(BASE, HEAD);
    assert_eq!(cases.len(), findings.len());
    // One suite per rule, one case per finding; exactly the unaccepted breaks fail.
    let expected: BTreeSet<(String, bool)> = findings
        .iter()
        .map(|finding| {
            (
                finding["rule"].as_str().unwrap().to_owned(),
                expected_level(finding) == "error",
            )
        })
        .collect();
    let actual: BTreeSet<(String, bool)> = cases
        .iter()
        .map(|(suite, _, failed)| (suite.clone(), *failed))
        .collect();
    assert_eq!(actual, expected);
    let failing = findings
        .iter()
        .filter(|finding| expected_level(finding) == "error")
        .count();
    assert!(failing > 0);
    assert_eq!(
        cases.iter().filter(|(_, _, failed)| *failed).count(),
        failing
    );
    // Names tell the findings of a rule apart.
    let names: BTreeSet<(&String, &String)> =
        cases.iter().map(|(suite, name, _)| (suite, name)).collect();
    assert_eq!(names.len(), cases.len());
    // The failure text points at the head spec's line.
    assert!(
        xml.contains("tests/fixtures/diff/report/head.yaml:62: "),
        "{xml}"
    );
}

/// A test case fails exactly when its finding fails the run: `--fail-on review` fails the
/// unaccepted findings that need review too, `--fail-on never` none.
#[test]
fn junit_failures_follow_fail_on() {
    let findings = json_findings(BASE, HEAD);
    let failing = |levels: &[&str]| {
        findings
            .iter()
            .filter(|finding| levels.contains(&expected_level(finding)))
            .count()
    };
    for (fail_on, expected) in [
        ("breaking", failing(&["error"])),
        ("review", failing(&["error", "warning"])),
        ("never", 0),
    ] {
        let xml = junit_report(HEAD, fail_on);
        let document = roxmltree::Document::parse(&xml).unwrap();
        let cases = assert_gitlab_structure(&document);
        assert_eq!(
            cases.iter().filter(|(_, _, failed)| *failed).count(),
            expected,
            "--fail-on {fail_on}"
        );
    }
    assert!(
        failing(&["warning"]) > 0,
        "the fixture has findings that need review"
    );
}

#[test]
fn junit_report_without_findings_is_one_passing_case() {
    let xml = junit_report(BASE, "breaking");
    let violations = xsd_violations(&junit_rules(), &xml);
    assert!(violations.is_empty(), "{violations:#?}\n{xml}");
    let document = roxmltree::Document::parse(&xml).unwrap();
    let cases = assert_gitlab_structure(&document);
    assert_eq!(cases.len(), 1);
    assert!(!cases[0].2);
}

/// The XSD reader binds: what the schema forbids is reported.
#[test]
fn junit_xsd_check_refuses_what_the_schema_forbids() {
    let rules = junit_rules();
    let valid = r#"<testsuites><testsuite name="a" tests="1" failures="0" errors="0" time="1.5"><testcase name="x"/></testsuite></testsuites>"#;
    assert_eq!(xsd_violations(&rules, valid), Vec::<String>::new());
    for (broken, expected) in [
        (
            r#"<testsuites><testsuite name="a" tests="1" failures="0"><testcase name="x"/></testsuite></testsuites>"#,
            "lacks required attribute errors",
        ),
        (
            r#"<testsuites><testcase name="x"/></testsuites>"#,
            "<testcase> not allowed in <testsuites>",
        ),
        (
            r#"<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="x" file="f"/></testsuite></testsuites>"#,
            "attribute file not declared on <testcase>",
        ),
        (
            r#"<testsuites><testsuite name="a" tests="1" failures="0" errors="0" time="soon"/></testsuites>"#,
            "does not match its pattern",
        ),
        (r#"<testsuites>words</testsuites>"#, "text not allowed"),
        (r#"<report/>"#, "undeclared element <report>"),
    ] {
        let violations = xsd_violations(&rules, broken);
        assert!(
            violations
                .iter()
                .any(|violation| violation.contains(expected)),
            "{broken}: {violations:?}"
        );
    }
}

/// Finding text is escaped: pointers with `{}` and `~1`, Rust effects with `<` and quotes all
/// come back as the same text.
#[test]
fn junit_keeps_finding_text_intact() {
    let xml = junit_report(HEAD, "breaking");
    let document = roxmltree::Document::parse(&xml).unwrap();
    let texts: String = document
        .descendants()
        .filter_map(|node| node.text())
        .collect();
    let findings = json_findings(BASE, HEAD);
    for finding in &findings {
        let pointer = finding["pointer"].as_str().unwrap();
        assert!(texts.contains(pointer), "{pointer} missing in {xml}");
    }
}
