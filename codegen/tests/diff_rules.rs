//! One small synthetic model pair per diff rule: each test changes one thing and checks
//! the change is found, at its path, with the severity our generated API gives it.

use awsgen_codegen::diff::{diff, Change, Severity};
use awsgen_codegen::Model;
use serde_json::{json, Value};

use Severity::{Additive, Breaking, Docs, Risky};

fn base() -> Value {
    json!({
        "metadata": {
            "protocol": "rest-json", "apiVersion": "2024-01-01", "endpointPrefix": "chat",
            "signingName": "chat", "jsonVersion": "1.1", "serviceId": "Chat"
        },
        "operations": {
            "SendMessage": {
                "name": "SendMessage",
                "http": {"method": "POST", "requestUri": "/message"},
                "input": {"shape": "SendMessageRequest"},
                "output": {"shape": "SendMessageResponse"},
                "errors": [{"shape": "ThrottlingException"}],
                "documentation": "<p>Sends.</p>"
            },
            "GetThing": {
                "name": "GetThing",
                "http": {"method": "GET", "requestUri": "/things/{Id}"},
                "input": {"shape": "GetThingRequest"},
                "output": {"shape": "GetThingResponse"},
                "errors": []
            }
        },
        "shapes": {
            "SendMessageRequest": {
                "type": "structure",
                "required": ["Content"],
                "members": {
                    "Content": {"shape": "ChatContent"},
                    "Status": {"shape": "Status"},
                    "Note": {"shape": "Note"},
                    "ClientToken": {"shape": "Note", "idempotencyToken": true},
                    "ConnectionToken": {"shape": "Note", "location": "header", "locationName": "X-Amz-Bearer"},
                    "When": {"shape": "When"}
                }
            },
            "SendMessageResponse": {
                "type": "structure",
                "required": ["Id"],
                "members": {"Id": {"shape": "Note"}, "Extra": {"shape": "Note"}, "Label": {"shape": "OutputLabel"}}
            },
            "GetThingRequest": {
                "type": "structure",
                "required": ["Id"],
                "members": {"Id": {"shape": "Note", "location": "uri", "locationName": "Id"}}
            },
            "GetThingResponse": {"type": "structure", "members": {"Thing": {"shape": "Thing"}}, "payload": "Thing"},
            "Thing": {"type": "structure", "members": {"Name": {"shape": "Note"}, "Count": {"shape": "Count"}}},
            "ThrottlingException": {"type": "structure", "members": {"Message": {"shape": "Note"}}, "exception": true},
            "ValidationException": {"type": "structure", "members": {"Message": {"shape": "Note"}}, "exception": true},
            "ChatContent": {"type": "string", "min": 1, "max": 100, "pattern": "^[a-z]+$"},
            "OtherContent": {"type": "string", "min": 1, "max": 100, "pattern": "^[a-z]+$"},
            "LooseContent": {"type": "string"},
            "OutputLabel": {"type": "string", "max": 10},
            "Note": {"type": "string"},
            "Status": {"type": "string", "enum": ["ACTIVE", "PAUSED"]},
            "Count": {"type": "integer"},
            "When": {"type": "timestamp"},
            "Unused": {"type": "structure", "members": {}}
        }
    })
}

fn changes(old: &Value, new: &Value) -> Vec<Change> {
    let parse = |v: &Value| Model::parse(&v.to_string()).unwrap_or_else(|e| panic!("{e}"));
    diff(&parse(old), &parse(new), Some("chat")).changes
}

/// Applies `edit` to a copy of the base model and returns the severity of the one change
/// at `path` (panicking, with everything found, if there is not exactly one).
fn graded(path: &str, edit: impl FnOnce(&mut Value)) -> Severity {
    let old = base();
    let mut new = base();
    edit(&mut new);
    let found = changes(&old, &new);
    let at_path: Vec<&Change> = found.iter().filter(|c| c.path == path).collect();
    assert_eq!(
        at_path.len(),
        1,
        "expected one change at {path}, found: {found:#?}"
    );
    at_path[0].severity
}

#[test]
fn identical_models_have_no_changes() {
    assert!(changes(&base(), &base()).is_empty());
}

#[test]
fn operations_added_and_removed() {
    let added = graded("operations.Ping", |m| {
        m["operations"]["Ping"] =
            json!({"name": "Ping", "http": {"method": "GET", "requestUri": "/ping"}});
    });
    assert_eq!(added, Additive);
    let removed = graded("operations.GetThing", |m| {
        m["operations"].as_object_mut().unwrap().remove("GetThing");
    });
    assert_eq!(removed, Breaking);
}

