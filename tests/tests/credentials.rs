//! The default credentials chain, each source against temporary files or a local mock
//! of its endpoint (never the real container or instance metadata addresses): the
//! environment, profiles of the shared files, `credential_process`, roles assumed
//! through STS (a profile's `role_arn`, a web identity token), container
//! credentials (with their authorization token) and IMDSv2; temporary credentials cached
//! and refreshed before they expire, one refresh at a time; a clear error naming the
//! sources tried; no secret in `Debug`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use awsgen_runtime::credentials::DefaultCredentialsChain;
use awsgen_runtime::{Credentials, DateTime, ProvideCredentials};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A scratch directory (a HOME with nothing in it unless a test writes there).
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("awsgen-credentials-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".aws")).unwrap();
    dir
}

/// A chain over `vars`, with a HOME of its own and instance metadata off unless asked.
fn chain(home: &Path, vars: &[(&str, &str)]) -> DefaultCredentialsChain {
    let mut all: Vec<(String, String)> = vec![
        ("HOME".into(), home.display().to_string()),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    DefaultCredentialsChain::from_vars(all)
}

async fn provide(chain: &DefaultCredentialsChain) -> Result<Credentials, String> {
    chain.provide_credentials().await.map_err(|e| e.to_string())
}

fn credentials_json(id: &str, expires_in: Duration) -> serde_json::Value {
    let seconds = (SystemTime::now() + expires_in)
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    json!({"AccessKeyId": id, "SecretAccessKey": "secret", "Token": "token",
           "Expiration": DateTime::from_secs(seconds as i64).to_iso8601()})
}

#[tokio::test]
async fn the_environment_comes_first() {
    let home = scratch("env");
    std::fs::write(
        home.join(".aws/credentials"),
        "[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = s\n",
    )
    .unwrap();
    let chain = chain(
        &home,
        &[
            ("AWS_ACCESS_KEY_ID", "FROMENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ("AWS_SESSION_TOKEN", "t"),
        ],
    );
    let credentials = provide(&chain).await.unwrap();
    assert_eq!(credentials.access_key_id(), "FROMENV");
    assert_eq!(credentials.session_token(), Some("t"));
    assert!(!format!("{chain:?}").contains("env-secret"), "{chain:?}");
}

#[tokio::test]
async fn profiles_come_from_the_shared_files_the_credentials_file_first() {
    let home = scratch("profiles");
    std::fs::write(
        home.join(".aws/config"),
        "[default]\nregion = us-east-1\n[profile dev]\naws_access_key_id = CONFIGDEV\naws_secret_access_key = s1\n",
    )
    .unwrap();
    std::fs::write(
        home.join(".aws/credentials"),
        "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = s2\n",
    )
    .unwrap();
    assert_eq!(
        provide(&chain(&home, &[])).await.unwrap().access_key_id(),
        "DEFAULTKEY"
    );
    assert_eq!(
        provide(&chain(&home, &[("AWS_PROFILE", "dev")]))
            .await
            .unwrap()
            .access_key_id(),
        "CONFIGDEV"
    );
    // Files named by the variables instead.
    let other = home.join("elsewhere");
    std::fs::write(
        &other,
        "[dev]\naws_access_key_id = ELSEWHERE\naws_secret_access_key = s3\n",
    )
    .unwrap();
    let named = chain(
        &home,
        &[
            ("AWS_PROFILE", "dev"),
            ("AWS_SHARED_CREDENTIALS_FILE", other.to_str().unwrap()),
        ],
    );
    assert_eq!(provide(&named).await.unwrap().access_key_id(), "ELSEWHERE");
}

/// An STS answer with credentials `id`.
fn sts_answer(action: &str, id: &str) -> ResponseTemplate {
    let expiration = DateTime::from_secs(
        (SystemTime::now() + Duration::from_secs(3600))
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    )
    .to_iso8601();
    ResponseTemplate::new(200).set_body_string(format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
         <Credentials><AccessKeyId>{id}</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey>\
         <SessionToken>assumed+token/with&amp;entity</SessionToken><Expiration>{expiration}</Expiration></Credentials>\
         </{action}Result></{action}Response>"
    ))
}

#[tokio::test]
async fn a_profile_assumes_its_role_with_its_source_profiles_keys_signed_for_sts() {
    let sts = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(body_string_contains("Action=AssumeRole&"))
        .and(body_string_contains(
            "RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fchat-backend",
        ))
        .and(body_string_contains("RoleSessionName=backend"))
        .and(body_string_contains("ExternalId=ext-1"))
        .respond_with(sts_answer("AssumeRole", "ASSUMED"))
        .expect(1)
        .mount(&sts)
        .await;
    let home = scratch("assume");
    std::fs::write(
        home.join(".aws/credentials"),
        "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = base-secret\n",
    )
    .unwrap();
    std::fs::write(
        home.join(".aws/config"),
        "[profile backend]\nrole_arn = arn:aws:iam::111122223333:role/chat-backend\nsource_profile = base\n\
         role_session_name = backend\nexternal_id = ext-1\nregion = eu-west-1\n",
    )
    .unwrap();
    let chain = chain(
        &home,
        &[
            ("AWS_PROFILE", "backend"),
            ("AWS_ENDPOINT_URL_STS", &sts.uri()),
        ],
    );
    let credentials = provide(&chain).await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASSUMED");
    assert_eq!(
        credentials.session_token(),
        Some("assumed+token/with&entity")
    );
    assert!(credentials.expiry().is_some());
    let request = &sts.received_requests().await.unwrap()[0];
    let authorization = request.headers["authorization"].to_str().unwrap();
    assert!(
        authorization.contains("Credential=BASEKEY/")
            && authorization.contains("/eu-west-1/sts/aws4_request"),
        "{authorization}"
    );
    // Cached: a second call asks STS nothing (expect(1)).
    provide(&chain).await.unwrap();
    sts.verify().await;
}

#[tokio::test]
async fn a_web_identity_token_assumes_a_role_unsigned() {
    let sts = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=AssumeRoleWithWebIdentity"))
        .and(body_string_contains("WebIdentityToken=eyJ.token.sig"))
        .and(body_string_contains("RoleSessionName=pod-1"))
        .respond_with(sts_answer("AssumeRoleWithWebIdentity", "WEBIDENTITY"))
        .mount(&sts)
        .await;
    let home = scratch("webidentity");
    let token = home.join("token");
    std::fs::write(&token, "eyJ.token.sig\n").unwrap();
    let chain = chain(
        &home,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap()),
            ("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/pod"),
            ("AWS_ROLE_SESSION_NAME", "pod-1"),
            ("AWS_ENDPOINT_URL_STS", &sts.uri()),
        ],
    );
    assert_eq!(
        provide(&chain).await.unwrap().access_key_id(),
        "WEBIDENTITY"
    );
    let request = &sts.received_requests().await.unwrap()[0];
    assert!(
        !request.headers.contains_key("authorization"),
        "the token is the proof"
    );
}

