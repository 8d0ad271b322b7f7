//! rest-json building blocks that generated request builders and response readers call:
//! URI labels, query strings, headers, and reading error responses. (JSON bodies are the
//! `wire` module's, which reports with the errors defined here.)

use std::fmt;

#[cfg(feature = "compression")]
use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::transport::HttpResponse;

/// Why an input cannot become an HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// A member's value cannot travel where the model puts it (an unset or empty URI
    /// label, a header value with a line break), naming the member.
    Member {
        /// The member's name in the model.
        member: &'static str,
        /// What is wrong with its value.
        problem: String,
    },
    /// The body could not be written.
    Body(String),
    /// The operation cannot be called with this client, and why.
    Unsupported(&'static str),
}

impl RequestError {
    fn member(member: &'static str, problem: impl Into<String>) -> Self {
        RequestError::Member {
            member,
            problem: problem.into(),
        }
    }

    /// A URI label member that is not set.
    pub fn missing_label(member: &'static str) -> Self {
        RequestError::member(member, "is not set: it is part of the URI")
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Member { member, problem } => write!(f, "member {member} {problem}"),
            RequestError::Body(error) => write!(f, "cannot serialize the request body: {error}"),
            RequestError::Unsupported(reason) => {
                write!(f, "cannot be called with this client: {reason}")
            }
        }
    }
}

impl std::error::Error for RequestError {}

/// Why a successful response does not read as the operation's output (or, for a mock,
/// a request as the operation's input).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    /// The JSON body does not fit the model: what did not, with its line and column.
    Body(String),
    /// A header does not hold a value of its member's type.
    Header {
        /// The header's name.
        header: &'static str,
        /// The type it should hold: `timestamp`, `integer`, …
        expected: &'static str,
    },
    /// A query parameter does not hold a value of its member's type.
    Query {
        /// The parameter's name.
        name: &'static str,
        /// The type it should hold.
        expected: &'static str,
    },
    /// The path does not fit the operation's URI, or a label in it does not hold a
    /// value of its member's type: what did not.
    Path(String),
    /// A text payload that is not UTF-8.
    NotUtf8,
}

impl ParseError {
    /// A header that does not read as `expected`.
    pub fn header(header: &'static str, expected: &'static str) -> Self {
        ParseError::Header { header, expected }
    }

    /// A query parameter that does not read as `expected`.
    pub fn query(name: &'static str, expected: &'static str) -> Self {
        ParseError::Query { name, expected }
    }

    /// A URI label that does not read as `expected`.
    pub fn label(member: &'static str, expected: &'static str) -> Self {
        ParseError::Path(format!("URI label {member} is not a valid {expected}"))
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Body(error) => write!(f, "the body does not match the model: {error}"),
            ParseError::Header { header, expected } => {
                write!(f, "header {header} is not a valid {expected}")
            }
            ParseError::Query { name, expected } => {
                write!(f, "query parameter {name} is not a valid {expected}")
            }
            ParseError::Path(problem) => f.write_str(problem),
            ParseError::NotUtf8 => f.write_str("the body is not UTF-8"),
        }
    }
}

impl std::error::Error for ParseError {}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');
/// Greedy labels (`{Key+}`) keep their slashes.
const GREEDY: &AsciiSet = &UNRESERVED.remove(b'/');

/// How much of the path a URI label may fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// `{Name}`: one path segment (a `/` in the value is encoded).
    Segment,
    /// `{Name+}`: the rest of the path; slashes stay.
    Greedy,
}

/// Appends a URI label value, encoded so that it stays inside its path segment (a value
/// of `../x?y#z` cannot change the path, add a query or a fragment). A value that would
/// change the path anyway is refused, naming the member: an empty one, and `.` or `..`
/// (for a greedy label, any such segment), which URL normalization would resolve into
/// another resource. Percent-encoding does not help: `%2E%2E` is normalized the same way.
pub fn push_label(
    url: &mut String,
    value: &str,
    label: Label,
    member: &'static str,
) -> Result<(), RequestError> {
    let is_dots = |segment: &str| segment == "." || segment == "..";
    if value.is_empty() {
        return Err(RequestError::member(member, "is empty: it is a URI label"));
    }
    let changes_path = match label {
        Label::Greedy => value.split('/').any(is_dots),
        Label::Segment => is_dots(value),
    };
    if changes_path {
        return Err(RequestError::member(
            member,
            "is or holds the path segment \".\" or \"..\", which would change the path",
        ));
    }
    let set = match label {
        Label::Greedy => GREEDY,
        Label::Segment => UNRESERVED,
    };
    url.extend(utf8_percent_encode(value, set));
    Ok(())
}

