//! A structure: the struct with its getters, `Debug` (redacting sensitive members) and
//! its builder. Used for `types`, errors, and operation inputs and outputs alike.

use proc_macro2::TokenStream;
use quote::quote;

use super::constraints::with_constraints;
use super::{deprecated, doc, ident, member_type, type_tokens};
use crate::naming::bare;
use crate::plan::{MemberPlan, RustType, StructurePlan};

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
        let serde = serde_field_attributes(m);
        quote!(#serde pub(crate) #field: Option<#ty>,)
    });
    let serde_derives = serde_derives();
    let request_id = RequestId::of(plan);
    let request_id_field = request_id.field();
    // Exceptions keep the error response's metadata (see `types::error_rs`).
    let meta_field = plan.is_exception.then(
        || quote!(#[cfg_attr(feature = "serde", serde(skip))] pub(crate) _meta: awsgen_runtime::ErrorMetadata,),
    );
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
        #[derive(Clone, Default, PartialEq, #derive_debug)]
        #serde_derives
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

/// The `serde` feature's derives, through the runtime's re-export so that generated
/// crates need no serde dependency of their own. Request and response bodies do not use
/// them (see `emit::wire`): without the feature, nothing here implements serde.
pub fn serde_derives() -> TokenStream {
    quote! {
        #[cfg_attr(feature = "serde", derive(awsgen_runtime::serde::Serialize))]
        #[cfg_attr(feature = "serde", derive(awsgen_runtime::serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(crate = "awsgen_runtime::serde"))]
    }
}

/// The `serde` feature's form: every member under its model name, left out when unset;
/// floats that JSON cannot hold (NaN, the infinities) as strings.
fn serde_field_attributes(member: &MemberPlan) -> TokenStream {
    let name = member.name.as_str();
    let float = matches!(member.ty, RustType::Float | RustType::Double).then(|| {
        quote!(#[cfg_attr(feature = "serde", serde(with = "awsgen_runtime::protocol::float_json", default))])
    });
    // One attribute each keeps every line short.
    quote! {
        #[cfg_attr(feature = "serde", serde(rename = #name))]
        #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
        #float
    }
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
        quote!(#[cfg_attr(feature = "serde", serde(skip))] pub(crate) _request_id: Option<String>,)
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
fn builder(plan: &StructurePlan, build: BuildKind) -> TokenStream {
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
    let setters = plan.members.iter().map(|m| setters(plan, m));
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
/// `builder_member!`, one kind of member each: `value`, `list` (appends an item), `map`
/// (inserts an entry), `boxed` (a member through which the structure contains itself).
fn setters(plan: &StructurePlan, member: &MemberPlan) -> TokenStream {
    let field = ident(&member.field);
    let set = ident(&member.setter);
    let get = ident(&member.getter);
    let deprecated = deprecated(&member.deprecated);
    let (kind, ty) = match &member.ty {
        RustType::List(item) => (quote!(list), member_type(item)),
        RustType::Map(key, value) => {
            let (key, value) = (member_type(key), member_type(value));
            (quote!(map), quote!(#key => #value))
        }
        ty if member.boxed => (quote!(boxed), member_type(ty)),
        ty => (quote!(value), member_type(ty)),
    };
    let required = member.required.then(|| quote!(, required));
    // Docs link to `Owner::type`, which rustdoc resolves; `Owner::r#type` it does not.
    let link = format!("{}::{}", plan.rust_name, bare(&member.field));
    quote! {
        awsgen_runtime::builder_member!(#deprecated #kind #field(#ty), #set, #get, #link #required);
    }
}
