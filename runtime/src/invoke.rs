//! Running one operation call: fill idempotency tokens, validate, serialize, then
//! attempt, classify and retry within the timeouts. Generated code supplies only what is
//! specific to the operation, through [`Operation`].

use std::sync::Arc;
use std::time::Duration;

use http::{HeaderName, HeaderValue};

use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{no_credentials, Auth, ClockSkew, Signer};
use crate::config::Config;
use crate::endpoint::{Endpoint, EndpointError};
use crate::error::{
    DispatchError, ErrorMetadata, InvalidInputError, InvalidInputKind, RedirectError,
    ResponseError, SdkError, ServiceError, TimeoutError, TimeoutKind,
};
use crate::protocol::{error_parts, ParseError, RequestError};
use crate::redact::without_userinfo;
use crate::retry::{backoff, classify_response, RetryKind, RetryQuota};
use crate::sigv4::SigningKeyCache;
use crate::transport::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};
use crate::validate::{ValidationError, ValidationMode};

const X_AMZ_USER_AGENT: HeaderName = HeaderName::from_static("x-amz-user-agent");
const AMZ_SDK_INVOCATION_ID: HeaderName = HeaderName::from_static("amz-sdk-invocation-id");
const AMZ_SDK_REQUEST: HeaderName = HeaderName::from_static("amz-sdk-request");

/// This runtime, as the user agent names it.
const RUNTIME: &str = concat!("awsgen/", env!("CARGO_PKG_VERSION"));

/// `User-Agent` (`awsgen/0.1.0 connectparticipant/0.1.0 os/linux lang/rust#1.85.0`) and
/// `x-amz-user-agent` (`awsgen/0.1.0 ua/2.1 api/connectparticipant#0.1.0 os/linux
/// lang/rust#1.85.0`), each ending in `app/ID` when the configuration has one (checked
/// to be a header-safe token).
fn user_agents(api: &str, app_id: Option<&str>) -> (HeaderValue, HeaderValue) {
    let common = format!(
        "os/{} lang/rust#{}",
        std::env::consts::OS,
        env!("AWSGEN_RUSTC_VERSION")
    );
    let app = app_id.map(|id| format!(" app/{id}")).unwrap_or_default();
    let user_agent = format!("{RUNTIME} {api} {common}{app}");
    let amz_user_agent = format!(
        "{RUNTIME} ua/2.1 api/{} {common}{app}",
        api.replacen('/', "#", 1)
    );
    let value = |text: String| {
        HeaderValue::try_from(text).unwrap_or_else(|_| HeaderValue::from_static(RUNTIME))
    };
    (value(user_agent), value(amz_user_agent))
}

/// `amz-sdk-request: attempt=2; max=3`, which AWS reads to diagnose retries.
fn sdk_request(attempt: u32, max: u32) -> HeaderValue {
    HeaderValue::try_from(format!("attempt={attempt}; max={max}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attempt=1; max=1"))
}

/// What generated code provides for each operation.
#[doc(hidden)]
pub trait Operation {
    type Input: Clone + Send + 'static;
    type Output: Send + 'static;
    type Error;

    /// The operation's name in the model, e.g. `SendMessage`.
    const NAME: &'static str;

    /// How its requests are authenticated; the default sends them unsigned.
    const AUTH: Auth = Auth::None;

    /// Fills unset idempotency-token members; called once per call, before validation,
    /// so every attempt sends the same token. The default, for inputs without any, does
    /// nothing.
    fn fill_idempotency_tokens(_input: &mut Self::Input, _make_token: &mut dyn FnMut() -> String) {}

    /// Checks the input against the model's constraints.
    fn validate(input: &Self::Input, mode: ValidationMode) -> Result<(), ValidationError>;

    /// The endpoint for this call, when the rule set makes it depend on the operation or
    /// its input (context parameters); `None`, the default, uses the client's.
    fn endpoint(_input: &Self::Input, _config: &Config) -> Option<Result<Endpoint, EndpointError>> {
        None
    }

