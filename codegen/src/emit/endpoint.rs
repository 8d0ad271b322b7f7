//! `src/endpoint.rs`: the endpoint rule set as nested `if`s and the partition table as
//! a static, both decided at generation time. `isSet` narrows an `Option` to its value
//! (`if let Some(region) = region`), `aws.partition` binds the partition it finds, and
//! every rule ends in `return Ok(url)` or `return Err(..)`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::endpoint_rules::{
    Action, BuiltIn, Condition, Expr, Parameter, ParameterKind, PartitionPlan, Rule, RuleSet,
    TemplatePart,
};
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Str,
    OptStr,
    Bool,
    OptBool,
    Partition,
}

/// Variables in scope, innermost last.
#[derive(Clone, Default)]
struct Scope(Vec<(String, Ty)>);

impl Scope {
    fn get(&self, name: &str) -> Result<Ty, String> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| format!("the rule set refers to `{name}`, which is not a parameter or an assigned result"))
    }

    fn with(&self, name: &str, ty: Ty) -> Scope {
        let mut scope = self.clone();
        scope.0.push((name.to_owned(), ty));
        scope
    }
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
    let (bindings, scope) = bindings(rules);
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

        /// Resolves the endpoint URL for `params`, or the rule set's error for them.
        pub fn resolve(params: &Params) -> Result<String, awsgen_runtime::endpoint::EndpointError> {
            #(#bindings)*
            #body
            #fallthrough
        }

        #table
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
        pub fn resolve(params: &Params) -> Result<String, awsgen_runtime::endpoint::EndpointError> {
            params.endpoint.clone().ok_or_else(|| {
                awsgen_runtime::endpoint::EndpointError::new("no endpoint rule set was generated: set endpoint_url")
            })
        }
    }
}

