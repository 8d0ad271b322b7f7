//! The model's documentation is HTML; rustdoc wants Markdown. This converts the small set
//! of tags botocore models use (`p`, `code`, `a`, `ul`/`ol`/`li`, `note`, `important`,
//! `i`/`b`, `dl`/`dt`/`dd`, `br`) and escapes everything else, so that `cargo doc` on a
//! generated crate gives no warnings: no stray HTML, no accidental intra-doc links, no
//! bare URLs and no indented text that rustdoc would take for a doctest.

const WIDTH: usize = 90;

/// Converts model HTML into Markdown lines joined by `\n`, with paragraphs separated by
/// a blank line and no trailing newline.
pub fn html_to_markdown(html: &str) -> String {
    let mut writer = Writer::default();
    for token in tokenize(html) {
        writer.token(token);
    }
    writer.finish()
}

#[derive(Debug, PartialEq)]
enum Token {
    Start { name: String, href: Option<String> },
    End(String),
    Text(String),
}

fn tokenize(html: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map_or("", |(_, tail)| tail);
            continue;
        }
        let tag = rest
            .strip_prefix('<')
            .filter(|r| r.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/'))
            .and_then(|r| r.split_once('>'));
        if let Some((inside, tail)) = tag {
            tokens.extend(parse_tag(inside));
            rest = tail;
            continue;
        }
        // Text runs to the next `<` after its first character (which may be a `<` that
        // starts no tag, or a multi-byte character).
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let end = rest[first..].find('<').map_or(rest.len(), |i| i + first);
        tokens.push(Token::Text(decode_entities(&rest[..end])));
        rest = &rest[end..];
    }
    tokens
}

fn parse_tag(inside: &str) -> Vec<Token> {
    let inside = inside.trim();
    if let Some(name) = inside.strip_prefix('/') {
        return vec![Token::End(name.trim().to_ascii_lowercase())];
    }
    let self_closing = inside.ends_with('/');
    let inside = inside.trim_end_matches('/');
    let (name, attributes) = inside
        .split_once(char::is_whitespace)
        .unwrap_or((inside, ""));
    let name = name.to_ascii_lowercase();
    let href = attribute(attributes, "href").map(|h| decode_entities(&h));
    let mut tokens = vec![Token::Start {
        name: name.clone(),
        href,
    }];
    if self_closing {
        tokens.push(Token::End(name));
    }
    tokens
}

