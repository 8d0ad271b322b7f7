//! What validation checks of each member, for its documentation: the plan's validators
//! read back member by member, so the docs say exactly what `send()` enforces.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    Check, Location, MemberPlan, OperationPlan, RustType, ShapeValidator, StructurePlan, TypeDef,
    UncheckedPattern,
};
use crate::model::Model;

/// What the client checks of one member before a request is sent (validation mode
/// `Full`; `RequiredOnly` checks only `required`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberConstraints {
    /// Must be set.
    pub required: bool,
    /// An idempotency token: the client fills it in when unset.
    pub filled_by_client: bool,
    /// Bound to a URI label: must not be empty.
    pub not_empty: bool,
    /// Length, size or count bounds.
    pub size: Option<Size>,
    /// Numeric bounds, as the model writes them.
    pub range: Option<(Option<String>, Option<String>)>,
    pub pattern: Option<PatternConstraint>,
    /// The enum the value must be a known value of.
    pub known_values: Option<KnownValues>,
}

impl MemberConstraints {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Bounds on a length, size or count, in `unit`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub unit: SizeUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeUnit {
    /// Unicode scalar values, as the runtime counts string lengths.
    Characters,
    Bytes,
    Items,
    Entries,
}

/// The model's pattern, and whether the client checks it (its engine compiles it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternConstraint {
    pub pattern: String,
    pub checked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownValues {
    pub rust_name: String,
    pub values: Vec<String>,
}

/// The validators, unchecked patterns and enum values by shape, to read constraints from.
pub(super) struct ConstraintIndex<'p> {
    model: &'p Model,
    checks: BTreeMap<&'p str, &'p Check>,
    unchecked: BTreeSet<&'p str>,
    enum_values: BTreeMap<String, Vec<String>>,
}

impl<'p> ConstraintIndex<'p> {
    pub(super) fn new(
        model: &'p Model,
        validators: &'p [ShapeValidator],
        unchecked: &'p [UncheckedPattern],
        types: &[TypeDef],
    ) -> Self {
        ConstraintIndex {
            model,
            checks: validators
                .iter()
                .map(|v| (v.shape.as_str(), &v.check))
                .collect(),
            unchecked: unchecked.iter().map(|u| u.shape.as_str()).collect(),
            enum_values: types
                .iter()
                .filter_map(|t| match t {
                    TypeDef::Enum(e) => Some((
                        e.shape.clone(),
                        e.variants.iter().map(|v| v.value.clone()).collect(),
                    )),
                    _ => None,
                })
                .collect(),
        }
    }

    /// Whether the structure `shape` is validated where it appears in a request.
    pub(super) fn validates(&self, shape: &str) -> bool {
        matches!(
            self.checks.get(shape),
            Some(Check::Structure { .. } | Check::Union { .. })
        )
    }

    /// The constraints on `member` of a validated structure.
    pub(super) fn member(&self, member: &MemberPlan) -> MemberConstraints {
        let target = member.target.as_str();
        let mut constraints = MemberConstraints {
            required: member.required && !member.idempotency_token,
            filled_by_client: member.idempotency_token,
            not_empty: matches!(member.location, Location::Uri { .. })
                && member.ty == RustType::String,
            ..Default::default()
        };
        let size = |min: &Option<u64>, max: &Option<u64>, unit| {
            (min.is_some() || max.is_some()).then_some(Size {
                min: *min,
                max: *max,
                unit,
            })
        };
        let range = |min: Option<String>, max: Option<String>| {
            (min.is_some() || max.is_some()).then_some((min, max))
        };
        match self.checks.get(target) {
            Some(Check::String { min, max, pattern }) => {
                constraints.size = size(min, max, SizeUnit::Characters);
                constraints.pattern = pattern.as_ref().map(|_| PatternConstraint {
                    pattern: self.model_pattern(target),
                    checked: true,
                })
            }
            Some(Check::Blob { min, max }) => constraints.size = size(min, max, SizeUnit::Bytes),
            Some(Check::List { min, max, .. }) => {
                constraints.size = size(min, max, SizeUnit::Items)
            }
            Some(Check::Map { min, max, .. }) => {
                constraints.size = size(min, max, SizeUnit::Entries)
            }
            Some(Check::Int { min, max, .. }) => {
                constraints.range = range(min.map(|n| n.to_string()), max.map(|n| n.to_string()))
            }
            Some(Check::Float { min, max, .. }) => {
                constraints.range = range(min.map(|n| n.to_string()), max.map(|n| n.to_string()))
            }
            Some(Check::Enum { rust_name }) => {
                constraints.known_values = self.enum_values.get(target).map(|values| KnownValues {
                    rust_name: rust_name.clone(),
                    values: values.clone(),
                })
            }
            _ => {}
        }
        if self.unchecked.contains(target) {
            constraints.pattern = Some(PatternConstraint {
                pattern: self.model_pattern(target),
                checked: false,
            });
        }
        constraints
    }

    /// The pattern as the model writes it (the validator holds the engine's form).
    fn model_pattern(&self, shape: &str) -> String {
        self.model.shapes[shape].pattern.clone().unwrap_or_default()
    }
}

/// Sets the constraints of every member of operation inputs and of the structures and
/// unions validated in requests.
pub(super) fn annotate(
    operations: &mut [OperationPlan],
    types: &mut [TypeDef],
    index: &ConstraintIndex<'_>,
) {
    let annotate_structure = |s: &mut StructurePlan| {
        for member in &mut s.members {
            member.constraints = index.member(member);
        }
    };
    for op in operations {
        annotate_structure(&mut op.input);
    }
    for def in types {
        if let TypeDef::Structure(s) | TypeDef::Union(s) = def {
            if index.validates(&s.shape) {
                annotate_structure(s);
            }
        }
    }
}
