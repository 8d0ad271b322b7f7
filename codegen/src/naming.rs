//! Rust names for model names. Check and plan both use these, so that a collision the
//! check stage reports is exactly one the emitted code would have had.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers as they are. Those `r#` cannot escape (`self`, `Self`,
/// `super`, `crate`) get a trailing underscore instead.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
const UNRAWABLE: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code uses unqualified; a shape with one of these names is
/// renamed (`Error` → `ErrorValue`) so that it cannot shadow them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Blob", "Box", "Builder", "DateTime", "Default", "Document", "Error", "HashMap", "Option",
    "Result", "Self", "String", "Vec", "Unknown",
];

/// Keeps ASCII letters and digits; anything else separates words, so that every result
/// is a valid identifier whatever the model's names contain.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A member name as a snake_case identifier, without keyword escaping (`ConnectionToken` →
/// `connection_token`). Collisions are judged on this form.
pub fn snake(name: &str) -> String {
    let snake = ascii_words(name).to_snake_case();
    if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{snake}")
    } else {
        snake
    }
}

/// A snake_case name made safe as an identifier: `type` → `r#type`, `self` → `self_`.
pub fn escape_ident(snake: &str) -> String {
    if UNRAWABLE.contains(&snake) {
        format!("{snake}_")
    } else if KEYWORDS.contains(&snake) {
        format!("r#{snake}")
    } else {
        snake.to_owned()
    }
}

/// The name of a method or field derived from a member name, keyword-escaped.
pub fn field_name(member: &str) -> String {
    escape_ident(&snake(member))
}

/// Method names the generated API gives structures, builders and fluent builders itself
/// (`Foo::builder()`, `FooBuilder::build()`, `send()`, `validate()`, outputs'
/// `request_id()`); a member whose snake_case name is one of them gets `_value` appended.
const RESERVED_MEMBER_NAMES: &[&str] = &[
    "builder",
    "build",
    "build_unchecked",
    "send",
    "validate",
    "new",
    "request_id",
];

/// The field (getter, setter) names of one structure's members, in model order. Every
/// result is a distinct identifier, decided by these rules in turn:
/// 1. the snake_case name (`ConnectionToken` → `connection_token`);
/// 2. a name the generated API uses itself (`build`, `send`, …) gets `_value`;
/// 3. `set_x` or `get_x` next to a member `x` gets `_value` (its builder's own
///    `set_x`/`get_x` would clash);
/// 4. a name an earlier member already has gets `_2`, `_3`, …;
/// 5. keywords are escaped (`type` → `r#type`, `self` → `self_`).
pub fn member_fields<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let snakes: Vec<String> = names.into_iter().map(snake).collect();
    let mut taken = std::collections::BTreeSet::new();
    snakes
        .iter()
        .map(|base| {
            let shadows_accessor = ["set_", "get_"].iter().any(|prefix| {
                base.strip_prefix(prefix)
                    .is_some_and(|rest| snakes.iter().any(|s| s == rest))
            });
            let mut name = if RESERVED_MEMBER_NAMES.contains(&base.as_str()) || shadows_accessor {
                format!("{base}_value")
            } else {
                base.clone()
            };
            let stem = name.clone();
            let mut n = 1;
            while !taken.insert(escape_ident(&name)) {
                n += 1;
                name = format!("{stem}_{n}");
            }
            escape_ident(&name)
        })
        .collect()
}

/// The field name `member_fields` gives `member` among `names`.
pub fn member_field<'a>(names: impl IntoIterator<Item = &'a str>, member: &str) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let index = names.iter().position(|n| *n == member);
    match index {
        Some(i) => member_fields(names).swap_remove(i),
        None => field_name(member),
    }
}

/// The snake_case name with any `r#` removed, for building other names (`set_type`).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// An UpperCamelCase type name for a shape, operation or enum value. `Self`, the one
/// keyword in this case, becomes `SelfValue` (`r#Self` is not allowed).
pub fn camel(name: &str) -> String {
    let camel = ascii_words(name).to_upper_camel_case();
    if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else if camel == "Self" {
        "SelfValue".to_owned()
    } else {
        camel
    }
}

/// The Rust type name of a shape in the `types` module.
pub fn type_name(shape: &str) -> String {
    let camel = camel(shape);
    if RESERVED_TYPE_NAMES.contains(&camel.as_str()) {
        format!("{camel}Value")
    } else {
        camel
    }
}

/// The module (and client method) name of an operation: `SendMessage` → `send_message`.
pub fn operation_module(operation: &str) -> String {
    escape_ident(&snake(operation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_handles_acronyms_and_keywords() {
        assert_eq!(field_name("ConnectionToken"), "connection_token");
        assert_eq!(field_name("WebRTCConnection"), "web_rtc_connection");
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(camel("SELF"), "SelfValue");
        assert_eq!(
            member_fields([
                "Build", "Send", "X", "SetX", "get_x", "Content", "content", "Type", "self"
            ]),
            [
                "build_value",
                "send_value",
                "x",
                "set_x_value",
                "get_x_value",
                "content",
                "content_2",
                "r#type",
                "self_"
            ]
        );
        assert_eq!(member_fields(["SetY"]), ["set_y"]);
        assert_eq!(camel("self"), "SelfValue");
        assert_eq!(bare("r#type"), "type");
    }

    #[test]
    fn camel_case_makes_valid_type_names() {
        assert_eq!(camel("text/plain"), "TextPlain");
        assert_eq!(camel("CONNECTION_ACK"), "ConnectionAck");
        assert_eq!(camel("3DES"), "V3des");
        assert_eq!(type_name("Error"), "ErrorValue");
        assert_eq!(type_name("ChatItemType"), "ChatItemType");
    }
}
