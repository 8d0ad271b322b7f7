//! `src/operation/<name>.rs`: an operation's input and builder, output, and error enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::structure::{structure, BuildKind};
use super::{ident, inner_doc};

use crate::plan::{OperationPlan, ShapeValidator};

/// `endpoint` is the operation's own endpoint resolution, for a service whose rule set
/// has context parameters.
pub fn operation_rs(
    op: &OperationPlan,
    validators: &[ShapeValidator],
    endpoint: Option<TokenStream>,
) -> TokenStream {
    let module_docs = inner_doc(&module_docs(op));
    let import = super::builders_need_types([&op.input, &op.output]).then(|| {
        quote!(
            use crate::types;
        )
    });
    let input = structure(&op.input, BuildKind::CheckRequired);
    let validate = validate_method(op, validators);
    let operation = super::protocol::operation_impl(op, endpoint);
    let fluent = fluent_builder(op);
    let output = structure(&op.output, BuildKind::Infallible);
    let error = error_enum(op);
    let paginator = super::paginator::paginator_impls(op);
    quote! {
        #module_docs
        #import
        #operation
        #paginator
        #fluent
        #input
        #validate
        #output
        #error
    }
}

/// `client.send_message().content("hi").send().await`: the input builder with the
/// client's handle, plus `send()`, which hands the input to the runtime (tokens,
/// validation, retries).
fn fluent_builder(op: &OperationPlan) -> TokenStream {
    let name = ident(&op.names.fluent_builder);
    let marker = ident(&op.names.rust_name);
    let input_builder = ident(&op.input.builder);
    let output = ident(&op.output.rust_name);
    let error = ident(&op.names.error_enum);
    let doc = format!(
        " Sends a `{}` request: set its members, then call [`send`]({}::send).",
        op.name, op.input.builder
    );
    let into_paginator = op.paginator.as_ref().map(|paginator| {
        let items = paginator.items.is_some().then_some(
            " [`items()`](awsgen_runtime::Paginator::items) gives the results one by one.",
        );
        let page_size = paginator.page_size.as_ref().map(|m| {
            format!(
                " [`page_size(n)`](awsgen_runtime::Paginator::page_size) sets [`{}`]({}::{}) on every call.",
                crate::naming::bare(&m.field),
                op.input.rust_name,
                crate::naming::bare(&m.field)
            )
        });
        let docs = super::doc(&format!(
            "Every page of results, as a stream: each call sends this input with the token the previous page returned, until a page has none (or repeats one), or a call fails.{}{}",
            items.unwrap_or_default(),
            page_size.unwrap_or_default()
        ));
        quote! {
            #docs
            pub fn into_paginator(self) -> awsgen_runtime::Paginator<#marker> {
                awsgen_runtime::Paginator::new(self.client, self.inner)
            }
        }
    });
    quote! {
        #[doc = #doc]
        pub type #name = #input_builder<awsgen_runtime::ClientHandle>;

        impl #input_builder<awsgen_runtime::ClientHandle> {
            pub(crate) fn new(client: awsgen_runtime::ClientHandle) -> Self {
                #input_builder { inner: Default::default(), client }
            }

            /// Fills idempotency tokens, validates the input (as the client's validation
            /// mode says) and sends it, retrying as configured. Nothing is sent when
            /// validation fails.
            pub async fn send(self) -> Result<#output, awsgen_runtime::SdkError<#error>> {
                self.client.invoke::<#marker>(self.inner).await
            }

            #into_paginator
        }
    }
}

/// `validate(mode)`: the checks `send()` runs before any I/O, public so callers can
/// check an input without sending it.
fn validate_method(op: &OperationPlan, validators: &[ShapeValidator]) -> TokenStream {
    let check = super::validate::input_function(op, validators);
    let input = ident(&op.input.rust_name);
    let function = ident(&op.names.input_validator);
    let type_name = op.input.rust_name.as_str();
    quote! {
        impl #input {
            /// Checks this input against the model's constraints and reports every
            /// violation at once. [`ValidationMode::Off`](awsgen_runtime::ValidationMode::Off)
            /// checks nothing.
            pub fn validate(&self, mode: awsgen_runtime::ValidationMode) -> Result<(), awsgen_runtime::ValidationError> {
                awsgen_runtime::Validator::run(mode, #type_name, self, #function)
            }
        }
        #check
    }
}

