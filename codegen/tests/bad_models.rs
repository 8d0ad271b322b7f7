//! The generator on models that are wrong (clear errors with JSON paths, never a panic)
//! and on models that are unusual but valid (they must generate).

use awsgen_codegen::{
    generate, generate_from_model, Customizations, Error, GeneratorInputs, Model, Options,
    RuntimeDependency,
};
use serde_json::{json, Value};

/// A small valid model; each test breaks or stretches one thing.
fn base_model() -> Value {
    json!({
        "metadata": {"protocol": "rest-json", "serviceId": "Chat", "apiVersion": "2024-01-01"},
        "operations": {
            "SendMessage": {
                "name": "SendMessage",
                "http": {"method": "POST", "requestUri": "/message"},
                "input": {"shape": "SendMessageRequest"},
                "output": {"shape": "SendMessageResponse"},
                "errors": [{"shape": "ThrottlingException"}]
            }
        },
        "shapes": {
            "SendMessageRequest": {
                "type": "structure",
                "required": ["Content"],
                "members": {"Content": {"shape": "ChatContent"}}
            },
            "SendMessageResponse": {"type": "structure", "members": {"Id": {"shape": "ChatContent"}}},
            "ThrottlingException": {
                "type": "structure",
                "members": {"Message": {"shape": "ChatContent"}},
                "exception": true
            },
            "ChatContent": {"type": "string", "min": 1, "max": 16384}
        }
    })
}

fn runtime() -> RuntimeDependency {
    RuntimeDependency {
        path: "../runtime".to_owned(),
    }
}

fn run(model: &Value) -> Result<Vec<awsgen_codegen::GeneratedFile>, Error> {
    let model = Model::parse(&model.to_string()).map_err(|message| Error::Load {
        path: "model.json".into(),
        message,
    })?;
    let inputs = GeneratorInputs {
        model: &model,
        customizations: &Customizations::default(),
        rules: None,
        partitions: &[],
        paginators: &Default::default(),
    };
    generate_from_model(&inputs, "chat", &runtime())
}

/// The problems of a model that must fail the check stage, as `path: message` lines.
fn problems(model: &Value) -> Vec<String> {
    match run(model) {
        Err(Error::Check { problems, .. }) => problems.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("expected check problems, got {other}"),
        Ok(_) => panic!("expected check problems, but the model generated"),
    }
}

