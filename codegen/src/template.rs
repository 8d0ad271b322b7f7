//! The one parser for `{Name}` templates: request URIs (`/views/{ViewToken}`, greedy
//! `{Key+}`), host prefixes (`{Name}-data.`) and endpoint rule strings
//! (`https://{Region}.{PartitionResult#dnsSuffix}`). Each user reads the label text its
//! own way (a trailing `+`, a `#attribute`).

/// A piece of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Literal(&'a str),
    /// The text between `{` and `}`.
    Label(&'a str),
}

/// Splits a template into literals and labels. A `{` without a closing `}` is literal
/// text, as is everything after it.
pub fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            pieces.push(Piece::Literal(&rest[..start]));
        }
        pieces.push(Piece::Label(&rest[start + 1..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest));
    }
    pieces
}

/// The labels of a template, in order.
pub fn labels(template: &str) -> impl Iterator<Item = &str> {
    pieces(template)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Label(label) => Some(label),
            Piece::Literal(_) => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Piece::{Label, Literal};

    #[test]
    fn literals_and_labels() {
        assert_eq!(
            pieces("/nodes/{Type}/{Self+}?x"),
            [
                Literal("/nodes/"),
                Label("Type"),
                Literal("/"),
                Label("Self+"),
                Literal("?x")
            ]
        );
        assert_eq!(pieces("{Name}-data."), [Label("Name"), Literal("-data.")]);
        assert_eq!(
            pieces("https://{A#b}{C}"),
            [Literal("https://"), Label("A#b"), Label("C")]
        );
        assert_eq!(pieces(""), []);
    }

    #[test]
    fn an_unclosed_brace_is_literal_and_nothing_is_repeated() {
        assert_eq!(pieces("/a/{b"), [Literal("/a/{b")]);
        assert_eq!(
            pieces("/a/{b}/{c"),
            [Literal("/a/"), Label("b"), Literal("/{c")]
        );
        assert_eq!(labels("/a/{b}/{c+}").collect::<Vec<_>>(), ["b", "c+"]);
    }
}
