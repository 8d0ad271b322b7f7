//! Open enums: one variant per modeled value plus `Unknown(String)`, so that a value the
//! service adds later is kept rather than rejected.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::plan::{EnumPlan, StructurePlan};

pub fn string_enum(plan: &EnumPlan) -> TokenStream {
    let name = ident(&plan.rust_name);
    let docs = doc(&plan.docs);
    let variants: Vec<_> = plan.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<_> = plan.variants.iter().map(|v| v.value.as_str()).collect();
    let serde = enum_serde(&name);
    let variant_docs = values.iter().map(|v| match *v {
        "" => " The empty string.".to_owned(),
        v if v.contains('`') => format!(" `` {v} ``"),
        v => format!(" `{v}`"),
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #variant_docs] #variants,)*
            /// A value this version of the crate does not know; kept as sent.
            Unknown(String),
        }

        awsgen_runtime::open_enum!(#name { #(#variants(#values)),* });

        #serde
    }
}

/// The `serde` feature's form of an enum: its string value (an unknown one read as
/// `Unknown`). The wire's comes with `open_enum!`.
fn enum_serde(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        #[cfg(feature = "serde")]
        awsgen_runtime::open_enum_serde!(#name);
    }
}

/// A union: exactly one member is set. `Unknown` stands for a member added to the model
/// after this crate was generated. Its JSON bodies are in `emit::wire`; the `serde`
/// feature gives it serde's usual form (`{"Member": value}`), under model names.
pub fn union(plan: &StructurePlan) -> TokenStream {
    let name = ident(&plan.rust_name);
    let docs = doc(&plan.docs);
    let serde = super::structure::serde_derives();
    let variants = plan.members.iter().map(|m| {
        let variant = ident(&m.variant);
        let ty = super::type_tokens(&m.ty);
        let ty = if m.boxed { quote!(Box<#ty>) } else { ty };
        let docs = doc(&super::constraints::with_constraints(
            &m.docs,
            &m.constraints,
        ));
        let member_name = m.name.as_str();
        quote!(#docs #[cfg_attr(feature = "serde", serde(rename = #member_name))] #variant(#ty),)
    });
    let redacted = plan.members.iter().any(|m| m.sensitive) || plan.sensitive;
    let (derive_debug, debug) = if redacted {
        let label = plan.rust_name.as_str();
        let debug = quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "{}({})", #label, awsgen_runtime::REDACTED)
                }
            }
        };
        (quote!(), debug)
    } else {
        (quote!(Debug,), quote!())
    };
    quote! {
        #docs
        #[derive(Clone, PartialEq, #derive_debug)]
        #serde
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know (it cannot be serialized).
            #[cfg_attr(feature = "serde", serde(skip))]
            Unknown,
        }
        #debug
    }
}
