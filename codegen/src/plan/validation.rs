//! The validation pass: which shapes reachable from operation inputs carry constraints,
//! and the checks to generate for each. Responses are never validated, so shapes reached
//! only from outputs get nothing.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{HttpLocation, Model, Shape, ShapeKind, ShapeRef};
use crate::naming;
use crate::pattern;

use super::{Location, MemberPlan, RustType};

/// A generated `validate::<function>` for one constrained shape.
#[derive(Debug, Clone)]
pub struct ShapeValidator {
    pub shape: String,
    pub function: String,
    pub check: Check,
}

#[derive(Debug, Clone)]
pub enum Check {
    String {
        min: Option<u64>,
        max: Option<u64>,
        /// The pattern as the runtime compiles it (see [`crate::pattern`]).
        pattern: Option<String>,
    },
    Enum {
        rust_name: String,
    },
    Int {
        min: Option<i64>,
        max: Option<i64>,
        ty: RustType,
    },
    Float {
        min: Option<f64>,
        max: Option<f64>,
        ty: RustType,
    },
    Blob {
        min: Option<u64>,
        max: Option<u64>,
    },
    List {
        min: Option<u64>,
        max: Option<u64>,
        element_ty: RustType,
        element: Option<String>,
    },
    Map {
        min: Option<u64>,
        max: Option<u64>,
        key_ty: RustType,
        value_ty: RustType,
        key: Option<String>,
        value: Option<String>,
    },
    Structure {
        rust_name: String,
        members: Vec<MemberCheck>,
    },
    Union {
        rust_name: String,
        /// Variant name and the validator of its value, if any.
        variants: Vec<(String, Option<String>)>,
    },
}

impl Check {
    /// Scalar and collection validators take the `sensitive` flag of the member they are
    /// called for; structures and unions decide per member.
    pub fn takes_sensitive(&self) -> bool {
        !matches!(self, Check::Structure { .. } | Check::Union { .. })
    }
}

/// The checks on one member of a validated structure.
#[derive(Debug, Clone)]
pub struct MemberCheck {
    pub name: String,
    pub field: String,
    /// Required and not an idempotency token (the client fills those in).
    pub required: bool,
    /// Bound to a URI label: must not be empty.
    pub uri_label: bool,
    pub sensitive: bool,
    pub ty: RustType,
    /// The validator of the member's target shape, if it has constraints.
    pub validator: Option<String>,
    pub boxed: bool,
}

pub struct ValidationPlanner<'m> {
    model: &'m Model,
    needs: BTreeSet<&'m str>,
    functions: BTreeMap<&'m str, String>,
    /// Each input-reachable pattern, compiled once: the form the runtime compiles, or
    /// why the engine cannot (then it is reported, not checked).
    patterns: BTreeMap<&'m str, Result<String, String>>,
}

impl<'m> ValidationPlanner<'m> {
    /// Finds the constrained shapes among those reachable from operation inputs.
    /// `inside_inputs`: the shapes reachable from inside operation inputs
    /// ([`Reachability::inside_inputs`](crate::reach::Reachability)).
    pub fn new(model: &'m Model, inside_inputs: BTreeSet<&'m str>) -> Self {
        let reachable = inside_inputs;
        let patterns: BTreeMap<&str, Result<String, String>> = reachable
            .iter()
            .filter_map(|name| {
                let text = model.shapes[*name].pattern.as_deref()?;
                let ecmascript = pattern::to_ecmascript(text);
                Some((*name, pattern::compile(&ecmascript).map(|_| ecmascript)))
            })
            .collect();
        let checked_pattern = |name: &str| patterns.get(name).is_some_and(Result::is_ok);
        // Fixpoint: a container needs validation when anything inside it does; cycles
        // settle because the set only grows.
        let mut needs: BTreeSet<&str> = BTreeSet::new();
        loop {
            let before = needs.len();
            for name in &reachable {
                let shape = &model.shapes[*name];
                if !needs.contains(name) && shape_needs(model, shape, checked_pattern(name), &needs)
                {
                    needs.insert(name);
                }
            }
            if needs.len() == before {
                break;
            }
        }
        let mut used = BTreeSet::new();
        let functions = needs
            .iter()
            .map(|name| {
                // The prefix keeps these apart from locals (`value`, `path`) and from the
                // `input_*` functions of operation inputs.
                let base = format!("shape_{}", naming::snake(name));
                let mut function = base.clone();
                let mut n = 2;
                while !used.insert(function.clone()) {
                    function = format!("{base}_{n}");
                    n += 1;
                }
                (*name, naming::escape_ident(&function))
            })
            .collect();
        ValidationPlanner {
            model,
            needs,
            functions,
            patterns,
        }
    }

    /// The input patterns the client cannot check, by shape.
    pub fn unchecked_patterns(&self) -> Vec<UncheckedPattern> {
        self.patterns
            .iter()
            .filter_map(|(shape, compiled)| {
                let error = compiled.as_ref().err()?;
                Some(UncheckedPattern {
                    shape: (*shape).to_owned(),
                    pattern: self.model.shapes[*shape]
                        .pattern
                        .clone()
                        .unwrap_or_default(),
                    error: error.clone(),
                })
            })
            .collect()
    }

