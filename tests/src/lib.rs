//! Conformance and end-to-end tests live in `tests/`; this library holds what several of
//! them share.

use std::time::{Duration, SystemTime};

use awsgen_runtime::bytes::Bytes;
use awsgen_runtime::http::{HeaderMap, HeaderName, Method};
use awsgen_runtime::sigv4::{sign, Credentials, SigningParams};
use awsgen_runtime::{DateTime, HttpRequest};

/// The credentials the signing tests sign with (the SigV4 test suite's).
pub fn test_credentials() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
}

/// Checks a received request's SigV4 signature as AWS would: the signed headers as
/// received, signed again with `credentials` at the request's own time for `region` and
/// `service`. Returns its `Authorization`, or why it does not verify.
pub fn verify_sigv4(
    request: &wiremock::Request,
    credentials: &Credentials,
    region: &str,
    service: &str,
) -> Result<String, String> {
    let text = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or(format!("no {name} header"))
    };
    let authorization = text("authorization")?.to_owned();
    let signed_headers = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .ok_or("no SignedHeaders")?;
    let mut headers = HeaderMap::new();
    for name in signed_headers.split(';') {
        let name = HeaderName::try_from(name).map_err(|e| e.to_string())?;
        for value in request.headers.get_all(&name) {
            headers.append(name.clone(), value.clone());
        }
    }
    let date = text("x-amz-date")?;
    if date.len() != 16 {
        return Err(format!("X-Amz-Date {date:?}"));
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &date[0..4],
        &date[4..6],
        &date[6..8],
        &date[9..11],
        &date[11..13],
        &date[13..15]
    );
    let time = DateTime::parse_iso8601(&iso).ok_or("an unreadable X-Amz-Date")?;
    let mut again = HttpRequest {
        method: Method::try_from(request.method.as_str()).map_err(|e| e.to_string())?,
        url: request.url.to_string(),
        headers,
        body: Bytes::from(request.body.clone()),
        operation: None,
    };
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(time.secs() as u64);
    sign(
        &mut again,
        &SigningParams::new(credentials, region, service, time),
    )
    .map_err(|e| e.to_string())?;
    let recomputed = again.headers["authorization"].to_str().unwrap_or_default();
    if recomputed == authorization {
        Ok(authorization)
    } else {
        Err(format!(
            "the signature does not verify: got {authorization}, expected {recomputed}"
        ))
    }
}
