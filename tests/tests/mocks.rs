//! Users' tests with the crate's mocks (feature `test-util`): scripted outputs, modeled
//! errors, raw responses and sequences of them; the inputs and HTTP requests the client
//! made; no server. `mock_quick_start.rs` is the one `docs/testing.md` shows.

use connectparticipant::mock::Mock;
use connectparticipant::operation::get_transcript::{GetTranscript, GetTranscriptOutput};
use connectparticipant::operation::send_message::{
    SendMessage, SendMessageError, SendMessageOutput,
};
use connectparticipant::types::Item;
use connectparticipant::{Client, SdkError};

// The quick start's code under test, `greet`, is shared (its own test runs here too).
#[path = "mock_quick_start.rs"]
mod quick_start;
use quick_start::greet;

#[tokio::test]
async fn a_modeled_error_reads_as_the_service_would_send_it() {
    let mock = Mock::new();
    mock.error::<SendMessage>(403, "AccessDeniedException", "not yours");
    let error = greet(&Client::mock(&mock), "t").await.unwrap_err();
    assert_eq!(error.code(), Some("AccessDeniedException"));
    assert_eq!(error.message(), Some("not yours"));
    assert_eq!(error.status(), Some(403));
    assert!(matches!(
        error.into_service_error(),
        Some(SendMessageError::AccessDeniedException(_))
    ));
}

#[tokio::test]
async fn a_raw_response_goes_through_the_real_parser() {
    let mock = Mock::new();
    mock.http::<GetTranscript>(
        200,
        &[("content-type", "application/json")],
        r#"{"InitialContactId":"c1","Transcript":[{"Id":"i1","Type":"MESSAGE","Content":"hi"}]}"#,
    );
    mock.http::<GetTranscript>(200, &[], "this is not JSON");
    let client = Client::mock(&mock);
    let page: GetTranscriptOutput = client
        .get_transcript()
        .connection_token("t")
        .send()
        .await
        .unwrap();
    let items: Vec<&Item> = page.transcript().iter().collect();
    assert_eq!(items[0].content(), Some("hi"));
    let error = client
        .get_transcript()
        .connection_token("t")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Response(_)), "{error:?}");
}

#[tokio::test]
async fn a_paginator_takes_a_sequence_of_outputs() {
    let mock = Mock::new();
    let item = |id: &str| Item::builder().id(id).build();
    mock.output::<GetTranscript>(
        GetTranscriptOutput::builder()
            .transcript(item("a"))
            .next_token("t1")
            .build(),
    )
    .output::<GetTranscript>(GetTranscriptOutput::builder().transcript(item("b")).build());
    let mut items = Client::mock(&mock)
        .get_transcript()
        .connection_token("t")
        .into_paginator()
        .items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().id().unwrap().to_owned());
    }
    assert_eq!(ids, ["a", "b"]);
    let tokens: Vec<Option<String>> = mock
        .inputs::<GetTranscript>()
        .iter()
        .map(|input| input.next_token().map(str::to_owned))
        .collect();
    assert_eq!(tokens, [None, Some("t1".to_owned())]);
}

#[tokio::test]
async fn a_call_with_nothing_scripted_fails_and_names_the_operation() {
    let mock = Mock::new();
    let error = greet(&Client::mock(&mock), "t").await.unwrap_err();
    assert!(matches!(error, SdkError::Dispatch(_)), "{error:?}");
    let text = format!("{error} {:?}", std::error::Error::source(&error));
    assert!(text.contains("SendMessage"), "{text}");
    assert!(text.contains("no reply scripted"), "{text}");
    // Validation still runs first: an invalid input is refused before the mock is asked.
    let error = Client::mock(&mock)
        .send_message()
        .content("hi")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::InvalidInput(_)), "{error:?}");
}

/// Any configuration can be mocked: here without retries, so the throttling error is
/// the caller's.
#[tokio::test]
async fn a_configured_client_can_be_mocked_too() {
    let mock = Mock::new();
    mock.error::<SendMessage>(429, "ThrottlingException", "slow down")
        .output::<SendMessage>(SendMessageOutput::builder().id("unused").build());
    let config = mock
        .config_builder()
        .region("eu-west-2")
        .max_attempts(1)
        .build()
        .unwrap();
    let client = Client::new(&config).unwrap();
    let error = greet(&client, "t").await.unwrap_err();
    assert_eq!(error.code(), Some("ThrottlingException"));
    assert_eq!(mock.unused(), 1);
    let (operation, request) = &mock.requests()[0];
    assert_eq!(*operation, "SendMessage");
    assert!(
        request
            .url
            .starts_with(connectparticipant::mock::MOCK_ENDPOINT),
        "{}",
        request.url
    );
    assert_eq!(client.config().region(), Some("eu-west-2"));
}

/// The mock is the client's transport: inputs are read back from the requests, URI
/// labels included, and a typed output goes through the real parser.
#[tokio::test]
async fn inputs_are_read_back_from_the_requests_sent() {
    use connectparticipant::operation::describe_view::{DescribeView, DescribeViewOutput};
    use connectparticipant::types::View;
    let mock = Mock::new();
    mock.output::<DescribeView>(
        DescribeViewOutput::builder()
            .view(View::builder().id("view-1").name("Form").build())
            .build(),
    );
    let token = "a/b c?d#é";
    let output = Client::mock(&mock)
        .describe_view()
        .view_token(token)
        .connection_token("connection-token")
        .send()
        .await
        .unwrap();
    assert_eq!(output.view().and_then(|v| v.name()), Some("Form"));
    let requests = mock.requests();
    let (operation, request) = &requests[0];
    assert_eq!(*operation, "DescribeView");
    assert!(
        request
            .url
            .ends_with("/participant/views/a%2Fb%20c%3Fd%23%C3%A9"),
        "{}",
        request.url
    );
    let inputs = mock.inputs::<DescribeView>();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].view_token(), Some(token));
    assert_eq!(inputs[0].connection_token(), Some("connection-token"));
}

/// Every attempt of a call carries the same idempotency token (the service keeps one
/// message however many attempts reach it).
#[tokio::test]
async fn retries_carry_the_same_client_token() {
    let mock = Mock::new();
    mock.error::<SendMessage>(500, "InternalServerException", "try again")
        .error::<SendMessage>(503, "ServiceUnavailable", "try again")
        .output::<SendMessage>(SendMessageOutput::builder().id("m1").build());
    greet(&Client::mock(&mock), "t").await.unwrap();
    let tokens: Vec<String> = mock
        .requests()
        .iter()
        .map(|(_, request)| {
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
            body["ClientToken"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), 3, "three attempts");
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
    assert_eq!(mock.inputs::<SendMessage>().len(), 1, "one call");
}
