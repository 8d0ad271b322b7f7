//! A structure: the struct with its getters, `Debug` (redacting sensitive members) and
//! its builder. Used for `types`, errors, and operation inputs and outputs alike.

use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated, doc, ident, type_tokens};
use crate::naming::bare;
use crate::plan::{Location, MemberPlan, RustType, StructurePlan, TimestampFormat, Wire};

/// How `build()` behaves for this structure.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BuildKind {
    /// `build()` returns the value; nested types are validated before sending instead.
    Infallible,
    /// `build()` returns `Result<_, BuildError>`, naming every missing required member.
    CheckRequired,
}

pub fn structure(plan: &StructurePlan, build: BuildKind) -> TokenStream {
    let name = ident(&plan.rust_name);
    let docs = doc(&plan.docs);
    let deprecated = deprecated(&plan.deprecated);
    let fields = plan.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = field_type(m);
        let serde = serde_field_attributes(plan, m);
        quote!(#serde pub(crate) #field: Option<#ty>,)
    });
    let (serde_derives, serde_container) = serde_derives(plan.wire);
    let request_id = RequestId::of(plan);
    let request_id_field = request_id.field();
    let request_id_getter = request_id.getter();
    let getters = plan.members.iter().map(getter);
    let debug = debug_impl(plan, &name);
    let derive_debug = if needs_manual_debug(plan) {
        quote!()
    } else {
        quote!(Debug,)
    };
    let builder = builder(plan, build);
    let builder_name = ident(&plan.builder);
    let builder_doc = format!(" Creates a new builder for [`{}`].", plan.rust_name);
    quote! {
        #docs
        #deprecated
        #[derive(Clone, PartialEq, #derive_debug #serde_derives)]
        #serde_container
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #request_id_field
        }

        impl #name {
            #[doc = #builder_doc]
            pub fn builder() -> #builder_name {
                Default::default()
            }
            #(#getters)*
            #request_id_getter
        }

        #debug
        #builder
    }
}

