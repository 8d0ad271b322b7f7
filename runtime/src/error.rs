//! What an operation call can fail with. Every error names the operation, and service
//! errors carry the code, message, HTTP status and request id in their `Display`.

use std::fmt;

use crate::transport::TransportError;
use crate::validate::ValidationError;

/// What an error response said about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
}

impl ErrorMetadata {
    #[doc(hidden)]
    pub fn new(
        code: Option<String>,
        message: Option<String>,
        status: u16,
        request_id: Option<String>,
    ) -> Self {
        ErrorMetadata {
            code,
            message,
            status,
            request_id,
        }
    }

    /// The error code (`ThrottlingException`), when the response had one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message, when the response had one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id (`x-amzn-RequestId`), for AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Whether the AWS SDKs' standard retry mode would retry this error (throttling and
    /// transient codes, HTTP 429 and 5xx gateway statuses). The client already did, as
    /// far as its configuration allowed.
    pub fn is_retryable(&self) -> bool {
        crate::retry::classify_response(self.status, self.code()) != crate::retry::RetryKind::Never
    }
}

/// Code, message, HTTP status and request id of an error the service returned: every
/// modeled exception, [`Unhandled`], and each operation's error enum have them, so a
/// failure can be logged without matching on it.
pub trait ProvideErrorMetadata {
    /// The error's metadata.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code (`ThrottlingException`), when the response had one.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The error message, when the response had one.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

/// What generated exception types provide: where their metadata is kept.
#[doc(hidden)]
pub trait ModeledError {
    /// The metadata of the response the error came in.
    fn error_meta(&self) -> &ErrorMetadata;
    /// Keeps the response's metadata; an exception with a message member takes the
    /// message from it too.
    fn set_error_meta(&mut self, meta: ErrorMetadata);
}

impl<T: ModeledError> ProvideErrorMetadata for T {
    fn meta(&self) -> &ErrorMetadata {
        self.error_meta()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("unknown error"))?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

/// An error response that matched none of the operation's modeled exceptions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unhandled {
    meta: ErrorMetadata,
}

impl Unhandled {
    #[doc(hidden)]
    pub fn new(meta: ErrorMetadata) -> Self {
        Unhandled { meta }
    }

    /// The error code the service sent, if any.
    pub fn code(&self) -> Option<&str> {
        self.meta.code()
    }

    /// The error message the service sent, if any.
    pub fn message(&self) -> Option<&str> {
        self.meta.message()
    }

    /// Code, message, HTTP status and request id together.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.meta.code.as_deref().unwrap_or("unknown error"))?;
        if let Some(message) = &self.meta.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unhandled {}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// Why an operation call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input was rejected before anything was sent.
    InvalidInput(InvalidInputError),
    /// An attempt, or the whole operation, ran out of time.
    Timeout(TimeoutError),
    /// No response: the connection could not be made or broke.
    Dispatch(DispatchError),
    /// A response this client cannot read (not JSON, wrong types, an HTML error page,
    /// a body over the size limit).
    Response(ResponseError),
    /// The server answered with a redirect (3xx). Redirects are never followed: the
    /// request carries a bearer token, which must reach no host the endpoint did not name.
    Redirect(RedirectError),
    /// The service returned an error.
    Service(ServiceError<E>),
}

impl<E> SdkError<E> {
    /// The service error's metadata, if the service returned an error.
    pub fn meta(&self) -> Option<&ErrorMetadata> {
        match self {
            SdkError::Service(e) => Some(&e.meta),
            _ => None,
        }
    }

    /// The service's error code, if the service returned an error.
    pub fn code(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::code)
    }

    /// The service's error message, if the service returned an error.
    pub fn message(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::message)
    }

    /// The HTTP status of the response that ended the call, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            SdkError::Service(e) => Some(e.meta.status),
            SdkError::Response(e) => Some(e.status).filter(|status| *status != 0),
            SdkError::Redirect(e) => Some(e.status),
            _ => None,
        }
    }

    /// Whether trying again later could succeed: a throttling or transient service
    /// error, a timeout, or a connection failure. The client has already retried as its
    /// configuration allows; this is for retrying at a higher level.
    pub fn is_retryable(&self) -> bool {
        match self {
            SdkError::Service(e) => e.meta.is_retryable(),
            SdkError::Timeout(_) => true,
            SdkError::Dispatch(e) => e.source.kind().is_transient(),
            SdkError::InvalidInput(_) | SdkError::Response(_) | SdkError::Redirect(_) => false,
        }
    }

    /// The service's error, if that is what this is.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(&e.error),
            _ => None,
        }
    }

    /// Takes the service's error out, if that is what this is.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e.error),
            _ => None,
        }
    }

    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            SdkError::InvalidInput(e) => e.operation,
            SdkError::Timeout(e) => e.operation,
            SdkError::Dispatch(e) => e.operation,
            SdkError::Response(e) => e.operation,
            SdkError::Redirect(e) => e.operation,
            SdkError::Service(e) => e.operation,
        }
    }

    /// The request id, when a response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.meta.request_id(),
            SdkError::Response(e) => e.request_id.as_deref(),
            SdkError::Redirect(e) => e.request_id.as_deref(),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::InvalidInput(e) => e.fmt(f),
            SdkError::Timeout(e) => e.fmt(f),
            SdkError::Dispatch(e) => e.fmt(f),
            SdkError::Response(e) => e.fmt(f),
            SdkError::Redirect(e) => e.fmt(f),
            SdkError::Service(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::InvalidInput(e) => match &e.kind {
                InvalidInputKind::Validation(v) => Some(v),
                InvalidInputKind::Request(_) => None,
            },
            SdkError::Dispatch(e) => Some(&e.source),
            SdkError::Service(e) => Some(&e.error),
            SdkError::Timeout(_) | SdkError::Response(_) | SdkError::Redirect(_) => None,
        }
    }
}

