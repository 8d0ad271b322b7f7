//! Each member's documentation states what validation checks, decided in the plan from the
//! same validators the generated `validate.rs` runs: required, lengths in characters,
//! sizes in bytes, items or entries, numeric ranges, patterns (checked or not) and enum
//! values; members of structures that only travel in responses state nothing.

use awsgen_codegen::plan::{
    KnownValues, MemberConstraints, MemberPlan, PatternConstraint, Plan, Size, SizeUnit, TypeDef,
};
use awsgen_codegen::{check, plan, Customizations, Model};

fn plan_of(path: &str) -> Plan {
    let path = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    let model = Model::load(std::path::Path::new(&path)).unwrap_or_else(|e| panic!("{e}"));
    assert!(check::check(&model).is_empty());
    plan::plan(
        &model,
        &Customizations::default(),
        &Default::default(),
        None,
    )
}

fn input_member<'p>(plan: &'p Plan, operation: &str, member: &str) -> &'p MemberPlan {
    let op = plan
        .operations
        .iter()
        .find(|op| op.name == operation)
        .unwrap();
    op.input.members.iter().find(|m| m.name == member).unwrap()
}

fn type_member<'p>(plan: &'p Plan, shape: &str, member: &str) -> &'p MemberPlan {
    let s = plan
        .types
        .iter()
        .find_map(|t| match t {
            TypeDef::Structure(s) | TypeDef::Union(s) if s.shape == shape => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no type {shape}"));
    s.members.iter().find(|m| m.name == member).unwrap()
}

fn chars(min: u64, max: u64) -> Option<Size> {
    Some(Size {
        min: Some(min),
        max: Some(max),
        unit: SizeUnit::Characters,
    })
}

#[test]
fn connectparticipant_members_state_their_checks() {
    let plan = plan_of("models/service-2.json");
    assert_eq!(
        input_member(&plan, "SendMessage", "Content").constraints,
        MemberConstraints {
            required: true,
            size: chars(1, 16384),
            ..Default::default()
        }
    );
    assert_eq!(
        input_member(&plan, "SendMessage", "ClientToken").constraints,
        MemberConstraints {
            filled_by_client: true,
            size: Some(Size {
                min: None,
                max: Some(500),
                unit: SizeUnit::Characters
            }),
            ..Default::default()
        }
    );
    assert_eq!(
        input_member(&plan, "GetTranscript", "MaxResults").constraints,
        MemberConstraints {
            range: Some((Some("0".into()), Some("100".into()))),
            ..Default::default()
        }
    );
    assert_eq!(
        input_member(&plan, "GetTranscript", "ScanDirection").constraints,
        MemberConstraints {
            known_values: Some(KnownValues {
                rust_name: "ScanDirection".into(),
                values: vec!["FORWARD".into(), "BACKWARD".into()],
            }),
            ..Default::default()
        }
    );
    assert_eq!(
        input_member(&plan, "CompleteAttachmentUpload", "AttachmentIds")
            .constraints
            .size,
        Some(Size {
            min: Some(1),
            max: Some(1),
            unit: SizeUnit::Items
        })
    );
    // Inside a validated structure of the input: StartPosition of GetTranscript.
    assert_eq!(
        type_member(&plan, "StartPosition", "Id").constraints.size,
        chars(1, 256)
    );
    // Only in responses: nothing is checked, nothing is said.
    assert!(type_member(&plan, "Item", "Content").constraints.is_empty());
    let send_message = plan
        .operations
        .iter()
        .find(|op| op.name == "SendMessage")
        .unwrap();
    assert!(send_message
        .output
        .members
        .iter()
        .all(|m| m.constraints.is_empty()));
}

#[test]
fn patterns_and_url_labels_are_stated() {
    let plan = plan_of("tests/fixtures/patterns.service-2.json");
    let name = input_member(&plan, "TagView", "Name");
    assert!(name.constraints.required && name.constraints.not_empty);
    assert_eq!(
        name.constraints.pattern,
        Some(PatternConstraint {
            pattern: r"^([\p{L}\p{N}_.:\/=+\-@()']+[\p{L}\p{Z}\p{N}_.:\/=+\-@()']*)$".into(),
            checked: true,
        })
    );
}
