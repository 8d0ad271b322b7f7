//! Every case of the SigV4 test suite (`tests/sigv4-test-suite/v4`, from aws-c-auth):
//! for each request, the header-signed variant (canonical request, string to sign,
//! signature, and the headers the signed request carries) and the query-signed variant
//! (a pre-signed URL: canonical request, string to sign, signature, and the URL's query).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use awsgen_runtime::bytes::Bytes;
use awsgen_runtime::http::{HeaderMap, HeaderName, HeaderValue, Method};
use awsgen_runtime::sigv4::{presign, sign, Credentials, SigningParams};
use awsgen_runtime::{DateTime, HttpRequest};
use serde_json::Value;

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sigv4-test-suite/v4")
}

fn read(case: &Path, file: &str) -> String {
    std::fs::read_to_string(case.join(file))
        .unwrap_or_else(|e| panic!("{}/{file}: {e}", case.display()))
}

/// A request as the suite writes it: the request line, headers (a line that starts with
/// a space continues the one before), a blank line and the body.
struct Request {
    method: Method,
    path_and_query: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

fn parse_request(text: &str) -> Request {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let (method, rest) = request_line.split_once(' ').unwrap();
    let path_and_query = rest.strip_suffix(" HTTP/1.1").unwrap().to_owned();
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = fields.last_mut().unwrap();
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else if let Some((name, value)) = line.split_once(':') {
            fields.push((name.to_owned(), value.to_owned()));
        }
    }
    let mut headers = HeaderMap::new();
    for (name, value) in fields {
        headers.append(
            HeaderName::try_from(name.as_str()).unwrap(),
            HeaderValue::try_from(value.as_str()).unwrap(),
        );
    }
    Request {
        method: Method::try_from(method).unwrap(),
        path_and_query,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

struct Context {
    credentials: Credentials,
    region: String,
    service: String,
    time: SystemTime,
    expires_in: Duration,
    normalize: bool,
    sign_body: bool,
    omit_session_token: bool,
}

fn parse_context(text: &str) -> Context {
    let json: Value = serde_json::from_str(text).unwrap();
    let credentials = &json["credentials"];
    let mut keys = Credentials::new(
        credentials["access_key_id"].as_str().unwrap(),
        credentials["secret_access_key"].as_str().unwrap(),
    );
    if let Some(token) = credentials["token"].as_str() {
        keys = keys.with_session_token(token);
    }
    let time = DateTime::parse_iso8601(json["timestamp"].as_str().unwrap()).unwrap();
    Context {
        credentials: keys,
        region: json["region"].as_str().unwrap().to_owned(),
        service: json["service"].as_str().unwrap().to_owned(),
        time: SystemTime::UNIX_EPOCH + Duration::from_secs(time.secs() as u64),
        expires_in: Duration::from_secs(json["expiration_in_seconds"].as_u64().unwrap()),
        normalize: json["normalize"].as_bool().unwrap(),
        sign_body: json["sign_body"].as_bool().unwrap(),
        omit_session_token: json["omit_session_token"].as_bool().unwrap_or(false),
    }
}

fn params(context: &Context) -> SigningParams<'_> {
    let mut params = SigningParams::new(
        &context.credentials,
        &context.region,
        &context.service,
        context.time,
    );
    params.normalize_path = context.normalize;
    params.payload_hash_header = context.sign_body;
    params.omit_session_token = context.omit_session_token;
    params
}

/// The headers of a signed request as the suite writes it, lower-cased.
fn header_lines(text: &str) -> BTreeSet<String> {
    parse_request(text)
        .headers
        .iter()
        .map(|(name, value)| format!("{}:{}", name, value.to_str().unwrap()))
        .collect()
}

/// The query parameters of a request line.
fn query_of(request_line_path: &str) -> BTreeSet<String> {
    request_line_path
        .split_once('?')
        .map_or("", |(_, query)| query)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(suite())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("request.txt").exists())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_header_signed_case_of_the_suite() {
    let cases = cases();
    assert_eq!(cases.len(), 38, "the whole suite is here");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let request = parse_request(&read(&case, "request.txt"));
        let context = parse_context(&read(&case, "context.json"));
        let host = request.headers["host"].to_str().unwrap().to_owned();
        let mut http = HttpRequest {
            method: request.method.clone(),
            url: format!("https://{host}{}", request.path_and_query),
            headers: request.headers.clone(),
            body: Bytes::from(request.body.clone()),
            operation: None,
        };
        let signed = sign(&mut http, &params(&context)).unwrap();
        assert_eq!(
            signed.canonical_request,
            read(&case, "header-canonical-request.txt"),
            "{name}: canonical request"
        );
        assert_eq!(
            signed.string_to_sign,
            read(&case, "header-string-to-sign.txt"),
            "{name}: string to sign"
        );
        assert_eq!(
            signed.signature,
            read(&case, "header-signature.txt").trim(),
            "{name}: signature"
        );
        let expected = header_lines(&read(&case, "header-signed-request.txt"));
        let ours: BTreeSet<String> = http
            .headers
            .iter()
            .map(|(name, value)| format!("{}:{}", name, value.to_str().unwrap()))
            .collect();
        // Folded header values are compared unfolded.
        let unfold = |set: BTreeSet<String>| -> BTreeSet<String> {
            set.into_iter()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect()
        };
        assert_eq!(
            unfold(ours),
            unfold(expected),
            "{name}: signed request headers"
        );
    }
}

