//! Client configuration. Building one never panics: what is missing or malformed comes
//! back as a [`ConfigError`] that says what to set.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::ProvideCredentials;
use crate::credentials::DefaultCredentialsChain;
use crate::redact::without_userinfo;
use crate::sigv4::Credentials;
use crate::transport::{HttpTransport, ReqwestTransport, TransportSettings};
use crate::validate::ValidationMode;

/// Default connect timeout, as in the AWS SDKs.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// Default limit for one attempt, from sending the request to the last byte of the
/// response body. A chat call answers in well under a second; ten seconds leaves room
/// for a slow network and a 100-message transcript, and ends a stalled or dripping
/// server early enough for a user to notice and retry.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default limit for a whole call: every attempt and every backoff pause.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

/// Default largest response body, in bytes (16 MiB). The largest legitimate response of
/// the chat API, a 100-item transcript of 16,384-character messages, is at most 6.5 MiB
/// of UTF-8 (about 10 MiB if every character were escaped).
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;

/// Idle connections kept per host by default: enough for a busy client's concurrency,
/// bounded so that a burst (thousands of chat sessions joining at once) does not leave
/// thousands of sockets open.
pub const DEFAULT_MAX_IDLE_CONNECTIONS: usize = 32;

/// Makes idempotency tokens for members the model marks `idempotencyToken`.
pub trait IdempotencyTokenProvider: Send + Sync + fmt::Debug + 'static {
    /// A new token; called once per call that needs one (retries reuse it).
    fn make_token(&self) -> String;
}

/// Random UUIDv4 tokens (`8-4-4-4-12` lowercase hex) from the operating system's CSPRNG
/// (see `random`; a UUID crate would bring a second `getrandom`).
#[derive(Debug, Default, Clone, Copy)]
pub struct UuidTokens;

impl IdempotencyTokenProvider for UuidTokens {
    fn make_token(&self) -> String {
        crate::random::uuid_v4()
    }
}

/// AWS standard retry mode settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (default 3; 1 turns retries off).
    pub max_attempts: u32,
    /// Base of the exponential backoff (default 1 s).
    pub initial_backoff: Duration,
    /// Cap of a single backoff (default 20 s).
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

/// Timeouts; `None` means no limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeoutConfig {
    /// Making the connection, TLS included (default 3.1 s).
    pub connect: Option<Duration>,
    /// One attempt: sending, waiting for the response and reading its body (default 10 s).
    pub attempt: Option<Duration>,
    /// The whole call, retries and backoff included (default 30 s).
    pub operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(DEFAULT_CONNECT_TIMEOUT),
            attempt: Some(DEFAULT_ATTEMPT_TIMEOUT),
            operation: Some(DEFAULT_OPERATION_TIMEOUT),
        }
    }
}