#[test]
fn http_method_and_uri_changes_are_risky() {
    assert_eq!(
        graded("operations.SendMessage.http", |m| m["operations"]
            ["SendMessage"]["http"]["method"] =
            json!("PUT")),
        Risky
    );
    assert_eq!(
        graded("operations.SendMessage.http", |m| m["operations"]
            ["SendMessage"]["http"]["requestUri"] =
            json!("/messages")),
        Risky
    );
}

#[test]
fn input_shape_swapped_for_an_equal_one_is_harmless_but_members_still_count() {
    let swap = |m: &mut Value| {
        m["shapes"]["SendMessageRequestV2"] = m["shapes"]["SendMessageRequest"].clone();
        m["operations"]["SendMessage"]["input"]["shape"] = json!("SendMessageRequestV2");
    };
    assert_eq!(graded("operations.SendMessage.input", swap), Docs);
    let mut new = base();
    swap(&mut new);
    new["shapes"]["SendMessageRequestV2"]["members"]["Channel"] = json!({"shape": "Note"});
    new["shapes"]["SendMessageRequestV2"]["required"] = json!(["Content", "Channel"]);
    let found = changes(&base(), &new);
    let member = found
        .iter()
        .find(|c| c.path == "operations.SendMessage.input.members.Channel")
        .expect("member change");
    assert_eq!(
        member.severity, Breaking,
        "a new required input member breaks existing calls"
    );
    assert_eq!(
        member.rust_item,
        "chat::operation::send_message::SendMessageInput::channel"
    );
}

#[test]
fn errors_added_and_removed() {
    assert_eq!(
        graded("operations.SendMessage.errors", |m| m["operations"]
            ["SendMessage"]["errors"] = json!([{"shape": "ThrottlingException"}, {"shape": "ValidationException"}])),
        Additive
    );
    let mut new = base();
    new["operations"]["SendMessage"]["errors"] = json!([]);
    let found = changes(&base(), &new);
    let removed = found
        .iter()
        .find(|c| c.path == "operations.SendMessage.errors")
        .unwrap();
    assert_eq!(removed.severity, Breaking);
    assert_eq!(
        removed.rust_item,
        "chat::operation::send_message::SendMessageError::ThrottlingException"
    );
}

#[test]
fn shapes_added_and_removed() {
    assert_eq!(
        graded("shapes.Orphan", |m| m["shapes"]["Orphan"] =
            json!({"type": "string"})),
        Docs
    );
    let referenced = graded("shapes.Extra", |m| {
        m["shapes"]["Extra"] = json!({"type": "structure", "members": {}});
        m["shapes"]["Thing"]["members"]["Extra"] = json!({"shape": "Extra"});
    });
    assert_eq!(referenced, Additive);
    // A shape nothing referred to goes away without anyone noticing.
    assert_eq!(
        graded("shapes.Unused", |m| {
            m["shapes"].as_object_mut().unwrap().remove("Unused");
        }),
        Docs
    );
    // Nor does one only another unreachable shape refers to: neither was generated.
    let orphans = |m: &mut Value| {
        m["shapes"]["OrphanParent"] =
            json!({"type": "structure", "members": {"Child": {"shape": "OrphanChild"}}});
        m["shapes"]["OrphanChild"] = json!({"type": "structure", "members": {}});
    };
    let mut old = base();
    orphans(&mut old);
    let found = changes(&old, &base());
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|c| c.severity == Docs), "{found:#?}");
    // A type of the generated crate going away breaks whoever named it.
    let removed = graded("shapes.Thing", |m| {
        m["shapes"].as_object_mut().unwrap().remove("Thing");
        m["shapes"]["GetThingResponse"] = json!({"type": "structure", "members": {}});
    });
    assert_eq!(removed, Breaking);
}

#[test]
fn shape_type_changes_break() {
    assert_eq!(
        graded("shapes.Count.type", |m| m["shapes"]["Count"]["type"] =
            json!("long")),
        Breaking
    );
    assert_eq!(
        graded("shapes.Note.enum", |m| m["shapes"]["Note"]["enum"] =
            json!(["A"])),
        Breaking
    );
}

