//! Stage 5, write: files reach the disk only when their content changed, and generated
//! files the new plan no longer produces are removed. In check mode nothing is written;
//! the same comparison reports what is stale.

use std::path::{Path, PathBuf};

use crate::emit::{GeneratedFile, HEADER};
use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// What a write (or check) found, paths relative to the crate root.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Created or changed (check mode: would be).
    pub changed: Vec<String>,
    /// Generated files no longer produced, removed (check mode: would be).
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl WriteReport {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

pub fn write_files(
    out_dir: &Path,
    files: &[GeneratedFile],
    mode: Mode,
) -> Result<WriteReport, Error> {
    let mut report = WriteReport::default();
    for file in files {
        let path = out_dir.join(&file.path);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(file.contents.as_str()) {
            report.unchanged += 1;
            continue;
        }
        report.changed.push(file.path.clone());
        if mode == Mode::Write {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
            }
            std::fs::write(&path, &file.contents).map_err(|e| io_error(&path, e))?;
        }
    }
    for stale in stale_generated_files(out_dir, files)? {
        if mode == Mode::Write {
            std::fs::remove_file(out_dir.join(&stale))
                .map_err(|e| io_error(&out_dir.join(&stale), e))?;
        }
        report.removed.push(stale);
    }
    Ok(report)
}

/// Files under the crate that carry the generated header but are not in `files`.
/// Files without the header are hand-written and never touched.
fn stale_generated_files(out_dir: &Path, files: &[GeneratedFile]) -> Result<Vec<String>, Error> {
    let mut found = Vec::new();
    collect_files(out_dir, out_dir, &mut found)?;
    found.sort();
    Ok(found
        .into_iter()
        .filter(|relative| !files.iter().any(|f| &f.path == relative))
        .filter(|relative| {
            std::fs::read_to_string(out_dir.join(relative)).is_ok_and(|text| {
                text.lines()
                    .next()
                    .is_some_and(|line| line.contains(HEADER))
            })
        })
        .collect())
}

fn collect_files(root: &Path, dir: &Path, found: &mut Vec<String>) -> Result<(), Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(dir, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect_files(root, &path, found)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            found.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: PathBuf::from(path),
        message: e.to_string(),
    }
}
