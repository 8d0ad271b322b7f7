//! `src/endpoint.rs`: the endpoint rule set as nested `if`s and the partition table as
//! a static, both decided at generation time. `isSet` narrows an `Option` to its value
//! (`if let Some(region) = region`), `aws.partition` binds the partition it finds, and
//! every rule ends in `return Ok(url)` or `return Err(..)`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::endpoint_rules::typing::{attribute_of, step, Scope, Step, Ty};
use crate::endpoint_rules::{
    Action, Attribute, BuiltIn, Condition, Expr, Parameter, ParameterKind, PartitionPlan, Property,
    Rule, RuleSet, TemplatePart,
};
use crate::error::Error;
use crate::plan::{ContextValue, OperationPlan, RustType};

/// `getAttr(target, attribute)`: the Rust expression and its type.
fn attribute(
    target: &Expr,
    attribute: &Attribute,
    scope: &Scope,
) -> Result<(TokenStream, Ty), String> {
    let found = attribute_of(target, attribute, scope)?;
    let Expr::Ref(name) = target else {
        return Err(format!("getAttr of {target:?}"));
    };
    let ty = scope.get(name)?;
    let var = ident(name);
    let field = format_ident!("{}", attribute.field);
    let tokens = match (ty, attribute.index, found) {
        (_, Some(index), _) => quote!(#var.#field(#index)),
        // Partition fields are `&'static str` already; parsed results own their text.
        (Ty::Partition, None, _) | (_, None, Ty::Bool) => quote!(#var.#field),
        (_, None, _) => quote!(#var.#field.as_str()),
    };
    Ok((tokens, found))
}

pub fn endpoint_rs(
    rules: Option<&RuleSet>,
    partitions: &[PartitionPlan],
    env_name: &str,
) -> Result<TokenStream, Error> {
    let emit_error = |message: String| Error::Emit {
        file: "src/endpoint.rs".to_owned(),
        message,
    };
    let Some(rules) = rules else {
        return Ok(without_rules(env_name));
    };
    let params = params_struct(&rules.parameters, env_name);
    let bindings = bindings(rules);
    let scope = Scope::of_parameters(&rules.parameters);
    let (body, always_returns) = emit_rules(&rules.rules, &scope, true).map_err(emit_error)?;
    let fallthrough = (!always_returns).then(|| {
        quote!(Err(awsgen_runtime::endpoint::EndpointError::new(
            "no endpoint rule matched the configuration"
        )))
    });
    let table = rules
        .rules
        .iter()
        .any(rule_uses_partition)
        .then(|| partition_table(partitions));
    Ok(quote! {
        //! Endpoint resolution, generated from the service's endpoint rule set and the AWS
        //! partition table.
        #params

        /// Resolves the endpoint for `params`, or the rule set's error for them.
        pub fn resolve(params: &Params) -> Result<awsgen_runtime::endpoint::Endpoint, awsgen_runtime::endpoint::EndpointError> {
            #(#bindings)*
            #body
            #fallthrough
        }

        #table
    })
}

/// Whether the rule set has parameters that operations set (no `builtIn`): then every
/// operation resolves its own endpoint, per call.
pub fn has_context_parameters(rules: Option<&RuleSet>) -> bool {
    rules.is_some_and(|r| r.parameters.iter().any(|p| p.built_in == BuiltIn::Context))
}

/// The `Operation::endpoint` override of an operation of such a service: the client's
/// parameters, plus those this operation fixes or takes from its input.
pub fn operation_endpoint(op: &OperationPlan, rules: &RuleSet) -> Result<TokenStream, String> {
    let input_type = ident(&op.input.rust_name);
    let mut sets = Vec::new();
    let mut reads_input = false;
    for (name, value) in &op.endpoint_context {
        let Some(p) = rules.context_parameter(name) else {
            continue; // The model names a parameter this rule set does not read.
        };
        let field = ident(&p.variable);
        let plain_bool = p.has_bool_default();
        let unsupported = || {
            format!(
                "operation {} sets endpoint parameter {name} ({:?}) from {value:?}, which is not supported",
                op.name, p.kind
            )
        };
        sets.push(match (value, p.kind) {
            (ContextValue::Static(v), ParameterKind::String) => {
                let text = v.as_str().ok_or_else(unsupported)?;
                quote!(params.#field = Some(#text.to_owned());)
            }
            (ContextValue::Static(v), ParameterKind::Boolean) => {
                let b = v.as_bool().ok_or_else(unsupported)?;
                if plain_bool {
                    quote!(params.#field = #b;)
                } else {
                    quote!(params.#field = Some(#b);)
                }
            }
            (ContextValue::Member { field: member, ty }, kind) => {
                reads_input = true;
                let member = ident(member);
                match (ty, kind) {
                    (RustType::String, ParameterKind::String) => {
                        quote!(params.#field = input.#member.clone();)
                    }
                    (RustType::Named(_), ParameterKind::String) => {
                        quote!(params.#field = input.#member.as_ref().map(|v| v.as_str().to_owned());)
                    }
                    (RustType::Bool, ParameterKind::Boolean) if plain_bool => {
                        quote!(if let Some(value) = input.#member { params.#field = value; })
                    }
                    (RustType::Bool, ParameterKind::Boolean) => {
                        quote!(params.#field = input.#member;)
                    }
                    _ => return Err(unsupported()),
                }
            }
        });
    }
    let input = if reads_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let params = if sets.is_empty() {
        quote!(let params = crate::endpoint::Params::from_config(config);)
    } else {
        quote!(let mut params = crate::endpoint::Params::from_config(config);)
    };
    Ok(quote! {
        fn endpoint(
            #input: &#input_type,
            config: &awsgen_runtime::Config,
        ) -> Option<Result<awsgen_runtime::endpoint::Endpoint, awsgen_runtime::endpoint::EndpointError>> {
            #params
            #(#sets)*
            Some(crate::endpoint::resolve(&params))
        }
    })
}

/// A crate generated without a rule set can only send to an explicit `endpoint_url`.
fn without_rules(env_name: &str) -> TokenStream {
    quote! {
        //! Endpoint resolution. This crate was generated without an endpoint rule set, so
        //! requests go to the configured `endpoint_url`.

        /// What endpoint resolution reads from the configuration.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Params {
            pub endpoint: Option<String>,
        }

        impl Params {
            /// The parameters a client configuration gives.
            pub fn from_config(config: &awsgen_runtime::Config) -> Self {
                Params { endpoint: config.endpoint_url_for(#env_name).map(str::to_owned) }
            }
        }

        /// The configured endpoint URL, or an error asking for one.
        pub fn resolve(params: &Params) -> Result<awsgen_runtime::endpoint::Endpoint, awsgen_runtime::endpoint::EndpointError> {
            params.endpoint.as_deref().map(awsgen_runtime::endpoint::Endpoint::new).ok_or_else(|| {
                awsgen_runtime::endpoint::EndpointError::new("no endpoint rule set was generated: set endpoint_url")
            })
        }
    }
}

fn params_struct(parameters: &[Parameter], env_name: &str) -> TokenStream {
    let fields = parameters.iter().map(|p| {
        let field = ident(&p.variable);
        let ty = param_type(p);
        let doc = if p.built_in == BuiltIn::Context {
            format!(
                " `{}` in the rule set; each operation sets it for its own calls.",
                p.name
            )
        } else {
            format!(" `{}` in the rule set.", p.name)
        };
        quote!(#[doc = #doc] pub #field: #ty,)
    });
    let from_config = parameters.iter().map(|p| {
        let field = ident(&p.variable);
        let value = match (p.built_in, p.kind, p.has_bool_default()) {
            (BuiltIn::Region, _, _) => quote!(config.region().map(str::to_owned)),
            (BuiltIn::Endpoint, _, _) => {
                quote!(config.endpoint_url_for(#env_name).map(str::to_owned))
            }
            (BuiltIn::UseFips, ParameterKind::Boolean, true) => quote!(config.use_fips()),
            (BuiltIn::UseFips, _, _) => quote!(Some(config.use_fips())),
            (BuiltIn::UseDualStack, ParameterKind::Boolean, true) => {
                quote!(config.use_dual_stack())
            }
            (BuiltIn::UseDualStack, _, _) => quote!(Some(config.use_dual_stack())),
            (BuiltIn::Context, ParameterKind::Boolean, true) => {
                let default = p
                    .default
                    .as_ref()
                    .and_then(|d| d.as_bool())
                    .unwrap_or(false);
                quote!(#default)
            }
            (BuiltIn::Context, ParameterKind::String, _) => {
                match p.default.as_ref().and_then(|d| d.as_str()) {
                    Some(default) => quote!(Some(#default.to_owned())),
                    None => quote!(None),
                }
            }
            (BuiltIn::Context, ParameterKind::Boolean, false) => quote!(None),
        };
        quote!(#field: #value,)
    });
    quote! {
        /// What endpoint resolution reads from the configuration.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Params {
            #(#fields)*
        }

        impl Params {
            /// The parameters a client configuration gives.
            pub fn from_config(config: &awsgen_runtime::Config) -> Self {
                Params { #(#from_config)* }
            }
        }
    }
}

fn param_type(p: &Parameter) -> TokenStream {
    match (p.kind, p.has_bool_default()) {
        (ParameterKind::String, _) => quote!(Option<String>),
        (ParameterKind::Boolean, true) => quote!(bool),
        (ParameterKind::Boolean, false) => quote!(Option<bool>),
    }
}

/// `let region = params.region.as_deref();` for each parameter the rules use, typed as
/// `Parameter::ty` says: a required string is unwrapped up front, with an error naming it.
fn bindings(rules: &RuleSet) -> Vec<TokenStream> {
    let used = rules
        .parameters
        .iter()
        .filter(|p| rules.rules.iter().any(|r| rule_mentions(r, &p.variable)));
    used.map(|p| {
        let var = ident(&p.variable);
        match p.ty() {
            Ty::Str => {
                let missing = format!("the {} parameter is required", p.name);
                quote! {
                    let Some(#var) = params.#var.as_deref() else {
                        return Err(awsgen_runtime::endpoint::EndpointError::new(#missing));
                    };
                }
            }
            Ty::OptStr => quote!(let #var = params.#var.as_deref();),
            _ => quote!(let #var = params.#var;),
        }
    })
    .collect()
}

/// Rules in order; code after a rule without conditions could never run, so it stops
/// there. Returns whether every path returns. At the end of the function (`tail`), a
/// final unconditional rule is the tail expression rather than a `return`.
fn emit_rules(rules: &[Rule], scope: &Scope, tail: bool) -> Result<(TokenStream, bool), String> {
    let mut out = Vec::new();
    for rule in rules {
        if rule.conditions.is_empty() {
            out.push(emit_action(&rule.action, scope, tail)?);
            return Ok((quote!(#(#out)*), true));
        }
        out.push(emit_conditions(&rule.conditions, &rule.action, scope)?);
    }
    Ok((quote!(#(#out)*), false))
}

fn emit_conditions(
    conditions: &[Condition],
    action: &Action,
    scope: &Scope,
) -> Result<TokenStream, String> {
    let Some((first, rest)) = conditions.split_first() else {
        return emit_action(action, scope, false);
    };
    // A binding nothing reads would be an unused variable: test presence instead.
    let used_later = |name: &str| {
        rest.iter().any(|c| expr_mentions(&c.expr, name)) || action_mentions(action, name)
    };
    match step(first, scope)? {
        Step::Narrow { name, to } => {
            let var = ident(name);
            let body = emit_conditions(rest, action, &scope.with(name, to))?;
            Ok(if used_later(name) {
                quote!(if let Some(#var) = #var { #body })
            } else {
                quote!(if #var.is_some() { #body })
            })
        }
        Step::Present { ty } => {
            let option = optional_expr(&first.expr, scope)?;
            match first.assign.as_deref().filter(|name| used_later(name)) {
                Some(name) => {
                    let var = ident(name);
                    let body = emit_conditions(rest, action, &scope.with(name, ty))?;
                    Ok(quote!(if let Some(#var) = #option { #body }))
                }
                None => {
                    let body = emit_conditions(rest, action, scope)?;
                    Ok(quote!(if #option.is_some() { #body }))
                }
            }
        }
        Step::Let => {
            let name = first.assign.as_deref().unwrap_or_default();
            let value = str_expr(&first.expr, scope)?;
            let var = ident(name);
            let body = emit_conditions(rest, action, &scope.with(name, Ty::Str))?;
            Ok(quote!({ let #var = #value; #body }))
        }
        Step::Test => {
            // Consecutive plain tests join into one `if a && b`.
            let plain = conditions
                .iter()
                .take_while(|c| {
                    !matches!(c.expr, Expr::IsSet(_)) && matches!(step(c, scope), Ok(Step::Test))
                })
                .count()
                .max(1);
            let tests = conditions[..plain]
                .iter()
                .map(|c| bool_expr(&c.expr, scope))
                .collect::<Result<Vec<_>, _>>()?;
            let body = emit_conditions(&conditions[plain..], action, scope)?;
            Ok(quote!(if #(#tests)&&* { #body }))
        }
    }
}

/// The `Option` expression of a result that may be absent (see `optional_type`).
fn optional_expr(expr: &Expr, scope: &Scope) -> Result<TokenStream, String> {
    match expr {
        Expr::Partition(region) => {
            let region = str_expr(region, scope)?;
            Ok(quote!(awsgen_runtime::endpoint::partition(PARTITIONS, #region)))
        }
        Expr::ParseUrl(url) => {
            let url = str_expr(url, scope)?;
            Ok(quote!(awsgen_runtime::endpoint::parse_url(#url)))
        }
        Expr::ParseArn(arn) => {
            let arn = str_expr(arn, scope)?;
            Ok(quote!(awsgen_runtime::endpoint::parse_arn(#arn)))
        }
        Expr::GetAttr(target, attr) => Ok(attribute(target, attr, scope)?.0),
        other => Err(format!("{other:?} is never absent")),
    }
}

fn emit_action(action: &Action, scope: &Scope, tail: bool) -> Result<TokenStream, String> {
    let finish = |value: TokenStream| if tail { value } else { quote!(return #value;) };
    Ok(match action {
        Action::Endpoint { url, properties } => {
            let url = string_value(url, scope)?;
            let endpoint = match properties {
                None => quote!(awsgen_runtime::endpoint::Endpoint::new(#url)),
                Some(properties) => {
                    let properties = property(properties, scope)?;
                    quote!(awsgen_runtime::endpoint::Endpoint::with_properties(#url, #properties))
                }
            };
            finish(quote!(Ok(#endpoint)))
        }
        Action::Error(message) => {
            let message = string_value(message, scope)?;
            finish(quote!(Err(awsgen_runtime::endpoint::EndpointError::new(#message))))
        }
        Action::Tree(rules) => {
            let (body, always_returns) = emit_rules(rules, scope, tail)?;
            let fallthrough = (!always_returns).then(|| {
                quote!(return Err(awsgen_runtime::endpoint::EndpointError::new("no endpoint rule matched the configuration"));)
            });
            quote!(#body #fallthrough)
        }
    })
}

/// A string-valued expression: a literal, a variable or a `format!`, any of which
/// `String::from` and `EndpointError::new` accept.
fn string_value(expr: &Expr, scope: &Scope) -> Result<TokenStream, String> {
    match expr {
        Expr::Template(parts) => match parts.as_slice() {
            [] => Ok(quote!("")),
            [TemplatePart::Literal(text)] => Ok(quote!(#text)),
            _ => template(parts, scope),
        },
        other => str_expr(other, scope),
    }
}

/// An endpoint property as a `serde_json::Value` expression.
fn property(value: &Property, scope: &Scope) -> Result<TokenStream, String> {
    Ok(match value {
        Property::Object(entries) => {
            let keys = entries.iter().map(|(k, _)| k.as_str());
            let values = entries
                .iter()
                .map(|(_, v)| property(v, scope))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(awsgen_runtime::serde_json::json!({ #(#keys: #values),* }))
        }
        Property::Array(items) => {
            let items = items
                .iter()
                .map(|v| property(v, scope))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(awsgen_runtime::serde_json::json!([#(#items),*]))
        }
        Property::String(text) => string_value(text, scope)?,
        Property::Bool(b) => quote!(#b),
    })
}

fn template(parts: &[TemplatePart], scope: &Scope) -> Result<TokenStream, String> {
    let mut format = String::new();
    let mut args = Vec::new();
    for part in parts {
        match part {
            TemplatePart::Literal(text) => {
                format.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            TemplatePart::Variable(name) => {
                format.push_str("{}");
                let var = ident(name);
                args.push(quote!(#var));
            }
            TemplatePart::Attribute(name, field) => {
                let attr = Attribute {
                    field: field.clone(),
                    index: None,
                };
                let (value, _) = attribute(&Expr::Ref(name.clone()), &attr, scope)?;
                format.push_str("{}");
                args.push(value);
            }
        }
    }
    Ok(quote!(format!(#format, #(#args),*)))
}

fn str_expr(expr: &Expr, scope: &Scope) -> Result<TokenStream, String> {
    match expr {
        Expr::Ref(name) => {
            let var = ident(name);
            Ok(quote!(#var))
        }
        Expr::Template(_) => string_value(expr, scope),
        Expr::GetAttr(target, attr) => Ok(attribute(target, attr, scope)?.0),
        other => Err(format!("expected a string expression, found {other:?}")),
    }
}

fn bool_expr(expr: &Expr, scope: &Scope) -> Result<TokenStream, String> {
    match expr {
        Expr::Bool(b) => Ok(quote!(#b)),
        Expr::Ref(name) => {
            let var = ident(name);
            Ok(quote!(#var))
        }
        Expr::GetAttr(target, attr) => match attribute(target, attr, scope)? {
            (value, Ty::Bool) => Ok(value),
            (value, Ty::OptStr) => Ok(quote!(#value.is_some())),
            (_, ty) => Err(format!("{attr:?} is {ty:?}, not a boolean")),
        },
        Expr::IsSet(inner) => match inner.as_ref() {
            Expr::Ref(name) => {
                let var = ident(name);
                match scope.get(name)? {
                    Ty::OptStr | Ty::OptBool => Ok(quote!(#var.is_some())),
                    _ => Ok(quote!(true)),
                }
            }
            other => {
                let option = optional_expr(other, scope)?;
                Ok(quote!(#option.is_some()))
            }
        },
        Expr::IsValidHostLabel(value, subdomains) => {
            let value = str_expr(value, scope)?;
            Ok(quote!(awsgen_runtime::endpoint::is_valid_host_label(#value, #subdomains)))
        }
        Expr::Partition(_) | Expr::ParseUrl(_) | Expr::ParseArn(_) => {
            let option = optional_expr(expr, scope)?;
            Ok(quote!(#option.is_some()))
        }
        Expr::Not(inner) => {
            let inner = bool_expr(inner, scope)?;
            Ok(quote!(!(#inner)))
        }
        Expr::BooleanEquals(a, b) => {
            // `booleanEquals(true, x)` reads better as `x`, and clippy asks for it.
            match (a.as_ref(), b.as_ref()) {
                (Expr::Bool(true), other) | (other, Expr::Bool(true)) => bool_expr(other, scope),
                (Expr::Bool(false), other) | (other, Expr::Bool(false)) => {
                    let other = bool_expr(other, scope)?;
                    Ok(quote!(!#other))
                }
                (a, b) => {
                    let (a, b) = (bool_expr(a, scope)?, bool_expr(b, scope)?);
                    Ok(quote!(#a == #b))
                }
            }
        }
        Expr::StringEquals(a, b) => {
            let (a, b) = (str_expr(a, scope)?, str_expr(b, scope)?);
            Ok(quote!(#a == #b))
        }
        other => Err(format!("expected a boolean expression, found {other:?}")),
    }
}

fn rule_uses_partition(rule: &Rule) -> bool {
    fn expr_uses(expr: &Expr) -> bool {
        match expr {
            Expr::Partition(_) => true,
            Expr::Not(e) | Expr::IsSet(e) => expr_uses(e),
            Expr::BooleanEquals(a, b) | Expr::StringEquals(a, b) => expr_uses(a) || expr_uses(b),
            _ => false,
        }
    }
    rule.conditions.iter().any(|c| expr_uses(&c.expr))
        || matches!(&rule.action, Action::Tree(rules) if rules.iter().any(rule_uses_partition))
}

fn rule_mentions(rule: &Rule, name: &str) -> bool {
    rule.conditions.iter().any(|c| expr_mentions(&c.expr, name))
        || action_mentions(&rule.action, name)
}

fn action_mentions(action: &Action, name: &str) -> bool {
    match action {
        Action::Endpoint { url, properties } => {
            expr_mentions(url, name)
                || properties
                    .as_ref()
                    .is_some_and(|p| property_mentions(p, name))
        }
        Action::Error(e) => expr_mentions(e, name),
        Action::Tree(rules) => rules.iter().any(|r| rule_mentions(r, name)),
    }
}

fn property_mentions(property: &Property, name: &str) -> bool {
    match property {
        Property::Object(entries) => entries.iter().any(|(_, v)| property_mentions(v, name)),
        Property::Array(items) => items.iter().any(|v| property_mentions(v, name)),
        Property::String(e) => expr_mentions(e, name),
        Property::Bool(_) => false,
    }
}

fn expr_mentions(expr: &Expr, name: &str) -> bool {
    match expr {
        Expr::Bool(_) => false,
        Expr::Ref(r) => r == name,
        Expr::Template(parts) => parts.iter().any(|p| match p {
            TemplatePart::Literal(_) => false,
            TemplatePart::Variable(v) | TemplatePart::Attribute(v, _) => v == name,
        }),
        Expr::IsSet(e)
        | Expr::Not(e)
        | Expr::Partition(e)
        | Expr::GetAttr(e, _)
        | Expr::ParseUrl(e)
        | Expr::ParseArn(e)
        | Expr::IsValidHostLabel(e, _) => expr_mentions(e, name),
        Expr::BooleanEquals(a, b) | Expr::StringEquals(a, b) => {
            expr_mentions(a, name) || expr_mentions(b, name)
        }
    }
}

fn partition_table(partitions: &[PartitionPlan]) -> TokenStream {
    let entries = partitions.iter().map(|p| {
        let PartitionPlan {
            id,
            region_prefixes,
            regions,
            name,
            dns_suffix,
            dual_stack_dns_suffix,
            supports_fips,
            supports_dual_stack,
            implicit_global_region,
        } = p;
        quote! {
            awsgen_runtime::endpoint::PartitionEntry {
                id: #id,
                region_prefixes: &[#(#region_prefixes),*],
                regions: &[#(#regions),*],
                outputs: awsgen_runtime::endpoint::Partition {
                    name: #name,
                    dns_suffix: #dns_suffix,
                    dual_stack_dns_suffix: #dual_stack_dns_suffix,
                    supports_fips: #supports_fips,
                    supports_dual_stack: #supports_dual_stack,
                    implicit_global_region: #implicit_global_region,
                },
            }
        }
    });
    quote! {
        /// The AWS partitions: their regions, region prefixes and DNS suffixes.
        static PARTITIONS: &[awsgen_runtime::endpoint::PartitionEntry] = &[#(#entries),*];
    }
}
