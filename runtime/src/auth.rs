//! How requests are authenticated: the scheme an operation uses (decided by the
//! generator from the model and `customizations.json`), the credentials a client signs
//! with, and the signing of one attempt.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use crate::endpoint::Endpoint;
use crate::sigv4::{Credentials, SigningKeyCache, SigningParams};
use crate::transport::HttpRequest;

/// How an operation's requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Not signed: the operation is anonymous, or its requests carry a token of their own
    /// (connectparticipant's participant and connection tokens).
    None,
    /// Signed with SigV4 for this signing name (the endpoint's `authSchemes` may name
    /// another, and the region).
    SigV4 {
        /// The model's `signingName` (or `endpointPrefix`).
        signing_name: &'static str,
        /// The payload is not hashed (`UNSIGNED-PAYLOAD`, the model's
        /// `v4-unsigned-body`).
        unsigned_payload: bool,
    },
    /// A scheme this client cannot use yet, named: calls fail before anything is sent.
    Unsupported(&'static str),
}

/// The future a credentials provider returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// Where a client's credentials come from. Implement it to plug in a source of your own;
/// it is asked once per call that signs.
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    /// The credentials to sign with now.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

/// Fixed credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

/// Why no credentials could be had. The message names the sources tried and never holds
/// a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    /// An error saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// The error when a client that must sign has no credentials.
pub(crate) fn no_credentials() -> CredentialsError {
    CredentialsError::new(
        "no credentials to sign with: give them with ConfigBuilder::credentials or \
         credentials_provider, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
         (sources tried: the configuration, the environment)",
    )
}

/// Signs each attempt of one call: the credentials and names are fixed for the call, the
/// time is taken at each attempt (corrected by the clock skew the service reported).
#[derive(Debug)]
pub(crate) struct Signer<'a> {
    pub(crate) credentials: Credentials,
    pub(crate) region: String,
    pub(crate) service: String,
    pub(crate) double_encode: bool,
    pub(crate) unsigned_payload: bool,
    pub(crate) skew: &'a ClockSkew,
    pub(crate) keys: &'a SigningKeyCache,
}

impl Signer<'_> {
    /// The signer for `auth` against `endpoint`: the endpoint's first `sigv4` auth scheme
    /// may name the signing name and region, else the model's name and the client's
    /// region.
    pub(crate) fn for_endpoint<'s>(
        credentials: Credentials,
        signing_name: &str,
        unsigned_payload: bool,
        endpoint: &Endpoint,
        region: Option<&str>,
        skew: &'s ClockSkew,
        keys: &'s SigningKeyCache,
    ) -> Result<Signer<'s>, String> {
        let scheme = endpoint
            .auth_schemes()
            .iter()
            .find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4"));
        let text = |key: &str| {
            scheme
                .and_then(|s| s.get(key))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let region = text("signingRegion")
            .or_else(|| region.map(str::to_owned))
            .ok_or("no region to sign for: set one on the configuration")?;
        let double_encode = !scheme
            .and_then(|s| s.get("disableDoubleEncoding"))
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        Ok(Signer {
            credentials,
            region,
            service: text("signingName").unwrap_or_else(|| signing_name.to_owned()),
            double_encode,
            unsigned_payload,
            skew,
            keys,
        })
    }

    /// Signs one attempt, at the current time corrected by the clock skew.
    pub(crate) fn sign(&self, request: &mut HttpRequest) -> Result<(), String> {
        let mut params = SigningParams::new(
            &self.credentials,
            &self.region,
            &self.service,
            self.skew.now(),
        );
        params.double_encode_path = self.double_encode;
        params.normalize_path = self.double_encode;
        params.unsigned_payload = self.unsigned_payload;
        self.keys
            .sign(request, &params)
            .map(drop)
            .map_err(|e| e.to_string())
    }
}

/// How far the service's clock is from ours, in seconds, as its answers have shown.
#[derive(Debug, Default)]
pub(crate) struct ClockSkew {
    seconds: AtomicI64,
}

impl ClockSkew {
    /// Our time, corrected.
    pub(crate) fn now(&self) -> SystemTime {
        let skew = self.seconds.load(Ordering::Relaxed);
        let now = SystemTime::now();
        let magnitude = Duration::from_secs(skew.unsigned_abs());
        if skew >= 0 {
            now.checked_add(magnitude).unwrap_or(now)
        } else {
            now.checked_sub(magnitude).unwrap_or(now)
        }
    }

    /// Takes the skew from a response's `Date` when the service said the signature's
    /// time was wrong; returns whether it changed (and a retry may succeed).
    pub(crate) fn correct(&self, code: Option<&str>, date: Option<&str>) -> bool {
        let skewed = matches!(
            code,
            Some(
                "RequestTimeTooSkewed"
                    | "RequestExpired"
                    | "InvalidSignatureException"
                    | "SignatureDoesNotMatch"
                    | "RequestInTheFuture"
            )
        );
        let Some(server) = date.filter(|_| skewed).and_then(parse_http_date) else {
            return false;
        };
        let ours = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let skew = server - ours;
        // Within a minute is not what made the signature fail.
        if (skew - self.seconds.load(Ordering::Relaxed)).abs() < 60 {
            return false;
        }
        self.seconds.store(skew, Ordering::Relaxed);
        true
    }
}

/// Seconds since 1970 of an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn parse_http_date(text: &str) -> Option<i64> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, clock, "GMT"] = fields.as_slice() else {
        return None;
    };
    let month = MONTHS.iter().position(|m| m == month)? as u8 + 1;
    let date = time::Date::from_calendar_date(
        year.parse().ok()?,
        time::Month::try_from(month).ok()?,
        day.parse().ok()?,
    )
    .ok()?;
    let mut hms = clock.split(':').map(|n| n.parse::<u8>().ok());
    let (Some(Some(h)), Some(Some(m)), Some(Some(s))) = (hms.next(), hms.next(), hms.next()) else {
        return None;
    };
    let time = time::Time::from_hms(h, m, s).ok()?;
    Some(
        time::PrimitiveDateTime::new(date, time)
            .assume_utc()
            .unix_timestamp(),
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skew_is_taken_from_the_date_of_a_skew_error_only() {
        let skew = ClockSkew::default();
        let ahead = SystemTime::now() + Duration::from_secs(3_600);
        let date = httpdate(ahead);
        assert!(!skew.correct(Some("AccessDeniedException"), Some(&date)));
        assert!(!skew.correct(Some("RequestTimeTooSkewed"), None));
        assert!(skew.correct(Some("RequestTimeTooSkewed"), Some(&date)));
        let corrected = skew.now().duration_since(SystemTime::now()).unwrap();
        assert!(corrected > Duration::from_secs(3_590), "{corrected:?}");
        assert!(
            !skew.correct(Some("RequestTimeTooSkewed"), Some(&date)),
            "once"
        );
    }

    fn httpdate(time: SystemTime) -> String {
        let seconds = time
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let t = time::OffsetDateTime::from_unix_timestamp(seconds).unwrap();
        format!(
            "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
            &t.weekday().to_string()[..3],
            t.day(),
            MONTHS[usize::from(u8::from(t.month())) - 1],
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    #[test]
    fn http_dates_read() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"), None);
    }
}
