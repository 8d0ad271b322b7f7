//! What operations give the rule set: each operation's endpoint context
//! (`staticContextParams` values and `contextParam` input members) must have the type of
//! the parameter it sets, or the generated `Operation::endpoint` could not set it.
//! Checked on the model, before anything is planned.

use super::{problem, ParameterKind, RuleSet};
use crate::error::Problem;
use crate::model::{Model, ShapeKind};

/// A problem for every context value that does not fit its parameter, at the model path
/// that sets it. Context names the rule set does not have are ignored (the AWS SDKs do
/// the same: a model may name parameters of another rule-set version).
pub fn check_operations(model: &Model, rules: &RuleSet) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mismatch = |name: &str, kind: ParameterKind| {
        format!("sets endpoint parameter {name}, a {kind:?}, from a value of another type")
    };
    for (op_name, op) in &model.operations {
        for (name, param) in &op.static_context_params {
            let Some(parameter) = rules.context_parameter(name) else {
                continue;
            };
            let fits = match parameter.kind {
                ParameterKind::String => param.value.is_string(),
                ParameterKind::Boolean => param.value.is_boolean(),
            };
            if !fits {
                problems.push(problem(
                    format!("operations.{op_name}.staticContextParams.{name}.value"),
                    mismatch(name, parameter.kind),
                ));
            }
        }
        let Some(input) = &op.input else {
            continue;
        };
        let Some(shape) = model.shapes.get(&input.shape) else {
            continue;
        };
        for (member_name, member) in &shape.members {
            let Some(context) = &member.context_param else {
                continue;
            };
            let Some(parameter) = rules.context_parameter(&context.name) else {
                continue;
            };
            // A string (a string enum too) sets a string parameter; a boolean a boolean.
            let target = model.shapes.get(&member.shape).map(|t| &t.kind);
            let fits = matches!(
                (parameter.kind, target),
                (
                    ParameterKind::String,
                    Some(ShapeKind::String | ShapeKind::Character)
                ) | (ParameterKind::Boolean, Some(ShapeKind::Boolean))
            );
            if !fits {
                problems.push(problem(
                    format!("shapes.{}.members.{member_name}.contextParam", input.shape),
                    mismatch(&context.name, parameter.kind),
                ));
            }
        }
    }
    problems
}