fn params_struct(parameters: &[Parameter], env_name: &str) -> TokenStream {
    let fields = parameters.iter().map(|p| {
        let field = ident(&p.variable);
        let ty = param_type(p);
        let doc = format!(" `{}` in the rule set.", p.name);
        quote!(#[doc = #doc] pub #field: #ty,)
    });
    let from_config = parameters.iter().map(|p| {
        let field = ident(&p.variable);
        let value = match (p.built_in, p.kind, has_default(p)) {
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

fn has_default(p: &Parameter) -> bool {
    p.kind == ParameterKind::Boolean && p.default.as_ref().and_then(|d| d.as_bool()).is_some()
}

fn param_type(p: &Parameter) -> TokenStream {
    match (p.kind, has_default(p)) {
        (ParameterKind::String, _) => quote!(Option<String>),
        (ParameterKind::Boolean, true) => quote!(bool),
        (ParameterKind::Boolean, false) => quote!(Option<bool>),
    }
}

/// `let region = params.region.as_deref();` for each parameter the rules use. A required
/// string without a default is unwrapped up front, with an error naming it.
fn bindings(rules: &RuleSet) -> (Vec<TokenStream>, Scope) {
    let mut scope = Scope::default();
    let mut bindings = Vec::new();
    for p in &rules.parameters {
        if !rules.rules.iter().any(|r| rule_mentions(r, &p.variable)) {
            continue;
        }
        let var = ident(&p.variable);
        let (binding, ty) = match (p.kind, has_default(p), p.required) {
            (ParameterKind::String, _, true) => {
                let missing = format!("the {} parameter is required", p.name);
                (
                    quote! {
                        let Some(#var) = params.#var.as_deref() else {
                            return Err(awsgen_runtime::endpoint::EndpointError::new(#missing));
                        };
                    },
                    Ty::Str,
                )
            }
            (ParameterKind::String, _, false) => {
                (quote!(let #var = params.#var.as_deref();), Ty::OptStr)
            }
            (ParameterKind::Boolean, true, _) => (quote!(let #var = params.#var;), Ty::Bool),
            (ParameterKind::Boolean, false, _) => (quote!(let #var = params.#var;), Ty::OptBool),
        };
        bindings.push(binding);
        scope = scope.with(&p.variable, ty);
    }
    (bindings, scope)
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
    match (&first.expr, &first.assign) {
        (Expr::IsSet(inner), None) => match inner.as_ref() {
            Expr::Ref(name) if matches!(scope.get(name)?, Ty::OptStr | Ty::OptBool) => {
                let narrowed = if scope.get(name)? == Ty::OptStr {
                    Ty::Str
                } else {
                    Ty::Bool
                };
                let var = ident(name);
                let body = emit_conditions(rest, action, &scope.with(name, narrowed))?;
                if used_later(name) {
                    Ok(quote!(if let Some(#var) = #var { #body }))
                } else {
                    Ok(quote!(if #var.is_some() { #body }))
                }
            }
            other => {
                let test = bool_expr(&Expr::IsSet(Box::new(other.clone())), scope)?;
                let body = emit_conditions(rest, action, scope)?;
                Ok(quote!(if #test { #body }))
            }
        },
        (Expr::Partition(region), assign) => {
            let region = str_expr(region, scope)?;
            let lookup = quote!(awsgen_runtime::endpoint::partition(PARTITIONS, #region));
            match assign.as_deref().filter(|name| used_later(name)) {
                Some(name) => {
                    let var = ident(name);
                    let body = emit_conditions(rest, action, &scope.with(name, Ty::Partition))?;
                    Ok(quote!(if let Some(#var) = #lookup { #body }))
                }
                None => {
                    let body = emit_conditions(rest, action, scope)?;
                    Ok(quote!(if #lookup.is_some() { #body }))
                }
            }
        }
        (_, None) => {
            // Consecutive plain tests join into one `if a && b`.
            let plain = conditions
                .iter()
                .take_while(|c| {
                    c.assign.is_none() && !matches!(c.expr, Expr::IsSet(_) | Expr::Partition(_))
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
        (_, Some(name)) => Err(format!(
            "assigning `{name}` from this kind of condition is not supported"
        )),
    }
}

fn emit_action(action: &Action, scope: &Scope, tail: bool) -> Result<TokenStream, String> {
    let finish = |value: TokenStream| if tail { value } else { quote!(return #value;) };
    Ok(match action {
        Action::Endpoint(url) => {
            // `format!` already gives a `String`; literals and variables need one made.
            let url = match url {
                Expr::Template(parts)
                    if parts.iter().any(|p| !matches!(p, TemplatePart::Literal(_))) =>
                {
                    template(url, scope)?
                }
                other => {
                    let value = string_value(other, scope)?;
                    quote!(String::from(#value))
                }
            };
            finish(quote!(Ok(#url)))
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
            _ => template(expr, scope),
        },
        other => str_expr(other, scope),
    }
}

fn template(expr: &Expr, scope: &Scope) -> Result<TokenStream, String> {
    let Expr::Template(parts) = expr else {
        unreachable!("called for templates")
    };
    let mut format = String::new();
    let mut args = Vec::new();
    for part in parts {
        match part {
            TemplatePart::Literal(text) => {
                format.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            TemplatePart::Variable(name) => {
                require(scope.get(name)?, Ty::Str, name)?;
                format.push_str("{}");
                let var = ident(name);
                args.push(quote!(#var));
            }
            TemplatePart::Attribute(name, field) => {
                require(scope.get(name)?, Ty::Partition, name)?;
                format.push_str("{}");
                let (var, field) = (ident(name), format_ident!("{}", field));
                args.push(quote!(#var.#field));
            }
        }
    }
    Ok(quote!(format!(#format, #(#args),*)))
}

fn require(found: Ty, wanted: Ty, name: &str) -> Result<(), String> {
    if found == wanted {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is used as {wanted:?} where it may be {found:?} (a missing isSet check?)"
        ))
    }
}

fn str_expr(expr: &Expr, scope: &Scope) -> Result<TokenStream, String> {
    match expr {
        Expr::Ref(name) => {
            require(scope.get(name)?, Ty::Str, name)?;
            let var = ident(name);
            Ok(quote!(#var))
        }
        Expr::Template(_) => string_value(expr, scope),
        Expr::GetAttr(target, field) if !field.starts_with("supports") => {
            let target = partition_expr(target, scope)?;
            let field = format_ident!("{}", field);
            Ok(quote!(#target.#field))
        }
        other => Err(format!("expected a string expression, found {other:?}")),
    }
}

fn partition_expr(expr: &Expr, scope: &Scope) -> Result<TokenStream, String> {
    match expr {
        Expr::Ref(name) => {
            require(scope.get(name)?, Ty::Partition, name)?;
            let var = ident(name);
            Ok(quote!(#var))
        }
        other => Err(format!(
            "getAttr is supported on partition results only, found {other:?}"
        )),
    }
}

fn bool_expr(expr: &Expr, scope: &Scope) -> Result<TokenStream, String> {
    match expr {
        Expr::Bool(b) => Ok(quote!(#b)),
        Expr::Ref(name) => {
            require(scope.get(name)?, Ty::Bool, name)?;
            let var = ident(name);
            Ok(quote!(#var))
        }
        Expr::GetAttr(target, field) if field.starts_with("supports") => {
            let target = partition_expr(target, scope)?;
            let field = format_ident!("{}", field);
            Ok(quote!(#target.#field))
        }
        Expr::IsSet(inner) => match inner.as_ref() {
            Expr::Ref(name) => {
                let var = ident(name);
                match scope.get(name)? {
                    Ty::OptStr | Ty::OptBool => Ok(quote!(#var.is_some())),
                    _ => Ok(quote!(true)),
                }
            }
            other => Err(format!("isSet of {other:?} is not supported")),
        },
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
        matches!(expr, Expr::Partition(_))
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
        Action::Endpoint(e) | Action::Error(e) => expr_mentions(e, name),
        Action::Tree(rules) => rules.iter().any(|r| rule_mentions(r, name)),
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
        Expr::IsSet(e) | Expr::Not(e) | Expr::Partition(e) | Expr::GetAttr(e, _) => {
            expr_mentions(e, name)
        }
        Expr::BooleanEquals(a, b) | Expr::StringEquals(a, b) => {
            expr_mentions(a, name) || expr_mentions(b, name)
        }
    }
}

fn partition_table(partitions: &[PartitionPlan]) -> TokenStream {
    let entries = partitions.iter().map(|p| {
        let PartitionPlan {
            id,
            region_regex,
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
                region_regex: #region_regex,
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
        /// The AWS partitions: their regions, region pattern and DNS suffixes.
        static PARTITIONS: &[awsgen_runtime::endpoint::PartitionEntry] = &[#(#entries),*];
    }
}
