//! The generated client against a local mock server on 127.0.0.1: every operation's
//! request and response, modeled errors, retries, timeouts, connection failures,
//! unreadable responses, validation before I/O, and redaction of secrets.

use std::time::Duration;

use awsgen_runtime::{
    IdempotencyTokenProvider, InvalidInputKind, SdkError, TimeoutKind, ValidationMode,
};
use connectparticipant::operation::complete_attachment_upload::CompleteAttachmentUploadError;
use connectparticipant::operation::send_message::SendMessageError;
use connectparticipant::types::{ConnectionType, ScanDirection, SortKey, StartPosition};
use connectparticipant::{Client, Config, ConfigBuilder};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "connection-token-7f3a9c";
const PARTICIPANT_TOKEN: &str = "participant-token-1b2c3d";
const CLIENT_TOKEN: &str = "fixed-client-token";

/// The injectable idempotency-token generator, fixed so request bodies are predictable.
#[derive(Debug)]
struct FixedTokens;

impl IdempotencyTokenProvider for FixedTokens {
    fn make_token(&self) -> String {
        CLIENT_TOKEN.to_owned()
    }
}

fn config(server: &MockServer) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .idempotency_tokens(FixedTokens)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn client(builder: ConfigBuilder) -> Client {
    Client::new(&builder.build().expect("valid config")).expect("endpoint resolves")
}

fn ok_json(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("x-amzn-RequestId", "req-ok-1")
        .set_body_json(body)
}

/// Mounts a mock that expects exactly one matching request.
async fn expect_one(
    server: &MockServer,
    verb: &str,
    route: &str,
    bearer: &str,
    body: Option<Value>,
    reply: ResponseTemplate,
) {
    let mut mock = Mock::given(method(verb))
        .and(path(route))
        .and(header("x-amz-bearer", bearer));
    if let Some(body) = body {
        mock = mock
            .and(body_json(body))
            .and(header("content-type", "application/json"));
    }
    mock.respond_with(reply).expect(1).mount(server).await;
}

#[tokio::test]
async fn send_message_and_send_event() {
    let server = MockServer::start().await;
    let body = json!({"ContentType": "text/plain", "Content": "hi", "ClientToken": CLIENT_TOKEN});
    let reply = ok_json(
        json!({"Id": "m-1", "AbsoluteTime": "2024-05-01T10:00:00.000Z", "MessageMetadata": {"MessageProcessingStatus": "PROCESSING"}}),
    );
    expect_one(
        &server,
        "POST",
        "/participant/message",
        TOKEN,
        Some(body),
        reply,
    )
    .await;
    let event_body = json!({"ContentType": "application/vnd.amazonaws.connect.event.typing", "ClientToken": "mine"});
    expect_one(
        &server,
        "POST",
        "/participant/event",
        TOKEN,
        Some(event_body),
        ok_json(json!({"Id": "e-1"})),
    )
    .await;

    let client = client(config(&server));
    let out = client
        .send_message()
        .connection_token(TOKEN)
        .content_type("text/plain")
        .content("hi")
        .send()
        .await
        .unwrap();
    assert_eq!(out.id(), Some("m-1"));
    assert_eq!(out.request_id(), Some("req-ok-1"));
    assert_eq!(out.absolute_time(), Some("2024-05-01T10:00:00.000Z"));
    // Bearer auth only: no SigV4 signature, no AWS credentials anywhere in the request.
    let request = &server.received_requests().await.unwrap()[0];
    for header in [
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-content-sha256",
    ] {
        assert!(
            request.headers.get(header).is_none(),
            "unexpected {header} header"
        );
    }
    let status = out
        .message_metadata()
        .and_then(|m| m.message_processing_status());
    assert_eq!(status.map(|s| s.as_str()), Some("PROCESSING"));
    // A token the caller sets is kept, not replaced.
    let event = client
        .send_event()
        .connection_token(TOKEN)
        .content_type("application/vnd.amazonaws.connect.event.typing")
        .client_token("mine")
        .send()
        .await
        .unwrap();
    assert_eq!(event.id(), Some("e-1"));
}

