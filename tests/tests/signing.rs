//! Generated clients sign with SigV4 when the model says so: a local server receives the
//! request and checks its signature as AWS would (recomputed from the request as
//! received, with the credentials the test used: `awsgen_runtime::sigv4`, which passes
//! the whole SigV4 test suite). Each attempt is signed anew; a signature refused for its
//! time corrects the clock skew and is retried once; connectparticipant (token
//! authenticated, by `customizations.json`) sends no signature; a client without
//! credentials says which sources it tried.

use std::time::{Duration, SystemTime};

use awsgen_runtime::sigv4::Credentials;
use awsgen_runtime::DateTime;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn credentials() -> Credentials {
    awsgen_tests::test_credentials().with_session_token("session-token-example")
}

fn client(server: &MockServer, credentials: Option<Credentials>) -> json_names_fixture::Client {
    let mut config = json_names_fixture::Config::builder()
        .region("us-west-2")
        .endpoint_url(server.uri())
        .backoff(Duration::from_millis(1), Duration::from_millis(2));
    if let Some(credentials) = credentials {
        config = config.credentials(credentials);
    }
    json_names_fixture::Client::new(&config.build().unwrap()).unwrap()
}

async fn put_job(
    client: &json_names_fixture::Client,
) -> Result<(), awsgen_runtime::SdkError<json_names_fixture::operation::put_job::PutJobError>> {
    client.put_job().job_name("nightly").send().await.map(drop)
}

fn verify(request: &Request, region: &str, service: &str) -> String {
    awsgen_tests::verify_sigv4(request, &credentials(), region, service).unwrap()
}

#[tokio::test]
async fn a_sigv4_service_signs_every_request_as_the_server_verifies_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    put_job(&client(&server, Some(credentials())))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let authorization = verify(&requests[0], "us-west-2", "jsonnames");
    assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    assert!(authorization.contains("/us-west-2/jsonnames/aws4_request"));
    assert!(
        authorization.contains("content-type;host;x-amz-date;x-amz-security-token;"),
        "{authorization}"
    );
    // The user agent changes on the way (proxies): never signed.
    assert!(!authorization.contains(";user-agent"), "{authorization}");
    assert_eq!(
        requests[0].headers["x-amz-security-token"],
        "session-token-example"
    );
}

#[tokio::test]
async fn each_attempt_is_signed_anew() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    put_job(&client(&server, Some(credentials())))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        verify(request, "us-west-2", "jsonnames");
    }
    // amz-sdk-request differs between attempts and is signed: the two signatures differ.
    assert_ne!(
        requests[0].headers["authorization"],
        requests[1].headers["authorization"]
    );
}

#[tokio::test]
async fn a_signature_refused_for_its_time_corrects_the_clock_and_is_retried_once() {
    let server = MockServer::start().await;
    let ahead = SystemTime::now() + Duration::from_secs(3 * 3600);
    let date = http_date(ahead);
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("date", date.as_str())
                .insert_header("x-amzn-errortype", "InvalidSignatureException")
                .set_body_json(json!({"message": "Signature expired"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&server, Some(credentials()));
    put_job(&client).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let hour = |r: &Request| r.headers["x-amz-date"].to_str().unwrap()[..11].to_owned();
    assert_ne!(
        hour(&requests[0]),
        hour(&requests[1]),
        "signed at the server's time"
    );
    verify(&requests[1], "us-west-2", "jsonnames");
    // The same refusal again is not retried forever.
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("date", date.as_str())
                .insert_header("x-amzn-errortype", "InvalidSignatureException"),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    let error = put_job(&client).await.unwrap_err();
    assert_eq!(error.code(), Some("InvalidSignatureException"));
}

#[tokio::test]
async fn without_credentials_a_signed_call_says_which_sources_it_tried() {
    let server = MockServer::start().await;
    let error = put_job(&client(&server, None))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("no credentials") && error.contains("AWS_ACCESS_KEY_ID"),
        "{error}"
    );
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing sent"
    );
}

#[tokio::test]
async fn credentials_that_cannot_be_sent_fail_the_call_before_anything_is_sent() {
    let server = MockServer::start().await;
    let broken = awsgen_tests::test_credentials().with_session_token("line\nbreak-secret");
    let error = put_job(&client(&server, Some(broken))).await.unwrap_err();
    assert!(
        matches!(error, awsgen_runtime::SdkError::InvalidInput(_)),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.contains("cannot sign"), "{text}");
    assert!(!text.contains("break-secret"), "{text}");
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing sent"
    );
}

#[tokio::test]
async fn credentials_come_from_the_environment_variables() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let vars = [
        ("AWS_REGION", "us-west-2"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ),
        ("AWS_SESSION_TOKEN", "session-token-example"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let config = json_names_fixture::Config::from_vars(vars)
        .endpoint_url(server.uri())
        .build()
        .unwrap();
    assert!(
        !format!("{config:?}").contains("wJalr"),
        "no secret in Debug"
    );
    put_job(&json_names_fixture::Client::new(&config).unwrap())
        .await
        .unwrap();
    verify(
        &server.received_requests().await.unwrap()[0],
        "us-west-2",
        "jsonnames",
    );
}

#[tokio::test]
async fn connectparticipant_sends_its_tokens_and_no_signature() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Id": "m1"})))
        .mount(&server)
        .await;
    let config = connectparticipant::Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .credentials(credentials())
        .build()
        .unwrap();
    connectparticipant::Client::new(&config)
        .unwrap()
        .send_message()
        .connection_token("connection-token")
        .content_type("text/plain")
        .content("hi")
        .send()
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers["x-amz-bearer"], "connection-token");
    for unsent in ["authorization", "x-amz-date", "x-amz-security-token"] {
        assert!(!request.headers.contains_key(unsent), "{unsent} sent");
    }
}

/// The backend half of every chat: `StartChatContact` from the checked-in `connect`
/// crate (generated with only the chat operations), signed for `connect`.
#[tokio::test]
async fn start_chat_contact_is_signed_for_connect() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/contact/chat"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ContactId": "c-1", "ParticipantId": "p-1", "ParticipantToken": "participant-token"
        })))
        .mount(&server)
        .await;
    let config = connect::Config::builder()
        .region("eu-west-2")
        .endpoint_url(server.uri())
        .credentials(credentials())
        .build()
        .unwrap();
    let started = connect::Client::new(&config)
        .unwrap()
        .start_chat_contact()
        .instance_id("11111111-1111-1111-1111-111111111111")
        .contact_flow_id("22222222-2222-2222-2222-222222222222")
        .participant_details(
            connect::types::ParticipantDetails::builder()
                .display_name("Customer")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(started.participant_token(), Some("participant-token"));
    let request = &server.received_requests().await.unwrap()[0];
    let authorization = verify(request, "eu-west-2", "connect");
    assert!(authorization.contains("/eu-west-2/connect/aws4_request"));
}

fn http_date(time: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let iso = DateTime::from_secs(seconds as i64).to_iso8601(); // 2026-12-02T10:00:00Z
    let month: usize = iso[5..7].parse().unwrap();
    format!(
        "{}, {} {} {} {} GMT",
        DAYS[(seconds / 86_400 % 7) as usize],
        &iso[8..10],
        MONTHS[month - 1],
        &iso[0..4],
        &iso[11..19]
    )
}
