//! Client-side validation of operation inputs against the model's constraints.
//!
//! Generated code walks an input and reports to a [`Validator`]; every violation is
//! collected, so one [`ValidationError`] lists them all. Paths are built lazily: a valid
//! input costs no allocation.

use std::fmt;

use crate::REDACTED;

/// How much the client checks before sending, like botocore's `parameter_validation`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ValidationMode {
    /// Every constraint in the model: required, lengths, sizes, ranges, enums, patterns.
    #[default]
    Full,
    /// Only that required members are set.
    RequiredOnly,
    /// Nothing; the service is left to reject bad input.
    Off,
}

/// Where a value sits in an input, e.g. `StartPosition.MostRecent` or `AttachmentIds[2]`.
/// A linked list on the stack, rendered to text only when a violation is reported.
#[derive(Debug, Clone, Copy)]
#[doc(hidden)]
pub struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    segment: Segment<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Member(&'static str),
    Index(usize),
    Key(&'a str),
}

impl<'a> FieldPath<'a> {
    /// The input itself.
    pub const ROOT: FieldPath<'static> = FieldPath {
        parent: None,
        segment: Segment::Root,
    };

    /// A member of the structure at this path.
    pub fn member(&'a self, name: &'static str) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Member(name),
        }
    }

    /// An element of the list at this path.
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// An entry of the map at this path.
    pub fn key(&'a self, key: &'a str) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut node = Some(self);
        while let Some(path) = node {
            segments.push(path.segment);
            node = path.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Member(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
                Segment::Key(k) => out.push_str(&format!("[{k:?}]")),
            }
        }
        out
    }
}

/// What a value failed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Constraint {
    /// A required member is not set.
    Required,
    /// A string has fewer characters (Unicode scalar values) than allowed.
    MinLength {
        /// The fewest characters allowed.
        min: u64,
        /// The value's length in characters.
        actual: u64,
    },
    /// A string has more characters (Unicode scalar values) than allowed.
    MaxLength {
        /// The most characters allowed.
        max: u64,
        /// The value's length in characters.
        actual: u64,
    },
    /// A blob has fewer bytes than allowed.
    MinBytes {
        /// The fewest bytes allowed.
        min: u64,
        /// The value's length in bytes.
        actual: u64,
    },
    /// A blob has more bytes than allowed.
    MaxBytes {
        /// The most bytes allowed.
        max: u64,
        /// The value's length in bytes.
        actual: u64,
    },
    /// A list or map has fewer entries than allowed.
    MinItems {
        /// The fewest entries allowed.
        min: u64,
        /// How many entries the value has.
        actual: u64,
    },
    /// A list or map has more entries than allowed.
    MaxItems {
        /// The most entries allowed.
        max: u64,
        /// How many entries the value has.
        actual: u64,
    },
    /// A number is below the minimum.
    Min {
        /// The smallest value allowed.
        min: f64,
    },
    /// A number is above the maximum.
    Max {
        /// The largest value allowed.
        max: f64,
    },
    /// An enum value the model does not list.
    Enum {
        /// The values the model lists.
        allowed: &'static [&'static str],
    },
    /// A string does not match the model's pattern.
    Pattern {
        /// The model's pattern.
        pattern: &'static str,
    },
    /// The model's pattern could not be compiled, so the value could not be checked.
    InvalidPattern {
        /// The model's pattern.
        pattern: &'static str,
        /// What the regex engine said of it.
        error: String,
    },
    /// A member bound to a URI path segment is empty.
    EmptyUriLabel,
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::Required => f.write_str("is required but not set"),
            Constraint::MinLength { min, actual } => {
                write!(f, "has {actual} characters, fewer than the minimum {min}")
            }
            Constraint::MaxLength { max, actual } => {
                write!(f, "has {actual} characters, more than the maximum {max}")
            }
            Constraint::MinBytes { min, actual } => {
                write!(f, "has {actual} bytes, fewer than the minimum {min}")
            }
            Constraint::MaxBytes { max, actual } => {
                write!(f, "has {actual} bytes, more than the maximum {max}")
            }
            Constraint::MinItems { min, actual } => {
                write!(f, "has {actual} entries, fewer than the minimum {min}")
            }
            Constraint::MaxItems { max, actual } => {
                write!(f, "has {actual} entries, more than the maximum {max}")
            }
            Constraint::Min { min } => write!(f, "is below the minimum {min}"),
            Constraint::Max { max } => write!(f, "is above the maximum {max}"),
            Constraint::Enum { allowed } => write!(f, "is not one of {}", allowed.join(", ")),
            Constraint::Pattern { pattern } => write!(f, "does not match the pattern {pattern}"),
            Constraint::InvalidPattern { pattern, error } => {
                write!(
                    f,
                    "could not be checked: pattern {pattern} does not compile ({error})"
                )
            }
            Constraint::EmptyUriLabel => {
                f.write_str("must not be empty (it is a URI path segment)")
            }
        }
    }
}

