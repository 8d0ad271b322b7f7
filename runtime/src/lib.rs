//! The service-agnostic runtime that awsgen-generated AWS clients call.
//!
//! Everything that is the same for every service lives here, so that generated crates
//! stay thin: primitive model types, build and validation errors, redaction helpers.

#![forbid(unsafe_code)]

mod build;
mod error;
mod primitives;
mod redact;

pub use build::{BuildError, MissingMember};
pub use error::Unhandled;
pub use primitives::{Blob, DateTime, Document};
pub use redact::{redact, REDACTED};
