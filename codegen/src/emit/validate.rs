//! `src/validate.rs`: one function per constrained shape reachable from an input; and each
//! operation input's function, which lives in the operation's module (validate.rs knows
//! nothing of operations, so the two never import each other). Each reports to the
//! runtime's `Validator`, which collects every violation with its member path.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_tokens};
use crate::plan::{Check, MemberCheck, OperationPlan, Plan, RustType, ShapeValidator};

/// Looks up what each validator function takes; `prefix` is the path to
/// `validate.rs` from where the calls are written.
struct Validators<'p> {
    checks: BTreeMap<&'p str, &'p Check>,
    prefix: TokenStream,
}

impl<'p> Validators<'p> {
    fn new(validators: &'p [ShapeValidator], prefix: TokenStream) -> Self {
        Validators {
            checks: validators
                .iter()
                .map(|v| (v.function.as_str(), &v.check))
                .collect(),
            prefix,
        }
    }

    fn check(&self, function: &str) -> &Check {
        self.checks[function]
    }

    /// A call of `function` for a value bound by reference as `item`.
    fn call(
        &self,
        function: &str,
        path: TokenStream,
        item: TokenStream,
        sensitive: TokenStream,
    ) -> TokenStream {
        let name = ident(function);
        let name = {
            let prefix = &self.prefix;
            quote!(#prefix #name)
        };
        let check = self.check(function);
        let item = match check {
            Check::Int { .. } | Check::Float { .. } => quote!(*#item),
            _ => item,
        };
        if check.takes_sensitive() {
            quote!(#name(v, #path, #item, #sensitive);)
        } else {
            quote!(#name(v, #path, #item);)
        }
    }
}

/// `src/validate.rs`; written only when some shape has constraints.
pub fn validate_rs(plan: &Plan) -> TokenStream {
    let validators = Validators::new(&plan.validators, quote!());
    let shapes = plan
        .validators
        .iter()
        .map(|v| shape_function(v, &validators));
    quote! {
        //! Client-side validation of inputs against the model's constraints: one function
        //! per constrained shape. Each operation's module checks its own input with them.
        use awsgen_runtime::{FieldPath, Validator};
        #(#shapes)*
    }
}

/// The operation input's check, in the operation's module.
pub fn input_function(op: &OperationPlan, shapes: &[ShapeValidator]) -> TokenStream {
    let validators = Validators::new(shapes, quote!(crate::validate::));
    let name = ident(&op.names.input_validator);
    let input = ident(&op.input.rust_name);
    let doc = format!(" Checks a [`{}`].", op.input.rust_name);
    let (value, body) = if op.input_checks.is_empty() {
        (quote!(_value), quote!(let _ = (v, path);))
    } else {
        (quote!(value), member_checks(&op.input_checks, &validators))
    };
    quote! {
        #[doc = #doc]
        fn #name(v: &mut awsgen_runtime::Validator, path: &awsgen_runtime::FieldPath<'_>, #value: &#input) {
            #body
        }
    }
}

fn member_checks(members: &[MemberCheck], validators: &Validators) -> TokenStream {
    let checks = members.iter().map(|m| {
        let field = ident(&m.field);
        let name = m.name.as_str();
        let required = m
            .required
            .then(|| quote!(v.required(&path.member(#name), value.#field.is_some());));
        let label = m
            .uri_label
            .then(|| quote!(v.uri_label(&member_path, item);));
        let sensitive = m.sensitive;
        let nested = m
            .validator
            .as_deref()
            .map(|f| validators.call(f, quote!(&member_path), quote!(item), quote!(#sensitive)));
        let present = (label.is_some() || nested.is_some()).then(|| {
            quote! {
                if let Some(item) = &value.#field {
                    let member_path = path.member(#name);
                    #label
                    #nested
                }
            }
        });
        quote!(#required #present)
    });
    quote!(#(#checks)*)
}

/// What a shape's validator takes as its value, whether its body reads `sensitive`, and
/// its body.
type Body = (TokenStream, bool, TokenStream);

fn shape_function(validator: &ShapeValidator, validators: &Validators) -> TokenStream {
    let name = ident(&validator.function);
    let doc = format!(" Checks a value of shape `{}`.", validator.shape);
    let (value_type, uses_sensitive, body) = match &validator.check {
        Check::String { min, max, pattern } => string_body(min, max, pattern.as_deref()),
        Check::Enum { rust_name } => {
            let ty = ident(rust_name);
            (
                quote!(&crate::types::#ty),
                true,
                quote! {
                    v.known_enum(path, value.as_str(), !value.is_unknown(), crate::types::#ty::values(), sensitive);
                },
            )
        }
        Check::Int { min, max, ty } => number_body(option(min), option(max), ty),
        Check::Float { min, max, ty } => number_body(option(min), option(max), ty),
        Check::Blob { min, max } => {
            let (min, max) = (option(min), option(max));
            (
                quote!(&awsgen_runtime::Blob),
                false,
                quote!(v.bytes(path, value.as_bytes().len(), #min, #max);),
            )
        }
        Check::List {
            min,
            max,
            element_ty,
            element,
        } => list_body(min, max, element_ty, element.as_deref(), validators),
        Check::Map {
            min,
            max,
            key_ty,
            value_ty,
            key,
            value,
        } => map_body(
            sized(min, max),
            (key_ty, key.as_deref()),
            (value_ty, value.as_deref()),
            validators,
        ),
        Check::Structure { rust_name, members } => {
            let ty = ident(rust_name);
            (
                quote!(&crate::types::#ty),
                false,
                member_checks(members, validators),
            )
        }
        Check::Union {
            rust_name,
            variants,
        } => union_body(rust_name, variants, validators),
    };
    let sensitive_param = match (validator.check.takes_sensitive(), uses_sensitive) {
        (true, true) => quote!(, sensitive: bool),
        (true, false) => quote!(, _sensitive: bool),
        (false, _) => quote!(),
    };
    quote! {
        #[doc = #doc]
        pub(crate) fn #name(v: &mut Validator, path: &FieldPath<'_>, value: #value_type #sensitive_param) {
            #body
        }
    }
}

fn string_body(min: &Option<u64>, max: &Option<u64>, pattern: Option<&str>) -> Body {
    let length = (min.is_some() || max.is_some()).then(|| {
        let (min, max) = (option(min), option(max));
        quote!(v.length(path, value, #min, #max, sensitive);)
    });
    let pattern = pattern.map(|source| {
        quote! {
            static PATTERN: awsgen_runtime::Pattern = awsgen_runtime::Pattern::new(#source);
            v.pattern(path, value, &PATTERN, sensitive);
        }
    });
    (quote!(&str), true, quote!(#length #pattern))
}

/// An integer (widened to `i64`) or a float (widened to `f64`) in its range.
fn number_body(min: TokenStream, max: TokenStream, ty: &RustType) -> Body {
    let (value, check) = match ty {
        RustType::Long => (quote!(value), quote!(range_int)),
        RustType::Double => (quote!(value), quote!(range_float)),
        RustType::Float => (quote!(f64::from(value)), quote!(range_float)),
        _ => (quote!(i64::from(value)), quote!(range_int)),
    };
    let rust_type = type_tokens(ty);
    (
        rust_type,
        true,
        quote!(v.#check(path, #value, #min, #max, sensitive);),
    )
}

fn list_body(
    min: &Option<u64>,
    max: &Option<u64>,
    element_ty: &RustType,
    element: Option<&str>,
    validators: &Validators,
) -> Body {
    let items = sized(min, max);
    let each = element.map(|f| {
        let call = validators.call(
            f,
            quote!(&path.index(index)),
            quote!(item),
            quote!(sensitive),
        );
        quote! {
            for (index, item) in value.iter().enumerate() {
                #call
            }
        }
    });
    let uses = element.is_some_and(|f| validators.check(f).takes_sensitive());
    let element_ty = type_tokens(element_ty);
    (quote!(&[#element_ty]), uses, quote!(#items #each))
}

/// A map's size, and each key and value checked by its validator (if it has one).
fn map_body(
    items: Option<TokenStream>,
    (key_ty, key): (&RustType, Option<&str>),
    (value_ty, value): (&RustType, Option<&str>),
    validators: &Validators,
) -> Body {
    let key_text = match key_ty {
        RustType::String => quote!(key.as_str()),
        _ => quote!(key.as_ref()),
    };
    let key_call =
        key.map(|f| validators.call(f, quote!(&entry_path), quote!(key), quote!(sensitive)));
    let value_call =
        value.map(|f| validators.call(f, quote!(&entry_path), quote!(item), quote!(sensitive)));
    let each = (key_call.is_some() || value_call.is_some()).then(|| {
        let item_binding = if value_call.is_some() {
            quote!(item)
        } else {
            quote!(_)
        };
        quote! {
            for (key, #item_binding) in value {
                let entry_path = path.key(#key_text);
                #key_call
                #value_call
            }
        }
    });
    let uses = [key, value]
        .into_iter()
        .flatten()
        .any(|f| validators.check(f).takes_sensitive());
    let (key_ty, value_ty) = (type_tokens(key_ty), type_tokens(value_ty));
    (
        quote!(&std::collections::HashMap<#key_ty, #value_ty>),
        uses,
        quote!(#items #each),
    )
}

fn union_body(
    rust_name: &str,
    variants: &[(String, Option<String>)],
    validators: &Validators,
) -> Body {
    let ty = ident(rust_name);
    let arms: Vec<(TokenStream, TokenStream)> = variants
        .iter()
        .filter_map(|(variant, function)| {
            let function = function.as_deref()?;
            let variant_ident = ident(variant);
            let call = validators.call(
                function,
                quote!(&path.member(#variant)),
                quote!(item),
                quote!(false),
            );
            Some((quote!(crate::types::#ty::#variant_ident(item)), call))
        })
        .collect();
    // One checked variant reads as `if let` (clippy's `single_match`).
    let body = match arms.as_slice() {
        [(pattern, call)] => quote! {
            if let #pattern = value {
                #call
            }
        },
        _ => {
            let arms = arms
                .iter()
                .map(|(pattern, call)| quote!(#pattern => { #call }));
            quote! {
                match value {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    (quote!(&crate::types::#ty), false, body)
}

fn sized(min: &Option<u64>, max: &Option<u64>) -> Option<TokenStream> {
    (min.is_some() || max.is_some()).then(|| {
        let (min, max) = (option(min), option(max));
        quote!(v.items(path, value.len(), #min, #max);)
    })
}

/// `Some(16384)` or `None`, with unsuffixed literals as a person would write them.
fn option<T: Bound>(bound: &Option<T>) -> TokenStream {
    match bound {
        Some(value) => {
            let literal = value.literal();
            quote!(Some(#literal))
        }
        None => quote!(None),
    }
}

trait Bound {
    fn literal(&self) -> proc_macro2::Literal;
}

impl Bound for u64 {
    fn literal(&self) -> proc_macro2::Literal {
        proc_macro2::Literal::u64_unsuffixed(*self)
    }
}

impl Bound for i64 {
    fn literal(&self) -> proc_macro2::Literal {
        proc_macro2::Literal::i64_unsuffixed(*self)
    }
}

impl Bound for f64 {
    fn literal(&self) -> proc_macro2::Literal {
        proc_macro2::Literal::f64_unsuffixed(*self)
    }
}
