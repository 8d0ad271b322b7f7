//! Errors the service returns that the model does not list for an operation.

use std::fmt;

/// An error response that matched none of the operation's modeled exceptions: kept
/// with everything the response said so a caller can still act on it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unhandled {
    code: Option<String>,
    message: Option<String>,
    status: Option<u16>,
    request_id: Option<String>,
}

impl Unhandled {
    /// An unhandled error with what the response carried.
    pub fn new(
        code: Option<String>,
        message: Option<String>,
        status: Option<u16>,
        request_id: Option<String>,
    ) -> Self {
        Unhandled {
            code,
            message,
            status,
            request_id,
        }
    }

    /// The error code, when the response had one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message, when the response had one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The request id (`x-amzn-RequestId`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("unknown error"))?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(status) = self.status {
            write!(f, " (HTTP {status}")?;
            if let Some(id) = &self.request_id {
                write!(f, ", request id {id}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unhandled {}
