//! Model patterns, compiled once on first use.

use std::sync::OnceLock;

/// A pattern from the model, in the ECMAScript form the generator produced and checked.
#[derive(Debug)]
#[doc(hidden)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<regress::Regex, String>>,
}

impl Pattern {
    /// A pattern, not yet compiled; usable in a `static`.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The `regress` flags patterns are compiled with: Unicode mode, which `\p{L}` needs.
    /// The generator compiles every model pattern with the same flags, so that none can
    /// fail here.
    pub const FLAGS: &'static str = "u";

    /// The pattern text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether the pattern matches anywhere in `value`. An error (which the generator's
    /// own compilation should rule out) is returned rather than panicking.
    pub fn is_match(&self, value: &str) -> Result<bool, String> {
        let compiled = self.compiled.get_or_init(|| {
            regress::Regex::with_flags(self.source, Self::FLAGS).map_err(|e| e.to_string())
        });
        match compiled {
            Ok(regex) => Ok(regex.find(value).is_some()),
            Err(error) => Err(error.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static GUID: Pattern = Pattern::new("[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}");

    #[test]
    fn matches_anywhere_and_reports_bad_patterns() {
        assert_eq!(
            GUID.is_match("id=0123abcd-0000-1111-2222-333344445555;"),
            Ok(true)
        );
        assert_eq!(GUID.is_match("nope"), Ok(false));
        static BROKEN: Pattern = Pattern::new("(unclosed");
        assert!(BROKEN.is_match("x").is_err());
    }
}
