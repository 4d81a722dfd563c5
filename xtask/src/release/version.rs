//! The next version from the size of the change, by Cargo's rules for 0.x versions: while the
//! major version is 0, the minor version is the one that signals a break.

use semver::Version;

/// The size of a change for users of the crates, smallest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Nothing a user can see.
    None,
    /// Documentation or hand-written notes only.
    Fix,
    /// The Rust API grows or changes without breaking code written against it.
    Feature,
    /// Code written against the previous version may stop compiling or behave differently.
    Breaking,
}

/// Which part of the version a release raises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Patch,
    Minor,
    Major,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Patch => "patch",
            Step::Minor => "minor",
            Step::Major => "major",
        }
    }
}

/// The step `change` takes from `current`; `None` when there is nothing to release.
/// 0.x: a break raises the minor version, anything else the patch version.
/// 1.x and later: break → major, feature → minor, fix → patch.
pub fn step(current: &Version, change: Change) -> Option<Step> {
    match (change, current.major) {
        (Change::None, _) => None,
        (Change::Breaking, 0) => Some(Step::Minor),
        (Change::Breaking, _) => Some(Step::Major),
        (Change::Feature, 0) | (Change::Fix, _) => Some(Step::Patch),
        (Change::Feature, _) => Some(Step::Minor),
    }
}

/// Why `step` was taken, in the words of the rules above.
pub fn rule_text(current: &Version, change: Change) -> &'static str {
    match (change, current.major) {
        (Change::None, _) => "nothing changed",
        (Change::Breaking, 0) => "breaking; 0.x rules: a break raises the minor version",
        (Change::Breaking, _) => "breaking: a break raises the major version",
        (Change::Feature, 0) => {
            "the Rust API changes without breaking; 0.x rules: anything but a break raises the patch version"
        }
        (Change::Feature, _) => "the Rust API grows without breaking",
        (Change::Fix, _) => "documentation or notes only",
    }
}

pub fn bump(current: &Version, step: Step) -> Version {
    match step {
        Step::Patch => Version::new(current.major, current.minor, current.patch + 1),
        Step::Minor => Version::new(current.major, current.minor + 1, 0),
        Step::Major => Version::new(current.major + 1, 0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(current: &str, change: Change) -> Option<String> {
        let current = Version::parse(current).unwrap();
        step(&current, change).map(|step| bump(&current, step).to_string())
    }

    #[test]
    fn zero_x_breaks_raise_the_minor_version_and_everything_else_the_patch() {
        assert_eq!(next("0.1.3", Change::Breaking).as_deref(), Some("0.2.0"));
        assert_eq!(next("0.1.3", Change::Feature).as_deref(), Some("0.1.4"));
        assert_eq!(next("0.1.3", Change::Fix).as_deref(), Some("0.1.4"));
        assert_eq!(next("0.1.3", Change::None), None);
    }

    #[test]
    fn from_one_on_the_usual_semver_steps() {
        assert_eq!(next("1.4.2", Change::Breaking).as_deref(), Some("2.0.0"));
        assert_eq!(next("1.4.2", Change::Feature).as_deref(), Some("1.5.0"));
        assert_eq!(next("1.4.2", Change::Fix).as_deref(), Some("1.4.3"));
    }
}