    pub fn function(&self, shape: &str) -> Option<String> {
        self.functions.get(shape).cloned()
    }

    /// The member checks of an operation input or a validated structure; members with
    /// nothing to check are left out.
    pub fn member_checks(&self, members: &[MemberPlan]) -> Vec<MemberCheck> {
        members
            .iter()
            .map(|m| MemberCheck {
                name: m.name.clone(),
                field: m.field.clone(),
                required: m.required && !m.idempotency_token,
                uri_label: matches!(m.location, Location::Uri { .. }) && m.ty == RustType::String,
                sensitive: m.sensitive,
                ty: m.ty.clone(),
                validator: self.function(&m.target),
                boxed: m.boxed,
            })
            .filter(|c| c.required || c.uri_label || c.validator.is_some())
            .collect()
    }

    /// One validator per constrained shape, sorted by function name. Structures need
    /// their members planned, which the caller supplies.
    /// A pattern the runtime's engine cannot compile is left out (see
    /// [`Self::unchecked_patterns`]).
    pub fn validators(
        &self,
        rust_type: impl Fn(&str) -> RustType,
        members_of: impl Fn(&str) -> Vec<MemberPlan>,
    ) -> Vec<ShapeValidator> {
        let mut validators = Vec::new();
        for name in &self.needs {
            let shape = &self.model.shapes[*name];
            let function = |r: &ShapeRef| self.function(&r.shape);
            let check = match &shape.kind {
                ShapeKind::String | ShapeKind::Character if shape.enum_values.is_some() => {
                    Check::Enum {
                        rust_name: naming::type_name(name),
                    }
                }
                ShapeKind::String | ShapeKind::Character => Check::String {
                    min: unsigned(&shape.min),
                    max: unsigned(&shape.max),
                    pattern: self
                        .patterns
                        .get(*name)
                        .and_then(|p| p.as_ref().ok().cloned()),
                },
                ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => {
                    Check::Int {
                        min: shape.min.as_ref().and_then(|n| n.as_i64()),
                        max: shape.max.as_ref().and_then(|n| n.as_i64()),
                        ty: rust_type(name),
                    }
                }
                ShapeKind::Float | ShapeKind::Double => Check::Float {
                    min: shape.min.as_ref().and_then(|n| n.as_f64()),
                    max: shape.max.as_ref().and_then(|n| n.as_f64()),
                    ty: rust_type(name),
                },
                ShapeKind::Blob => Check::Blob {
                    min: unsigned(&shape.min),
                    max: unsigned(&shape.max),
                },
                ShapeKind::List { member } => Check::List {
                    min: unsigned(&shape.min),
                    max: unsigned(&shape.max),
                    element_ty: rust_type(&member.shape),
                    element: function(member),
                },
                ShapeKind::Map { key, value } => Check::Map {
                    min: unsigned(&shape.min),
                    max: unsigned(&shape.max),
                    key_ty: rust_type(&key.shape),
                    value_ty: rust_type(&value.shape),
                    key: function(key),
                    value: function(value),
                },
                ShapeKind::Structure if shape.union => Check::Union {
                    rust_name: naming::type_name(name),
                    variants: members_of(name)
                        .into_iter()
                        .map(|m| {
                            let function = self.function(&m.target);
                            (m.variant, function)
                        })
                        .collect(),
                },
                ShapeKind::Structure => Check::Structure {
                    rust_name: naming::type_name(name),
                    members: self.member_checks(&members_of(name)),
                },
                ShapeKind::Boolean | ShapeKind::Timestamp => continue,
            };
            validators.push(ShapeValidator {
                shape: (*name).to_owned(),
                function: self.functions[*name].clone(),
                check,
            });
        }
        validators.sort_by(|a, b| a.function.cmp(&b.function));
        validators
    }
}

/// A model pattern the client does not check, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UncheckedPattern {
    pub shape: String,
    pub pattern: String,
    /// What the runtime's regex engine said of it.
    pub error: String,
}

fn unsigned(bound: &Option<serde_json::Number>) -> Option<u64> {
    bound.as_ref().and_then(|n| n.as_u64())
}

/// Whether a shape needs a validator; `checked_pattern`: it has a pattern the client can
/// check.
fn shape_needs(
    model: &Model,
    shape: &Shape,
    checked_pattern: bool,
    needs: &BTreeSet<&str>,
) -> bool {
    let inner = |r: &ShapeRef| needs.contains(r.shape.as_str());
    let bounded = shape.min.is_some() || shape.max.is_some();
    match &shape.kind {
        ShapeKind::Structure if shape.document => false,
        ShapeKind::Structure => {
            !shape.required.is_empty()
                || shape.members.values().any(|m| {
                    needs.contains(m.shape.as_str())
                        || (m.location == Some(HttpLocation::Uri)
                            && model.shapes[&m.shape].kind.is_string())
                })
        }
        ShapeKind::List { member } => bounded || inner(member),
        ShapeKind::Map { key, value } => bounded || inner(key) || inner(value),
        ShapeKind::Boolean | ShapeKind::Timestamp => false,
        // A pattern the engine cannot compile is not checked (it is reported instead), so
        // on its own it needs no validator.
        _ => bounded || checked_pattern || shape.enum_values.is_some(),
    }
}
