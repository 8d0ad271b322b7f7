//! The README and `docs/` as a user reads them: every Rust snippet is a whole file the
//! workspace compiles (and runs, as an example or a test), word for word, imports
//! included; every page the README links exists; the error line shown is the one the
//! client prints.
//!
//! A snippet says which file it is with `<!-- file: PATH -->` on the line before its
//! fence; it is that file without its leading `//!` comment.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The README and every page under `docs/`.
fn pages() -> Vec<String> {
    let mut pages = vec!["README.md".to_owned()];
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            pages.push(format!("docs/{name}"));
        }
    }
    pages.sort();
    pages
}

/// Each Rust block of `markdown`: the file its marker names (if any), its code, its line.
fn rust_blocks(markdown: &str) -> Vec<(Option<String>, String, usize)> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_start().starts_with("```rust") {
            let marker = i
                .checked_sub(1)
                .and_then(|before| lines[before].strip_prefix("<!-- file: "))
                .and_then(|rest| rest.strip_suffix(" -->"))
                .map(str::to_owned);
            let start = i + 1;
            let end = (start..lines.len())
                .find(|&j| lines[j].trim_start().starts_with("```"))
                .expect("a closed fence");
            blocks.push((marker, lines[start..end].join("\n"), i + 1));
            i = end;
        }
        i += 1;
    }
    blocks
}

/// A file as its snippet shows it: without the leading `//!` comment and blank lines.
fn without_header(file: &str) -> &str {
    let mut rest = file;
    while let Some(line) = rest.lines().next() {
        if !(line.starts_with("//!") || line.trim().is_empty()) {
            break;
        }
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest.trim_end()
}

#[test]
fn every_rust_snippet_is_a_whole_compiled_file() {
    let mut checked = 0;
    for page in pages() {
        for (marker, code, line) in rust_blocks(&read(&page)) {
            let file = marker.unwrap_or_else(|| {
                panic!("{page}:{line}: a Rust snippet without `<!-- file: PATH -->` above it")
            });
            assert!(
                file.starts_with("chat/examples/")
                    || file.starts_with("tests/examples/")
                    || file.starts_with("tests/tests/")
                    || file.starts_with("chat/tests/"),
                "{page}:{line}: {file} is not an example or a test, which CI builds and runs"
            );
            assert_eq!(
                code.trim_end(),
                without_header(&read(&file)),
                "{page}:{line}: the snippet differs from {file}; copy the file into the page"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 3,
        "the README and docs show at least three programs"
    );
}

#[test]
fn the_header_is_all_that_is_left_out() {
    let file = "//! Title.\n//!\n//! More.\n\nuse a::b;\n\nfn main() {}\n";
    assert_eq!(without_header(file), "use a::b;\n\nfn main() {}");
    let blocks =
        rust_blocks("text\n<!-- file: x.rs -->\n```rust\nfn a() {}\n```\n```rust\nb\n```\n");
    assert_eq!(
        blocks,
        [
            (Some("x.rs".to_owned()), "fn a() {}".to_owned(), 3),
            (None, "b".to_owned(), 6)
        ]
    );
}

/// Every relative link of the README and the docs leads to a file that exists.
#[test]
fn every_local_link_leads_somewhere() {
    for page in pages() {
        let text = read(&page);
        let dir = Path::new(&page).parent().unwrap().to_owned();
        for (at, _) in text.match_indices("](") {
            let target = &text[at + 2..];
            let target = &target[..target.find(')').unwrap_or(target.len())];
            if target.starts_with("http") || target.starts_with('#') {
                continue;
            }
            let path = target.split('#').next().unwrap();
            assert!(
                root().join(&dir).join(path).exists(),
                "{page}: the link to {target} leads nowhere"
            );
        }
    }
}

/// The README is a way in: at most 250 lines, its first screen says what the project is,
/// its status and licence and the two commands, and each page of `docs/` is linked.
#[test]
fn the_readme_is_short_and_links_every_page() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(lines <= 250, "README.md has {lines} lines");
    let first_screen: String = readme.lines().take(40).collect::<Vec<_>>().join("\n");
    for needed in [
        "Status",
        "Apache-2.0",
        "cargo xtask codegen",
        "cargo test --workspace",
    ] {
        assert!(
            first_screen.contains(needed),
            "the README's first screen lacks {needed}"
        );
    }
    for page in pages().iter().filter(|p| p.starts_with("docs/")) {
        assert!(
            readme.contains(&format!("]({page}")),
            "README.md does not link {page}"
        );
    }
}

/// The README's dependency lines name crates where they are: each `path = "../awsgen/DIR"`
/// (a clone of this repository beside the user's project) is a package of that name.
#[test]
fn the_readme_dependency_lines_name_the_crates_where_they_are() {
    let readme = read("README.md");
    let mut named = 0;
    for line in readme.lines() {
        let Some((name, rest)) = line.split_once(" = { path = \"../awsgen/") else {
            continue;
        };
        let dir = &rest[..rest.find('"').unwrap()];
        let manifest = read(&format!("{dir}/Cargo.toml"));
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "README.md: ../awsgen/{dir} is not the package {name}"
        );
        named += 1;
    }
    assert!(named >= 2, "the quick start depends on both crates");
}

/// The error line the REST client page shows is what the client prints, word for word
/// (chat content redacted).
#[tokio::test]
async fn the_validation_error_line_is_what_the_client_prints() {
    let page = read("docs/client.md");
    let config = connectparticipant::Config::builder()
        .endpoint_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let error = connectparticipant::Client::new(&config)
        .unwrap()
        .send_message()
        .connection_token("t")
        .content_type("text/plain")
        .content("a".repeat(16385))
        .send()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        page.contains(&error),
        "docs/client.md should show:\n{error}"
    );
}
