//! What stops a generation: an [`Error`], naming the file, and for an inconsistent model
//! every [`Problem`] with its JSON path. A leaf module: every stage reports through it.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with a model, named by its JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// e.g. `shapes.SendMessageRequest.members.Content.shape`
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Everything that can stop a generation, each naming where.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io { path: PathBuf, message: String },
    /// A model or customization file is not valid JSON or not shaped like one.
    Load { path: PathBuf, message: String },
    /// The model, or a file read with it, parsed but is inconsistent: every problem of
    /// every file is listed (a companion file's paths start with its file name).
    Check {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    /// Generated code did not parse as Rust: a bug in an emitter.
    Emit { file: String, message: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Load { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Check { path, problems } => {
                let count = problems.len();
                let noun = if count == 1 { "problem" } else { "problems" };
                write!(f, "{}: {count} {noun}", path.display())?;
                for problem in problems {
                    write!(f, "\n  {problem}")?;
                }
                Ok(())
            }
            Error::Emit { file, message } => {
                write!(
                    f,
                    "generated {file} is not valid Rust (a generator bug): {message}"
                )
            }
        }
    }
}

impl std::error::Error for Error {}
