//! `src/mock.rs` (feature `test-util`): what `awsgen_runtime::mock::Mock` needs of each
//! operation, printed from the same plan as `protocol.rs` but the other way round: the
//! output written as the service would send it, the input read back from a request
//! (labels, query, headers, payload, JSON body); the JSON impls for those directions;
//! and `Client::mock`.

use proc_macro2::TokenStream;
use quote::quote;

use super::protocol::{
    header_member, message_body, parse_text, read_member, type_name, TextLocation,
};
use super::{ident, type_tokens};
use crate::plan::{Location, MemberPlan, OperationPlan, Plan, RustType, UriPart};

pub fn mock_rs(plan: &Plan) -> TokenStream {
    let reversed = super::wire::reversed_json_impls(plan);
    // An operation that cannot be called (an event stream) has nothing to script.
    let operations: TokenStream = plan
        .operations
        .iter()
        .filter(|op| op.unsupported.is_none())
        .map(mock_operation)
        .collect();
    quote! {
        //! Scripted replies for tests of code that uses this crate (feature `test-util`):
        //! a [`Mock`] answers a client made with [`Client::mock`](crate::Client::mock)
        //! instead of the service. Scripted outputs are sent as the service would send
        //! them and inputs are read back from the requests, so a mocked call is
        //! serialized, retried and parsed as a real one.

        pub use awsgen_runtime::mock::{Mock, MOCK_ENDPOINT};

        impl crate::Client {
            /// A client answered by `mock` instead of the service (feature `test-util`):
            /// each call takes the reply scripted for its operation, and the mock records
            /// the HTTP requests. Nothing is sent over the network; retries happen without
            /// waiting. For other settings, give `mock.config_builder()`, set as wanted
            /// and built, to [`Client::new`](crate::Client::new).
            pub fn mock(mock: &Mock) -> Self {
                let endpoint = awsgen_runtime::endpoint::Endpoint::new(MOCK_ENDPOINT);
                crate::Client {
                    handle: awsgen_runtime::ClientHandle::new(mock.config(), Some(endpoint), crate::client::API),
                }
            }
        }

        #reversed
        #operations
    }
}

fn mock_operation(op: &OperationPlan) -> TokenStream {
    let module = ident(&op.names.module);
    let marker = ident(&op.names.rust_name);
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let write = write_output(op);
    let read = read_input(op);
    quote! {
        impl awsgen_runtime::mock::MockOperation for crate::operation::#module::#marker {
            fn output_response(
                output: &crate::operation::#module::#output,
            ) -> Result<awsgen_runtime::HttpResponse, awsgen_runtime::protocol::RequestError> {
                #write
            }

            fn read_input(
                request: &awsgen_runtime::HttpRequest,
            ) -> Result<crate::operation::#module::#input, awsgen_runtime::protocol::ParseError> {
                #read
            }
        }
    }
}

