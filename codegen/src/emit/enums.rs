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

/// Enums travel as their string value; an unknown value deserializes to `Unknown`. The
/// directions the enum does not travel in come with the `serde` feature.
fn enum_serde(plan: &EnumPlan, name: &proc_macro2::Ident) -> TokenStream {
    let serialize = feature_gate(plan.wire.serialize);
    let deserialize = feature_gate(plan.wire.deserialize);
    quote! {
        #serialize
        awsgen_runtime::open_enum_serde!(#name, Serialize);
        #deserialize
        awsgen_runtime::open_enum_serde!(#name, Deserialize);
    }
}

/// Nothing for what the wire needs; `#[cfg(feature = "serde")]` for what only users do.
fn feature_gate(on_the_wire: bool) -> Option<TokenStream> {
    (!on_the_wire).then(|| quote!(#[cfg(feature = "serde")]))
}

/// `#[serde(..)]`, or the same under the `serde` feature when no derive is there without it.
fn serde_attribute(derived: bool, inner: TokenStream) -> TokenStream {
    if derived {
        quote!(#[serde(#inner)])
    } else {
        quote!(#[cfg_attr(feature = "serde", serde(#inner))])
    }
}

/// A union: exactly one member is set. `Unknown` stands for a member added to the model
/// after this crate was generated.
pub fn union(plan: &StructurePlan) -> TokenStream {
    let name = ident(&plan.rust_name);
    let docs = doc(&plan.docs);
    // Serialize is derived (on the wire or with the `serde` feature); Deserialize is
    // written out (see `union_deserialize`).
    let derived = plan.wire.serialize;
    let serialize = if derived {
        quote!(awsgen_runtime::serde::Serialize,)
    } else {
        quote!()
    };
    let serialize_with_feature = (!derived)
        .then(|| quote!(#[cfg_attr(feature = "serde", derive(awsgen_runtime::serde::Serialize))]));
    let rename = super::structure::shape_rename(plan);
    let serde_crate = serde_attribute(derived, quote!(crate = "awsgen_runtime::serde" #rename));
    let variants = plan.members.iter().map(|m| {
        let variant = ident(&m.variant);
        let ty = super::type_tokens(&m.ty);
        let ty = if m.boxed { quote!(Box<#ty>) } else { ty };
        let docs = doc(&super::constraints::with_constraints(
            &m.docs,
            &m.constraints,
        ));
        let member_name = m.name.as_str();
        let rename = serde_attribute(derived, quote!(rename = #member_name));
        quote!(#docs #rename #variant(#ty),)
    });
    let skip_unknown = serde_attribute(derived, quote!(skip));
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
    let deserialize_gate = feature_gate(plan.wire.deserialize);
    let deserialize = union_deserialize(plan, &name);
    quote! {
        #docs
        #[derive(Clone, PartialEq, #derive_debug #serialize)]
        #serialize_with_feature
        #serde_crate
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know (it cannot be serialized).
            #skip_unknown
            Unknown,
        }
        #debug
        #deserialize_gate
        #deserialize
    }
}

/// A union arrives as an object with one member set. A member this crate does not know
/// becomes `Unknown` instead of an error, a `__type` key is ignored, and null members
/// do not count.
fn union_deserialize(plan: &StructurePlan, name: &proc_macro2::Ident) -> TokenStream {
    let arms = plan.members.iter().map(|m| {
        let variant = ident(&m.variant);
        // The model name (the serde form), and the JSON name the wire may use instead.
        let member_name = m.name.as_str();
        let json_name = m.json_name_on_wire().map(|json_name| quote!(| #json_name));
        let ty = super::type_tokens(&m.ty);
        let ty = if m.boxed { quote!(Box<#ty>) } else { ty };
        quote! {
            #member_name #json_name => {
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