/// Everything a client needs, already checked.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) env_endpoint_url: Option<String>,
    pub(crate) service_endpoint_urls: Vec<(String, String)>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) max_response_body: usize,
    pub(crate) max_idle_connections: usize,
    pub(crate) proxy: Option<String>,
    pub(crate) validation: ValidationMode,
    pub(crate) app_id: Option<String>,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) transport: Arc<dyn HttpTransport>,
    pub(crate) tokens: Arc<dyn IdempotencyTokenProvider>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field(
                "endpoint_url",
                &self.endpoint_url.as_deref().map(without_userinfo),
            )
            .field(
                "env_endpoint_url",
                &self.env_endpoint_url.as_deref().map(without_userinfo),
            )
            .field(
                "service_endpoint_urls",
                &self
                    .service_endpoint_urls
                    .iter()
                    .map(|(service, url)| (service, without_userinfo(url)))
                    .collect::<Vec<_>>(),
            )
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("max_response_body", &self.max_response_body)
            .field("max_idle_connections", &self.max_idle_connections)
            .field("proxy", &self.proxy.as_deref().map(without_userinfo))
            .field("validation", &self.validation)
            .field("app_id", &self.app_id)
            .field("credentials", &self.credentials.is_some())
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A builder with every setting at its default (see [`ConfigBuilder`]).
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder filled from the environment: `AWS_REGION` (else `AWS_DEFAULT_REGION`),
    /// `AWS_ENDPOINT_URL`, every `AWS_ENDPOINT_URL_<SERVICE>` (each client picks its own,
    /// e.g. `AWS_ENDPOINT_URL_CONNECTPARTICIPANT`), `AWS_MAX_ATTEMPTS`,
    /// `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT` and `AWS_SDK_UA_APP_ID`.
    /// Anything can
    /// still be overridden before `build()`.
    pub fn from_env() -> ConfigBuilder {
        Self::from_vars(std::env::vars())
    }

    /// [`Config::from_env`] over the given variables, for tests and embedding.
    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> ConfigBuilder {
        let vars: Vec<(String, String)> = vars.into_iter().collect();
        let mut builder = ConfigBuilder {
            chain: Some(Arc::new(DefaultCredentialsChain::from_vars(vars.clone()))),
            ..ConfigBuilder::default()
        };
        let mut default_region = None;
        for (name, value) in vars {
            if value.trim().is_empty() {
                continue;
            }
            match name.as_str() {
                "AWS_REGION" => builder.region = Some(value),
                "AWS_DEFAULT_REGION" => default_region = Some(value),
                "AWS_ENDPOINT_URL" => builder.env_endpoint_url = Some(value),
                "AWS_MAX_ATTEMPTS" => builder.max_attempts_env = Some(value),
                "AWS_SDK_UA_APP_ID" => builder.app_id = Some(value),
                "AWS_USE_FIPS_ENDPOINT" | "AWS_USE_DUALSTACK_ENDPOINT" => {
                    match value.trim().to_ascii_lowercase().as_str() {
                        "true" | "false" => {
                            let on = value.trim().eq_ignore_ascii_case("true");
                            if name == "AWS_USE_FIPS_ENDPOINT" {
                                builder.use_fips = on;
                            } else {
                                builder.use_dual_stack = on;
                            }
                        }
                        _ => {
                            builder.env_error =
                                Some(format!("{name} must be true or false, found {value:?}"))
                        }
                    }
                }
                _ => {
                    if let Some(service) = name.strip_prefix("AWS_ENDPOINT_URL_") {
                        builder
                            .service_endpoint_urls
                            .push((service.to_owned(), value));
                    }
                }
            }
        }
        builder.region = builder.region.or(default_region);
        builder.service_endpoint_urls.sort();
        builder
    }

    /// The endpoint URL for one service: the one set on the builder, else
    /// `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`. `service_env_name` is the
    /// service id upper-cased with `_` for spaces, e.g. `CONNECTPARTICIPANT`.
    pub fn endpoint_url_for(&self, service_env_name: &str) -> Option<&str> {
        self.endpoint_url
            .as_deref()
            .or_else(|| {
                self.service_endpoint_urls
                    .iter()
                    .find(|(service, _)| service == service_env_name)
                    .map(|(_, url)| url.as_str())
            })
            .or(self.env_endpoint_url.as_deref())
    }

    /// The AWS region calls go to, as set or read from `AWS_REGION`.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint URL set on the builder, which replaces the endpoint rules.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether the endpoint rules pick FIPS endpoints.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether the endpoint rules pick dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// How failed attempts are retried.
    pub fn retry(&self) -> RetryConfig {
        self.retry
    }

    /// The connect, attempt and operation time limits.
    pub fn timeouts(&self) -> TimeoutConfig {
        self.timeouts
    }

    /// The largest response body the default transport reads, in bytes.
    pub fn max_response_body(&self) -> usize {
        self.max_response_body
    }

    /// The HTTP proxy every request goes through, as set with
    /// [`ConfigBuilder::proxy`] (user-info included: keep it out of logs); `None` when
    /// requests go directly.
    pub fn proxy(&self) -> Option<&str> {
        self.proxy.as_deref()
    }

    /// The most idle connections the default transport keeps per host.
    pub fn max_idle_connections(&self) -> usize {
        self.max_idle_connections
    }

    /// How inputs are checked against the model before they are sent.
    pub fn validation(&self) -> ValidationMode {
        self.validation
    }

    /// The application id the user agent carries, if any.
    pub fn app_id(&self) -> Option<&str> {
        self.app_id.as_deref()
    }

    pub(crate) fn make_token(&self) -> String {
        self.tokens.make_token()
    }
}

