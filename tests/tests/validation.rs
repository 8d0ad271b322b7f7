//! Validation on the real operations: for each constraint kind, the boundary value
//! passes and the value just past it fails, with the member path and constraint named.

use awsgen_runtime::{Constraint, ValidationError, ValidationMode, REDACTED};
use connectparticipant::operation::cancel_participant_authentication::CancelParticipantAuthenticationInput;
use connectparticipant::operation::complete_attachment_upload::CompleteAttachmentUploadInput;
use connectparticipant::operation::create_participant_connection::CreateParticipantConnectionInput;
use connectparticipant::operation::describe_view::DescribeViewInput;
use connectparticipant::operation::get_transcript::GetTranscriptInput;
use connectparticipant::operation::send_message::SendMessageInput;
use connectparticipant::types::{ConnectionType, StartPosition};
use patterns_fixture::operation::tag_view::TagViewInput;

const TOKEN: &str = "bearer-token-under-test";

/// (path, constraint) of each violation.
fn violations(result: Result<(), ValidationError>) -> Vec<(String, Constraint)> {
    match result {
        Ok(()) => Vec::new(),
        Err(e) => e
            .violations()
            .iter()
            .map(|v| (v.path.clone(), v.constraint.clone()))
            .collect(),
    }
}

fn send_message(content: String) -> SendMessageInput {
    SendMessageInput::builder()
        .connection_token(TOKEN)
        .content_type("text/plain")
        .content(content)
        .build()
        .unwrap()
}

#[test]
fn content_length_is_counted_in_characters() {
    assert!(send_message("a".repeat(16384))
        .validate(ValidationMode::Full)
        .is_ok());
    // 16384 two-byte characters are 32768 bytes and still valid.
    assert!(send_message("é".repeat(16384))
        .validate(ValidationMode::Full)
        .is_ok());
    assert_eq!(
        violations(send_message("a".repeat(16385)).validate(ValidationMode::Full)),
        [(
            "Content".to_owned(),
            Constraint::MaxLength {
                max: 16384,
                actual: 16385
            }
        )]
    );
    assert_eq!(
        violations(send_message(String::new()).validate(ValidationMode::Full)),
        [(
            "Content".to_owned(),
            Constraint::MinLength { min: 1, actual: 0 }
        )]
    );
}

#[test]
fn max_results_range() {
    let input = |n: i32| {
        GetTranscriptInput::builder()
            .connection_token(TOKEN)
            .max_results(n)
            .build()
            .unwrap()
    };
    assert!(input(100).validate(ValidationMode::Full).is_ok());
    assert!(input(0).validate(ValidationMode::Full).is_ok());
    assert_eq!(
        violations(input(101).validate(ValidationMode::Full)),
        [("MaxResults".to_owned(), Constraint::Max { max: 100.0 })]
    );
    assert_eq!(
        violations(input(-1).validate(ValidationMode::Full)),
        [("MaxResults".to_owned(), Constraint::Min { min: 0.0 })]
    );
}

#[test]
fn nested_members_are_validated_with_their_path() {
    let input = GetTranscriptInput::builder()
        .connection_token(TOKEN)
        .start_position(StartPosition::builder().most_recent(101).id("").build())
        .build()
        .unwrap();
    assert_eq!(
        violations(input.validate(ValidationMode::Full)),
        [
            (
                "StartPosition.Id".to_owned(),
                Constraint::MinLength { min: 1, actual: 0 }
            ),
            (
                "StartPosition.MostRecent".to_owned(),
                Constraint::Max { max: 100.0 }
            ),
        ]
    );
}

#[test]
fn session_id_must_be_exactly_36_characters() {
    let input = |n: usize| {
        CancelParticipantAuthenticationInput::builder()
            .connection_token(TOKEN)
            .session_id("s".repeat(n))
            .build()
            .unwrap()
    };
    assert!(input(36).validate(ValidationMode::Full).is_ok());
    assert_eq!(
        violations(input(35).validate(ValidationMode::Full)),
        [(
            "SessionId".to_owned(),
            Constraint::MinLength {
                min: 36,
                actual: 35
            }
        )]
    );
    assert_eq!(
        violations(input(37).validate(ValidationMode::Full)),
        [(
            "SessionId".to_owned(),
            Constraint::MaxLength {
                max: 36,
                actual: 37
            }
        )]
    );
}

#[test]
fn an_empty_view_token_is_rejected() {
    let input = DescribeViewInput::builder()
        .connection_token(TOKEN)
        .view_token("")
        .build()
        .unwrap();
    assert_eq!(
        violations(input.validate(ValidationMode::Full)),
        [
            ("ViewToken".to_owned(), Constraint::EmptyUriLabel),
            (
                "ViewToken".to_owned(),
                Constraint::MinLength { min: 1, actual: 0 }
            ),
        ]
    );
    let ok = DescribeViewInput::builder()
        .connection_token(TOKEN)
        .view_token("v")
        .build()
        .unwrap();
    assert!(ok.validate(ValidationMode::Full).is_ok());
}