    /// Builds the HTTP request; an error names the member that cannot be sent.
    fn request(input: &Self::Input, endpoint: &str) -> Result<HttpRequest, RequestError>;

    /// Reads a successful response; an error says what did not match the model.
    fn parse_output(response: &HttpResponse) -> Result<Self::Output, ParseError>;

    /// Turns an error response into the operation's error: a modeled exception when the
    /// code names one (and its body reads), otherwise the unhandled case.
    fn parse_error(code: Option<&str>, response: &HttpResponse, meta: ErrorMetadata)
        -> Self::Error;
}

/// What a generated client holds: its configuration, resolved endpoint and retry quota.
/// Cloning is cheap and shares the connection pool and the quota.
#[derive(Debug, Clone)]
#[doc(hidden)]
pub struct ClientHandle {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    config: Config,
    /// `None` when every operation resolves its own (see [`Operation::endpoint`]).
    endpoint: Option<Endpoint>,
    quota: RetryQuota,
    /// `User-Agent` and `x-amz-user-agent`, made once per client.
    user_agent: HeaderValue,
    amz_user_agent: HeaderValue,
    /// The clock skew the service's answers have shown, for signing.
    skew: ClockSkew,
    /// The signing key of the day, derived once.
    keys: SigningKeyCache,
}

impl std::fmt::Debug for ClientInner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientInner")
            .field("config", &self.config)
            .field(
                "endpoint",
                &self.endpoint.as_ref().map(|e| without_userinfo(e.url())),
            )
            .field("quota", &self.quota)
            .finish()
    }
}

impl ClientHandle {
    /// A handle sending to `endpoint` (already resolved from the configuration), or,
    /// with `None`, to the endpoint each operation resolves for itself. `api` is the
    /// generated crate as `name/version`, for the user agent.
    pub fn new(config: Config, endpoint: Option<Endpoint>, api: &'static str) -> Self {
        let (user_agent, amz_user_agent) = user_agents(api, config.app_id.as_deref());
        ClientHandle {
            inner: Arc::new(ClientInner {
                config,
                endpoint,
                quota: RetryQuota::default(),
                user_agent,
                amz_user_agent,
                skew: ClockSkew::default(),
                keys: SigningKeyCache::default(),
            }),
        }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The URL requests go to.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.inner.endpoint.as_ref()
    }

