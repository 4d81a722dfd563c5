//! `gigs-fake`: the stateful fake of the Gigs API as a server, for tests in any language.
//!
//! ```text
//! gigs-fake [--host 127.0.0.1] [--port 4010] [--seed seed.json] [--project gigs] [--token TOKEN]
//! ```
//!
//! With `--token`, only `Authorization: Bearer TOKEN` is accepted (any other token gets the
//! Gigs 401); without it, any non-empty bearer token is. Faults are queued with
//! `POST /_fake/faults` (see the gigs-testing crate docs).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use gigs_testing::{FakeGigs, Seed, ADMIN_PREFIX};

const USAGE: &str = "usage: gigs-fake [--host 127.0.0.1] [--port 4010] [--seed seed.json] \
                     [--project gigs] [--token TOKEN]";

struct Args {
    host: IpAddr,
    port: u16,
    seed: Option<PathBuf>,
    project: Option<String>,
    token: Option<String>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 4010,
        seed: None,
        project: None,
        token: None,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--host" => {
                let host = value("--host")?;
                parsed.host = host
                    .parse()
                    .map_err(|_| format!("--host: `{host}` is not an IP address"))?;
            }
            "--port" => {
                let port = value("--port")?;
                parsed.port = port
                    .parse()
                    .map_err(|_| format!("--port: `{port}` is not a port number (0 to 65535)"))?;
            }
            "--seed" => parsed.seed = Some(PathBuf::from(value("--seed")?)),
            "--project" => parsed.project = Some(value("--project")?),
            "--token" => parsed.token = Some(value("--token")?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(parsed)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(problem) if problem.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("error: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut builder = FakeGigs::builder().address(SocketAddr::new(args.host, args.port));
    if let Some(project) = args.project {
        builder = builder.project(project);
    }
    if let Some(token) = args.token {
        builder = builder.token(token);
    }
    if let Some(path) = &args.seed {
        match Seed::from_file(path) {
            Ok(seed) => builder = builder.seed(seed),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        }
    }
    let fake = match builder.start().await {
        Ok(fake) => fake,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "gigs-fake listening on {} (default project `{}`, admin routes under {ADMIN_PREFIX}/)",
        fake.base_url(),
        fake.project()
    );
    // Serves until the process is stopped (Ctrl-C or a signal ends it).
    fake.run_until_stopped().await;
    ExitCode::FAILURE
}
