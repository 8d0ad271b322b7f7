//! The HTTP boundary: plain request and response values, the transport trait a client
//! can swap out, and the default transport (reqwest over rustls with ring).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method};

/// A request ready to send. The body is `Bytes` so that a retry re-sends it without a copy.
#[derive(Clone)]
pub struct HttpRequest {
    /// The HTTP method.
    pub method: Method,
    /// The full URL, query string included.
    pub url: String,
    /// Every header to send (the transport may add `Host` and `Content-Length`).
    pub headers: HeaderMap,
    /// The body, empty when there is none.
    pub body: Bytes,
    /// The operation whose call this is (its model name, e.g. `SendMessage`), for a
    /// transport that tells calls apart (metrics, a mock); `None` for other requests
    /// (credential providers, uploads to pre-signed URLs).
    pub operation: Option<&'static str>,
}

impl HttpRequest {
    /// A header as text, if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl fmt::Debug for HttpRequest {
    // Headers may carry bearer tokens and the path may carry tokens in URI labels: show
    // only the header names and the URL's origin.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("origin", &crate::redact::origin(&self.url))
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A response as received, body read in full.
#[derive(Clone)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl HttpResponse {
    /// A header as text, if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The request id AWS puts on every response.
    pub fn request_id(&self) -> Option<&str> {
        // Header names as constants: looked up without parsing a name each time.
        const REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-amzn-requestid");
        const S3_REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-amz-request-id");
        [REQUEST_ID, S3_REQUEST_ID]
            .iter()
            .find_map(|name| self.headers.get(name)?.to_str().ok())
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Why a request got no (readable) response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    status: Option<u16>,
    source: Box<dyn std::error::Error + Send + Sync>,
}

/// The kinds of transport failure, which decide retries and the error users see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, DNS); retried.
    Connect,
    /// The transport's own timeout fired (the connect timeout); retried.
    Timeout,
    /// The connection broke while sending or receiving; retried.
    Io,
    /// The TLS handshake failed (an untrusted certificate, a server that does not speak
    /// TLS): retrying cannot help, so it is not retried.
    Tls,
    /// The response body is larger than the configured limit; not retried.
    BodyTooLarge,
    /// The request could not be sent as it is (a URL the HTTP stack refuses); not retried.
    Other,
}

impl TransportErrorKind {
    /// Whether a new attempt could succeed where this one failed.
    pub fn is_transient(self) -> bool {
        matches!(self, Self::Connect | Self::Timeout | Self::Io)
    }
}

impl TransportError {
    /// A failure of kind `kind` caused by `source`; a custom transport reports its
    /// failures with this.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            status: None,
            source: source.into(),
        }
    }

    /// A body over the limit: it fails before reading when `Content-Length` says so,
    /// otherwise as soon as the limit is crossed.
    pub fn body_too_large(status: u16, limit: usize) -> Self {
        TransportError {
            kind: TransportErrorKind::BodyTooLarge,
            status: Some(status),
            source: format!(
                "the response body is larger than the limit of {limit} bytes (HTTP {status}; \
                 raise it with max_response_body)"
            )
            .into(),
        }
    }

    /// What kind of failure it was; it decides whether the attempt is retried.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The response status, when the failure came after the response headers.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "connect timed out",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::Tls => "TLS handshake failed",
            TransportErrorKind::BodyTooLarge => "response refused",
            TransportErrorKind::Other => "request not sent",
        };
        write!(f, "{what}: {}", self.source)?;
        // reqwest's own text is generic ("error sending request"): add the innermost
        // reason, such as the certificate problem.
        if let Some(reason) = causes(&*self.source).last() {
            write!(f, ": {reason}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// The future a transport returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// Sends HTTP requests. The default is [`ReqwestTransport`]; tests and special
/// environments inject their own. A transport must not follow redirects: the client
/// turns any 3xx into [`SdkError::Redirect`](crate::SdkError::Redirect).
pub trait HttpTransport: Send + Sync + fmt::Debug + 'static {
    /// Sends one request and reads its whole response, within the limits the client
    /// configured for this transport.
    fn send(&self, request: HttpRequest) -> TransportFuture<'_>;
}

/// Error response bodies are read up to this size (or the configured limit, if smaller):
/// a service's error is a few hundred bytes, a proxy's error page a few KiB.
pub const MAX_ERROR_BODY: usize = 1024 * 1024;

/// How the default transport is set up; [`Config`](crate::Config) fills it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportSettings {
    /// Limit for making the connection (TCP and TLS); `None` for none.
    pub connect_timeout: Option<Duration>,
    /// The largest response body read, in bytes.
    pub max_response_body: usize,
    /// Every request goes through this HTTP proxy (`http://host:port`); `None` connects
    /// directly. Proxy environment variables (`HTTPS_PROXY`, …) are never read.
    pub proxy: Option<String>,
    /// At most this many idle connections are kept per host; more are closed once their
    /// request is done.
    pub max_idle_connections: usize,
}

