//! The types of rule-set values as the generated code holds them, and the check that
//! every rule uses them as the endpoint emitter can express: a string where a string is
//! needed, an optional value narrowed by `isSet` before it is used, attributes that the
//! result has. A rule set that passes this check always emits; one that does not is
//! refused with the JSON path of the offending condition or value.

use super::{problem, Action, Attribute, Condition, Expr, Parameter, ParameterKind, Property};
use super::{Rule, RuleSet, TemplatePart};
use crate::error::Problem;

/// The type of a rule-set value in the generated `resolve` function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    OptStr,
    Bool,
    OptBool,
    /// `aws.partition`'s result, `&awsgen_runtime::endpoint::Partition`.
    Partition,
    /// `parseURL`'s result, `awsgen_runtime::endpoint::Url`.
    Url,
    /// `aws.parseArn`'s result, `awsgen_runtime::endpoint::Arn`.
    Arn,
}

impl Parameter {
    /// Whether the parameter is a boolean with a boolean default: then it is a plain
    /// `bool`, never absent.
    pub fn has_bool_default(&self) -> bool {
        self.kind == ParameterKind::Boolean
            && self.default.as_ref().and_then(|d| d.as_bool()).is_some()
    }

    /// The type of the parameter's variable at the top of `resolve`: a required string
    /// is unwrapped up front (with an error naming it), a defaulted boolean is plain.
    pub fn ty(&self) -> Ty {
        match (self.kind, self.required, self.has_bool_default()) {
            (ParameterKind::String, true, _) => Ty::Str,
            (ParameterKind::String, false, _) => Ty::OptStr,
            (ParameterKind::Boolean, _, true) => Ty::Bool,
            (ParameterKind::Boolean, _, false) => Ty::OptBool,
        }
    }
}

/// The type of attribute `attribute` of a result of type `ty`, if it has one.
pub fn attribute_type(ty: Ty, attribute: &Attribute) -> Option<Ty> {
    let field = attribute.field.as_str();
    match (ty, field, attribute.index) {
        (
            Ty::Partition,
            "name" | "dns_suffix" | "dual_stack_dns_suffix" | "implicit_global_region",
            None,
        ) => Some(Ty::Str),
        (Ty::Partition, "supports_fips" | "supports_dual_stack", None) => Some(Ty::Bool),
        (Ty::Url, "scheme" | "authority" | "path" | "normalized_path", None) => Some(Ty::Str),
        (Ty::Url, "is_ip", None) => Some(Ty::Bool),
        (Ty::Arn, "partition" | "service" | "region" | "account_id", None) => Some(Ty::Str),
        (Ty::Arn, "resource_id", Some(_)) => Some(Ty::OptStr),
        _ => None,
    }
}

/// Variables in scope (Rust names), innermost last.
#[derive(Debug, Clone, Default)]
pub struct Scope(Vec<(String, Ty)>);

impl Scope {
    /// Every parameter, with its type at the top of `resolve`.
    pub fn of_parameters(parameters: &[Parameter]) -> Scope {
        Scope(
            parameters
                .iter()
                .map(|p| (p.variable.clone(), p.ty()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Result<Ty, String> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                format!("`{name}` is not a parameter or a result assigned by an earlier condition")
            })
    }

    pub fn with(&self, name: &str, ty: Ty) -> Scope {
        let mut scope = self.clone();
        scope.0.push((name.to_owned(), ty));
        scope
    }
}

/// What a condition does, as the emitter lowers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// `isSet(x)` on an optional variable: inside, `x` is its value (`if let Some(x) = x`).
    Narrow { name: &'a str, to: Ty },
    /// A function whose result may be absent: the rule applies when it is present, and
    /// the value (of type `ty`) is bound to the condition's `assign`, if any.
    Present { ty: Ty },
    /// A string bound to the condition's `assign`.
    Let,
    /// A boolean test.
    Test,
}

/// Classifies a condition, checking its expression in `scope`.
pub fn step<'a>(condition: &'a Condition, scope: &Scope) -> Result<Step<'a>, String> {
    if let (Expr::IsSet(inner), None) = (&condition.expr, &condition.assign) {
        if let Expr::Ref(name) = inner.as_ref() {
            match scope.get(name)? {
                Ty::OptStr => return Ok(Step::Narrow { name, to: Ty::Str }),
                Ty::OptBool => return Ok(Step::Narrow { name, to: Ty::Bool }),
                _ => {}
            }
        }
    }
    if let Some(ty) = optional_type(&condition.expr, scope)? {
        return Ok(Step::Present { ty });
    }
    if condition.assign.is_some() {
        expect_str(&condition.expr, scope)?;
        return Ok(Step::Let);
    }
    expect_bool(&condition.expr, scope)?;
    Ok(Step::Test)
}

/// For an expression whose value may be absent (`aws.partition`, `parseURL`,
/// `aws.parseArn`, `getAttr(arn, "resourceId[0]")`): the type of what it holds.
pub fn optional_type(expr: &Expr, scope: &Scope) -> Result<Option<Ty>, String> {
    Ok(match expr {
        Expr::Partition(region) => {
            expect_str(region, scope)?;
            Some(Ty::Partition)
        }
        Expr::ParseUrl(url) => {
            expect_str(url, scope)?;
            Some(Ty::Url)
        }
        Expr::ParseArn(arn) => {
            expect_str(arn, scope)?;
            Some(Ty::Arn)
        }
        Expr::GetAttr(target, attribute) => match attribute_of(target, attribute, scope)? {
            Ty::OptStr => Some(Ty::Str),
            _ => None,
        },
        _ => None,
    })
}