/// The response for `output`: its status member (else 200), header members, and body.
fn write_output(op: &OperationPlan) -> TokenStream {
    let output = &op.output;
    // Most outputs are a JSON body alone, or nothing: the runtime writes those.
    if op.output_body_only {
        return if output.wire.deserialize {
            quote!(awsgen_runtime::mock::json_response(output))
        } else {
            quote! {
                let _ = output;
                Ok(awsgen_runtime::mock::empty_response())
            }
        };
    }
    let owner = quote!(output);
    let headers: Vec<_> = output
        .members
        .iter()
        .filter_map(|m| header_member(m, &owner))
        .collect();
    let (body, content_type) = message_body(output, &owner, output.wire.deserialize);
    let status = match output
        .members
        .iter()
        .find(|m| m.location == Location::StatusCode)
    {
        Some(member) => {
            let field = ident(&member.field);
            quote!(output.#field.and_then(|status| u16::try_from(status).ok()).unwrap_or(200))
        }
        None => quote!(200),
    };
    let mutable = (!headers.is_empty() || content_type.is_some()).then(|| quote!(mut));
    quote! {
        let #mutable headers = awsgen_runtime::http::HeaderMap::new();
        #(#headers)*
        #content_type
        Ok(awsgen_runtime::HttpResponse { status: #status, headers, body: #body })
    }
}

/// The input a request carries: the JSON body first (or every member unset), then what
/// travels outside it.
fn read_input(op: &OperationPlan) -> TokenStream {
    let input = &op.input;
    let module = ident(&op.names.module);
    let name = ident(&input.rust_name);
    let name = quote!(crate::operation::#module::#name);
    let gunzip = op.gzip_request.then(|| {
        quote! {
            let request = &awsgen_runtime::mock::decompressed(request)?;
        }
    });
    let base = if input.wire.serialize {
        quote!(awsgen_runtime::wire::parse_body(&request.body)?)
    } else {
        let fields = input.members.iter().map(|m| ident(&m.field));
        quote!(#name { #(#fields: None,)* })
    };
    let mut reads: Vec<TokenStream> = Vec::new();
    reads.extend(host_labels(op));
    reads.extend(path_labels(op));
    reads.extend(query_members(op));
    reads.extend(
        input
            .members
            .iter()
            .filter_map(|m| read_member(m, &quote!(request), &quote!(input))),
    );
    let unused = (input.members.is_empty() && gunzip.is_none()).then(|| quote!(let _ = request;));
    let mutable = (!reads.is_empty()).then(|| quote!(mut));
    quote! {
        #unused
        #gunzip
        let #mutable input: #name = #base;
        #(#reads)*
        Ok(input)
    }
}

/// Reads the labels of the endpoint's host prefix, if it has any.
fn host_labels(op: &OperationPlan) -> Option<TokenStream> {
    let reader = quote!(host);
    let reads = labels(op.host_prefix.as_ref()?, &reader)?;
    Some(quote! {
        let mut host = awsgen_runtime::mock::PathReader::host(&request.url);
        #(#reads)*
    })
}

/// Reads the URI labels, checking the path against the operation's URI.
fn path_labels(op: &OperationPlan) -> Option<TokenStream> {
    let reader = quote!(path);
    let reads = labels(&op.uri_parts, &reader)?;
    Some(quote! {
        let mut path = awsgen_runtime::mock::PathReader::path(&request.url);
        #(#reads)*
        path.end()?;
    })
}

/// The calls that read `parts` with `reader`; `None` when no part is a label.
fn labels(parts: &[UriPart], reader: &TokenStream) -> Option<Vec<TokenStream>> {
    if !parts.iter().any(|p| matches!(p, UriPart::Label { .. })) {
        return None;
    }
    let reads = parts.iter().enumerate().map(|(i, part)| match part {
        UriPart::Literal(text) => quote!(#reader.literal(#text)?;),
        UriPart::Label { member, greedy } => {
            let next = match parts.get(i + 1) {
                Some(UriPart::Literal(text)) => quote!(Some(#text)),
                _ => quote!(None),
            };
            let kind = if *greedy {
                quote!(awsgen_runtime::protocol::Label::Greedy)
            } else {
                quote!(awsgen_runtime::protocol::Label::Segment)
            };
            let member_name = member.name.as_str();
            let field = ident(&member.field);
            let expected = type_name(&member.ty);
            let invalid =
                quote!(awsgen_runtime::protocol::ParseError::label(#member_name, #expected));
            let parse = parse_text(&member.ty, member, TextLocation::Uri, &invalid)
                .unwrap_or_else(|| quote!(value.to_owned()));
            quote! {
                let value = #reader.label(#next, #kind, #member_name)?;
                let value = value.as_str();
                input.#field = Some(#parse);
            }
        }
    });
    Some(reads.collect())
}

/// Reads the query members: named parameters, then a map member's other parameters
/// (neither a named one nor one of the URI's own).
fn query_members(op: &OperationPlan) -> Option<TokenStream> {
    let members: Vec<(&MemberPlan, &str)> = op
        .input
        .members
        .iter()
        .filter_map(|m| match &m.location {
            Location::Query(name) => Some((m, name.as_str())),
            _ => None,
        })
        .collect();
    if members.is_empty() {
        return None;
    }
    let named: Vec<&str> = op
        .named_query
        .iter()
        .map(|query| query.name.as_str())
        .chain(op.static_query_keys.iter().map(String::as_str))
        .collect();
    let reads = members
        .iter()
        .filter_map(|(member, name)| query_member(member, name, &named));
    Some(quote! {
        let query = awsgen_runtime::mock::Query::new(&request.url);
        #(#reads)*
    })
}

fn query_member(member: &MemberPlan, name: &str, named: &[&str]) -> Option<TokenStream> {
    let field = ident(&member.field);
    let invalid = |ty: &RustType| {
        let expected = type_name(ty);
        quote!(awsgen_runtime::protocol::ParseError::query(#name, #expected))
    };
    Some(match &member.ty {
        RustType::List(element) => {
            let parse = parse_text(element, member, TextLocation::Uri, &invalid(element))?;
            quote! {
                let values = query
                    .all(#name)
                    .map(|value| Ok(#parse))
                    .collect::<Result<Vec<_>, awsgen_runtime::protocol::ParseError>>()?;
                if !values.is_empty() {
                    input.#field = Some(values);
                }
            }
        }
        RustType::Map(key, value_ty) => {
            let key = match key.as_ref() {
                RustType::String => quote!(key.to_owned()),
                ty @ RustType::Named(_) => {
                    let ty = type_tokens(ty);
                    quote!(#ty::from(key))
                }
                _ => return None,
            };
            let insert = match value_ty.as_ref() {
                RustType::List(element) => {
                    let parse = parse_text(element, member, TextLocation::Uri, &invalid(element))?;
                    quote!(map.entry(#key).or_insert_with(Vec::new).push(#parse);)
                }
                ty => {
                    let parse = parse_text(ty, member, TextLocation::Uri, &invalid(ty))?;
                    quote!(map.insert(#key, #parse);)
                }
            };
            quote! {
                let mut map = std::collections::HashMap::new();
                for (key, value) in query.others(&[#(#named),*]) {
                    #insert
                }
                if !map.is_empty() {
                    input.#field = Some(map);
                }
            }
        }
        ty => {
            let parse = parse_text(ty, member, TextLocation::Uri, &invalid(ty))?;
            quote! {
                if let Some(value) = query.first(#name) {
                    input.#field = Some(#parse);
                }
            }
        }
    })
}
