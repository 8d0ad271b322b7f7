//! `src/types.rs` (structures, unions and enums shared between operations) and
//! `src/types/error.rs` (modeled exceptions).

use proc_macro2::TokenStream;
use quote::quote;

use super::enums::{string_enum, union};
use super::structure::{structure, BuildKind};
use super::{ident, inner_doc};
use crate::plan::{ErrorInfo, Plan, StructurePlan, TypeDef};

pub fn types_rs(plan: &Plan) -> TokenStream {
    let items = plan.types.iter().map(|def| match def {
        TypeDef::Structure(s) => structure(s, BuildKind::Infallible),
        TypeDef::Union(u) => union(u),
        TypeDef::Enum(e) => string_enum(e),
    });
    // Builders name the module's own types as `types::X`, as every other module does.
    let structures = plan.types.iter().filter_map(|def| match def {
        TypeDef::Structure(s) => Some(s),
        _ => None,
    });
    let import = super::builders_need_types(structures).then(|| {
        quote!(
            use crate::types;
        )
    });
    quote! {
        //! Structures, unions and enums used by the operations' inputs and outputs.
        pub mod error;
        #import
        #(#items)*
    }
}

pub fn error_rs(plan: &Plan) -> TokenStream {
    let items = plan
        .errors
        .iter()
        .filter_map(|e| Some(exception(e, e.error.as_ref()?)));
    let docs = inner_doc("The exceptions the service models. Each operation's error enum wraps the ones it can return.");
    let import = super::builders_need_types(&plan.errors).then(|| {
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

/// A modeled exception: a structure that is also a `std::error::Error`. Its message
/// member holds the message the runtime found in the response (`message`, `Message` or
/// `errorMessage`, whatever the body's spelling).
fn exception(plan: &StructurePlan, info: &ErrorInfo) -> TokenStream {
    let name = ident(&plan.rust_name);
    let code = info.code.as_str();
    let message_field = info.message_field.as_deref().map(ident);
    let display = match &message_field {
        Some(field) => quote! {
            match &self.#field {
                Some(message) => write!(f, "{}: {}", Self::CODE, message),
                None => f.write_str(Self::CODE),
            }
        },
        None => quote!(f.write_str(Self::CODE)),
    };
    let set_message = message_field.map(|field| {
        quote! {
            if let Some(message) = meta.message() {
                self.#field = Some(message.to_owned());
            }
        }
    });
    let body = structure(plan, BuildKind::Infallible);
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
                #set_message
                self._meta = meta;
            }
        }
    }
}
