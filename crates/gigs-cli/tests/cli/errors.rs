//! Failures and exit statuses: 0 success, 1 API or network error (one line on stderr from the
//! SDK's error), 2 usage error, 3 configuration error; and the token in no output.

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{answering, gigs, success_example, TOKEN};

async fn not_found() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req_0SNlurA049")
                .set_body_json(json!({
                    "object": "error",
                    "type": "notFound",
                    "code": "resourceNotFound",
                    "message": "The subscription was not found.",
                    "documentation": [],
                    "details": []
                })),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_error_is_one_line_with_operation_status_code_message_and_request_id() {
    let server = not_found().await;
    let output = gigs(&["subscriptions", "retrieve", "sub_404"])
        .at(&server)
        .run()
        .await;
    output.assert_code(1);
    assert_eq!(output.stdout, "");
    let lines: Vec<&str> = output.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", output.stderr);
    for part in [
        "retrieveSubscription",
        "404",
        "resourceNotFound",
        "The subscription was not found.",
        "req_0SNlurA049",
    ] {
        assert!(
            lines[0].contains(part),
            "`{part}` missing from {}",
            lines[0]
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_network_error_exits_1() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = gigs(&["sims", "retrieve", "sim_1", "--retries", "0"])
        .env("GIGS_BASE_URL", &format!("http://127.0.0.1:{port}"))
        .env("GIGS_PROJECT", "gigs")
        .run()
        .await;
    output.assert_code(1);
    assert!(output.stderr.contains("retrieveSim"), "{}", output.stderr);
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.stderr);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["subscriptions", "fly"][..],
        &["subscriptions", "retrieve"],
        &["subscriptions", "list", "--status", "sleeping"],
        &["subscriptions", "list", "--limit", "201"],
        &["subscriptions", "create", "--plan", "pln_1"],
        &["devices", "list", "--no-such-flag"],
        &["completion", "powershell"],
    ] {
        let output = gigs(args)
            .env("GIGS_PROJECT", "gigs")
            .env("GIGS_BASE_URL", "http://127.0.0.1:9")
            .run_blocking();
        assert_eq!(output.code, 2, "{args:?}: {output:#?}");
        assert_eq!(output.stdout, "", "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn a_bad_body_is_a_usage_error_that_says_where() {
    let dir = std::env::temp_dir().join(format!("gigs-cli-body-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_json = dir.join("not-json.json");
    std::fs::write(&not_json, "{\"imei\": ").unwrap();
    let not_object = dir.join("array.json");
    std::fs::write(&not_object, "[1, 2]").unwrap();
    let wrong_type = dir.join("wrong-type.json");
    std::fs::write(&wrong_type, r#"{"imei": "1", "sims": "sim_1"}"#).unwrap();
    let cases = [
        (vec!["--body", not_json.to_str().unwrap()], "not valid JSON"),
        (
            vec!["--body", not_object.to_str().unwrap()],
            "must be a JSON object",
        ),
        (vec!["--body", wrong_type.to_str().unwrap()], "sims"),
        (vec!["--body", "/no/such/file.json"], "cannot read"),
        (
            vec!["--imei", "1", "--metadata", "{internalId"],
            "--metadata",
        ),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["devices", "create"];
        args.extend(extra.iter().copied());
        let output = gigs(&args)
            .env("GIGS_PROJECT", "gigs")
            .env("GIGS_BASE_URL", "http://127.0.0.1:9")
            .run_blocking();
        assert_eq!(output.code, 2, "{args:?}: {output:#?}");
        assert!(
            output.stderr.contains(expected),
            "{args:?}: {}",
            output.stderr
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn configuration_errors_exit_3() {
    let missing_token = gigs(&["sims", "list"])
        .env_remove("GIGS_TOKEN")
        .env("GIGS_PROJECT", "gigs")
        .run_blocking();
    missing_token.assert_code(3);
    assert!(
        missing_token.stderr.contains("GIGS_TOKEN"),
        "{}",
        missing_token.stderr
    );

    let missing_project = gigs(&["sims", "list"]).run_blocking();
    missing_project.assert_code(3);
    assert!(
        missing_project.stderr.contains("GIGS_PROJECT"),
        "{}",
        missing_project.stderr
    );

    let bad_url = gigs(&["sims", "list"])
        .env("GIGS_PROJECT", "gigs")
        .env("GIGS_BASE_URL", "not a url")
        .run_blocking();
    bad_url.assert_code(3);
    assert!(bad_url.stderr.contains("not a url"), "{}", bad_url.stderr);

    let missing_file = gigs(&["sims", "list", "--token-file", "/no/such/token"])
        .env_remove("GIGS_TOKEN")
        .env("GIGS_PROJECT", "gigs")
        .run_blocking();
    missing_file.assert_code(3);
    assert!(
        missing_file.stderr.contains("/no/such/token"),
        "{}",
        missing_file.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_file_is_read_and_the_token_never_printed() {
    let server = answering(200, success_example("retrieveSim")).await;
    let file = std::env::temp_dir().join(format!("gigs-cli-token-{}", std::process::id()));
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    let output = gigs(&[
        "sims",
        "retrieve",
        "sim_1",
        "--token-file",
        file.to_str().unwrap(),
        "-v",
    ])
    .env_remove("GIGS_TOKEN")
    .at(&server)
    .run()
    .await;
    std::fs::remove_file(&file).unwrap();
    output.assert_code(0);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0]
            .headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap(),
        format!("Bearer {TOKEN}"),
        "the trailing newline of the file is not part of the token"
    );
    assert!(
        output.stderr.contains("gigs.request"),
        "--verbose logs the request span: {}",
        output.stderr
    );
    assert!(!output.stdout.contains(TOKEN) && !output.stderr.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn verbose_errors_never_show_the_token() {
    let server = answering(
        401,
        json!({"object": "error", "type": "unauthorized", "code": "invalidToken",
               "message": "The token is not valid.", "documentation": [], "details": []}),
    )
    .await;
    let output = gigs(&["subscriptions", "list", "--verbose"])
        .at(&server)
        .run()
        .await;
    output.assert_code(1);
    assert!(output.stderr.contains("401"), "{}", output.stderr);
    assert!(!output.stdout.contains(TOKEN) && !output.stderr.contains(TOKEN));
}

#[test]
fn help_and_version_exit_0() {
    for args in [
        &["--help"][..],
        &["--version"],
        &["subscriptions", "list", "--help"],
    ] {
        let output = gigs(args).run_blocking();
        assert_eq!(output.code, 0, "{args:?}: {output:#?}");
        assert!(!output.stdout.is_empty(), "{args:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_the_sdk_refuses_before_sending_is_a_usage_error() {
    let server = answering(200, success_example("retrieveSubscription")).await;
    // `..` as an id would reach another path; the SDK refuses it, and nothing is sent.
    let dot_dot = gigs(&["subscriptions", "retrieve", ".."])
        .at(&server)
        .run()
        .await;
    dot_dot.assert_code(2);
    // A page size of 0 passes the spec's range (0 to 200) but not the pager's (1 to 200).
    let zero = gigs(&["subscriptions", "list", "--all", "--limit", "0"])
        .at(&server)
        .run()
        .await;
    zero.assert_code(2);
    assert!(zero.stderr.contains("page size"), "{}", zero.stderr);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_go_to_stdout_only_and_never_into_an_error_or_log_line() {
    let credentials = success_example("retrieveSimCredentials");
    let secrets = [
        credentials["activationCode"].as_str().unwrap().to_owned(),
        credentials["qrCodeUrl"].as_str().unwrap().to_owned(),
    ];
    // Asked for, they are printed: that is the command's job. The log lines hold none.
    let server = answering(200, credentials.clone()).await;
    let output = gigs(&["-v", "sims", "credentials", "sim_1", "-o", "json"])
        .at(&server)
        .run()
        .await;
    output.assert_code(0);
    for secret in &secrets {
        assert!(output.stdout.contains(secret.as_str()), "{output:#?}");
        assert!(
            !output.stderr.contains(secret.as_str()),
            "{}",
            output.stderr
        );
    }
    assert!(output.stderr.contains("gigs.request"), "{}", output.stderr);

    // The same body under an error status and an undocumented one: the error line and the log
    // lines say what happened, without the body.
    for status in [500, 203] {
        let server = answering(status, credentials.clone()).await;
        let output = gigs(&["-v", "--retries", "0", "sims", "credentials", "sim_1"])
            .at(&server)
            .run()
            .await;
        output.assert_code(1);
        for secret in &secrets {
            assert!(!output.stdout.contains(secret.as_str()), "{output:#?}");
            assert!(!output.stderr.contains(secret.as_str()), "{output:#?}");
        }
    }
}