/// One value that breaks one constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The member path, e.g. `StartPosition.MostRecent`.
    pub path: String,
    /// What was broken.
    pub constraint: Constraint,
    /// The offending value as text (shortened), or a redaction marker for secrets;
    /// `None` when there is no value (a missing member).
    pub value: Option<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.path, self.constraint)?;
        if let Some(value) = &self.value {
            write!(f, " (value: {value})")?;
        }
        Ok(())
    }
}

/// An input broke the model's constraints; nothing was sent. Lists every violation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    type_name: &'static str,
    violations: Vec<Violation>,
}

impl ValidationError {
    /// The input type that failed, e.g. `SendMessageInput`.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// Every violation, in the order the members are declared.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.violations.len();
        write!(
            f,
            "invalid {}: {count} {}",
            self.type_name,
            if count == 1 { "problem" } else { "problems" }
        )?;
        for (i, violation) in self.violations.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects violations while generated code walks an input.
#[derive(Debug)]
#[doc(hidden)]
pub struct Validator {
    full: bool,
    violations: Vec<Violation>,
}

/// Longest value shown in a violation, in characters.
const SHOWN_CHARS: usize = 40;

impl Validator {
    /// Validates `value` of the type `type_name` with `check` (a generated function),
    /// reporting every violation at once; [`ValidationMode::Off`] checks nothing.
    pub fn run<T: ?Sized>(
        mode: ValidationMode,
        type_name: &'static str,
        value: &T,
        check: fn(&mut Validator, &FieldPath<'_>, &T),
    ) -> Result<(), ValidationError> {
        if mode == ValidationMode::Off {
            return Ok(());
        }
        let mut validator = Validator::new(mode);
        check(&mut validator, &FieldPath::ROOT, value);
        validator.finish(type_name)
    }

    /// A validator for one input. In [`ValidationMode::Off`] callers do not validate at all.
    pub fn new(mode: ValidationMode) -> Self {
        Validator {
            full: mode == ValidationMode::Full,
            violations: Vec::new(),
        }
    }

    fn report(&mut self, path: &FieldPath<'_>, constraint: Constraint, value: Option<String>) {
        self.violations.push(Violation {
            path: path.render(),
            constraint,
            value,
        });
    }

    fn shown(value: &str, sensitive: bool) -> Option<String> {
        if sensitive {
            return Some(REDACTED.to_owned());
        }
        let count = value.chars().count();
        if count <= SHOWN_CHARS {
            Some(format!("{value:?}"))
        } else {
            let head: String = value.chars().take(SHOWN_CHARS).collect();
            Some(format!("{head:?}… ({count} characters)"))
        }
    }

    fn shown_number(value: impl fmt::Display, sensitive: bool) -> Option<String> {
        Some(if sensitive {
            REDACTED.to_owned()
        } else {
            value.to_string()
        })
    }

    /// A required member must be set (checked in `Full` and `RequiredOnly`).
    pub fn required(&mut self, path: &FieldPath<'_>, is_set: bool) {
        if !is_set {
            self.report(path, Constraint::Required, None);
        }
    }

    /// String length in Unicode scalar values, as the model counts it.
    pub fn length(
        &mut self,
        path: &FieldPath<'_>,
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
        sensitive: bool,
    ) {
        if !self.full {
            return;
        }
        // Byte length bounds the character count from above: skip counting when it cannot matter.
        let bytes = value.len() as u64;
        let needs_count = min.is_some_and(|min| bytes < min.saturating_mul(4))
            || max.is_some_and(|max| bytes > max);
        if !needs_count {
            return;
        }
        let actual = value.chars().count() as u64;
        if let Some(min) = min.filter(|&min| actual < min) {
            self.report(
                path,
                Constraint::MinLength { min, actual },
                Self::shown(value, sensitive),
            );
        }
        if let Some(max) = max.filter(|&max| actual > max) {
            self.report(
                path,
                Constraint::MaxLength { max, actual },
                Self::shown(value, sensitive),
            );
        }
    }

    /// Blob length in bytes.
    pub fn bytes(&mut self, path: &FieldPath<'_>, len: usize, min: Option<u64>, max: Option<u64>) {
        if !self.full {
            return;
        }
        let actual = len as u64;
        if let Some(min) = min.filter(|&min| actual < min) {
            self.report(path, Constraint::MinBytes { min, actual }, None);
        }
        if let Some(max) = max.filter(|&max| actual > max) {
            self.report(path, Constraint::MaxBytes { max, actual }, None);
        }
    }

    /// List or map size.
    pub fn items(&mut self, path: &FieldPath<'_>, len: usize, min: Option<u64>, max: Option<u64>) {
        if !self.full {
            return;
        }
        let actual = len as u64;
        if let Some(min) = min.filter(|&min| actual < min) {
            self.report(path, Constraint::MinItems { min, actual }, None);
        }
        if let Some(max) = max.filter(|&max| actual > max) {
            self.report(path, Constraint::MaxItems { max, actual }, None);
        }
    }

    /// Range of an integer member (byte, short, integer, long).
    pub fn range_int(
        &mut self,
        path: &FieldPath<'_>,
        value: i64,
        min: Option<i64>,
        max: Option<i64>,
        sensitive: bool,
    ) {
        if !self.full {
            return;
        }
        if let Some(min) = min.filter(|&min| value < min) {
            self.report(
                path,
                Constraint::Min { min: min as f64 },
                Self::shown_number(value, sensitive),
            );
        }
        if let Some(max) = max.filter(|&max| value > max) {
            self.report(
                path,
                Constraint::Max { max: max as f64 },
                Self::shown_number(value, sensitive),
            );
        }
    }

    /// Range of a float or double member. NaN is outside every range.
    pub fn range_float(
        &mut self,
        path: &FieldPath<'_>,
        value: f64,
        min: Option<f64>,
        max: Option<f64>,
        sensitive: bool,
    ) {
        if !self.full {
            return;
        }
        if let Some(min) = min.filter(|&min| value.is_nan() || value < min) {
            self.report(
                path,
                Constraint::Min { min },
                Self::shown_number(value, sensitive),
            );
        }
        if let Some(max) = max.filter(|&max| value.is_nan() || value > max) {
            self.report(
                path,
                Constraint::Max { max },
                Self::shown_number(value, sensitive),
            );
        }
    }

    /// An enum value must be one the model lists; `known` is false for `Unknown(..)`.
    pub fn known_enum(
        &mut self,
        path: &FieldPath<'_>,
        value: &str,
        known: bool,
        allowed: &'static [&'static str],
        sensitive: bool,
    ) {
        if self.full && !known {
            self.report(
                path,
                Constraint::Enum { allowed },
                Self::shown(value, sensitive),
            );
        }
    }