#[test]
fn every_query_signed_case_of_the_suite() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let request = parse_request(&read(&case, "request.txt"));
        let context = parse_context(&read(&case, "context.json"));
        let host = request.headers["host"].to_str().unwrap().to_owned();
        let url = format!("https://{host}{}", request.path_and_query);
        let (presigned, signed) = presign(
            &request.method,
            &url,
            &request.headers,
            &request.body,
            &params(&context),
            context.expires_in,
        )
        .unwrap();
        assert_eq!(
            signed.canonical_request,
            read(&case, "query-canonical-request.txt"),
            "{name}: canonical request"
        );
        assert_eq!(
            signed.string_to_sign,
            read(&case, "query-string-to-sign.txt"),
            "{name}: string to sign"
        );
        assert_eq!(
            signed.signature,
            read(&case, "query-signature.txt").trim(),
            "{name}: signature"
        );
        let expected_line = read(&case, "query-signed-request.txt");
        let expected_path = expected_line
            .lines()
            .next()
            .unwrap()
            .split_once(' ')
            .unwrap()
            .1
            .strip_suffix(" HTTP/1.1")
            .unwrap()
            .to_owned();
        let ours_path = presigned.strip_prefix(&format!("https://{host}")).unwrap();
        assert_eq!(
            query_of(ours_path),
            query_of(&expected_path),
            "{name}: pre-signed query"
        );
        assert_eq!(
            ours_path.split('?').next(),
            expected_path.split('?').next(),
            "{name}: pre-signed path"
        );
    }
}

#[test]
fn a_url_without_a_host_header_signs_the_host_the_transport_sends() {
    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160); // 2015-08-30T12:36:00Z
    let params = SigningParams::new(&credentials, "us-east-1", "service", time);
    let mut with_header = HttpRequest {
        method: Method::GET,
        url: "https://example.amazonaws.com/".into(),
        headers: HeaderMap::new(),
        body: Bytes::new(),
        operation: None,
    };
    with_header
        .headers
        .insert("host", HeaderValue::from_static("example.amazonaws.com"));
    let mut from_url = HttpRequest {
        url: "https://example.amazonaws.com:443/".into(),
        headers: HeaderMap::new(),
        ..with_header.clone()
    };
    let a = sign(&mut with_header, &params).unwrap();
    let b = sign(&mut from_url, &params).unwrap();
    assert_eq!(a.signature, b.signature);
    // The suite's get-vanilla signature.
    assert_eq!(
        a.signature,
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
    // The signature and token are kept out of Debug.
    assert!(!format!("{from_url:?}").contains(&a.signature));
}
