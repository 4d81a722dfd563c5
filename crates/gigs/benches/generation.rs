//! Benchmark 5: the wall time of `cargo xtask generate` once xtask is built, measured with
//! `--check` against the real spec so that nothing is written. Run with
//! `cargo bench -p gigs --bench generation`.

#[path = "support/report.rs"]
mod report;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::report::verdict;

const RUNS: usize = 7;
/// The wall time the benchmark is held to.
const TARGET: Duration = Duration::from_secs(1);

fn main() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // `cargo xtask` is `cargo run --quiet --package xtask --`: the dev profile's binary.
    let xtask = build_xtask(&workspace, &cargo);

    let binary = time_runs(|| {
        Command::new(&xtask)
            .args(["generate", "--check"])
            .current_dir(&workspace)
            .output()
    });
    let through_cargo = time_runs(|| {
        Command::new(&cargo)
            .args(["xtask", "generate", "--check"])
            .current_dir(&workspace)
            .output()
    });

    println!("generation: `xtask generate --check` on openapi.yaml, median of {RUNS} runs");
    println!(
        "  the built xtask binary:            {:>8.3?} (fastest {:>8.3?})",
        binary[RUNS / 2],
        binary[0]
    );
    println!(
        "  `cargo xtask generate --check`:    {:>8.3?} (fastest {:>8.3?}, with cargo's up-to-date check)",
        through_cargo[RUNS / 2],
        through_cargo[0]
    );
    println!(
        "  target: < {TARGET:?}: {}",
        verdict(binary[RUNS / 2] < TARGET && through_cargo[RUNS / 2] < TARGET)
    );
}

/// Builds xtask as `cargo xtask` does and returns its executable.
fn build_xtask(workspace: &Path, cargo: &std::ffi::OsStr) -> PathBuf {
    let output = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "--package",
            "xtask",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(workspace)
        .output()
        .expect("run cargo build");
    assert!(
        output.status.success(),
        "building xtask failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["target"]["name"] == "xtask")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .expect("cargo reported the xtask executable")
}

/// Runs `command` `RUNS` times, checks each run succeeded, and returns the sorted wall times.
fn time_runs(mut command: impl FnMut() -> std::io::Result<Output>) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let output = command().expect("start xtask");
            let elapsed = start.elapsed();
            assert!(
                output.status.success(),
                "xtask generate --check failed (is generated.rs up to date?):\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            elapsed
        })
        .collect();
    times.sort();
    times
}
