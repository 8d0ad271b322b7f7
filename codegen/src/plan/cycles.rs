//! Which structures need a `Box`: the reference cycles of the model.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Model;

/// Structures that contain themselves, directly or through other structures, without a
/// list or map in between, need a `Box` to have a finite size. Tarjan's algorithm finds
/// the strongly connected components of the structure-to-structure member graph; members
/// that stay inside a component (or point at their own structure) are boxed.
pub(super) fn find_cycles(model: &Model) -> BTreeMap<&str, usize> {
    let edges = |name: &str| -> Vec<&str> {
        model.shapes[name]
            .members
            .values()
            .map(|m| m.shape.as_str())
            .filter(|target| {
                model
                    .shapes
                    .get(*target)
                    .is_some_and(|s| s.kind.is_structure())
            })
            .collect()
    };
    let nodes: Vec<&str> = model
        .shapes
        .iter()
        .filter(|(_, s)| s.kind.is_structure())
        .map(|(n, _)| n.as_str())
        .collect();
    let mut tarjan = Tarjan::default();
    for node in &nodes {
        if !tarjan.index.contains_key(node) {
            tarjan.visit(node, &edges);
        }
    }
    let mut result = BTreeMap::new();
    for (id, component) in tarjan.components.iter().enumerate() {
        let cyclic = component.len() > 1 || edges(component[0]).contains(&component[0]);
        if cyclic {
            for node in component {
                result.insert(*node, id);
            }
        }
    }
    result
}

#[derive(Default)]
struct Tarjan<'m> {
    next_index: usize,
    index: BTreeMap<&'m str, usize>,
    lowlink: BTreeMap<&'m str, usize>,
    stack: Vec<&'m str>,
    on_stack: BTreeSet<&'m str>,
    components: Vec<Vec<&'m str>>,
}

impl<'m> Tarjan<'m> {
    fn visit(&mut self, node: &'m str, edges: &dyn Fn(&str) -> Vec<&'m str>) {
        self.index.insert(node, self.next_index);
        self.lowlink.insert(node, self.next_index);
        self.next_index += 1;
        self.stack.push(node);
        self.on_stack.insert(node);
        for next in edges(node) {
            if !self.index.contains_key(next) {
                self.visit(next, edges);
                let low = self.lowlink[node].min(self.lowlink[next]);
                self.lowlink.insert(node, low);
            } else if self.on_stack.contains(next) {
                let low = self.lowlink[node].min(self.index[next]);
                self.lowlink.insert(node, low);
            }
        }
        if self.lowlink[node] == self.index[node] {
            let mut component = Vec::new();
            while let Some(top) = self.stack.pop() {
                self.on_stack.remove(top);
                component.push(top);
                if top == node {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}