#[test]
fn members_added_and_removed() {
    let optional_input = graded("shapes.SendMessageRequest.members.Channel", |m| {
        m["shapes"]["SendMessageRequest"]["members"]["Channel"] = json!({"shape": "Note"})
    });
    assert_eq!(optional_input, Additive);
    let required_input = graded("shapes.SendMessageRequest.members.Channel", |m| {
        m["shapes"]["SendMessageRequest"]["members"]["Channel"] = json!({"shape": "Note"});
        m["shapes"]["SendMessageRequest"]["required"] = json!(["Content", "Channel"]);
    });
    assert_eq!(required_input, Breaking);
    let output = graded("shapes.SendMessageResponse.members.Channel", |m| {
        m["shapes"]["SendMessageResponse"]["members"]["Channel"] = json!({"shape": "Note"})
    });
    assert_eq!(output, Additive);
    let removed = graded("shapes.SendMessageResponse.members.Extra", |m| {
        m["shapes"]["SendMessageResponse"]["members"]
            .as_object_mut()
            .unwrap()
            .remove("Extra");
    });
    assert_eq!(removed, Breaking);
}

#[test]
fn required_and_optional_matter_differently_for_inputs_and_outputs() {
    let path = "shapes.SendMessageRequest.required";
    assert_eq!(
        graded(path, |m| m["shapes"]["SendMessageRequest"]["required"] =
            json!(["Content", "Note"])),
        Breaking
    );
    assert_eq!(
        graded(path, |m| m["shapes"]["SendMessageRequest"]["required"] =
            json!([])),
        Additive
    );
    let path = "shapes.SendMessageResponse.required";
    assert_eq!(
        graded(path, |m| m["shapes"]["SendMessageResponse"]["required"] =
            json!([])),
        Risky
    );
    assert_eq!(
        graded(path, |m| m["shapes"]["SendMessageResponse"]["required"] =
            json!(["Id", "Extra"])),
        Docs
    );
}

#[test]
fn retargets_are_graded_by_rust_type_and_constraints() {
    let path = "shapes.SendMessageRequest.members.Content.shape";
    let set = |target: &'static str| {
        move |m: &mut Value| {
            m["shapes"]["SendMessageRequest"]["members"]["Content"]["shape"] = json!(target)
        }
    };
    assert_eq!(
        graded(path, set("OtherContent")),
        Docs,
        "same type, same constraints"
    );
    assert_eq!(
        graded(path, set("LooseContent")),
        Risky,
        "same type, other constraints"
    );
    assert_eq!(graded(path, set("Count")), Breaking, "String becomes i32");
}

#[test]
fn wire_bindings_and_flags_are_risky() {
    let member = "shapes.SendMessageRequest.members.ConnectionToken";
    assert_eq!(
        graded(&format!("{member}.location"), |m| m["shapes"]
            ["SendMessageRequest"]["members"]["ConnectionToken"]
            ["location"] =
            json!("querystring")),
        Risky
    );
    assert_eq!(
        graded(&format!("{member}.locationName"), |m| m["shapes"]
            ["SendMessageRequest"]["members"]["ConnectionToken"]
            ["locationName"] =
            json!("X-Token")),
        Risky
    );
    assert_eq!(
        graded("shapes.GetThingResponse.payload", |m| {
            m["shapes"]["GetThingResponse"]
                .as_object_mut()
                .unwrap()
                .remove("payload");
        }),
        Risky
    );
    let when = "shapes.SendMessageRequest.members.When.timestampFormat";
    assert_eq!(
        graded(when, |m| m["shapes"]["SendMessageRequest"]["members"]
            ["When"]["timestampFormat"] = json!("iso8601")),
        Risky
    );
    let token = "shapes.SendMessageRequest.members.ClientToken.idempotencyToken";
    assert_eq!(
        graded(token, |m| m["shapes"]["SendMessageRequest"]["members"]
            ["ClientToken"]["idempotencyToken"] =
            json!(false)),
        Risky
    );
    assert_eq!(
        graded("shapes.Note.sensitive", |m| m["shapes"]["Note"]
            ["sensitive"] = json!(true)),
        Risky
    );
}

/// The differ names variants as the generated crate does: `Unknown` is taken by the
/// open enum's own variant, and values that camel-case alike are numbered.
#[test]
fn enum_variants_are_named_as_the_plan_names_them() {
    let mut new = base();
    new["shapes"]["Status"]["enum"] = json!(["ACTIVE", "PAUSED", "Unknown", "paused"]);
    let found = changes(&base(), &new);
    let item = |value: &str| {
        found
            .iter()
            .find(|c| c.change == format!("enum value {value} added to Status"))
            .map(|c| c.rust_item.clone())
    };
    assert_eq!(
        item("Unknown").as_deref(),
        Some("chat::types::Status::UnknownValue")
    );
    assert_eq!(
        item("paused").as_deref(),
        Some("chat::types::Status::Paused2")
    );
}

