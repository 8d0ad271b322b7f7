//! Rule-set JSON to the IR, naming the JSON path of anything malformed or unsupported.

use serde_json::Value;

use super::*;
use crate::naming;
use crate::template::{self, Piece};

/// Parses and type-checks a rule set, collecting every unsupported or malformed element.
pub fn parse_rule_set(json: &Value) -> Result<RuleSet, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut parameters = Vec::new();
    match json.get("parameters").and_then(Value::as_object) {
        Some(map) => {
            for (name, p) in map {
                if let Some(parameter) = parse_parameter(name, p, &mut problems) {
                    parameters.push(parameter);
                }
            }
        }
        None => problems.push(problem(
            "parameters",
            "a rule set needs a parameters object",
        )),
    }
    let rules = parse_rules(json.get("rules"), "rules", &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let rule_set = RuleSet { parameters, rules };
    let problems = typing::check(&rule_set);
    if problems.is_empty() {
        Ok(rule_set)
    } else {
        Err(problems)
    }
}

fn parse_parameter(name: &str, p: &Value, problems: &mut Vec<Problem>) -> Option<Parameter> {
    let path = format!("parameters.{name}");
    let built_in = match p.get("builtIn").and_then(Value::as_str) {
        Some("AWS::Region") => BuiltIn::Region,
        Some("AWS::UseFIPS") => BuiltIn::UseFips,
        Some("AWS::UseDualStack") => BuiltIn::UseDualStack,
        Some("SDK::Endpoint") => BuiltIn::Endpoint,
        None => BuiltIn::Context,
        other => {
            problems.push(problem(
                format!("{path}.builtIn"),
                format!("unsupported endpoint parameter source {other:?}"),
            ));
            return None;
        }
    };
    let kind = match p
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("string") => ParameterKind::String,
        Some("boolean") => ParameterKind::Boolean,
        other => {
            problems.push(problem(
                format!("{path}.type"),
                format!("unsupported parameter type {other:?}"),
            ));
            return None;
        }
    };
    Some(Parameter {
        name: name.to_owned(),
        variable: naming::field_name(name),
        built_in,
        kind,
        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
        default: p.get("default").cloned(),
    })
}

fn parse_rules(rules: Option<&Value>, path: &str, problems: &mut Vec<Problem>) -> Vec<Rule> {
    let Some(rules) = rules.and_then(Value::as_array) else {
        problems.push(problem(path, "expected a list of rules"));
        return Vec::new();
    };
    rules
        .iter()
        .enumerate()
        .filter_map(|(i, rule)| parse_rule(rule, &format!("{path}[{i}]"), problems))
        .collect()
}

fn parse_rule(rule: &Value, path: &str, problems: &mut Vec<Problem>) -> Option<Rule> {
    let conditions = rule
        .get("conditions")
        .and_then(Value::as_array)
        .map(|conditions| {
            conditions
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let path = format!("{path}.conditions[{i}]");
                    let expr = parse_expr(c, &path, problems)?;
                    let assign = c
                        .get("assign")
                        .and_then(Value::as_str)
                        .map(naming::field_name);
                    Some(Condition { path, expr, assign })
                })
                .collect()
        })
        .unwrap_or_default();
    let action = match rule.get("type").and_then(Value::as_str) {
        Some("endpoint") => {
            let endpoint = rule.get("endpoint");
            if endpoint
                .and_then(|e| e.get("headers"))
                .and_then(Value::as_object)
                .is_some_and(|m| !m.is_empty())
            {
                problems.push(problem(
                    format!("{path}.endpoint.headers"),
                    "endpoint headers are not supported yet",
                ));
            }
            let properties = endpoint
                .and_then(|e| e.get("properties"))
                .filter(|p| p.as_object().is_some_and(|m| !m.is_empty()))
                .map(|p| parse_property(p, &format!("{path}.endpoint.properties"), problems));
            let url = endpoint.and_then(|e| e.get("url"));
            Action::Endpoint {
                url: parse_expr(
                    url.unwrap_or(&Value::Null),
                    &format!("{path}.endpoint.url"),
                    problems,
                )?,
                properties,
            }
        }
        Some("error") => Action::Error(parse_expr(
            rule.get("error").unwrap_or(&Value::Null),
            &format!("{path}.error"),
            problems,
        )?),
        Some("tree") => Action::Tree(parse_rules(
            rule.get("rules"),
            &format!("{path}.rules"),
            problems,
        )),
        other => {
            problems.push(problem(
                format!("{path}.type"),
                format!("unknown rule type {other:?}"),
            ));
            return None;
        }
    };
    Some(Rule {
        path: path.to_owned(),
        conditions,
        action,
    })
}