/// The default transport: one reqwest client (one connection pool) per service client.
/// It never follows redirects, never sends a `Referer`, ignores proxy environment
/// variables, and reads at most [`TransportSettings::max_response_body`] bytes of a body.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_body: usize,
    origin: std::sync::Arc<LastOrigin>,
}

/// The last origin (`scheme://authority`) requests went to, parsed: a request to it
/// parses only its path and query. Parsing a whole URL was a fifth of a small call's
/// client instructions; a service client's requests all go to one origin.
#[derive(Debug, Default)]
struct LastOrigin {
    parsed: std::sync::Mutex<Option<Parsed>>,
}

/// The last origin, and the last whole URL made from it (an operation without URI labels
/// sends the same URL every time: it is cloned, not parsed).
struct Parsed {
    origin: String,
    origin_url: reqwest::Url,
    whole: String,
    whole_url: reqwest::Url,
}

/// The origin only: a whole URL may carry a token in a URI label.
impl fmt::Debug for Parsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parsed")
            .field("origin", &crate::redact::origin(&self.origin))
            .finish_non_exhaustive()
    }
}

impl LastOrigin {
    /// `text` parsed, or `None` when it does not parse (reqwest then says why).
    fn parse(&self, text: &str) -> Option<reqwest::Url> {
        let mut last = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(parsed) = last.as_ref().filter(|p| p.whole == text) {
            return Some(parsed.whole_url.clone());
        }
        let after_scheme = text.find("://")? + 3;
        // Where the URL parser ends the authority of an http(s) URL (for other schemes,
        // a backslash is not a separator: they are parsed whole).
        // The parser also drops spaces and controls at the ends and tabs and newlines
        // anywhere: such text is parsed whole.
        let plain = text.bytes().all(|b| b > b' ' && b != 0x7f);
        let scheme = &text[..after_scheme];
        let web = scheme.eq_ignore_ascii_case("http://") || scheme.eq_ignore_ascii_case("https://");
        if !plain || !web {
            return reqwest::Url::parse(text).ok();
        }
        let origin_end = text[after_scheme..]
            .find(['/', '\\', '?', '#'])
            .map_or(text.len(), |at| after_scheme + at);
        let (origin, rest) = text.split_at(origin_end);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if rest.contains('#') {
            return reqwest::Url::parse(text).ok();
        }
        let mut url = match last.as_ref().filter(|p| p.origin == origin) {
            Some(parsed) => parsed.origin_url.clone(),
            None => reqwest::Url::parse(origin).ok()?,
        };
        let origin_url = url.clone();
        url.set_path(path);
        url.set_query(rest.contains('?').then_some(query));
        *last = Some(Parsed {
            origin: origin.to_owned(),
            origin_url,
            whole: text.to_owned(),
            whole_url: url.clone(),
        });
        Some(url)
    }
}

impl ReqwestTransport {
    /// A transport with its own connection pool, or why the HTTP client could not be
    /// built (a bad proxy URL, for example).
    pub fn new(settings: &TransportSettings) -> Result<Self, String> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .pool_max_idle_per_host(settings.max_idle_connections)
            .no_proxy();
        if let Some(timeout) = settings.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(proxy) = &settings.proxy {
            let proxy = reqwest::Proxy::all(proxy.as_str()).map_err(|_| {
                format!(
                    "proxy {:?} is not a usable proxy URL",
                    crate::redact::without_userinfo(proxy)
                )
            })?;
            builder = builder.proxy(proxy);
        }
        let client = builder
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(ReqwestTransport {
            client,
            max_response_body: settings.max_response_body,
            origin: Default::default(),
        })
    }
}

