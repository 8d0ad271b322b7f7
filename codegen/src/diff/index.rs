//! What each model becomes: the generated items, types and names a change touches,
//! taken from the model's plan where the plan decides them.

use std::collections::BTreeSet;

use super::Side;
use crate::model::{Model, Shape, ShapeKind, ShapeRef};
use crate::naming;
use crate::plan::{Plan, StructurePlan, TypeDef};
use crate::reach::Reachability;

/// Where each shape is used, and what Rust item it becomes.
pub(super) struct Index<'m> {
    pub(super) model: &'m Model,
    pub(super) crate_name: &'m str,
    /// Shapes reachable from operation inputs (validated, serialized).
    pub(super) in_input: BTreeSet<&'m str>,
    /// Shapes reachable from outputs and errors (deserialized).
    pub(super) in_output: BTreeSet<&'m str>,
    /// What the generator makes of the model: which shapes become types, and the names
    /// of their items and variants.
    pub(super) plan: Plan,
}

impl<'m> Index<'m> {
    pub(super) fn new(side: &Side<'m>, crate_name: &'m str) -> Self {
        let reach = Reachability::of(side.model);
        Index {
            model: side.model,
            crate_name,
            plan: crate::plan::plan_reached(
                side.model,
                reach.clone(),
                side.customizations,
                side.paginators,
                Some(crate_name),
            ),
            in_input: reach.in_requests,
            in_output: reach.in_responses,
        }
    }

    pub(super) fn shape(&self, name: &str) -> Option<&'m Shape> {
        self.model.shapes.get(name)
    }

    /// The generated item(s) a shape becomes, as the plan names them; for scalars, the
    /// members that use it.
    pub(super) fn item(&self, name: &str) -> String {
        let krate = self.crate_name;
        let mut items = Vec::new();
        if let Some(error) = self.plan.errors.iter().find(|e| e.shape == name) {
            items.push(format!("{krate}::types::error::{}", error.rust_name));
        } else if let Some(rust_name) = self.type_name(name) {
            items.push(format!("{krate}::types::{rust_name}"));
        }
        for op in &self.plan.operations {
            for (structure, rust_name) in
                [(&op.input, &op.names.input), (&op.output, &op.names.output)]
            {
                if structure.shape == name {
                    items.push(format!("{}::{rust_name}", self.operation_item(&op.name)));
                }
            }
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

    /// The name of the `types` item the plan makes of a shape, if it makes one.
    fn type_name(&self, shape: &str) -> Option<&str> {
        self.plan.types.iter().find_map(|t| match t {
            TypeDef::Structure(s) | TypeDef::Union(s) if s.shape == shape => {
                Some(s.rust_name.as_str())
            }
            TypeDef::Enum(e) if e.shape == shape => Some(e.rust_name.as_str()),
            _ => None,
        })
    }

    /// The plan's name for a shape's type, or (for a shape the plan does not keep) the
    /// name the planner's rule gives it.
    fn planned_type_name(&self, shape: &str) -> String {
        self.type_name(shape)
            .map_or_else(|| naming::type_name(shape), str::to_owned)
    }

    /// The plan's structure for a shape: a type, an exception, or an operation's input or
    /// output.
    fn structure(&self, shape: &str) -> Option<&StructurePlan> {
        let types = self.plan.types.iter().filter_map(|t| match t {
            TypeDef::Structure(s) | TypeDef::Union(s) => Some(s),
            TypeDef::Enum(_) => None,
        });
        let operations = self
            .plan
            .operations
            .iter()
            .flat_map(|op| [&op.input, &op.output]);
        types
            .chain(&self.plan.errors)
            .chain(operations)
            .find(|s| s.shape == shape)
    }

    /// Whether the shape is a type of the `types` module: a structure, union or enum the
    /// plan keeps (one an operation reaches).
    pub(super) fn has_type_item(&self, name: &str) -> bool {
        self.type_name(name).is_some()
    }

    /// Whether the shape is an exception type of `types::error`.
    pub(super) fn has_error_item(&self, name: &str) -> bool {
        self.plan.errors.iter().any(|e| e.shape == name)
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
        format!(
            "{first}::{}",
            naming::bare(&self.member_field(parent, member))
        )
    }

    /// The field (getter, setter) name the plan gives a member; for a structure the plan
    /// does not keep, the name the planner's rule would give it.
    pub(super) fn member_field(&self, parent: &str, member: &str) -> String {
        let planned = self
            .structure(parent)
            .and_then(|s| s.members.iter().find(|m| m.name == member));
        match (planned, self.shape(parent)) {
            (Some(m), _) => m.field.clone(),
            (None, Some(shape)) => {
                naming::member_field(shape.members.keys().map(String::as_str), member)
            }
            (None, None) => naming::field_name(member),
        }
    }

    /// `Client::send_message`, as the plan names it.
    pub(super) fn client_method_item(&self, op: &str) -> String {
        let method = match self.plan.operations.iter().find(|o| o.name == op) {
            Some(planned) => planned.names.client_method.clone(),
            None => naming::operation_module(op),
        };
        format!("Client::{}", naming::bare(&method))
    }

    /// An operation's error enum, input or output type, as the plan names them.
    pub(super) fn operation_names(&self, op: &str) -> crate::plan::OperationNames {
        match self.plan.operations.iter().find(|o| o.name == op) {
            Some(planned) => planned.names.clone(),
            None => crate::plan::names::operation(op),
        }
    }

    /// The error enum variant (and `types::error` type) the plan makes of an exception.
    pub(super) fn error_variant(&self, shape: &str) -> String {
        match self.plan.errors.iter().find(|e| e.shape == shape) {
            Some(error) => error.rust_name.clone(),
            None => naming::type_name(shape),
        }
    }

    pub(super) fn operation_item(&self, op: &str) -> String {
        let module = match self.plan.operations.iter().find(|o| o.name == op) {
            Some(planned) => planned.names.module.clone(),
            None => naming::operation_module(op),
        };
        format!("{}::operation::{}", self.crate_name, naming::bare(&module))
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
                format!("types::{}", self.planned_type_name(name))
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
            ShapeKind::Structure => format!("types::{}", self.planned_type_name(name)),
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
