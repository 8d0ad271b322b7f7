//! Paginators are checked against their operations (every problem at its JSON path, in
//! `paginators-1.json` or `customizations.json`), then planned: nested tokens and result
//! keys, a page-size member, and `items()` only where a page has exactly one result list.

use awsgen_codegen::{generate, Error, Options, RuntimeDependency};
use serde_json::{json, Value};

fn model() -> Value {
    json!({
        "metadata": {"protocol": "rest-json", "serviceId": "Chat", "apiVersion": "2024-01-01"},
        "operations": {
            "ListThings": {
                "name": "ListThings",
                "http": {"method": "POST", "requestUri": "/things"},
                "input": {"shape": "ListThingsRequest"},
                "output": {"shape": "ListThingsResponse"}
            }
        },
        "shapes": {
            "ListThingsRequest": {"type": "structure", "members": {
                "NextToken": {"shape": "Text"},
                "MaxResults": {"shape": "Count"},
                "Limit": {"shape": "Text"},
                "Kind": {"shape": "Kind"}
            }},
            "ListThingsResponse": {"type": "structure", "members": {
                "NextToken": {"shape": "Text"},
                "Things": {"shape": "Names"},
                "Others": {"shape": "Names"},
                "ByName": {"shape": "NameMap"},
                "Meta": {"shape": "Meta"}
            }},
            "Meta": {"type": "structure", "members": {"Cursor": {"shape": "Text"}, "Names": {"shape": "Names"}}},
            "Names": {"type": "list", "member": {"shape": "Text"}},
            "NameMap": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Text"}},
            "Text": {"type": "string"},
            "Kind": {"type": "string", "enum": ["A", "B"]},
            "Count": {"type": "integer"}
        }
    })
}

struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// Generates the model with `paginators` as `paginators-1.json` and, when given,
/// `customizations` as `customizations.json`.
fn run(paginators: Value, customizations: Option<Value>) -> Result<Vec<(String, String)>, Error> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("awsgen-paginators-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scratch = Scratch(dir.clone());
    std::fs::write(dir.join("service-2.json"), model().to_string()).unwrap();
    std::fs::write(dir.join("paginators-1.json"), paginators.to_string()).unwrap();
    if let Some(customizations) = customizations {
        std::fs::write(dir.join("customizations.json"), customizations.to_string()).unwrap();
    }
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
    let generated = generate(&options);
    drop(scratch);
    generated.map(|g| g.files.into_iter().map(|f| (f.path, f.contents)).collect())
}

/// The file the problems are in (each names it first) and the problems, without it.
fn problems(paginators: Value, customizations: Option<Value>) -> (String, Vec<String>) {
    let problems = match run(paginators, customizations) {
        Err(Error::Check { problems, .. }) => problems,
        Err(other) => panic!("not a check error: {other}"),
        Ok(_) => panic!("the paginators were accepted"),
    };
    let split: Vec<(String, String)> = problems
        .iter()
        .map(|p| {
            let text = p.to_string();
            let (file, rest) = text.split_once(": ").expect("a file name first");
            (file.to_owned(), rest.to_owned())
        })
        .collect();
    let file = split[0].0.clone();
    assert!(split.iter().all(|(f, _)| *f == file), "{split:?}");
    (
        file,
        split.into_iter().map(|(_, problem)| problem).collect(),
    )
}

fn operation_file(files: &[(String, String)]) -> &str {
    &files
        .iter()
        .find(|(path, _)| path == "src/operation/list_things.rs")
        .unwrap()
        .1
}

