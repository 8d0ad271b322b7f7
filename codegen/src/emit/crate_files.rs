//! The crate's frame: `Cargo.toml`, `src/lib.rs` and `src/operation.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, inner_doc, GeneratedFile, RuntimeDependency, HEADER};
use crate::plan::{OperationPlan, Plan, RustType};

/// The oldest Rust that builds generated code and the runtime: the workspace's
/// `rust-version` (a test keeps the two equal).
pub const RUST_VERSION: &str = "1.85";

/// The version of `awsgen-runtime` generated code is written against: the generator and
/// the runtime are released together (a test keeps this equal to `runtime/Cargo.toml`).
pub const RUNTIME_VERSION: &str = "0.1.0";

pub fn manifest(plan: &Plan, runtime: &RuntimeDependency) -> GeneratedFile {
    // TOML, not Rust: plain text is the right tool here.
    let description = format!(
        "A Rust client for {}, generated from its botocore model.",
        plan.service.title
    )
    .replace('\\', "\\\\")
    .replace('"', "\\\"");
    // Runtime features only the models that use them pay for.
    let features: Vec<&str> = [
        ("checksums", plan.operations.iter().any(|op| op.content_md5)),
        (
            "compression",
            plan.operations.iter().any(|op| op.gzip_request),
        ),
        ("patterns", plan.uses_patterns()),
    ]
    .into_iter()
    .filter_map(|(feature, used)| used.then_some(feature))
    .collect();
    let features = if features.is_empty() {
        String::new()
    } else {
        format!(", features = {features:?}")
    };
    let contents = format!(
        "# {HEADER}\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"{version}\"\n\
         edition = \"2021\"\n\
         rust-version = \"{RUST_VERSION}\"\n\
         description = \"{description}\"\n\
         license = \"Apache-2.0\"\n\
         readme = \"README.md\"\n\
         \n\
         [package.metadata.docs.rs]\n\
         all-features = true\n\
         \n\
         [dependencies]\n\
         awsgen-runtime = {{ path = {path:?}, version = \"{RUNTIME_VERSION}\"{features} }}\n\
         \n\
         [features]\n\
         # `Serialize` and `Deserialize` on every type, input and output (no extra crate).\n\
         serde = []\n\
         # `Client::mock` and `mock::Mock`: scripted replies for users' tests, no network.\n\
         test-util = [\"awsgen-runtime/test-util\"]\n",
        name = plan.crate_name,
        version = plan.crate_version,
        path = runtime.path,
    );
    GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents,
    }
}

/// The front page's first example: a client, and a call to one operation (a paginated
/// one if there is any, else the one with the fewest required members), its required
/// string members set to placeholders. A doc test, so `cargo test` compiles it.
fn quick_start(plan: &Plan, has_endpoint_rules: bool) -> String {
    let krate = &plan.crate_name;
    let callable = plan.operations.iter().filter(|op| op.unsupported.is_none());
    let required = |op: &&OperationPlan| {
        op.input
            .members
            .iter()
            .filter(|m| m.required && !m.idempotency_token)
            .count()
    };
    let paginated = callable.clone().find(|op| op.paginator.is_some());
    let Some(op) = paginated.or_else(|| callable.min_by_key(required)) else {
        return String::new();
    };
    let endpoint = if has_endpoint_rules {
        ""
    } else {
        ".endpoint_url(\"https://example.com\")"
    };
    let setters: String = op
        .input
        .members
        .iter()
        .filter(|m| m.required && !m.idempotency_token && m.ty == RustType::String)
        .map(|m| format!("\n    .{}(\"...\")", m.field))
        .collect();
    let call = format!("client\n    .{}(){setters}", op.names.client_method);
    let body = if op.paginator.is_some() {
        format!(
            "// Every page of results, each call carrying the token the last page returned.\n\
             let mut pages = {call}\n    .into_paginator();\n\
             while let Some(page) = pages.next().await {{\n    println!(\"{{:?}}\", page?);\n}}"
        )
    } else {
        format!("let output = {call}\n    .send()\n    .await?;\nprintln!(\"{{output:?}}\");")
    };
    format!(
        "## Quick start\n\n\
         ```no_run\n\
         # async fn quick_start() -> Result<(), Box<dyn std::error::Error>> {{\n\
         // Settings from code, or from the environment (`AWS_REGION`, ...).\n\
         let config = {krate}::Config::from_env().region(\"us-east-1\"){endpoint}.build()?;\n\
         // One client for the application: clones share its connection pool.\n\
         let client = {krate}::Client::new(&config)?;\n\
         {body}\n\
         # Ok(())\n\
         # }}\n\
         ```"
    )
}