/// The type of `getAttr(target, attribute)`.
pub fn attribute_of(target: &Expr, attribute: &Attribute, scope: &Scope) -> Result<Ty, String> {
    let Expr::Ref(name) = target else {
        return Err(format!(
            "getAttr is supported on assigned results only, found {target:?}"
        ));
    };
    let ty = scope.get(name)?;
    attribute_type(ty, attribute)
        .ok_or_else(|| format!("`{name}` ({ty:?}) has no attribute {attribute:?}"))
}

fn require(found: Ty, wanted: Ty, name: &str) -> Result<(), String> {
    if found == wanted {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is used as {wanted:?} where it is {found:?} (a missing isSet check?)"
        ))
    }
}

/// Checks a string-valued expression: a reference to a string, a template whose
/// variables are strings, or a string attribute.
pub fn expect_str(expr: &Expr, scope: &Scope) -> Result<(), String> {
    match expr {
        Expr::Ref(name) => require(scope.get(name)?, Ty::Str, name),
        Expr::Template(parts) => parts.iter().try_for_each(|part| match part {
            TemplatePart::Literal(_) => Ok(()),
            TemplatePart::Variable(name) => require(scope.get(name)?, Ty::Str, name),
            TemplatePart::Attribute(name, field) => {
                let attribute = Attribute {
                    field: field.clone(),
                    index: None,
                };
                let ty = attribute_of(&Expr::Ref(name.clone()), &attribute, scope)?;
                require(ty, Ty::Str, &format!("{name}#{field}"))
            }
        }),
        Expr::GetAttr(target, attribute) => require(
            attribute_of(target, attribute, scope)?,
            Ty::Str,
            &attribute.field,
        ),
        other => Err(format!("expected a string, found {other:?}")),
    }
}

/// Checks a boolean-valued expression.
pub fn expect_bool(expr: &Expr, scope: &Scope) -> Result<(), String> {
    match expr {
        Expr::Bool(_) => Ok(()),
        Expr::Ref(name) => require(scope.get(name)?, Ty::Bool, name),
        Expr::GetAttr(target, attribute) => match attribute_of(target, attribute, scope)? {
            Ty::Bool | Ty::OptStr => Ok(()),
            ty => Err(format!("{attribute:?} is {ty:?}, not a boolean")),
        },
        Expr::IsSet(inner) => match inner.as_ref() {
            Expr::Ref(name) => scope.get(name).map(drop),
            other => match optional_type(other, scope)? {
                Some(_) => Ok(()),
                None => Err(format!("isSet of {other:?} is not supported")),
            },
        },
        Expr::IsValidHostLabel(value, _) => expect_str(value, scope),
        Expr::Partition(_) | Expr::ParseUrl(_) | Expr::ParseArn(_) => {
            optional_type(expr, scope).map(drop)
        }
        Expr::Not(inner) => expect_bool(inner, scope),
        Expr::BooleanEquals(a, b) => {
            expect_bool(a, scope)?;
            expect_bool(b, scope)
        }
        Expr::StringEquals(a, b) => {
            expect_str(a, scope)?;
            expect_str(b, scope)
        }
        other => Err(format!("expected a boolean, found {other:?}")),
    }
}

/// Checks every rule of `rules`, adding a problem (at the condition or value's JSON
/// path) for each use the generated code could not express.
pub fn check(rules: &RuleSet) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_rules(
        &rules.rules,
        &Scope::of_parameters(&rules.parameters),
        &mut problems,
    );
    problems
}

fn check_rules(rules: &[Rule], scope: &Scope, problems: &mut Vec<Problem>) {
    for rule in rules {
        let mut scope = scope.clone();
        let mut failed = false;
        for condition in &rule.conditions {
            match step(condition, &scope) {
                Ok(step) => scope = within(condition, step, &scope),
                Err(message) => {
                    problems.push(problem(&condition.path, message));
                    // What follows depends on what this condition would have bound.
                    failed = true;
                    break;
                }
            }
        }
        if !failed {
            check_action(rule, &scope, problems);
        }
    }
}

/// The scope inside a condition that holds.
pub fn within(condition: &Condition, step: Step<'_>, scope: &Scope) -> Scope {
    match (step, condition.assign.as_deref()) {
        (Step::Narrow { name, to }, _) => scope.with(name, to),
        (Step::Present { ty }, Some(name)) => scope.with(name, ty),
        (Step::Let, Some(name)) => scope.with(name, Ty::Str),
        _ => scope.clone(),
    }
}

fn check_action(rule: &Rule, scope: &Scope, problems: &mut Vec<Problem>) {
    let path = &rule.path;
    match &rule.action {
        Action::Endpoint { url, properties } => {
            if let Err(message) = expect_str(url, scope) {
                problems.push(problem(format!("{path}.endpoint.url"), message));
            }
            if let Some(properties) = properties {
                let path = format!("{path}.endpoint.properties");
                check_property(properties, &path, scope, problems);
            }
        }
        Action::Error(message) => {
            if let Err(message) = expect_str(message, scope) {
                problems.push(problem(format!("{path}.error"), message));
            }
        }
        Action::Tree(rules) => check_rules(rules, scope, problems),
    }
}

fn check_property(property: &Property, path: &str, scope: &Scope, problems: &mut Vec<Problem>) {
    match property {
        Property::Object(entries) => {
            for (key, value) in entries {
                check_property(value, &format!("{path}.{key}"), scope, problems);
            }
        }
        Property::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                check_property(value, &format!("{path}[{i}]"), scope, problems);
            }
        }
        Property::String(text) => {
            if let Err(message) = expect_str(text, scope) {
                problems.push(problem(path, message));
            }
        }
        Property::Bool(_) => {}
    }
}
