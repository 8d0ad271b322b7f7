//! `customizations.json` can list the operations to generate: the crate keeps only them
//! and the shapes they reach, a listed name the model lacks is a problem at its JSON
//! path, paginators of other operations are dropped, and the differ ignores every
//! operation outside the list.

use awsgen_codegen::diff::diff_sides;
use awsgen_codegen::{generate, load_for_diff, Error, Options, RuntimeDependency};
use serde_json::{json, Value};

/// Two operations, each with shapes of its own, and a paginator for the second.
fn model() -> Value {
    json!({
        "metadata": {"protocol": "rest-json", "serviceId": "Chat", "apiVersion": "2024-01-01", "signatureVersion": "v4"},
        "operations": {
            "StartChat": {"name": "StartChat", "http": {"method": "PUT", "requestUri": "/chat"},
                          "input": {"shape": "StartChatRequest"}, "output": {"shape": "StartChatResponse"}},
            "ListThings": {"name": "ListThings", "http": {"method": "GET", "requestUri": "/things"},
                           "input": {"shape": "ListThingsRequest"}, "output": {"shape": "ListThingsResponse"}}
        },
        "shapes": {
            "StartChatRequest": {"type": "structure", "members": {"Name": {"shape": "Text"}}},
            "StartChatResponse": {"type": "structure", "members": {"Token": {"shape": "Text"}}},
            "ListThingsRequest": {"type": "structure", "members": {"NextToken": {"shape": "Text", "location": "querystring", "locationName": "next"}}},
            "ListThingsResponse": {"type": "structure", "members": {"Things": {"shape": "Things"}, "NextToken": {"shape": "Text"}}},
            "Things": {"type": "list", "member": {"shape": "Thing"}},
            "Thing": {"type": "structure", "members": {"Id": {"shape": "Text"}}},
            "Text": {"type": "string"}
        }
    })
}

struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A folder with the model (as `edit` leaves it), its paginators and `customizations`.
fn folder(name: &str, edit: impl Fn(&mut Value), customizations: Value) -> (Scratch, Options) {
    let dir = std::env::temp_dir().join(format!("awsgen-select-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut model = model();
    edit(&mut model);
    std::fs::write(dir.join("service-2.json"), model.to_string()).unwrap();
    let paginators = json!({"pagination": {"ListThings": {"input_token": "NextToken", "output_token": "NextToken", "result_key": "Things"}}});
    std::fs::write(dir.join("paginators-1.json"), paginators.to_string()).unwrap();
    std::fs::write(dir.join("customizations.json"), customizations.to_string()).unwrap();
    let options = Options {
        model: dir.join("service-2.json"),
        customizations: None,
        endpoint_rules: None,
        partitions: None,
        paginators: None,
        crate_name: Some("chat".to_owned()),
        runtime: RuntimeDependency {
            path: "../runtime".to_owned(),
        },
    };
    (Scratch(dir), options)
}

#[test]
fn only_the_listed_operations_and_the_shapes_they_reach_are_generated() {
    let (_dir, options) = folder("only", |_| {}, json!({"operations": ["StartChat"]}));
    let generated = generate(&options).unwrap();
    assert_eq!((generated.operations, generated.paginators), (1, 0));
    let text: String = generated
        .files
        .iter()
        .map(|f| f.contents.as_str())
        .collect();
    assert!(text.contains("pub struct StartChatInput"));
    for gone in ["ListThings", "pub struct Thing", "list_things"] {
        assert!(!text.contains(gone), "{gone} is generated");
    }
}

#[test]
fn a_listed_operation_the_model_lacks_is_a_problem() {
    let (_dir, options) = folder(
        "missing",
        |_| {},
        json!({"operations": ["StartChat", "StartChta"]}),
    );
    let Err(Error::Check { problems, .. }) = generate(&options) else {
        panic!("expected a check problem")
    };
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        ["customizations.json: operations[1]: \"StartChta\" is not an operation of the model"]
    );
}

#[test]
fn the_differ_ignores_operations_outside_the_list() {
    let only = json!({"operations": ["StartChat"]});
    let remove_list_things = |model: &mut Value| {
        model["operations"]
            .as_object_mut()
            .unwrap()
            .remove("ListThings");
    };
    let (_old_dir, old) = folder("diff-old", |_| {}, only.clone());
    let (_new_dir, new) = folder("diff-new", remove_list_things, only);
    let old = load_for_diff(&old).unwrap();
    // The new folder's paginators name ListThings, which is gone: drop them there.
    std::fs::write(
        new.model.with_file_name("paginators-1.json"),
        json!({"pagination": {}}).to_string(),
    )
    .unwrap();
    let new = load_for_diff(&new).unwrap();
    let report = diff_sides(old.side(), new.side(), Some("chat"));
    assert!(report.changes.is_empty(), "{:?}", report.changes);

    // Without the list, the same update removes an operation: a breaking change.
    let (_all_old_dir, all_old) = folder("diff-all-old", |_| {}, json!({}));
    let (_all_new_dir, all_new) = folder("diff-all-new", remove_list_things, json!({}));
    std::fs::write(
        all_new.model.with_file_name("paginators-1.json"),
        json!({"pagination": {}}).to_string(),
    )
    .unwrap();
    let (a, b) = (
        load_for_diff(&all_old).unwrap(),
        load_for_diff(&all_new).unwrap(),
    );
    let report = diff_sides(a.side(), b.side(), Some("chat"));
    assert!(!report.changes.is_empty());
}
