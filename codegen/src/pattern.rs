//! Model patterns are written for Java and ECMAScript regex engines. The runtime matches
//! them with `regress` (ECMAScript syntax, look-around supported) in Unicode mode, which
//! `\p{L}` needs. The Java-only spellings botocore models use are rewritten to what
//! means the same in ECMAScript: escapes of ordinary punctuation (`\_`, `\:`), `\A` and
//! `\z`, `\x{..}`, POSIX and `Is…` classes (`\p{XDigit}`, `\p{IsAlphabetic}`), a `-` right
//! after a class escape inside brackets, and a leading `(?s)`. Every pattern is compiled at
//! generation time with the runtime's flags; one that still does not compile is left out
//! of the generated checks and reported, so none can fail later.

/// The flags the runtime compiles patterns with.
pub const FLAGS: &str = "u";

/// Characters that keep their backslash in Unicode mode anywhere.
const SYNTAX: &str = "^$\\.*+?()[]{}|/";

/// Java's POSIX and `Is…` classes, as the contents of an ECMAScript class.
const JAVA_CLASSES: &[(&str, &str)] = &[
    ("Lower", "a-z"),
    ("Upper", "A-Z"),
    ("ASCII", "\\x00-\\x7F"),
    ("Alpha", "A-Za-z"),
    ("Digit", "0-9"),
    ("Alnum", "A-Za-z0-9"),
    ("Punct", "!-\\/:-@\\[-`{-~"),
    ("Graph", "!-~"),
    ("Print", " -~"),
    ("Blank", " \\t"),
    ("Cntrl", "\\x00-\\x1F\\x7F"),
    ("XDigit", "0-9A-Fa-f"),
    ("Space", "\\s"),
    ("all", "\\s\\S"),
    ("IsAlphabetic", "\\p{Alphabetic}"),
    ("IsWhitespace", "\\p{White_Space}"),
    ("IsDigit", "\\p{Nd}"),
    ("IsLetter", "\\p{L}"),
    ("IsUppercase", "\\p{Uppercase}"),
    ("IsLowercase", "\\p{Lowercase}"),
];

/// Rewrites a model pattern into the form the runtime compiles.
pub fn to_ecmascript(pattern: &str) -> String {
    // `(?s)` up front: `.` matches line breaks too.
    let (pattern, dot_all) = match pattern.strip_prefix("(?s)") {
        Some(rest) => (rest, true),
        None => (pattern, false),
    };
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    // Inside brackets, whether the last item was a class escape (`\s`, `\p{..}`): Java
    // reads a `-` after one as a literal, ECMAScript's Unicode mode as a broken range.
    let mut after_class_escape = false;
    while let Some(c) = chars.next() {
        let was_after_class_escape = std::mem::take(&mut after_class_escape);
        match c {
            '\\' => match chars.next() {
                Some('A') if !in_class => out.push('^'),
                Some('z' | 'Z') if !in_class => out.push('$'),
                Some('x') if chars.peek() == Some(&'{') => out.push_str("\\u"),
                Some(kind @ ('p' | 'P')) if chars.peek() == Some(&'{') => {
                    let name: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                    match JAVA_CLASSES.iter().find(|(java, _)| *java == name) {
                        Some((_, contents)) if kind == 'p' && in_class => out.push_str(contents),
                        Some((_, contents)) if kind == 'p' => {
                            out.push('[');
                            out.push_str(contents);
                            out.push(']');
                        }
                        Some((_, contents)) if !in_class => {
                            out.push_str("[^");
                            out.push_str(contents);
                            out.push(']');
                        }
                        // A negated POSIX class inside brackets has no ECMAScript spelling;
                        // left as it is, it fails to compile and is reported.
                        _ => {
                            out.push('\\');
                            out.push(kind);
                            out.push('{');
                            out.push_str(&name);
                            out.push('}');
                        }
                    }
                    after_class_escape = in_class;
                }
                Some(next)
                    if next.is_ascii_alphanumeric()
                        || SYNTAX.contains(next)
                        || (in_class && next == '-') =>
                {
                    out.push('\\');
                    out.push(next);
                    after_class_escape = in_class && "dDsSwW".contains(next);
                }
                Some(next) => out.push(next),
                None => out.push('\\'),
            },
            '-' if in_class && was_after_class_escape && chars.peek() != Some(&']') => {
                out.push_str("\\-");
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '.' if dot_all && !in_class => out.push_str("[\\s\\S]"),
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
    fn java_only_spellings_mean_the_same() {
        let guid = r"\p{XDigit}{8}-\p{XDigit}{4}-\p{XDigit}{4}-\p{XDigit}{4}-\p{XDigit}{12}";
        assert!(matches(guid, "0a1B2c3D-0000-1111-2222-abcdefABCDEF"));
        assert!(!matches(guid, "0a1B2c3D-0000-1111-2222-abcdefABCDEG"));
        assert!(matches(r"\A[a-zA-Z0-9_]+\z", "abc_1"));
        assert!(!matches(r"\A[a-zA-Z0-9_]+\z", "abc 1"));
        assert!(matches(r"^[\p{Alnum}\p{Punct}\p{Blank}]*$", "a-b c!"));
        assert!(!matches(r"^[\p{Alnum}\p{Punct}\p{Blank}]*$", "é"));
        assert!(matches(r#"^[0-9\p{IsAlphabetic}+:,.@'" -]*$"#, "Zoë 2"));
        assert!(matches(r"^[a-zA-Z0-9\s-_()\[\]]+$", "a-b_c (d)"));
        assert!(matches(r".*[\w-.~]+.*", "a.b"));
        assert!(matches(r"^[\x{0022}a]+$", "\"a"));
        assert!(matches("(?s).+", "line\nbreak"));
        assert!(matches(r"^\S[\p{Print}]*$", "ok now"));
        assert!(!matches(r"^\S[\p{Print}]*$", "tab\there"));
        assert!(matches(r"^[^\p{Cntrl}]*$", "fine"));
        assert!(!matches(r"^[^\p{Cntrl}]*$", "bell\u{7}"));
        assert!(matches(r"^[\p{all}]*$", "anything\n"));
        // What has no ECMAScript spelling still fails to compile (and is reported).
        assert!(compile(&to_ecmascript("(?i)abc")).is_err());
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
