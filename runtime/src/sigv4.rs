//! AWS Signature Version 4: the canonical request, the string to sign, the signing key
//! and the signature, added to a request as headers ([`sign`]) or to a URL as a query
//! (a pre-signed URL, [`presign`]). HMAC-SHA256 and SHA-256 come from ring, the crypto
//! library rustls already brings: no second crypto stack.
//!
//! Checked against every case of the SigV4 test suite (`tests/sigv4-test-suite`, from
//! aws-c-auth): both the header-signed and the query-signed variants.

use std::borrow::Cow;
use std::fmt;
use std::sync::Mutex;
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
/// one. Derives the signing key anew; [`SigningKeyCache::sign`] reuses it.
pub fn sign(request: &mut HttpRequest, params: &SigningParams<'_>) -> Result<Signed, SigningError> {
    sign_with(request, params, |date| signing_key(params, date))
}

/// The signing key of the last credentials, day, region and service signed for, kept for
/// the next signature with the same four: deriving it takes four HMACs, more than the rest
/// of a signature. A client holds one. `Debug` shows nothing of the key.
#[derive(Default)]
pub struct SigningKeyCache {
    last: Mutex<Option<CachedKey>>,
}

struct CachedKey {
    access_key_id: String,
    secret_access_key: String,
    date: String,
    region: String,
    service: String,
    key: hmac::Key,
}

impl SigningKeyCache {
    /// [`sign`], with the signing key derived once per day, credentials, region and
    /// service.
    pub fn sign(
        &self,
        request: &mut HttpRequest,
        params: &SigningParams<'_>,
    ) -> Result<Signed, SigningError> {
        sign_with(request, params, |date| self.key(params, date))
    }

    fn key(&self, params: &SigningParams<'_>, date: &str) -> hmac::Key {
        // A poisoned lock only means another signature panicked: the cache is still whole.
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let credentials = params.credentials;
        if let Some(cached) = last.as_ref().filter(|cached| {
            cached.date == date
                && cached.region == params.region
                && cached.service == params.service
                && cached.access_key_id == credentials.access_key_id
                && cached.secret_access_key == credentials.secret_access_key
        }) {
            return cached.key.clone();
        }
        let key = signing_key(params, date);
        *last = Some(CachedKey {
            access_key_id: credentials.access_key_id.clone(),
            secret_access_key: credentials.secret_access_key.clone(),
            date: date.to_owned(),
            region: params.region.to_owned(),
            service: params.service.to_owned(),
            key: key.clone(),
        });
        key
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKeyCache")
    }
}

fn sign_with(
    request: &mut HttpRequest,
    params: &SigningParams<'_>,
    key: impl FnOnce(&str) -> hmac::Key,
) -> Result<Signed, SigningError> {
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
    let headers = canonical_headers(headers, &url)?;
    let canonical_request = canonical_request(
        request.method.as_str(),
        &canonical_uri(url.path, params),
        &canonical_query(url.query, &[]),
        &headers,
        &payload_hash,
    );
    let scope = scope(params, &date);
    let signed = signature(&date_time, &scope, canonical_request, &key(&date));
    let credential = params.credentials.access_key_id();
    let mut authorization = String::with_capacity(
        ALGORITHM.len() + credential.len() + scope.len() + headers.signed.len() + 112,
    );
    for part in [
        ALGORITHM,
        " Credential=",
        credential,
        "/",
        &scope,
        ", SignedHeaders=",
        &headers.signed,
        ", Signature=",
        &signed.signature,
    ] {
        authorization.push_str(part);
    }
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

/// The canonical request: its six parts, one a line.
fn canonical_request(
    method: &str,
    uri: &str,
    query: &str,
    headers: &CanonicalHeaders,
    payload_hash: &str,
) -> String {
    let parts = [
        method,
        "\n",
        uri,
        "\n",
        query,
        "\n",
        &headers.block,
        "\n",
        &headers.signed,
        "\n",
        payload_hash,
    ];
    let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        text.push_str(part);
    }
    text
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
    let headers = canonical_headers(headers, &parts)?;
    let scope = scope(params, &date);
    let credential = format!("{}/{scope}", params.credentials.access_key_id());
    let expires = expires_in.as_secs().to_string();
    let mut added: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", &date_time),
        ("X-Amz-Expires", &expires),
        ("X-Amz-SignedHeaders", &headers.signed),
    ];
    let token = params.credentials.session_token();
    if let (Some(token), false) = (token, params.omit_session_token) {
        added.push(("X-Amz-Security-Token", token));
    }
    let payload_hash = hex(digest::digest(&digest::SHA256, body).as_ref());
    let canonical_request = canonical_request(
        method.as_str(),
        &canonical_uri(parts.path, params),
        &canonical_query(parts.query, &added),
        &headers,
        &payload_hash,
    );
    let signed = signature(
        &date_time,
        &scope,
        canonical_request,
        &signing_key(params, &date),
    );
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
fn signature(date_time: &str, scope: &str, canonical_request: String, key: &hmac::Key) -> Signed {
    let hashed = hex(digest::digest(&digest::SHA256, canonical_request.as_bytes()).as_ref());
    let mut string_to_sign =
        String::with_capacity(ALGORITHM.len() + date_time.len() + scope.len() + 67);
    for part in [ALGORITHM, "\n", date_time, "\n", scope, "\n", &hashed] {
        string_to_sign.push_str(part);
    }
    let signature = hex(hmac::sign(key, string_to_sign.as_bytes()).as_ref());
    Signed {
        canonical_request,
        string_to_sign,
        signature,
    }
}

