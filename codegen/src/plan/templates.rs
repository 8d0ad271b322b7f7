//! An operation's URI path and host prefix, split into literals and the input members
//! their labels name (the parsing itself is `crate::template`'s).

use super::{Location, MemberPlan, StructurePlan, UriPart};
use crate::template::{self, Piece};

/// Splits a URI path template into literals and labels bound to input members.
pub(super) fn uri_parts(path: &str, input: &StructurePlan) -> Vec<UriPart> {
    template_parts(path, |label| {
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        let member = input
            .members
            .iter()
            .find(|m| matches!(&m.location, Location::Uri { label } if label == name))?;
        Some((member, greedy))
    })
}

/// Splits a host prefix template (`{Name}-data.`) into literals and the input members
/// its labels name.
pub(super) fn host_prefix_parts(prefix: &str, input: &StructurePlan) -> Vec<UriPart> {
    template_parts(prefix, |label| {
        let member = input.members.iter().find(|m| m.name == label)?;
        Some((member, false))
    })
}

/// A template's pieces, each label bound by `bind` to an input member (and whether it
/// is greedy). The check stage made sure every label has its member.
fn template_parts<'p>(
    text: &str,
    bind: impl Fn(&str) -> Option<(&'p MemberPlan, bool)>,
) -> Vec<UriPart> {
    template::pieces(text)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Literal(text) => Some(UriPart::Literal(text.to_owned())),
            Piece::Label(label) => bind(label).map(|(member, greedy)| UriPart::Label {
                member: Box::new(member.clone()),
                greedy,
            }),
        })
        .collect()
}