/// Changes no model rule sees, found by comparing the two plans' public items: a new
/// enum value that takes an existing variant's name (its value now numbered), a new shape
/// that takes an existing builder's name. Both break callers' code.
#[test]
fn renames_only_the_plans_show_are_breaking() {
    let breaking_at = |found: &[Change], item: &str| {
        found
            .iter()
            .find(|c| c.rust_item == item)
            .map(|c| (c.severity, c.path.clone(), c.change.clone()))
    };

    let mut new = base();
    new["shapes"]["Status"]["enum"] = json!(["ACTIVE", "Paused", "PAUSED"]);
    let found = changes(&base(), &new);
    let (severity, path, change) = found
        .iter()
        .find(|c| c.rust_item == "chat::types::Status::Paused" && c.severity == Breaking)
        .map(|c| (c.severity, c.path.clone(), c.change.clone()))
        .unwrap_or_else(|| panic!("the variant that changed value is not reported: {found:#?}"));
    assert_eq!((severity, path.as_str()), (Breaking, "shapes.Status"));
    assert!(
        change.contains(
            r#"`chat::types::Status::Paused` was variant = "PAUSED", now variant = "Paused""#
        ),
        "{change}"
    );

    let mut new = base();
    new["shapes"]["ThingBuilder"] =
        json!({"type": "structure", "members": {"Name": {"shape": "Note"}}});
    new["shapes"]["GetThingResponse"]["members"]["Builder"] = json!({"shape": "ThingBuilder"});
    let found = changes(&base(), &new);
    let (severity, path, change) = breaking_at(&found, "chat::types::ThingBuilder")
        .unwrap_or_else(|| panic!("the renamed builder is not reported: {found:#?}"));
    assert_eq!(
        (severity, path.as_str()),
        (Breaking, "shapes.Thing"),
        "{change}"
    );
    assert!(
        change.contains("`chat::types::ThingBuilder` was builder of Thing, now struct"),
        "{change}"
    );
}

#[test]
fn enum_values_added_and_removed() {
    let changes_found = changes(&base(), &{
        let mut m = base();
        m["shapes"]["Status"]["enum"] = json!(["ACTIVE", "CLOSED"]);
        m
    });
    let grade = |change: &str| {
        changes_found
            .iter()
            .find(|c| c.change == change)
            .map(|c| (c.severity, c.rust_item.clone()))
    };
    assert_eq!(
        grade("enum value CLOSED added to Status"),
        Some((Additive, "chat::types::Status::Closed".to_owned()))
    );
    assert_eq!(
        grade("enum value PAUSED removed from Status"),
        Some((Breaking, "chat::types::Status::Paused".to_owned()))
    );
}

#[test]
fn input_constraints_tightened_loosened_added_and_removed() {
    let content = |key: &'static str, value: Value| {
        move |m: &mut Value| m["shapes"]["ChatContent"][key] = value
    };
    let remove = |key: &'static str| {
        move |m: &mut Value| {
            m["shapes"]["ChatContent"]
                .as_object_mut()
                .unwrap()
                .remove(key);
        }
    };
    assert_eq!(
        graded("shapes.ChatContent.min", content("min", json!(5))),
        Risky,
        "min tightened"
    );
    assert_eq!(
        graded("shapes.ChatContent.max", content("max", json!(1000))),
        Additive,
        "max loosened"
    );
    assert_eq!(
        graded("shapes.ChatContent.max", content("max", json!(50))),
        Risky,
        "max tightened"
    );
    assert_eq!(
        graded("shapes.ChatContent.min", remove("min")),
        Additive,
        "min removed"
    );
    assert_eq!(
        graded("shapes.ChatContent.pattern", remove("pattern")),
        Additive,
        "pattern removed"
    );
    assert_eq!(
        graded(
            "shapes.ChatContent.pattern",
            content("pattern", json!("^[a-z0-9]+$"))
        ),
        Risky,
        "pattern changed"
    );
    let added = graded("shapes.Note.pattern", |m| {
        m["shapes"]["Note"]["pattern"] = json!("^x")
    });
    assert_eq!(added, Risky, "pattern added to a shape inputs use");
    // Responses are never validated: constraints on output-only shapes change nothing.
    assert_eq!(
        graded("shapes.OutputLabel.max", |m| m["shapes"]["OutputLabel"]
            ["max"] = json!(5)),
        Docs
    );
}

