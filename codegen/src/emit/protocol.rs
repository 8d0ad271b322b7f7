//! rest-json for one operation: the `awsgen_runtime::Operation` impl that builds the
//! request (URI labels, query, headers, JSON body) and reads the response and errors.
//! Everything generic lives in `awsgen_runtime::protocol`; this prints only what the
//! model says about this operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{ident, type_tokens};
use crate::plan::{
    AuthPlan, Location, MemberPlan, NamedQuery, OperationPlan, PayloadKind, RustType,
    StructurePlan, TimestampFormat, UriPart,
};

/// The operation's `Operation` impl; `endpoint` is its endpoint override, for a service
/// whose operations resolve their own.
pub fn operation_impl(op: &OperationPlan, endpoint: Option<TokenStream>) -> TokenStream {
    let marker = ident(&op.names.rust_name);
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = ident(&op.names.error_enum);
    let name = op.name.as_str();
    let doc = format!(" The `{}` operation, as the runtime runs it.", op.name);
    let fill = fill_tokens(&op.input);
    let request = match &op.unsupported {
        Some(reason) => {
            quote! {
                let _ = (input, endpoint);
                Err(awsgen_runtime::protocol::RequestError::Unsupported(#reason))
            }
        }
        None => request(op),
    };
    let parse_output = parse_output(&op.output);
    let parse_error = parse_error(op, &error);
    let auth = auth(&op.auth);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #marker;

        impl awsgen_runtime::Operation for #marker {
            type Input = #input;
            type Output = #output;
            type Error = #error;
            const NAME: &'static str = #name;
            #auth

            #fill
            fn validate(input: &#input, mode: awsgen_runtime::ValidationMode) -> Result<(), awsgen_runtime::ValidationError> {
                input.validate(mode)
            }

            #endpoint

            fn request(input: &#input, endpoint: &str) -> Result<awsgen_runtime::HttpRequest, awsgen_runtime::protocol::RequestError> {
                #request
            }

            fn parse_output(response: &awsgen_runtime::HttpResponse) -> Result<#output, awsgen_runtime::protocol::ParseError> {
                #parse_output
            }

            fn parse_error(
                code: Option<&str>,
                response: &awsgen_runtime::HttpResponse,
                meta: awsgen_runtime::ErrorMetadata,
            ) -> #error {
                #parse_error
            }
        }
    }
}

fn fill_tokens(input: &StructurePlan) -> TokenStream {
    let fills: Vec<_> = input
        .members
        .iter()
        .filter(|m| m.idempotency_token && m.ty == RustType::String)
        .map(|m| {
            let field = ident(&m.field);
            quote! {
                if input.#field.is_none() {
                    input.#field = Some(make_token());
                }
            }
        })
        .collect();
    if fills.is_empty() {
        // The trait's default fills nothing.
        return quote!();
    }
    let input = ident(&input.rust_name);
    quote! {
        fn fill_idempotency_tokens(input: &mut #input, make_token: &mut dyn FnMut() -> String) {
            #(#fills)*
        }
    }
}

/// An expression of type `&str` for a member value bound by reference as `value`, as it
/// is written in a URI label, query string or header.
fn text(ty: &RustType, member: &MemberPlan, location: TextLocation) -> TokenStream {
    match ty {
        // A JSON document in a header travels base64-encoded.
        RustType::String if member.jsonvalue && matches!(location, TextLocation::Header) => {
            quote!(awsgen_runtime::protocol::base64(value.as_bytes()).as_str())
        }
        RustType::String | RustType::Named(_) => quote!(value.as_str()),
        RustType::Timestamp => match member.timestamp_format {
            TimestampFormat::HttpDate => quote!(value.to_http_date().as_str()),
            TimestampFormat::EpochSeconds => quote!(value.to_epoch_seconds().as_str()),
            TimestampFormat::Iso8601 => quote!(value.to_iso8601().as_str()),
        },
        RustType::Float | RustType::Double => {
            quote!(awsgen_runtime::protocol::float_text(*value).as_ref())
        }
        RustType::Blob => quote!(awsgen_runtime::protocol::base64(value.as_bytes()).as_str()),
        _ => quote!(value.to_string().as_str()),
    }
}

#[derive(Clone, Copy)]
pub(super) enum TextLocation {
    /// URI labels and query strings.
    Uri,
    Header,
}