/// The signing key: the secret, HMAC'd with the day, the region, the service and
/// `aws4_request` in turn.
fn signing_key(params: &SigningParams<'_>, date: &str) -> hmac::Key {
    let secret = format!("AWS4{}", params.credentials.secret_access_key());
    let mut key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    for part in [date, params.region, params.service, "aws4_request"] {
        key = hmac::Key::new(
            hmac::HMAC_SHA256,
            hmac::sign(&key, part.as_bytes()).as_ref(),
        );
    }
    key
}

fn scope(params: &SigningParams<'_>, date: &str) -> String {
    let mut scope =
        String::with_capacity(date.len() + params.region.len() + params.service.len() + 15);
    for part in [
        date,
        "/",
        params.region,
        "/",
        params.service,
        "/aws4_request",
    ] {
        scope.push_str(part);
    }
    scope
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
        .filter(|time| time.year() <= 9999)
        .ok_or_else(|| error("the signing time is out of range"))?;
    let mut date_time = String::with_capacity(16);
    push_digits(&mut date_time, time.year().unsigned_abs(), 4);
    push_digits(&mut date_time, u8::from(time.month()).into(), 2);
    push_digits(&mut date_time, time.day().into(), 2);
    date_time.push('T');
    push_digits(&mut date_time, time.hour().into(), 2);
    push_digits(&mut date_time, time.minute().into(), 2);
    push_digits(&mut date_time, time.second().into(), 2);
    date_time.push('Z');
    let date = date_time[..8].to_owned();
    Ok((date_time, date))
}

/// `value`'s last `width` decimal digits, zero-padded.
fn push_digits(text: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        text.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
    }
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
fn canonical_uri<'p>(path: &'p str, params: &SigningParams<'_>) -> Cow<'p, str> {
    let path = if params.normalize_path && !is_normal(path) {
        Cow::Owned(normalize(path))
    } else {
        Cow::Borrowed(path)
    };
    if !params.double_encode_path {
        return path;
    }
    match Cow::from(utf8_percent_encode(&path, UNRESERVED_AND_SLASH)) {
        Cow::Borrowed(_) => path,
        Cow::Owned(encoded) => Cow::Owned(encoded),
    }
}

