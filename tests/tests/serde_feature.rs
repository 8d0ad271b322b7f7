//! The generated crate's `serde` feature: every type in `types` (errors included) and
//! every operation input and output serializes and deserializes with every member,
//! under the model's member names, and round-trips. The JSON each type is checked
//! against is built from the model (`models/service-2.json`), with every member set, and
//! the list of types below must cover every structure and enum the model has.
//!
//! The wire is unchanged by the feature: members that travel in headers stay out of the
//! request body (`a_header_member_is_in_the_serde_form_but_not_in_the_body`), and a model
//! whose members have JSON names of their own keeps model names in the serde form while
//! its requests and responses use the JSON names (`json_names`).

use std::collections::BTreeSet;

use connectparticipant::operation::{
    cancel_participant_authentication as cancel, complete_attachment_upload as complete,
    create_participant_connection as create, describe_view, disconnect_participant as disconnect,
    get_attachment, get_authentication_url as auth_url, get_transcript, send_event, send_message,
    start_attachment_upload as start_upload,
};
use connectparticipant::types::{self, error};
use serde_json::{json, Map, Value};

fn model() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../models/service-2.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the model is in the repository"))
        .expect("the model is JSON")
}

/// A value of `shape` with every member set; strings say where they are (`path`), so a
/// member that lands in another's place is seen.
fn sample(model: &Value, shape: &str, path: &str) -> Value {
    let definition = &model["shapes"][shape];
    match definition["type"].as_str().expect("every shape has a type") {
        "structure" => {
            let mut object = Map::new();
            let members = definition["members"].as_object().expect("members");
            for (name, member) in members {
                let target = member["shape"].as_str().expect("a member names its shape");
                // Under the model's member name, wherever the member travels.
                object.insert(
                    name.clone(),
                    sample(model, target, &format!("{path}.{name}")),
                );
            }
            Value::Object(object)
        }
        "list" => {
            let item = definition["member"]["shape"]
                .as_str()
                .expect("a list's member");
            json!([sample(model, item, &format!("{path}[0]"))])
        }
        "map" => {
            let key = definition["key"]["shape"].as_str().expect("a map's key");
            let value = definition["value"]["shape"]
                .as_str()
                .expect("a map's value");
            let Value::String(key) = sample(model, key, &format!("{path}.key")) else {
                panic!("map keys are strings");
            };
            json!({ key: sample(model, value, &format!("{path}.value")) })
        }
        "string" => match definition["enum"].as_array() {
            // The last value, so that a first-variant default is not mistaken for it.
            Some(values) => values.last().expect("an enum has values").clone(),
            None => json!(format!("text at {path}")),
        },
        "integer" | "long" => json!(7),
        "boolean" => json!(true),
        "double" | "float" => json!(1.5),
        "timestamp" => json!(1_700_000_000),
        "blob" => json!("aGk="),
        other => panic!("{shape}: a {other} shape is not sampled yet"),
    }
}

/// Deserializes the sample of `shape` as `T`, serializes it back and reads that again:
/// the JSON must come back unchanged (every member, every name) and the value equal.
fn round_trip<T>(model: &Value, shape: &str) -> String
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = sample(model, shape, shape);
    let value: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("{shape}: the sample does not deserialize: {e}\n{json:#}"));
    let written = serde_json::to_value(&value).expect("serializes");
    assert_eq!(
        written, json,
        "{shape}: serialized differently from the sample"
    );
    let again: T = serde_json::from_value(written).expect("reads its own JSON");
    assert_eq!(
        again, value,
        "{shape}: not the same value after a round trip"
    );
    shape.to_owned()
}

macro_rules! round_trips {
    ($model:expr, $($shape:literal => $ty:ty),* $(,)?) => {
        vec![$(round_trip::<$ty>($model, $shape)),*]
    };
}

