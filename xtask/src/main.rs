//! Workspace tasks for gigs-rs. Run `cargo xtask --help`.

mod diagnostic;
mod diff;
mod extras;
mod generate;
mod normalize;
mod output;
mod spec;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Workspace tasks for gigs-rs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate crates/gigs-client/src/generated.rs from openapi.yaml.
    Generate {
        /// Do not write; exit with status 1 and print a diff if the committed file is stale.
        #[arg(long)]
        check: bool,
        /// The OpenAPI document to read.
        #[arg(long, default_value_os_t = workspace_root().join("openapi.yaml"))]
        spec: PathBuf,
        /// The Rust file to write.
        #[arg(long, default_value_os_t = workspace_root().join("crates/gigs-client/src/generated.rs"))]
        out: PathBuf,
    },
    /// Report what a change of openapi.yaml does to the contract (wire and Rust API).
    Diff(diff::DiffArgs),
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_owned()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate { check, spec, out } => run_generate(&spec, &out, check),
        Command::Diff(args) => Ok(diff::run(&args)),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_generate(spec: &Path, out: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let generated = generate::generate(spec)?;
    let summary = format!(
        "{} operations, {} types, {} lines",
        generated.operations,
        generated.types,
        generated.lines()
    );
    if check {
        return Ok(match output::diff_against(out, &generated.code)? {
            None => {
                println!("{} is up to date ({summary})", out.display());
                ExitCode::SUCCESS
            }
            Some(diff) => {
                print!("{diff}");
                eprintln!(
                    "{} is stale: run `cargo xtask generate` and commit the result",
                    out.display()
                );
                ExitCode::FAILURE
            }
        });
    }
    let changed = output::write_if_changed(out, &generated.code)?;
    println!(
        "generated {}: {summary}, {}",
        out.display(),
        if changed { "changed" } else { "unchanged" }
    );
    Ok(ExitCode::SUCCESS)
}
