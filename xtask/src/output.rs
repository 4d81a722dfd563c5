//! Writing the generated file safely, and comparing it with what is committed.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use similar::TextDiff;

/// Writes `code` to `path` unless the file already holds it. The code goes to a temporary file
/// in the same directory first and is renamed over `path` only once fully written, so a failure
/// never leaves a half-written or emptied file behind.
pub fn write_if_changed(path: &Path, code: &str) -> anyhow::Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == code) {
        return Ok(false);
    }
    let directory = path
        .parent()
        .with_context(|| format!("{} has no parent directory", path.display()))?;
    // A new generated file (or a fresh `--root`) may need its directory.
    std::fs::create_dir_all(directory)
        .with_context(|| format!("cannot create {}", directory.display()))?;
    let mut temporary = tempfile::NamedTempFile::new_in(directory)
        .with_context(|| format!("cannot create a temporary file in {}", directory.display()))?;
    temporary.write_all(code.as_bytes())?;
    temporary
        .persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(true)
}

/// A unified diff from the file at `path` to `code`, or `None` when they are equal.
pub fn diff_against(path: &Path, code: &str) -> anyhow::Result<Option<String>> {
    let existing = match std::fs::read_to_string(path) {
        Ok(existing) => existing,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error).with_context(|| format!("cannot read {}", path.display())),
    };
    if existing == code {
        return Ok(None);
    }
    let name = path.display().to_string();
    Ok(Some(
        TextDiff::from_lines(existing.as_str(), code)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("{name} (committed)"),
                &format!("{name} (from openapi.yaml)"),
            )
            .to_string(),
    ))
}
