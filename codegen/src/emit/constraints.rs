//! A member's constraints as a line of its documentation: what `send()` checks before a
//! request goes out, exactly as the plan's validators check it.

use crate::plan::{MemberConstraints, PatternConstraint, Size, SizeUnit};

/// Enums with more values than this are named, not listed.
const LISTED_VALUES: usize = 8;

/// `docs` with the constraints' paragraph after it, when there are any.
pub(crate) fn with_constraints(docs: &str, constraints: &MemberConstraints) -> String {
    let mut parts: Vec<String> = Vec::new();
    if constraints.required {
        parts.push("required".to_owned());
    }
    if constraints.filled_by_client {
        parts.push(
            "filled in by the client when unset (a UUID unless the configuration says otherwise)"
                .to_owned(),
        );
    }
    if constraints.not_empty {
        parts.push("not empty (it is part of the URL path)".to_owned());
    }
    parts.extend(constraints.size.map(size));
    if let Some((min, max)) = &constraints.range {
        parts.push(range(min.as_deref(), max.as_deref()));
    }
    parts.extend(constraints.pattern.as_ref().map(pattern));
    if let Some(known) = &constraints.known_values {
        parts.push(if known.values.len() <= LISTED_VALUES {
            let values: Vec<String> = known.values.iter().map(|v| code(v)).collect();
            format!("one of {}", values.join(", "))
        } else {
            // The label is not a path: rustdoc would call a path label with the same
            // target redundant where the type is in scope.
            format!(
                "one of [the {} values of `{}`](crate::types::{})",
                known.values.len(),
                known.rust_name,
                known.rust_name
            )
        });
    }
    if parts.is_empty() {
        return docs.to_owned();
    }
    let line = format!("**Checked before sending:** {}.", parts.join("; "));
    if docs.is_empty() {
        line
    } else {
        format!("{docs}\n\n{line}")
    }
}

fn size(size: Size) -> String {
    let unit = |n: u64| {
        let (one, many) = match size.unit {
            SizeUnit::Characters => ("character", "characters"),
            SizeUnit::Bytes => ("byte", "bytes"),
            SizeUnit::Items => ("item", "items"),
            SizeUnit::Entries => ("entry", "entries"),
        };
        if n == 1 {
            one
        } else {
            many
        }
    };
    match (size.min, size.max) {
        (Some(min), Some(max)) if min == max => format!("exactly {} {}", number(min), unit(max)),
        (Some(min), Some(max)) => format!("{}–{} {}", number(min), number(max), unit(max)),
        (Some(min), None) => format!("at least {} {}", number(min), unit(min)),
        (None, Some(max)) => format!("at most {} {}", number(max), unit(max)),
        (None, None) => String::new(),
    }
}

fn range(min: Option<&str>, max: Option<&str>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("from {min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => String::new(),
    }
}

fn pattern(pattern: &PatternConstraint) -> String {
    if pattern.checked {
        format!("matches {}", code(&pattern.pattern))
    } else {
        format!(
            "the model's pattern {} is not checked on the client (its regex engine cannot run it)",
            code(&pattern.pattern)
        )
    }
}

/// `n` with thousands separators: `16,384`.
fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// `text` as a Markdown code span, fenced with more backticks than it holds in a row.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || longest > 0 {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::KnownValues;

    #[test]
    fn each_constraint_reads_as_the_validator_checks_it() {
        let text = with_constraints(
            "The content.",
            &MemberConstraints {
                required: true,
                size: Some(Size {
                    min: Some(1),
                    max: Some(16384),
                    unit: SizeUnit::Characters,
                }),
                ..Default::default()
            },
        );
        assert_eq!(
            text,
            "The content.\n\n**Checked before sending:** required; 1–16,384 characters."
        );
        let text = with_constraints(
            "",
            &MemberConstraints {
                range: Some((Some("1".into()), None)),
                pattern: Some(PatternConstraint {
                    pattern: "a`b".into(),
                    checked: false,
                }),
                known_values: Some(KnownValues {
                    rust_name: "Kind".into(),
                    values: vec!["A".into(), "B".into()],
                }),
                ..Default::default()
            },
        );
        assert_eq!(
            text,
            "**Checked before sending:** at least 1; the model's pattern `` a`b `` is not checked \
             on the client (its regex engine cannot run it); one of `A`, `B`."
        );
        assert_eq!(
            with_constraints("Docs.", &MemberConstraints::default()),
            "Docs."
        );
    }

    #[test]
    fn numbers_and_code_spans() {
        assert_eq!(number(7), "7");
        assert_eq!(number(1000), "1,000");
        assert_eq!(number(1234567), "1,234,567");
        assert_eq!(code("[a-z]+"), "`[a-z]+`");
        assert_eq!(code("x``y"), "``` x``y ```");
    }
}
