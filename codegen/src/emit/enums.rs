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
    let serde = enum_serde(plan, &name);
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

/// Enums travel as their string value; an unknown value deserializes to `Unknown`.
fn enum_serde(plan: &EnumPlan, name: &proc_macro2::Ident) -> TokenStream {
    let serialize = plan.wire.serialize.then(|| {
        quote! {
            impl awsgen_runtime::serde::Serialize for #name {
                fn serialize<S: awsgen_runtime::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        }
    });
    let deserialize = plan.wire.deserialize.then(|| {
        quote! {
            impl<'de> awsgen_runtime::serde::Deserialize<'de> for #name {
                fn deserialize<D: awsgen_runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    awsgen_runtime::protocol::open_enum(deserializer)
                }
            }
        }
    });
    quote!(#serialize #deserialize)
}

/// A union: exactly one member is set. `Unknown` stands for a member added to the model
/// after this crate was generated.
pub fn union(plan: &StructurePlan) -> TokenStream {
    let name = ident(&plan.rust_name);
    let docs = doc(&plan.docs);
    // Serialize is derived; Deserialize is written out (see `union_deserialize`).
    let serialize_only = crate::plan::Wire {
        serialize: plan.wire.serialize,
        deserialize: false,
    };
    let (serde_derives, serde_container) = super::structure::serde_derives(serialize_only);
    let variants = plan.members.iter().map(|m| {
        let variant = ident(&m.variant);
        let ty = super::type_tokens(&m.ty);
        let ty = if m.boxed { quote!(Box<#ty>) } else { ty };
        let docs = doc(&m.docs);
        let json_name = json_name(m);
        let rename = plan
            .wire
            .serialize
            .then(|| quote!(#[serde(rename = #json_name)]));
        quote!(#docs #rename #variant(#ty),)
    });
    let skip_unknown = plan.wire.serialize.then(|| quote!(#[serde(skip)]));
    let derive_debug = if plan.members.iter().any(|m| m.sensitive) || plan.sensitive {
        quote!()
    } else {
        quote!(Debug,)
    };
    let debug = if derive_debug.is_empty() {
        let label = plan.rust_name.as_str();
        quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "{}({})", #label, awsgen_runtime::REDACTED)
                }
            }
        }
    } else {
        quote!()
    };
    let deserialize = plan
        .wire
        .deserialize
        .then(|| union_deserialize(plan, &name));
    quote! {
        #docs
        #[derive(Clone, PartialEq, #derive_debug #serde_derives)]
        #serde_container
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know.
            #skip_unknown
            Unknown,
        }
        #debug
        #deserialize
    }
}

fn json_name(member: &crate::plan::MemberPlan) -> &str {
    match &member.location {
        crate::plan::Location::Body { json_name } => json_name,
        _ => &member.name,
    }
}

/// A union arrives as an object with one member set. A member this crate does not know
/// becomes `Unknown` instead of an error, a `__type` key is ignored, and null members
/// do not count.
fn union_deserialize(plan: &StructurePlan, name: &proc_macro2::Ident) -> TokenStream {
    let arms = plan.members.iter().map(|m| {
        let variant = ident(&m.variant);
        let json_name = json_name(m);
        let ty = super::type_tokens(&m.ty);
        let ty = if m.boxed { quote!(Box<#ty>) } else { ty };
        quote! {
            #json_name => {
                if let Some(member) = map.next_value::<Option<#ty>>()? {
                    value = Some(#name::#variant(member));
                }
            }
        }
    });
    let expecting = format!("a {} union: an object with one member", plan.rust_name);
    quote! {
        impl<'de> awsgen_runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: awsgen_runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> awsgen_runtime::serde::de::Visitor<'de> for Visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: awsgen_runtime::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        let mut value = None;
                        while let Some(key) = map.next_key::<String>()? {
                            match key.as_str() {
                                #(#arms)*
                                "__type" => {
                                    map.next_value::<awsgen_runtime::serde::de::IgnoredAny>()?;
                                }
                                _ => {
                                    map.next_value::<awsgen_runtime::serde::de::IgnoredAny>()?;
                                    value.get_or_insert(#name::Unknown);
                                }
                            }
                        }
                        value.ok_or_else(|| awsgen_runtime::serde::de::Error::custom(#expecting))
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    }
}