#[test]
fn a_plain_paginator_gets_tokens_page_size_and_items() {
    let files = run(
        json!({"pagination": {"ListThings": {
            "input_token": "NextToken", "output_token": "NextToken",
            "limit_key": "MaxResults", "result_key": "Things"
        }}}),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let code = operation_file(&files);
    for expected in [
        "input.next_token = token;",
        "output.next_token.as_deref()",
        "input.max_results = Some(size);",
        "type Item = String;",
        "output.things.unwrap_or_default()",
        "pub fn into_paginator(self) -> awsgen_runtime::Paginator<ListThings>",
    ] {
        assert!(code.contains(expected), "missing {expected:?}:\n{code}");
    }
}

#[test]
fn nested_keys_are_followed_and_several_result_lists_give_no_items() {
    let files = run(
        json!({"pagination": {"ListThings": {
            "input_token": "NextToken", "output_token": "Meta.Cursor",
            "result_key": ["Things", "Meta.Names"]
        }}}),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let code = operation_file(&files);
    assert!(
        code.contains("output.meta.as_ref()?.cursor.as_deref()"),
        "{code}"
    );
    assert!(!code.contains("PageItems"), "{code}");
    assert!(!code.contains("PageSize"), "{code}");
    assert!(code.contains("into_paginator"), "{code}");

    let files = run(
        json!({"pagination": {"ListThings": {
            "input_token": "NextToken", "output_token": "NextToken", "result_key": ["Meta.Names"]
        }}}),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let code = operation_file(&files);
    assert!(
        code.contains("output.meta.and_then(|parent| parent.names).unwrap_or_default()"),
        "{code}"
    );
}

#[test]
fn every_name_must_resolve_to_a_member_of_the_right_type() {
    let (file, found) = problems(
        json!({"pagination": {"ListThings": {
            "input_token": "Token", "output_token": "Things",
            "limit_key": "Kind", "result_key": ["Things", "Meta.Missing"]
        }}}),
        None,
    );
    assert_eq!(file, "paginators-1.json");
    let expected = [
        "pagination.ListThings.input_token: \"Token\": ListThingsRequest has no member Token",
        "pagination.ListThings.output_token: \"Things\" is Names, not a string",
        "pagination.ListThings.limit_key: \"Kind\" is Kind, not an integer",
        "pagination.ListThings.result_key[1]: \"Meta.Missing\": Meta has no member Missing",
    ];
    assert_eq!(found, expected);

    // An enum is not a token; an unknown operation is named.
    let (_, found) = problems(
        json!({"pagination": {
            "ListThings": {"input_token": "Kind", "output_token": "NextToken"},
            "ListOthers": {"input_token": "NextToken", "output_token": "NextToken"}
        }}),
        None,
    );
    assert_eq!(
        found,
        [
            "pagination.ListOthers: no operation named \"ListOthers\"",
            "pagination.ListThings.input_token: \"Kind\" is Kind, not a string",
        ]
    );
}

/// The customization file adds paginators botocore lacks (connectparticipant's
/// GetTranscript): checked the same way, and reported against that file.
#[test]
fn customization_paginators_are_used_and_checked() {
    let files = run(
        json!({"pagination": {}}),
        Some(json!({"paginators": {"ListThings": {
            "input_token": "NextToken", "output_token": "NextToken", "result_key": "Things"
        }}})),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(operation_file(&files).contains("impl awsgen_runtime::PageItems for ListThings"));

    let (file, found) = problems(
        json!({"pagination": {}}),
        Some(json!({"paginators": {"ListThings": {
            "input_token": "NextToken", "output_token": "NextTokne"
        }}})),
    );
    assert_eq!(file, "customizations.json");
    assert_eq!(
        found,
        ["paginators.ListThings.output_token: \"NextTokne\": ListThingsResponse has no member NextTokne"]
    );
}

/// `xtask diff` compares the plans with their paginators: one that goes takes
/// `into_paginator()` away (breaking), one that comes adds it.
#[test]
fn a_paginator_that_goes_is_breaking_in_the_diff() {
    use awsgen_codegen::diff::{diff_sides, Severity, Side};
    use awsgen_codegen::paginators::{check, CheckedPaginators};
    use awsgen_codegen::{Customizations, Model};

    let model = Model::parse(&model().to_string()).unwrap();
    let pages: awsgen_codegen::Paginators =
        serde_json::from_value(json!({"pagination": {"ListThings": {
            "input_token": "NextToken", "output_token": "NextToken", "result_key": "Things"
        }}}))
        .unwrap();
    let paginated = check(&pages.pagination, &model, "pagination").unwrap();
    let none = CheckedPaginators::new();
    let customizations = Customizations::default();
    let side = |paginators| Side {
        model: &model,
        paginators,
        customizations: &customizations,
    };

    let removed = diff_sides(side(&paginated), side(&none), Some("chat"));
    let change = removed
        .changes
        .iter()
        .find(|c| c.rust_item.ends_with("::into_paginator"))
        .unwrap_or_else(|| panic!("{:#?}", removed.changes));
    assert_eq!(change.severity, Severity::Breaking);
    assert_eq!(change.path, "operations.ListThings");
    assert_eq!(
        change.rust_item,
        "chat::operation::list_things::ListThingsInputBuilder::into_paginator"
    );
    assert!(change.change.contains("items: String"), "{}", change.change);

    let added = diff_sides(side(&none), side(&paginated), Some("chat"));
    assert_eq!(added.changes.len(), 1, "{:#?}", added.changes);
    assert_eq!(added.changes[0].severity, Severity::Additive);
}

/// Forms some botocore models use: a page size sent as text (apigatewayv2, glacier), and a
/// result key that is a map (apigateway's GetUsage) or a scalar: pages, but no `items()`.
#[test]
fn a_text_page_size_and_a_map_of_results_are_supported() {
    let files = run(
        json!({"pagination": {"ListThings": {
            "input_token": "NextToken", "output_token": "NextToken",
            "limit_key": "Limit", "result_key": "ByName"
        }}}),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let code = operation_file(&files);
    assert!(
        code.contains("input.limit = Some(size.to_string());"),
        "{code}"
    );
    assert!(!code.contains("PageItems"), "{code}");
    assert!(code.contains("into_paginator"), "{code}");
}
