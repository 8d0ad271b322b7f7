//! AWS Signature Version 4: the canonical request, the string to sign, the signing key
//! and the signature, added to a request as headers ([`sign`]) or to a URL as a query
//! (a pre-signed URL, [`presign`]). HMAC-SHA256 and SHA-256 come from ring, the crypto
//! library rustls already brings: no second crypto stack.
//!
//! Checked against every case of the SigV4 test suite (`tests/sigv4-test-suite`, from
//! aws-c-auth): both the header-signed and the query-signed variants.

use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderValue, Method};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use ring::{digest, hmac};

use crate::transport::HttpRequest;

/// The algorithm's name, as it appears in `Authorization` and pre-signed URLs.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// What is signed in place of the payload's hash when the payload is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The SHA-256 of an empty payload.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Headers that are never signed: they are set or changed on the way (by the HTTP stack,
/// a proxy, a tracer), and a signature over them would break.
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "connection",
    "expect",
    "proxy-authorization",
    "transfer-encoding",
    "user-agent",
    "x-amzn-trace-id",
];

/// RFC 3986 unreserved characters stay as they are; everything else is `%XX`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The same, keeping `/` (for paths).
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// AWS credentials. `Debug` shows the access key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Long-term credentials (an access key id and its secret).
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expiry: None,
        }
    }

    /// These credentials with a session token (temporary credentials).
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// These credentials with the instant they expire.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When temporary credentials expire.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::REDACTED)
            .field("session_token", &crate::redact(&self.session_token))
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// How a request is signed: for whom, where, when, and the choices services differ on.
#[derive(Debug, Clone)]
pub struct SigningParams<'a> {
    /// Whose signature.
    pub credentials: &'a Credentials,
    /// The region signed for (the endpoint's `signingRegion` when it has one).
    pub region: &'a str,
    /// The service's signing name (`signingName`, or the endpoint's).
    pub service: &'a str,
    /// The signing time (`X-Amz-Date`).
    pub time: SystemTime,
    /// Add `x-amz-content-sha256` (S3 and a few others ask for it).
    pub payload_hash_header: bool,
    /// Sign `UNSIGNED-PAYLOAD` instead of the payload's hash (the model's
    /// `v4-unsigned-body`); `x-amz-content-sha256` then says so.
    pub unsigned_payload: bool,
    /// Remove `.`/`..` segments and repeated slashes from the path before signing (every
    /// service but S3).
    pub normalize_path: bool,
    /// Percent-encode the (already encoded) path once more (every service but S3).
    pub double_encode_path: bool,
    /// Leave the session token out of what is signed and add it after (a few services,
    /// such as IoT, ask for this).
    pub omit_session_token: bool,
}

impl<'a> SigningParams<'a> {
    /// The usual choices for `service` in `region` at `time`: path normalized and
    /// encoded twice, no payload hash header, session token signed.
    pub fn new(
        credentials: &'a Credentials,
        region: &'a str,
        service: &'a str,
        time: SystemTime,
    ) -> Self {
        SigningParams {
            credentials,
            region,
            service,
            time,
            payload_hash_header: false,
            unsigned_payload: false,
            normalize_path: true,
            double_encode_path: true,
            omit_session_token: false,
        }
    }
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningError {
    message: String,
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot sign the request: {}", self.message)
    }
}

impl std::error::Error for SigningError {}

fn error(message: impl Into<String>) -> SigningError {
    SigningError {
        message: message.into(),
    }
}

/// What a signature was made of; kept for tests and for telling why a signature differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature (hex).
    pub signature: String,
}

/// Signs `request` in place: adds `X-Amz-Date`, `X-Amz-Security-Token` (temporary
/// credentials), `x-amz-content-sha256` (when asked) and `Authorization`. The `Host`
/// header is signed as the transport will send it (from the URL) unless the request sets
/// one.
pub fn sign(request: &mut HttpRequest, params: &SigningParams<'_>) -> Result<Signed, SigningError> {
    let (date_time, date) = amz_date(params.time)?;
    let payload_hash = if params.unsigned_payload {
        UNSIGNED_PAYLOAD.to_owned()
    } else {
        hex(digest::digest(&digest::SHA256, &request.body).as_ref())
    };
    let headers = &mut request.headers;
    for name in [
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-content-sha256",
    ] {
        headers.remove(name);
    }
    headers.insert("x-amz-date", header_value(&date_time)?);
    if params.payload_hash_header || params.unsigned_payload {
        headers.insert("x-amz-content-sha256", header_value(&payload_hash)?);
    }
    let token = params.credentials.session_token();
    if let (Some(token), false) = (token, params.omit_session_token) {
        headers.insert("x-amz-security-token", sensitive(token)?);
    }
    let url = Url::split(&request.url)?;
    let (signed_headers, canonical_headers) = canonical_headers(headers, &url)?;
    let canonical_request = [
        request.method.as_str(),
        &canonical_uri(url.path, params),
        &canonical_query(url.query, &[]),
        &canonical_headers,
        &signed_headers,
        &payload_hash,
    ]
    .join("\n");
    let signed = signature(params, &date_time, &date, canonical_request)?;
    let scope = scope(params, &date);
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={}",
        params.credentials.access_key_id(),
        signed.signature
    );
    request
        .headers
        .insert(http::header::AUTHORIZATION, sensitive(&authorization)?);
    if let (Some(token), true) = (token, params.omit_session_token) {
        request
            .headers
            .insert("x-amz-security-token", sensitive(token)?);
    }
    Ok(signed)
}