#[test]
fn metadata_changes() {
    let meta = |key: &'static str, value: Value| move |m: &mut Value| m["metadata"][key] = value;
    assert_eq!(
        graded("metadata.protocol", meta("protocol", json!("json"))),
        Breaking
    );
    assert_eq!(
        graded(
            "metadata.endpointPrefix",
            meta("endpointPrefix", json!("chat2"))
        ),
        Risky
    );
    // The base model's requests go unsigned: its signing name means nothing to the crate.
    assert_eq!(
        graded(
            "metadata.signingName",
            meta("signingName", json!("execute-api"))
        ),
        Docs
    );
    assert_eq!(
        graded("metadata.auth", meta("auth", json!(["aws.auth#sigv4"]))),
        Risky
    );
    assert_eq!(
        graded(
            "metadata.apiVersion",
            meta("apiVersion", json!("2025-01-01"))
        ),
        Risky
    );
    assert_eq!(
        graded("metadata.jsonVersion", meta("jsonVersion", json!("1.0"))),
        Docs
    );
}

/// The diff reads each side with its customization file: when it overrides how requests
/// are signed, a signing change in the model changes nothing in the crate.
#[test]
fn signing_changes_the_customizations_override_are_docs() {
    use awsgen_codegen::diff::{diff_sides, Side};
    use awsgen_codegen::paginators::CheckedPaginators;
    use awsgen_codegen::Customizations;

    let parse = |v: &Value| Model::parse(&v.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let old = parse(&base());
    let mut signed = base();
    signed["metadata"]["signatureVersion"] = json!("v4");
    signed["metadata"]["signingName"] = json!("execute-api");
    let new = parse(&signed);
    let paginators = CheckedPaginators::new();
    let graded = |customizations: &Customizations| {
        let side = |model| Side {
            model,
            paginators: &paginators,
            customizations,
        };
        let report = diff_sides(side(&old), side(&new), Some("chat"));
        report
            .changes
            .iter()
            .find(|c| c.path == "metadata.signingName")
            .unwrap_or_else(|| panic!("{:#?}", report.changes))
            .severity
    };
    assert_eq!(graded(&Customizations::default()), Risky);
    let unsigned: Customizations = serde_json::from_value(json!({"auth": "none"})).unwrap();
    assert_eq!(graded(&unsigned), Docs);
}

#[test]
fn documentation_changes_are_docs() {
    let path = "operations.SendMessage.documentation";
    assert_eq!(
        graded(path, |m| m["operations"]["SendMessage"]["documentation"] =
            json!("<p>Sends a message.</p>")),
        Docs
    );
}

#[test]
fn text_and_json_reports_agree() {
    let mut new = base();
    new["operations"]["SendMessage"]["errors"] = json!([]);
    new["shapes"]["Status"]["enum"] = json!(["ACTIVE", "PAUSED", "CLOSED"]);
    let parse = |v: &Value| Model::parse(&v.to_string()).unwrap();
    let report = diff(&parse(&base()), &parse(&new), Some("chat"));
    let text = report.to_text(false);
    assert!(text.contains("breaking  operations.SendMessage.errors: error ThrottlingException removed from SendMessage [chat::operation::send_message::SendMessageError::ThrottlingException]"), "{text}");
    // No operation uses the exception any more, so its type is no longer generated: the
    // plans show it, the model (where the shape stays) does not.
    assert!(text.contains("breaking  shapes.ThrottlingException: `chat::types::error::ThrottlingException` (struct) removed [chat::types::error::ThrottlingException]"), "{text}");
    assert!(
        text.contains(
            "1 API item removed, 1 enum value added, 1 error removed; 2 breaking, 0 risky, 1 additive, 0 docs."
        ),
        "{text}"
    );
    assert!(
        text.contains("Breaking: error ThrottlingException removed from SendMessage"),
        "{text}"
    );
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["counts"]["breaking"], 2);
    assert_eq!(json["changes"][0]["severity"], "breaking");
    assert_eq!(json["changes"][0]["path"], "operations.SendMessage.errors");
    assert_eq!(
        json["changes"][0]["rust_item"],
        "chat::operation::send_message::SendMessageError::ThrottlingException"
    );
}