#[tokio::test]
async fn connection_lifecycle_operations() {
    let server = MockServer::start().await;
    let create_body =
        json!({"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"], "ConnectParticipant": true});
    let create_reply = ok_json(json!({
        "Websocket": {"Url": "wss://example.test/socket?X-Amz-Signature=abc", "ConnectionExpiry": "2024-05-01T11:00:00Z"},
        "ConnectionCredentials": {"ConnectionToken": TOKEN, "Expiry": "2024-05-02T10:00:00Z"},
        "SomethingNew": {"ignored": true}
    }));
    expect_one(
        &server,
        "POST",
        "/participant/connection",
        PARTICIPANT_TOKEN,
        Some(create_body),
        create_reply,
    )
    .await;
    expect_one(
        &server,
        "POST",
        "/participant/disconnect",
        TOKEN,
        Some(json!({"ClientToken": CLIENT_TOKEN})),
        ok_json(json!({})),
    )
    .await;

    let client = client(config(&server));
    let out = client
        .create_participant_connection()
        .participant_token(PARTICIPANT_TOKEN)
        .r#type(ConnectionType::Websocket)
        .r#type(ConnectionType::ConnectionCredentials)
        .connect_participant(true)
        .send()
        .await
        .unwrap();
    // Getters return secrets; Debug does not show them (see the sweep below).
    assert_eq!(
        out.connection_credentials()
            .and_then(|c| c.connection_token()),
        Some(TOKEN)
    );
    assert_eq!(
        out.websocket().and_then(|w| w.url()),
        Some("wss://example.test/socket?X-Amz-Signature=abc")
    );
    assert!(out.web_rtc_connection().is_none());
    client
        .disconnect_participant()
        .connection_token(TOKEN)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn transcript_with_nested_members_and_unknown_enum_values() {
    let server = MockServer::start().await;
    let body = json!({
        "ContactId": "c-1", "MaxResults": 100, "ScanDirection": "BACKWARD", "SortOrder": "ASCENDING",
        "StartPosition": {"MostRecent": 3}
    });
    let reply = ok_json(json!({
        "InitialContactId": "c-0",
        "Transcript": [
            {"Id": "i-1", "Type": "MESSAGE", "ParticipantRole": "CUSTOMER", "Content": "hello",
             "Attachments": [{"AttachmentId": "a-1", "Status": "APPROVED"}],
             "MessageMetadata": {"MessageId": "i-1", "Receipts": [{"ReadTimestamp": "t", "RecipientParticipantId": "p"}]}},
            {"Id": "i-2", "Type": "HOLOGRAM", "ParticipantRole": "ROBOT"}
        ],
        "NextToken": "next-1"
    }));
    expect_one(
        &server,
        "POST",
        "/participant/transcript",
        TOKEN,
        Some(body),
        reply,
    )
    .await;
    let out = client(config(&server))
        .get_transcript()
        .connection_token(TOKEN)
        .contact_id("c-1")
        .max_results(100)
        .scan_direction(ScanDirection::Backward)
        .sort_order(SortKey::Ascending)
        .start_position(StartPosition::builder().most_recent(3).build())
        .send()
        .await
        .unwrap();
    assert_eq!(out.initial_contact_id(), Some("c-0"));
    assert_eq!(out.next_token(), Some("next-1"));
    let items = out.transcript();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].content(), Some("hello"));
    assert_eq!(
        items[0].attachments()[0].status().map(|s| s.as_str()),
        Some("APPROVED")
    );
    assert_eq!(
        items[0].message_metadata().unwrap().receipts()[0].recipient_participant_id(),
        Some("p")
    );
    // Values added by the service after this crate was generated are kept, not rejected.
    assert_eq!(items[1].r#type().map(|t| t.as_str()), Some("HOLOGRAM"));
    assert_eq!(
        items[1].participant_role().map(|r| r.as_str()),
        Some("ROBOT")
    );
}