#[test]
fn attachment_ids_hold_exactly_one_entry() {
    let input = |ids: &[&str]| {
        CompleteAttachmentUploadInput::builder()
            .connection_token(TOKEN)
            .set_attachment_ids(Some(ids.iter().map(|s| s.to_string()).collect()))
            .build()
            .unwrap()
    };
    assert!(input(&["a"]).validate(ValidationMode::Full).is_ok());
    assert_eq!(
        violations(input(&[]).validate(ValidationMode::Full)),
        [(
            "AttachmentIds".to_owned(),
            Constraint::MinItems { min: 1, actual: 0 }
        )]
    );
    assert_eq!(
        violations(input(&["a", ""]).validate(ValidationMode::Full)),
        [
            (
                "AttachmentIds".to_owned(),
                Constraint::MaxItems { max: 1, actual: 2 }
            ),
            (
                "AttachmentIds[1]".to_owned(),
                Constraint::MinLength { min: 1, actual: 0 }
            ),
        ]
    );
}

#[test]
fn an_unknown_enum_value_is_a_violation_in_full_mode_only() {
    let input = CreateParticipantConnectionInput::builder()
        .participant_token(TOKEN)
        .r#type(ConnectionType::Websocket)
        .r#type(ConnectionType::Unknown("CARRIER_PIGEON".to_owned()))
        .build()
        .unwrap();
    let found = violations(input.validate(ValidationMode::Full));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "Type[1]");
    assert!(matches!(found[0].1, Constraint::Enum { allowed } if allowed.contains(&"WEBSOCKET")));
    assert!(input.validate(ValidationMode::RequiredOnly).is_ok());
    assert!(input.validate(ValidationMode::Off).is_ok());
}

#[test]
fn every_violation_is_reported_at_once_and_tokens_are_redacted() {
    let input = SendMessageInput::builder()
        .connection_token("t".repeat(1001))
        .content_type("")
        .content("a".repeat(16385))
        .client_token("c".repeat(501))
        .build()
        .unwrap();
    let error = input.validate(ValidationMode::Full).unwrap_err();
    let paths: Vec<_> = error.violations().iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        ["ContentType", "Content", "ClientToken", "ConnectionToken"]
    );
    let token = error
        .violations()
        .iter()
        .find(|v| v.path == "ConnectionToken")
        .unwrap();
    assert_eq!(token.value.as_deref(), Some(REDACTED));
    let text = error.to_string();
    assert!(
        text.starts_with("invalid SendMessageInput: 4 problems: ContentType has 0 characters"),
        "{text}"
    );
    assert!(!text.contains("tttttttttt"), "bearer token leaked: {text}");
    assert!(
        !text.contains(&"a".repeat(100)),
        "long values are shortened: {text}"
    );
}

#[test]
fn modes_turn_checks_down() {
    let input = send_message("a".repeat(16385));
    assert!(input.validate(ValidationMode::Full).is_err());
    assert!(input.validate(ValidationMode::RequiredOnly).is_ok());
    assert!(input.validate(ValidationMode::Off).is_ok());
}

#[test]
fn an_unset_idempotency_token_is_not_a_violation() {
    let input = CompleteAttachmentUploadInput::builder()
        .connection_token(TOKEN)
        .attachment_ids("a")
        .build()
        .expect("ClientToken is required in the model but filled by the client");
    assert!(input.validate(ValidationMode::Full).is_ok());
}

fn tag_view(name: &str) -> TagViewInput {
    TagViewInput::builder().name(name).build().unwrap()
}

#[test]
fn unicode_property_patterns() {
    assert!(tag_view("Überblick 2")
        .validate(ValidationMode::Full)
        .is_ok());
    assert!(tag_view("日本語のビュー")
        .validate(ValidationMode::Full)
        .is_ok());
    let found = violations(tag_view(" leading space").validate(ValidationMode::Full));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "Name");
    assert!(matches!(found[0].1, Constraint::Pattern { .. }));
}

#[test]
fn look_ahead_patterns_in_map_keys() {
    let input = TagViewInput::builder()
        .name("v")
        .tags("team", "blue")
        .tags("aws:owner", "x")
        .build()
        .unwrap();
    let found = violations(input.validate(ValidationMode::Full));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "Tags[\"aws:owner\"]");
    assert!(
        matches!(found[0].1, Constraint::Pattern { pattern } if pattern.starts_with("^(?!aws:)"))
    );
}

#[test]
fn patterns_are_not_implicitly_anchored() {
    let input = |id: &str| {
        TagViewInput::builder()
            .name("v")
            .meeting_id(id)
            .build()
            .unwrap()
    };
    assert!(input("meeting 0123abcd-0000-1111-2222-333344445555 (main)")
        .validate(ValidationMode::Full)
        .is_ok());
    assert!(input("not-a-guid").validate(ValidationMode::Full).is_err());
}

#[test]
fn sensitive_pattern_violations_do_not_show_the_value() {
    let input = TagViewInput::builder()
        .name("v")
        .secret("12a4")
        .build()
        .unwrap();
    let error = input.validate(ValidationMode::Full).unwrap_err();
    assert_eq!(error.violations()[0].value.as_deref(), Some(REDACTED));
    assert!(!error.to_string().contains("12a4"));
}

/// The generator compiles every model pattern with the flags the runtime uses, so that a
/// pattern that compiled at generation time compiles at run time.
#[test]
fn generator_and_runtime_compile_patterns_with_the_same_flags() {
    assert_eq!(
        awsgen_codegen::pattern::FLAGS,
        awsgen_runtime::Pattern::FLAGS
    );
}