    /// A member bound to a URI label must not be empty.
    pub fn uri_label(&mut self, path: &FieldPath<'_>, value: &str) {
        if self.full && value.is_empty() {
            self.report(path, Constraint::EmptyUriLabel, None);
        }
    }

    /// The value must match the pattern somewhere (patterns are not implicitly anchored).
    #[cfg(feature = "patterns")]
    pub fn pattern(
        &mut self,
        path: &FieldPath<'_>,
        value: &str,
        pattern: &crate::Pattern,
        sensitive: bool,
    ) {
        if !self.full {
            return;
        }
        match pattern.is_match(value) {
            Ok(true) => {}
            Ok(false) => self.report(
                path,
                Constraint::Pattern {
                    pattern: pattern.source(),
                },
                Self::shown(value, sensitive),
            ),
            Err(error) => self.report(
                path,
                Constraint::InvalidPattern {
                    pattern: pattern.source(),
                    error,
                },
                Self::shown(value, sensitive),
            ),
        }
    }

    /// Ends validation: `Ok` when nothing was reported.
    pub fn finish(self, type_name: &'static str) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                type_name,
                violations: self.violations,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_members_indexes_and_keys() {
        let root = FieldPath::ROOT;
        let ids = root.member("AttachmentIds");
        let second = ids.index(2);
        assert_eq!(second.render(), "AttachmentIds[2]");
        let position = root.member("StartPosition");
        assert_eq!(
            position.member("MostRecent").render(),
            "StartPosition.MostRecent"
        );
        let headers = root.member("Headers");
        assert_eq!(headers.key("x-a").render(), "Headers[\"x-a\"]");
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut v = Validator::new(ValidationMode::Full);
        let path = FieldPath::ROOT.member("Name");
        v.length(&path, "ééé", None, Some(3), false); // 6 bytes, 3 characters: fine
        v.length(&path, "éééé", None, Some(3), false);
        v.length(&path, "", Some(1), None, false);
        let error = v.finish("X").unwrap_err();
        assert_eq!(error.violations().len(), 2);
        assert_eq!(
            error.violations()[0].constraint,
            Constraint::MaxLength { max: 3, actual: 4 }
        );
        assert_eq!(
            error.violations()[1].constraint,
            Constraint::MinLength { min: 1, actual: 0 }
        );
    }

    #[test]
    fn required_only_mode_checks_nothing_else() {
        let mut v = Validator::new(ValidationMode::RequiredOnly);
        let path = FieldPath::ROOT.member("A");
        v.length(&path, "too long", None, Some(1), false);
        v.range_int(&path, 500, None, Some(1), false);
        v.known_enum(&path, "X", false, &["Y"], false);
        assert!(v.finish("X").is_ok());
        let mut v = Validator::new(ValidationMode::RequiredOnly);
        v.required(&path, false);
        assert!(v.finish("X").is_err());
    }

    #[test]
    fn sensitive_values_are_redacted_and_long_ones_shortened() {
        let mut v = Validator::new(ValidationMode::Full);
        let path = FieldPath::ROOT.member("Token");
        v.length(&path, "super-secret", None, Some(3), true);
        let long = "a".repeat(100);
        v.length(&path, &long, None, Some(3), false);
        let error = v.finish("X").unwrap_err();
        let text = error.to_string();
        assert!(!text.contains("super-secret"), "{text}");
        assert!(text.contains(REDACTED), "{text}");
        assert!(text.contains("(100 characters)"), "{text}");
        assert!(!text.contains(&long), "{text}");
    }

    #[test]
    fn nan_is_out_of_range() {
        let mut v = Validator::new(ValidationMode::Full);
        v.range_float(
            &FieldPath::ROOT.member("R"),
            f64::NAN,
            Some(0.0),
            None,
            false,
        );
        assert!(v.finish("X").is_err());
    }
}