fn parse_expr(value: &Value, path: &str, problems: &mut Vec<Problem>) -> Option<Expr> {
    match value {
        Value::Bool(b) => Some(Expr::Bool(*b)),
        Value::String(s) => Some(Expr::Template(parse_template(s))),
        Value::Object(map) if map.contains_key("ref") => map
            .get("ref")
            .and_then(Value::as_str)
            .map(|r| Expr::Ref(naming::field_name(r))),
        Value::Object(map) if map.contains_key("fn") => {
            let function = map.get("fn").and_then(Value::as_str).unwrap_or("");
            let argv: Vec<&Value> = map
                .get("argv")
                .and_then(Value::as_array)
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            let arg = |i: usize, problems: &mut Vec<Problem>| -> Option<Box<Expr>> {
                let value = argv.get(i).copied().unwrap_or(&Value::Null);
                parse_expr(value, &format!("{path}.argv[{i}]"), problems).map(Box::new)
            };
            match (function, argv.len()) {
                ("isSet", 1) => Some(Expr::IsSet(arg(0, problems)?)),
                ("not", 1) => Some(Expr::Not(arg(0, problems)?)),
                ("booleanEquals", 2) => {
                    Some(Expr::BooleanEquals(arg(0, problems)?, arg(1, problems)?))
                }
                ("stringEquals", 2) => {
                    Some(Expr::StringEquals(arg(0, problems)?, arg(1, problems)?))
                }
                ("aws.partition", 1) => Some(Expr::Partition(arg(0, problems)?)),
                ("parseURL", 1) => Some(Expr::ParseUrl(arg(0, problems)?)),
                ("aws.parseArn", 1) => Some(Expr::ParseArn(arg(0, problems)?)),
                ("isValidHostLabel", 2) => match argv[1].as_bool() {
                    Some(subdomains) => Some(Expr::IsValidHostLabel(arg(0, problems)?, subdomains)),
                    None => {
                        problems.push(problem(
                            format!("{path}.argv[1]"),
                            "expected true or false (allow sub-domains)",
                        ));
                        None
                    }
                },
                ("getAttr", 2) => match argv[1].as_str().and_then(parse_attribute) {
                    Some(attribute) => Some(Expr::GetAttr(arg(0, problems)?, attribute)),
                    None => {
                        problems.push(problem(
                            format!("{path}.argv[1]"),
                            format!("unsupported attribute path {}", argv[1]),
                        ));
                        None
                    }
                },
                _ => {
                    problems.push(problem(
                        format!("{path}.fn"),
                        format!(
                            "unsupported rule function {function:?} with {} arguments",
                            argv.len()
                        ),
                    ));
                    None
                }
            }
        }
        other => {
            problems.push(problem(path, format!("unsupported expression {other}")));
            None
        }
    }
}

/// `dnsSuffix` → `dns_suffix`; `resourceId[0]` → `resource_id` at index 0.
fn parse_attribute(path: &str) -> Option<Attribute> {
    let (name, index) = match path.split_once('[') {
        Some((name, rest)) => (name, Some(rest.strip_suffix(']')?.parse().ok()?)),
        None => (path, None),
    };
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric());
    valid.then(|| Attribute {
        field: naming::field_name(name),
        index,
    })
}

fn parse_property(value: &Value, path: &str, problems: &mut Vec<Problem>) -> Property {
    match value {
        Value::Object(map) => Property::Object(
            map.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        parse_property(v, &format!("{path}.{k}"), problems),
                    )
                })
                .collect(),
        ),
        Value::Array(items) => Property::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| parse_property(v, &format!("{path}[{i}]"), problems))
                .collect(),
        ),
        Value::String(text) => Property::String(Expr::Template(parse_template(text))),
        Value::Bool(b) => Property::Bool(*b),
        other => {
            problems.push(problem(path, format!("unsupported property value {other}")));
            Property::Bool(false)
        }
    }
}

/// `https://x.{Region}.{PartitionResult#dnsSuffix}` → literal and variable parts.
fn parse_template(text: &str) -> Vec<TemplatePart> {
    template::pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Literal(text) => TemplatePart::Literal(text.to_owned()),
            Piece::Label(inside) => match inside.split_once('#') {
                Some((var, attribute)) => {
                    TemplatePart::Attribute(naming::field_name(var), naming::field_name(attribute))
                }
                None => TemplatePart::Variable(naming::field_name(inside)),
            },
        })
        .collect()
}
