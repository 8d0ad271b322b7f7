//! Keeping secrets out of `Debug` output, error text and logs.

use std::borrow::Cow;
use std::fmt;

/// What `Debug` prints in place of a sensitive value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Wraps an optional sensitive value for `Debug`: shows whether it is set, never what it is.
#[doc(hidden)]
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

/// A URL with its user-info (`user:password@`) replaced, for messages and `Debug`.
pub(crate) fn without_userinfo(url: &str) -> Cow<'_, str> {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) if !scheme.is_empty() => Cow::Owned(format!("{scheme}://***@{}", &rest[at + 1..])),
        _ => Cow::Borrowed(url),
    }
}

/// The scheme and host of a URL without user-info, path or query (which can carry
/// tokens in URI labels), e.g. `https://participant.connect.us-east-1.amazonaws.com`.
pub(crate) fn origin(url: &str) -> Cow<'_, str> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Cow::Borrowed("");
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    without_userinfo(&url[..scheme.len() + 3 + authority_end])
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

    #[test]
    fn user_info_and_paths_are_dropped_from_urls() {
        assert_eq!(
            without_userinfo("https://me:pw@h.example:8443/p?q"),
            "https://***@h.example:8443/p?q"
        );
        assert_eq!(
            without_userinfo("https://h.example/a@b"),
            "https://h.example/a@b"
        );
        assert_eq!(without_userinfo("not a url"), "not a url");
        assert_eq!(
            origin("https://h.example:8443/participant/views/secret?x=1"),
            "https://h.example:8443"
        );
        assert_eq!(origin("http://h"), "http://h");
        assert_eq!(origin("https://me:pw@h/x"), "https://***@h");
    }
}
