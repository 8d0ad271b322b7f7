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
    let (input, output) = match operation_shapes(model, name) {
        Ok(shapes) => shapes,
        Err(message) => {
            problems.push(Problem {
                path: path.to_owned(),
                message,
            });
            return None;
        }
    };
    let count = problems.len();
    let mut resolver = Resolver {
        model,
        path,
        problems,
    };
    let input_token = resolver.member("input_token", &paginator.input_token, input, Wanted::String);
    let output_token = resolver.member(
        "output_token",
        &paginator.output_token,
        output,
        Wanted::String,
    );
    let limit_key = paginator.limit_key.as_ref().and_then(|key| {
        let key = Value::String(key.clone());
        resolver.member("limit_key", &key, input, Wanted::Limit)
    });
    let result_keys = resolver.result_keys(paginator.result_key.as_ref(), output);
    if problems.len() > count {
        return None;
    }
    // Tokens and limits a request carries are members of the input, not paths.
    let mut single = |members: Vec<String>, key: &str, what: &str| match members.len() {
        1 => members.into_iter().next(),
        _ => {
            problems.push(Problem {
                path: format!("{path}.{key}"),
                message: format!("the {what} must be a member of the input, not a path"),
            });
            None
        }
    };
    let input_token = single(input_token?, "input_token", "input token")?;
    let limit_key = match limit_key {
        Some(members) => Some(single(members, "limit_key", "limit")?),
        None => None,
    };
    Some(CheckedPaginator {
        input_token,
        output_token: output_token?,
        limit_key,
        result_keys,
    })
}

/// The input and output shapes of the paginated operation `name`, or why there are none.
fn operation_shapes<'m>(model: &'m Model, name: &str) -> Result<(&'m str, &'m str), String> {
    let op = model
        .operations
        .get(name)
        .ok_or_else(|| format!("no operation named \"{name}\""))?;
    match (&op.input, &op.output) {
        (Some(input), Some(output)) => Ok((&input.shape, &output.shape)),
        _ => Err("a paginated operation needs an input and an output".to_owned()),
    }
}

/// Resolves a paginator's member paths against the model, reporting what does not.
struct Resolver<'a> {
    model: &'a Model,
    /// The paginator's JSON path.
    path: &'a str,
    problems: &'a mut Vec<Problem>,
}

impl Resolver<'_> {
    /// The members `value` (one name or path, or a list of one) leads through from
    /// `shape`, the last one of the `wanted` kind.
    fn member(
        &mut self,
        key: &str,
        value: &Value,
        shape: &str,
        wanted: Wanted,
    ) -> Option<Vec<String>> {
        let at = format!("{}.{key}", self.path);
        let text = match value {
            Value::String(text) => Some(text.as_str()),
            Value::Array(items) if items.len() == 1 => items[0].as_str(),
            _ => None,
        };
        let Some(text) = text else {
            self.problems.push(Problem {
                path: at,
                message: format!("expected one member name, found {value}"),
            });
            return None;
        };
        resolve(self.model, shape, text, wanted)
            .map_err(|message| self.problems.push(Problem { path: at, message }))
            .ok()
    }

    /// The result keys (one, or a list), each resolved from `output`.
    fn result_keys(&mut self, keys: Option<&Value>, output: &str) -> Vec<Vec<String>> {
        match keys {
            None => Vec::new(),
            Some(Value::Array(keys)) => keys
                .iter()
                .enumerate()
                .filter_map(|(i, key)| {
                    self.member(&format!("result_key[{i}]"), key, output, Wanted::Any)
                })
                .collect(),
            Some(key) => self
                .member("result_key", key, output, Wanted::Any)
                .into_iter()
                .collect(),
        }
    }
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
