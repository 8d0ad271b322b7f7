//! The endpoint rule set is type-checked when it is loaded: a rule the generated code
//! could not express is refused with the JSON path of the condition or value, before
//! anything is emitted (it used to surface as "generated src/endpoint.rs is not valid
//! Rust (a generator bug)").

use awsgen_codegen::endpoint_rules::parse_rule_set;
use awsgen_codegen::{generate, Error, Options, RuntimeDependency};
use serde_json::{json, Value};

/// A rule set with the usual parameters and one tree rule holding `rules`.
fn rule_set(rules: Value) -> Value {
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
            "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "type": "Boolean"},
            "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
        },
        "rules": [{
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
            "type": "tree",
            "rules": rules
        }, {
            "conditions": [],
            "type": "error",
            "error": "Invalid Configuration: Missing Region"
        }]
    })
}

/// The problems of a rule set that must be refused, as `path: message` lines.
fn problems(json: &Value) -> Vec<String> {
    match parse_rule_set(json) {
        Ok(_) => panic!("the rule set was accepted: {json:#}"),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

fn assert_one_problem(json: &Value, path: &str, words: &str) {
    let problems = problems(json);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with(&format!("{path}: ")) && problems[0].contains(words),
        "expected a problem at {path} mentioning {words:?}, got {problems:#?}"
    );
}

#[test]
fn the_shipped_rule_sets_check_clean() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut paths = vec![format!("{root}/models/endpoint-rule-set-1.json")];
    for entry in std::fs::read_dir(format!("{root}/tests/data/other")).unwrap() {
        let path = entry.unwrap().path();
        if path
            .to_string_lossy()
            .ends_with(".endpoint-rule-set-1.json")
        {
            paths.push(path.to_string_lossy().into_owned());
        }
    }
    assert!(paths.len() >= 8, "{paths:?}");
    for path in paths {
        let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if let Err(problems) = parse_rule_set(&json) {
            panic!("{path}: {problems:#?}");
        }
    }
}

