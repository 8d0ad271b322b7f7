//! What a model update does to the generated API. Two loaded models are compared shape by
//! shape and operation by operation; every change is graded by its effect on callers of
//! the crate we generate (open enums, non-exhaustive error enums, `Option` outputs,
//! builders that check required members, client-side validation of inputs only). Then the
//! two models' plans are compared item by item (`api`): a public item that disappears or
//! changes where no model rule already reported a change at least as severe is reported
//! too, so nothing the generated API loses goes unsaid.

use serde::Serialize;

use crate::model::{Customizations, Model};
use crate::paginators::CheckedPaginators;

mod api;
mod index;
mod report;
mod rules;

use index::Index;
use rules::Differ;

/// How a change affects existing callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Existing code stops compiling, or silently behaves differently.
    Breaking,
    /// Compiles, but the wire or validation changes in a way a caller can notice.
    Risky,
    /// New things; nothing existing changes.
    Additive,
    /// Documentation, or nothing the generated API shows.
    Docs,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Risky => "risky",
            Severity::Additive => "additive",
            Severity::Docs => "docs",
        }
    }
}

/// One change, with the model path it is at and the Rust item it touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub severity: Severity,
    /// e.g. `operations.SendEvent.errors`, `shapes.ChatItemType.enum`.
    pub path: String,
    /// What changed, in words.
    pub change: String,
    /// The generated item it touches, e.g. `connectparticipant::types::ChatItemType`.
    pub rust_item: String,
    /// A short label for the summary, e.g. `enum value added`.
    pub kind: &'static str,
}

/// Every change between two models, sorted by severity then path.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    pub changes: Vec<Change>,
}

/// One side of a diff: a model with the paginators and customizations a generation
/// from it would use (as `load_for_diff` in the crate root finds them).
#[derive(Clone, Copy)]
pub struct Side<'m> {
    pub model: &'m Model,
    pub paginators: &'m CheckedPaginators,
    pub customizations: &'m Customizations,
}

/// Compares two models as the crate `crate_name` generated from each would differ; with
/// `None`, the crate is named after the new model's `serviceId`, as generation names it.
pub fn diff(old: &Model, new: &Model, crate_name: Option<&str>) -> DiffReport {
    let (paginators, customizations) = (CheckedPaginators::new(), Customizations::default());
    let side = |model| Side {
        model,
        paginators: &paginators,
        customizations: &customizations,
    };
    diff_sides(side(old), side(new), crate_name)
}

/// The same, with each side's paginators (a paginator that appears or goes is
/// `into_paginator()` appearing or going) and customizations (what they rename, mark
/// sensitive or authenticate otherwise is what the crates differ in).
pub fn diff_sides(old: Side<'_>, new: Side<'_>, crate_name: Option<&str>) -> DiffReport {
    let crate_name = crate_name.map_or_else(
        || crate::plan::names::crate_name(&new.model.metadata),
        str::to_owned,
    );
    let differ = Differ {
        old: Index::new(&old, &crate_name),
        new: Index::new(&new, &crate_name),
        changes: Vec::new(),
    };
    differ.run()
}
