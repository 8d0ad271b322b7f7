//! `src/client.rs`: the `Client`, one method per operation returning its fluent builder.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::plan::Plan;

/// `per_operation_endpoints`: the rule set makes the endpoint depend on the operation, so
/// the client resolves none up front.
pub fn client_rs(plan: &Plan, per_operation_endpoints: bool) -> TokenStream {
    let title = plan.service.title.as_str();
    let client_doc = format!(
        " A client for {title}. Cheap to clone: clones share one connection pool and one retry quota."
    );
    let methods = operation_methods(plan);
    let new_and_endpoint = constructor(per_operation_endpoints);
    quote! {
        //! The service client.

        /// This crate as the user agent names it.
        pub(crate) const API: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            pub(crate) handle: awsgen_runtime::ClientHandle,
        }

        impl Client {
            #new_and_endpoint

            /// The configuration this client was built with.
            pub fn config(&self) -> &awsgen_runtime::Config {
                self.handle.config()
            }

            #methods
        }
    }
}

/// One method per operation, returning its fluent builder.
fn operation_methods(plan: &Plan) -> TokenStream {
    let methods = plan.operations.iter().map(|op| {
        let method = ident(&op.names.module);
        let module = ident(&op.names.module);
        let builder = ident(&op.names.fluent_builder);
        let doc = format!(
            " Starts a [`{}`](crate::operation::{}) call: set its members, then `.send().await`.",
            op.name, op.names.client_method
        );
        let deprecated = super::deprecated(&op.deprecated);
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #method(&self) -> crate::operation::#module::#builder {
                crate::operation::#module::#builder::new(self.handle.clone())
            }
        }
    });
    quote!(#(#methods)*)
}

/// `new`, and where the endpoint is resolved once, `endpoint` and `resolved_endpoint`.
fn constructor(per_operation_endpoints: bool) -> TokenStream {
    if per_operation_endpoints {
        quote! {
            /// A client for `config`. Each operation resolves its endpoint when it is
            /// called (the endpoint rules depend on the operation), so a configuration the
            /// rules reject fails the call, not this.
            pub fn new(config: &awsgen_runtime::Config) -> Result<Self, awsgen_runtime::ConfigError> {
                Ok(Client { handle: awsgen_runtime::ClientHandle::new(config.clone(), None, API) })
            }
        }
    } else {
        quote! {
            /// A client for `config`. The endpoint is resolved here, once: a configuration
            /// the endpoint rules reject (FIPS with a custom endpoint, no region) is an error
            /// now rather than on every call.
            pub fn new(config: &awsgen_runtime::Config) -> Result<Self, awsgen_runtime::ConfigError> {
                let endpoint = crate::endpoint::resolve(&crate::endpoint::Params::from_config(config))?;
                Ok(Client { handle: awsgen_runtime::ClientHandle::new(config.clone(), Some(endpoint), API) })
            }

            /// The resolved endpoint URL requests go to.
            pub fn endpoint(&self) -> &str {
                self.handle.endpoint().map_or("", |endpoint| endpoint.url())
            }

            /// The resolved endpoint, with the rule set's properties (such as
            /// `authSchemes`) for it.
            pub fn resolved_endpoint(&self) -> Option<&awsgen_runtime::endpoint::Endpoint> {
                self.handle.endpoint()
            }
        }
    }
}