/// The input was rejected before anything was sent.
#[derive(Debug)]
pub struct InvalidInputError {
    pub(crate) operation: &'static str,
    pub(crate) kind: InvalidInputKind,
}

/// What was wrong with the input.
#[derive(Debug)]
#[non_exhaustive]
pub enum InvalidInputKind {
    /// It broke the model's constraints.
    Validation(ValidationError),
    /// It cannot be put into an HTTP request (a header value with a line break, a
    /// missing URI label), naming the member.
    Request(String),
}

impl InvalidInputError {
    #[doc(hidden)]
    pub fn new(operation: &'static str, kind: InvalidInputKind) -> Self {
        InvalidInputError { operation, kind }
    }

    /// What was wrong with the input.
    pub fn kind(&self) -> &InvalidInputKind {
        &self.kind
    }

    /// The validation error, when that is the reason.
    pub fn validation(&self) -> Option<&ValidationError> {
        match &self.kind {
            InvalidInputKind::Validation(v) => Some(v),
            InvalidInputKind::Request(_) => None,
        }
    }
}

impl fmt::Display for InvalidInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            InvalidInputKind::Validation(e) => write!(f, "{} not sent: {e}", self.operation),
            InvalidInputKind::Request(message) => {
                write!(f, "{} not sent: {message}", self.operation)
            }
        }
    }
}

/// Which limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// The connect timeout, on the last attempt.
    Connect,
    /// The per-attempt timeout, on the last attempt.
    Attempt,
    /// The whole-operation timeout.
    Operation,
}

/// A call that ran out of time: which limit was reached, after how many attempts.
#[derive(Debug)]
pub struct TimeoutError {
    pub(crate) operation: &'static str,
    pub(crate) kind: TimeoutKind,
    pub(crate) attempts: u32,
}

impl TimeoutError {
    /// Which limit was reached.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// Attempts made, the timed-out one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connect timeout",
            TimeoutKind::Attempt => "attempt timeout",
            TimeoutKind::Operation => "operation timeout",
        };
        write!(
            f,
            "{} failed: {what} reached after {} attempt(s)",
            self.operation, self.attempts
        )
    }
}

/// The request could not be sent or its response not received (connection refused or
/// reset, TLS failure, ...), on the last attempt made.
#[derive(Debug)]
pub struct DispatchError {
    pub(crate) operation: &'static str,
    pub(crate) attempts: u32,
    pub(crate) source: TransportError,
}

impl DispatchError {
    /// Attempts made, the failed one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The last attempt's failure, as the transport reported it.
    pub fn transport_error(&self) -> &TransportError {
        &self.source
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed after {} attempt(s): {}",
            self.operation, self.attempts, self.source
        )
    }
}

/// A response the client could not read: a body that is not the modeled JSON, too
/// large, or a header of the wrong form.
#[derive(Debug)]
pub struct ResponseError {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) message: String,
}

impl ResponseError {
    /// The response's HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// What could not be read, e.g. `invalid type: string "x", expected i32 at line 1 column 20`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: unreadable response (HTTP {}",
            self.operation, self.status
        )?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        write!(f, "): {}", self.message)
    }
}

/// A 3xx response. Only the status and the host the `Location` header names are kept:
/// the rest of that URL may carry anything.
#[derive(Debug)]
pub struct RedirectError {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) location_host: Option<String>,
    pub(crate) request_id: Option<String>,
}

impl RedirectError {
    /// The 3xx status the server answered with.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The host the redirect pointed to; `None` when the `Location` header was missing,
    /// relative or unreadable.
    pub fn location_host(&self) -> Option<&str> {
        self.location_host.as_deref()
    }
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: the server answered with a redirect (HTTP {}",
            self.operation, self.status
        )?;
        if let Some(host) = &self.location_host {
            write!(f, " to host {host}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str("), which is never followed")
    }
}

/// An error the service returned: the operation's typed error `E` and the response's
/// metadata.
#[derive(Debug)]
pub struct ServiceError<E> {
    pub(crate) operation: &'static str,
    pub(crate) error: E,
    pub(crate) meta: ErrorMetadata,
}

impl<E> ServiceError<E> {
    /// The operation's error, to match on.
    pub fn err(&self) -> &E {
        &self.error
    }

    /// The operation's error, taken out.
    pub fn into_err(self) -> E {
        self.error
    }

    /// Code, message, HTTP status and request id.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl<E> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.operation, self.meta)
    }
}