fn request(op: &OperationPlan) -> TokenStream {
    let input = &op.input;
    let method = format_ident!("{}", op.method);
    let start_url = start_url(op);
    let path = op.uri_parts.iter().map(uri_part);
    let static_query = op.uri_query.as_deref().map(|query| {
        let query = format!("?{query}");
        quote!(url.push_str(#query);)
    });
    let query = input
        .members
        .iter()
        .filter_map(|m| query_member(m, &op.named_query));
    let headers: Vec<_> = input
        .members
        .iter()
        .filter_map(|m| header_member(m, &quote!(input)))
        .collect();
    let (body, content_type) = message_body(input, &quote!(input), input.wire.serialize);
    // Headers the body depends on are set once it is made: compression first, as the
    // checksum is of the body as sent.
    let digests = body_digests(op);
    let mutable =
        (!headers.is_empty() || content_type.is_some() || digests.is_some()).then(|| quote!(mut));
    let (prepare_body, body) = match digests {
        Some(digests) => (Some(quote!(let body = #body; #digests)), quote!(body)),
        None => (None, body),
    };
    let unused_input = input.members.is_empty().then(|| quote!(let _ = input;));
    quote! {
        #unused_input
        #start_url
        #(#path)*
        #static_query
        #(#query)*
        let #mutable headers = awsgen_runtime::protocol::request_headers();
        #(#headers)*
        #content_type
        #prepare_body
        Ok(awsgen_runtime::HttpRequest {
            method: awsgen_runtime::http::Method::#method,
            url,
            headers,
            body: #body,
            operation: Some(Self::NAME),
        })
    }
}

/// `url` begun with the endpoint, behind the endpoint trait's host prefix if there is
/// one (its labels checked to be host labels).
fn start_url(op: &OperationPlan) -> TokenStream {
    let Some(parts) = &op.host_prefix else {
        return quote! {
            let mut url = String::with_capacity(endpoint.len() + 64);
            url.push_str(endpoint);
        };
    };
    let pieces = parts.iter().map(|part| match part {
        UriPart::Literal(text) => push_literal(quote!(prefix), text),
        UriPart::Label { member, .. } => {
            let field = ident(&member.field);
            let name = member.name.as_str();
            quote!(prefix.push_str(awsgen_runtime::protocol::host_label(input.#field.as_deref(), #name)?);)
        }
    });
    quote! {
        let mut prefix = String::new();
        #(#pieces)*
        let mut url = awsgen_runtime::protocol::with_host_prefix(endpoint, &prefix);
    }
}

/// One piece of the URI path: a literal, or a label member's value (required, encoded).
fn uri_part(part: &UriPart) -> TokenStream {
    let (member, greedy) = match part {
        UriPart::Literal(text) => return push_literal(quote!(url), text),
        UriPart::Label { member, greedy } => (member, *greedy),
    };
    let field = ident(&member.field);
    let text = text(&member.ty, member, TextLocation::Uri);
    let member_name = member.name.as_str();
    let label = if greedy {
        quote!(awsgen_runtime::protocol::Label::Greedy)
    } else {
        quote!(awsgen_runtime::protocol::Label::Segment)
    };
    quote! {
        match &input.#field {
            Some(value) => awsgen_runtime::protocol::push_label(&mut url, #text, #label, #member_name)?,
            None => return Err(awsgen_runtime::protocol::RequestError::missing_label(#member_name)),
        }
    }
}

/// What is done to the made body before sending: gzip (`requestcompression`), then
/// `Content-MD5` (`httpChecksumRequired`); `None` when neither.
fn body_digests(op: &OperationPlan) -> Option<TokenStream> {
    let compress = op
        .gzip_request
        .then(|| quote!(let body = awsgen_runtime::protocol::compress_body(&mut headers, body);));
    let checksum = op
        .content_md5
        .then(|| quote!(awsgen_runtime::protocol::set_content_md5(&mut headers, &body);));
    (compress.is_some() || checksum.is_some()).then(|| quote!(#compress #checksum))
}

/// Query parameters for one member. Map entries go out in key order (the same input
/// always makes the same request), and an entry whose key is also a named query member
/// that is set is dropped: the named member wins.
fn query_member(member: &MemberPlan, named: &[NamedQuery]) -> Option<TokenStream> {
    let Location::Query(name) = &member.location else {
        return None;
    };
    let field = ident(&member.field);
    Some(match &member.ty {
        RustType::List(element) => {
            let text = text(element, member, TextLocation::Uri);
            quote! {
                if let Some(values) = &input.#field {
                    for value in values {
                        awsgen_runtime::protocol::push_query(&mut url, #name, #text);
                    }
                }
            }
        }
        RustType::Map(_, value_ty) => {
            let each = match value_ty.as_ref() {
                RustType::List(element) => {
                    let text = text(element, member, TextLocation::Uri);
                    quote! {
                        for value in values {
                            awsgen_runtime::protocol::push_query(&mut url, key, #text);
                        }
                    }
                }
                other => {
                    let text = text(other, member, TextLocation::Uri);
                    quote! {
                        let value = values;
                        awsgen_runtime::protocol::push_query(&mut url, key, #text);
                    }
                }
            };
            let precedence = (!named.is_empty()).then(|| {
                let tests = named.iter().map(|query| {
                    let field = ident(&query.field);
                    let name = query.name.as_str();
                    quote!(input.#field.is_some() && key == #name)
                });
                quote! {
                    if #(#tests)||* {
                        continue;
                    }
                }
            });
            quote! {
                if let Some(map) = &input.#field {
                    for (key, values) in awsgen_runtime::protocol::sorted(map) {
                        let key = key.as_str();
                        #precedence
                        #each
                    }
                }
            }
        }
        ty => {
            let text = text(ty, member, TextLocation::Uri);
            quote! {
                if let Some(value) = &input.#field {
                    awsgen_runtime::protocol::push_query(&mut url, #name, #text);
                }
            }
        }
    })
}

/// Sets the header a member of `owner` (`input`, or a mock's `output`) is bound to.
pub(super) fn header_member(member: &MemberPlan, owner: &TokenStream) -> Option<TokenStream> {
    let field = ident(&member.field);
    let member_name = member.name.as_str();
    let secrecy = if member.sensitive {
        quote!(awsgen_runtime::protocol::Secrecy::Secret)
    } else {
        quote!(awsgen_runtime::protocol::Secrecy::Plain)
    };
    match &member.location {
        Location::Header(header) => {
            let value = match &member.ty {
                RustType::List(element) => {
                    let text = text(element, member, TextLocation::Header);
                    let items = header_items(element, member);
                    quote!(&awsgen_runtime::protocol::header_list(values.iter().map(|value| #text.to_owned()), #items))
                }
                ty => text(ty, member, TextLocation::Header),
            };
            let binding = if matches!(member.ty, RustType::List(_)) {
                quote!(values)
            } else {
                quote!(value)
            };
            Some(quote! {
                if let Some(#binding) = &#owner.#field {
                    awsgen_runtime::protocol::set_header(&mut headers, #header, #value, #member_name, #secrecy)?;
                }
            })
        }
        Location::PrefixHeaders(prefix) => {
            let text = match &member.ty {
                RustType::Map(_, value) => text(value, member, TextLocation::Header),
                _ => return None,
            };
            Some(quote! {
                if let Some(map) = &#owner.#field {
                    for (key, value) in map {
                        awsgen_runtime::protocol::set_prefixed_header(&mut headers, #prefix, key, #text, #member_name)?;
                    }
                }
            })
        }
        _ => None,
    }
}

/// The body expression of a message (`owner`: `input`, or a mock's `output`) and the
/// `Content-Type` it needs: a JSON object of the body members (when `has_body`), the
/// payload member alone, or nothing.
pub(super) fn message_body(
    message: &StructurePlan,
    owner: &TokenStream,
    has_body: bool,
) -> (TokenStream, Option<TokenStream>) {
    let content_type = |value: &str| {
        Some(quote! {
            headers.insert(
                awsgen_runtime::http::header::CONTENT_TYPE,
                awsgen_runtime::http::HeaderValue::from_static(#value),
            );
        })
    };
    let payload = message.members.iter().find_map(|m| match m.location {
        Location::Payload(kind) => Some((m, kind)),
        _ => None,
    });
    if let Some((payload, kind)) = payload {
        let field = ident(&payload.field);
        return match kind {
            PayloadKind::Blob => (
                quote!(#owner.#field.as_ref().map(|blob| awsgen_runtime::bytes::Bytes::copy_from_slice(blob.as_bytes())).unwrap_or_default()),
                content_type("application/octet-stream"),
            ),
            PayloadKind::Text => (
                quote!(#owner.#field.as_ref().map(|text| awsgen_runtime::bytes::Bytes::copy_from_slice(text.as_str().as_bytes())).unwrap_or_default()),
                content_type("text/plain"),
            ),
            PayloadKind::Json {
                empty_object_when_unset,
            } => {
                let unset = if empty_object_when_unset {
                    quote!(awsgen_runtime::bytes::Bytes::from_static(b"{}"))
                } else {
                    quote!(awsgen_runtime::bytes::Bytes::new())
                };
                let body = quote! {
                    match &#owner.#field {
                        Some(payload) => awsgen_runtime::wire::json_body(payload)?,
                        None => #unset,
                    }
                };
                (body, content_type("application/json"))
            }
        };
    }
    if has_body {
        (
            quote!(awsgen_runtime::wire::json_body(#owner)?),
            content_type("application/json"),
        )
    } else {
        (quote!(awsgen_runtime::bytes::Bytes::new()), None)
    }
}

fn parse_output(output: &StructurePlan) -> TokenStream {
    let rust_name = ident(&output.rust_name);
    let from_response = output
        .members
        .iter()
        .filter_map(|m| read_member(m, &quote!(response), &quote!(output)));
    let base = if output.wire.deserialize {
        quote!(awsgen_runtime::wire::parse_body(&response.body)?)
    } else {
        // Written out rather than `Default::default()`, which clippy would have filled in
        // by the assignments below.
        let fields = output.members.iter().map(|m| ident(&m.field));
        quote!(#rust_name { #(#fields: None,)* _request_id: None })
    };
    quote! {
        let mut output: #rust_name = #base;
        #(#from_response)*
        output._request_id = response.request_id().map(str::to_owned);
        Ok(output)
    }
}

/// A member of `target` read from a message (`source`: a response, or for a mock a
/// request) outside its JSON body: a header, the status code or a payload.
pub(super) fn read_member(
    member: &MemberPlan,
    source: &TokenStream,
    target: &TokenStream,
) -> Option<TokenStream> {
    let field = ident(&member.field);
    Some(match &member.location {
        Location::Header(name) => {
            let invalid = invalid_header(&member.ty, name);
            let parse = parse_text(&member.ty, member, TextLocation::Header, &invalid)?;
            quote! {
                if let Some(value) = #source.header(#name) {
                    #target.#field = Some(#parse);
                }
            }
        }
        Location::PrefixHeaders(prefix) => {
            let RustType::Map(_, value_ty) = &member.ty else {
                return None;
            };
            let invalid = invalid_header(value_ty, prefix);
            let parse = parse_text(value_ty, member, TextLocation::Header, &invalid)?;
            quote! {
                let mut map = std::collections::HashMap::new();
                for (name, value) in #source.headers.iter() {
                    if let (Some(key), Ok(value)) = (awsgen_runtime::protocol::strip_prefix_ignore_case(name.as_str(), #prefix), value.to_str()) {
                        map.insert(key.to_owned(), #parse);
                    }
                }
                if !map.is_empty() {
                    #target.#field = Some(map);
                }
            }
        }
        Location::StatusCode => quote!(#target.#field = Some(i32::from(#source.status));),
        Location::Payload(PayloadKind::Blob) => quote! {
            if !#source.body.is_empty() {
                #target.#field = Some(awsgen_runtime::Blob::new(#source.body.to_vec()));
            }
        },
        Location::Payload(PayloadKind::Text) => quote! {
            if !#source.body.is_empty() {
                let text = std::str::from_utf8(&#source.body).map_err(|_| awsgen_runtime::protocol::ParseError::NotUtf8)?;
                #target.#field = Some(text.into());
            }
        },
        Location::Payload(PayloadKind::Json { .. }) => quote! {
            if !#source.body.iter().all(u8::is_ascii_whitespace) {
                #target.#field = Some(awsgen_runtime::wire::parse_body(&#source.body)?);
            }
        },
        _ => return None,
    })
}

/// The error of a header `header` that does not read as `ty`.
pub(super) fn invalid_header(ty: &RustType, header: &str) -> TokenStream {
    let expected = type_name(ty);
    quote!(awsgen_runtime::protocol::ParseError::header(#header, #expected))
}

/// Reads a text value (`value: &str`: a header, a query parameter, a URI label) as the
/// member's type; `invalid` is the error when it does not (for a header list, the
/// error of the whole header).
pub(super) fn parse_text(
    ty: &RustType,
    member: &MemberPlan,
    location: TextLocation,
    invalid: &TokenStream,
) -> Option<TokenStream> {
    Some(match ty {
        // A JSON document in a header arrives base64-encoded.
        RustType::String if member.jsonvalue && matches!(location, TextLocation::Header) => {
            quote! {
                awsgen_runtime::protocol::from_base64(value)
                    .and_then(|blob| String::from_utf8(blob.into_inner()).ok())
                    .ok_or(#invalid)?
            }
        }
        RustType::String => quote!(value.to_owned()),
        RustType::Named(path) => {
            let ty = type_tokens(&RustType::Named(path.clone()));
            quote!(#ty::from(value))
        }
        RustType::Timestamp => {
            quote!(awsgen_runtime::DateTime::parse_lenient(value).ok_or(#invalid)?)
        }
        RustType::Blob => {
            quote!(awsgen_runtime::protocol::from_base64(value).ok_or(#invalid)?)
        }
        RustType::List(element) => {
            let items = header_items(element, member);
            let element = parse_text(element, member, location, invalid)?;
            quote! {
                awsgen_runtime::protocol::split_header_list(value, #items)
                    .iter()
                    .map(|value| {
                        let value = value.as_str();
                        Ok(#element)
                    })
                    .collect::<Result<Vec<_>, awsgen_runtime::protocol::ParseError>>()?
            }
        }
        RustType::Bool
        | RustType::Byte
        | RustType::Short
        | RustType::Int
        | RustType::Long
        | RustType::Float
        | RustType::Double => {
            let ty = type_tokens(ty);
            quote!(value.trim().parse::<#ty>().map_err(|_| #invalid)?)
        }
        RustType::Document | RustType::Map(..) => return None,
    })
}

/// How a list's items travel in one header: HTTP dates hold a comma of their own; strings
/// may be quoted; other items go as they are.
fn header_items(element: &RustType, member: &MemberPlan) -> TokenStream {
    match element {
        RustType::Timestamp if member.timestamp_format == TimestampFormat::HttpDate => {
            quote!(awsgen_runtime::protocol::HeaderItems::HttpDates)
        }
        RustType::String | RustType::Named(_) => {
            quote!(awsgen_runtime::protocol::HeaderItems::Strings)
        }
        _ => quote!(awsgen_runtime::protocol::HeaderItems::Plain),
    }
}

/// What a text value of type `ty` (or, for a list, each item) should be, for errors.
pub(super) fn type_name(ty: &RustType) -> &'static str {
    match ty {
        RustType::List(element) => type_name(element),
        RustType::Bool => "boolean",
        RustType::Timestamp => "timestamp",
        RustType::Blob => "base64 blob",
        RustType::Float | RustType::Double => "number",
        RustType::Byte | RustType::Short | RustType::Int | RustType::Long => "integer",
        _ => "value",
    }
}

fn parse_error(op: &OperationPlan, error: &proc_macro2::Ident) -> TokenStream {
    if op.errors.is_empty() {
        return quote! {
            let _ = (code, response);
            #error::Unhandled(awsgen_runtime::Unhandled::new(meta))
        };
    }
    let arms = op.errors.iter().map(|e| {
        let variant = ident(&e.rust_name);
        let code = e.code.as_str();
        let from_response: Vec<_> = e
            .response_members
            .iter()
            .filter_map(|m| read_member(m, &quote!(response), &quote!(output)))
            .collect();
        if from_response.is_empty() {
            return quote!(Some(#code) => E::#variant(modeled_error(body, meta)),);
        }
        // A modeled error whose headers do not read is still reported, as unhandled.
        quote! {
            Some(#code) => match awsgen_runtime::wire::modeled_error_with(body, meta, |output: &mut crate::types::error::#variant| {
                #(#from_response)*
                Ok(())
            }) {
                Ok(error) => E::#variant(error),
                Err(meta) => E::Unhandled(awsgen_runtime::Unhandled::new(meta)),
            },
        }
    });
    let body_only = op.errors.iter().any(|e| {
        e.response_members
            .iter()
            .filter_map(|m| read_member(m, &quote!(response), &quote!(output)))
            .next()
            .is_none()
    });
    let import = body_only.then(|| {
        quote!(
            use awsgen_runtime::wire::modeled_error;
        )
    });
    quote! {
        #import
        use #error as E;
        let body = &response.body;
        match code {
            #(#arms)*
            _ => E::Unhandled(awsgen_runtime::Unhandled::new(meta)),
        }
    }
}

/// `const AUTH` of an operation that is signed (or cannot be); nothing for one that is
/// not, which the trait's default covers.
fn auth(plan: &AuthPlan) -> TokenStream {
    match plan {
        AuthPlan::None => quote! {},
        AuthPlan::SigV4 {
            signing_name,
            unsigned_payload,
        } => quote! {
            const AUTH: awsgen_runtime::Auth = awsgen_runtime::Auth::SigV4 {
                signing_name: #signing_name,
                unsigned_payload: #unsigned_payload,
            };
        },
        AuthPlan::Unsupported(scheme) => quote! {
            const AUTH: awsgen_runtime::Auth = awsgen_runtime::Auth::Unsupported(#scheme);
        },
    }
}

/// Appends a literal to the string `target`: one character as a `char` (as clippy asks).
fn push_literal(target: TokenStream, text: &str) -> TokenStream {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => quote!(#target.push(#c);),
        _ => quote!(#target.push_str(#text);),
    }
}
