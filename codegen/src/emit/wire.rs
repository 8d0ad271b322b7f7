//! `src/wire.rs`: JSON bodies, written from the plan. A structure that requests carry
//! writes exactly its body members under their JSON names (`ToJson`); one that responses
//! carry reads exactly those keys and skips the rest (`JsonObject`); a union writes and
//! reads its one member. Enums get theirs from `open_enum!`. The runtime's `wire` module
//! holds everything shared (scalars, lists, maps, the read loops).

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, inner_doc};
use crate::plan::{
    Location, MemberPlan, Plan, RustType, StructurePlan, TimestampFormat, TypeDef, Wire,
};

pub fn wire_rs(plan: &Plan) -> TokenStream {
    let docs = inner_doc(
        "JSON bodies as the service's protocol carries them: each structure writes and reads \
         its body members under their JSON names. Not the `serde` feature's form.",
    );
    let impls = json_impls(plan, |wire| wire);
    quote!(#docs #impls)
}

/// What a mock adds to the wire (see `mock.rs`): the other direction of each structure,
/// so that it writes what responses carry and reads what requests carry (exceptions too:
/// an event stream's union may hold one as a member).
pub fn reversed_json_impls(plan: &Plan) -> TokenStream {
    let reverse = |wire: Wire| Wire {
        serialize: wire.deserialize && !wire.serialize,
        deserialize: wire.serialize && !wire.deserialize,
    };
    json_impls(plan, reverse)
}

/// `ToJson`, `JsonObject` and `JsonUnion` impls for every type, and every operation's
/// input and output, and every error, in the directions `direction` gives for its wire.
/// Imports only for what is used: a generated crate has no warnings.
fn json_impls(plan: &Plan, direction: impl Fn(Wire) -> Wire) -> TokenStream {
    // In the plan's order: types, errors, then each operation's input and output.
    let mut shapes: Vec<(&StructurePlan, Option<TokenStream>)> = Vec::new();
    for def in &plan.types {
        match def {
            TypeDef::Structure(s) => shapes.push((s, Some(quote!(crate::types)))),
            TypeDef::Union(u) => shapes.push((u, None)),
            TypeDef::Enum(_) => {}
        }
    }
    shapes.extend(
        plan.errors
            .iter()
            .map(|e| (e, Some(quote!(crate::types::error)))),
    );
    for op in &plan.operations {
        let module = ident(&op.names.module);
        for message in [&op.input, &op.output] {
            shapes.push((message, Some(quote!(crate::operation::#module))));
        }
    }
    let wire = |s: &StructurePlan| direction(s.wire);
    let writes = shapes.iter().any(|(s, _)| wire(s).serialize);
    let reads = shapes.iter().any(|(s, _)| wire(s).deserialize);
    let reads_objects = shapes
        .iter()
        .any(|(s, module)| module.is_some() && wire(s).deserialize);
    let write_imports = writes.then(|| {
        quote! {
            use awsgen_runtime::serde::ser::{SerializeMap, Serializer};
            use awsgen_runtime::wire::{member, ToJson};
        }
    });
    let read_imports = reads.then(|| {
        quote!(
            use awsgen_runtime::serde::de::MapAccess;
            use awsgen_runtime::wire::skip;
        )
    });
    let object_imports = reads_objects.then(|| {
        quote!(
            use awsgen_runtime::wire::{next, JsonObject};
        )
    });
    // A structure has the module it lives in; a union is always in `types`.
    let impls = shapes.iter().map(|(s, module)| match module {
        Some(module) => structure(s, module, wire(s)),
        None => union(s, wire(s)),
    });
    quote! {
        #write_imports
        #read_imports
        #object_imports

        #(#impls)*
    }
}

/// The members a structure's JSON object holds, with their keys.
fn body_members(plan: &StructurePlan) -> impl Iterator<Item = (&MemberPlan, &str)> {
    plan.members.iter().filter_map(|m| match &m.location {
        Location::Body { json_name } => Some((m, json_name.as_str())),
        _ => None,
    })
}

/// `ToJson` and `JsonObject` for a structure, in the directions `wire` says.
fn structure(plan: &StructurePlan, module: &TokenStream, wire: Wire) -> TokenStream {
    let name = ident(&plan.rust_name);
    let path = quote!(#module::#name);
    let write = wire.serialize.then(|| to_json(plan, &path));
    let read = wire.deserialize.then(|| json_object(plan, &path));
    quote!(#write #read)
}

fn to_json(plan: &StructurePlan, path: &TokenStream) -> TokenStream {
    let members: Vec<_> = body_members(plan)
        .map(|(m, key)| {
            let value = member_value(m, quote!(self));
            quote!(member(&mut object, #key, #value)?;)
        })
        .collect();
    if members.is_empty() {
        return quote! {
            impl ToJson for #path {
                fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_map(Some(0))?.end()
                }
            }
        };
    }
    quote! {
        impl ToJson for #path {
            fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut object = serializer.serialize_map(None)?;
                #(#members)*
                object.end()
            }
        }
    }
}

/// `Option<&T>` of a member of `owner` as it is written: a timestamp in the format its
/// model names, a boxed member unboxed.
fn member_value(member: &MemberPlan, owner: TokenStream) -> TokenStream {
    let field = ident(&member.field);
    match (&member.ty, member.timestamp_format) {
        (RustType::Timestamp, TimestampFormat::Iso8601) => {
            quote!(#owner.#field.map(awsgen_runtime::wire::Iso8601).as_ref())
        }
        (RustType::Timestamp, TimestampFormat::HttpDate) => {
            quote!(#owner.#field.map(awsgen_runtime::wire::HttpDate).as_ref())
        }
        _ if member.boxed => quote!(#owner.#field.as_deref()),
        _ => quote!(#owner.#field.as_ref()),
    }
}

fn json_object(plan: &StructurePlan, path: &TokenStream) -> TokenStream {
    let arms: Vec<_> = body_members(plan)
        .map(|(m, key)| {
            let field = ident(&m.field);
            let boxed = m.boxed.then(|| quote!(.map(Box::new)));
            quote!(#key => self.#field = next(map)? #boxed,)
        })
        .collect();
    if arms.is_empty() {
        return quote! {
            impl<'de> JsonObject<'de> for #path {
                fn read_member<A: MapAccess<'de>>(&mut self, _: &str, map: &mut A) -> Result<(), A::Error> {
                    skip(map)
                }
            }
        };
    }
    quote! {
        impl<'de> JsonObject<'de> for #path {
            fn read_member<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                match key {
                    #(#arms)*
                    _ => skip(map)?,
                }
                Ok(())
            }
        }
    }
}

/// A union writes its one member, and reads the one that is set (see
/// `awsgen_runtime::wire::read_union`), in the directions `wire` says.
fn union(plan: &StructurePlan, wire: Wire) -> TokenStream {
    let name = ident(&plan.rust_name);
    let path = quote!(crate::types::#name);
    let write = wire.serialize.then(|| union_to_json(plan, &path));
    let read = wire.deserialize.then(|| union_from_json(plan, &path));
    quote!(#write #read)
}

fn union_to_json(plan: &StructurePlan, path: &TokenStream) -> TokenStream {
    let arms = body_members(plan).map(|(m, key)| {
        let variant = ident(&m.variant);
        let value = match (&m.ty, m.timestamp_format) {
            (RustType::Timestamp, TimestampFormat::Iso8601) => {
                quote!(&awsgen_runtime::wire::Iso8601(*value))
            }
            (RustType::Timestamp, TimestampFormat::HttpDate) => {
                quote!(&awsgen_runtime::wire::HttpDate(*value))
            }
            _ => quote!(value),
        };
        quote!(Self::#variant(value) => member(&mut object, #key, Some(#value))?,)
    });
    let unknown = format!(
        "{}::Unknown stands for a member this crate does not know and cannot be sent",
        plan.rust_name
    );
    quote! {
        impl ToJson for #path {
            fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut object = serializer.serialize_map(Some(1))?;
                match self {
                    #(#arms)*
                    Self::Unknown => return Err(awsgen_runtime::serde::ser::Error::custom(#unknown)),
                }
                object.end()
            }
        }
    }
}

fn union_from_json(plan: &StructurePlan, path: &TokenStream) -> TokenStream {
    let name = plan.rust_name.as_str();
    let arms = body_members(plan).map(|(m, key)| {
        let variant = ident(&m.variant);
        let make = if m.boxed {
            quote!(|value| Self::#variant(Box::new(value)))
        } else {
            quote!(Self::#variant)
        };
        quote!(#key => awsgen_runtime::wire::variant(map, #make),)
    });
    quote! {
        impl<'de> awsgen_runtime::wire::JsonUnion<'de> for #path {
            const NAME: &'static str = #name;
            const UNKNOWN: Self = Self::Unknown;

            fn read_member<A: MapAccess<'de>>(key: &str, map: &mut A) -> Result<awsgen_runtime::wire::UnionMember<Self>, A::Error> {
                match key {
                    #(#arms)*
                    _ => skip(map).map(|()| awsgen_runtime::wire::UnionMember::Unknown),
                }
            }
        }

        impl<'de> awsgen_runtime::wire::FromJson<'de> for #path {
            fn from_json<D: awsgen_runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                awsgen_runtime::wire::read_union(deserializer)
            }
        }
    }
}