#[tokio::test]
async fn sts_refusals_and_role_loops_are_clear_errors() {
    let sts = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(403).set_body_string(
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
             <Message>not allowed to assume</Message></Error></ErrorResponse>",
        ))
        .mount(&sts)
        .await;
    let home = scratch("sts-errors");
    std::fs::write(
        home.join(".aws/credentials"),
        "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = base-secret\n",
    )
    .unwrap();
    std::fs::write(
        home.join(".aws/config"),
        "[profile denied]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n\
         [profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n\
         [profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n",
    )
    .unwrap();
    let denied = chain(
        &home,
        &[
            ("AWS_PROFILE", "denied"),
            ("AWS_ENDPOINT_URL_STS", &sts.uri()),
        ],
    );
    let error = provide(&denied).await.unwrap_err();
    assert!(
        error.contains("AccessDenied") && error.contains("not allowed to assume"),
        "{error}"
    );
    assert!(!error.contains("base-secret"), "{error}");
    let looping = chain(
        &home,
        &[("AWS_PROFILE", "a"), ("AWS_ENDPOINT_URL_STS", &sts.uri())],
    );
    let error = provide(&looping).await.unwrap_err();
    assert!(error.contains("a loop"), "{error}");
}

#[tokio::test]
async fn credential_process_prints_the_credentials() {
    let home = scratch("process");
    let script = home.join("creds.sh");
    let printed = json!({"Version": 1, "AccessKeyId": "PROCESSKEY", "SecretAccessKey": "s", "SessionToken": "pt"});
    std::fs::write(&script, format!("#!/bin/sh\necho '{printed}'\n")).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        format!("[default]\ncredential_process = sh {}\n", script.display()),
    )
    .unwrap();
    let credentials = provide(&chain(&home, &[])).await.unwrap();
    assert_eq!(
        (credentials.access_key_id(), credentials.session_token()),
        ("PROCESSKEY", Some("pt"))
    );
    std::fs::write(&script, "#!/bin/sh\nexit 3\n").unwrap();
    let error = provide(&chain(&home, &[])).await.unwrap_err();
    assert!(error.contains("credential_process failed"), "{error}");
}

