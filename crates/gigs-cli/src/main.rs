//! The `gigs` binary; everything lives in the library so that tests can walk the command tree.

fn main() -> std::process::ExitCode {
    gigs_cli::main(std::env::args_os())
}