fn attribute(attributes: &str, wanted: &str) -> Option<String> {
    let start = attributes.find(&format!("{wanted}="))? + wanted.len() + 1;
    let value = &attributes[start..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        value[1..].split_once(quote).map(|(v, _)| v.to_owned())
    } else {
        Some(value.split_whitespace().next().unwrap_or("").to_owned())
    }
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity = rest[1..]
            .find(';')
            .filter(|&i| i <= 8)
            .map(|i| &rest[1..=i]);
        let decoded = entity.and_then(|e| match e {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => e
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| e.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        });
        match (entity, decoded) {
            (Some(entity), Some(c)) => {
                out.push(c);
                rest = &rest[entity.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Default)]
struct Writer {
    blocks: Vec<String>,
    /// The paragraph being built, already in Markdown.
    inline: String,
    /// Open lists, innermost last: `Some(n)` for an ordered list at item `n`.
    lists: Vec<Option<usize>>,
    /// The marker of a list item whose first paragraph has not been written yet.
    pending_marker: Option<String>,
    /// Inside `<code>`: raw text collected for one code span.
    code: Option<String>,
    /// Inside `<a href>`: the target and where its text starts in `inline`.
    link: Option<(String, usize)>,
    /// Inside `<pre>`: raw text for a fenced block.
    pre: Option<String>,
    /// Emphasis markers opened in `inline` and not yet closed: position and marker.
    emphasis: Vec<(usize, &'static str)>,
    /// `**Note:**` and the like, put before the next paragraph that has text.
    pending_label: Option<&'static str>,
}

impl Writer {
    fn token(&mut self, token: Token) {
        if let Some(pre) = &mut self.pre {
            match token {
                Token::Text(text) => pre.push_str(&text),
                Token::End(name) if name == "pre" => self.end_pre(),
                _ => {}
            }
            return;
        }
        if let Some(code) = &mut self.code {
            match token {
                Token::Text(text) => code.push_str(&text),
                Token::End(name) if name == "code" => self.end_code(),
                _ => {}
            }
            return;
        }
        match token {
            Token::Text(text) => self.text(&text),
            Token::Start { name, href } => self.start(&name, href),
            Token::End(name) => self.end(&name),
        }
    }

    fn start(&mut self, name: &str, href: Option<String>) {
        match name {
            "p" | "div" | "fullname" | "examples" | "example" | "dl" => self.flush(),
            "br" => self.flush(),
            "note" => {
                self.flush();
                self.pending_label = Some("**Note:** ");
            }
            "important" => {
                self.flush();
                self.pending_label = Some("**Important:** ");
            }
            "ul" | "ol" => {
                self.flush();
                self.lists.push((name == "ol").then_some(0));
            }
            "li" => {
                self.flush();
                if self.lists.is_empty() {
                    self.lists.push(None);
                }
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    _ => "- ".to_owned(),
                };
                self.pending_marker = Some(marker);
            }
            "dt" => {
                self.flush();
                self.inline.push_str("**");
            }
            "dd" => self.flush(),
            "code" | "tt" => self.code = Some(String::new()),
            "pre" => {
                self.flush();
                self.pre = Some(String::new());
            }
            "a" => {
                if let Some(href) = href {
                    self.link = Some((href, self.inline.len()));
                }
            }
            "i" | "em" => self.open_emphasis("*"),
            "b" | "strong" => self.open_emphasis("**"),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "p" | "div" | "note" | "important" | "fullname" | "dd" | "li" | "dl" => self.flush(),
            "dt" => {
                self.trim_inline_end();
                self.inline.push_str("**");
                self.flush();
            }
            "ul" | "ol" => {
                self.flush();
                self.lists.pop();
            }
            "a" => self.end_link(),
            "i" | "em" => self.close_emphasis("*"),
            "b" | "strong" => self.close_emphasis("**"),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        let starts_paragraph = self.inline.trim().is_empty() && self.link.is_none();
        let text = if starts_paragraph {
            text.trim_start()
        } else {
            text
        };
        for (i, word) in text.split(char::is_whitespace).enumerate() {
            if i > 0 && !self.inline.ends_with(' ') && !self.inline.is_empty() {
                self.inline.push(' ');
            }
            // A URL anywhere in the word, as in `(https://…).` or `"https://…"`: rustdoc
            // wants it in angle brackets, without the punctuation around it.
            let start = ["https://", "http://"]
                .iter()
                .filter_map(|scheme| word.find(scheme))
                .min();
            match start {
                Some(start) => {
                    let (before, rest) = word.split_at(start);
                    let url = rest.trim_end_matches(['.', ',', ';', ':', ')', ']', '"', '\'']);
                    escape_into(&mut self.inline, before);
                    self.inline.push('<');
                    self.inline.push_str(url);
                    self.inline.push('>');
                    escape_into(&mut self.inline, &rest[url.len()..]);
                }
                None => escape_into(&mut self.inline, word),
            }
        }
    }

    fn end_code(&mut self) {
        let code = self.code.take().unwrap_or_default();
        let code = code.split_whitespace().collect::<Vec<_>>().join(" ");
        if code.is_empty() {
            return;
        }
        let fence = if code.contains('`') { "``" } else { "`" };
        let pad = if code.starts_with('`') || code.ends_with('`') {
            " "
        } else {
            ""
        };
        self.inline
            .push_str(&format!("{fence}{pad}{code}{pad}{fence}"));
    }

    fn end_pre(&mut self) {
        let text = self.pre.take().unwrap_or_default();
        let body = text.trim_matches('\n').replace("```", "'''");
        if !body.trim().is_empty() {
            self.blocks.push(format!("```text\n{body}\n```"));
        }
    }

    fn end_link(&mut self) {
        let Some((href, start)) = self.link.take() else {
            return;
        };
        let absolute = href.starts_with("http://") || href.starts_with("https://");
        if !absolute {
            return; // Relative links point into AWS's docs site; keep only their text.
        }
        let href = href
            .trim()
            .replace(' ', "%20")
            .replace('(', "%28")
            .replace(')', "%29");
        let text = self.inline[start..].trim().to_owned();
        self.inline.truncate(start);
        self.emphasis.retain(|(position, _)| *position < start);
        if text.is_empty() || text.trim_matches(['<', '>']) == href {
            self.inline.push_str(&format!("<{href}>"));
        } else {
            let text = text.trim_start_matches('<').trim_end_matches('>');
            self.inline.push_str(&format!("[{text}]({href})"));
        }
    }

    fn open_emphasis(&mut self, marker: &'static str) {
        self.emphasis.push((self.inline.len(), marker));
        self.inline.push_str(marker);
    }

    /// Closes the innermost emphasis if it is of this kind; a closing tag that matches
    /// nothing open is ignored.
    fn close_emphasis(&mut self, marker: &str) {
        let start = match self.emphasis.last() {
            Some((start, open)) if *open == marker => *start,
            _ => return,
        };
        self.emphasis.pop();
        self.trim_inline_end();
        if self.inline.len() == start + marker.len() {
            // Empty emphasis (`<i></i>`) would print a stray marker: drop it.
            self.inline.truncate(start);
        } else {
            self.inline.push_str(marker);
        }
    }

    /// Emphasis opened and never closed (`<b>` with no `</b>`) would make rustdoc
    /// embolden the rest of the page: remove its opening markers.
    fn drop_unclosed_emphasis(&mut self) {
        while let Some((start, marker)) = self.emphasis.pop() {
            if self.inline.get(start..start + marker.len()) == Some(marker) {
                self.inline.replace_range(start..start + marker.len(), "");
            }
        }
    }

    fn trim_inline_end(&mut self) {
        let trimmed = self.inline.trim_end().len();
        self.inline.truncate(trimmed);
    }

    /// Ends the current paragraph, wrapping it and indenting it for any open list.
    fn flush(&mut self) {
        if let Some(code) = self.code.take() {
            self.code = Some(code);
            self.end_code();
        }
        self.drop_unclosed_emphasis();
        let text = self.inline.split_whitespace().collect::<Vec<_>>().join(" ");
        self.inline.clear();
        if text.is_empty() {
            return;
        }
        let text = match self.pending_label.take() {
            Some(label) => format!("{label}{text}"),
            None => text,
        };
        let depth = self.lists.len();
        let indent = "  ".repeat(depth.saturating_sub(1));
        let (first_prefix, rest_prefix) = match self.pending_marker.take() {
            Some(marker) => (
                format!("{indent}{marker}"),
                format!("{indent}{}", " ".repeat(marker.len())),
            ),
            None if depth > 0 => {
                let continuation = format!("{indent}  ");
                (continuation.clone(), continuation)
            }
            None => (String::new(), String::new()),
        };
        self.blocks.push(wrap(&text, &first_prefix, &rest_prefix));
    }

    fn finish(mut self) -> String {
        if self.pre.is_some() {
            self.end_pre();
        }
        self.flush();
        // Consecutive items of one list stay together; other blocks get a blank line.
        let mut out = String::new();
        let mut previous_was_item = false;
        for block in &self.blocks {
            let is_item = block.trim_start().starts_with("- ")
                || block
                    .trim_start()
                    .split_once(". ")
                    .is_some_and(|(n, _)| n.parse::<u32>().is_ok());
            if !out.is_empty() {
                out.push_str(if is_item && previous_was_item {
                    "\n"
                } else {
                    "\n\n"
                });
            }
            out.push_str(block);
            previous_was_item = is_item;
        }
        out
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Wraps at word boundaries. A continuation line never starts with something Markdown
/// would read as a list marker or quote.
fn wrap(text: &str, first_prefix: &str, rest_prefix: &str) -> String {
    let mut done: Vec<String> = Vec::new();
    let mut line = first_prefix.to_owned();
    let mut prefix_len = first_prefix.len();
    for word in text.split(' ') {
        let at_start = line.len() == prefix_len;
        let fits = line.len() + 1 + word.len() <= WIDTH;
        if at_start {
            line.push_str(word);
        } else if fits || looks_like_block_marker(word) {
            line.push(' ');
            line.push_str(word);
        } else {
            done.push(std::mem::replace(&mut line, format!("{rest_prefix}{word}")));
            prefix_len = rest_prefix.len();
        }
    }
    done.push(line);
    done.join("\n")
}

fn looks_like_block_marker(word: &str) -> bool {
    matches!(word, "-" | "+" | "*" | ">" | "=" | "==")
        || word
            .strip_suffix(['.', ')'])
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown;

    #[test]
    fn paragraphs_code_and_links() {
        let html = "<p>Sends a <code>message</code>. See <a href=\"https://docs.aws.amazon.com/x\">the guide</a>.</p><p>Second &amp; last.</p>";
        assert_eq!(
            html_to_markdown(html),
            "Sends a `message`. See [the guide](https://docs.aws.amazon.com/x).\n\nSecond & last."
        );
    }

    #[test]
    fn lists_and_notes() {
        let html =
            "<p>Kinds:</p><ul><li><p>One</p></li><li>Two</li></ul><note><p>Careful.</p></note>";
        assert_eq!(
            html_to_markdown(html),
            "Kinds:\n\n- One\n- Two\n\n**Note:** Careful."
        );
    }

    #[test]
    fn escapes_what_markdown_would_misread() {
        assert_eq!(
            html_to_markdown("a [b] &lt;c&gt; d_e *f*"),
            "a \\[b\\] \\<c\\> d\\_e \\*f\\*"
        );
        assert_eq!(
            html_to_markdown("<p>see https://example.com.</p>"),
            "see <https://example.com>."
        );
        assert_eq!(
            html_to_markdown("<p>(https://a.example/x.html). \"https://b.example/mcp\".</p>"),
            "(<https://a.example/x.html>). \"<https://b.example/mcp>\"."
        );
        assert_eq!(
            html_to_markdown("<p><a href=\"/relative\">text</a></p>"),
            "text"
        );
    }

    #[test]
    fn wraps_long_paragraphs_without_starting_a_list() {
        let words = "word ".repeat(30) + "version 2. Then";
        let md = html_to_markdown(&format!("<p>{words}</p>"));
        assert!(md.lines().all(|l| l.len() <= 100), "{md}");
        assert!(md.lines().all(|l| !l.starts_with("2.")), "{md}");
    }

    #[test]
    fn unbalanced_emphasis_is_dropped() {
        assert_eq!(html_to_markdown("<p><b>bold text</p>"), "bold text");
        assert_eq!(html_to_markdown("<p><i>x</b> y</i></p>"), "*x y*");
        assert_eq!(html_to_markdown("<p>a<b></b> b</p>"), "a b");
    }
}