#[test]
fn every_type_input_and_output_round_trips_with_every_member() {
    let model = &model();
    let checked: BTreeSet<String> = round_trips![model,
        "AccessDeniedException" => error::AccessDeniedException,
        "ArtifactStatus" => types::ArtifactStatus,
        "AttachmentItem" => types::AttachmentItem,
        "Attendee" => types::Attendee,
        "AudioFeatures" => types::AudioFeatures,
        "CancelParticipantAuthenticationRequest" => cancel::CancelParticipantAuthenticationInput,
        "CancelParticipantAuthenticationResponse" => cancel::CancelParticipantAuthenticationOutput,
        "ChatItemType" => types::ChatItemType,
        "CompleteAttachmentUploadRequest" => complete::CompleteAttachmentUploadInput,
        "CompleteAttachmentUploadResponse" => complete::CompleteAttachmentUploadOutput,
        "ConflictException" => error::ConflictException,
        "ConnectionCredentials" => types::ConnectionCredentials,
        "ConnectionType" => types::ConnectionType,
        "ContentDisposition" => types::ContentDisposition,
        "CreateParticipantConnectionRequest" => create::CreateParticipantConnectionInput,
        "CreateParticipantConnectionResponse" => create::CreateParticipantConnectionOutput,
        "DescribeViewRequest" => describe_view::DescribeViewInput,
        "DescribeViewResponse" => describe_view::DescribeViewOutput,
        "DisconnectParticipantRequest" => disconnect::DisconnectParticipantInput,
        "DisconnectParticipantResponse" => disconnect::DisconnectParticipantOutput,
        "GetAttachmentRequest" => get_attachment::GetAttachmentInput,
        "GetAttachmentResponse" => get_attachment::GetAttachmentOutput,
        "GetAuthenticationUrlRequest" => auth_url::GetAuthenticationUrlInput,
        "GetAuthenticationUrlResponse" => auth_url::GetAuthenticationUrlOutput,
        "GetTranscriptRequest" => get_transcript::GetTranscriptInput,
        "GetTranscriptResponse" => get_transcript::GetTranscriptOutput,
        "InternalServerException" => error::InternalServerException,
        "Item" => types::Item,
        "MeetingFeatureStatus" => types::MeetingFeatureStatus,
        "MeetingFeaturesConfiguration" => types::MeetingFeaturesConfiguration,
        "MessageMetadata" => types::MessageMetadata,
        "MessageProcessingMetadata" => types::MessageProcessingMetadata,
        "MessageProcessingStatus" => types::MessageProcessingStatus,
        "ParticipantRole" => types::ParticipantRole,
        "Receipt" => types::Receipt,
        "ResourceNotFoundException" => error::ResourceNotFoundException,
        "ResourceType" => types::ResourceType,
        "ScanDirection" => types::ScanDirection,
        "SendEventRequest" => send_event::SendEventInput,
        "SendEventResponse" => send_event::SendEventOutput,
        "SendMessageRequest" => send_message::SendMessageInput,
        "SendMessageResponse" => send_message::SendMessageOutput,
        "ServiceQuotaExceededException" => error::ServiceQuotaExceededException,
        "SortKey" => types::SortKey,
        "StartAttachmentUploadRequest" => start_upload::StartAttachmentUploadInput,
        "StartAttachmentUploadResponse" => start_upload::StartAttachmentUploadOutput,
        "StartPosition" => types::StartPosition,
        "ThrottlingException" => error::ThrottlingException,
        "UploadMetadata" => types::UploadMetadata,
        "ValidationException" => error::ValidationException,
        "View" => types::View,
        "ViewContent" => types::ViewContent,
        "WebRTCConnection" => types::WebRtcConnection,
        "WebRTCMediaPlacement" => types::WebRtcMediaPlacement,
        "WebRTCMeeting" => types::WebRtcMeeting,
        "Websocket" => types::Websocket,
    ]
    .into_iter()
    .collect();
    // Every structure (inputs, outputs, errors included) and every enum of the model.
    let expected: BTreeSet<String> = model["shapes"]
        .as_object()
        .expect("shapes")
        .iter()
        .filter(|(_, shape)| shape["type"] == "structure" || shape.get("enum").is_some())
        .map(|(name, _)| name.clone())
        .collect();
    let missing: Vec<&String> = expected.difference(&checked).collect();
    assert!(
        missing.is_empty(),
        "types without a round-trip test: {missing:?}"
    );
}

#[test]
fn members_the_crate_does_not_know_are_ignored_and_unknown_values_kept() {
    let item: types::Item = serde_json::from_value(json!({
        "Type": "A_NEW_ITEM_TYPE",
        "Content": "hi",
        "AddedLater": {"anything": [1, 2]},
    }))
    .expect("reads");
    assert_eq!(
        item.r#type(),
        Some(&types::ChatItemType::Unknown("A_NEW_ITEM_TYPE".to_owned()))
    );
    assert_eq!(item.content(), Some("hi"));
    assert_eq!(
        serde_json::to_value(&item).unwrap(),
        json!({"Type": "A_NEW_ITEM_TYPE", "Content": "hi"})
    );
    // Unset members are left out rather than written as null; null reads as unset.
    let empty: types::Item = serde_json::from_value(json!({"Content": null})).expect("reads");
    assert_eq!(serde_json::to_value(&empty).unwrap(), json!({}));
}

