//! The service-agnostic runtime that awsgen-generated AWS clients call.
//!
//! Everything that is the same for every service lives here, so that generated crates
//! stay thin: configuration, the HTTP transport, the call orchestrator (validation,
//! retries, timeouts, tracing), rest-json helpers, errors, primitive model types,
//! validation and redaction.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
mod build;
mod config;
pub mod credentials;
pub mod endpoint;
mod error;
mod invoke;
mod macros;
#[cfg(feature = "test-util")]
pub mod mock;
mod paginate;
#[cfg(feature = "patterns")]
mod pattern;
mod primitives;
/// rest-json helpers for generated code; not part of the public API.
#[doc(hidden)]
pub mod protocol;
mod random;
mod redact;
pub mod retry;
pub mod sigv4;
mod transport;
mod validate;
#[doc(hidden)]
pub mod wire;

pub use auth::{Auth, CredentialsError, ProvideCredentials};
pub use build::{BuildError, MissingMember};
pub use config::{
    Config, ConfigBuilder, ConfigError, IdempotencyTokenProvider, RetryConfig, TimeoutConfig,
    UuidTokens, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE_CONNECTIONS,
    DEFAULT_MAX_RESPONSE_BODY, DEFAULT_OPERATION_TIMEOUT,
};
pub use error::{
    DispatchError, ErrorMetadata, InvalidInputError, InvalidInputKind, ModeledError,
    ProvideErrorMetadata, RedirectError, ResponseError, SdkError, ServiceError, TimeoutError,
    TimeoutKind, Unhandled,
};
pub use invoke::{ClientHandle, Operation};
pub use paginate::{Items, PageItems, PageSize, Paginated, Paginator};
#[cfg(feature = "patterns")]
pub use pattern::Pattern;
pub use primitives::{Blob, DateTime, Document};
pub use redact::{redact, REDACTED};
pub use sigv4::Credentials;
pub use transport::{
    HttpRequest, HttpResponse, HttpTransport, ReqwestTransport, TransportError, TransportErrorKind,
    TransportFuture, TransportSettings, MAX_ERROR_BODY,
};
pub use validate::{Constraint, FieldPath, ValidationError, ValidationMode, Validator, Violation};

/// Re-exported for generated code, so generated crates need no direct dependency on them.
#[doc(hidden)]
pub use {bytes, http, serde, serde_json};
