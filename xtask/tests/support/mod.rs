//! What the xtask tests that work on temporary git repositories share.

use std::path::Path;
use std::process::Command;

/// Runs `git args` in `repository` as a fixture identity, with signing off (a developer's
/// global config must not change a test), and returns its trimmed stdout.
///
/// # Panics
/// When git fails, with its stderr.
pub fn git(repository: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(repository)
        .args([
            "-c",
            "user.name=Fixture",
            "-c",
            "user.email=fixture@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}
