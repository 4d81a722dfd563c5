//! Every generated command run once against a local server: the exact request it sends (method,
//! path, query, JSON body, token) and the response example printed back without loss.

use std::collections::BTreeSet;

use gigs_tests::examples::lost_fields;
use serde_json::{json, Value};

use crate::support::{answering, gigs, only_request, query_pairs, success_example, TOKEN};

/// One command line and the request it must produce.
pub struct Case {
    pub args: &'static [&'static str],
    pub operation_id: &'static str,
    method: &'static str,
    path: &'static str,
    query: &'static [(&'static str, &'static str)],
    body: Option<Value>,
    pub stdin: Option<&'static str>,
}

fn case(
    args: &'static [&'static str],
    operation_id: &'static str,
    method: &'static str,
    path: &'static str,
) -> Case {
    Case {
        args,
        operation_id,
        method,
        path,
        query: &[],
        body: None,
        stdin: None,
    }
}

impl Case {
    fn query(mut self, query: &'static [(&'static str, &'static str)]) -> Self {
        self.query = query;
        self
    }

    fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    fn stdin(mut self, stdin: &'static str) -> Self {
        self.stdin = Some(stdin);
        self
    }
}

pub fn cases() -> Vec<Case> {
    vec![
        case(
            &["device-model-brands", "list"],
            "listDeviceModelBrands",
            "GET",
            "/deviceModelBrands",
        ),
        case(
            &[
                "device-models",
                "list",
                "--type",
                "smartphone,tablet",
                "--brand",
                "Apple",
                "--brand",
                "Google",
                "--sim-type",
                "eSIM",
                "--limit",
                "5",
                "--after",
                "dvm_1",
            ],
            "listDeviceModels",
            "GET",
            "/deviceModels",
        )
        .query(&[
            ("after", "dvm_1"),
            ("brand", "Apple,Google"),
            ("limit", "5"),
            ("simType", "eSIM"),
            ("type", "smartphone,tablet"),
        ]),
        case(
            &[
                "device-models",
                "retrieve",
                "dvm_0SNlurA049MEWV2gSfSxi00xlPIi",
            ],
            "retrieveDeviceModel",
            "GET",
            "/deviceModels/dvm_0SNlurA049MEWV2gSfSxi00xlPIi",
        ),
        case(
            &["device-models", "search", "--imei", "492388841798923"],
            "searchDeviceModels",
            "POST",
            "/deviceModels/search",
        )
        .body(json!({"imei": "492388841798923"})),
        case(
            &[
                "devices", "list", "--sim", "sim_1", "--user", "usr_1", "--before", "dev_9",
            ],
            "listDevices",
            "GET",
            "/projects/gigs/devices",
        )
        .query(&[("before", "dev_9"), ("sim", "sim_1"), ("user", "usr_1")]),
        case(
            &[
                "devices",
                "create",
                "--imei",
                "492388841798923",
                "--user",
                "usr_1",
                "--sims",
                "sim_1,sim_2",
                "--name",
                "Anna's iPhone",
                "--metadata",
                r#"{"internalId": "12345"}"#,
            ],
            "createDevice",
            "POST",
            "/projects/gigs/devices",
        )
        .body(
            json!({"imei": "492388841798923", "user": "usr_1", "sims": ["sim_1", "sim_2"],
                     "name": "Anna's iPhone", "metadata": {"internalId": "12345"}}),
        ),
        case(
            &["devices", "retrieve", "dev_1"],
            "retrieveDevice",
            "GET",
            "/projects/gigs/devices/dev_1",
        ),
        case(
            &[
                "devices",
                "update",
                "dev_1",
                "--name",
                "Work phone",
                "--body",
                "-",
            ],
            "updateDevice",
            "PATCH",
            "/projects/gigs/devices/dev_1",
        )
        .stdin(
            r#"{"name": "from stdin", "metadata": {"internalId": "12345", "obsoleteKey": null}}"#,
        )
        .body(json!({"name": "Work phone",
                     "metadata": {"internalId": "12345", "obsoleteKey": null}})),
        // `--body` keeps what the JSON says: clear the name and the user, detach every SIM.
        case(
            &["devices", "update", "dev_1", "--body", "-"],
            "updateDevice",
            "PATCH",
            "/projects/gigs/devices/dev_1",
        )
        .stdin(r#"{"name": null, "user": null, "sims": []}"#)
        .body(json!({"name": null, "user": null, "sims": []})),
        case(
            &["devices", "delete", "dev_1"],
            "deleteDevice",
            "DELETE",
            "/projects/gigs/devices/dev_1",
        ),
        case(
            &["devices", "search", "--imei", "492388841798923"],
            "searchDevices",
            "POST",
            "/projects/gigs/devices/search",
        )
        .body(json!({"imei": "492388841798923"})),
        case(
            &[
                "sims",
                "list",
                "--provider",
                "p1",
                "--provider",
                "p2",
                "--status",
                "active,retired",
                "--type",
                "pSIM",
                "--user",
                "usr_1",
            ],
            "listSims",
            "GET",
            "/projects/gigs/sims",
        )
        .query(&[
            ("provider", "p1,p2"),
            ("status", "active,retired"),
            ("type", "pSIM"),
            ("user", "usr_1"),
        ]),
        case(
            &[
                "sims",
                "search",
                "--iccid",
                "89883070000007537119",
                "--type",
                "eSIM,pSIM",
            ],
            "searchSims",
            "POST",
            "/projects/gigs/sims/search",
        )
        .body(json!({"iccid": "89883070000007537119", "type": ["eSIM", "pSIM"]})),
        case(
            &["sims", "retrieve", "sim_1"],
            "retrieveSim",
            "GET",
            "/projects/gigs/sims/sim_1",
        ),
        case(
            &[
                "sims",
                "update",
                "sim_1",
                "--metadata",
                r#"{"obsoleteKey": null}"#,
            ],
            "updateSim",
            "PATCH",
            "/projects/gigs/sims/sim_1",
        )
        .body(json!({"metadata": {"obsoleteKey": null}})),
        case(
            &["sims", "credentials", "sim_1"],
            "retrieveSimCredentials",
            "GET",
            "/projects/gigs/sims/sim_1/credentials",
        ),
        case(
            &["sims", "esim-profile", "sim_1"],
            "retrieveESimProfile",
            "GET",
            "/projects/gigs/sims/sim_1/eSimProfile",
        ),
        case(
            &[
                "subscriptions",
                "list",
                "--status",
                "active,pending",
                "--plan",
                "pln_1",
                "--user",
                "usr_1",
                "--sim",
                "sim_1",
            ],
            "listSubscriptions",
            "GET",
            "/projects/gigs/subscriptions",
        )
        .query(&[
            ("plan", "pln_1"),
            ("sim", "sim_1"),
            ("status", "active,pending"),
            ("user", "usr_1"),
        ]),
        case(
            &[
                "subscriptions",
                "create",
                "--plan",
                "pln_1",
                "--user",
                "usr_1",
                "--sim",
                "sim_1",
                "--device",
                "dev_1",
                "--device-model",
                "dvm_1",
                "--porting",
                "prt_1",
                "--user-address",
                "adr_1",
                "--metadata",
                r#"{"internalId": "12345"}"#,
            ],
            "createSubscription",
            "POST",
            "/projects/gigs/subscriptions",
        )
        .body(
            json!({"plan": "pln_1", "user": "usr_1", "sim": "sim_1", "device": "dev_1",
                     "deviceModel": "dvm_1", "porting": "prt_1", "userAddress": "adr_1",
                     "metadata": {"internalId": "12345"}}),
        ),
        case(
            &["subscriptions", "search", "--phone-number", "+12065550123"],
            "searchSubscriptions",
            "POST",
            "/projects/gigs/subscriptions/search",
        )
        .body(json!({"phoneNumber": "+12065550123"})),
        case(
            &["subscriptions", "retrieve", "sub_1"],
            "retrieveSubscription",
            "GET",
            "/projects/gigs/subscriptions/sub_1",
        ),
        case(
            &[
                "subscriptions",
                "update",
                "sub_1",
                "--metadata",
                r#"{"internalId": "12345"}"#,
            ],
            "updateSubscription",
            "PATCH",
            "/projects/gigs/subscriptions/sub_1",
        )
        .body(json!({"metadata": {"internalId": "12345"}})),
        case(
            &[
                "subscriptions",
                "cancel",
                "sub_1",
                "--cancellation-details",
                r#"{"userReason": "other", "userComment": "Moving abroad"}"#,
            ],
            "cancelSubscription",
            "POST",
            "/projects/gigs/subscriptions/sub_1/cancel",
        )
        .body(json!({"cancellationDetails": {"userReason": "other",
                                             "userComment": "Moving abroad"}})),
        case(
            &["subscriptions", "end", "sub_1"],
            "endSubscription",
            "POST",
            "/projects/gigs/subscriptions/sub_1/end",
        )
        .body(json!({})),
        case(
            &["subscriptions", "resume", "sub_1"],
            "resumeSubscription",
            "POST",
            "/projects/gigs/subscriptions/sub_1/resume",
        ),
        case(
            &["users", "list", "--limit", "3", "--after", "usr_9"],
            "listUsers",
            "GET",
            "/projects/gigs/users",
        )
        .query(&[("after", "usr_9"), ("limit", "3")]),
        case(
            &[
                "users",
                "create",
                "--email",
                "jerry@example.com",
                "--full-name",
                "Jerry Seinfeld",
                "--birthday",
                "2017-07-21",
                "--preferred-locale",
                "en-US",
                "--metadata",
                r#"{"internalId": "12345"}"#,
            ],
            "createUser",
            "POST",
            "/projects/gigs/users",
        )
        .body(
            json!({"email": "jerry@example.com", "fullName": "Jerry Seinfeld",
                     "birthday": "2017-07-21", "preferredLocale": "en-US",
                     "metadata": {"internalId": "12345"}}),
        ),
        case(
            &["users", "search", "--email", "jerry@example.com"],
            "searchUsers",
            "POST",
            "/projects/gigs/users/search",
        )
        .body(json!({"email": "jerry@example.com"})),
        case(
            &["users", "retrieve", "usr_1"],
            "retrieveUser",
            "GET",
            "/projects/gigs/users/usr_1",
        ),
        case(
            &[
                "users",
                "update",
                "usr_1",
                "--email",
                "jerry@seinfeld.example",
                "--clear-full-name",
                "--clear-birthday",
            ],
            "updateUser",
            "PATCH",
            "/projects/gigs/users/usr_1",
        )
        .body(json!({"email": "jerry@seinfeld.example", "fullName": null, "birthday": null})),
        case(
            &["users", "delete", "usr_1"],
            "deleteUser",
            "DELETE",
            "/projects/gigs/users/usr_1",
        ),
        case(
            &[
                "plans",
                "list",
                "--status",
                "available,archived",
                "--provider",
                "p5",
                "--sim-type",
                "eSIM",
            ],
            "listPlans",
            "GET",
            "/projects/gigs/plans",
        )
        .query(&[
            ("provider", "p5"),
            ("simType", "eSIM"),
            ("status", "available,archived"),
        ]),
        case(
            &["plans", "retrieve", "pln_1"],
            "retrievePlan",
            "GET",
            "/projects/gigs/plans/pln_1",
        ),
    ]
}

#[test]
fn every_generated_command_has_a_case() {
    let generated: BTreeSet<&str> = gigs_cli::COMMANDS.iter().map(|c| c.operation_id).collect();
    let covered: BTreeSet<&str> = cases().iter().map(|c| c.operation_id).collect();
    assert_eq!(generated, covered, "add a case for every new command");
    for case in cases() {
        let command = gigs_cli::COMMANDS
            .iter()
            .find(|command| command.operation_id == case.operation_id)
            .unwrap();
        assert_eq!(
            (command.resource, command.verb),
            (case.args[0], case.args[1]),
            "{} is `gigs {} {}`",
            case.operation_id,
            command.resource,
            command.verb
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_sends_its_request_and_prints_the_response() {
    for case in cases() {
        let example = success_example(case.operation_id);
        let server = answering(200, example.clone()).await;
        let mut run = gigs(case.args).at(&server);
        if let Some(stdin) = case.stdin {
            run = run.stdin(stdin);
        }
        let output = run.run().await;
        assert_eq!(output.code, 0, "{:?}: {output:#?}", case.args);

        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), case.method, "{:?}", case.args);
        assert_eq!(request.url.path(), case.path, "{:?}", case.args);
        let expected_query: Vec<(String, String)> = case
            .query
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        assert_eq!(query_pairs(&request), expected_query, "{:?}", case.args);
        assert_eq!(
            request
                .headers
                .get("authorization")
                .map(|value| value.to_str().unwrap().to_owned()),
            Some(format!("Bearer {TOKEN}")),
            "{:?}",
            case.args
        );
        match &case.body {
            Some(body) => {
                let sent: Value = serde_json::from_slice(&request.body)
                    .unwrap_or_else(|error| panic!("{:?}: body is not JSON: {error}", case.args));
                assert_eq!(&sent, body, "{:?}", case.args);
            }
            None => assert!(request.body.is_empty(), "{:?} sent a body", case.args),
        }

        let printed = output.json();
        let lost = lost_fields(&example, &printed);
        assert!(lost.is_empty(), "{:?} lost {lost:?}", case.args);
    }
}
