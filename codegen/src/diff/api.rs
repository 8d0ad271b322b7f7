//! The public API a plan generates, item by item: every path a caller can name (types,
//! builders, getters, setters, enum and union variants, error enums and their tests,
//! operation modules and client methods) with what it is. Two plans' APIs differ exactly
//! where the generated crate does, so the differ can report what no model rule saw (a
//! builder renamed because a new shape took its name, a field renamed by a collision).

use std::collections::BTreeMap;

use crate::naming::bare;
use crate::plan::{OperationPlan, Plan, RustType, StructurePlan, TypeDef, TypeModule};

/// One public item: what it is, and the model element it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ApiItem {
    /// `struct`, `fn(&self) -> Option<String>`, `variant`, ...
    pub(super) signature: String,
    /// The model path it comes from: `shapes.ChatItem`, `operations.SendMessage`.
    pub(super) origin: String,
}

/// Every public item of the crate a plan generates, by its Rust path.
pub(super) type Api = BTreeMap<String, ApiItem>;

pub(super) fn api(plan: &Plan) -> Api {
    let krate = &plan.crate_name;
    let mut api = Api::new();
    let mut add = |path: String, signature: String, origin: &str| {
        let origin = origin.to_owned();
        api.insert(path, ApiItem { signature, origin });
    };
    for op in &plan.operations {
        operation(&mut add, krate, op);
    }
    for def in &plan.types {
        type_def(&mut add, &format!("{krate}::types"), def);
    }
    for error in &plan.errors {
        let origin = format!("shapes.{}", error.shape);
        structure(&mut add, &format!("{krate}::types::error"), error, &origin);
    }
    api
}

/// An operation's items: its client method, module, fluent builder, error enum (a
/// variant and a test per error), paginator, input and output.
fn operation(add: &mut impl FnMut(String, String, &str), krate: &str, op: &OperationPlan) {
    let origin = format!("operations.{}", op.name);
    let names = &op.names;
    let module = format!("{krate}::operation::{}", bare(&names.module));
    add(
        format!("{krate}::Client::{}", bare(&names.client_method)),
        format!("fn() -> {}", names.fluent_builder),
        &origin,
    );
    add(module.clone(), "module".to_owned(), &origin);
    add(
        format!("{module}::{}", names.fluent_builder),
        format!("type = {}<ClientHandle>", names.input_builder),
        &origin,
    );
    let error_enum = format!("{module}::{}", names.error_enum);
    add(error_enum.clone(), "enum".to_owned(), &origin);
    for error in &op.errors {
        add(
            format!("{error_enum}::{}", error.rust_name),
            format!("variant(types::error::{})", error.rust_name),
            &origin,
        );
        add(
            format!("{error_enum}::{}", bare(&error.test_method)),
            "fn(&self) -> bool".to_owned(),
            &origin,
        );
    }
    if let Some(paginator) = &op.paginator {
        let items = match paginator.items.as_ref().and_then(|path| path.last()) {
            Some(last) => match &last.ty {
                RustType::List(item) => format!(", items: {}", type_text(item.as_ref())),
                _ => String::new(),
            },
            None => String::new(),
        };
        let page_size = if paginator.page_size.is_some() {
            ", page_size"
        } else {
            ""
        };
        add(
            format!("{module}::{}::into_paginator", names.input_builder),
            format!("fn() -> Paginator<{}>{items}{page_size}", names.rust_name),
            &origin,
        );
    }
    // An operation without an input or output shape has a synthetic one: it is the
    // operation's.
    for (part, s) in [("input", &op.input), ("output", &op.output)] {
        let origin = match s.shape.as_str() {
            "" => format!("{origin}.{part}"),
            shape => format!("shapes.{shape}"),
        };
        structure(add, &module, s, &origin);
    }
}

/// A type of the `types` module: a structure, a union and its variants, or an enum and
/// its variants.
fn type_def(add: &mut impl FnMut(String, String, &str), module: &str, def: &TypeDef) {
    match def {
        TypeDef::Structure(s) => {
            structure(add, module, s, &format!("shapes.{}", s.shape));
        }
        TypeDef::Union(u) => {
            let origin = format!("shapes.{}", u.shape);
            add(
                format!("{module}::{}", u.rust_name),
                "union enum".to_owned(),
                &origin,
            );
            for m in &u.members {
                add(
                    format!("{module}::{}::{}", u.rust_name, m.variant),
                    format!("variant({})", type_text(&m.ty)),
                    &origin,
                );
            }
        }
        TypeDef::Enum(e) => {
            let origin = format!("shapes.{}", e.shape);
            add(
                format!("{module}::{}", e.rust_name),
                "enum".to_owned(),
                &origin,
            );
            for v in &e.variants {
                add(
                    format!("{module}::{}::{}", e.rust_name, v.rust_name),
                    format!("variant = {:?}", v.value),
                    &origin,
                );
            }
        }
    }
}

/// A structure, its getters, its builder and the builder's setters and getters, each
/// traced to the model path `origin`.
fn structure(
    add: &mut impl FnMut(String, String, &str),
    module: &str,
    s: &StructurePlan,
    origin: &str,
) {
    let path = format!("{module}::{}", s.rust_name);
    let builder = format!("{module}::{}", s.builder);
    add(path.clone(), "struct".to_owned(), origin);
    add(
        builder.clone(),
        format!("builder of {}", s.rust_name),
        origin,
    );
    for m in &s.members {
        let ty = type_text(&m.ty);
        let field = bare(&m.field);
        add(
            format!("{path}::{field}"),
            format!("getter -> {ty}"),
            origin,
        );
        add(
            format!("{builder}::{field}"),
            format!("setter({ty})"),
            origin,
        );
        add(
            format!("{builder}::{}", bare(&m.setter)),
            format!("setter(Option<{ty}>)"),
            origin,
        );
        add(
            format!("{builder}::{}", bare(&m.getter)),
            format!("getter -> Option<{ty}>"),
            origin,
        );
    }
}

/// A Rust type as a message shows it: `String`, `Vec<types::ChatItem>`.
fn type_text(ty: &RustType) -> String {
    match ty {
        RustType::String => "String".to_owned(),
        RustType::Bool => "bool".to_owned(),
        RustType::Byte => "i8".to_owned(),
        RustType::Short => "i16".to_owned(),
        RustType::Int => "i32".to_owned(),
        RustType::Long => "i64".to_owned(),
        RustType::Float => "f32".to_owned(),
        RustType::Double => "f64".to_owned(),
        RustType::Timestamp => "DateTime".to_owned(),
        RustType::Blob => "Blob".to_owned(),
        RustType::Document => "Document".to_owned(),
        RustType::Named(path) => match path.module {
            TypeModule::Types => format!("types::{}", path.name),
            TypeModule::Errors => format!("types::error::{}", path.name),
        },
        RustType::List(element) => format!("Vec<{}>", type_text(element)),
        RustType::Map(key, value) => {
            format!("HashMap<{}, {}>", type_text(key), type_text(value))
        }
    }
}