/// The crate's front page: what it is, the quick start, what it cannot do (operations
/// not callable, patterns not checked, no endpoint rules), the service's own docs, the
/// features.
fn front_page(plan: &Plan, has_endpoint_rules: bool) -> String {
    let title = format!("# {}", plan.service.title);
    let api = format!(
        "Generated from the botocore model of `{}` (API version {}). Operations are in\n[`operation`], one module each; shared shapes are in [`types`].",
        plan.service.service_id, plan.service.api_version
    );
    let mut text = format!(
        "{title}\n\n{api}\n\n{}",
        quick_start(plan, has_endpoint_rules)
    );
    for section in [unsupported_section(plan), unchecked_patterns_section(plan)]
        .into_iter()
        .flatten()
    {
        text.push_str(&section);
    }
    if !has_endpoint_rules {
        text.push_str(
            "\n\nThis crate was generated without an endpoint rule set: every client needs an\n\
             endpoint URL (`Config::builder().endpoint_url(..)` or `AWS_ENDPOINT_URL`).",
        );
    }
    if !plan.service.docs.is_empty() {
        text = format!("{text}\n\n{}", plan.service.docs);
    }
    text.push_str(
        "\n\n## Features\n\n\
         - `serde`: `Serialize` and `Deserialize` on every type in [`types`] and every\n  \
         operation input and output, with every member under its model name (unset members\n  \
         left out; a response's request id and an error's metadata are not part of it).\n  \
         Adds no crate.\n\
         - `test-util`: `Client::mock` and `mock::Mock`: scripted replies for tests, no\n  \
         network.",
    );
    text
}

/// The operations this client cannot call yet, and why; `None` when it can call all.
fn unsupported_section(plan: &Plan) -> Option<String> {
    let unsupported: Vec<String> = plan
        .operations
        .iter()
        .filter_map(|op| {
            let reason = op.unsupported.as_ref()?;
            Some(format!(
                "- [`{}`](operation::{}): {reason}.",
                op.name, op.names.client_method
            ))
        })
        .collect();
    (!unsupported.is_empty()).then(|| {
        format!(
            "\n\n## Operations this client cannot call yet\n\nTheir `send()` returns an error and sends nothing.\n\n{}",
            unsupported.join("\n")
        )
    })
}

/// The model's patterns the client cannot check; `None` when it checks them all.
fn unchecked_patterns_section(plan: &Plan) -> Option<String> {
    let list: Vec<String> = plan
        .unchecked_patterns
        .iter()
        .map(|p| {
            let pattern = p.pattern.replace('`', "'");
            format!("- `{}`: `{pattern}` ({})", p.shape, p.error)
        })
        .collect();
    (!list.is_empty()).then(|| {
        format!(
            "\n\n## Patterns not checked on the client\n\nThe model writes these for a Java regex engine; this client's cannot compile them,\nso values are not checked against them before sending (the service still checks).\n\n{}",
            list.join("\n")
        )
    })
}

pub fn lib_rs(plan: &Plan, has_endpoint_rules: bool) -> TokenStream {
    let text = front_page(plan, has_endpoint_rules);
    let docs = inner_doc(&text);
    // Only when some shape has constraints: otherwise there is no `validate.rs`.
    let validate = (!plan.validators.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            mod validate;
        }
    });
    let credentials = plan.signs().then(|| {
        quote! {
            /// What signed requests are signed with: see `ConfigBuilder::credentials` and
            /// `ConfigBuilder::credentials_provider`.
            pub use awsgen_runtime::{Credentials, CredentialsError, ProvideCredentials};
        }
    });
    quote! {
        #docs
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![forbid(unsafe_code)]
        // The model may deprecate items that the crate itself still has to refer to;
        // callers still get the warning where they use them.
        #![allow(deprecated)]

        // Formatted by prettyplease at generation time; rustfmt would disagree with it
        // and make `cargo xtask codegen --check` fail.
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod endpoint;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod types;
        #validate
        #[rustfmt::skip]
        mod wire;
        #[rustfmt::skip]
        #[cfg(feature = "test-util")]
        pub mod mock;

        pub use client::Client;
        pub use awsgen_runtime::{BuildError, Config, ConfigBuilder, ConfigError, SdkError, ValidationError, ValidationMode};
        #credentials
    }
}

/// `README.md`, the package's front page on a registry: what the crate is and where its
/// documentation starts (the crate docs hold the quick start, which is compiled).
pub fn readme(plan: &Plan) -> GeneratedFile {
    let contents = format!(
        "<!-- {HEADER} -->\n\
         # {name}\n\n\
         A Rust client for {title} (API version {api_version}), generated by awsgen from its\n\
         botocore model. The crate documentation starts with a quick start and lists every\n\
         operation.\n\n\
         Features: `serde` (`Serialize` and `Deserialize` on every type, input and output, under\n\
         the model's member names) and `test-util` (`Client::mock`: scripted replies, no\n\
         network).\n",
        name = plan.crate_name,
        title = plan.service.title,
        api_version = plan.service.api_version,
    );
    GeneratedFile {
        path: "README.md".to_owned(),
        contents,
    }
}

pub fn operation_rs(plan: &Plan) -> TokenStream {
    let modules = plan.operations.iter().map(|op| {
        let module = ident(&op.names.module);
        let doc = format!(" The `{}` operation.", op.name);
        let deprecated = super::deprecated(&op.deprecated);
        quote!(#[doc = #doc] #deprecated pub mod #module;)
    });
    quote! {
        //! One module per operation: its input (and builder), output and error enum.
        #(#modules)*
    }
}
