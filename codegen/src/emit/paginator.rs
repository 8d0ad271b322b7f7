//! A paginated operation's `Paginated` impls (and `PageSize`, `PageItems` when it has a
//! limit member and one result list): how the runtime's `Paginator` moves the token from
//! one page to the next request, sets the page size and takes a page's results.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_tokens};
use crate::plan::{MemberPlan, OperationPlan, PaginatorPlan, RustType};

pub fn paginator_impls(op: &OperationPlan) -> TokenStream {
    let Some(paginator) = &op.paginator else {
        return quote!();
    };
    let marker = ident(&op.names.rust_name);
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let token = ident(&paginator.input_token.field);
    let next_token = next_token(paginator);
    let page_size = paginator.page_size.as_ref().map(|member| {
        let field = ident(&member.field);
        let value = match member.ty {
            RustType::Int => quote!(size),
            // A few models send the page size as decimal text.
            RustType::String => quote!(size.to_string()),
            _ => quote!(size.into()),
        };
        quote! {
            impl awsgen_runtime::PageSize for #marker {
                fn set_page_size(input: &mut #input, size: i32) {
                    input.#field = Some(#value);
                }
            }
        }
    });
    let items = paginator.items.as_ref().map(|path| {
        let item = match &path.last().map(|m| &m.ty) {
            Some(RustType::List(item)) => type_tokens(item),
            _ => quote!(()),
        };
        let value = items(path);
        quote! {
            impl awsgen_runtime::PageItems for #marker {
                type Item = #item;

                fn items(output: #output) -> Vec<#item> {
                    #value
                }
            }
        }
    });
    quote! {
        impl awsgen_runtime::Paginated for #marker {
            fn set_token(input: &mut #input, token: Option<String>) {
                input.#token = token;
            }

            fn next_token(output: &#output) -> Option<&str> {
                #next_token
            }
        }

        #page_size
        #items
    }
}

/// `output.next_token.as_deref()`, or through nested structures
/// `output.result.as_ref()?.next_token.as_deref()`.
fn next_token(paginator: &PaginatorPlan) -> TokenStream {
    let (last, parents) = match paginator.output_token.split_last() {
        Some(split) => split,
        None => return quote!(None),
    };
    let mut value = quote!(output);
    for parent in parents {
        let field = ident(&parent.field);
        value = match parent.boxed {
            true => quote!(#value.#field.as_deref()?),
            false => quote!(#value.#field.as_ref()?),
        };
    }
    let field = ident(&last.field);
    quote!(#value.#field.as_deref())
}

/// `output.transcript.unwrap_or_default()`, or through nested structures
/// `output.result.and_then(|parent| parent.items).unwrap_or_default()`.
fn items(path: &[MemberPlan]) -> TokenStream {
    let Some((first, rest)) = path.split_first() else {
        return quote!(Vec::new());
    };
    let first = ident(&first.field);
    let mut value = quote!(output.#first);
    for member in rest {
        let field = ident(&member.field);
        value = quote!(#value.and_then(|parent| parent.#field));
    }
    quote!(#value.unwrap_or_default())
}