/// A pre-signed URL: `url` with the signature in its query (`X-Amz-Algorithm`,
/// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
/// `X-Amz-Security-Token`, `X-Amz-Signature`), good for `expires_in` (at most 7 days).
/// Only `headers` (and `Host`) are signed: whoever uses the URL must send them as they
/// are. `body` is the payload the request will carry.
pub fn presign(
    method: &Method,
    url: &str,
    headers: &HeaderMap,
    body: &[u8],
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<(String, Signed), SigningError> {
    if expires_in > Duration::from_secs(7 * 24 * 3600) || expires_in.is_zero() {
        return Err(error("a pre-signed URL lasts from 1 second to 7 days"));
    }
    let (date_time, date) = amz_date(params.time)?;
    let parts = Url::split(url)?;
    let (signed_headers, canonical_headers) = canonical_headers(headers, &parts)?;
    let credential = format!(
        "{}/{}",
        params.credentials.access_key_id(),
        scope(params, &date)
    );
    let expires = expires_in.as_secs().to_string();
    let mut added: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", &date_time),
        ("X-Amz-Expires", &expires),
        ("X-Amz-SignedHeaders", &signed_headers),
    ];
    let token = params.credentials.session_token();
    if let (Some(token), false) = (token, params.omit_session_token) {
        added.push(("X-Amz-Security-Token", token));
    }
    let payload_hash = hex(digest::digest(&digest::SHA256, body).as_ref());
    let canonical_request = [
        method.as_str(),
        &canonical_uri(parts.path, params),
        &canonical_query(parts.query, &added),
        &canonical_headers,
        &signed_headers,
        &payload_hash,
    ]
    .join("\n");
    let signed = signature(params, &date_time, &date, canonical_request)?;
    if let (Some(token), true) = (token, params.omit_session_token) {
        added.push(("X-Amz-Security-Token", token));
    }
    added.push(("X-Amz-Signature", &signed.signature));
    let mut presigned = format!("{}{}", parts.origin, parts.path);
    let mut separator = '?';
    if !parts.query.is_empty() {
        presigned.push('?');
        presigned.push_str(parts.query);
        separator = '&';
    }
    for (name, value) in added {
        presigned.push(separator);
        presigned.push_str(name);
        presigned.push('=');
        presigned.extend(utf8_percent_encode(value, UNRESERVED));
        separator = '&';
    }
    Ok((presigned, signed))
}

/// The string to sign and the signature over `canonical_request`.
fn signature(
    params: &SigningParams<'_>,
    date_time: &str,
    date: &str,
    canonical_request: String,
) -> Result<Signed, SigningError> {
    let hashed = hex(digest::digest(&digest::SHA256, canonical_request.as_bytes()).as_ref());
    let string_to_sign = format!(
        "{ALGORITHM}\n{date_time}\n{}\n{hashed}",
        scope(params, date)
    );
    let secret = format!("AWS4{}", params.credentials.secret_access_key());
    let mut key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    for part in [date, params.region, params.service, "aws4_request"] {
        key = hmac::Key::new(
            hmac::HMAC_SHA256,
            hmac::sign(&key, part.as_bytes()).as_ref(),
        );
    }
    let signature = hex(hmac::sign(&key, string_to_sign.as_bytes()).as_ref());
    Ok(Signed {
        canonical_request,
        string_to_sign,
        signature,
    })
}

fn scope(params: &SigningParams<'_>, date: &str) -> String {
    format!("{date}/{}/{}/aws4_request", params.region, params.service)
}

/// `X-Amz-Date` (`20150830T123600Z`) and the date (`20150830`).
fn amz_date(time: SystemTime) -> Result<(String, String), SigningError> {
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_err(|_| error("the signing time is before 1970"))?
        .as_secs();
    let time = i64::try_from(seconds)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .ok_or_else(|| error("the signing time is out of range"))?;
    let date = format!(
        "{:04}{:02}{:02}",
        time.year(),
        u8::from(time.month()),
        time.day()
    );
    let date_time = format!(
        "{date}T{:02}{:02}{:02}Z",
        time.hour(),
        time.minute(),
        time.second()
    );
    Ok((date_time, date))
}