/// Builds a [`Config`]. Every setting has a sensible default except the region (or an
/// explicit endpoint URL), which `build()` asks for by name.
#[derive(Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint_url: Option<String>,
    env_endpoint_url: Option<String>,
    service_endpoint_urls: Vec<(String, String)>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: RetryConfig,
    max_attempts_env: Option<String>,
    max_attempts_set: bool,
    /// An environment variable `from_env` could not read, reported by `build()`.
    env_error: Option<String>,
    timeouts: TimeoutConfig,
    max_response_body: Option<usize>,
    max_idle_connections: Option<usize>,
    proxy: Option<String>,
    validation: ValidationMode,
    app_id: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    /// The default chain, over the variables `from_vars` read.
    chain: Option<Arc<DefaultCredentialsChain>>,
    transport: Option<Arc<dyn HttpTransport>>,
    tokens: Option<Arc<dyn IdempotencyTokenProvider>>,
}

impl ConfigBuilder {
    /// The AWS region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every request to this URL instead of the resolved endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Asks the endpoint rules for a FIPS endpoint (default: `AWS_USE_FIPS_ENDPOINT`, else
    /// `false`).
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = use_fips;
        self
    }

    /// Asks the endpoint rules for a dual-stack endpoint (default:
    /// `AWS_USE_DUALSTACK_ENDPOINT`, else `false`).
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = use_dual_stack;
        self
    }

    /// Attempts in all (default 3); 1 turns retries off.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts;
        self.max_attempts_set = true;
        self
    }

    /// Backoff base and cap (defaults 1 s and 20 s).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.retry.initial_backoff = initial;
        self.retry.max_backoff = max;
        self
    }

    /// Limit for making a connection, TLS included (default 3.1 s); `None` for none.
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeouts.connect = timeout.into();
        self
    }

    /// Limit for one attempt, from sending to the last byte of the response body
    /// (default 10 s); `None` for none. A timed-out attempt is retried.
    pub fn attempt_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeouts.attempt = timeout.into();
        self
    }

    /// Limit for the whole operation, retries and backoff included (default 30 s);
    /// `None` for none.
    pub fn operation_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeouts.operation = timeout.into();
        self
    }

    /// The largest response body read, in bytes (default 16 MiB). A larger body fails
    /// the call with [`SdkError::Response`](crate::SdkError::Response) and is not
    /// retried; error responses are read up to 1 MiB at most.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// Keeps at most `connections` idle connections per host (default
    /// [`DEFAULT_MAX_IDLE_CONNECTIONS`]); 0 keeps none.
    pub fn max_idle_connections(mut self, connections: usize) -> Self {
        self.max_idle_connections = Some(connections);
        self
    }

    /// Sends every request through this HTTP proxy (`http://proxy.example:3128`; HTTPS
    /// requests tunnel through it with `CONNECT`). Without it the client connects
    /// directly: `HTTPS_PROXY`, `HTTP_PROXY` and `ALL_PROXY` are never read, so no
    /// environment can route the bearer token through a host the code did not name.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// How much inputs are checked before sending (default [`ValidationMode::Full`]).
    pub fn validation(mut self, mode: ValidationMode) -> Self {
        self.validation = mode;
        self
    }

    /// Replaces the HTTP transport (default: reqwest over rustls).
    pub fn http_transport(mut self, transport: impl HttpTransport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Signs with these credentials (operations that sign: SigV4), in place of the
    /// default chain that [`Config::from_env`] sets up.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// Signs with the credentials `provider` gives (asked once per call that signs), in
    /// place of the default chain that [`Config::from_env`] sets up.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// An application id added to the user agent (`app/ID`), so that AWS can attribute
    /// traffic to your application (default: `AWS_SDK_UA_APP_ID`). At most 50 characters,
    /// each a letter, digit or one of ``!#$%&'*+-.^_`|~``; `build()` refuses others.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Replaces the idempotency token generator (default: random UUIDv4).
    pub fn idempotency_tokens(mut self, tokens: impl IdempotencyTokenProvider) -> Self {
        self.tokens = Some(Arc::new(tokens));
        self
    }

    /// The configuration, or an error naming the setting or environment variable that is
    /// not valid.
    pub fn build(self) -> Result<Config, ConfigError> {
        if let Some(message) = &self.env_error {
            return Err(ConfigError {
                message: message.clone(),
            });
        }
        let retry = self.retry_config()?;
        self.check_region()?;
        if let Some(app_id) = &self.app_id {
            check_app_id(app_id)?;
        }
        let urls = self.endpoint_url.iter().chain(&self.env_endpoint_url);
        for url in urls.chain(self.service_endpoint_urls.iter().map(|(_, url)| url)) {
            check_endpoint_url(url)?;
        }
        let max_response_body = self.max_response_body.unwrap_or(DEFAULT_MAX_RESPONSE_BODY);
        let max_idle_connections = self
            .max_idle_connections
            .unwrap_or(DEFAULT_MAX_IDLE_CONNECTIONS);
        let transport = match self.transport {
            Some(transport) => transport,
            None => Arc::new(
                ReqwestTransport::new(&TransportSettings {
                    connect_timeout: self.timeouts.connect,
                    max_response_body,
                    proxy: self.proxy.clone(),
                    max_idle_connections,
                })
                .map_err(|message| ConfigError { message })?,
            ),
        };
        Ok(Config {
            region: self.region,
            endpoint_url: self
                .endpoint_url
                .map(|u| u.trim_end_matches('/').to_owned()),
            env_endpoint_url: self
                .env_endpoint_url
                .map(|u| u.trim_end_matches('/').to_owned()),
            service_endpoint_urls: self
                .service_endpoint_urls
                .into_iter()
                .map(|(service, url)| (service, url.trim_end_matches('/').to_owned()))
                .collect(),
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            retry,
            timeouts: self.timeouts,
            max_response_body,
            max_idle_connections,
            proxy: self.proxy,
            validation: self.validation,
            app_id: self.app_id,
            credentials: self
                .credentials
                .or_else(|| self.chain.map(|chain| chain as Arc<dyn ProvideCredentials>)),
            transport,
            tokens: self.tokens.unwrap_or_else(|| Arc::new(UuidTokens)),
        })
    }

    /// The retry settings, `AWS_MAX_ATTEMPTS` applied unless `max_attempts` was set.
    fn retry_config(&self) -> Result<RetryConfig, ConfigError> {
        let mut retry = self.retry;
        if let (Some(raw), false) = (&self.max_attempts_env, self.max_attempts_set) {
            retry.max_attempts = raw.trim().parse().map_err(|_| ConfigError {
                message: format!(
                    "AWS_MAX_ATTEMPTS must be a whole number of at least 1, found {raw:?}"
                ),
            })?;
        }
        if retry.max_attempts == 0 {
            return Err(ConfigError {
                message: "max_attempts must be at least 1 (1 turns retries off)".to_owned(),
            });
        }
        Ok(retry)
    }

    /// A region is needed unless an endpoint URL is given, and must look like one.
    fn check_region(&self) -> Result<(), ConfigError> {
        let any_endpoint = self.endpoint_url.is_some()
            || self.env_endpoint_url.is_some()
            || !self.service_endpoint_urls.is_empty();
        let Some(region) = &self.region else {
            if any_endpoint {
                return Ok(());
            }
            return Err(ConfigError {
                message: "no region: set one with Config::builder().region(\"us-east-1\") or the AWS_REGION \
                          environment variable, or give an endpoint_url"
                    .to_owned(),
            });
        };
        let valid = !region.is_empty()
            && region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !region.starts_with('-');
        if valid {
            Ok(())
        } else {
            Err(ConfigError {
                message: format!(
                    "region {region:?} is not a valid region name (like \"us-east-1\")"
                ),
            })
        }
    }
}