#[tokio::test]
async fn container_credentials_with_their_token_are_cached_until_near_expiry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/credentials"))
        .and(header("authorization", "container-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(credentials_json("CONTAINER", Duration::from_secs(3600))),
        )
        .expect(1)
        .mount(&server)
        .await;
    let home = scratch("container");
    let url = format!("{}/v1/credentials", server.uri());
    let chain = Arc::new(chain(
        &home,
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.as_str()),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-token"),
        ],
    ));
    // Ten calls at once: one request.
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let chain = chain.clone();
            tokio::spawn(async move { provide(&chain).await })
        })
        .collect();
    for call in calls {
        let credentials = call.await.unwrap().unwrap();
        assert_eq!(credentials.access_key_id(), "CONTAINER");
        assert!(credentials.expiry().is_some());
    }
    server.verify().await;
}

#[tokio::test]
async fn credentials_near_expiry_are_fetched_again() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(credentials_json("SHORT", Duration::from_secs(120))),
        )
        .expect(2)
        .mount(&server)
        .await;
    let home = scratch("expiry");
    let url = format!("{}/creds", server.uri());
    let chain = chain(
        &home,
        &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.as_str())],
    );
    provide(&chain).await.unwrap();
    provide(&chain).await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn instance_metadata_uses_a_session_token() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .and(header("x-aws-ec2-metadata-token-ttl-seconds", "21600"))
        .respond_with(ResponseTemplate::new(200).set_body_string("imds-token"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/"))
        .and(header("x-aws-ec2-metadata-token", "imds-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("my-role\n"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/my-role"))
        .and(header("x-aws-ec2-metadata-token", "imds-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(credentials_json("INSTANCE", Duration::from_secs(3600))),
        )
        .mount(&server)
        .await;
    let home = scratch("imds");
    let vars = [
        ("HOME", home.display().to_string()),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri()),
    ]
    .map(|(k, v)| (k.to_owned(), v));
    let chain = DefaultCredentialsChain::from_vars(vars);
    assert_eq!(provide(&chain).await.unwrap().access_key_id(), "INSTANCE");
}

#[tokio::test]
async fn nothing_found_names_every_source_tried() {
    let home = scratch("nothing");
    let error = provide(&chain(&home, &[])).await.unwrap_err();
    assert!(
        error.contains("environment variables") && error.contains("profile \"default\""),
        "{error}"
    );
    assert!(!error.contains("instance metadata"), "it was off: {error}");
    // A container endpoint elsewhere than the agent's addresses is refused.
    let far = chain(
        &home,
        &[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://203.0.113.9/creds",
        )],
    );
    assert!(provide(&far).await.unwrap_err().contains("loopback"));
}
