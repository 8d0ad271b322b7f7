//! What operations give the rule set: each operation's endpoint context
//! (`staticContextParams` values and `contextParam` input members) must have the type of
//! the parameter it sets, or the generated `Operation::endpoint` could not set it.

use super::{problem, ParameterKind, RuleSet};
use crate::error::Problem;
use crate::plan::{ContextValue, Plan, RustType, TypeDef};

/// Whether `value` can set a parameter of type `kind`: a string (or a string enum) for a
/// string parameter, a boolean for a boolean one.
pub fn context_fits(plan: &Plan, value: &ContextValue, kind: ParameterKind) -> bool {
    let is_enum = |name: &str| {
        plan.types
            .iter()
            .any(|t| matches!(t, TypeDef::Enum(e) if e.rust_name == name))
    };
    match (value, kind) {
        (ContextValue::Static(v), ParameterKind::String) => v.is_string(),
        (ContextValue::Static(v), ParameterKind::Boolean) => v.is_boolean(),
        (ContextValue::Member { ty, .. }, ParameterKind::String) => {
            matches!(ty, RustType::String)
                || matches!(ty, RustType::Named(path) if is_enum(&path.name))
        }
        (ContextValue::Member { ty, .. }, ParameterKind::Boolean) => {
            matches!(ty, RustType::Bool)
        }
    }
}

/// A problem for every context value that does not fit its parameter, at the model path
/// that sets it. Context names the rule set does not have are ignored (the AWS SDKs do
/// the same: a model may name parameters of another rule-set version).
pub fn check_operations(plan: &Plan, rules: &RuleSet) -> Vec<Problem> {
    let mut problems = Vec::new();
    for op in &plan.operations {
        for (name, value) in &op.endpoint_context {
            let Some(parameter) = rules.context_parameter(name) else {
                continue;
            };
            if context_fits(plan, value, parameter.kind) {
                continue;
            }
            let path = match value {
                ContextValue::Static(_) => {
                    format!("operations.{}.staticContextParams.{name}.value", op.name)
                }
                ContextValue::Member { field, .. } => {
                    let member = op.input.members.iter().find(|m| m.field == *field);
                    let member = member.map_or(field.as_str(), |m| m.name.as_str());
                    format!("shapes.{}.members.{member}.contextParam", op.input.shape)
                }
            };
            problems.push(problem(
                path,
                format!(
                    "sets endpoint parameter {name}, a {:?}, from a value of another type",
                    parameter.kind
                ),
            ));
        }
    }
    problems
}