/// The user agent's `app/ID` must stay one token: RFC 9110 token characters, as the AWS
/// SDKs require, and at most 50 of them.
fn check_app_id(app_id: &str) -> Result<(), ConfigError> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if app_id.is_empty() || app_id.chars().count() > 50 || !app_id.chars().all(token) {
        return Err(ConfigError {
            message: format!(
                "app id {app_id:?} (app_id or AWS_SDK_UA_APP_ID) must be 1 to 50 letters, digits or !#$%&'*+-.^_`|~"
            ),
        });
    }
    Ok(())
}

fn check_endpoint_url(url: &str) -> Result<(), ConfigError> {
    let bad = |why: &str| ConfigError {
        message: format!(
            "endpoint_url {:?} is not usable: {why} (expected like \"https://example.com\")",
            without_userinfo(url)
        ),
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| bad("it must start with https:// or http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return Err(bad("it has no host"));
    }
    if rest.contains(['?', '#']) {
        return Err(bad("it must not have a query or fragment"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it contains whitespace or control characters"));
    }
    Ok(())
}

/// A configuration that cannot work, and what to set instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl From<crate::endpoint::EndpointError> for ConfigError {
    fn from(error: crate::endpoint::EndpointError) -> Self {
        ConfigError {
            message: format!("{error} (check region, use_fips, use_dual_stack and endpoint_url)"),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_tokens_are_version_4_uuids_and_differ() {
        assert_eq!(
            crate::random::uuid_v4_text([0xff; 16]),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        assert_eq!(
            crate::random::uuid_v4_text([0; 16]),
            "00000000-0000-4000-8000-000000000000"
        );
        let tokens: std::collections::BTreeSet<String> =
            (0..1000).map(|_| UuidTokens.make_token()).collect();
        assert_eq!(tokens.len(), 1000);
        for token in &tokens {
            let groups: Vec<usize> = token.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{token}");
            assert_eq!(token.as_bytes()[14], b'4', "{token}");
            assert!(
                matches!(token.as_bytes()[19], b'8' | b'9' | b'a' | b'b'),
                "{token}"
            );
            assert!(token
                .bytes()
                .all(|b| b == b'-' || b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        }
    }

    #[test]
    fn fips_and_dual_stack_come_from_the_environment() {
        let vars = |fips: &str, dual: &str| {
            vec![
                ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
                ("AWS_USE_FIPS_ENDPOINT".to_owned(), fips.to_owned()),
                ("AWS_USE_DUALSTACK_ENDPOINT".to_owned(), dual.to_owned()),
            ]
        };
        let config = Config::from_vars(vars("TRUE", "false")).build().unwrap();
        assert!(config.use_fips() && !config.use_dual_stack());
        let config = Config::from_vars(vars("false", "true")).build().unwrap();
        assert!(!config.use_fips() && config.use_dual_stack());
        // The builder still has the last word.
        let config = Config::from_vars(vars("true", "true"))
            .use_fips(false)
            .build()
            .unwrap();
        assert!(!config.use_fips());
        let error = Config::from_vars(vars("yes", "false")).build().unwrap_err();
        assert!(
            error.to_string().contains("AWS_USE_FIPS_ENDPOINT"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_region_says_what_to_set() {
        let error = Config::builder().build().unwrap_err().to_string();
        assert!(error.contains("AWS_REGION"), "{error}");
        assert!(error.contains(".region("), "{error}");
    }

    #[test]
    fn a_bad_endpoint_url_is_an_error() {
        for url in ["localhost:8080", "https://", "https://a b", "https://x?y=1"] {
            let error = Config::builder()
                .region("us-east-1")
                .endpoint_url(url)
                .build();
            assert!(error.is_err(), "{url} accepted");
        }
    }

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn environment_is_read_with_service_specific_endpoint_first() {
        let env = vars(&[
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL", "https://general.example"),
            (
                "AWS_ENDPOINT_URL_CONNECTPARTICIPANT",
                "https://specific.example/",
            ),
            ("AWS_MAX_ATTEMPTS", "5"),
            ("HOME", "/root"),
        ]);
        let config = Config::from_vars(env.clone()).build().unwrap();
        assert_eq!(config.region(), Some("eu-west-1"));
        assert_eq!(
            config.endpoint_url_for("CONNECTPARTICIPANT"),
            Some("https://specific.example")
        );
        assert_eq!(
            config.endpoint_url_for("SSO"),
            Some("https://general.example")
        );
        assert_eq!(config.retry().max_attempts, 5);
        // What the code sets wins over the environment.
        let config = Config::from_vars(env)
            .endpoint_url("https://code.example")
            .max_attempts(2)
            .build()
            .unwrap();
        assert_eq!(
            config.endpoint_url_for("CONNECTPARTICIPANT"),
            Some("https://code.example")
        );
        assert_eq!(config.retry().max_attempts, 2);
        let config = Config::from_vars(vars(&[
            ("AWS_REGION", "us-west-2"),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
        ]))
        .build()
        .unwrap();
        assert_eq!(config.region(), Some("us-west-2"));
    }

    #[test]
    fn a_bad_max_attempts_variable_is_an_error() {
        let env = vars(&[("AWS_REGION", "us-east-1"), ("AWS_MAX_ATTEMPTS", "many")]);
        let error = Config::from_vars(env).build().unwrap_err().to_string();
        assert!(error.contains("AWS_MAX_ATTEMPTS"), "{error}");
    }

    #[test]
    fn a_bad_endpoint_variable_is_an_error() {
        let env = vars(&[
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL_SSO", "not a url"),
        ]);
        assert!(Config::from_vars(env).build().is_err());
    }

    #[test]
    fn debug_of_config_is_safe_to_log() {
        let config = Config::builder().region("us-east-1").build().unwrap();
        assert!(format!("{config:?}").contains("us-east-1"));
    }
}
