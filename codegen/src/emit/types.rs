//! `src/types.rs` (structures, unions and enums shared between operations) and
//! `src/types/error.rs` (modeled exceptions).

use proc_macro2::TokenStream;
use quote::quote;

use super::enums::{string_enum, union};
use super::structure::{structure, BuildKind};
use super::{ident, inner_doc, Here};
use crate::plan::{Plan, StructurePlan, TypeDef};

pub fn types_rs(plan: &Plan) -> TokenStream {
    let items = plan.types.iter().map(|def| match def {
        TypeDef::Structure(s) => structure(s, BuildKind::Infallible, Here::Types),
        TypeDef::Union(u) => union(u),
        TypeDef::Enum(e) => string_enum(e),
    });
    quote! {
        //! Structures, unions and enums used by the operations' inputs and outputs.
        pub mod error;
        #(#items)*
    }
}

pub fn error_rs(plan: &Plan) -> TokenStream {
    let items = plan.errors.iter().map(exception);
    let docs = inner_doc("The exceptions the service models. Each operation's error enum wraps the ones it can return.");
    let import = super::builders_need_types(&plan.errors, Here::Errors).then(|| {
        quote!(
            use crate::types;
        )
    });
    quote! {
        #docs
        #import
        #(#items)*
    }
}

/// A modeled exception: a structure that is also a `std::error::Error`.
fn exception(plan: &StructurePlan) -> TokenStream {
    let name = ident(&plan.rust_name);
    let code = plan
        .error
        .as_ref()
        .map_or(plan.shape.as_str(), |e| e.code.as_str());
    let message_field = plan
        .members
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case("message") && m.ty == crate::plan::RustType::String)
        .map(|m| ident(&m.field));
    let display = match message_field {
        Some(field) => quote! {
            match &self.#field {
                Some(message) => write!(f, "{}: {}", Self::CODE, message),
                None => f.write_str(Self::CODE),
            }
        },
        None => quote!(f.write_str(Self::CODE)),
    };
    let body = structure(plan, BuildKind::Infallible, Here::Errors);
    quote! {
        #body

        impl #name {
            /// The error code the service sends for this exception.
            pub const CODE: &'static str = #code;
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display
            }
        }

        impl std::error::Error for #name {}

        impl awsgen_runtime::ModeledError for #name {
            fn error_meta(&self) -> &awsgen_runtime::ErrorMetadata {
                &self._meta
            }

            fn set_error_meta(&mut self, meta: awsgen_runtime::ErrorMetadata) {
                self._meta = meta;
            }
        }
    }
}
