//! What each model becomes: the generated items, types and names a change touches,
//! taken from the model's plan where the plan decides them.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Customizations, Model, Shape, ShapeKind, ShapeRef};
use crate::naming;
use crate::plan::{Plan, TypeDef};

/// Where each shape is used, and what Rust item it becomes.
pub(super) struct Index<'m> {
    pub(super) model: &'m Model,
    pub(super) crate_name: &'m str,
    /// Shapes reachable from operation inputs (validated, serialized).
    pub(super) in_input: BTreeSet<&'m str>,
    /// Shapes reachable from outputs and errors (deserialized).
    pub(super) in_output: BTreeSet<&'m str>,
    /// Operation inputs and outputs: shape → [(operation, "Input" | "Output")].
    pub(super) operation_io: BTreeMap<&'m str, Vec<(&'m str, &'static str)>>,
    pub(super) exceptions: BTreeSet<&'m str>,
    /// What the generator makes of the model: which shapes become types, and the names
    /// of their items and variants.
    pub(super) plan: Plan,
}

impl<'m> Index<'m> {
    pub(super) fn new(model: &'m Model, crate_name: &'m str) -> Self {
        let mut operation_io: BTreeMap<&str, Vec<(&str, &'static str)>> = BTreeMap::new();
        for (name, op) in &model.operations {
            if let Some(input) = &op.input {
                operation_io
                    .entry(&input.shape)
                    .or_default()
                    .push((name, "Input"));
            }
            if let Some(output) = &op.output {
                operation_io
                    .entry(&output.shape)
                    .or_default()
                    .push((name, "Output"));
            }
        }
        let ops = || model.operations.values();
        Index {
            model,
            crate_name,
            in_input: model.reachable_from(
                ops()
                    .filter_map(|op| op.input.as_ref())
                    .map(|r| r.shape.as_str()),
            ),
            in_output: model.reachable_from(
                ops()
                    .flat_map(|op| op.output.iter().chain(&op.errors))
                    .map(|r| r.shape.as_str()),
            ),
            operation_io,
            plan: crate::plan::plan(model, &Customizations::default(), crate_name),
            exceptions: ops()
                .flat_map(|op| op.errors.iter().map(|e| e.shape.as_str()))
                .collect(),
        }
    }

    pub(super) fn shape(&self, name: &str) -> Option<&'m Shape> {
        self.model.shapes.get(name)
    }

    /// The generated item(s) a shape becomes; for scalars, the members that use it.
    pub(super) fn item(&self, name: &str) -> String {
        let krate = self.crate_name;
        let mut items = Vec::new();
        if self.exceptions.contains(name) {
            items.push(format!(
                "{krate}::types::error::{}",
                naming::type_name(name)
            ));
        } else if self.has_type_item(name) {
            items.push(format!("{krate}::types::{}", naming::type_name(name)));
        }
        for (op, suffix) in self.operation_io.get(name).into_iter().flatten() {
            items.push(format!(
                "{krate}::operation::{}::{}{suffix}",
                naming::bare(&naming::operation_module(op)),
                naming::camel(op)
            ));
        }
        if items.is_empty() {
            items = self.users(name);
        }
        if items.is_empty() {
            format!("(no generated item: {name} is not used)")
        } else {
            items.join(", ")
        }
    }

    /// Whether the shape is a type of the `types` module: a structure, union or enum the
    /// plan keeps (one an operation reaches).
    pub(super) fn has_type_item(&self, name: &str) -> bool {
        self.plan.types.iter().any(|t| match t {
            TypeDef::Structure(s) | TypeDef::Union(s) => s.shape == name,
            TypeDef::Enum(e) => e.shape == name,
        })
    }

    /// The variant the plan gives an enum value (`Unknown` → `UnknownValue`, repeats
    /// numbered); a value of an enum the plan does not keep gets its plain name.
    pub(super) fn enum_variant(&self, shape: &str, value: &str) -> String {
        self.plan
            .types
            .iter()
            .find_map(|t| match t {
                TypeDef::Enum(e) if e.shape == shape => e
                    .variants
                    .iter()
                    .find(|v| v.value == value)
                    .map(|v| v.rust_name.clone()),
                _ => None,
            })
            .unwrap_or_else(|| naming::camel(value))
    }

    /// The members (as Rust paths) whose type or checks come from this shape.
    pub(super) fn users(&self, name: &str) -> Vec<String> {
        let mut users = Vec::new();
        for (parent, shape) in &self.model.shapes {
            for (member, reference) in &shape.members {
                if reference.shape == name {
                    users.push(self.member_item(parent, member));
                }
            }
            for reference in shape.element_references() {
                if reference.shape == name && parent != name {
                    users.push(self.item(parent));
                }
            }
        }
        users.sort();
        users.dedup();
        users
    }

    pub(super) fn member_item(&self, parent: &str, member: &str) -> String {
        let parent_item = self.item(parent);
        let first = parent_item
            .split(", ")
            .next()
            .unwrap_or(&parent_item)
            .to_owned();
        let field = match self.shape(parent) {
            Some(shape) => naming::member_field(shape.members.keys().map(String::as_str), member),
            None => naming::field_name(member),
        };
        format!("{first}::{}", naming::bare(&field))
    }

    pub(super) fn operation_item(&self, op: &str) -> String {
        format!(
            "{}::operation::{}",
            self.crate_name,
            naming::bare(&naming::operation_module(op))
        )
    }

    /// Whether anything in the generated crate depends on the shape.
    pub(super) fn is_used(&self, name: &str) -> bool {
        self.in_input.contains(name) || self.in_output.contains(name)
    }

    /// The Rust type a reference to the shape has, to tell a harmless retarget from one
    /// that changes a field's type.
    pub(super) fn rust_type(&self, name: &str) -> String {
        let Some(shape) = self.shape(name) else {
            return format!("?{name}");
        };
        match &shape.kind {
            ShapeKind::String | ShapeKind::Character if shape.enum_values.is_some() => {
                format!("types::{}", naming::type_name(name))
            }
            ShapeKind::String | ShapeKind::Character => "String".to_owned(),
            ShapeKind::Boolean => "bool".to_owned(),
            ShapeKind::Byte => "i8".to_owned(),
            ShapeKind::Short => "i16".to_owned(),
            ShapeKind::Integer => "i32".to_owned(),
            ShapeKind::Long => "i64".to_owned(),
            ShapeKind::Float => "f32".to_owned(),
            ShapeKind::Double => "f64".to_owned(),
            ShapeKind::Timestamp => "DateTime".to_owned(),
            ShapeKind::Blob => "Blob".to_owned(),
            ShapeKind::Structure if shape.document => "Document".to_owned(),
            ShapeKind::Structure => format!("types::{}", naming::type_name(name)),
            ShapeKind::List { member } => format!("Vec<{}>", self.rust_type(&member.shape)),
            ShapeKind::Map { key, value } => format!(
                "HashMap<{}, {}>",
                self.rust_type(&key.shape),
                self.rust_type(&value.shape)
            ),
        }
    }
}

/// A list's member or a map's key and value, by the model key that holds them.
pub(super) fn elements(kind: &ShapeKind) -> [(&'static str, Option<&ShapeRef>); 2] {
    match kind {
        ShapeKind::List { member } => [("member", Some(member)), ("value", None)],
        ShapeKind::Map { key, value } => [("key", Some(key)), ("value", Some(value))],
        _ => [("member", None), ("value", None)],
    }
}

pub(super) fn speaks_rest_json(metadata: &crate::model::Metadata) -> bool {
    metadata.protocol == "rest-json" || metadata.protocols.iter().any(|p| p == "rest-json")
}
