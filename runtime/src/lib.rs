//! The service-agnostic runtime that awsgen-generated AWS clients call.
//!
//! ## Quick start
//!
//! An application meets this crate through a generated one (`connectparticipant`,
//! `connect`): its `Config` is [`Config`], its errors are [`SdkError`], and its
//! credentials are [`Credentials`] or any [`ProvideCredentials`]. One configuration serves
//! every client built from it:
//!
//! ```
//! use std::time::Duration;
//!
//! use awsgen_runtime::{Config, Credentials};
//!
//! # fn main() -> Result<(), awsgen_runtime::ConfigError> {
//! // From the environment (AWS_REGION, AWS_MAX_ATTEMPTS, the credential chain...),
//! // then what the code says.
//! let config = Config::from_env()
//!     .region("us-east-1")
//!     // Only services that sign use them (connectparticipant does not).
//!     .credentials(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
//!     .max_attempts(5)
//!     .operation_timeout(Duration::from_secs(10))
//!     .build()?;
//! assert_eq!(config.region(), Some("us-east-1"));
//! // `connect::Client::new(&config)`, `connectparticipant::Client::new(&config)`...
//! # Ok(())
//! # }
//! ```
//!
//! A request of your own (one no generated crate makes) is signed with [`sigv4::sign`]:
//!
//! ```
//! use std::time::SystemTime;
//!
//! use awsgen_runtime::sigv4::{sign, SigningParams};
//! use awsgen_runtime::{Credentials, HttpRequest};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
//! let mut request = HttpRequest {
//!     method: awsgen_runtime::http::Method::GET,
//!     url: "https://connect.us-east-1.amazonaws.com/instance".to_owned(),
//!     headers: Default::default(),
//!     body: Default::default(),
//!     operation: None,
//! };
//! let params = SigningParams::new(&credentials, "us-east-1", "connect", SystemTime::now());
//! sign(&mut request, &params)?;
//! assert!(request.header("authorization").is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256")));
//! # Ok(())
//! # }
//! ```
//!
//! Everything that is the same for every service lives here, so that generated crates
//! stay thin: configuration, credentials and SigV4, the HTTP transport, the call
//! orchestrator (validation, retries, timeouts, tracing), rest-json helpers, errors,
//! primitive model types, validation and redaction.

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
