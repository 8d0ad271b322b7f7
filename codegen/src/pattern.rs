//! Model patterns are written for Java and ECMAScript regex engines. The runtime matches
//! them with `regress` (ECMAScript syntax, look-around supported) in Unicode mode, which
//! `\p{L}` needs. Unicode mode rejects escapes of ordinary punctuation (`\_`, `\:`) that
//! Java accepts, so those are rewritten to the plain character; nothing else changes.
//! Every pattern is compiled at generation time with the runtime's flags; one that does not
//! compile is left out of the generated checks and reported, so none can fail later.

/// The flags the runtime compiles patterns with.
pub const FLAGS: &str = "u";

/// Characters that keep their backslash in Unicode mode anywhere.
const SYNTAX: &str = "^$\\.*+?()[]{}|/";

/// Rewrites a model pattern into the form the runtime compiles.
pub fn to_ecmascript(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next)
                    if next.is_ascii_alphanumeric()
                        || SYNTAX.contains(next)
                        || (in_class && next == '-') =>
                {
                    out.push('\\');
                    out.push(next);
                }
                Some(next) => out.push(next),
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Compiles a rewritten pattern the way the runtime will; the error says why not.
pub fn compile(ecmascript: &str) -> Result<regress::Regex, String> {
    regress::Regex::with_flags(ecmascript, FLAGS).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, value: &str) -> bool {
        compile(&to_ecmascript(pattern))
            .unwrap()
            .find(value)
            .is_some()
    }

    #[test]
    fn java_escapes_of_punctuation_are_accepted() {
        assert_eq!(
            to_ecmascript(r"^[a-zA-Z0-9\_\-:\/$]+$"),
            r"^[a-zA-Z0-9_\-:\/$]+$"
        );
        assert!(matches(r"^[a-zA-Z0-9\_\-:\/$]+$", "view_id-1:a/b"));
        assert!(!matches(r"^[a-zA-Z0-9\_\-:\/$]+$", "view id"));
    }

    #[test]
    fn unicode_classes_and_look_ahead_work() {
        let name = r"^([\p{L}\p{N}_.:\/=+\-@()']+[\p{L}\p{Z}\p{N}_.:\/=+\-@()']*)$";
        assert!(matches(name, "Überblick 2"));
        assert!(!matches(name, " leading space"));
        let not_aws = "(?!aws:)[a-zA-Z+-=._:/]+";
        assert!(matches(not_aws, "team:blue"));
        // Not anchored: a later position may still match, as Smithy defines it.
        assert!(matches(not_aws, "aws:tag"));
        assert!(!matches("^(?!aws:)[a-z:]+$", "aws:tag"));
    }
}