impl HttpTransport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        Box::pin(async move {
            let url = match self.origin.parse(&request.url) {
                Some(url) => url,
                None => reqwest::Url::parse(&request.url).map_err(|e| {
                    TransportError::new(
                        TransportErrorKind::Other,
                        format!("the request URL is not valid: {e}"),
                    )
                })?,
            };
            // The request is built whole: its header map moves in, rather than each
            // header being inserted again.
            let mut outgoing = reqwest::Request::new(request.method, url);
            *outgoing.headers_mut() = request.headers;
            *outgoing.body_mut() = Some(request.body.into());
            let mut response = self.client.execute(outgoing).await.map_err(classify)?;
            let status = response.status().as_u16();
            let limit = if (200..300).contains(&status) {
                self.max_response_body
            } else {
                self.max_response_body.min(MAX_ERROR_BODY)
            };
            let headers = std::mem::take(response.headers_mut());
            let body = read_body(&mut response, status, limit).await?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

/// Reads the body, failing as soon as it is known to exceed `limit`. A body that comes
/// in one chunk (the usual case) is returned without a copy.
async fn read_body(
    response: &mut reqwest::Response,
    status: u16,
    limit: usize,
) -> Result<Bytes, TransportError> {
    let declared = response.content_length().unwrap_or(0);
    if declared > limit as u64 {
        return Err(TransportError::body_too_large(status, limit));
    }
    let Some(first) = response.chunk().await.map_err(classify)? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit {
        return Err(TransportError::body_too_large(status, limit));
    }
    let Some(second) = response.chunk().await.map_err(classify)? else {
        return Ok(first);
    };
    let mut body = bytes::BytesMut::with_capacity((declared as usize).max(first.len() * 2));
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if body.len() + chunk.len() > limit {
            return Err(TransportError::body_too_large(status, limit));
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(classify)?;
    }
    Ok(body.freeze())
}

/// Sorts a reqwest failure into a kind, and drops the URL from its text: the path can
/// hold tokens (URI labels) and the host user-info.
fn classify(error: reqwest::Error) -> TransportError {
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_connect() && is_tls_failure(&error) {
        TransportErrorKind::Tls
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_builder() {
        TransportErrorKind::Other
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, error.without_url())
}

/// rustls reports handshake and certificate failures as I/O errors of kind `InvalidData`
/// (through tokio-rustls); nothing else while connecting uses that kind.
fn is_tls_failure(error: &reqwest::Error) -> bool {
    causes(error).any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::InvalidData)
    })
}

/// The chain of errors below `error`. An I/O error that wraps another error returns that
/// error's *source* from `source()`, skipping the wrapped error itself (which is where
/// hyper puts rustls' reason): look inside with `get_ref()` instead.
fn causes<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    let below = |error: &'a (dyn std::error::Error + 'static)| match error
        .downcast_ref::<std::io::Error>()
    {
        Some(io) => io
            .get_ref()
            .map(|inner| inner as &(dyn std::error::Error + 'static)),
        None => error.source(),
    };
    std::iter::successors(below(error), move |&error| below(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_to_the_last_origin_parses_as_a_whole_url_does() {
        let origins = LastOrigin::default();
        let alphabet: Vec<&str> = vec![
            "a", "Z", "0", "/", "//", "?", "&", "=", "%", "%2F", "%zz", " ", "..", ".", "é", "ü/",
            "+", "#", "@", ":", "[", "]", "{", "|", "\\", "~", "'", "\"",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for origin in [
            "https://participant.connect.us-east-1.amazonaws.com",
            "http://127.0.0.1:8080",
            "https://user:pass@example.com:8443",
            "HTTPS://Example.COM",
        ] {
            for _ in 0..2_000 {
                let mut rest = String::new();
                for _ in 0..(next() % 12) {
                    rest.push_str(alphabet[(next() % alphabet.len() as u64) as usize]);
                }
                let text = format!("{origin}{rest}");
                let expected = reqwest::Url::parse(&text).ok();
                assert_eq!(origins.parse(&text), expected, "{text:?}");
                // Again: the whole URL comes from the cache, the same.
                assert_eq!(origins.parse(&text), expected, "{text:?} again");
            }
        }
        assert_eq!(origins.parse("not a url"), None);
    }

    #[test]
    fn the_last_whole_url_is_reused_only_for_the_same_text() {
        let origins = LastOrigin::default();
        let a = "https://h.example/participant/message";
        let b = "https://h.example/participant/transcript?x=1";
        for text in [
            a,
            a,
            b,
            a,
            b,
            b,
            "https://other.example/participant/message",
            a,
        ] {
            assert_eq!(
                origins.parse(text),
                reqwest::Url::parse(text).ok(),
                "{text}"
            );
        }
        let cached = origins.parsed.lock().unwrap();
        assert_eq!(cached.as_ref().map(|p| p.whole.as_str()), Some(a));
    }
}