#[tokio::test]
async fn attachment_operations() {
    let server = MockServer::start().await;
    let start_body = json!({"ContentType": "image/png", "AttachmentSizeInBytes": 2048, "AttachmentName": "cat.png", "ClientToken": CLIENT_TOKEN});
    let start_reply = ok_json(json!({
        "AttachmentId": "a-9",
        "UploadMetadata": {"Url": "https://upload.test/put?sig=secret", "UrlExpiry": "x", "HeadersToInclude": {"x-amz-meta-a": "1"}}
    }));
    expect_one(
        &server,
        "POST",
        "/participant/start-attachment-upload",
        TOKEN,
        Some(start_body),
        start_reply,
    )
    .await;
    let complete_body = json!({"AttachmentIds": ["a-9"], "ClientToken": CLIENT_TOKEN});
    expect_one(
        &server,
        "POST",
        "/participant/complete-attachment-upload",
        TOKEN,
        Some(complete_body),
        ok_json(json!({})),
    )
    .await;
    let get_body =
        json!({"AttachmentId": "a-9", "UrlExpiryInSeconds": 60, "UrlContentDisposition": "INLINE"});
    let get_reply = ok_json(
        json!({"Url": "https://download.test/a-9?sig=secret", "UrlExpiry": "y", "AttachmentSizeInBytes": 2048}),
    );
    expect_one(
        &server,
        "POST",
        "/participant/attachment",
        TOKEN,
        Some(get_body),
        get_reply,
    )
    .await;

    let client = client(config(&server));
    let started = client
        .start_attachment_upload()
        .connection_token(TOKEN)
        .content_type("image/png")
        .attachment_size_in_bytes(2048)
        .attachment_name("cat.png")
        .send()
        .await
        .unwrap();
    assert_eq!(started.attachment_id(), Some("a-9"));
    let headers = started
        .upload_metadata()
        .and_then(|m| m.headers_to_include())
        .unwrap();
    assert_eq!(headers.get("x-amz-meta-a").map(String::as_str), Some("1"));
    client
        .complete_attachment_upload()
        .connection_token(TOKEN)
        .attachment_ids("a-9")
        .send()
        .await
        .unwrap();
    let got = client
        .get_attachment()
        .connection_token(TOKEN)
        .attachment_id("a-9")
        .url_expiry_in_seconds(60)
        .url_content_disposition(connectparticipant::types::ContentDisposition::Inline)
        .send()
        .await
        .unwrap();
    assert_eq!(got.url(), Some("https://download.test/a-9?sig=secret"));
    assert_eq!(got.attachment_size_in_bytes(), Some(2048));
}

