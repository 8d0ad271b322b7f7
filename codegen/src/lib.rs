//! awsgen's code generator: a botocore rest-json model in, a Rust client crate out.
//!
//! The stages run in order, each in its own module:
//! [`model`] (load) → [`check`] → [`plan`] → [`emit`] → [`write`].
//! Only the plan is read by the emitters; every naming and typing decision is made there.

pub mod check;
pub mod docs;
pub mod emit;
pub mod model;
pub mod naming;
pub mod pattern;
pub mod plan;
pub mod write;

use std::fmt;
use std::path::{Path, PathBuf};

pub use emit::{GeneratedFile, RuntimeDependency};
pub use model::{Customizations, Model};
pub use plan::Plan;

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
    /// The model parsed but is inconsistent; every problem is listed.
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
                write!(f, "{}: {count} {noun} in the model", path.display())?;
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

/// What to generate from, and how the result finds its runtime.
#[derive(Debug, Clone)]
pub struct Options {
    pub model: PathBuf,
    /// `customizations.json`; when `None`, the file beside the model is used if present.
    pub customizations: Option<PathBuf>,
    pub crate_name: String,
    pub runtime: RuntimeDependency,
}

/// A generated crate, not yet written.
#[derive(Debug)]
pub struct Generated {
    pub operations: usize,
    pub shapes: usize,
    pub files: Vec<GeneratedFile>,
}

/// Runs load, check, plan and emit for one model file.
pub fn generate(options: &Options) -> Result<Generated, Error> {
    let model = Model::load(&options.model)?;
    let customizations_path = options
        .customizations
        .clone()
        .unwrap_or_else(|| options.model.with_file_name("customizations.json"));
    let customizations = if customizations_path.exists() {
        Customizations::load(&customizations_path)?
    } else {
        Customizations::default()
    };
    let files = generate_from_model(
        &model,
        &customizations,
        &options.crate_name,
        &options.runtime,
    )
    .map_err(|e| with_model_path(e, &options.model))?;
    Ok(Generated {
        operations: model.operations.len(),
        shapes: model.shapes.len(),
        files,
    })
}

/// Check, plan and emit for a model already in memory (the protocol-test harness builds
/// models this way).
pub fn generate_from_model(
    model: &Model,
    customizations: &Customizations,
    crate_name: &str,
    runtime: &RuntimeDependency,
) -> Result<Vec<GeneratedFile>, Error> {
    let problems = check::check(model);
    if !problems.is_empty() {
        return Err(Error::Check {
            path: PathBuf::new(),
            problems,
        });
    }
    let plan = plan::plan(model, customizations, crate_name);
    emit::emit(&plan, runtime)
}

fn with_model_path(error: Error, model: &Path) -> Error {
    match error {
        Error::Check { problems, .. } => Error::Check {
            path: model.to_owned(),
            problems,
        },
        other => other,
    }
}
