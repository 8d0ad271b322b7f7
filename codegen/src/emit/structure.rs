//! A structure: the struct with its getters, `Debug` (redacting sensitive members) and
//! its builder. Used for `types`, errors, and operation inputs and outputs alike.

use proc_macro2::TokenStream;
use quote::quote;

use super::constraints::with_constraints;
use super::{deprecated, doc, ident, macro_type, type_tokens, Here};
use crate::naming::bare;
use crate::plan::{MemberPlan, RustType, StructurePlan, TimestampFormat};

/// How `build()` behaves for this structure.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BuildKind {
    /// `build()` returns the value; nested types are validated before sending instead.
    Infallible,
    /// `build()` returns `Result<_, BuildError>`, naming every missing required member.
    CheckRequired,
}

pub fn structure(plan: &StructurePlan, build: BuildKind, here: Here) -> TokenStream {
    let name = ident(&plan.rust_name);
    let docs = doc(&plan.docs);
    let deprecated = deprecated(&plan.deprecated);
    let fields = plan.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = field_type(m);
        let serde = serde_field_attributes(plan, m);
        quote!(#serde pub(crate) #field: Option<#ty>,)
    });
    let (serde_derives, serde_container) = serde_derives(plan);
    let request_id = RequestId::of(plan);
    let request_id_field = request_id.field();
    // Exceptions keep the error response's metadata (see `types::error_rs`).
    let meta_field = plan
        .is_exception
        .then(|| quote!(#[serde(skip)] pub(crate) _meta: awsgen_runtime::ErrorMetadata,));
    let request_id_getter = request_id.getter();
    let getters = plan.members.iter().map(getter);
    let debug = debug_impl(plan, &name);
    let derive_debug = if needs_manual_debug(plan) {
        quote!()
    } else {
        quote!(Debug,)
    };
    let builder = builder(plan, build, here);
    let builder_name = ident(&plan.builder);
    let builder_doc = format!(" Creates a new builder for [`{}`].", plan.rust_name);
    quote! {
        #docs
        #deprecated
        #[derive(Clone, Default, PartialEq, #derive_debug #serde_derives)]
        #serde_container
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #request_id_field
            #meta_field
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

/// `Serialize`/`Deserialize` derives, through the runtime's re-export so that generated
/// crates need no serde dependency of their own: the directions the type travels in
/// always, the others with the crate's `serde` feature (which gives users both, in the
/// same JSON form). Every planned structure travels one way at least, so one derive is
/// always there for the `#[serde]` field attributes.
pub fn serde_derives(plan: &StructurePlan) -> (TokenStream, TokenStream) {
    let serialize = quote!(awsgen_runtime::serde::Serialize);
    let deserialize = quote!(awsgen_runtime::serde::Deserialize);
    let (mut always, mut with_feature) = (Vec::new(), Vec::new());
    for (travels, derive) in [
        (plan.wire.serialize, serialize),
        (plan.wire.deserialize, deserialize),
    ] {
        if travels {
            always.push(derive);
        } else {
            with_feature.push(derive);
        }
    }
    let with_feature = (!with_feature.is_empty())
        .then(|| quote!(#[cfg_attr(feature = "serde", derive(#(#with_feature),*))]));
    let rename = shape_rename(plan);
    (
        quote!(#(#always,)*),
        quote!(#with_feature #[serde(crate = "awsgen_runtime::serde" #rename)]),
    )
}

/// `, rename = "Shape"` inside `#[serde(..)]` for a structure or union whose members
/// requests carry under JSON names of their own: the wire's table (`JSON_NAMES`) knows
/// it by its shape name, which serde hands the serializer.
pub fn shape_rename(plan: &StructurePlan) -> Option<TokenStream> {
    let shape_name = plan.shape.as_str();
    plan.renamed_on_wire()
        .then(|| quote!(, rename = #shape_name))
}

/// Every member goes by its model name and is left out when unset; the same attributes
/// serve the wire and the `serde` feature. The wire's differences are made up for
/// elsewhere: members bound to the URI, headers or status code stay out of the body
/// (`protocol::request_body`), and a JSON name of the member's own is written through
/// the runtime's table and read as an alias.
fn serde_field_attributes(plan: &StructurePlan, member: &MemberPlan) -> TokenStream {
    let name = member.name.as_str();
    let json_alias = member
        .json_name_on_wire()
        .filter(|_| plan.wire.deserialize)
        .map(|json_name| quote!(, alias = #json_name));
    // Services are inconsistent about the case of an exception's message.
    let message_alias = match member.json_name_on_wire().unwrap_or(name) {
        "Message" if plan.error.is_some() => Some(quote!(, alias = "message")),
        "message" if plan.error.is_some() => Some(quote!(, alias = "Message")),
        _ => None,
    };
    let format = match (&member.ty, member.timestamp_format) {
        // NaN and the infinities travel as strings, which plain serde cannot do.
        (RustType::Float | RustType::Double, _) => {
            Some(quote!(, with = "awsgen_runtime::protocol::float_json", default))
        }
        (RustType::List(_), _) if !member.boxed => {
            Some(quote!(, deserialize_with = "awsgen_runtime::protocol::dense::list", default))
        }
        (RustType::Map(..), _) if !member.boxed => {
            Some(quote!(, deserialize_with = "awsgen_runtime::protocol::dense::map", default))
        }
        (RustType::Timestamp, TimestampFormat::Iso8601) => {
            Some(quote!(, serialize_with = "awsgen_runtime::protocol::timestamp_json::iso8601"))
        }
        (RustType::Timestamp, TimestampFormat::HttpDate) => {
            Some(quote!(, serialize_with = "awsgen_runtime::protocol::timestamp_json::http_date"))
        }
        _ => None,
    };
    quote!(#[serde(rename = #name, skip_serializing_if = "Option::is_none" #json_alias #message_alias #format)])
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
    let docs = doc(&with_constraints(&member.docs, &member.constraints));
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

/// The builder holds the structure itself: its setters fill the fields, `build()` hands
/// it over (after checking required members, for inputs), and its derived `Debug` goes
/// through the structure's redacting one. An input's builder also carries a client
/// (`C`, `()` when built alone): with one it is the operation's fluent builder, so the
/// setters exist once.
fn builder(plan: &StructurePlan, build: BuildKind, here: Here) -> TokenStream {
    let name = ident(&plan.rust_name);
    let builder_name = ident(&plan.builder);
    let doc_line = format!(" A builder for [`{}`].", plan.rust_name);
    let (generics, impl_generics, client) = match build {
        BuildKind::Infallible => (quote!(), quote!(), quote!()),
        BuildKind::CheckRequired => (quote!(<C = ()>), quote!(<C>), quote!(client: C,)),
    };
    // `Default` only without a client, so that `XBuilder::default()` needs no annotation
    // (a type parameter's default does not guide inference; a single impl does).
    let (derive_default, default_impl) = match build {
        BuildKind::Infallible => (quote!(Default,), quote!()),
        BuildKind::CheckRequired => (
            quote!(),
            quote! {
                impl Default for #builder_name {
                    fn default() -> Self {
                        #builder_name { inner: Default::default(), client: () }
                    }
                }
            },
        ),
    };
    let setters = plan.members.iter().map(|m| setters(plan, m, here));
    let build_fn = match build {
        BuildKind::Infallible => {
            let doc = format!(" Builds the [`{}`].", plan.rust_name);
            quote! {
                #[doc = #doc]
                pub fn build(self) -> #name {
                    self.inner
                }
            }
        }
        BuildKind::CheckRequired => build_checked(plan, &name),
    };
    quote! {
        #[doc = #doc_line]
        #[derive(Clone, #derive_default PartialEq, Debug)]
        pub struct #builder_name #generics {
            inner: #name,
            #client
        }

        impl #impl_generics #builder_name #impl_generics {
            #(#setters)*
            #build_fn
        }

        #default_impl
    }
}

/// `build()` for an operation input: every required member that is unset is reported at
/// once. Idempotency tokens are exempt: the client fills them in.
fn build_checked(plan: &StructurePlan, name: &proc_macro2::Ident) -> TokenStream {
    let type_name = plan.rust_name.as_str();
    let required: Vec<TokenStream> = plan
        .members
        .iter()
        .filter(|m| m.required && !m.idempotency_token)
        .map(|m| {
            let field = ident(&m.field);
            let member_name = m.name.as_str();
            let setter = bare(&m.field);
            quote!((#member_name, #setter, self.inner.#field.is_some()))
        })
        .collect();
    let doc =
        format!(" Builds the [`{type_name}`], or names every required member that is not set.");
    let check = (!required.is_empty())
        .then(|| quote!(awsgen_runtime::BuildError::require(#type_name, &[#(#required),*])?;));
    // The fluent builder's `send()` takes `inner` without this check: the client's
    // validation (whose mode the caller chooses) reports missing members together with
    // every other violation.
    quote! {
        #[doc = #doc]
        pub fn build(self) -> Result<#name, awsgen_runtime::BuildError> {
            #check
            Ok(self.inner)
        }
    }
}

/// The builder's `x`, `set_x` and `get_x` for a member, through the runtime's
/// `builder_member!`: `Owner.field(Type)` sets a value, `([Item])` appends to a list,
/// `({Key => Value})` inserts into a map, `(box Type)` boxes a recursive member.
fn setters(plan: &StructurePlan, member: &MemberPlan, here: Here) -> TokenStream {
    let owner = ident(&plan.rust_name);
    let field = ident(&member.field);
    let set = ident(&member.setter);
    let get = ident(&member.getter);
    let deprecated = deprecated(&member.deprecated);
    let value = match &member.ty {
        RustType::List(item) => {
            let item = macro_type(item, here);
            quote!([#item])
        }
        RustType::Map(key, value) => {
            let (key, value) = (macro_type(key, here), macro_type(value, here));
            quote!({#key => #value})
        }
        ty if member.boxed => {
            let ty = macro_type(ty, here);
            quote!(box #ty)
        }
        ty => macro_type(ty, here),
    };
    let required = member.required.then(|| quote!(, required));
    // Docs link to `Owner::type`, which rustdoc resolves; `Owner::r#type` it does not.
    let plain_name = member.field.strip_prefix("r#").map(|name| {
        let name: TokenStream = name.parse().unwrap_or_default();
        quote!(as #name)
    });
    quote! {
        awsgen_runtime::builder_member!(#deprecated #owner.#field #plain_name(#value), #set, #get #required);
    }
}
