//! Workspace tasks for gigs-rs. Run `cargo xtask --help`.
//!
//! A thin runner over the library crates beside it: `spec-model` (the spec read once),
//! `codegen` (every generated file), `contract-review` (the review engine). This crate keeps
//! what is about the command line, git, release and where files live (`files`).

mod diff;
mod files;
mod git;
mod output;
mod release;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use files::{workspace_root, SPEC_FILE};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Workspace tasks for gigs-rs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the committed code (crates/gigs-client/src/generated.rs,
    /// crates/gigs-cli/src/generated.rs, tests/src/generated.rs) from openapi.yaml.
    Generate {
        /// Do not write; exit with status 1 and print a diff if a committed file is stale.
        #[arg(long)]
        check: bool,
        /// The OpenAPI document to read.
        #[arg(long, default_value_os_t = workspace_root().join(SPEC_FILE))]
        spec: PathBuf,
        /// The directory the generated files' paths are relative to (the workspace root).
        #[arg(long, default_value_os_t = workspace_root())]
        root: PathBuf,
    },
    /// Report what a change of openapi.yaml does to the contract (wire and Rust API).
    Diff(diff::DiffArgs),
    /// Prepare a release of gigs-client and gigs: next versions and changelog section from the
    /// contract diff since the last `gigs-client-v*` tag and from cargo-semver-checks. A dry
    /// run unless --write; never tags or publishes.
    Release(release::ReleaseArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate { check, spec, root } => run_generate(&spec, &root, check),
        Command::Diff(args) => Ok(diff::run(&args)),
        Command::Release(args) => release::run(&args).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_generate(spec: &Path, root: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let generated = codegen::generate(spec)?;
    let summary = format!(
        "{} operations, {} types, {} lines",
        generated.operations,
        generated.types,
        generated.lines()
    );
    if check {
        let mut stale = Vec::new();
        for file in &generated.files {
            let out = root.join(files::output_path(file.output));
            if let Some(diff) = output::diff_against(&out, &file.code)? {
                print!("{diff}");
                stale.push(out);
            }
        }
        if stale.is_empty() {
            println!("generated code is up to date ({summary})");
            return Ok(ExitCode::SUCCESS);
        }
        for out in stale {
            eprintln!(
                "{} is stale: run `cargo xtask generate` and commit the result",
                out.display()
            );
        }
        return Ok(ExitCode::FAILURE);
    }
    for (index, file) in generated.files.iter().enumerate() {
        let out = root.join(files::output_path(file.output));
        let changed = output::write_if_changed(&out, &file.code)?;
        let state = if changed { "changed" } else { "unchanged" };
        if index == 0 {
            println!("generated {}: {summary}, {state}", out.display());
        } else {
            println!("generated {}: {state}", out.display());
        }
    }
    println!(
        "{}",
        codegen::server_trait::report(
            &root.join(files::FAKE_BEHAVIOUR),
            files::FAKE_BEHAVIOUR,
            &generated.fake
        )?
    );
    Ok(ExitCode::SUCCESS)
}
