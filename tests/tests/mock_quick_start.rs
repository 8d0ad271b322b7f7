//! The mock quick start of `docs/testing.md`, word for word: a user's test with the
//! crate's mocks (feature `test-util`), no server.

use connectparticipant::mock::Mock;
use connectparticipant::operation::send_message::{
    SendMessage, SendMessageError, SendMessageOutput,
};
use connectparticipant::{Client, SdkError};

/// The code under test: greets the customer, says whether the service was too busy.
pub async fn greet(
    client: &Client,
    token: &str,
) -> Result<Option<String>, SdkError<SendMessageError>> {
    let sent = client
        .send_message()
        .connection_token(token)
        .content_type("text/plain")
        .content("Hello!")
        .send()
        .await?;
    Ok(sent.id().map(str::to_owned))
}

#[tokio::test]
async fn greeting_survives_one_throttling_error() {
    let mock = Mock::new();
    // The first attempt is throttled, the retry succeeds.
    mock.error::<SendMessage>(429, "ThrottlingException", "Rate exceeded")
        .output::<SendMessage>(SendMessageOutput::builder().id("message-1").build());
    let client = Client::mock(&mock);

    let id = greet(&client, "connection-token").await.unwrap();

    assert_eq!(id.as_deref(), Some("message-1"));
    let inputs = mock.inputs::<SendMessage>();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].content(), Some("Hello!"));
    assert!(
        inputs[0].client_token().is_some(),
        "the client filled the idempotency token"
    );
    let requests = mock.requests();
    assert_eq!(requests.len(), 2, "one request per attempt");
    assert_eq!(requests[0].1.headers["x-amz-bearer"], "connection-token");
    assert_eq!(mock.unused(), 0);
}