/// A URL cut where signing needs it, without parsing away what is signed.
struct Url<'a> {
    /// `scheme://authority`.
    origin: &'a str,
    authority: &'a str,
    path: &'a str,
    query: &'a str,
}

impl<'a> Url<'a> {
    fn split(url: &'a str) -> Result<Url<'a>, SigningError> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| error("the URL has no scheme"))?;
        let rest = rest.split('#').next().unwrap_or_default();
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path_and_query) = rest.split_at(authority_end);
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        Ok(Url {
            origin: &url[..scheme.len() + 3 + authority.len()],
            authority,
            path: if path.is_empty() { "/" } else { path },
            query,
        })
    }
}

/// The path, normalized when asked (no `.`/`..` segments, no repeated slashes; a
/// trailing slash kept), encoded once more when asked.
fn canonical_uri(path: &str, params: &SigningParams<'_>) -> String {
    let path = if params.normalize_path {
        normalize(path)
    } else {
        path.to_owned()
    };
    if params.double_encode_path {
        utf8_percent_encode(&path, UNRESERVED_AND_SLASH).to_string()
    } else {
        path
    }
}

fn normalize(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut normalized = format!("/{}", segments.join("/"));
    if trailing && !segments.is_empty() {
        normalized.push('/');
    }
    normalized
}

/// The query's parameters (and `added` ones), each name and value decoded then encoded
/// the one way SigV4 wants, sorted.
fn canonical_query(query: &str, added: &[(&str, &str)]) -> String {
    let encode = |text: &str| utf8_percent_encode(text, UNRESERVED).to_string();
    let decode_encode = |text: &str| encode(&percent_decode_str(text).decode_utf8_lossy());
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_encode(name), decode_encode(value))
        })
        .chain(
            added
                .iter()
                .map(|(name, value)| (encode(name), encode(value))),
        )
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `SignedHeaders` and the canonical headers block: names lower-cased and sorted, values
/// trimmed with inner runs of spaces made one, repeated headers joined with `,`; `host`
/// from the URL when the request sets none.
fn canonical_headers(headers: &HeaderMap, url: &Url<'_>) -> Result<(String, String), SigningError> {
    let mut entries: Vec<(String, String)> = Vec::new();
    if !headers.contains_key(http::header::HOST) {
        // As the HTTP stack sends it: without user-info or the scheme's default port.
        let host = url
            .authority
            .rsplit_once('@')
            .map_or(url.authority, |(_, host)| host);
        let default_port = if url.origin.starts_with("https:") {
            ":443"
        } else {
            ":80"
        };
        let host = host.strip_suffix(default_port).unwrap_or(host);
        entries.push(("host".to_owned(), host.to_ascii_lowercase()));
    }
    for name in headers.keys() {
        if UNSIGNED_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let values: Result<Vec<String>, SigningError> = headers
            .get_all(name)
            .iter()
            .map(|value| {
                value
                    .to_str()
                    .map(trim_all)
                    .map_err(|_| error(format!("header {name} is not text")))
            })
            .collect();
        entries.push((name.as_str().to_owned(), values?.join(",")));
    }
    entries.sort();
    let signed = entries
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let mut block = String::new();
    for (name, value) in &entries {
        block.push_str(name);
        block.push(':');
        block.push_str(value);
        block.push('\n');
    }
    Ok((signed, block))
}

/// A header value trimmed, with every run of whitespace (folded lines included) made one
/// space.
fn trim_all(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn header_value(text: &str) -> Result<HeaderValue, SigningError> {
    HeaderValue::from_str(text).map_err(|_| error("a signing header is not a valid header value"))
}

/// A header value kept out of `Debug` (the signature, the session token).
fn sensitive(text: &str) -> Result<HeaderValue, SigningError> {
    let mut value = header_value(text)?;
    value.set_sensitive(true);
    Ok(value)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(DIGITS[usize::from(byte >> 4)] as char);
        text.push(DIGITS[usize::from(byte & 15)] as char);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_as_the_suite_says() {
        for (path, normalized) in [
            ("/", "/"),
            ("//", "/"),
            ("/./", "/"),
            ("/./example", "/example"),
            ("//example//", "/example/"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/a/b/../c/", "/a/c/"),
        ] {
            assert_eq!(normalize(path), normalized, "{path}");
        }
    }

    #[test]
    fn credentials_debug_shows_no_secret() {
        let credentials =
            Credentials::new("AKID", "secret-key").with_session_token("session-token");
        let shown = format!("{credentials:?}");
        assert!(shown.contains("AKID"));
        assert!(
            !shown.contains("secret-key") && !shown.contains("session-token"),
            "{shown}"
        );
    }
}
