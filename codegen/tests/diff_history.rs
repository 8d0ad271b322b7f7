//! `diff` on connectparticipant's real model history: every change that is not
//! documentation-only, with its severity, exactly as worked out from the files.

use awsgen_codegen::diff::{diff, DiffReport, Severity};
use awsgen_codegen::Model;

fn model(version: &str) -> Model {
    let path = format!(
        "{}/../tests/data/connectparticipant/service-2.botocore-{version}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    Model::load(std::path::Path::new(&path)).unwrap_or_else(|e| panic!("{e}"))
}

fn report(old: &str, new: &str) -> DiffReport {
    diff(&model(old), &model(new), Some("connectparticipant"))
}

/// (severity, path, change) of every change that is not documentation-only.
fn api_changes(report: &DiffReport) -> Vec<(Severity, String, String)> {
    report
        .changes
        .iter()
        .filter(|c| c.severity != Severity::Docs)
        .map(|c| (c.severity, c.path.clone(), c.change.clone()))
        .collect()
}

fn expect(report: &DiffReport, expected: &[(Severity, &str, &str)]) {
    let actual = api_changes(report);
    let expected: Vec<(Severity, String, String)> = expected
        .iter()
        .map(|(s, p, c)| (*s, p.to_string(), c.to_string()))
        .collect();
    assert_eq!(actual, expected, "\nactual:\n{actual:#?}");
}

fn added_shapes(names: &[&str]) -> Vec<(Severity, String, String)> {
    names
        .iter()
        .map(|n| {
            (
                Severity::Additive,
                format!("shapes.{n}"),
                format!("shape {n} added"),
            )
        })
        .collect()
}

use Severity::{Additive, Docs};

#[test]
fn from_1_13_50_to_1_19_63_attachments_arrive() {
    let report = report("1.13.50", "1.19.63");
    let mut expected: Vec<(Severity, &str, &str)> = vec![
        (
            Additive,
            "operations.CompleteAttachmentUpload",
            "operation CompleteAttachmentUpload added",
        ),
        (
            Additive,
            "operations.GetAttachment",
            "operation GetAttachment added",
        ),
        (
            Additive,
            "operations.StartAttachmentUpload",
            "operation StartAttachmentUpload added",
        ),
    ];
    let shapes = added_shapes(&[
        "ArtifactId",
        "ArtifactStatus",
        "AttachmentIdList",
        "AttachmentItem",
        "AttachmentName",
        "AttachmentSizeInBytes",
        "Attachments",
        "CompleteAttachmentUploadRequest",
        "CompleteAttachmentUploadResponse",
        "ConflictException",
        "ContentType",
        "GetAttachmentRequest",
        "GetAttachmentResponse",
        "NonEmptyClientToken",
        "PreSignedAttachmentUrl",
        "ServiceQuotaExceededException",
        "StartAttachmentUploadRequest",
        "StartAttachmentUploadResponse",
        "UploadMetadata",
        "UploadMetadataSignedHeaders",
        "UploadMetadataSignedHeadersKey",
        "UploadMetadataSignedHeadersValue",
        "UploadMetadataUrl",
    ]);
    expected.extend(shapes.iter().map(|(s, p, c)| (*s, p.as_str(), c.as_str())));
    for value in [
        "ATTACHMENT",
        "CHAT_ENDED",
        "PARTICIPANT_JOINED",
        "PARTICIPANT_LEFT",
        "TRANSFER_FAILED",
        "TRANSFER_SUCCEEDED",
        "TYPING",
    ] {
        let change: &'static str =
            Box::leak(format!("enum value {value} added to ChatItemType").into_boxed_str());
        expected.push((Additive, "shapes.ChatItemType.enum", change));
    }
    expected.push((
        Additive,
        "shapes.Item.members.Attachments",
        "member Attachments added to Item",
    ));
    expected.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    expect(&report, &expected);
    assert!(!report.has_breaking());
}

#[test]
fn from_1_19_63_to_1_29_165_limits_loosen_and_type_becomes_optional() {
    let report = report("1.19.63", "1.29.165");
    let mut expected: Vec<(Severity, &str, &str)> = vec![(
        Additive,
        "shapes.ChatContent.max",
        "ChatContent: max loosened from 1024 to 16384",
    )];
    let shapes = added_shapes(&["Bool", "MessageMetadata", "Receipt", "Receipts"]);
    expected.extend(shapes.iter().map(|(s, p, c)| (*s, p.as_str(), c.as_str())));
    expected.extend([
        (
            Additive,
            "shapes.ChatItemType.enum",
            "enum value MESSAGE_DELIVERED added to ChatItemType",
        ),
        (
            Additive,
            "shapes.ChatItemType.enum",
            "enum value MESSAGE_READ added to ChatItemType",
        ),
        (
            Additive,
            "shapes.CreateParticipantConnectionRequest.members.ConnectParticipant",
            "member ConnectParticipant added to CreateParticipantConnectionRequest",
        ),
        (
            Additive,
            "shapes.CreateParticipantConnectionRequest.required",
            "Type of CreateParticipantConnectionRequest is no longer required",
        ),
        (
            Additive,
            "shapes.Item.members.ContactId",
            "member ContactId added to Item",
        ),
        (
            Additive,
            "shapes.Item.members.MessageMetadata",
            "member MessageMetadata added to Item",
        ),
        (
            Additive,
            "shapes.Item.members.RelatedContactId",
            "member RelatedContactId added to Item",
        ),
    ]);
    expected.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    expect(&report, &expected);
}

#[test]
fn from_1_29_165_to_1_34_162_describe_view_and_a_send_event_error() {
    let report = report("1.29.165", "1.34.162");
    let mut expected: Vec<(Severity, &str, &str)> = vec![
        (
            Additive,
            "operations.DescribeView",
            "operation DescribeView added",
        ),
        (
            Additive,
            "operations.SendEvent.errors",
            "error ConflictException added to SendEvent",
        ),
        (
            Additive,
            "shapes.ParticipantRole.enum",
            "enum value CUSTOM_BOT added to ParticipantRole",
        ),
        (
            Additive,
            "shapes.ParticipantRole.enum",
            "enum value SUPERVISOR added to ParticipantRole",
        ),
    ];
    let shapes = added_shapes(&[
        "ARN",
        "DescribeViewRequest",
        "DescribeViewResponse",
        "ResourceId",
        "ResourceNotFoundException",
        "ResourceType",
        "View",
        "ViewAction",
        "ViewActions",
        "ViewContent",
        "ViewId",
        "ViewInputSchema",
        "ViewName",
        "ViewTemplate",
        "ViewToken",
        "ViewVersion",
    ]);
    expected.extend(shapes.iter().map(|(s, p, c)| (*s, p.as_str(), c.as_str())));
    expected.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    expect(&report, &expected);
    let error = report
        .changes
        .iter()
        .find(|c| c.path == "operations.SendEvent.errors")
        .unwrap();
    assert_eq!(
        error.rust_item,
        "connectparticipant::operation::send_event::SendEventError::ConflictException"
    );
}

#[test]
fn from_1_34_162_to_1_44_5_authentication_webrtc_and_renamed_shapes() {
    let report = report("1.34.162", "1.44.5");
    // `auth: ["aws.auth#sigv4"]` arrives, but `signatureVersion` already said v4: requests
    // are signed as before, so it is documentation.
    let auth = report
        .changes
        .iter()
        .find(|c| c.path == "metadata.auth")
        .expect("the auth change is reported");
    assert_eq!(auth.severity, Docs);
    let mut expected: Vec<(Severity, &str, &str)> = vec![
        (
            Additive,
            "operations.CancelParticipantAuthentication",
            "operation CancelParticipantAuthentication added",
        ),
        (
            Additive,
            "operations.GetAuthenticationUrl",
            "operation GetAuthenticationUrl added",
        ),
        (
            Additive,
            "shapes.ConnectionType.enum",
            "enum value WEBRTC_CONNECTION added to ConnectionType",
        ),
        (
            Additive,
            "shapes.CreateParticipantConnectionResponse.members.WebRTCConnection",
            "member WebRTCConnection added to CreateParticipantConnectionResponse",
        ),
        (
            Additive,
            "shapes.GetAttachmentRequest.members.UrlContentDisposition",
            "member UrlContentDisposition added to GetAttachmentRequest",
        ),
        (
            Additive,
            "shapes.GetAttachmentRequest.members.UrlExpiryInSeconds",
            "member UrlExpiryInSeconds added to GetAttachmentRequest",
        ),
        (
            Additive,
            "shapes.GetAttachmentResponse.members.AttachmentSizeInBytes",
            "member AttachmentSizeInBytes added to GetAttachmentResponse",
        ),
        (
            Additive,
            "shapes.MessageMetadata.members.MessageProcessingStatus",
            "member MessageProcessingStatus added to MessageMetadata",
        ),
        (
            Additive,
            "shapes.SendMessageResponse.members.MessageMetadata",
            "member MessageMetadata added to SendMessageResponse",
        ),
    ];
    let shapes = added_shapes(&[
        "Attendee",
        "AttendeeId",
        "AudioFeatures",
        "AuthenticationUrl",
        "CancelParticipantAuthenticationRequest",
        "CancelParticipantAuthenticationResponse",
        "ContentDisposition",
        "GetAuthenticationUrlRequest",
        "GetAuthenticationUrlResponse",
        "GuidString",
        "JoinToken",
        "MeetingFeatureStatus",
        "MeetingFeaturesConfiguration",
        "MessageProcessingMetadata",
        "MessageProcessingStatus",
        "MetadataUrl",
        "RedirectURI",
        "SessionId",
        "URI",
        "URLExpiryInSeconds",
        "UrlMetadataSignedHeaders",
        "UrlMetadataSignedHeadersKey",
        "UrlMetadataSignedHeadersValue",
        "WebRTCConnection",
        "WebRTCMediaPlacement",
        "WebRTCMeeting",
    ]);
    expected.extend(shapes.iter().map(|(s, p, c)| (*s, p.as_str(), c.as_str())));
    expected.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    expect(&report, &expected);

    // The renamed map and URL shapes: same Rust types, so documentation-level only.
    let docs: Vec<(&str, &str)> = report
        .changes
        .iter()
        .filter(|c| c.severity == Docs)
        .map(|c| (c.path.as_str(), c.change.as_str()))
        .collect();
    for expected in [
        ("shapes.UploadMetadata.members.HeadersToInclude.shape", "UploadMetadata.HeadersToInclude retargeted from UploadMetadataSignedHeaders to UrlMetadataSignedHeaders: same Rust type HashMap<String, String>"),
        ("shapes.UploadMetadata.members.Url.shape", "UploadMetadata.Url retargeted from UploadMetadataUrl to MetadataUrl: same Rust type String"),
        ("shapes.UploadMetadataSignedHeaders", "shape UploadMetadataSignedHeaders removed"),
        ("shapes.UploadMetadataUrl", "shape UploadMetadataUrl removed"),
        ("metadata.protocols", "protocols changed from [] to [\"rest-json\"]"),
    ] {
        assert!(docs.contains(&expected), "missing docs change {expected:?} in {docs:#?}");
    }
    assert!(!report.has_breaking());
}

#[test]
fn the_summary_is_ready_for_a_changelog() {
    let summary = report("1.29.165", "1.34.162").summary();
    assert!(
        summary.starts_with("16 shapes added, 2 enum values added, 1 error added, 1 operation added; 0 breaking, 0 risky, 20 additive,"),
        "{summary}"
    );
}
