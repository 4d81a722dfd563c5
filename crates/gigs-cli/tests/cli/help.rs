//! The whole `--help` tree as insta snapshots, one per command: review them like the other
//! snapshots when the spec changes (`cargo insta review`).

use clap::Command;

use crate::support::gigs;

/// Every command path: `[]`, `["subscriptions"]`, `["subscriptions", "list"]`, ...
fn paths(command: &Command, prefix: Vec<String>, into: &mut Vec<Vec<String>>) {
    into.push(prefix.clone());
    for subcommand in command.get_subcommands() {
        let mut path = prefix.clone();
        path.push(subcommand.get_name().to_owned());
        paths(subcommand, path, into);
    }
}

#[test]
fn the_command_tree_is_consistent() {
    gigs_cli::command().debug_assert();
}

#[test]
fn every_help_page() {
    let mut all = Vec::new();
    paths(&gigs_cli::command(), Vec::new(), &mut all);
    assert!(
        all.len() > gigs_cli::COMMANDS.len(),
        "the tree holds every command"
    );
    for path in all {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let output = gigs(&args).run_blocking();
        output.assert_code(0);
        let name = if path.is_empty() {
            "gigs".to_owned()
        } else {
            format!("gigs_{}", path.join("_"))
        };
        insta::assert_snapshot!(name, output.stdout);
    }
}
