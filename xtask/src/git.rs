//! The workspace's one git runner and the questions the release and the contract review ask:
//! tags, the first commit that has a file, a file at a commit. Read-only: nothing here creates
//! tags or commits.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

/// A repository, addressed by its working-tree root.
pub struct Repository {
    root: PathBuf,
}

impl Repository {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_owned(),
        }
    }

    /// Standard output of a git command, or `None` when git reports failure (an error when
    /// git cannot run or the directory is not in a repository).
    fn run(&self, arguments: &[&str]) -> anyhow::Result<Option<String>> {
        let output = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(arguments)
            .output()
            .context("cannot run git")?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            if stderr.contains("not a git repository") {
                bail!("{} is not inside a git repository", self.root.display());
            }
            return Ok(None);
        }
        let stdout = String::from_utf8(output.stdout).context("git printed invalid UTF-8")?;
        Ok(Some(stdout.trim_end_matches('\n').to_owned()))
    }

    /// Whether the clone lacks history (`git clone --depth`): tags and first commits would be
    /// wrong there.
    pub fn is_shallow(&self) -> anyhow::Result<bool> {
        Ok(self
            .run(&["rev-parse", "--is-shallow-repository"])?
            .as_deref()
            == Some("true"))
    }

    /// Tags matching `pattern` that HEAD contains.
    pub fn merged_tags(&self, pattern: &str) -> anyhow::Result<Vec<String>> {
        let listed = self
            .run(&["tag", "--list", pattern, "--merged", "HEAD"])?
            .context("cannot list the tags of the repository (does it have a commit?)")?;
        Ok(listed.lines().map(str::to_owned).collect())
    }

    /// The oldest commit of HEAD's history in which `path` exists, if any.
    pub fn first_commit_with(&self, path: &str) -> anyhow::Result<Option<String>> {
        let commits = self
            .run(&[
                "log",
                "--reverse",
                "--diff-filter=A",
                "--format=%H",
                "--",
                path,
            ])?
            .unwrap_or_default();
        Ok(commits.lines().next().map(str::to_owned))
    }

    /// The full commit a ref points to, `None` for an unknown ref.
    pub fn commit(&self, reference: &str) -> anyhow::Result<Option<String>> {
        self.run(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ])
    }

    /// The abbreviated commit a ref points to.
    pub fn short_commit(&self, reference: &str) -> anyhow::Result<String> {
        self.run(&["rev-parse", "--short", &format!("{reference}^{{commit}}")])?
            .with_context(|| format!("unknown git ref `{reference}`"))
    }

    /// Whether `path` (relative to the directory given to [`Repository::new`], `./` first)
    /// exists at `reference`.
    pub fn has_file(&self, reference: &str, path: &str) -> anyhow::Result<bool> {
        Ok(self
            .run(&["cat-file", "-e", &format!("{reference}:{path}")])?
            .is_some())
    }

    /// The text of `path` (relative to the root) as committed at `reference`, if it exists there.
    pub fn show(&self, reference: &str, path: &str) -> anyhow::Result<Option<String>> {
        self.run(&["show", &format!("{reference}:{path}")])
    }
}
