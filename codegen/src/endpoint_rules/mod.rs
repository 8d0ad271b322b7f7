//! Endpoint rule sets and the partition table: parsed into an IR (`parse`), type-checked
//! against what the generated code can express (`typing`), naming the JSON path of
//! anything unsupported, so the endpoint emitter only prints checked rules as plain Rust.
//! Nothing is interpreted at run time.

use serde_json::Value;

mod context;
mod parse;
mod partitions;
pub mod typing;

pub use context::check_operations;
pub use parse::parse_rule_set;
pub use partitions::{parse_partitions, region_prefixes, PartitionPlan};

use crate::error::Problem;

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}

/// A checked rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub parameters: Vec<Parameter>,
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The parameter `name` if operations set it (it has no `builtIn`).
    pub fn context_parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|p| p.name == name && p.built_in == BuiltIn::Context)
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    /// The name in the rule set, `UseFIPS`.
    pub name: String,
    /// The Rust variable, `use_fips`.
    pub variable: String,
    pub built_in: BuiltIn,
    pub kind: ParameterKind,
    pub required: bool,
    pub default: Option<Value>,
}

/// Where a parameter's value comes from: the client configuration, or (no `builtIn`)
/// the operation being called (the model's `staticContextParams` and `contextParam`
/// members).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltIn {
    Region,
    UseFips,
    UseDualStack,
    Endpoint,
    Context,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterKind {
    String,
    Boolean,
}

#[derive(Debug, Clone)]
pub struct Rule {
    /// Where the rule is in the rule set (`rules[2].rules[0]`), for problems.
    pub path: String,
    pub conditions: Vec<Condition>,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub enum Action {
    Endpoint {
        url: Expr,
        /// The endpoint's `properties` (such as `authSchemes`), if it has any.
        properties: Option<Property>,
    },
    Error(Expr),
    Tree(Vec<Rule>),
}

/// A value in an endpoint's `properties`: JSON whose strings are templates.
#[derive(Debug, Clone)]
pub enum Property {
    Object(Vec<(String, Property)>),
    Array(Vec<Property>),
    String(Expr),
    Bool(bool),
}

#[derive(Debug, Clone)]
pub struct Condition {
    /// Where the condition is in the rule set, for problems.
    pub path: String,
    pub expr: Expr,
    /// The variable the result is bound to (`assign`), in Rust form.
    pub assign: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Expr {
    Bool(bool),
    /// A string, possibly with `{Var}` / `{Var#attr}` templates.
    Template(Vec<TemplatePart>),
    Ref(String),
    IsSet(Box<Expr>),
    Not(Box<Expr>),
    BooleanEquals(Box<Expr>, Box<Expr>),
    StringEquals(Box<Expr>, Box<Expr>),
    /// `getAttr(partition, "dnsSuffix")`: the Rust field of the result (`dns_suffix`);
    /// which fields exist depends on the result's type, which the emitter checks.
    GetAttr(Box<Expr>, Attribute),
    Partition(Box<Expr>),
    ParseUrl(Box<Expr>),
    ParseArn(Box<Expr>),
    IsValidHostLabel(Box<Expr>, bool),
}

/// An attribute path of `getAttr`: a field, or an element of a list field
/// (`resourceId[0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub field: String,
    pub index: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    Literal(String),
    Variable(String),
    Attribute(String, String),
}