/// A host label's value: set, and only letters, digits, `-` and `.`, so that it cannot
/// change which host the request goes to.
pub fn host_label<'a>(
    value: Option<&'a str>,
    member: &'static str,
) -> Result<&'a str, RequestError> {
    match value {
        Some(v)
            if !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') =>
        {
            Ok(v)
        }
        Some(v) => Err(RequestError::member(
            member,
            format!("({v:?}) is not a valid host label"),
        )),
        None => Err(RequestError::member(
            member,
            "is required: it is part of the host name",
        )),
    }
}

/// The endpoint with `prefix` put in front of its host: `https://x.com` + `data-` →
/// `https://data-x.com`.
pub fn with_host_prefix(endpoint: &str, prefix: &str) -> String {
    match endpoint.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{prefix}{rest}"),
        None => format!("{prefix}{endpoint}"),
    }
}

/// An empty header map for a request, sized for its operation's headers and the ones the
/// client adds (user agents, invocation id, attempt, signature) without growing.
pub fn request_headers() -> HeaderMap {
    HeaderMap::with_capacity(12)
}

/// Appends `name=value` to a query string, with `?` or `&` before it.
pub fn push_query(url: &mut String, name: &str, value: &str) {
    url.push(if url.contains('?') { '&' } else { '?' });
    url.extend(utf8_percent_encode(name, UNRESERVED));
    url.push('=');
    url.extend(utf8_percent_encode(value, UNRESERVED));
}

/// Whether a header's value is a secret (a bearer token): a secret one is marked so on
/// its `HeaderValue`, which keeps it out of `Debug`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrecy {
    /// Shown in `Debug` and logs.
    Plain,
    /// Never shown.
    Secret,
}

/// Sets a header from a member value. A value with CR or LF (which could inject headers)
/// or other control characters is refused, naming the member.
pub fn set_header(
    headers: &mut HeaderMap,
    name: &'static str,
    value: &str,
    member: &'static str,
    secrecy: Secrecy,
) -> Result<(), RequestError> {
    let mut value = header_value(value, name, member)?;
    value.set_sensitive(secrecy == Secrecy::Secret);
    headers.insert(HeaderName::from_static(name), value);
    Ok(())
}

/// Sets `prefix + key` headers from a map member (`location: headers`).
pub fn set_prefixed_header(
    headers: &mut HeaderMap,
    prefix: &str,
    key: &str,
    value: &str,
    member: &'static str,
) -> Result<(), RequestError> {
    let name = format!("{prefix}{key}");
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        RequestError::member(
            member,
            format!("has the key {key:?}, which is not a valid header name"),
        )
    })?;
    let value = header_value(value, name.as_str(), member)?;
    headers.insert(name, value);
    Ok(())
}

fn header_value(
    value: &str,
    name: &str,
    member: &'static str,
) -> Result<HeaderValue, RequestError> {
    if value.contains(['\r', '\n']) {
        return Err(RequestError::member(
            member,
            format!("(header {name}) contains a line break, which HTTP headers cannot carry"),
        ));
    }
    HeaderValue::from_str(value).map_err(|_| {
        RequestError::member(
            member,
            format!("(header {name}) contains characters HTTP headers cannot carry"),
        )
    })
}

/// The part of a header name after `prefix`, compared without case.
pub fn strip_prefix_ignore_case<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let head = name.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &name[prefix.len()..])
}

/// Standard base64, as blobs travel in headers and JSON.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard base64 into a blob.
pub fn from_base64(text: &str) -> Option<crate::Blob> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .map(crate::Blob::new)
}

/// A map's entries in key order, so that the same input always makes the same request.
pub fn sorted<K: Ord, V>(map: &std::collections::HashMap<K, V>) -> Vec<(&K, &V)> {
    let mut entries: Vec<(&K, &V)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// A float as the protocols write it in text: shortest decimal, `NaN`, `Infinity`, `-Infinity`.
pub fn float_text<F: FloatText>(value: F) -> std::borrow::Cow<'static, str> {
    value.text()
}