    /// Runs one call of operation `O`.
    pub async fn invoke<O: Operation>(
        &self,
        input: O::Input,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let span = tracing::debug_span!(
            "operation",
            operation = O::NAME,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        // Not wrapped in a span no subscriber wants (see `attempt`).
        let result = if span.is_disabled() {
            self.call::<O>(input).await
        } else {
            self.call::<O>(input).instrument(span.clone()).await
        };
        if let Err(error) = &result {
            tracing::debug!(parent: &span, error = %ErrorSummary(error), "operation failed");
        }
        result
    }

    async fn call<O: Operation>(
        &self,
        mut input: O::Input,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let config = &self.inner.config;
        let deadline = config.timeouts.operation.and_then(deadline_after);
        let invalid = |kind| SdkError::InvalidInput(InvalidInputError::new(O::NAME, kind));
        O::fill_idempotency_tokens(&mut input, &mut || config.make_token());
        O::validate(&input, config.validation)
            .map_err(|e| invalid(InvalidInputKind::Validation(e)))?;
        let own_endpoint = O::endpoint(&input, config)
            .transpose()
            .map_err(|e| invalid(InvalidInputKind::Request(e.to_string())))?;
        let endpoint = own_endpoint
            .as_ref()
            .or(self.inner.endpoint.as_ref())
            .ok_or_else(|| {
                invalid(InvalidInputKind::Request(
                    "no endpoint: this operation resolves none and the client has none".to_owned(),
                ))
            })?;
        let mut request = O::request(&input, endpoint.url())
            .map_err(|e| invalid(InvalidInputKind::Request(e.to_string())))?;
        drop(input);
        self.sdk_headers(&mut request.headers);
        let signer = self
            .signer(O::NAME, O::AUTH, endpoint)
            .await
            .map_err(|e| invalid(InvalidInputKind::Request(e)))?;
        match self
            .send_with_retries(request, O::NAME, deadline, signer.as_ref())
            .await
        {
            Ok(response) => parse_output::<O>(&response),
            Err(Failed { failure, attempts }) => Err(failure.into_sdk_error::<O>(attempts)),
        }
    }

    /// The signer of one call of an operation authenticated with `auth` (`None` when its
    /// requests go unsigned); the credentials are asked for once per call. An error says
    /// why the call cannot be signed (no credentials, no region, a scheme not supported).
    async fn signer(
        &self,
        operation: &str,
        auth: Auth,
        endpoint: &Endpoint,
    ) -> Result<Option<Signer<'_>>, String> {
        let config = &self.inner.config;
        let (signing_name, unsigned_payload) = match auth {
            Auth::None => return Ok(None),
            Auth::Unsupported(scheme) => {
                return Err(format!(
                    "{operation} authenticates with {scheme}, which this client cannot do yet"
                ))
            }
            Auth::SigV4 {
                signing_name,
                unsigned_payload,
            } => (signing_name, unsigned_payload),
        };
        let provider = config.credentials.as_ref().ok_or_else(no_credentials);
        let credentials = match provider {
            Ok(provider) => provider.provide_credentials().await,
            Err(error) => Err(error),
        }
        .map_err(|e| e.to_string())?;
        let signer = Signer::for_endpoint(
            credentials,
            signing_name,
            unsigned_payload,
            endpoint,
            config.region(),
            &self.inner.skew,
            &self.inner.keys,
        )?;
        Ok(Some(signer))
    }

    /// Sends `request`, retrying as configured, until a 2xx response or a failure that is
    /// final; each attempt is signed anew (a fresh time) when there is a signer. A
    /// signature the service refuses for its time corrects the clock skew and is retried
    /// once. Not generic, so every operation shares one copy of the retry loop.
    async fn send_with_retries(
        &self,
        request: HttpRequest,
        operation: &'static str,
        deadline: Option<Instant>,
        signer: Option<&Signer<'_>>,
    ) -> Result<HttpResponse, Failed> {
        let mut attempt = 1;
        let mut last_retry_cost = None;
        let mut skew_corrected = false;
        loop {
            // What could fail in signing (the credentials as header values, the time,
            // the URL) fails on the first attempt, before anything is sent.
            let this_attempt = self
                .prepare(&request, attempt, signer)
                .map_err(|message| Failed::after(Failure::Unsigned(message), attempt))?;
            let outcome = self.attempt(this_attempt, attempt, deadline).await;
            tracing::Span::current().record("attempts", attempt);
            let may_correct_skew = signer.is_some() && !skew_corrected;
            let (failure, kind, retry_after) =
                match self.judge(outcome, operation, may_correct_skew) {
                    Verdict::Success(response) => {
                        self.inner.quota.release(last_retry_cost);
                        return Ok(response);
                    }
                    Verdict::Final(failure) => return Err(Failed::after(failure, attempt)),
                    Verdict::SignAgain => {
                        skew_corrected = true;
                        attempt += 1;
                        tracing::debug!(attempt, "clock skew corrected; signing again");
                        continue;
                    }
                    Verdict::Retryable(failure, kind, retry_after) => (failure, kind, retry_after),
                };
            match self.retry(attempt, kind, retry_after, deadline) {
                Some((pause, cost)) => {
                    last_retry_cost = Some(cost);
                    attempt += 1;
                    tracing::debug!(attempt, pause_ms = pause.as_millis() as u64, "retrying");
                    tokio::time::sleep(pause).await;
                }
                None => return Err(Failed::after(failure, attempt)),
            }
        }
    }

