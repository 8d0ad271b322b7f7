//! Paginators (botocore's `paginators-1.json`, and those `customizations.json` adds),
//! checked against their operations: the input token and limit are input members, the
//! output token and result keys are paths through the output (`NextToken`,
//! `ResourceCollection.Tags`). Tokens are strings, limits integers (or their decimal
//! text, as a few models have them). Every problem names its JSON path.

use indexmap::IndexMap;
use serde_json::Value;

use crate::error::Problem;
use crate::model::{Model, Paginator, ShapeKind};

/// A paginator whose names all resolve, as model member names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPaginator {
    /// The input member the next request's token goes into.
    pub input_token: String,
    /// The output member (a path through structures) holding the next token.
    pub output_token: Vec<String>,
    /// The input member limiting a page's size.
    pub limit_key: Option<String>,
    /// Paths to the list members holding a page's results.
    pub result_keys: Vec<Vec<String>>,
}

/// Paginators by operation name.
pub type CheckedPaginators = IndexMap<String, CheckedPaginator>;

/// Checks `paginators` (found at JSON path `root`, such as `pagination`) against `model`.
pub fn check(
    paginators: &IndexMap<String, Paginator>,
    model: &Model,
    root: &str,
) -> Result<CheckedPaginators, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut checked = CheckedPaginators::new();
    for (name, paginator) in paginators {
        let path = format!("{root}.{name}");
        if let Some(paginator) = check_one(name, paginator, model, &path, &mut problems) {
            checked.insert(name.clone(), paginator);
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems)
    }
}

fn check_one(
    name: &str,
    paginator: &Paginator,
    model: &Model,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<CheckedPaginator> {
    let problem = |at: String, message: String| Problem { path: at, message };
    let Some(op) = model.operations.get(name) else {
        problems.push(problem(
            path.to_owned(),
            format!("no operation named \"{name}\""),
        ));
        return None;
    };
    let (Some(input), Some(output)) = (&op.input, &op.output) else {
        problems.push(problem(
            path.to_owned(),
            "a paginated operation needs an input and an output".to_owned(),
        ));
        return None;
    };
    let count = problems.len();
    let mut member_path = |key: &str, value: &Value, shape: &str, wanted: Wanted| {
        let at = format!("{path}.{key}");
        let text = match value {
            Value::String(text) => Some(text.as_str()),
            Value::Array(items) if items.len() == 1 => items[0].as_str(),
            _ => None,
        };
        let Some(text) = text else {
            problems.push(problem(
                at,
                format!("expected one member name, found {value}"),
            ));
            return None;
        };
        match resolve(model, shape, text, wanted) {
            Ok(members) => Some(members),
            Err(message) => {
                problems.push(problem(at, message));
                None
            }
        }
    };
    let input_token = member_path(
        "input_token",
        &paginator.input_token,
        &input.shape,
        Wanted::String,
    );
    let output_token = member_path(
        "output_token",
        &paginator.output_token,
        &output.shape,
        Wanted::String,
    );
    let limit_key = paginator.limit_key.as_ref().and_then(|key| {
        member_path(
            "limit_key",
            &Value::String(key.clone()),
            &input.shape,
            Wanted::Limit,
        )
    });
    let result_keys: Vec<Vec<String>> = match &paginator.result_key {
        None => Vec::new(),
        Some(Value::Array(keys)) => keys
            .iter()
            .enumerate()
            .filter_map(|(i, key)| {
                member_path(&format!("result_key[{i}]"), key, &output.shape, Wanted::Any)
            })
            .collect(),
        Some(key) => member_path("result_key", key, &output.shape, Wanted::Any)
            .into_iter()
            .collect(),
    };
    if problems.len() > count {
        return None;
    }
    // A token that is one member of the input (not a path) is what a request can carry.
    let input_token = match input_token? {
        members if members.len() == 1 => members.into_iter().next()?,
        _ => {
            problems.push(problem(
                format!("{path}.input_token"),
                "the input token must be a member of the input, not a path".to_owned(),
            ));
            return None;
        }
    };
    let limit_key = match limit_key {
        Some(members) if members.len() == 1 => members.into_iter().next(),
        Some(_) => {
            problems.push(problem(
                format!("{path}.limit_key"),
                "the limit must be a member of the input, not a path".to_owned(),
            ));
            return None;
        }
        None => None,
    };
    Some(CheckedPaginator {
        input_token,
        output_token: output_token?,
        limit_key,
        result_keys,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    /// A token: opaque text.
    String,
    /// A page size: an integer, or (in some models) its decimal text.
    Limit,
    /// A result key: botocore merges lists, maps and even scalars across pages;
    /// `items()` is offered for a single list only.
    Any,
}

/// Follows `Member.Member` from structure `shape` to a member whose target is `wanted`.
fn resolve(model: &Model, shape: &str, path: &str, wanted: Wanted) -> Result<Vec<String>, String> {
    let mut current = shape;
    let mut members = Vec::new();
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let structure = model
            .shapes
            .get(current)
            .filter(|s| matches!(s.kind, ShapeKind::Structure))
            .ok_or_else(|| format!("{path:?}: {current} is not a structure"))?;
        let member = structure
            .members
            .get(*segment)
            .ok_or_else(|| format!("{path:?}: {current} has no member {segment}"))?;
        members.push((*segment).to_owned());
        current = &member.shape;
        if i + 1 < segments.len() {
            continue;
        }
        let target = model
            .shapes
            .get(current)
            .ok_or_else(|| format!("{path:?}: shape {current} is not defined"))?;
        let plain_string = matches!(target.kind, ShapeKind::String) && target.enum_values.is_none();
        let fits = match wanted {
            // A token is opaque text; an enum would not be.
            Wanted::String => plain_string,
            Wanted::Limit => {
                plain_string || matches!(target.kind, ShapeKind::Integer | ShapeKind::Long)
            }
            Wanted::Any => true,
        };
        if !fits {
            let wanted = match wanted {
                Wanted::String => "a string",
                _ => "an integer",
            };
            return Err(format!("{path:?} is {current}, not {wanted}"));
        }
    }
    Ok(members)
}