/// `f32` and `f64`, each written at its own precision (`1.1f32` is `1.1`, not
/// `1.100000023841858`).
pub trait FloatText: Copy {
    /// The value as text.
    fn text(self) -> std::borrow::Cow<'static, str>;
}

macro_rules! float_text {
    ($t:ty) => {
        impl FloatText for $t {
            fn text(self) -> std::borrow::Cow<'static, str> {
                if self.is_nan() {
                    "NaN".into()
                } else if self == <$t>::INFINITY {
                    "Infinity".into()
                } else if self == <$t>::NEG_INFINITY {
                    "-Infinity".into()
                } else {
                    self.to_string().into()
                }
            }
        }
    };
}
float_text!(f32);
float_text!(f64);

/// What the items of a list travelling in one header are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderItems {
    /// Strings: one holding `,` or `"` is quoted.
    Strings,
    /// Numbers and booleans: written and split as they are.
    Plain,
    /// HTTP dates, which hold a comma of their own: split after each `GMT`.
    HttpDates,
}

/// A list in one header: items joined by `, `, strings quoted where they need it.
pub fn header_list(items: impl Iterator<Item = String>, kind: HeaderItems) -> String {
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if kind == HeaderItems::Strings && item.contains([',', '"']) {
            out.push('"');
            out.push_str(&item.replace('\\', "\\\\").replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(&item);
        }
    }
    out
}

/// Splits a list header back into items, honouring quotes.
pub fn split_header_list(value: &str, kind: HeaderItems) -> Vec<String> {
    if kind == HeaderItems::HttpDates {
        return value
            .split_inclusive("GMT")
            .map(|item| item.trim_start_matches(',').trim().to_owned())
            .filter(|item| !item.is_empty())
            .collect();
    }
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => current.extend(chars.next()),
            ',' if !quoted => items.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(c),
        }
    }
    items.push(current.trim().to_owned());
    items
}