    /// Attempt number `attempt` of `request`: its `amz-sdk-request` header, and signed
    /// anew (a fresh time) when there is a signer.
    fn prepare(
        &self,
        request: &HttpRequest,
        attempt: u32,
        signer: Option<&Signer<'_>>,
    ) -> Result<HttpRequest, String> {
        let mut this_attempt = request.clone();
        this_attempt.headers.insert(
            AMZ_SDK_REQUEST,
            sdk_request(attempt, self.inner.config.retry.max_attempts),
        );
        if let Some(signer) = signer {
            signer.sign(&mut this_attempt)?;
        }
        Ok(this_attempt)
    }

    /// What an attempt's outcome means for the call; `may_correct_skew`: a signature
    /// refused for its time may correct the clock and be signed again.
    fn judge(&self, outcome: Attempt, operation: &'static str, may_correct_skew: bool) -> Verdict {
        let response = match outcome {
            Attempt::Response(response) => response,
            Attempt::Transport(error) => {
                let (failure, kind) = transport_failure(operation, error);
                return Verdict::Retryable(failure, kind, None);
            }
            Attempt::TimedOut(TimeoutKind::Operation) => {
                return Verdict::Final(Failure::Timeout(operation, TimeoutKind::Operation))
            }
            Attempt::TimedOut(kind) => {
                return Verdict::Retryable(
                    Failure::Timeout(operation, kind),
                    RetryKind::Timeout,
                    None,
                )
            }
        };
        record_response(&tracing::Span::current(), &response);
        match response.status {
            200..=299 => Verdict::Success(response),
            300..=399 => Verdict::Final(Failure::Redirect(redirect_error(operation, &response))),
            _ if may_correct_skew
                && self.inner.skew.correct(
                    error_parts(&response).code.as_deref(),
                    response.header("date"),
                ) =>
            {
                Verdict::SignAgain
            }
            _ => {
                let retry_after = response
                    .header("x-amz-retry-after")
                    .and_then(|ms| ms.trim().parse().ok())
                    .map(Duration::from_millis);
                let failure = error_response(operation, response);
                let kind = classify_response(failure.status(), failure.code());
                Verdict::Retryable(failure, kind, retry_after)
            }
        }
    }

    /// The pause before another attempt and the retry quota it took, or `None` when no
    /// retry is made: attempts used up, the failure not retryable, the quota empty, or a
    /// retry that could not even start before the deadline (the failure in hand says more
    /// than a timeout would).
    fn retry(
        &self,
        attempt: u32,
        kind: RetryKind,
        retry_after: Option<Duration>,
        deadline: Option<Instant>,
    ) -> Option<(Duration, u32)> {
        let retry = &self.inner.config.retry;
        if attempt >= retry.max_attempts {
            return None;
        }
        let pause = retry_after
            .map(|wanted| wanted.min(retry.max_backoff))
            .unwrap_or_else(|| backoff(retry, attempt + 1));
        let too_late = deadline.is_some_and(|deadline| {
            deadline_after(pause).is_none_or(|resumed| resumed >= deadline)
        });
        if too_late {
            return None;
        }
        let cost = self.inner.quota.acquire(kind)?;
        Some((pause, cost))
    }

    /// The headers the AWS SDKs send with every call: who is calling, and an id that is
    /// the same on every attempt of the call.
    fn sdk_headers(&self, headers: &mut http::HeaderMap) {
        headers.insert(http::header::USER_AGENT, self.inner.user_agent.clone());
        headers.insert(X_AMZ_USER_AGENT, self.inner.amz_user_agent.clone());
        if let Ok(id) = HeaderValue::try_from(crate::random::uuid_v4()) {
            headers.insert(AMZ_SDK_INVOCATION_ID, id);
        }
    }