#[test]
fn a_well_typed_rule_set_is_accepted() {
    let json = rule_set(json!([{
        "conditions": [
            {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"},
            {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]},
            {"fn": "booleanEquals", "argv": [true, {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsFIPS"]}]}
        ],
        "type": "endpoint",
        "endpoint": {"url": "https://chat-fips.{Region}.{PartitionResult#dnsSuffix}", "properties": {}, "headers": {}}
    }]));
    parse_rule_set(&json).unwrap_or_else(|problems| panic!("{problems:#?}"));
}

#[test]
fn an_optional_parameter_used_without_is_set_is_refused_at_the_url() {
    // `Endpoint` may be absent here: it was never narrowed by isSet.
    let json = rule_set(json!([{
        "conditions": [],
        "type": "endpoint",
        "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}}
    }]));
    assert_one_problem(&json, "rules[0].rules[0].endpoint.url", "missing isSet");

    let json = rule_set(json!([{
        "conditions": [],
        "type": "error",
        "error": "no endpoint for {Endpoint}"
    }]));
    assert_one_problem(&json, "rules[0].rules[0].error", "`endpoint`");
}

#[test]
fn an_attribute_the_result_does_not_have_is_refused_at_its_condition() {
    let json = rule_set(json!([{
        "conditions": [
            {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"},
            {"fn": "booleanEquals", "argv": [true, {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsTeleportation"]}]}
        ],
        "type": "endpoint",
        "endpoint": {"url": "https://example.com", "properties": {}, "headers": {}}
    }]));
    assert_one_problem(&json, "rules[0].rules[0].conditions[1]", "has no attribute");
}

#[test]
fn a_value_of_the_wrong_type_is_refused_at_its_condition() {
    // stringEquals of a boolean parameter.
    let json = rule_set(json!([{
        "conditions": [{"fn": "stringEquals", "argv": [{"ref": "UseFIPS"}, "true"]}],
        "type": "endpoint",
        "endpoint": {"url": "https://example.com", "properties": {}, "headers": {}}
    }]));
    assert_one_problem(&json, "rules[0].rules[0].conditions[0]", "`use_fips`");

    // A string used as a condition (not a test, not bound to anything).
    let json = rule_set(json!([{
        "conditions": [{"ref": "Region"}],
        "type": "endpoint",
        "endpoint": {"url": "https://example.com", "properties": {}, "headers": {}}
    }]));
    assert_one_problem(&json, "rules[0].rules[0].conditions[0]", "Bool");
}

#[test]
fn a_name_no_condition_assigned_is_refused() {
    let json = rule_set(json!([{
        "conditions": [],
        "type": "endpoint",
        "endpoint": {
            "url": "https://{Region}.{PartitionResult#dnsSuffix}",
            "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Nowhere}"}]},
            "headers": {}
        }
    }]));
    let problems = problems(&json);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("rules[0].rules[0].endpoint.url: ")
            && problems[0].contains("`partition_result` is not a parameter"),
        "{problems:#?}"
    );
    assert!(
        problems[1]
            .starts_with("rules[0].rules[0].endpoint.properties.authSchemes[0].signingRegion: ")
            && problems[1].contains("`nowhere`"),
        "{problems:#?}"
    );
}

/// Through the whole generator: a check error naming the rule-set file, never an emit
/// error ("a generator bug").
#[test]
fn generation_reports_the_rule_set_file_and_path() {
    let dir = std::env::temp_dir().join(format!("awsgen-rule-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../models");
    let rules = dir.join("rules.json");
    let bad = rule_set(json!([{
        "conditions": [],
        "type": "endpoint",
        "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}}
    }]));
    std::fs::write(&rules, bad.to_string()).unwrap();
    let options = Options {
        model: format!("{root}/service-2.json").into(),
        customizations: None,
        endpoint_rules: Some(rules.clone()),
        partitions: Some(format!("{root}/partitions.json").into()),
        paginators: None,
        crate_name: Some("chat".to_owned()),
        runtime: RuntimeDependency {
            path: "../runtime".to_owned(),
        },
    };
    let error = generate(&options).unwrap_err();
    assert!(matches!(error, Error::Check { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("rules.json") && message.contains("rules[0].rules[0].endpoint.url"),
        "{message}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// An operation's endpoint context must have the type of the parameter it sets: a
/// structure member cannot be a string parameter, a number cannot be a boolean.
#[test]
fn operation_context_of_the_wrong_type_is_refused_with_its_model_path() {
    use awsgen_codegen::{generate_from_model, Customizations, GeneratorInputs, Model};
    let model = json!({
        "metadata": {"protocol": "rest-json", "serviceId": "Chat", "apiVersion": "2024-01-01"},
        "operations": {
            "Send": {
                "name": "Send",
                "http": {"method": "POST", "requestUri": "/send"},
                "input": {"shape": "SendRequest"},
                "staticContextParams": {"Fast": {"value": 1}}
            }
        },
        "shapes": {
            "SendRequest": {
                "type": "structure",
                "members": {
                    "Target": {"shape": "Target", "contextParam": {"name": "Arn"}},
                    "Mode": {"shape": "Mode", "contextParam": {"name": "Mode"}}
                }
            },
            "Target": {"type": "structure", "members": {"Id": {"shape": "Text"}}},
            "Mode": {"type": "string", "enum": ["a", "b"]},
            "Text": {"type": "string"}
        }
    });
    let rules = parse_rule_set(&json!({
        "version": "1.0",
        "parameters": {
            "Arn": {"required": false, "type": "String"},
            "Mode": {"required": false, "type": "String"},
            "Fast": {"required": false, "type": "Boolean"},
            "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
        },
        "rules": [{
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
            "type": "endpoint",
            "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}}
        }]
    }))
    .unwrap_or_else(|problems| panic!("{problems:#?}"));
    let model = Model::parse(&model.to_string()).unwrap();
    let inputs = GeneratorInputs {
        model: &model,
        customizations: &Customizations::default(),
        rules: Some(&rules),
        partitions: &[],
        paginators: &Default::default(),
    };
    let runtime = RuntimeDependency {
        path: "../runtime".to_owned(),
    };
    let Err(Error::Check { problems, .. }) = generate_from_model(&inputs, "chat", &runtime) else {
        panic!("the model was accepted");
    };
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("operations.Send.staticContextParams.Fast.value: ")
            && problems[0].contains("Boolean"),
        "{problems:#?}"
    );
    assert!(
        problems[1].starts_with("shapes.SendRequest.members.Target.contextParam: ")
            && problems[1].contains("Arn"),
        "{problems:#?}"
    );
}