fn file<'a>(files: &'a [awsgen_codegen::GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn the_base_model_generates() {
    let files = run(&base_model()).expect("base model is valid");
    assert!(file(&files, "src/operation/send_message.rs").contains("pub struct SendMessageInput"));
}

#[test]
fn dangling_shape_reference_names_its_path() {
    let mut model = base_model();
    model["shapes"]["SendMessageRequest"]["members"]["Content"]["shape"] = json!("ChatContnt");
    assert_eq!(
        problems(&model),
        ["shapes.SendMessageRequest.members.Content.shape: no shape named \"ChatContnt\""]
    );
}

/// The message of a model that must fail loading (shape kinds, locations and timestamp
/// formats are typed when loaded, so the later stages never see an unknown one).
fn load_error(model: &Value) -> String {
    match run(model) {
        Err(Error::Load { message, .. }) => message,
        Err(other) => panic!("expected a load error, got {other}"),
        Ok(_) => panic!("expected a load error, but the model generated"),
    }
}

#[test]
fn unknown_shape_type_is_reported() {
    let mut model = base_model();
    model["shapes"]["ChatContent"]["type"] = json!("strang");
    let message = load_error(&model);
    assert!(
        message.starts_with(
            "shapes.ChatContent: unknown shape type \"strang\" (expected one of: structure, list"
        ),
        "{message}"
    );
}

#[test]
fn lists_and_maps_without_their_elements_are_reported() {
    let mut model = base_model();
    model["shapes"]["Items"] = json!({"type": "list"});
    let message = load_error(&model);
    assert!(
        message.starts_with("shapes.Items: a list needs a \"member\" shape at line 1"),
        "{message}"
    );
    let mut model = base_model();
    model["shapes"]["Tags"] = json!({"type": "map", "key": {"shape": "ChatContent"}});
    let message = load_error(&model);
    assert!(
        message.starts_with("shapes.Tags: a map needs a \"value\" shape at line 1"),
        "{message}"
    );
}

#[test]
fn unknown_locations_and_timestamp_formats_are_reported() {
    let mut model = base_model();
    model["shapes"]["SendMessageRequest"]["members"]["Content"]["location"] = json!("body");
    let message = load_error(&model);
    assert!(
        message.starts_with(
            "shapes.SendMessageRequest.members.Content.location: unknown variant `body`"
        ),
        "{message}"
    );
    let mut model = base_model();
    model["shapes"]["SendMessageRequest"]["members"]["Content"]["timestampFormat"] = json!("epoch");
    let message = load_error(&model);
    assert!(
        message.starts_with(
            "shapes.SendMessageRequest.members.Content.timestampFormat: unknown variant `epoch`"
        ),
        "{message}"
    );
}

#[test]
fn min_on_a_structure_is_reported() {
    let mut model = base_model();
    model["shapes"]["SendMessageResponse"]["min"] = json!(1);
    assert_eq!(
        problems(&model),
        ["shapes.SendMessageResponse.min: \"min\" does not apply to a structure"]
    );
}

/// Member names that collide with each other or with the generated API's own methods
/// are renamed by `naming::member_fields`' rules, not refused.
#[test]
fn colliding_member_names_are_resolved_deterministically() {
    let mut model = base_model();
    let members = &mut model["shapes"]["SendMessageRequest"]["members"];
    for name in [
        "content",
        "Build",
        "Send",
        "Validate",
        "Builder",
        "SetContent",
    ] {
        members[name] = json!({"shape": "ChatContent"});
    }
    let files = run(&model).unwrap_or_else(|e| panic!("{e}"));
    let op = file(&files, "src/operation/send_message.rs");
    for method in [
        "pub fn content(",
        "pub fn content_2(",
        "pub fn build_value(",
        "pub fn send_value(",
        "pub fn validate_value(",
        "pub fn builder_value(",
        // Builder methods are made by `builder_member!`, which the plan's names are given to.
        "value set_content_value(String),",
        "value content(String), set_content, get_content,",
        "pub fn build(self)",
        "pub async fn send(",
    ] {
        assert!(op.contains(method), "{method} missing");
    }
    assert_eq!(
        run(&model).unwrap(),
        files,
        "the same model gives the same names"
    );
}

#[test]
fn missing_operation_input_shape_is_reported() {
    let mut model = base_model();
    model["operations"]["SendMessage"]["input"]["shape"] = json!("SendMessageRequestV2");
    assert_eq!(
        problems(&model),
        ["operations.SendMessage.input.shape: no shape named \"SendMessageRequestV2\""]
    );
}

#[test]
fn a_request_uri_with_an_unclosed_label_is_reported() {
    for uri in ["/message/{Id", "/message/Id}"] {
        let mut model = base_model();
        model["operations"]["SendMessage"]["http"]["requestUri"] = json!(uri);
        assert_eq!(
            problems(&model),
            [format!(
                "operations.SendMessage.http.requestUri: \"{uri}\" has a brace that opens or closes no label"
            )]
        );
    }
}

#[test]
fn every_problem_is_collected_not_only_the_first() {
    let mut model = base_model();
    model["shapes"]["SendMessageRequest"]["members"]["Content"]["shape"] = json!("Nope");
    model["shapes"]["SendMessageResponse"]["pattern"] = json!("^a$");
    model["shapes"]["ChatContent"]["enum"] = json!(["A"]);
    model["shapes"]["ChatContent"]["min"] = json!(20000);
    model["operations"]["SendMessage"]["http"]["method"] = json!("FETCH");
    model["operations"]["SendMessage"]["http"]["requestUri"] = json!("/message/{Id}");
    let found = problems(&model);
    for expected in [
        "shapes.SendMessageRequest.members.Content.shape: no shape named \"Nope\"",
        "shapes.SendMessageResponse.pattern: \"pattern\" does not apply to a structure",
        "shapes.ChatContent.min: min 20000 is greater than max 16384",
        "operations.SendMessage.http.method: unknown HTTP method \"FETCH\"",
        "operations.SendMessage.http.requestUri: label {Id} is not bound to any input member with location \"uri\"",
    ] {
        assert!(found.iter().any(|p| p == expected), "missing {expected:?} in {found:#?}");
    }
    assert_eq!(found.len(), 5, "{found:#?}");
}

#[test]
fn rust_keywords_as_member_names_work() {
    let mut model = base_model();
    let members = &mut model["shapes"]["SendMessageRequest"]["members"];
    for name in ["Type", "Match", "Self", "Async", "Crate"] {
        members[name] = json!({"shape": "ChatContent"});
    }
    let files = run(&model).expect("keywords are valid member names");
    let input = file(&files, "src/operation/send_message.rs");
    for expected in [
        "r#type: Option<String>",
        "r#match: Option<String>",
        "self_: Option<String>",
        "r#async:",
        "crate_:",
    ] {
        assert!(
            input.contains(expected),
            "missing {expected} in generated input"
        );
    }
    // The builder's docs link to the getter by its plain name: rustdoc does not resolve
    // `SendMessageInput::r#type`.
    assert!(
        input.contains("value r#type(String), set_type, get_type, \"SendMessageInput::type\""),
        "{input}"
    );
}

#[test]
fn a_structure_that_contains_itself_is_boxed() {
    let mut model = base_model();
    model["shapes"]["Node"] = json!({"type": "structure", "members": {
        "Next": {"shape": "Node"}, "Children": {"shape": "NodeList"}
    }});
    model["shapes"]["NodeList"] = json!({"type": "list", "member": {"shape": "Node"}});
    model["shapes"]["SendMessageRequest"]["members"]["Root"] = json!({"shape": "Node"});
    let files = run(&model).expect("recursive structures are valid");
    let types = file(&files, "src/types.rs");
    assert!(
        types.contains("next: Option<Box<crate::types::Node>>"),
        "{types}"
    );
    // A list already gives indirection: no box needed there.
    assert!(
        types.contains("children: Option<Vec<crate::types::Node>>"),
        "{types}"
    );
}

#[test]
fn a_file_that_is_not_json_is_a_load_error() {
    let dir = std::env::temp_dir().join(format!("awsgen-not-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("service-2.json");
    std::fs::write(&path, "{\n  \"metadata\": oops\n}").unwrap();
    let options = Options {
        model: path.clone(),
        customizations: None,
        endpoint_rules: None,
        partitions: None,
        paginators: None,
        crate_name: Some("chat".to_owned()),
        runtime: runtime(),
    };
    let error = generate(&options).expect_err("not JSON");
    let message = error.to_string();
    assert!(matches!(error, Error::Load { .. }), "{message}");
    assert!(
        message.contains("service-2.json: not valid JSON"),
        "{message}"
    );
    assert!(message.contains("line 2"), "{message}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_value_of_the_wrong_type_names_its_json_path() {
    let mut model = base_model();
    model["shapes"]["ChatContent"]["max"] = json!("big");
    let message = match run(&model) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a string max must not load"),
    };
    assert!(message.contains("shapes.ChatContent.max"), "{message}");
}

#[test]
fn a_missing_file_names_the_path() {
    let options = Options {
        model: "/nonexistent/service-2.json".into(),
        customizations: None,
        endpoint_rules: None,
        partitions: None,
        paginators: None,
        crate_name: Some("chat".to_owned()),
        runtime: runtime(),
    };
    let message = generate(&options).expect_err("no such file").to_string();
    assert!(
        message.starts_with("/nonexistent/service-2.json: "),
        "{message}"
    );
}

#[test]
fn only_rest_json_is_accepted() {
    let mut model = base_model();
    model["metadata"]["protocol"] = json!("query");
    assert_eq!(
        problems(&model),
        ["metadata.protocol: only the rest-json protocol is supported, found \"query\""]
    );
}

#[test]
fn unknown_keys_are_tolerated() {
    let mut model = base_model();
    model["metadata"]["somethingNew"] = json!({"a": 1});
    model["shapes"]["ChatContent"]["newTrait"] = json!(true);
    model["operations"]["SendMessage"]["newOperationKey"] = json!([1, 2]);
    assert!(run(&model).is_ok());
}

#[test]
fn required_members_are_all_named_by_build() {
    let mut model = base_model();
    model["shapes"]["SendMessageRequest"]["required"] = json!(["Content", "Token"]);
    model["shapes"]["SendMessageRequest"]["members"]["Token"] =
        json!({"shape": "ChatContent", "idempotencyToken": true});
    let files = run(&model).unwrap();
    let input = file(&files, "src/operation/send_message.rs");
    assert!(input.contains("(\"Content\", \"content\", self.inner.content.is_some())"));
    // The client fills idempotency tokens, so build() must not demand them.
    assert!(!input.contains("(\"Token\","));
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("awsgen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `model` as `dir/service-2.json` (so companion files are found by botocore's
/// naming) and returns its path.
fn write_model(dir: &std::path::Path, model: &Value) -> std::path::PathBuf {
    let path = dir.join("service-2.json");
    std::fs::write(&path, model.to_string()).unwrap();
    path
}

fn options_for(model: std::path::PathBuf) -> Options {
    Options {
        model,
        customizations: None,
        endpoint_rules: None,
        partitions: None,
        paginators: None,
        crate_name: Some("chat".to_owned()),
        runtime: runtime(),
    }
}

/// A model not named `*service-2*` has no companions by convention: it is never read as
/// its own rule set, and without one the crate asks for an endpoint URL at run time.
#[test]
fn any_model_file_name_works_and_is_never_its_own_rule_set() {
    let dir = scratch("any-name");
    let model = dir.join("mq.json");
    std::fs::write(&model, base_model().to_string()).unwrap();
    // Even a file that looks like a rule set by name is not taken for this model.
    std::fs::write(dir.join("endpoint-rule-set-1.json"), "not json").unwrap();
    let generated = generate(&options_for(model.clone())).unwrap_or_else(|e| panic!("{e}"));
    let endpoint = file(&generated.files, "src/endpoint.rs");
    assert!(
        endpoint.contains("without an endpoint rule set"),
        "{endpoint}"
    );
    let lib = file(&generated.files, "src/lib.rs");
    assert!(
        lib.contains("endpoint_url"),
        "the crate docs say an endpoint URL is needed:\n{lib}"
    );

    // Given explicitly, the rule set (and the partitions it needs) are used.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../models");
    let mut options = options_for(model);
    options.endpoint_rules = Some(format!("{root}/endpoint-rule-set-1.json").into());
    options.partitions = Some(format!("{root}/partitions.json").into());
    let generated = generate(&options).unwrap_or_else(|e| panic!("{e}"));
    assert!(file(&generated.files, "src/endpoint.rs").contains("PARTITIONS"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_botocore_named_model_finds_its_rule_set_but_not_itself() {
    let dir = scratch("botocore-names");
    let model = write_model(&dir, &base_model());
    std::fs::write(dir.join("endpoint-rule-set-1.json"), "{}").unwrap();
    let message = generate(&options_for(model)).unwrap_err().to_string();
    assert!(
        message.contains("endpoint-rule-set-1.json") && message.contains("parameters"),
        "the rule set beside it is read (and this one is empty): {message}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Hostile strings wherever the model has text: documentation with multi-byte characters
/// right after tags, broken tags and entities; names that are keywords, digits, symbols
/// or non-ASCII. The generator returns files or errors; it never panics.
#[test]
fn hostile_documentation_and_names_never_panic() {
    let docs = [
        "<p>—dash after a tag</p>",
        "<b>’quote</b><i>±</i><code>“x”</code>",
        "<",
        "<<<>>>",
        "<a href=\"",
        "<a href='x'>",
        "&#xFFFFFFFF; &#99999999; &; &&; &#x; &nbsp",
        "</p></ul></li>",
        "<p>\u{a0}•\u{2028}\u{0}</p>",
        "<pre>```</pre><code>`</code>",
        "https://x>y https://",
        "é<br/>é<br>é",
    ];
    let names = [
        "Self", "self", "crate", "super", "type", "_", "0", "1abc", "é", "a-b", "Unknown",
        "builder", "build", "send", "validate", "set_x", "Error", "Result", "r#type", "",
    ];
    for (i, doc) in docs.iter().enumerate() {
        let name = names[i % names.len()];
        let mut model = base_model();
        model["documentation"] = json!(doc);
        model["operations"]["SendMessage"]["documentation"] = json!(doc);
        model["shapes"]["ChatContent"]["documentation"] = json!(doc);
        model["shapes"]["SendMessageRequest"]["members"]["Content"]["documentation"] = json!(doc);
        model["shapes"]["Kind"] = json!({"type": "string", "enum": [name, doc, "", name.to_uppercase()], "documentation": doc});
        model["shapes"]["SendMessageRequest"]["members"][name] =
            json!({"shape": "Kind", "documentation": doc});
        // Either outcome is fine; a panic fails the test.
        let _ = run(&model);
    }
    for name in names {
        let mut model = base_model();
        model["shapes"]["SendMessageRequest"]["members"][name] = json!({"shape": "ChatContent"});
        model["shapes"]["Odd"] = json!({"type": "string", "enum": [name, "x"]});
        model["shapes"]["SendMessageResponse"]["members"]["Odd"] = json!({"shape": "Odd"});
        // Every one of these names is usable: renamed or escaped, never refused.
        if let Err(e) = run(&model) {
            panic!("{name:?}: {e}");
        }
    }
}

/// An operation with an event stream is generated, but its `send()` fails without
/// sending, and the operation's docs, the crate docs and the summary say so.
#[test]
fn event_stream_operations_are_generated_but_say_they_cannot_be_called() {
    let mut model = base_model();
    model["shapes"]["Events"] = json!({
        "type": "structure",
        "eventstream": true,
        "members": {"Chunk": {"shape": "Chunk"}}
    });
    model["shapes"]["Chunk"] = json!({"type": "structure", "event": true, "members": {}});
    model["shapes"]["SendMessageResponse"]["members"]["Stream"] = json!({"shape": "Events"});
    model["shapes"]["SendMessageResponse"]["payload"] = json!("Stream");
    let dir = scratch("event-stream");
    let path = write_model(&dir, &model);
    let generated = generate(&options_for(path)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generated.unsupported.len(), 1);
    assert_eq!(generated.unsupported[0].0, "SendMessage");
    assert!(generated.unsupported[0]
        .1
        .contains("`Stream` is an event stream"));
    let op = file(&generated.files, "src/operation/send_message.rs");
    assert!(op.contains("**Not supported yet:**"), "{op}");
    assert!(
        op.contains("awsgen_runtime::protocol::RequestError::Unsupported("),
        "{op}"
    );
    let lib = file(&generated.files, "src/lib.rs");
    assert!(
        lib.contains("Operations this client cannot call yet"),
        "{lib}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `paginators-1.json` is found beside a `*service-2*` model or given explicitly, and
/// every paginator must name an operation.
#[test]
fn paginators_are_found_and_checked_against_the_model() {
    let dir = scratch("paginators");
    let model = write_model(&dir, &base_model());
    // (Each name's resolution is tested in tests/paginators.rs.)
    let pages =
        json!({"pagination": {"SendMessage": {"input_token": "Content", "output_token": "Id"}}});
    std::fs::write(dir.join("paginators-1.json"), pages.to_string()).unwrap();
    let generated = generate(&options_for(model.clone())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generated.paginators, 1);

    let wrong = dir.join("wrong.json");
    std::fs::write(
        &wrong,
        json!({"pagination": {"ListThings": {"input_token": "a", "output_token": "b"}}})
            .to_string(),
    )
    .unwrap();
    let mut options = options_for(model);
    options.paginators = Some(wrong);
    let message = generate(&options).unwrap_err().to_string();
    assert!(message.contains("wrong.json"), "{message}");
    assert!(
        message.contains("pagination.ListThings: no operation named \"ListThings\""),
        "{message}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A pattern the runtime's engine cannot compile (Java-only syntax, or broken) is not
/// checked on the client, and the summary and the crate docs say which and why.
#[test]
fn a_pattern_that_cannot_compile_is_reported_and_not_checked() {
    let mut model = base_model();
    model["shapes"]["ChatContent"]["pattern"] = json!("(?i)^[a-z");
    let dir = scratch("bad-pattern");
    let path = write_model(&dir, &model);
    let generated = generate(&options_for(path)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generated.unchecked_patterns.len(), 1);
    assert_eq!(generated.unchecked_patterns[0].0, "ChatContent");
    let lib = file(&generated.files, "src/lib.rs");
    assert!(lib.contains("Patterns not checked on the client"), "{lib}");
    assert!(lib.contains("`ChatContent`: `(?i)^[a-z`"), "{lib}");
    // And the member's own documentation says so.
    let operation = file(&generated.files, "src/operation/send_message.rs");
    assert!(
        operation.contains("the model's pattern `(?i)^[a-z` is not checked on the client"),
        "{operation}"
    );
    let validate = file(&generated.files, "src/validate.rs");
    assert!(
        !validate.contains("Pattern::new"),
        "no pattern check emitted:\n{validate}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// One pass checks the model and every file read with it: their problems come together,
/// the model's first, a companion's named by its file (as the README shows).
#[test]
fn problems_in_the_model_and_its_companions_are_reported_together() {
    let dir = scratch("one-pass");
    let mut model = base_model();
    model["shapes"]["SendMessageRequest"]["members"]["Content"]["shape"] = json!("ChatContnt");
    let model = write_model(&dir, &model);
    let customizations = json!({"sensitive_members": ["SendMessageRequest.Contnt"]});
    std::fs::write(dir.join("customizations.json"), customizations.to_string()).unwrap();
    std::fs::write(
        dir.join("paginators-1.json"),
        json!({"pagination": {"ListOthers": {"input_token": "T", "output_token": "T"}}})
            .to_string(),
    )
    .unwrap();
    let Err(Error::Check { path, problems }) = generate(&options_for(model.clone())) else {
        panic!("expected check problems")
    };
    assert_eq!(path, model);
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "shapes.SendMessageRequest.members.Content.shape: no shape named \"ChatContnt\"",
            "customizations.json: sensitive_members[0]: \"SendMessageRequest.Contnt\" names no member of the model (expected \"Shape.Member\")",
            "paginators-1.json: pagination.ListOthers: no operation named \"ListOthers\"",
        ]
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A typo in `customizations.json` would silently stop redacting a secret: every name
/// must exist in the model.
#[test]
fn customizations_are_checked_against_the_model() {
    let dir = scratch("customizations");
    let model = write_model(&dir, &base_model());
    let customizations = json!({
        "sensitive_members": ["SendMessageRequest.Content", "SendMessageRequest.Contnt", "Nope"],
        "sensitive_headers": ["X-Amz-Bearer"]
    });
    std::fs::write(dir.join("customizations.json"), customizations.to_string()).unwrap();
    let message = generate(&options_for(model.clone()))
        .unwrap_err()
        .to_string();
    assert!(message.contains("service-2.json: 3 problems"), "{message}");
    assert!(
        message.contains("customizations.json: sensitive_members[1]: \"SendMessageRequest.Contnt\" names no member"),
        "{message}"
    );
    assert!(
        message.contains("sensitive_members[2]: \"Nope\" names no member"),
        "{message}"
    );
    assert!(
        message.contains(
            "sensitive_headers[0]: no member of the model is sent in header \"X-Amz-Bearer\""
        ),
        "{message}"
    );

    let fixed = json!({"sensitive_members": ["SendMessageRequest.Content"]});
    std::fs::write(dir.join("customizations.json"), fixed.to_string()).unwrap();
    generate(&options_for(model)).unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn json_names_that_would_mean_two_members_are_refused_with_their_paths() {
    let mut model = base_model();
    // Two body members under one JSON name: the wire cannot tell them apart.
    model["shapes"]["SendMessageRequest"]["members"]["Other"] =
        json!({"shape": "ChatContent", "locationName": "Content"});
    let problems = problems(&model);
    assert!(
        problems.contains(
            &"shapes.SendMessageRequest.members.Other: its JSON name \"Content\" is also member Content's"
                .to_owned()
        ),
        "{problems:#?}"
    );
}

#[test]
fn members_with_json_names_of_their_own_travel_under_them_in_both_directions() {
    let mut model = base_model();
    // A JSON name that is another member's name is fine when that member is not in the
    // body, in requests and responses alike.
    model["shapes"]["SendMessageRequest"]["members"]["Header"] =
        json!({"shape": "ChatContent", "location": "header", "locationName": "x-header"});
    model["shapes"]["SendMessageRequest"]["members"]["Content"]["locationName"] = json!("Header");
    model["shapes"]["SendMessageResponse"]["members"]["Token"] =
        json!({"shape": "ChatContent", "location": "header", "locationName": "x-token"});
    model["shapes"]["SendMessageResponse"]["members"]["Id"]["locationName"] = json!("Token");
    let files = run(&model).expect("valid");
    let wire = file(&files, "src/wire.rs");
    assert!(
        wire.contains(r#"member(&mut object, "Header", self.content.as_ref())?;"#),
        "{wire}"
    );
    assert!(
        wire.contains(r#""Token" => self.id = next(map)?,"#),
        "{wire}"
    );
    // Header members stay out of bodies: neither written nor read there.
    assert!(!wire.contains("self.header"), "{wire}");
    assert!(!wire.contains("self.token"), "{wire}");
    // The serde feature's form keeps model names.
    let operation = file(&files, "src/operation/send_message.rs");
    assert!(
        operation.contains(r#"serde(rename = "Content""#),
        "{operation}"
    );
    assert!(operation.contains(r#"serde(rename = "Id""#), "{operation}");
}

#[test]
fn a_request_uri_that_is_not_a_path_is_refused() {
    for uri in [
        "@evil.example/x",
        "//evil.example/x",
        "https://evil.example/x",
        "message",
    ] {
        let mut model = base_model();
        model["operations"]["SendMessage"]["http"]["requestUri"] = json!(uri);
        let found = problems(&model);
        assert_eq!(found.len(), 1, "{uri}: {found:?}");
        assert!(
            found[0].starts_with("operations.SendMessage.http.requestUri: ")
                && found[0].contains("must start with a single \"/\""),
            "{found:?}"
        );
    }
}

#[test]
fn a_header_name_http_does_not_allow_is_refused() {
    for name in ["x-bad header", "x-bad\r\nx-injected", "", "x-é"] {
        let mut model = base_model();
        model["shapes"]["SendMessageRequest"]["members"]["Token"] =
            json!({"shape": "ChatContent", "location": "header", "locationName": name});
        let found = problems(&model);
        assert_eq!(
            found,
            [format!(
                "shapes.SendMessageRequest.members.Token.locationName: {:?} is not a valid HTTP header name",
                name
            )],
            "{name:?}"
        );
    }
    // A `headers` map may take every header.
    let mut model = base_model();
    model["shapes"]["Headers"] =
        json!({"type": "map", "key": {"shape": "ChatContent"}, "value": {"shape": "ChatContent"}});
    model["shapes"]["SendMessageResponse"]["members"]["All"] =
        json!({"shape": "Headers", "location": "headers", "locationName": ""});
    run(&model).expect("an empty headers prefix is valid");
}

#[test]
fn a_host_prefix_may_only_add_dns_labels() {
    let mut model = base_model();
    model["shapes"]["SendMessageRequest"]["members"]["Account"] =
        json!({"shape": "ChatContent", "hostLabel": true});
    model["shapes"]["SendMessageRequest"]["required"] = json!(["Content", "Account"]);
    for good in ["data.", "data-", "{Account}.", "cp.maps."] {
        let mut model = model.clone();
        model["operations"]["SendMessage"]["endpoint"] = json!({"hostPrefix": good});
        run(&model).unwrap_or_else(|e| panic!("{good}: {e}"));
    }
    for bad in ["evil.example/", "user@", "data:8080.", ".data", "a..b"] {
        let mut model = model.clone();
        model["operations"]["SendMessage"]["endpoint"] = json!({"hostPrefix": bad});
        let found = problems(&model);
        assert_eq!(found.len(), 1, "{bad}: {found:?}");
        assert!(
            found[0].starts_with("operations.SendMessage.endpoint.hostPrefix: ")
                && found[0].contains("may only add DNS labels"),
            "{found:?}"
        );
    }
}

/// The `const AUTH` line of the generated SendMessage operation, if any.
fn auth_line(model: &Value) -> Option<String> {
    let files = run(model).expect("generates");
    let operation = file(&files, "src/operation/send_message.rs");
    let start = operation.find("const AUTH")?;
    let end = start + operation[start..].find(';')?;
    // Compact: no whitespace, no trailing commas (prettyplease's layout aside).
    let compact: String = operation[start..end].split_whitespace().collect();
    Some(compact.replace(",}", "}").replace(",)", ")"))
}

#[test]
fn auth_comes_from_the_model_operation_first() {
    // The base model names no scheme: unsigned.
    assert_eq!(auth_line(&base_model()), None);
    let mut sigv4 = base_model();
    sigv4["metadata"]["signatureVersion"] = json!("v4");
    sigv4["metadata"]["signingName"] = json!("chat-signing");
    let signed = auth_line(&sigv4).unwrap();
    assert!(
        signed.contains("SigV4{signing_name:\"chat-signing\",unsigned_payload:false}"),
        "{signed}"
    );

    let mut unsigned_body = sigv4.clone();
    unsigned_body["operations"]["SendMessage"]["authtype"] = json!("v4-unsigned-body");
    assert!(auth_line(&unsigned_body)
        .unwrap()
        .contains("unsigned_payload:true"));

    for anonymous in [
        json!({"authtype": "none"}),
        json!({"auth": ["smithy.api#noAuth"]}),
    ] {
        let mut model = sigv4.clone();
        for (key, value) in anonymous.as_object().unwrap() {
            model["operations"]["SendMessage"][key] = value.clone();
        }
        assert_eq!(auth_line(&model), None, "{anonymous}");
    }

    let mut bearer = base_model();
    bearer["metadata"]["signatureVersion"] = json!("bearer");
    bearer["metadata"]["auth"] = json!(["smithy.api#httpBearerAuth"]);
    let bearer_line = auth_line(&bearer).unwrap();
    assert!(
        bearer_line.contains("Unsupported(\"smithy.api#httpBearerAuth\")"),
        "{bearer_line}"
    );

    // SigV4 is chosen where the service also offers SigV4a.
    let mut both = sigv4.clone();
    both["metadata"]["auth"] = json!(["aws.auth#sigv4a", "aws.auth#sigv4"]);
    assert!(auth_line(&both).unwrap().contains("SigV4"));
}

#[test]
fn customizations_can_say_a_service_signs_nothing() {
    let mut model = base_model();
    model["metadata"]["signatureVersion"] = json!("v4");
    let parsed = Model::parse(&model.to_string()).unwrap();
    let customizations: Customizations = serde_json::from_value(json!({"auth": "none"})).unwrap();
    let inputs = GeneratorInputs {
        model: &parsed,
        customizations: &customizations,
        rules: None,
        partitions: &[],
        paginators: &Default::default(),
    };
    let files = generate_from_model(&inputs, "chat", &runtime()).unwrap();
    assert!(!file(&files, "src/operation/send_message.rs").contains("const AUTH"));
    let unknown = serde_json::from_value::<Customizations>(json!({"auth": "kerberos"}));
    assert!(unknown.unwrap_err().to_string().contains("unknown variant"));
}
