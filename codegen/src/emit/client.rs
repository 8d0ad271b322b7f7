//! `src/client.rs`: the `Client`, one method per operation returning its fluent builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::naming::bare;
use crate::plan::Plan;

pub fn client_rs(plan: &Plan) -> TokenStream {
    let title = plan.service.title.as_str();
    let client_doc = format!(
        " A client for {title}. Cheap to clone: clones share one connection pool and one retry quota."
    );
    let methods = plan.operations.iter().map(|op| {
        let method = ident(&op.module);
        let module = ident(&op.module);
        let builder = format_ident!("{}FluentBuilder", crate::naming::camel(&op.name));
        let doc = format!(
            " Starts a [`{}`](crate::operation::{}) call: set its members, then `.send().await`.",
            op.name,
            bare(&op.module)
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
    quote! {
        //! The service client.

        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: awsgen_runtime::ClientHandle,
        }

        impl Client {
            /// A client for `config`. The endpoint is resolved here, once: a configuration
            /// the endpoint rules reject (FIPS with a custom endpoint, no region) is an error
            /// now rather than on every call.
            pub fn new(config: &awsgen_runtime::Config) -> Result<Self, awsgen_runtime::ConfigError> {
                let endpoint = crate::endpoint::resolve(&crate::endpoint::Params::from_config(config))?;
                Ok(Client { handle: awsgen_runtime::ClientHandle::new(config.clone(), endpoint) })
            }

            /// The configuration this client was built with.
            pub fn config(&self) -> &awsgen_runtime::Config {
                self.handle.config()
            }

            /// The resolved endpoint URL requests go to.
            pub fn endpoint(&self) -> &str {
                self.handle.endpoint()
            }

            #(#methods)*
        }
    }
}
