//! The wire's decisions are made in the plan, where emitters only read them: where each
//! member travels (header names in lower case; a nested structure's members all in the
//! body, under their `locationName`), which query members win over a query map's
//! entries (and a fixed query string's parameters), which structures are written or read
//! as JSON objects, which outputs are a body alone, and each exception's code and message
//! member.

use awsgen_codegen::plan::{Location, NamedQuery, OperationPlan, Plan, StructurePlan, TypeDef};
use awsgen_codegen::{check, plan, Customizations, Model};
use serde_json::json;

fn model() -> Model {
    let model = json!({
        "metadata": {"protocol": "rest-json", "serviceId": "Things", "apiVersion": "2024-01-01"},
        "operations": {
            "PutThing": {
                "name": "PutThing",
                "http": {"method": "POST", "requestUri": "/things/{Name}"},
                "input": {"shape": "PutThingRequest"},
                "output": {"shape": "PutThingResponse"},
                "errors": [{"shape": "BadThing"}, {"shape": "Gone"}]
            },
            "GetThing": {
                "name": "GetThing",
                "http": {"method": "GET", "requestUri": "/things/{Name}?versions&mode=all"},
                "input": {"shape": "DeleteThingRequest"},
                "output": {"shape": "GetThingResponse"}
            },
            "DeleteThing": {
                "name": "DeleteThing",
                "http": {"method": "DELETE", "requestUri": "/things/{Name}"},
                "input": {"shape": "DeleteThingRequest"},
                "output": {"shape": "DeleteThingResponse"}
            }
        },
        "shapes": {
            "PutThingRequest": {"type": "structure", "required": ["Name"], "members": {
                "Name": {"shape": "Text", "location": "uri", "locationName": "Name"},
                "Token": {"shape": "Text", "location": "header", "locationName": "X-Amz-Token"},
                "Meta": {"shape": "Tags", "location": "headers", "locationName": "X-Meta-"},
                "Limit": {"shape": "Count", "location": "querystring", "locationName": "limit"},
                "Filters": {"shape": "Tags", "location": "querystring"},
                "Body": {"shape": "Text", "locationName": "body"},
                "Inner": {"shape": "Inner"}
            }},
            "PutThingResponse": {"type": "structure", "members": {
                "Version": {"shape": "Text", "location": "header", "locationName": "X-Version"},
                "Value": {"shape": "Text"}
            }},
            "DeleteThingRequest": {"type": "structure", "required": ["Name"], "members": {
                "Name": {"shape": "Text", "location": "uri", "locationName": "Name"}
            }},
            "GetThingResponse": {"type": "structure", "members": {
                "Value": {"shape": "Text"}
            }},
            "DeleteThingResponse": {"type": "structure", "members": {
                "Version": {"shape": "Text", "location": "header", "locationName": "X-Version"}
            }},
            "Inner": {"type": "structure", "members": {
                "Hint": {"shape": "Text", "location": "header", "locationName": "X-Hint"},
                "Plain": {"shape": "Text"}
            }},
            "BadThing": {"type": "structure", "exception": true,
                "error": {"code": "Bad", "httpStatusCode": 400},
                "members": {"message": {"shape": "Text"}, "Reason": {"shape": "Text"}}},
            "Gone": {"type": "structure", "exception": true,
                "members": {"Detail": {"shape": "Text"}}},
            "Tags": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Text"}},
            "Text": {"type": "string"},
            "Count": {"type": "integer"}
        }
    });
    let model = Model::parse(&model.to_string()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(check::check(&model), Vec::new());
    model
}

fn planned() -> Plan {
    plan::plan(
        &model(),
        &Customizations::default(),
        &Default::default(),
        None,
    )
}

fn operation<'p>(plan: &'p Plan, name: &str) -> &'p OperationPlan {
    plan.operations
        .iter()
        .find(|op| op.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

fn location<'s>(structure: &'s StructurePlan, member: &str) -> &'s Location {
    &structure
        .members
        .iter()
        .find(|m| m.name == member)
        .unwrap_or_else(|| panic!("no member {member} in {}", structure.rust_name))
        .location
}

