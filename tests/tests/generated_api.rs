//! The generated crate's API as a user sees it: builders, open enums, errors, redaction.

use connectparticipant::operation::get_transcript::GetTranscriptInput;
use connectparticipant::operation::send_message::{SendMessageError, SendMessageInput};
use connectparticipant::types::error::ThrottlingException;
use connectparticipant::types::{ChatItemType, ConnectionCredentials, StartPosition};

const TOKEN: &str = "secret-bearer-token-value";

#[test]
fn build_names_every_missing_required_member() {
    let error = SendMessageInput::builder()
        .content("hi")
        .build()
        .unwrap_err();
    let missing: Vec<_> = error.missing().iter().map(|m| m.name).collect();
    assert_eq!(missing, ["ContentType", "ConnectionToken"]);
    let message = error.to_string();
    assert!(message.contains("SendMessageInput"), "{message}");
    assert!(message.contains("`.connection_token(..)`"), "{message}");
}

#[test]
fn a_complete_input_builds_and_getters_return_what_was_set() {
    let input = GetTranscriptInput::builder()
        .connection_token(TOKEN)
        .max_results(100)
        .start_position(StartPosition::builder().most_recent(5).build())
        .build()
        .unwrap();
    assert_eq!(input.max_results(), Some(100));
    assert_eq!(
        input.start_position().and_then(|p| p.most_recent()),
        Some(5)
    );
    assert_eq!(input.connection_token(), Some(TOKEN));
    assert_eq!(input.next_token(), None);
}

#[test]
fn enums_are_open() {
    assert_eq!(ChatItemType::from("MESSAGE"), ChatItemType::Message);
    assert_eq!(ChatItemType::Message.as_str(), "MESSAGE");
    let future = ChatItemType::from("HOLOGRAM");
    assert_eq!(future, ChatItemType::Unknown("HOLOGRAM".to_owned()));
    assert_eq!(future.as_str(), "HOLOGRAM");
    assert!(ChatItemType::values().contains(&"CONNECTION_ACK"));
    assert_eq!(
        "TYPING".parse::<ChatItemType>().unwrap(),
        ChatItemType::Typing
    );
}

#[test]
fn debug_never_shows_bearer_tokens_or_connection_tokens() {
    let input = SendMessageInput::builder()
        .connection_token(TOKEN)
        .content_type("text/plain")
        .content("hello")
        .build()
        .unwrap();
    let builder = SendMessageInput::builder().connection_token(TOKEN);
    let credentials = ConnectionCredentials::builder()
        .connection_token(TOKEN)
        .build();
    for debug in [
        format!("{input:?}"),
        format!("{builder:?}"),
        format!("{credentials:?}"),
    ] {
        assert!(!debug.contains(TOKEN), "token leaked: {debug}");
        assert!(debug.contains("*** Sensitive Data Redacted ***"), "{debug}");
    }
    // Chat content is customer data: redacted too. Non-secret members stay visible, so
    // Debug is still useful.
    assert!(!format!("{input:?}").contains("hello"));
    assert!(format!("{input:?}").contains("text/plain"));
}

#[test]
fn modeled_errors_display_code_and_message() {
    let throttled = ThrottlingException::builder().message("slow down").build();
    let error = SendMessageError::ThrottlingException(throttled);
    assert!(error.is_throttling_exception());
    assert_eq!(error.code(), Some("ThrottlingException"));
    assert_eq!(error.to_string(), "ThrottlingException: slow down");
}

/// The fluent builder is the input builder with the client in it: the same setters and
/// getters, and `build()` gives the same input as the stand-alone builder.
#[test]
fn the_fluent_builder_is_the_input_builder_carrying_the_client() {
    use connectparticipant::operation::send_message::SendMessageInputBuilder;
    let config = connectparticipant::Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let client = connectparticipant::Client::new(&config).unwrap();
    let fluent: SendMessageInputBuilder<awsgen_runtime::ClientHandle> = client
        .send_message()
        .content_type("text/plain")
        .content("hi")
        .connection_token(TOKEN);
    assert_eq!(fluent.get_content().as_deref(), Some("hi"));
    let alone = SendMessageInputBuilder::default()
        .content_type("text/plain")
        .content("hi")
        .connection_token(TOKEN);
    assert_eq!(fluent.build().unwrap(), alone.build().unwrap());
    // Debug goes through the input's own redacting Debug.
    let shown = format!("{:?}", SendMessageInput::builder().connection_token(TOKEN));
    assert!(shown.starts_with("SendMessageInputBuilder"), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
}
