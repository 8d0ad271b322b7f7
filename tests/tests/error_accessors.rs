//! A failure can be logged without matching on it: code, message, status, request id
//! and whether it is worth retrying, on `SdkError` and on every operation error enum.

use std::time::Duration;

use awsgen_runtime::{ErrorMetadata, ProvideErrorMetadata, SdkError};
use connectparticipant::operation::send_message::SendMessageError;
use connectparticipant::{Client, Config};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client whose every SendMessage gets this error response (and the server, which
/// must live as long as the client is used).
async fn client_answered_with(status: u16, code: &str, message: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("x-amzn-ErrorType", code)
                .insert_header("x-amzn-RequestId", "req-42")
                .set_body_json(serde_json::json!({ "message": message })),
        )
        .mount(&server)
        .await;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .max_attempts(1)
        .build()
        .unwrap();
    (server, Client::new(&config).unwrap())
}

async fn send(client: &Client) -> SdkError<SendMessageError> {
    client
        .send_message()
        .connection_token("token")
        .content_type("text/plain")
        .content("hi")
        .send()
        .await
        .unwrap_err()
}

/// What a logger that knows nothing of the operation can read.
fn logged(error: &impl ProvideErrorMetadata) -> (Option<String>, Option<String>) {
    (
        error.code().map(str::to_owned),
        error.message().map(str::to_owned),
    )
}

#[tokio::test]
async fn a_throttling_error_says_everything_without_a_match() {
    let (_server, client) = client_answered_with(429, "ThrottlingException", "Rate exceeded").await;
    let error = send(&client).await;
    assert_eq!(error.code(), Some("ThrottlingException"));
    assert_eq!(error.message(), Some("Rate exceeded"));
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.request_id(), Some("req-42"));
    assert!(error.is_retryable());
    let meta: &ErrorMetadata = error.meta().unwrap();
    assert_eq!(meta.status(), 429);

    let service = error.into_service_error().unwrap();
    assert!(service.is_throttling_exception());
    assert_eq!(service.code(), Some("ThrottlingException"));
    assert_eq!(service.message(), Some("Rate exceeded"));
    assert_eq!(service.meta().request_id(), Some("req-42"));
    assert!(service.is_retryable());
    assert_eq!(
        logged(&service),
        (
            Some("ThrottlingException".into()),
            Some("Rate exceeded".into())
        )
    );
    // The exception itself keeps the metadata too.
    let SendMessageError::ThrottlingException(inner) = &service else {
        panic!("{service:?}")
    };
    assert_eq!(inner.meta().status(), 429);
}

#[tokio::test]
async fn client_errors_and_unmodeled_errors_are_not_retryable() {
    let (_server, client) = client_answered_with(400, "ValidationException", "Bad content").await;
    let error = send(&client).await;
    assert_eq!(
        (error.code(), error.status(), error.is_retryable()),
        (Some("ValidationException"), Some(400), false)
    );
    let (_other, client) = client_answered_with(400, "NewException", "Something new").await;
    let service = send(&client).await.into_service_error().unwrap();
    assert!(matches!(service, SendMessageError::Unhandled(_)));
    assert_eq!(
        logged(&service),
        (Some("NewException".into()), Some("Something new".into()))
    );
    assert!(!service.is_retryable());
}

#[tokio::test]
async fn errors_without_a_service_response_have_no_metadata() {
    // Nothing listens on this port: a connection failure, worth retrying later.
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .max_attempts(1)
        .connect_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let error = send(&Client::new(&config).unwrap()).await;
    assert!(matches!(error, SdkError::Dispatch(_)), "{error:?}");
    assert_eq!(
        (error.code(), error.status(), error.meta()),
        (None, None, None)
    );
    assert!(error.is_retryable());
    // An input the client refuses is not.
    let config = Config::builder().region("us-east-1").build().unwrap();
    let error = Client::new(&config)
        .unwrap()
        .send_message()
        .content("hi")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::InvalidInput(_)), "{error:?}");
    assert!(!error.is_retryable());
}