/// `Serialize`/`Deserialize` derives for the directions a type travels, through the
/// runtime's re-export so that generated crates need no serde dependency of their own.
pub fn serde_derives(wire: Wire) -> (TokenStream, TokenStream) {
    let serialize = wire
        .serialize
        .then(|| quote!(awsgen_runtime::serde::Serialize,));
    let deserialize = wire
        .deserialize
        .then(|| quote!(awsgen_runtime::serde::Deserialize,));
    let container = (wire.serialize || wire.deserialize)
        .then(|| quote!(#[serde(crate = "awsgen_runtime::serde")]));
    (quote!(#serialize #deserialize), quote!(#container))
}

/// Body members travel under their JSON name and are left out when unset; members bound
/// to the URI, headers or status code are not part of the body at all.
fn serde_field_attributes(plan: &StructurePlan, member: &MemberPlan) -> TokenStream {
    if !(plan.wire.serialize || plan.wire.deserialize) {
        return quote!();
    }
    let Location::Body { json_name } = &member.location else {
        return quote!(#[serde(skip)]);
    };
    let skip_none = plan
        .wire
        .serialize
        .then(|| quote!(, skip_serializing_if = "Option::is_none"));
    // Services are inconsistent about the case of an exception's message.
    let alias = match json_name.as_str() {
        "Message" if plan.error.is_some() => Some(quote!(, alias = "message")),
        "message" if plan.error.is_some() => Some(quote!(, alias = "Message")),
        _ => None,
    };
    let format = match (&member.ty, member.timestamp_format) {
        // NaN and the infinities travel as strings, which plain serde cannot do.
        (RustType::Float | RustType::Double, _) => {
            Some(quote!(, with = "awsgen_runtime::protocol::float_json", default))
        }
        (RustType::List(_), _) if plan.wire.deserialize && !member.boxed => {
            Some(quote!(, deserialize_with = "awsgen_runtime::protocol::dense::list", default))
        }
        (RustType::Map(..), _) if plan.wire.deserialize && !member.boxed => {
            Some(quote!(, deserialize_with = "awsgen_runtime::protocol::dense::map", default))
        }
        (RustType::Timestamp, TimestampFormat::Iso8601) if plan.wire.serialize => {
            Some(quote!(, serialize_with = "awsgen_runtime::protocol::timestamp_json::iso8601"))
        }
        (RustType::Timestamp, TimestampFormat::HttpDate) if plan.wire.serialize => {
            Some(quote!(, serialize_with = "awsgen_runtime::protocol::timestamp_json::http_date"))
        }
        _ => None,
    };
    quote!(#[serde(rename = #json_name #skip_none #alias #format)])
}

/// Operation outputs carry the response's `x-amzn-RequestId`, which users log and AWS
/// support asks for. It is not a model member: it is never serialized or set by builders.
#[derive(Clone, Copy)]
struct RequestId {
    present: bool,
    /// A model member already provides a `request_id()` getter.
    getter_taken: bool,
}

impl RequestId {
    fn of(plan: &StructurePlan) -> Self {
        RequestId {
            present: plan.is_output,
            getter_taken: plan.members.iter().any(|m| m.field == "request_id"),
        }
    }

    fn field(self) -> TokenStream {
        if !self.present {
            return quote!();
        }
        let serde = quote!(#[serde(skip)]);
        quote!(#serde pub(crate) _request_id: Option<String>,)
    }

    fn getter(self) -> TokenStream {
        if !self.present || self.getter_taken {
            return quote!();
        }
        quote! {
            /// The request id of the response (`x-amzn-RequestId`), for logs and AWS support.
            pub fn request_id(&self) -> Option<&str> {
                self._request_id.as_deref()
            }
        }
    }

    /// The field's initializer in `build()`.
    fn init(self) -> TokenStream {
        if self.present {
            quote!(_request_id: None,)
        } else {
            quote!()
        }
    }
}

/// The stored type: `Box` where the structure contains itself through this member.
fn field_type(member: &MemberPlan) -> TokenStream {
    let ty = type_tokens(&member.ty);
    if member.boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

fn getter(member: &MemberPlan) -> TokenStream {
    let field = ident(&member.field);
    let docs = doc(&member.docs);
    let deprecated = deprecated(&member.deprecated);
    let (return_type, body) = match &member.ty {
        RustType::String => (quote!(Option<&str>), quote!(self.#field.as_deref())),
        RustType::List(element) => {
            let element = type_tokens(element);
            (
                quote!(&[#element]),
                quote!(self.#field.as_deref().unwrap_or_default()),
            )
        }
        ty if ty.is_copy() => {
            let ty = type_tokens(ty);
            (quote!(Option<#ty>), quote!(self.#field))
        }
        ty if member.boxed => {
            let ty = type_tokens(ty);
            (quote!(Option<&#ty>), quote!(self.#field.as_deref()))
        }
        ty => {
            let ty = type_tokens(ty);
            (quote!(Option<&#ty>), quote!(self.#field.as_ref()))
        }
    };
    quote! {
        #docs
        #deprecated
        pub fn #field(&self) -> #return_type {
            #body
        }
    }
}

fn needs_manual_debug(plan: &StructurePlan) -> bool {
    plan.sensitive || plan.members.iter().any(|m| m.sensitive)
}

/// A `Debug` that shows sensitive members only as a redaction marker.
fn debug_impl(plan: &StructurePlan, name: &proc_macro2::Ident) -> TokenStream {
    if !needs_manual_debug(plan) {
        return quote!();
    }
    let label = plan.rust_name.as_str();
    let body = if plan.sensitive {
        quote!(f.write_str(awsgen_runtime::REDACTED))
    } else {
        let fields = plan.members.iter().map(debug_field);
        quote!(f.debug_struct(#label) #(#fields)* .finish())
    };
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #body
            }
        }
    }
}

fn debug_field(member: &MemberPlan) -> TokenStream {
    let field = ident(&member.field);
    let label = bare(&member.field);
    if member.sensitive {
        quote!(.field(#label, &awsgen_runtime::redact(&self.#field)))
    } else {
        quote!(.field(#label, &self.#field))
    }
}

fn builder(plan: &StructurePlan, build: BuildKind) -> TokenStream {
    let name = ident(&plan.rust_name);
    let builder_name = ident(&plan.builder);
    let doc_line = format!(" A builder for [`{}`].", plan.rust_name);
    let fields = plan.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = field_type(m);
        quote!(#field: Option<#ty>,)
    });
    let setters = plan.members.iter().map(setters);
    let field_names: Vec<_> = plan.members.iter().map(|m| ident(&m.field)).collect();
    let request_id_init = RequestId::of(plan).init();
    let build_fn = match build {
        BuildKind::Infallible => {
            let doc = format!(" Builds the [`{}`].", plan.rust_name);
            quote! {
                #[doc = #doc]
                pub fn build(self) -> #name {
                    #name { #(#field_names: self.#field_names,)* #request_id_init }
                }
            }
        }
        BuildKind::CheckRequired => build_checked(plan, &name, &field_names),
    };
    let debug = if needs_manual_debug(plan) {
        let mut redacted_plan = plan.clone();
        redacted_plan.rust_name = plan.builder.clone();
        debug_impl(&redacted_plan, &builder_name)
    } else {
        quote!()
    };
    let derive_debug = if needs_manual_debug(plan) {
        quote!()
    } else {
        quote!(Debug,)
    };
    quote! {
        #[doc = #doc_line]
        #[derive(Clone, Default, PartialEq, #derive_debug)]
        pub struct #builder_name {
            #(#fields)*
        }

        impl #builder_name {
            #(#setters)*
            #build_fn
        }

        #debug
    }
}

/// `build()` for an operation input: every required member that is unset is reported at
/// once. Idempotency tokens are exempt: the client fills them in.
fn build_checked(
    plan: &StructurePlan,
    name: &proc_macro2::Ident,
    field_names: &[proc_macro2::Ident],
) -> TokenStream {
    let request_id_init = RequestId::of(plan).init();
    let type_name = plan.rust_name.as_str();
    let checks = plan
        .members
        .iter()
        .filter(|m| m.required && !m.idempotency_token)
        .map(|m| {
            let field = ident(&m.field);
            let member_name = m.name.as_str();
            let setter = bare(&m.field);
            quote! {
                if self.#field.is_none() {
                    missing.push(awsgen_runtime::MissingMember { name: #member_name, setter: #setter });
                }
            }
        })
        .collect::<Vec<_>>();
    let doc =
        format!(" Builds the [`{type_name}`], or names every required member that is not set.");
    // The client builds without the check: its validation (whose mode the caller
    // chooses) reports missing members together with every other violation.
    let unchecked = quote! {
        pub(crate) fn build_unchecked(self) -> #name {
            #name { #(#field_names: self.#field_names,)* #request_id_init }
        }
    };
    if checks.is_empty() {
        return quote! {
            #[doc = #doc]
            pub fn build(self) -> Result<#name, awsgen_runtime::BuildError> {
                Ok(self.build_unchecked())
            }
            #unchecked
        };
    }
    quote! {
        #[doc = #doc]
        pub fn build(self) -> Result<#name, awsgen_runtime::BuildError> {
            let mut missing = Vec::new();
            #(#checks)*
            awsgen_runtime::BuildError::check(#type_name, missing)?;
            Ok(self.build_unchecked())
        }
        #unchecked
    }
}

/// `x(value)`, `set_x(Option)` and `get_x()`; for lists `x(item)` appends and for maps
/// `x(key, value)` inserts, as in aws-sdk-rust.
fn setters(member: &MemberPlan) -> TokenStream {
    let field = ident(&member.field);
    let bare_name = bare(&member.field);
    let set = ident(&member.setter);
    let get = ident(&member.getter);
    let docs = doc(&member.docs);
    let deprecated = deprecated(&member.deprecated);
    let stored = field_type(member);
    let wrap = |value: TokenStream| {
        if member.boxed {
            quote!(Box::new(#value))
        } else {
            value
        }
    };
    let required_note = if member.required {
        quote!(#[doc = ""] #[doc = " This member is required."])
    } else {
        quote!()
    };
    let primary = match &member.ty {
        RustType::List(element) => {
            let element = type_tokens(element);
            let doc = format!(" Appends an item to `{bare_name}`.");
            quote! {
                #[doc = #doc]
                #required_note
                #deprecated
                pub fn #field(mut self, item: impl Into<#element>) -> Self {
                    self.#field.get_or_insert_with(Vec::new).push(item.into());
                    self
                }
            }
        }
        RustType::Map(key, value) => {
            let key = type_tokens(key);
            let value = type_tokens(value);
            let doc = format!(" Inserts an entry into `{bare_name}`.");
            quote! {
                #[doc = #doc]
                #required_note
                #deprecated
                pub fn #field(mut self, key: impl Into<#key>, value: impl Into<#value>) -> Self {
                    self.#field.get_or_insert_with(Default::default).insert(key.into(), value.into());
                    self
                }
            }
        }
        ty => {
            let ty = type_tokens(ty);
            let value = wrap(quote!(input.into()));
            quote! {
                #docs
                #required_note
                #deprecated
                pub fn #field(mut self, input: impl Into<#ty>) -> Self {
                    self.#field = Some(#value);
                    self
                }
            }
        }
    };
    let set_doc = format!(" Sets or clears `{bare_name}`.");
    let get_doc = format!(" Returns `{bare_name}` as set so far.");
    quote! {
        #primary
        #[doc = #set_doc]
        #deprecated
        pub fn #set(mut self, input: Option<#stored>) -> Self {
            self.#field = input;
            self
        }
        #[doc = #get_doc]
        #deprecated
        pub fn #get(&self) -> &Option<#stored> {
            &self.#field
        }
    }
}
