//! Problems found in the spec, each pointing at a file, a line and a field.

use std::fmt;
use std::path::PathBuf;

/// A position in the spec: the field path and, when known, its line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line_column: Option<(usize, usize)>,
    pub field: FieldPath,
}

/// A path of keys and indexes from the document root, printed as `paths./x.get.operationId`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(Vec<String>);

impl FieldPath {
    pub fn root() -> Self {
        Self::default()
    }

    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let mut segments = self.0.clone();
        segments.push(segment.to_string());
        Self(segments)
    }

    pub fn segments(&self) -> &[String] {
        &self.0
    }

    /// The field path of an RFC 6901 pointer without its leading `#`: `/paths/~1things/get`.
    pub fn from_pointer(pointer: &str) -> Self {
        pointer
            .split('/')
            .skip(1)
            .fold(Self::root(), |field, segment| {
                field.join(segment.replace("~1", "/").replace("~0", "~"))
            })
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (index, segment) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(".")?;
            }
            f.write_str(segment)?;
        }
        Ok(())
    }
}

/// One problem with the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Location {
            file,
            line_column,
            field,
        } = &self.location;
        write!(f, "{}", file.display())?;
        if let Some((line, column)) = line_column {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {field}: {}", self.message)
    }
}

/// Every problem found in one pass, reported together so a spec author can fix them at once.
#[derive(Debug)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(
            f,
            "openapi spec has {count} problem{}:",
            if count == 1 { "" } else { "s" }
        )?;
        for diagnostic in &self.0 {
            writeln!(f, "  {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