    /// One attempt, bounded by the attempt timeout and the operation's deadline,
    /// whichever comes first.
    async fn attempt(
        &self,
        request: HttpRequest,
        attempt: u32,
        deadline: Option<Instant>,
    ) -> Attempt {
        let span = tracing::debug_span!(
            "attempt",
            attempt,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let transport = &self.inner.config.transport;
        // Without a subscriber that wants the span, the future is not wrapped: entering
        // and leaving a disabled span on every poll was measurable per request.
        let send = async {
            if span.is_disabled() {
                transport.send(request).await
            } else {
                transport.send(request).instrument(span.clone()).await
            }
        };
        let attempt_limit = self.inner.config.timeouts.attempt.and_then(deadline_after);
        let limit = match (attempt_limit, deadline) {
            (Some(own), Some(deadline)) if deadline <= own => {
                Some((deadline, TimeoutKind::Operation))
            }
            (Some(own), _) => Some((own, TimeoutKind::Attempt)),
            (None, Some(deadline)) => Some((deadline, TimeoutKind::Operation)),
            (None, None) => None,
        };
        let result = match limit {
            Some((at, kind)) => match tokio::time::timeout_at(at, send).await {
                Ok(result) => result,
                Err(_) => return Attempt::TimedOut(kind),
            },
            None => send.await,
        };
        match result {
            Ok(response) => {
                record_response(&span, &response);
                Attempt::Response(response)
            }
            Err(error) => Attempt::Transport(error),
        }
    }
}

enum Attempt {
    Response(HttpResponse),
    Transport(TransportError),
    TimedOut(TimeoutKind),
}

/// How a failed attempt would be reported if it is the last. A service error keeps its
/// response: only the last one is parsed into the operation's typed error.
enum Failure {
    Service(HttpResponse, ErrorMetadata),
    Unreadable(ResponseError),
    Transport(&'static str, TransportError),
    Timeout(&'static str, TimeoutKind),
    Redirect(RedirectError),
    /// The request could not be signed (said before anything was sent).
    Unsigned(String),
}

/// What one attempt's outcome means for the call.
enum Verdict {
    Success(HttpResponse),
    /// Ends the call, whatever attempts are left.
    Final(Failure),
    /// The clock skew was corrected: sign again and send at once.
    SignAgain,
    /// Another attempt may help, after the service's `x-amz-retry-after` if it gave one.
    Retryable(Failure, RetryKind, Option<Duration>),
}

/// The failure that ended a call, after how many attempts.
struct Failed {
    failure: Failure,
    attempts: u32,
}

impl Failed {
    fn after(failure: Failure, attempts: u32) -> Self {
        Failed { failure, attempts }
    }
}

impl Failure {
    fn code(&self) -> Option<&str> {
        match self {
            Failure::Service(_, meta) => meta.code(),
            _ => None,
        }
    }

    fn status(&self) -> u16 {
        match self {
            Failure::Service(response, _) => response.status,
            Failure::Unreadable(error) => error.status,
            _ => 0,
        }
    }

    fn into_sdk_error<O: Operation>(self, attempts: u32) -> SdkError<O::Error> {
        match self {
            Failure::Service(response, meta) => SdkError::Service(ServiceError {
                operation: O::NAME,
                error: O::parse_error(meta.code(), &response, meta.clone()),
                meta,
            }),
            Failure::Unreadable(error) => SdkError::Response(error),
            Failure::Transport(operation, source) => SdkError::Dispatch(DispatchError {
                operation,
                attempts,
                source,
            }),
            Failure::Timeout(operation, kind) => SdkError::Timeout(TimeoutError {
                operation,
                kind,
                attempts,
            }),
            Failure::Redirect(error) => SdkError::Redirect(error),
            Failure::Unsigned(message) => SdkError::InvalidInput(InvalidInputError::new(
                O::NAME,
                InvalidInputKind::Request(message),
            )),
        }
    }
}

/// A successful response as the operation's output. A body in an encoding nobody asked
/// for (the client sends no `Accept-Encoding`) is refused by name instead of being read as
/// garbled JSON.
fn parse_output<O: Operation>(response: &HttpResponse) -> Result<O::Output, SdkError<O::Error>> {
    let unreadable = |message| {
        SdkError::Response(ResponseError {
            operation: O::NAME,
            status: response.status,
            request_id: response.request_id().map(str::to_owned),
            message,
        })
    };
    if let Some(encoding) = response.headers.get(http::header::CONTENT_ENCODING) {
        if !encoding.as_bytes().eq_ignore_ascii_case(b"identity") {
            let encoding = String::from_utf8_lossy(encoding.as_bytes()).into_owned();
            return Err(unreadable(format!(
                "the response body is encoded ({encoding:?}), which was not asked for"
            )));
        }
    }
    O::parse_output(response).map_err(|e| unreadable(e.to_string()))
}

fn redirect_error(operation: &'static str, response: &HttpResponse) -> RedirectError {
    let location_host = response
        .header("location")
        .and_then(|location| location.trim().parse::<http::Uri>().ok())
        .and_then(|uri| uri.host().map(str::to_owned));
    RedirectError {
        operation,
        status: response.status,
        location_host,
        request_id: response.request_id().map(str::to_owned),
    }
}

/// How a transport failure is reported, and whether it is worth another attempt.
fn transport_failure(operation: &'static str, error: TransportError) -> (Failure, RetryKind) {
    match error.kind() {
        TransportErrorKind::Timeout => (
            Failure::Timeout(operation, TimeoutKind::Connect),
            RetryKind::Timeout,
        ),
        kind if kind.is_transient() => (Failure::Transport(operation, error), RetryKind::Timeout),
        TransportErrorKind::BodyTooLarge => {
            let failure = Failure::Unreadable(ResponseError {
                operation,
                status: error.status().unwrap_or_default(),
                request_id: None,
                message: error.to_string(),
            });
            (failure, RetryKind::Never)
        }
        _ => (Failure::Transport(operation, error), RetryKind::Never),
    }
}

fn error_response(operation: &'static str, response: HttpResponse) -> Failure {
    let parts = error_parts(&response);
    let request_id = response.request_id().map(str::to_owned);
    if parts.code.is_none() && !parts.body_is_json {
        // Not the service speaking (an HTML page from a proxy or load balancer).
        let snippet: String = String::from_utf8_lossy(&response.body)
            .chars()
            .take(120)
            .collect();
        return Failure::Unreadable(ResponseError {
            operation,
            status: response.status,
            request_id,
            message: format!("error response is not JSON: {snippet:?}"),
        });
    }
    let meta = ErrorMetadata::new(parts.code, parts.message, response.status, request_id);
    Failure::Service(response, meta)
}

fn record_response(span: &tracing::Span, response: &HttpResponse) {
    span.record("status", response.status);
    if let Some(id) = response.request_id() {
        span.record("request_id", id);
    }
}

/// The error's kind and operation only, for a log line (no message text that could
/// echo a request value).
struct ErrorSummary<'a, E>(&'a SdkError<E>);

impl<E> std::fmt::Display for ErrorSummary<'_, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.0 {
            SdkError::InvalidInput(_) => "invalid input",
            SdkError::Timeout(_) => "timeout",
            SdkError::Dispatch(_) => "dispatch failure",
            SdkError::Response(_) => "unreadable response",
            SdkError::Redirect(_) => "redirect",
            SdkError::Service(e) => e.meta().code().unwrap_or("service error"),
        };
        f.write_str(kind)
    }
}

/// The instant `limit` from now; `None` (no deadline) when that is further than the
/// clock can count, as for `Duration::MAX`: a limit too large to reach is no limit, not
/// an overflow.
fn deadline_after(limit: Duration) -> Option<Instant> {
    Instant::now().checked_add(limit)
}