fn body(json_name: &str) -> Location {
    Location::Body {
        json_name: json_name.to_owned(),
    }
}

#[test]
fn header_names_are_planned_in_lower_case() {
    let plan = planned();
    let input = &operation(&plan, "PutThing").input;
    assert_eq!(
        location(input, "Token"),
        &Location::Header("x-amz-token".into())
    );
    assert_eq!(
        location(input, "Meta"),
        &Location::PrefixHeaders("x-meta-".into())
    );
    let output = &operation(&plan, "PutThing").output;
    assert_eq!(
        location(output, "Version"),
        &Location::Header("x-version".into())
    );
}

#[test]
fn body_members_travel_under_their_json_names() {
    let plan = planned();
    let input = &operation(&plan, "PutThing").input;
    assert_eq!(location(input, "Body"), &body("body"));
    assert_eq!(location(input, "Inner"), &body("Inner"));
}

#[test]
fn a_nested_structure_has_only_body_members() {
    let plan = planned();
    let inner = plan
        .types
        .iter()
        .find_map(|t| match t {
            TypeDef::Structure(s) if s.shape == "Inner" => Some(s),
            _ => None,
        })
        .expect("Inner is planned");
    // `location` means nothing below the top level: botocore writes the member in the
    // body, under its `locationName`.
    assert_eq!(location(inner, "Hint"), &body("X-Hint"));
    assert_eq!(location(inner, "Plain"), &body("Plain"));
    assert!(inner.wire.serialize && !inner.wire.deserialize);
}

#[test]
fn named_query_members_win_over_a_query_maps_entries() {
    let plan = planned();
    assert_eq!(
        operation(&plan, "PutThing").named_query,
        [NamedQuery {
            field: "limit".into(),
            name: "limit".into()
        }]
    );
    assert!(operation(&plan, "DeleteThing").named_query.is_empty());
}

/// A fixed query string's parameters are every request's, never a query map's entries;
/// an output whose members all travel in the body is a response of its body alone.
#[test]
fn static_query_keys_and_body_only_outputs_are_decided_in_the_plan() {
    let plan = planned();
    let get = operation(&plan, "GetThing");
    assert_eq!(get.uri_query.as_deref(), Some("versions&mode=all"));
    assert_eq!(get.static_query_keys, ["versions", "mode"]);
    assert!(get.output_body_only);
    let put = operation(&plan, "PutThing");
    assert!(put.static_query_keys.is_empty());
    assert!(!put.output_body_only, "X-Version travels in a header");
    assert!(!operation(&plan, "DeleteThing").output_body_only);
}

#[test]
fn only_structures_with_body_members_are_json_objects() {
    let plan = planned();
    let put = operation(&plan, "PutThing");
    assert!(put.input.wire.serialize);
    assert!(put.output.wire.deserialize);
    let delete = operation(&plan, "DeleteThing");
    assert!(!delete.input.wire.serialize, "only a URI label");
    assert!(!delete.output.wire.deserialize, "only a header");
}

#[test]
fn exceptions_carry_their_code_and_message_member() {
    let plan = planned();
    let error = |shape: &str| {
        plan.errors
            .iter()
            .find(|e| e.shape == shape)
            .unwrap_or_else(|| panic!("no exception {shape}"))
    };
    let bad = error("BadThing");
    let info = bad.error.as_ref().expect("an exception has its error info");
    assert_eq!(info.code, "Bad");
    assert_eq!(info.message_field.as_deref(), Some("message"));
    assert!(bad.wire.deserialize);
    // No `error` trait: the code is the shape name; no message member.
    let gone = error("Gone");
    let info = gone
        .error
        .as_ref()
        .expect("an exception has its error info");
    assert_eq!(info.code, "Gone");
    assert_eq!(info.message_field, None);
    assert!(gone.wire.deserialize);
    // The operation's error variants use the same codes.
    let codes: Vec<&str> = operation(&plan, "PutThing")
        .errors
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(codes, ["Bad", "Gone"]);
}
