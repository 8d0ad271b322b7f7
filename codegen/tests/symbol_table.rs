//! Names the plan derives from other names never collide: builders beside types of the
//! same name, union members named like the `Unknown` variant or like each other, error
//! tests named like the error enum's own methods. The edge-case fixture has each; the
//! crate it generates is compiled by `tests/tests/generated_crates_compile.rs`.

use awsgen_codegen::plan::{Plan, TypeDef};
use awsgen_codegen::{check, plan, Customizations, Model};

fn edge_case_plan() -> Plan {
    let path = format!(
        "{}/../tests/fixtures/edge-cases.service-2.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let model = Model::load(std::path::Path::new(&path)).unwrap_or_else(|e| panic!("{e}"));
    assert!(check::check(&model).is_empty());
    plan::plan(
        &model,
        &Customizations::default(),
        &Default::default(),
        Some("edge_cases"),
    )
}

fn structure<'p>(plan: &'p Plan, shape: &str) -> &'p awsgen_codegen::plan::StructurePlan {
    plan.types
        .iter()
        .find_map(|t| match t {
            TypeDef::Structure(s) | TypeDef::Union(s) if s.shape == shape => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no type for {shape}"))
}

#[test]
fn a_builder_gives_way_to_a_type_of_its_name() {
    let plan = edge_case_plan();
    assert_eq!(structure(&plan, "WidgetBuilder").rust_name, "WidgetBuilder");
    assert_eq!(
        structure(&plan, "WidgetBuilder").builder,
        "WidgetBuilderBuilder"
    );
    assert_eq!(structure(&plan, "Widget").builder, "WidgetBuilder2");
}

#[test]
fn union_variants_are_distinct_and_leave_unknown_free() {
    let plan = edge_case_plan();
    let variants: Vec<(&str, &str)> = structure(&plan, "Choice")
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.variant.as_str()))
        .collect();
    assert_eq!(
        variants,
        [
            ("Text", "Text"),
            ("Number", "Number"),
            ("Again", "Again"),
            ("Unknown", "UnknownValue"),
            ("text", "Text2"),
            ("self", "SelfValue"),
        ]
    );
}

#[test]
fn operation_items_and_error_tests_come_from_the_plan() {
    let plan = edge_case_plan();
    let put = plan
        .operations
        .iter()
        .find(|op| op.name == "PutNode")
        .unwrap();
    assert_eq!(put.names.fluent_builder, "PutNodeFluentBuilder");
    assert_eq!(put.input.builder, "PutNodeInputBuilder");
    let tests: Vec<&str> = put.errors.iter().map(|e| e.test_method.as_str()).collect();
    // `is_retryable` is kept for the error enum's own retry test.
    assert_eq!(tests, ["is_node_fault", "is_retryable_2"]);
    let setters: Vec<(&str, &str)> = put
        .input
        .members
        .iter()
        .filter(|m| m.name == "Type" || m.name == "SetNode")
        .map(|m| (m.setter.as_str(), m.getter.as_str()))
        .collect();
    assert_eq!(
        setters,
        [
            ("set_type", "get_type"),
            ("set_set_node_value", "get_set_node_value")
        ]
    );
}