#[test]
fn a_wrongly_typed_member_is_an_error_that_names_it() {
    let error = serde_json::from_value::<send_message::SendMessageInput>(json!({
        "Content": "hi",
        "ConnectionToken": 5,
    }))
    .expect_err("a number is not a string");
    assert!(
        error.to_string().contains("invalid type: integer `5`"),
        "{error}"
    );
    let error = serde_json::from_str::<types::Item>(r#"{"Attachments": {"a": 1}}"#)
        .expect_err("an object is not a list");
    assert!(error.to_string().contains("line 1 column"), "{error}");
}

#[tokio::test]
async fn a_header_member_is_in_the_serde_form_but_not_in_the_body() {
    let input: send_message::SendMessageInput = serde_json::from_value(json!({
        "ContentType": "text/plain",
        "Content": "hi",
        "ClientToken": "token-1",
        "ConnectionToken": "secret-connection-token",
    }))
    .expect("reads");
    assert_eq!(input.connection_token(), Some("secret-connection-token"));
    assert_eq!(
        serde_json::to_value(&input).unwrap()["ConnectionToken"],
        "secret-connection-token"
    );

    // Sent as a user would send a stored input: the token goes in its header only.
    let mock = connectparticipant::mock::Mock::new();
    mock.output::<send_message::SendMessage>(send_message::SendMessageOutput::builder().build());
    let client = connectparticipant::Client::mock(&mock);
    client
        .send_message()
        .set_content_type(input.content_type().map(str::to_owned))
        .set_content(input.content().map(str::to_owned))
        .set_client_token(input.client_token().map(str::to_owned))
        .set_connection_token(input.connection_token().map(str::to_owned))
        .send()
        .await
        .expect("sent");
    let requests = mock.requests();
    let [(operation, request)] = requests.as_slice() else {
        panic!("one request: {requests:?}");
    };
    assert_eq!(*operation, "SendMessage");
    assert_eq!(
        request.headers.get("x-amz-bearer").unwrap(),
        "secret-connection-token"
    );
    let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(
        body,
        json!({"ContentType": "text/plain", "Content": "hi", "ClientToken": "token-1"})
    );
}

#[tokio::test]
async fn the_request_id_and_error_metadata_are_not_part_of_the_serde_form() {
    let mock = connectparticipant::mock::Mock::new();
    mock.http::<send_message::SendMessage>(
        200,
        &[("x-amzn-RequestId", "request-1")],
        &br#"{"Id": "message-1"}"#[..],
    )
    .error::<send_message::SendMessage>(403, "AccessDeniedException", "No.");
    let client = connectparticipant::Client::mock(&mock);
    let send = || {
        client
            .send_message()
            .connection_token("t")
            .content_type("text/plain")
            .content("hi")
            .send()
    };

    let output = send().await.expect("the scripted output");
    assert_eq!(output.request_id(), Some("request-1"));
    assert_eq!(
        serde_json::to_value(&output).unwrap(),
        json!({"Id": "message-1"})
    );

    let error = send().await.expect_err("the scripted error");
    let Some(send_message::SendMessageError::AccessDeniedException(denied)) =
        error.as_service_error()
    else {
        panic!("the modeled error: {error:?}");
    };
    assert_eq!(
        awsgen_runtime::ProvideErrorMetadata::meta(denied).code(),
        Some("AccessDeniedException")
    );
    assert_eq!(
        serde_json::to_value(denied).unwrap(),
        json!({"Message": "No."})
    );
}

// A model whose body members have JSON names of their own (`locationName`): the serde form
// still uses model names; the wire uses the JSON names, at every depth
// (`tests/fixtures/json-names.service-2.json`).
mod json_names {
    use json_names_fixture::mock::Mock;
    use json_names_fixture::operation::put_job::{PutJob, PutJobInput};
    use json_names_fixture::types::{Settings, Source};
    use json_names_fixture::Client;
    use serde_json::{json, Value};

    fn settings(source: &str) -> Settings {
        Settings::builder()
            .timecode_source(source)
            .priority(2)
            .plain("p")
            .build()
    }

    fn input() -> PutJobInput {
        PutJobInput::builder()
            .job_name("job")
            .token("header-token")
            .body("body-text")
            .settings(settings("EMBEDDED"))
            .outputs(settings("ZEROBASED"))
            .labels("k", settings("SPECIFIEDSTART"))
            .source(Source::Inline(settings("EMBEDDED")))
            .build()
            .expect("nothing required")
    }

    fn model_form(source: &str) -> Value {
        json!({"TimecodeSource": source, "Priority": 2, "Plain": "p"})
    }

    fn wire_form(source: &str) -> Value {
        json!({"timecodeSource": source, "priority": 2, "Plain": "p"})
    }

    #[test]
    fn the_serde_form_uses_model_names_and_round_trips() {
        let json = serde_json::to_value(input()).unwrap();
        assert_eq!(
            json,
            json!({
                "JobName": "job",
                "Token": "header-token",
                "Body": "body-text",
                "Settings": model_form("EMBEDDED"),
                "Outputs": [model_form("ZEROBASED")],
                "Labels": {"k": model_form("SPECIFIEDSTART")},
                "Source": {"Inline": model_form("EMBEDDED")},
            })
        );
        let back: PutJobInput = serde_json::from_value(json).unwrap();
        assert_eq!(back, input());
    }

    #[tokio::test]
    async fn the_wire_uses_json_names_at_every_depth_and_reads_them_back() {
        let mock = Mock::new();
        mock.http::<PutJob>(
            200,
            &[("x-request-tag", "from-header")],
            &br#"{"id": "job-1", "settings": {"timecodeSource": "EMBEDDED", "priority": 2, "Plain": "p"}, "RequestTag": "from-body"}"#[..],
        );
        let client = Client::mock(&mock);
        let input = input();
        let output = client
            .put_job()
            .set_job_name(input.job_name().map(str::to_owned))
            .set_token(input.token().map(str::to_owned))
            .set_body(input.body().map(str::to_owned))
            .set_settings(input.settings().cloned())
            .set_outputs(Some(input.outputs().to_vec()))
            .set_labels(input.labels().cloned())
            .set_source(input.source().cloned())
            .send()
            .await
            .expect("the scripted reply");

        let requests = mock.requests();
        let [(_, request)] = requests.as_slice() else {
            panic!("one request: {requests:?}");
        };
        assert_eq!(request.headers["x-token"], "header-token");
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(
            body,
            json!({
                "name": "job",
                // `Body`'s JSON name is the header member's name: the header member is
                // left out, `Body` goes under it.
                "Token": "body-text",
                "settings": wire_form("EMBEDDED"),
                "outputs": [wire_form("ZEROBASED")],
                "labels": {"k": wire_form("SPECIFIEDSTART")},
                "source": {"inline": wire_form("EMBEDDED")},
            })
        );

        // The response's JSON names are read; a body key named like the header member
        // does not fill it.
        assert_eq!(output.job_id(), Some("job-1"));
        assert_eq!(output.settings(), Some(&settings("EMBEDDED")));
        assert_eq!(output.request_tag(), Some("from-header"));
        assert_eq!(
            serde_json::to_value(&output).unwrap(),
            json!({"JobId": "job-1", "Settings": model_form("EMBEDDED"), "RequestTag": "from-header"})
        );
    }
}

/// Without the feature nothing in a generated crate implements serde: every derive of
/// `Serialize` or `Deserialize` and every `open_enum_serde!` is behind the feature, and
/// no impl of them is written out (the wire has traits of its own). Read from the
/// checked-in crates, which `cargo xtask codegen --check` keeps generated.
#[test]
fn without_the_feature_nothing_implements_serde() {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for path in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for crate_dir in [
        "../connectparticipant/src",
        "../connect/src",
        "fixture-crates/json-names/src",
    ] {
        rust_files(&root.join(crate_dir), &mut files);
    }
    let mut gated = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let mut previous = "";
        for (number, line) in text.lines().enumerate() {
            let at = format!("{}:{}", path.display(), number + 1);
            let derives_serde = line.contains("derive(awsgen_runtime::serde::");
            let enum_serde = line.contains("open_enum_serde!");
            if derives_serde || enum_serde {
                assert!(
                    line.contains("cfg_attr(feature = \"serde\"")
                        || previous.trim() == "#[cfg(feature = \"serde\")]",
                    "{at}: serde without the feature: {line}"
                );
                gated += 1;
            }
            for written_out in ["serde::Serialize for", "serde::Deserialize<'de> for"] {
                assert!(!line.contains(written_out), "{at}: {line}");
            }
            previous = line;
        }
    }
    assert!(
        gated > 100,
        "only {gated} serde derives found: are these the generated crates?"
    );
}