/// JSON for float members: numbers, except NaN and the infinities, which JSON cannot
/// hold and the protocols write as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub mod float_json {
    use super::FloatText;

    /// A float the JSON helpers can read from text.
    pub trait JsonFloat: FloatText + serde::Serialize + std::str::FromStr {
        const NAN: Self;
        const INFINITY: Self;
        const NEG_INFINITY: Self;
        fn is_finite(self) -> bool;
        fn from_f64(value: f64) -> Self;
    }

    impl JsonFloat for f32 {
        const NAN: f32 = f32::NAN;
        const INFINITY: f32 = f32::INFINITY;
        const NEG_INFINITY: f32 = f32::NEG_INFINITY;
        fn is_finite(self) -> bool {
            f32::is_finite(self)
        }
        fn from_f64(value: f64) -> f32 {
            value as f32
        }
    }

    impl JsonFloat for f64 {
        const NAN: f64 = f64::NAN;
        const INFINITY: f64 = f64::INFINITY;
        const NEG_INFINITY: f64 = f64::NEG_INFINITY;
        fn is_finite(self) -> bool {
            f64::is_finite(self)
        }
        fn from_f64(value: f64) -> f64 {
            value
        }
    }

    pub fn serialize<S: serde::Serializer, F: JsonFloat>(
        value: &Option<F>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) if v.is_finite() => v.serialize(serializer),
            Some(v) => serializer.serialize_str(&v.text()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>, F: JsonFloat>(
        deserializer: D,
    ) -> Result<Option<F>, D::Error> {
        struct Visitor<F>(std::marker::PhantomData<F>);
        impl<F: JsonFloat> serde::de::Visitor<'_> for Visitor<F> {
            type Value = Option<F>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number, or NaN, Infinity or -Infinity as a string")
            }
            fn visit_unit<E>(self) -> Result<Option<F>, E> {
                Ok(None)
            }
            fn visit_f64<E>(self, v: f64) -> Result<Option<F>, E> {
                Ok(Some(F::from_f64(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Option<F>, E> {
                Ok(Some(F::from_f64(v as f64)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Option<F>, E> {
                Ok(Some(F::from_f64(v as f64)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<F>, E> {
                match v {
                    "NaN" => Ok(Some(F::NAN)),
                    "Infinity" => Ok(Some(F::INFINITY)),
                    "-Infinity" => Ok(Some(F::NEG_INFINITY)),
                    other => Err(E::custom(format!("not a number: {other:?}"))),
                }
            }
        }
        deserializer.deserialize_any(Visitor(std::marker::PhantomData))
    }
}

/// Sets `Content-MD5` to the base64 MD5 of the body, for operations the model marks
/// `httpChecksumRequired`.
#[cfg(feature = "checksums")]
pub fn set_content_md5(headers: &mut HeaderMap, body: &[u8]) {
    let digest = md5::compute(body);
    if let Ok(value) = HeaderValue::from_str(&base64(&digest.0)) {
        headers.insert(HeaderName::from_static("content-md5"), value);
    }
}

/// Bodies smaller than this are sent as they are (botocore's default
/// `request_min_compression_size_bytes`).
#[cfg(feature = "compression")]
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// Gzips the body of a `requestcompression` operation when it is at least
/// [`MIN_COMPRESSION_SIZE`] bytes, adding `gzip` to any `Content-Encoding` already set.
#[cfg(feature = "compression")]
pub fn compress_body(headers: &mut HeaderMap, body: Bytes) -> Bytes {
    use std::io::Write;
    if body.len() < MIN_COMPRESSION_SIZE {
        return body;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let Ok(compressed) = encoder.write_all(&body).and_then(|()| encoder.finish()) else {
        return body;
    };
    let encoding = match headers
        .get(http::header::CONTENT_ENCODING)
        .map(|v| v.to_str())
    {
        Some(Ok(existing)) if !existing.trim().is_empty() => format!("{existing}, gzip"),
        _ => "gzip".to_owned(),
    };
    if let Ok(value) = HeaderValue::from_str(&encoding) {
        headers.insert(http::header::CONTENT_ENCODING, value);
    }
    Bytes::from(compressed)
}

/// What an error response says about itself.
#[derive(Debug, Default)]
pub struct ErrorParts {
    pub code: Option<String>,
    pub message: Option<String>,
    /// False when the body is neither empty nor JSON (an HTML page from a proxy).
    pub body_is_json: bool,
}

/// Reads the error code and message, tolerating what services and proxies really send
/// (members of other types, both spellings of a key, extra members): the code from
/// `X-Amzn-ErrorType`, else the first string among the body's `code`, `Code` and
/// `__type`; the message from the first non-empty string among `message`, `Message` and
/// `errorMessage`.
pub fn error_parts(response: &HttpResponse) -> ErrorParts {
    let body_empty = response.body.iter().all(u8::is_ascii_whitespace);
    let body: Option<serde_json::Value> = if body_empty {
        None
    } else {
        serde_json::from_slice(&response.body).ok()
    };
    let first_string = |keys: &[&str]| {
        let fields = body.as_ref()?.as_object()?;
        keys.iter()
            .filter_map(|key| fields.get(*key)?.as_str())
            .find(|text| !text.trim().is_empty())
            .map(str::to_owned)
    };
    let code = response
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| first_string(&["code", "Code", "__type"]))
        .map(|c| sanitize_error_code(&c))
        .filter(|c| !c.is_empty());
    ErrorParts {
        code,
        message: first_string(&["message", "Message", "errorMessage"]),
        body_is_json: body_empty || body.is_some(),
    }
}

/// `aws.protocoltests#FooError:http://internal...` → `FooError`.
pub fn sanitize_error_code(raw: &str) -> String {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let after_hash = before_colon.rsplit('#').next().unwrap_or(before_colon);
    after_hash.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    #[test]
    fn labels_stay_inside_their_segment() {
        let mut url = String::from("https://h/participant/views/");
        push_label(&mut url, "../x?y#z", Label::Segment, "ViewToken").unwrap();
        assert_eq!(url, "https://h/participant/views/..%2Fx%3Fy%23z");
        let mut greedy = String::from("/");
        push_label(&mut greedy, "a/b c", Label::Greedy, "Key").unwrap();
        assert_eq!(greedy, "/a/b%20c");
        push_label(&mut greedy, "a..b/.c/d.", Label::Greedy, "Key").unwrap();
    }

    #[test]
    fn labels_that_would_change_the_path_are_refused() {
        for (value, label) in [
            ("", Label::Segment),
            (".", Label::Segment),
            ("..", Label::Segment),
            ("", Label::Greedy),
            ("..", Label::Greedy),
            ("a/../b", Label::Greedy),
            ("a/.", Label::Greedy),
            ("./a", Label::Greedy),
        ] {
            let mut url = String::from("https://h/p/");
            let error = push_label(&mut url, value, label, "ViewToken").unwrap_err();
            assert!(error.to_string().contains("ViewToken"), "{error}");
            assert_eq!(url, "https://h/p/", "nothing appended for {value:?}");
        }
        // A dot-segment only in a non-greedy label's value is encoded, so it stays inside
        // its segment.
        let mut url = String::new();
        push_label(&mut url, "../a", Label::Segment, "ViewToken").unwrap();
        assert_eq!(url, "..%2Fa");
    }

    #[test]
    fn query_strings_are_encoded() {
        let mut url = String::from("https://h/p");
        push_query(&mut url, "a b", "c&d");
        push_query(&mut url, "e", "é");
        assert_eq!(url, "https://h/p?a%20b=c%26d&e=%C3%A9");
    }

    #[test]
    fn header_injection_is_refused() {
        let mut headers = HeaderMap::new();
        let error = set_header(
            &mut headers,
            "x-amz-bearer",
            "t\r\nX-Evil: 1",
            "ConnectionToken",
            Secrecy::Secret,
        )
        .unwrap_err();
        assert!(error.to_string().contains("ConnectionToken"), "{error}");
        assert!(headers.is_empty());
        set_header(
            &mut headers,
            "x-amz-bearer",
            "secret",
            "ConnectionToken",
            Secrecy::Secret,
        )
        .unwrap();
        assert!(headers["x-amz-bearer"].is_sensitive());
        assert!(!format!("{headers:?}").contains("secret"));
        set_header(&mut headers, "x-other", "plain", "Other", Secrecy::Plain).unwrap();
        assert!(!headers["x-other"].is_sensitive());
    }

    #[test]
    fn header_lists_quote_and_split() {
        let items = ["b,c", "\"def\"", "a"].map(String::from);
        let joined = header_list(items.clone().into_iter(), HeaderItems::Strings);
        assert_eq!(joined, r#""b,c", "\"def\"", a"#);
        assert_eq!(split_header_list(&joined, HeaderItems::Strings), items);
        let dates = "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT";
        assert_eq!(split_header_list(dates, HeaderItems::HttpDates).len(), 2);
        assert_eq!(float_text(1.1f32), "1.1");
        assert_eq!(float_text(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn error_codes_are_sanitized() {
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/"),
            "FooError"
        );
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(sanitize_error_code("FooError:http://x"), "FooError");
    }

    fn response(headers: &[(&'static str, &str)], body: &str) -> HttpResponse {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(
                HeaderName::from_static(k),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        HttpResponse {
            status: 400,
            headers: map,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn the_header_code_wins_then_code_then_type() {
        let r = response(
            &[("x-amzn-errortype", "A:x")],
            r#"{"code":"B","__type":"C","Message":"m"}"#,
        );
        let parts = error_parts(&r);
        assert_eq!(parts.code.as_deref(), Some("A"));
        assert_eq!(parts.message.as_deref(), Some("m"));
        let parts = error_parts(&response(&[], r#"{"code":"B","__type":"C"}"#));
        assert_eq!(parts.code.as_deref(), Some("B"));
        let parts = error_parts(&response(&[], r#"{"__type":"ns#C","errorMessage":"e"}"#));
        assert_eq!(
            (parts.code.as_deref(), parts.message.as_deref()),
            (Some("C"), Some("e"))
        );
        let parts = error_parts(&response(&[], "<html>Bad Gateway</html>"));
        assert!(!parts.body_is_json);
        assert_eq!(parts.code, None);
    }

    #[test]
    fn error_bodies_are_read_leniently() {
        // A non-string code gives way to the next key; both spellings of the message.
        let parts = error_parts(&response(
            &[],
            r#"{"code":400,"__type":"T","message":"","Message":"best","extra":[1]}"#,
        ));
        assert_eq!(parts.code.as_deref(), Some("T"));
        assert_eq!(parts.message.as_deref(), Some("best"));
        let parts = error_parts(&response(&[("x-amzn-errortype", "A")], "not json"));
        assert_eq!(parts.code.as_deref(), Some("A"));
        assert!(!parts.body_is_json);
    }
}