fn module_docs(op: &OperationPlan) -> String {
    let summary = format!(
        "The `{}` operation ({} `{}`).",
        op.name,
        op.method,
        op.uri.replace('`', "'")
    );
    let summary = match &op.unsupported {
        Some(reason) => format!(
            "{summary}\n\n**Not supported yet:** {reason}. `send()` returns an error and sends nothing."
        ),
        None => summary,
    };
    if op.docs.is_empty() {
        summary
    } else {
        format!("{summary}\n\n{}", op.docs)
    }
}

/// One variant per modeled exception, plus `Unhandled` for anything else the service
/// returns (a new exception, a proxy's error page).
fn error_enum(op: &OperationPlan) -> TokenStream {
    let name = ident(&op.names.error_enum);
    let doc = format!(" The errors `{}` can return.", op.name);
    let variants: Vec<_> = op.errors.iter().map(|e| ident(&e.rust_name)).collect();
    let variant_docs = op
        .errors
        .iter()
        .map(|e| format!(" See [`{0}`](crate::types::error::{0}).", e.rust_name));
    let methods = error_methods(op);
    let traits = error_traits(op, &name);
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #variant_docs] #variants(crate::types::error::#variants),)*
            /// An error the model does not list for this operation.
            Unhandled(awsgen_runtime::Unhandled),
        }

        impl #name {
            #methods
        }

        #traits
    }
}

/// The error enum's methods: a test per variant, and the code, message and metadata.
fn error_methods(op: &OperationPlan) -> TokenStream {
    let variants: Vec<_> = op.errors.iter().map(|e| ident(&e.rust_name)).collect();
    let checkers = op.errors.iter().map(|e| {
        let variant = ident(&e.rust_name);
        let method = ident(&e.test_method);
        let doc = format!(
            " Whether this is a [`{}`](crate::types::error::{}).",
            e.rust_name, e.rust_name
        );
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        }
    });
    let codes = op.errors.iter().map(|e| e.code.as_str());
    // Exceptions' metadata comes through the trait; `Unhandled` has its own `meta()`.
    let import = (!op.errors.is_empty()).then(|| {
        quote!(
            use awsgen_runtime::ProvideErrorMetadata;
        )
    });
    quote! {
        #(#checkers)*

        /// The error inside and its metadata: what `meta`, `Display` and `source` read.
        fn inner(&self) -> (&(dyn std::error::Error + 'static), &awsgen_runtime::ErrorMetadata) {
            #import
            match self {
                #(Self::#variants(error) => (error, error.meta()),)*
                Self::Unhandled(unhandled) => (unhandled, unhandled.meta()),
            }
        }

        /// The error code: the exception's name, or the code the service sent.
        pub fn code(&self) -> Option<&str> {
            match self {
                #(Self::#variants(_) => Some(#codes),)*
                Self::Unhandled(unhandled) => unhandled.code(),
            }
        }

        /// The error message the service sent, if any.
        pub fn message(&self) -> Option<&str> {
            self.meta().message()
        }

        /// Code, message, HTTP status and request id of the error response (empty for
        /// an error built by hand).
        pub fn meta(&self) -> &awsgen_runtime::ErrorMetadata {
            self.inner().1
        }

        /// Whether the AWS SDKs' standard retry mode would retry this error.
        pub fn is_retryable(&self) -> bool {
            self.meta().is_retryable()
        }
    }
}

/// `ProvideErrorMetadata`, `Display` and `Error` for the error enum `name`.
fn error_traits(op: &OperationPlan, name: &proc_macro2::Ident) -> TokenStream {
    let source = if op.errors.is_empty() {
        quote!(None)
    } else {
        quote! {
            match self {
                Self::Unhandled(_) => None,
                _ => Some(self.inner().0),
            }
        }
    };
    quote! {
        impl awsgen_runtime::ProvideErrorMetadata for #name {
            fn meta(&self) -> &awsgen_runtime::ErrorMetadata {
                self.inner().1
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(self.inner().0, f)
            }
        }

        impl std::error::Error for #name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                #source
            }
        }
    }
}
