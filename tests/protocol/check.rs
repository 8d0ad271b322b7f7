//! Comparisons for botocore's protocol test cases, following the rules in
//! `shared/protocol-tests/README.md`. Copied into the generated harness crate.

use std::fmt::Debug;

use awsgen_runtime::{HttpRequest, HttpResponse};
use serde_json::Value;

/// One case of a suite, as the runner sees it.
pub struct Case {
    pub file: &'static str,
    pub suite: usize,
    pub case: usize,
    pub id: &'static str,
    pub run: fn() -> Result<(), String>,
}

/// The request a case expects.
pub struct ExpectedRequest {
    pub method: Option<&'static str>,
    pub uri: &'static str,
    pub headers: &'static [(&'static str, &'static str)],
    pub forbid_headers: &'static [&'static str],
    pub body: Option<&'static str>,
    pub host: Option<&'static str>,
    /// Headers bound to lists: `a, b` and `a,b` are the same list.
    pub list_headers: &'static [&'static str],
}

/// The idempotency token the suites expect when none is set.
pub const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

pub fn request(actual: &HttpRequest, endpoint: &str, expected: &ExpectedRequest) -> Result<(), String> {
    let mut problems = Vec::new();
    if let Some(method) = expected.method {
        if actual.method.as_str() != method {
            problems.push(format!("method {} != {method}", actual.method));
        }
    }
    let (authority, uri) = split_url(&actual.url);
    if uri != expected.uri {
        problems.push(format!("uri {uri:?} != {:?}", expected.uri));
    }
    if let Some(host) = expected.host {
        // `RestJsonHostWithPath`: the expected host carries the endpoint's path.
        let endpoint_path = split_url(endpoint).1.trim_end_matches('/').to_owned();
        let endpoint_path = if endpoint_path == "/" { String::new() } else { endpoint_path };
        let actual_host = format!("{authority}{endpoint_path}");
        if actual_host != host {
            problems.push(format!("host {actual_host:?} != {host:?}"));
        }
    }
    for (name, value) in expected.headers {
        if name.eq_ignore_ascii_case("content-type") && !value.eq_ignore_ascii_case("application/json") {
            continue; // botocore's rule: only the JSON content type is compared.
        }
        let list = expected.list_headers.iter().any(|h| h.eq_ignore_ascii_case(name));
        let normalize = |v: &str| if list { v.replace(", ", ",") } else { v.to_owned() };
        match actual.headers.get(*name).map(|v| v.to_str().unwrap_or("<not UTF-8>")) {
            Some(found) if normalize(found) == normalize(value) => {}
            Some(found) => problems.push(format!("header {name}: {found:?} != {value:?}")),
            None => problems.push(format!("header {name} missing (expected {value:?})")),
        }
    }
    for name in expected.forbid_headers {
        if actual.headers.contains_key(*name) {
            problems.push(format!("header {name} must not be sent"));
        }
    }
    if let Some(body) = expected.body {
        if let Err(problem) = same_body(&actual.body, body) {
            problems.push(problem);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// `https://host:1/a/b?c` → (`host:1`, `/a/b?c`).
fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    }
}

fn same_body(actual: &[u8], expected: &str) -> Result<(), String> {
    let expected_json: Option<Value> = serde_json::from_str(expected).ok();
    let actual_json: Option<Value> = serde_json::from_slice(actual).ok();
    match (expected_json, actual_json) {
        (Some(e), Some(a)) if json_equal(&e, &a) => Ok(()),
        (Some(e), Some(a)) => Err(format!("body {a} != {e}")),
        _ if actual == expected.as_bytes() => Ok(()),
        _ => Err(format!("body {:?} != {expected:?}", String::from_utf8_lossy(actual))),
    }
}

/// Structural JSON equality with numbers compared by value (`1` equals `1.0`).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

pub fn response(status: u16, headers: &[(&str, &str)], body: &'static str) -> HttpResponse {
    let mut map = awsgen_runtime::http::HeaderMap::new();
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            awsgen_runtime::http::HeaderName::from_bytes(name.as_bytes()),
            awsgen_runtime::http::HeaderValue::from_str(value),
        ) {
            map.append(name, value);
        }
    }
    HttpResponse {
        status,
        headers: map,
        body: awsgen_runtime::bytes::Bytes::from_static(body.as_bytes()),
    }
}

/// Equal by `PartialEq`, or, for values holding NaN (never equal to itself), by `Debug`.
pub fn same<T: PartialEq + Debug>(actual: &T, expected: &T) -> Result<(), String> {
    if actual == expected || format!("{actual:?}") == format!("{expected:?}") {
        Ok(())
    } else {
        Err(format!("parsed {actual:?}\n  expected {expected:?}"))
    }
}

/// Two requests the same on the wire: method, URL, headers, and body (compared as JSON
/// when it is JSON, as map members go out in no fixed order).
pub fn same_request(again: &HttpRequest, original: &HttpRequest) -> Result<(), String> {
    let json = |body: &[u8]| serde_json::from_slice::<Value>(body).ok();
    let same_body = match (json(&again.body), json(&original.body)) {
        (Some(a), Some(b)) => a == b,
        _ => again.body == original.body,
    };
    if again.method == original.method
        && again.url == original.url
        && again.headers == original.headers
        && same_body
    {
        Ok(())
    } else {
        Err(format!(
            "round trip: the input read back sends {} {} {:?} {:?}\n  the original sent {} {} {:?} {:?}",
            again.method,
            again.url,
            again.headers,
            String::from_utf8_lossy(&again.body),
            original.method,
            original.url,
            original.headers,
            String::from_utf8_lossy(&original.body)
        ))
    }
}

/// An output written by the mock and parsed again, against the original.
pub fn round_trip<T: PartialEq + Debug>(read: &T, original: &T) -> Result<(), String> {
    if read == original || format!("{read:?}") == format!("{original:?}") {
        Ok(())
    } else {
        Err(format!("round trip: read back {read:?}\n  original {original:?}"))
    }
}

/// The error code and message as the suites define them.
pub fn error_code_and_message(response: &HttpResponse) -> (Option<String>, Option<String>) {
    let parts = awsgen_runtime::protocol::error_parts(response);
    (parts.code, parts.message)
}
