//! The default credentials chain, in the order the AWS SDKs use: environment variables,
//! the shared `config` and `credentials` files (a profile's keys, its
//! `credential_process`, or a role it assumes), a web identity token, container
//! credentials (ECS, EKS Pod Identity), then EC2
//! instance metadata (IMDSv2). Temporary credentials are cached and refreshed five
//! minutes before they expire, one refresh at a time.
//!
//! A profile may assume a role (`role_arn`, with `source_profile`, `credential_source` or
//! `web_identity_token_file`: STS `AssumeRole` or `AssumeRoleWithWebIdentity`), and
//! `AWS_WEB_IDENTITY_TOKEN_FILE` with `AWS_ROLE_ARN` assumes one with a web identity
//! token (EKS service accounts), after the profile and before the container.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use percent_encoding::utf8_percent_encode;
use serde::Deserialize;

use crate::auth::{CredentialsError, ProvideCredentials};
use crate::sigv4::Credentials;
use crate::transport::{HttpRequest, HttpTransport, ReqwestTransport, TransportSettings};

/// Cached credentials are refreshed this long before they expire.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// How long an STS call (assuming a role) may take.
pub const STS_TIMEOUT: Duration = Duration::from_secs(10);

/// At most this many roles are chained through `source_profile`.
const MAX_ROLE_CHAIN: usize = 5;

/// What a form body leaves as it is (RFC 3986 unreserved).
const FORM: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The future of a credentials source that may have nothing to give.
type CredentialsFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, CredentialsError>> + Send + 'a>>;

/// How long each request to the container or instance metadata endpoint may take: they
/// answer at once, or the service is not there.
pub const METADATA_TIMEOUT: Duration = Duration::from_secs(1);

/// The chain. `Config::from_env()` uses it; build one over other variables with
/// [`DefaultCredentialsChain::from_vars`]. Its `Debug` names the variables it holds,
/// never their values.
pub struct DefaultCredentialsChain {
    vars: HashMap<String, String>,
    cache: tokio::sync::Mutex<Option<Credentials>>,
}

impl std::fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self
            .vars
            .keys()
            .map(String::as_str)
            .filter(|name| name.starts_with("AWS_"))
            .collect();
        names.sort_unstable();
        f.debug_struct("DefaultCredentialsChain")
            .field("variables", &names)
            .finish_non_exhaustive()
    }
}

impl DefaultCredentialsChain {
    /// A chain reading these variables (and the files they name).
    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Self {
        DefaultCredentialsChain {
            vars: vars
                .into_iter()
                .filter(|(_, value)| !value.trim().is_empty())
                .collect(),
            cache: tokio::sync::Mutex::new(None),
        }
    }

    fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Every source in order; the first that has credentials wins. The error names the
    /// sources tried.
    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        if let Some(found) = env_keys(self) {
            return Ok(found);
        }
        tried.push("environment variables".to_owned());
        if let Some(found) = self.profile(&mut tried).await? {
            return Ok(found);
        }
        if let Some(found) = self.web_identity_from_env(&mut tried).await? {
            return Ok(found);
        }
        if let Some(found) = self.container(&mut tried).await? {
            return Ok(found);
        }
        if let Some(found) = self.instance_metadata(&mut tried).await? {
            return Ok(found);
        }
        Err(CredentialsError::new(format!(
            "no credentials to sign with (sources tried: {})",
            tried.join(", ")
        )))
    }

    fn home(&self) -> Option<PathBuf> {
        self.var("HOME")
            .or_else(|| self.var("USERPROFILE"))
            .map(PathBuf::from)
    }

    /// A profile's settings: its `config` section, overridden by its `credentials` one.
    fn load_profile(&self, name: &str) -> HashMap<String, String> {
        let config_path = self
            .var("AWS_CONFIG_FILE")
            .map(PathBuf::from)
            .or_else(|| self.home().map(|h| h.join(".aws/config")));
        let credentials_path = self
            .var("AWS_SHARED_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .or_else(|| self.home().map(|h| h.join(".aws/credentials")));
        let mut profile: HashMap<String, String> = HashMap::new();
        let config_section = if name == "default" {
            "default".to_owned()
        } else {
            format!("profile {name}")
        };
        if let Some(text) = config_path.and_then(|p| std::fs::read_to_string(p).ok()) {
            profile.extend(ini_section(&text, &config_section));
        }
        if let Some(text) = credentials_path.and_then(|p| std::fs::read_to_string(p).ok()) {
            profile.extend(ini_section(&text, name));
        }
        profile
    }

    /// The `AWS_PROFILE` (or `default`) profile's credentials.
    async fn profile(
        &self,
        tried: &mut Vec<String>,
    ) -> Result<Option<Credentials>, CredentialsError> {
        let name = self.var("AWS_PROFILE").unwrap_or("default").to_owned();
        tried.push(format!(
            "profile {name:?} of the shared config and credentials files"
        ));
        self.profile_credentials(&name, 0).await
    }

    /// A profile's credentials: a role it assumes (with the credentials of its
    /// `source_profile`, its `credential_source` or its web identity token), else its
    /// keys, else what its `credential_process` prints.
    fn profile_credentials<'a>(
        &'a self,
        name: &'a str,
        depth: usize,
    ) -> CredentialsFuture<'a, Option<Credentials>> {
        Box::pin(async move {
            let profile = self.load_profile(name);
            let keys = static_keys(&profile);
            let Some(role) = profile.get("role_arn") else {
                if keys.is_some() {
                    return Ok(keys);
                }
                return match profile.get("credential_process") {
                    Some(command) => credential_process(command).await.map(Some),
                    None => Ok(None),
                };
            };
            if depth >= MAX_ROLE_CHAIN {
                return Err(CredentialsError::new(format!(
                    "profile {name:?}: source_profile chains more than {MAX_ROLE_CHAIN} roles (a loop?)"
                )));
            }
            let session = profile
                .get("role_session_name")
                .cloned()
                .unwrap_or_else(session_name);
            let region = profile.get("region").map(String::as_str);
            if let Some(token_file) = profile.get("web_identity_token_file") {
                return self
                    .web_identity(role, &session, token_file, region)
                    .await
                    .map(Some);
            }
            let source = match (
                profile.get("source_profile"),
                profile.get("credential_source"),
            ) {
                // A profile that is its own source uses its keys.
                (Some(source), _) if source == name => keys,
                (Some(source), _) => self.profile_credentials(source, depth + 1).await?,
                (None, Some(kind)) => self.credential_source(kind).await?,
                (None, None) => None,
            };
            let source = source.ok_or_else(|| {
                CredentialsError::new(format!(
                    "profile {name:?} assumes role {role} but its source_profile or \
                     credential_source gives no credentials"
                ))
            })?;
            let mut params = vec![
                ("Action", "AssumeRole"),
                ("RoleArn", role.as_str()),
                ("RoleSessionName", session.as_str()),
            ];
            if let Some(external) = profile.get("external_id") {
                params.push(("ExternalId", external));
            }
            self.sts(&params, Some(&source), region).await.map(Some)
        })
    }

    /// A profile's `credential_source`: where the credentials to assume its role with
    /// come from.
    async fn credential_source(&self, kind: &str) -> Result<Option<Credentials>, CredentialsError> {
        let mut tried = Vec::new();
        match kind {
            "Environment" => Ok(env_keys(self)),
            "EcsContainer" => self.container(&mut tried).await,
            "Ec2InstanceMetadata" => self.instance_metadata(&mut tried).await,
            other => Err(CredentialsError::new(format!(
                "credential_source {other:?} is not one of Environment, EcsContainer, Ec2InstanceMetadata"
            ))),
        }
    }

    /// `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`: the role assumed with the token.
    async fn web_identity_from_env(
        &self,
        tried: &mut Vec<String>,
    ) -> Result<Option<Credentials>, CredentialsError> {
        let (Some(file), Some(role)) = (
            self.var("AWS_WEB_IDENTITY_TOKEN_FILE"),
            self.var("AWS_ROLE_ARN"),
        ) else {
            return Ok(None);
        };
        tried.push("web identity (AWS_WEB_IDENTITY_TOKEN_FILE)".to_owned());
        let session = self
            .var("AWS_ROLE_SESSION_NAME")
            .map_or_else(session_name, str::to_owned);
        self.web_identity(role, &session, file, None)
            .await
            .map(Some)
    }

    /// STS `AssumeRoleWithWebIdentity` (not signed: the token is the proof).
    async fn web_identity(
        &self,
        role: &str,
        session: &str,
        token_file: &str,
        region: Option<&str>,
    ) -> Result<Credentials, CredentialsError> {
        let token = std::fs::read_to_string(token_file)
            .map_err(|e| CredentialsError::new(format!("web identity token file: {}", e.kind())))?;
        let params = [
            ("Action", "AssumeRoleWithWebIdentity"),
            ("RoleArn", role),
            ("RoleSessionName", session),
            ("WebIdentityToken", token.trim()),
        ];
        self.sts(&params, None, region).await
    }

    /// One STS call (Query protocol: a form body, an XML answer), signed with `signer`
    /// when given; bounded in time and size. The error carries STS's code and message.
    async fn sts(
        &self,
        params: &[(&str, &str)],
        signer: Option<&Credentials>,
        profile_region: Option<&str>,
    ) -> Result<Credentials, CredentialsError> {
        let region = self
            .var("AWS_REGION")
            .or_else(|| self.var("AWS_DEFAULT_REGION"))
            .or(profile_region)
            .unwrap_or("us-east-1");
        let endpoint = self
            .var("AWS_ENDPOINT_URL_STS")
            .or_else(|| self.var("AWS_ENDPOINT_URL"))
            .map_or_else(
                || format!("https://sts.{region}.amazonaws.com"),
                str::to_owned,
            );
        let mut body = String::from("Version=2011-06-15");
        for (name, value) in params {
            body.push('&');
            body.push_str(name);
            body.push('=');
            body.extend(utf8_percent_encode(value, FORM));
        }
        let mut request = HttpRequest {
            method: Method::POST,
            url: format!("{}/", endpoint.trim_end_matches('/')),
            headers: HeaderMap::new(),
            body: Bytes::from(body),
            operation: None,
        };
        request.headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"),
        );
        if let Some(credentials) = signer {
            let params =
                crate::sigv4::SigningParams::new(credentials, region, "sts", SystemTime::now());
            crate::sigv4::sign(&mut request, &params)
                .map_err(|e| CredentialsError::new(format!("STS: {e}")))?;
        }
        let transport = ReqwestTransport::new(&TransportSettings {
            connect_timeout: Some(Duration::from_millis(3100)),
            max_response_body: 64 * 1024,
            proxy: None,
            max_idle_connections: 0,
        })
        .map_err(|e| CredentialsError::new(format!("STS: {e}")))?;
        let response = tokio::time::timeout(STS_TIMEOUT, transport.send(request))
            .await
            .map_err(|_| CredentialsError::new(format!("STS: no answer within {STS_TIMEOUT:?}")))?
            .map_err(|e| CredentialsError::new(format!("STS: {e}")))?;
        let text = String::from_utf8_lossy(&response.body);
        if !(200..300).contains(&response.status) {
            let code = xml_text(&text, "Code").unwrap_or_default();
            let message = xml_text(&text, "Message").unwrap_or_default();
            return Err(CredentialsError::new(format!(
                "STS {} failed: HTTP {} {code} {message}",
                params.first().map_or("", |(_, action)| action),
                response.status
            )));
        }
        let field = |tag: &str| {
            xml_text(&text, tag)
                .ok_or_else(|| CredentialsError::new(format!("STS answered without {tag}")))
        };
        let mut credentials = Credentials::new(field("AccessKeyId")?, field("SecretAccessKey")?)
            .with_session_token(field("SessionToken")?);
        if let Some(expiry) = xml_text(&text, "Expiration")
            .as_deref()
            .and_then(crate::DateTime::parse_iso8601)
        {
            let seconds = u64::try_from(expiry.secs()).unwrap_or(0);
            credentials =
                credentials.with_expiry(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds));
        }
        Ok(credentials)
    }

    /// ECS and EKS Pod Identity: a local endpoint that hands out the task's or pod's
    /// credentials.
    async fn container(
        &self,
        tried: &mut Vec<String>,
    ) -> Result<Option<Credentials>, CredentialsError> {
        let url = match (
            self.var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
            self.var("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        ) {
            (Some(relative), _) => format!("http://169.254.170.2{relative}"),
            (None, Some(full)) => {
                check_container_url(full)?;
                full.to_owned()
            }
            (None, None) => return Ok(None),
        };
        tried.push("container credentials".to_owned());
        let token = match (
            self.var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
            self.var("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        ) {
            (Some(file), _) => Some(
                std::fs::read_to_string(file)
                    .map_err(|e| CredentialsError::new(format!("container token file: {e}")))?
                    .trim()
                    .to_owned(),
            ),
            (None, token) => token.map(str::to_owned),
        };
        let mut headers = HeaderMap::new();
        if let Some(token) = token {
            let mut value = HeaderValue::try_from(token).map_err(|_| {
                CredentialsError::new("the container authorization token is not a header value")
            })?;
            value.set_sensitive(true);
            headers.insert(http::header::AUTHORIZATION, value);
        }
        let body = get(Method::GET, &url, headers, "container credentials").await?;
        parse_credentials_json(&body, "container credentials").map(Some)
    }

    /// EC2 instance metadata, IMDSv2: a session token first, then the role's
    /// credentials. Off with `AWS_EC2_METADATA_DISABLED=true`.
    async fn instance_metadata(
        &self,
        tried: &mut Vec<String>,
    ) -> Result<Option<Credentials>, CredentialsError> {
        if self
            .var("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return Ok(None);
        }
        tried.push("EC2 instance metadata".to_owned());
        let base = self
            .var("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .unwrap_or("http://169.254.169.254")
            .trim_end_matches('/')
            .to_owned();
        let mut ttl = HeaderMap::new();
        ttl.insert(
            "x-aws-ec2-metadata-token-ttl-seconds",
            HeaderValue::from_static("21600"),
        );
        // Not on EC2 (nothing answers): the chain ends here, quietly.
        let Ok(token) = get(
            Method::PUT,
            &format!("{base}/latest/api/token"),
            ttl,
            "instance metadata",
        )
        .await
        else {
            return Ok(None);
        };
        let mut headers = HeaderMap::new();
        let mut value = HeaderValue::from_bytes(token.trim_ascii())
            .map_err(|_| CredentialsError::new("instance metadata: an unusable session token"))?;
        value.set_sensitive(true);
        headers.insert("x-aws-ec2-metadata-token", value);
        let path = format!("{base}/latest/meta-data/iam/security-credentials/");
        let roles = get(Method::GET, &path, headers.clone(), "instance metadata").await?;
        let role = String::from_utf8_lossy(&roles)
            .lines()
            .next()
            .map(str::trim)
            .filter(|r| !r.is_empty() && !r.contains(['/', '?', '#']))
            .ok_or_else(|| {
                CredentialsError::new("instance metadata: no IAM role on this instance")
            })?
            .to_owned();
        let body = get(
            Method::GET,
            &format!("{path}{role}"),
            headers,
            "instance metadata",
        )
        .await?;
        parse_credentials_json(&body, "instance metadata").map(Some)
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> crate::auth::CredentialsFuture<'_> {
        Box::pin(async move {
            // One refresh at a time: callers wait for the one under way.
            let mut cache = self.cache.lock().await;
            if let Some(cached) = cache.as_ref().filter(|c| fresh(c)) {
                return Ok(cached.clone());
            }
            let credentials = self.resolve().await?;
            *cache = Some(credentials.clone());
            Ok(credentials)
        })
    }
}

/// A profile's static keys, if it has them.
fn static_keys(profile: &HashMap<String, String>) -> Option<Credentials> {
    let id = profile.get("aws_access_key_id")?;
    let secret = profile.get("aws_secret_access_key")?;
    let credentials = Credentials::new(id, secret);
    Some(match profile.get("aws_session_token") {
        Some(token) => credentials.with_session_token(token),
        None => credentials,
    })
}

/// The keys of `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
fn env_keys(chain: &DefaultCredentialsChain) -> Option<Credentials> {
    let credentials = Credentials::new(
        chain.var("AWS_ACCESS_KEY_ID")?,
        chain.var("AWS_SECRET_ACCESS_KEY")?,
    );
    Some(match chain.var("AWS_SESSION_TOKEN") {
        Some(token) => credentials.with_session_token(token),
        None => credentials,
    })
}

/// A role session's name when none is configured.
fn session_name() -> String {
    let seconds = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("awsgen-{seconds}")
}

/// The text of the first `<tag>` of an XML document, entities decoded.
fn xml_text(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    let text = xml[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    Some(text.trim().to_owned())
}

/// Whether credentials may still be used (long-term ones always).
fn fresh(credentials: &Credentials) -> bool {
    credentials
        .expiry()
        .is_none_or(|expiry| SystemTime::now() + REFRESH_BEFORE_EXPIRY < expiry)
}

/// The keys of section `[name]` of an INI file (`#`/`;` comments; keys lower-cased).
fn ini_section(text: &str, name: &str) -> HashMap<String, String> {
    let mut values = HashMap::new();
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = section.trim() == name;
            continue;
        }
        if let (true, Some((key, value))) = (inside, line.split_once('=')) {
            values.insert(key.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    values
}

/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` may only name a local or link-local host (the
/// ECS and EKS agents): credentials are never fetched from elsewhere.
fn check_container_url(url: &str) -> Result<(), CredentialsError> {
    let uri = http::Uri::try_from(url)
        .map_err(|_| CredentialsError::new("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL"))?;
    let host = uri
        .host()
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let allowed = host == "localhost"
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| {
            ip.is_loopback()
                || ip == std::net::IpAddr::from([169, 254, 170, 2])
                || ip == std::net::IpAddr::from([169, 254, 170, 23])
                || ip == "fd00:ec2::23".parse::<std::net::IpAddr>().unwrap_or(ip)
        });
    let https = uri.scheme_str() == Some("https");
    if allowed || https {
        Ok(())
    } else {
        Err(CredentialsError::new(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or name a loopback or container agent address",
        ))
    }
}

/// The credentials JSON the container and instance metadata endpoints answer with.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CredentialsJson {
    access_key_id: String,
    secret_access_key: String,
    token: Option<String>,
    session_token: Option<String>,
    expiration: Option<String>,
}

fn parse_credentials_json(body: &[u8], source: &str) -> Result<Credentials, CredentialsError> {
    let json: CredentialsJson = serde_json::from_slice(body).map_err(|_| {
        CredentialsError::new(format!("{source}: the answer is not credentials JSON"))
    })?;
    let mut credentials = Credentials::new(json.access_key_id, json.secret_access_key);
    if let Some(token) = json.token.or(json.session_token) {
        credentials = credentials.with_session_token(token);
    }
    if let Some(expiration) = json.expiration {
        let time = crate::DateTime::parse_iso8601(&expiration)
            .ok_or_else(|| CredentialsError::new(format!("{source}: an unreadable Expiration")))?;
        let seconds = u64::try_from(time.secs()).unwrap_or(0);
        credentials =
            credentials.with_expiry(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds));
    }
    Ok(credentials)
}

/// One bounded request to a metadata endpoint (no retries, no proxy, 64 KiB at most).
async fn get(
    method: Method,
    url: &str,
    headers: HeaderMap,
    source: &str,
) -> Result<Bytes, CredentialsError> {
    let transport = ReqwestTransport::new(&TransportSettings {
        connect_timeout: Some(METADATA_TIMEOUT),
        max_response_body: 64 * 1024,
        proxy: None,
        max_idle_connections: 0,
    })
    .map_err(|e| CredentialsError::new(format!("{source}: {e}")))?;
    let request = HttpRequest {
        method,
        url: url.to_owned(),
        headers,
        body: Bytes::new(),
        operation: None,
    };
    let response = tokio::time::timeout(METADATA_TIMEOUT, transport.send(request))
        .await
        .map_err(|_| {
            CredentialsError::new(format!("{source}: no answer within {METADATA_TIMEOUT:?}"))
        })?
        .map_err(|e| CredentialsError::new(format!("{source}: {e}")))?;
    if !(200..300).contains(&response.status) {
        return Err(CredentialsError::new(format!(
            "{source}: HTTP {}",
            response.status
        )));
    }
    Ok(response.body)
}

/// Runs a profile's `credential_process` (no shell: the command split on whitespace,
/// bounded in time) and reads the JSON it prints (`Version` 1).
async fn credential_process(command: &str) -> Result<Credentials, CredentialsError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Output {
        version: u32,
        #[serde(flatten)]
        credentials: serde_json::Value,
    }
    let mut words = command.split_whitespace();
    let program = words
        .next()
        .ok_or_else(|| CredentialsError::new("credential_process is empty"))?
        .to_owned();
    let args: Vec<String> = words.map(str::to_owned).collect();
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new(&program)
            .args(&args)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
    });
    let output = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .map_err(|_| CredentialsError::new("credential_process took more than 60 s"))?
        .map_err(|_| CredentialsError::new("credential_process could not be run"))?
        .map_err(|e| {
            CredentialsError::new(format!("credential_process could not be run: {}", e.kind()))
        })?;
    if !output.status.success() {
        return Err(CredentialsError::new(format!(
            "credential_process failed ({})",
            output.status
        )));
    }
    let parsed: Output = serde_json::from_slice(&output.stdout)
        .map_err(|_| CredentialsError::new("credential_process printed no credentials JSON"))?;
    if parsed.version != 1 {
        return Err(CredentialsError::new(format!(
            "credential_process printed Version {}, not 1",
            parsed.version
        )));
    }
    parse_credentials_json(
        parsed.credentials.to_string().as_bytes(),
        "credential_process",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_sections_are_read_with_comments_and_case() {
        let text = "# comment\n[default]\naws_access_key_id = A\n\n[profile dev]\n; note\nAWS_Secret_Access_Key=B \n[other]\nx=y";
        assert_eq!(ini_section(text, "default")["aws_access_key_id"], "A");
        assert_eq!(
            ini_section(text, "profile dev")["aws_secret_access_key"],
            "B"
        );
        assert!(ini_section(text, "missing").is_empty());
    }

    #[test]
    fn the_container_endpoint_must_be_local() {
        assert!(check_container_url("http://127.0.0.1:8080/creds").is_ok());
        assert!(check_container_url("http://169.254.170.23/v1/credentials").is_ok());
        assert!(check_container_url("http://[::1]/x").is_ok());
        assert!(check_container_url("https://creds.example.com/x").is_ok());
        assert!(check_container_url("http://evil.example.com/x").is_err());
        assert!(check_container_url("http://10.0.0.5/x").is_err());
    }
}
