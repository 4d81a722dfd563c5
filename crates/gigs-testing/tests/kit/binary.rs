//! The `gigs-fake` binary as the gigs-testing README runs it: a seed file, a free port, requests
//! with a bearer token, a fault queued through the admin route; and its refusal of bad
//! arguments.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::ids::SUBSCRIPTION;

struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn serves_a_seed_file_and_takes_faults_over_http() {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seed.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gigs-fake"))
        .args(["--port", "0", "--seed"])
        .arg(&seed)
        .stdout(Stdio::piped())
        .spawn()
        .expect("gigs-fake starts");
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let base = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in `{line}`"))
        .to_owned();

    let http = reqwest::Client::new();
    let get = |path: &str| http.get(format!("{base}{path}")).bearer_auth("test").send();
    let list: serde_json::Value = get("/projects/gigs/subscriptions")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["id"], SUBSCRIPTION);

    let queued = http
        .post(format!("{base}/_fake/faults"))
        .body(r#"{"operation": "retrieveSubscription", "times": 1, "status": 503}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(queued.status(), 200);
    let path = format!("/projects/gigs/subscriptions/{SUBSCRIPTION}");
    assert_eq!(get(&path).await.unwrap().status(), 503);
    assert_eq!(get(&path).await.unwrap().status(), 200);
    let calls: serde_json::Value = http
        .get(format!("{base}/_fake/calls"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calls["retrieveSubscription"], 2);
}

#[test]
fn bad_arguments_and_seeds_exit_2_with_the_reason() {
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_gigs-fake"))
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(&["--port", "http"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--port"), "{stderr}");
    let bad_seed =
        std::env::temp_dir().join(format!("gigs-fake-bad-seed-{}.json", std::process::id()));
    std::fs::write(
        &bad_seed,
        r#"{"projects": {"p": {"sims": [{"object": "sim"}]}}}"#,
    )
    .unwrap();
    let (code, stderr) = run(&["--seed", bad_seed.to_str().unwrap()]);
    std::fs::remove_file(&bad_seed).unwrap();
    assert_eq!(code, Some(2));
    assert!(stderr.contains("projects.p.sims[0]"), "{stderr}");
}