#[tokio::test]
async fn authentication_operations() {
    let server = MockServer::start().await;
    let session = "s".repeat(36);
    let url_body = json!({"SessionId": session, "RedirectUri": "https://app.test/back"});
    expect_one(
        &server,
        "POST",
        "/participant/authentication-url",
        TOKEN,
        Some(url_body),
        ok_json(json!({"AuthenticationUrl": "https://auth.test/?code=secret"})),
    )
    .await;
    expect_one(
        &server,
        "POST",
        "/participant/cancel-authentication",
        TOKEN,
        Some(json!({"SessionId": session})),
        ok_json(json!({})),
    )
    .await;
    let client = client(config(&server));
    let out = client
        .get_authentication_url()
        .connection_token(TOKEN)
        .session_id(&session)
        .redirect_uri("https://app.test/back")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.authentication_url(),
        Some("https://auth.test/?code=secret")
    );
    client
        .cancel_participant_authentication()
        .connection_token(TOKEN)
        .session_id(&session)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn describe_view_is_a_get_with_the_token_in_its_own_path_segment() {
    let server = MockServer::start().await;
    let reply = ok_json(
        json!({"View": {"Id": "v-1", "Arn": "arn:x", "Name": "Survey", "Version": 3,
        "Content": {"InputSchema": "{}", "Template": "<t/>", "Actions": ["Submit"]}}}),
    );
    Mock::given(method("GET"))
        .and(path("/participant/views/..%2Fx%3Fy%23z"))
        .and(header("x-amz-bearer", TOKEN))
        .respond_with(reply)
        .expect(1)
        .mount(&server)
        .await;
    let out = client(config(&server))
        .describe_view()
        .connection_token(TOKEN)
        .view_token("../x?y#z")
        .send()
        .await
        .unwrap();
    let view = out.view().unwrap();
    assert_eq!((view.name(), view.version()), (Some("Survey"), Some(3)));
    assert_eq!(view.content().unwrap().actions(), ["Submit"]);
    let request = &server.received_requests().await.unwrap()[0];
    assert!(
        request.body.is_empty(),
        "a GET with no body members sends no body"
    );
    assert!(request.headers.get("content-type").is_none());
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn uri_labels_that_would_change_the_path_are_refused_in_every_validation_mode() {
    let server = MockServer::start().await;
    for mode in [
        ValidationMode::Full,
        ValidationMode::RequiredOnly,
        ValidationMode::Off,
    ] {
        let client = client(config(&server).validation(mode));
        for view_token in [".", "..", ""] {
            let error = client
                .describe_view()
                .connection_token(TOKEN)
                .view_token(view_token)
                .send()
                .await
                .unwrap_err();
            let SdkError::InvalidInput(invalid) = &error else {
                panic!("{mode:?} {view_token:?}: expected invalid input, got {error:?}");
            };
            assert!(
                error.to_string().contains("ViewToken"),
                "{mode:?} {view_token:?}: {error}"
            );
            if mode == ValidationMode::Full && view_token.is_empty() {
                assert!(
                    invalid.validation().is_some(),
                    "the validator names it first"
                );
            } else {
                assert!(
                    matches!(invalid.kind(), InvalidInputKind::Request(_)),
                    "{mode:?} {view_token:?}: {error:?}"
                );
            }
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    // Dots inside a longer value are ordinary characters and stay in their segment.
    Mock::given(method("GET"))
        .and(path("/participant/views/...%2F.."))
        .respond_with(ok_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    client(config(&server).validation(ValidationMode::Off))
        .describe_view()
        .connection_token(TOKEN)
        .view_token(".../..")
        .send()
        .await
        .unwrap();
}

fn error_reply(status: u16, code: &str, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-amzn-RequestId", "req-err-42")
        .insert_header(
            "X-Amzn-ErrorType",
            format!("{code}:http://internal.amazon.com/coral/"),
        )
        .set_body_json(body)
}

#[tokio::test]
async fn every_modeled_error_of_send_message() {
    let cases = [
        (403, "AccessDeniedException"),
        (500, "InternalServerException"),
        (429, "ThrottlingException"),
        (400, "ValidationException"),
    ];
    for (status, code) in cases {
        let server = MockServer::start().await;
        let message = format!("{code} happened");
        Mock::given(method("POST"))
            .respond_with(error_reply(status, code, json!({"Message": message})))
            .mount(&server)
            .await;
        let client = client(config(&server).max_attempts(1));
        let error = client
            .send_message()
            .connection_token(TOKEN)
            .content_type("text/plain")
            .content("hi")
            .send()
            .await
            .unwrap_err();
        let text = error.to_string();
        for expected in [
            "SendMessage",
            code,
            message.as_str(),
            &format!("HTTP {status}"),
            "req-err-42",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from {text:?}"
            );
        }
        assert_eq!(error.request_id(), Some("req-err-42"));
        let service = error.into_service_error().expect("a service error");
        assert_eq!(service.code(), Some(code));
        let matched = match (&service, code) {
            (SendMessageError::AccessDeniedException(e), "AccessDeniedException") => e.message(),
            (SendMessageError::InternalServerException(e), "InternalServerException") => {
                e.message()
            }
            (SendMessageError::ThrottlingException(e), "ThrottlingException") => e.message(),
            (SendMessageError::ValidationException(e), "ValidationException") => e.message(),
            other => panic!("wrong variant {other:?}"),
        };
        assert_eq!(matched, Some(message.as_str()));
    }
}

#[tokio::test]
async fn every_modeled_error_of_complete_attachment_upload() {
    let cases = [
        (403, "AccessDeniedException"),
        (500, "InternalServerException"),
        (429, "ThrottlingException"),
        (400, "ValidationException"),
        (402, "ServiceQuotaExceededException"),
        (409, "ConflictException"),
    ];
    for (status, code) in cases {
        let server = MockServer::start().await;
        // The code from the body this time, with the lower-case `message` some services send.
        let body = json!({"__type": format!("com.amazonaws.connect#{code}"), "message": "nope"});
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&server)
            .await;
        let error = client(config(&server).max_attempts(1))
            .complete_attachment_upload()
            .connection_token(TOKEN)
            .attachment_ids("a-1")
            .send()
            .await
            .unwrap_err();
        let service = error.into_service_error().expect("a service error");
        let message = match &service {
            CompleteAttachmentUploadError::AccessDeniedException(e) => e.message(),
            CompleteAttachmentUploadError::InternalServerException(e) => e.message(),
            CompleteAttachmentUploadError::ThrottlingException(e) => e.message(),
            CompleteAttachmentUploadError::ValidationException(e) => e.message(),
            CompleteAttachmentUploadError::ServiceQuotaExceededException(e) => e.message(),
            CompleteAttachmentUploadError::ConflictException(e) => e.message(),
            other => panic!("{code}: unexpected {other:?}"),
        };
        assert_eq!(service.code(), Some(code));
        assert_eq!(message, Some("nope"));
    }
}

#[tokio::test]
async fn an_unmodeled_error_is_unhandled_with_everything_the_response_said() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(error_reply(
            400,
            "BrandNewException",
            json!({"Message": "new"}),
        ))
        .mount(&server)
        .await;
    let error = client(config(&server))
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content("c")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "SendMessage failed: BrandNewException: new (HTTP 400, request id req-err-42)"
    );
    match error.into_service_error() {
        Some(SendMessageError::Unhandled(unhandled)) => {
            assert_eq!(unhandled.code(), Some("BrandNewException"));
            assert_eq!(unhandled.meta().status(), 400);
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
}

fn bodies(requests: &[Request]) -> Vec<Value> {
    requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn throttling_is_retried_once_with_the_same_client_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(error_reply(
            429,
            "ThrottlingException",
            json!({"Message": "slow down"}),
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok_json(json!({"Id": "m-2"})))
        .with_priority(2)
        .mount(&server)
        .await;
    // The default generator: a fresh UUIDv4, made once per call.
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .backoff(Duration::from_millis(1), Duration::from_millis(5));
    let out = client(config)
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content("c")
        .send()
        .await
        .unwrap();
    assert_eq!(out.id(), Some("m-2"));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "one retry");
    let tokens: Vec<_> = bodies(&requests)
        .iter()
        .map(|b| b["ClientToken"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        tokens[0], tokens[1],
        "every attempt carries the same idempotency token"
    );
    assert_eq!(uuid_version(&tokens[0]), Some('4'), "{}", tokens[0]);
}

fn uuid_version(token: &str) -> Option<char> {
    let groups: Vec<&str> = token.split('-').collect();
    (groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12])
        .then(|| groups[2].chars().next())?
}

#[tokio::test]
async fn server_errors_stop_after_exactly_three_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let error = client(config(&server))
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content("c")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SdkError::Service(e) if e.meta().status() == 503),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(error_reply(
            400,
            "ValidationException",
            json!({"Message": "bad"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(config(&server))
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content("c")
        .send()
        .await;
    assert!(result.is_err());
}

#[tokio::test]
async fn a_slow_server_gives_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_json(json!({})).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let error = client(
        config(&server)
            .attempt_timeout(Duration::from_millis(200))
            .max_attempts(2),
    )
    .send_message()
    .connection_token(TOKEN)
    .content_type("t")
    .content("c")
    .send()
    .await
    .unwrap_err();
    match &error {
        SdkError::Timeout(t) => {
            assert_eq!(t.kind(), TimeoutKind::Attempt);
            assert_eq!(t.attempts(), 2, "timeouts are retried");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(4), "no hang");

    let error = client(config(&server).operation_timeout(Duration::from_millis(300)))
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content("c")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SdkError::Timeout(t) if t.kind() == TimeoutKind::Operation),
        "{error:?}"
    );
    assert!(error.to_string().contains("SendMessage"));
}

#[tokio::test]
async fn connection_refused_is_a_dispatch_error() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .backoff(Duration::from_millis(1), Duration::from_millis(5));
    let error = client(config)
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content("c")
        .send()
        .await
        .unwrap_err();
    match &error {
        SdkError::Dispatch(e) => assert_eq!(e.attempts(), 3, "connect failures are retried"),
        other => panic!("expected a dispatch error, got {other:?}"),
    }
    assert!(error.to_string().contains("could not connect"), "{error}");
}

#[tokio::test]
async fn malformed_json_and_html_error_pages_are_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(path("/participant/message"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"Id\": \"m-1\""))
        .mount(&server)
        .await;
    Mock::given(path("/participant/event"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"Id\": 17}"))
        .mount(&server)
        .await;
    Mock::given(path("/participant/transcript"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("content-type", "text/html")
                .set_body_string("<html><body><h1>502 Bad Gateway</h1></body></html>"),
        )
        .mount(&server)
        .await;
    let client = client(config(&server).max_attempts(1));
    let truncated = client
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content("c")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&truncated, SdkError::Response(e) if e.status() == 200),
        "{truncated:?}"
    );
    let ill_typed = client
        .send_event()
        .connection_token(TOKEN)
        .content_type("t")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&ill_typed, SdkError::Response(e) if e.message().contains("invalid type")),
        "{ill_typed:?}"
    );
    let html = client
        .get_transcript()
        .connection_token(TOKEN)
        .send()
        .await
        .unwrap_err();
    match &html {
        SdkError::Response(e) => {
            assert_eq!(e.status(), 502);
            assert!(e.message().contains("not JSON"), "{}", e.message());
        }
        other => panic!("expected an unreadable-response error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_invalid_input_sends_zero_requests() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_json(json!({})))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(config(&server));
    let error = client
        .send_message()
        .connection_token(TOKEN)
        .content_type("text/plain")
        .content("x".repeat(16385))
        .send()
        .await
        .unwrap_err();
    let SdkError::InvalidInput(invalid) = &error else {
        panic!("expected invalid input, got {error:?}")
    };
    let violations = invalid
        .validation()
        .expect("a validation error")
        .violations();
    assert_eq!(violations[0].path, "Content");
    // Missing required members are reported by send() too, with every other violation.
    let error = client.send_message().content("").send().await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with("SendMessage not sent: invalid SendMessageInput: 3 problems"),
        "{text}"
    );
    // A header that would smuggle a line break is refused before sending, naming the member.
    let error = client
        .send_message()
        .connection_token("a\r\nX-Injected: 1")
        .content_type("t")
        .content("c")
        .send()
        .await
        .unwrap_err();
    match &error {
        SdkError::InvalidInput(e) => assert!(
            matches!(e.kind(), InvalidInputKind::Request(m) if m.contains("ConnectionToken"))
        ),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn validation_can_be_turned_down() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_json(json!({"Id": "m"})))
        .expect(2)
        .mount(&server)
        .await;
    let too_long = "x".repeat(16385);
    let relaxed = client(config(&server).validation(ValidationMode::RequiredOnly));
    relaxed
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content(&too_long)
        .send()
        .await
        .unwrap();
    let missing = relaxed
        .send_message()
        .connection_token(TOKEN)
        .content("c")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(missing, SdkError::InvalidInput(_)),
        "RequiredOnly still checks required members"
    );
    let off = client(config(&server).validation(ValidationMode::Off));
    off.send_message()
        .connection_token(TOKEN)
        .content(&too_long)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn debug_and_display_never_show_secrets() {
    let server = MockServer::start().await;
    let secret_url = "https://secret-presigned.test/?X-Amz-Signature=deadbeef";
    Mock::given(path("/participant/connection")).respond_with(ok_json(json!({
        "Websocket": {"Url": secret_url},
        "ConnectionCredentials": {"ConnectionToken": TOKEN},
        "WebRTCConnection": {"Attendee": {"AttendeeId": "a", "JoinToken": TOKEN},
            "Meeting": {"MediaPlacement": {"SignalingUrl": secret_url, "AudioHostUrl": secret_url}}}
    }))).mount(&server).await;
    Mock::given(path("/participant/attachment"))
        .respond_with(ok_json(json!({"Url": secret_url})))
        .mount(&server)
        .await;
    Mock::given(path("/participant/start-attachment-upload"))
        .respond_with(ok_json(json!({
            "UploadMetadata": {"Url": secret_url, "HeadersToInclude": {"x-amz-meta-token": TOKEN}}
        })))
        .mount(&server)
        .await;
    Mock::given(path("/participant/authentication-url"))
        .respond_with(ok_json(json!({"AuthenticationUrl": secret_url})))
        .mount(&server)
        .await;
    Mock::given(path("/participant/message"))
        .respond_with(error_reply(
            403,
            "AccessDeniedException",
            json!({"Message": "denied"}),
        ))
        .mount(&server)
        .await;
    let client = client(config(&server).max_attempts(1));

    let mut shown = vec![format!("{client:?}"), format!("{:?}", client.config())];
    let create = client
        .create_participant_connection()
        .participant_token(PARTICIPANT_TOKEN)
        .r#type(ConnectionType::Websocket);
    shown.push(format!("{create:?}"));
    let output = create.send().await.unwrap();
    shown.push(format!("{output:?}"));
    shown.push(format!(
        "{:?}",
        client
            .get_attachment()
            .connection_token(TOKEN)
            .attachment_id("a")
            .send()
            .await
            .unwrap()
    ));
    shown.push(format!(
        "{:?}",
        client
            .start_attachment_upload()
            .connection_token(TOKEN)
            .content_type("t")
            .attachment_size_in_bytes(1)
            .attachment_name("n")
            .send()
            .await
            .unwrap()
    ));
    shown.push(format!(
        "{:?}",
        client
            .get_authentication_url()
            .connection_token(TOKEN)
            .session_id("s".repeat(36))
            .redirect_uri("r")
            .send()
            .await
            .unwrap()
    ));
    let error = client
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content("c")
        .send()
        .await
        .unwrap_err();
    shown.push(format!("{error:?}"));
    shown.push(error.to_string());
    let invalid = client
        .send_message()
        .connection_token(TOKEN.repeat(100))
        .send()
        .await
        .unwrap_err();
    shown.push(format!("{invalid:?}"));
    shown.push(invalid.to_string());

    // Every input type's builder holding the secrets, and a complete input.
    let input = connectparticipant::operation::send_message::SendMessageInput::builder()
        .connection_token(TOKEN)
        .content_type("t")
        .content("c")
        .build()
        .unwrap();
    shown.push(format!("{input:?}"));
    use connectparticipant::operation::*;
    shown.push(format!(
        "{:?}",
        cancel_participant_authentication::CancelParticipantAuthenticationInput::builder()
            .connection_token(TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        complete_attachment_upload::CompleteAttachmentUploadInput::builder()
            .connection_token(TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        create_participant_connection::CreateParticipantConnectionInput::builder()
            .participant_token(PARTICIPANT_TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        describe_view::DescribeViewInput::builder().connection_token(TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        disconnect_participant::DisconnectParticipantInput::builder().connection_token(TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        get_attachment::GetAttachmentInput::builder().connection_token(TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        get_authentication_url::GetAuthenticationUrlInput::builder().connection_token(TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        get_transcript::GetTranscriptInput::builder().connection_token(TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        send_event::SendEventInput::builder().connection_token(TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        send_message::SendMessageInput::builder().connection_token(TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        start_attachment_upload::StartAttachmentUploadInput::builder().connection_token(TOKEN)
    ));

    for text in &shown {
        for secret in [TOKEN, PARTICIPANT_TOKEN, secret_url, "deadbeef"] {
            assert!(!text.contains(secret), "{secret:?} leaked in: {text}");
        }
    }
    let redacted = shown
        .iter()
        .filter(|t| t.contains("*** Sensitive Data Redacted ***"))
        .count();
    assert!(
        redacted >= 17,
        "only {redacted} of {} outputs show the redaction marker: {shown:#?}",
        shown.len()
    );
}

/// Secrets that travel in the request (the bearer header, a view token in the path),
/// in the endpoint URL (user-info) and customer data (chat content) stay out of `Debug`,
/// error text and transport error text.
#[tokio::test]
async fn tokens_in_headers_paths_and_urls_and_chat_content_stay_secret() {
    const VIEW_TOKEN: &str = "view-token-secret-91ac";
    const PASSWORD: &str = "endpoint-password-44d2";
    const CONTENT: &str = "my card number is 4111 1111 1111 1111";

    // What the transport is handed: the bearer header marked sensitive, and a Debug that
    // shows neither it nor the view token in the path.
    let transport = CapturingTransport::default();
    let config = Config::builder()
        .region("us-east-1")
        .http_transport(transport.clone())
        .build()
        .unwrap();
    let client = Client::new(&config).unwrap();
    let describe = client
        .describe_view()
        .connection_token(TOKEN)
        .view_token(VIEW_TOKEN);
    let mut shown = vec![format!("{describe:?}")];
    describe.send().await.unwrap();
    let request = transport.last();
    assert!(request.headers["x-amz-bearer"].is_sensitive());
    assert!(request.url.contains(VIEW_TOKEN), "the token does travel");
    shown.push(format!("{request:?}"));
    shown.push(format!("{:?}", request.headers));
    let input = connectparticipant::operation::describe_view::DescribeViewInput::builder()
        .view_token(VIEW_TOKEN)
        .connection_token(TOKEN);
    shown.push(format!("{input:?}"));
    shown.push(format!("{:?}", input.build().unwrap()));

    // Transport failures: reqwest's error text includes the URL; ours does not. The
    // endpoint's user-info stays out of Debug and errors too.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://user:{PASSWORD}@127.0.0.1:{port}");
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(&endpoint)
        .max_attempts(1)
        .build()
        .unwrap();
    let client = Client::new(&config).unwrap();
    shown.push(format!("{client:?}"));
    shown.push(format!("{config:?}"));
    let error = client
        .describe_view()
        .connection_token(TOKEN)
        .view_token(VIEW_TOKEN)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Dispatch(_)), "{error:?}");
    shown.push(error.to_string());
    shown.push(format!("{error:?}"));
    let bad_endpoint = Config::builder()
        .endpoint_url(format!("http://user:{PASSWORD}@127.0.0.1:{port}?x"))
        .build()
        .unwrap_err();
    shown.push(bad_endpoint.to_string());

    // Chat content and view tokens in validation errors.
    let too_long = client
        .send_message()
        .connection_token(TOKEN)
        .content_type("text/plain")
        .content(CONTENT.repeat(500))
        .send()
        .await
        .unwrap_err();
    assert!(too_long.to_string().contains("Content"), "{too_long}");
    shown.push(too_long.to_string());
    shown.push(format!("{too_long:?}"));
    let long_view = client
        .describe_view()
        .connection_token(TOKEN)
        .view_token(VIEW_TOKEN.repeat(100))
        .send()
        .await
        .unwrap_err();
    assert!(long_view.to_string().contains("ViewToken"), "{long_view}");
    shown.push(long_view.to_string());
    let message = connectparticipant::operation::send_message::SendMessageInput::builder()
        .connection_token(TOKEN)
        .content_type("text/plain")
        .content(CONTENT);
    shown.push(format!("{message:?}"));
    shown.push(format!("{:?}", message.build().unwrap()));
    let item = connectparticipant::types::Item::builder()
        .content(CONTENT)
        .build();
    shown.push(format!("{item:?}"));

    for text in &shown {
        for secret in [TOKEN, VIEW_TOKEN, PASSWORD, CONTENT, "4111"] {
            assert!(!text.contains(secret), "{secret:?} leaked in: {text}");
        }
    }
}

/// A transport that answers `{}` and keeps the last request it was handed.
#[derive(Debug, Default, Clone)]
struct CapturingTransport {
    last: std::sync::Arc<std::sync::Mutex<Option<awsgen_runtime::HttpRequest>>>,
}

impl CapturingTransport {
    fn last(&self) -> awsgen_runtime::HttpRequest {
        self.last
            .lock()
            .unwrap()
            .clone()
            .expect("a request was sent")
    }
}

impl awsgen_runtime::HttpTransport for CapturingTransport {
    fn send(&self, request: awsgen_runtime::HttpRequest) -> awsgen_runtime::TransportFuture<'_> {
        *self.last.lock().unwrap() = Some(request);
        Box::pin(async {
            Ok(awsgen_runtime::HttpResponse {
                status: 200,
                headers: awsgen_runtime::http::HeaderMap::new(),
                body: awsgen_runtime::bytes::Bytes::from_static(b"{}"),
            })
        })
    }
}

/// A transport that answers from memory and records what it was asked.
#[derive(Debug, Default, Clone)]
struct RecordingTransport {
    seen: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
}

impl awsgen_runtime::HttpTransport for RecordingTransport {
    fn send(&self, request: awsgen_runtime::HttpRequest) -> awsgen_runtime::TransportFuture<'_> {
        self.seen
            .lock()
            .unwrap()
            .push((request.method.to_string(), request.url.clone()));
        Box::pin(async {
            let mut headers = awsgen_runtime::http::HeaderMap::new();
            headers.insert("x-amzn-requestid", "req-mem".parse().unwrap());
            Ok(awsgen_runtime::HttpResponse {
                status: 200,
                headers,
                body: awsgen_runtime::bytes::Bytes::from_static(br#"{"Id":"from-memory"}"#),
            })
        })
    }
}

#[tokio::test]
async fn the_http_transport_can_be_injected() {
    let transport = RecordingTransport::default();
    let config = Config::builder()
        .region("eu-central-1")
        .http_transport(transport.clone())
        .build()
        .unwrap();
    let out = Client::new(&config)
        .unwrap()
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content("c")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (out.id(), out.request_id()),
        (Some("from-memory"), Some("req-mem"))
    );
    let seen = transport.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [(
            "POST".to_owned(),
            "https://participant.connect.eu-central-1.amazonaws.com/participant/message".to_owned()
        )]
    );
}

/// Durations too large for the clock are no limit, never an overflow: every limit at
/// `Duration::MAX` still answers, and a retry whose pause could never end before the
/// operation's deadline is not made (each call panicked before).
#[tokio::test]
async fn durations_too_large_for_the_clock_do_not_overflow() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .respond_with(ok_json(json!({"Id": "m1"})))
        .expect(1)
        .mount(&server)
        .await;
    let unbounded = client(
        config(&server)
            .connect_timeout(Duration::MAX)
            .attempt_timeout(Duration::MAX)
            .operation_timeout(Duration::MAX),
    );
    let sent = say_hi(&unbounded).await.unwrap();
    assert_eq!(sent.id(), Some("m1"));

    let failing = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&failing)
        .await;
    let endless_backoff = client(
        config(&failing)
            .backoff(Duration::MAX, Duration::MAX)
            .operation_timeout(Duration::from_secs(5)),
    );
    let error = say_hi(&endless_backoff).await.unwrap_err();
    assert_eq!(error.status(), Some(500), "the failure in hand, at once");
}

async fn say_hi(
    client: &Client,
) -> Result<
    connectparticipant::operation::send_message::SendMessageOutput,
    awsgen_runtime::SdkError<SendMessageError>,
> {
    client
        .send_message()
        .connection_token("t")
        .content_type("text/plain")
        .content("hi")
        .send()
        .await
}
