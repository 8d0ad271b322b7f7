//! Which shapes the operations reach, computed once per model: the plan decides from it
//! which shapes become types, which travel in requests or responses and which are
//! validated; the diff judges a change by where the changed shape travels.

use std::collections::BTreeSet;

use crate::model::{Model, Shape};

/// Where a model's shapes are used.
#[derive(Debug, Clone)]
pub struct Reachability<'m> {
    /// Structures, unions and enums that become items of `types` (or exceptions):
    /// reached from any operation, excluding the operations' own inputs and outputs
    /// unless a member also refers to them.
    pub types: BTreeSet<&'m str>,
    /// The shapes operations name as errors.
    pub exceptions: BTreeSet<&'m str>,
    /// Reachable from inputs, the inputs included: written in requests.
    pub in_requests: BTreeSet<&'m str>,
    /// Reachable from outputs and errors: read from responses.
    pub in_responses: BTreeSet<&'m str>,
    /// Reachable from inside inputs (an input itself only when something refers to it):
    /// what gets a validator of its own.
    pub inside_inputs: BTreeSet<&'m str>,
}

impl<'m> Reachability<'m> {
    pub fn of(model: &'m Model) -> Self {
        let ops = || model.operations.values();
        let exceptions = ops()
            .flat_map(|op| op.errors.iter().map(|e| e.shape.as_str()))
            .collect();
        Reachability {
            types: types(model),
            exceptions,
            in_requests: model.reachable_from(
                ops()
                    .filter_map(|op| op.input.as_ref())
                    .map(|r| r.shape.as_str()),
            ),
            in_responses: model.reachable_from(
                ops()
                    .flat_map(|op| op.output.iter().chain(&op.errors))
                    .map(|r| r.shape.as_str()),
            ),
            inside_inputs: model.reachable_from(
                ops()
                    .filter_map(|op| op.input.as_ref())
                    .flat_map(|input| children(&model.shapes[&input.shape])),
            ),
        }
    }
}

/// Shapes that become items of the `types` module: structures and enums reachable from an
/// operation's members or errors.
fn types(model: &Model) -> BTreeSet<&str> {
    let mut roots: Vec<&str> = Vec::new();
    for op in model.operations.values() {
        for io in [&op.input, &op.output].into_iter().flatten() {
            roots.extend(children(&model.shapes[&io.shape]));
        }
        roots.extend(op.errors.iter().map(|e| e.shape.as_str()));
    }
    let mut reached = model.reachable_from(roots);
    reached.retain(|name| {
        let shape = &model.shapes[*name];
        (shape.kind.is_structure() && !shape.document) || shape.enum_values.is_some()
    });
    reached
}

/// The shapes a shape refers to directly.
fn children(shape: &Shape) -> impl Iterator<Item = &str> {
    shape.references().map(|r| r.shape.as_str())
}
