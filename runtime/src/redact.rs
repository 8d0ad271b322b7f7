//! Keeping secrets out of `Debug` output.

use std::fmt;

/// What `Debug` prints in place of a sensitive value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Wraps an optional sensitive value for `Debug`: shows whether it is set, never what it is.
pub fn redact<T>(value: &Option<T>) -> impl fmt::Debug + '_ {
    Redacted(value.is_some())
}

struct Redacted(bool);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 {
            write!(f, "Some({REDACTED})")
        } else {
            f.write_str("None")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_the_value_but_not_its_presence() {
        let secret = Some("token-123".to_owned());
        assert_eq!(
            format!("{:?}", redact(&secret)),
            format!("Some({REDACTED})")
        );
        assert_eq!(format!("{:?}", redact::<String>(&None)), "None");
    }
}
