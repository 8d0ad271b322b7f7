//! The write stage touches only what changed, removes only generated files, and in check
//! mode reports without writing.

use awsgen_codegen::emit::HEADER;
use awsgen_codegen::write::{write_files, Mode};
use awsgen_codegen::GeneratedFile;

fn file(path: &str, body: &str) -> GeneratedFile {
    GeneratedFile {
        path: path.to_owned(),
        contents: format!("// {HEADER}\n{body}\n"),
    }
}

#[test]
fn writes_changes_removes_stale_generated_files_and_keeps_hand_written_ones() {
    let dir = std::env::temp_dir().join(format!("awsgen-write-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let first = vec![file("src/lib.rs", "pub mod a;"), file("src/a.rs", "")];
    let report = write_files(&dir, &first, Mode::Write).unwrap();
    assert_eq!(report.changed, ["src/lib.rs", "src/a.rs"]);
    std::fs::write(dir.join("src/notes.rs"), "// hand-written\n").unwrap();

    // Unchanged content is not rewritten: its modification time stays.
    let mtime = |p: &str| std::fs::metadata(dir.join(p)).unwrap().modified().unwrap();
    let lib_time = mtime("src/lib.rs");
    let second = vec![file("src/lib.rs", "pub mod a;"), file("src/b.rs", "")];

    let check = write_files(&dir, &second, Mode::Check).unwrap();
    assert_eq!(check.changed, ["src/b.rs"]);
    assert_eq!(check.removed, ["src/a.rs"]);
    assert!(!dir.join("src/b.rs").exists(), "check mode must not write");
    assert!(dir.join("src/a.rs").exists(), "check mode must not remove");

    let report = write_files(&dir, &second, Mode::Write).unwrap();
    assert_eq!(report.changed, ["src/b.rs"]);
    assert_eq!(report.removed, ["src/a.rs"]);
    assert_eq!(report.unchanged, 1);
    assert_eq!(mtime("src/lib.rs"), lib_time);
    assert!(!dir.join("src/a.rs").exists());
    assert!(
        dir.join("src/notes.rs").exists(),
        "hand-written files are never removed"
    );
    assert!(write_files(&dir, &second, Mode::Check).unwrap().is_clean());
    std::fs::remove_dir_all(&dir).ok();
}
