//! The service-agnostic runtime that awsgen-generated AWS clients call.
//!
//! Everything that is the same for every service lives here, so that generated crates
//! stay thin: primitive model types, build and validation errors, redaction helpers.

#![forbid(unsafe_code)]

mod build;
mod error;
#[cfg(feature = "patterns")]
mod pattern;
mod primitives;
mod redact;
mod validate;

pub use build::{BuildError, MissingMember};
pub use error::Unhandled;
#[cfg(feature = "patterns")]
pub use pattern::Pattern;
pub use primitives::{Blob, DateTime, Document};
pub use redact::{redact, REDACTED};
pub use validate::{Constraint, FieldPath, ValidationError, ValidationMode, Validator, Violation};