/// Whether `normalize` would leave `path` as it is: it starts with `/` and has no empty,
/// `.` or `..` segment but a trailing one.
fn is_normal(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let segments = rest.strip_suffix('/').unwrap_or(rest);
    rest.is_empty() || segments.split('/').all(|s| !matches!(s, "" | "." | ".."))
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
    if query.is_empty() && added.is_empty() {
        return String::new();
    }
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

/// `SignedHeaders` (`signed`) and the canonical headers `block`.
struct CanonicalHeaders {
    signed: String,
    block: String,
}

/// `SignedHeaders` and the canonical headers block: names lower-cased and sorted, values
/// trimmed with inner runs of spaces made one, repeated headers joined with `,`; `host`
/// from the URL when the request sets none.
fn canonical_headers<'h>(
    headers: &'h HeaderMap,
    url: &Url<'h>,
) -> Result<CanonicalHeaders, SigningError> {
    let mut entries: Vec<(&str, Cow<'_, str>)> = Vec::with_capacity(headers.keys_len() + 1);
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
        let host = if host.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(host.to_ascii_lowercase())
        } else {
            Cow::Borrowed(host)
        };
        entries.push(("host", host));
    }
    for name in headers.keys() {
        if UNSIGNED_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let text = |value: &'h HeaderValue| {
            value
                .to_str()
                .map(trim_all)
                .map_err(|_| error(format!("header {name} is not text")))
        };
        let mut values = headers.get_all(name).iter();
        let mut value = match values.next() {
            Some(first) => text(first)?,
            None => continue,
        };
        for next in values {
            let joined = value.to_mut();
            joined.push(',');
            joined.push_str(&text(next)?);
        }
        entries.push((name.as_str(), value));
    }
    entries.sort_unstable();
    let names: usize = entries.iter().map(|(name, _)| name.len() + 1).sum();
    let values: usize = entries.iter().map(|(_, value)| value.len() + 2).sum();
    let mut signed = String::with_capacity(names);
    let mut block = String::with_capacity(names + values);
    for (name, value) in &entries {
        if !signed.is_empty() {
            signed.push(';');
        }
        signed.push_str(name);
        block.push_str(name);
        block.push(':');
        block.push_str(value);
        block.push('\n');
    }
    Ok(CanonicalHeaders { signed, block })
}

/// A header value trimmed, with every run of whitespace (folded lines included) made one
/// space; borrowed when it already is.
fn trim_all(value: &str) -> Cow<'_, str> {
    let bytes = value.as_bytes();
    let spaced = |b: &u8| b.is_ascii_whitespace();
    let clean = bytes.first().is_none_or(|b| !spaced(b))
        && bytes.last().is_none_or(|b| !spaced(b))
        && !bytes
            .windows(2)
            .any(|pair| spaced(&pair[1]) && (spaced(&pair[0]) || pair[1] != b' '));
    if clean {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(value.split_ascii_whitespace().collect::<Vec<_>>().join(" "))
    }
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
            ("/a/b/", "/a/b/"),
            ("/a/b", "/a/b"),
            ("/a/./b", "/a/b"),
            ("/a/b/.", "/a/b/"),
            ("/a//", "/a/"),
            ("a/b", "/a/b"),
            ("/..", "/"),
        ] {
            assert_eq!(normalize(path), normalized, "{path}");
            assert_eq!(is_normal(path), path == normalized, "{path}");
        }
    }

    #[test]
    fn values_are_trimmed_as_the_suite_says() {
        for (value, trimmed) in [
            ("value", "value"),
            ("a b", "a b"),
            ("", ""),
            (" a", "a"),
            ("a ", "a"),
            ("a  b", "a b"),
            ("a\tb", "a b"),
            ("\ta \t b\t", "a b"),
        ] {
            assert_eq!(trim_all(value), trimmed, "{value:?}");
            assert_eq!(
                matches!(trim_all(value), Cow::Borrowed(_)),
                value == trimmed,
                "{value:?}"
            );
        }
    }

    #[test]
    fn the_cached_key_is_the_derived_key_and_changes_with_its_inputs() {
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let next_day = time + Duration::from_secs(86_400);
        let first = Credentials::new("AKID", "secret-one");
        let second = Credentials::new("AKID", "secret-two");
        let cache = SigningKeyCache::default();
        let request = || HttpRequest {
            method: Method::POST,
            url: "https://example.amazonaws.com/path?b=2&a=1".to_owned(),
            headers: HeaderMap::new(),
            body: bytes::Bytes::from_static(b"{}"),
            operation: None,
        };
        for params in [
            SigningParams::new(&first, "us-east-1", "service", time),
            SigningParams::new(&first, "us-east-1", "service", time),
            SigningParams::new(&second, "us-east-1", "service", time),
            SigningParams::new(&second, "us-west-2", "service", time),
            SigningParams::new(&second, "us-west-2", "other", time),
            SigningParams::new(&second, "us-west-2", "other", next_day),
            SigningParams::new(&first, "us-east-1", "service", time),
        ] {
            let (mut fresh, mut cached) = (request(), request());
            let expected = sign(&mut fresh, &params).unwrap();
            assert_eq!(cache.sign(&mut cached, &params).unwrap(), expected);
            assert_eq!(fresh.headers, cached.headers);
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
