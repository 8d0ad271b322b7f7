//! Stage 2, check: everything the plan relies on, verified once, with every problem
//! collected and named by the JSON path of the offending element.

use std::collections::BTreeMap;

use crate::error::Problem;
use crate::model::{HttpLocation, Model, Shape, ShapeKind, ShapeRef};
use crate::naming;
use crate::template;

const HTTP_METHODS: &[&str] = &["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// Returns every problem found; an empty list means the model can be planned.
pub fn check(model: &Model) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_protocol(model, &mut problems);
    for (name, shape) in &model.shapes {
        check_shape(model, name, shape, &mut problems);
    }
    for (name, operation) in &model.operations {
        let path = format!("operations.{name}");
        check_operation(model, &path, operation, &mut problems);
    }
    check_name_collisions(model, &mut problems);
    check_json_names(model, &mut problems);
    problems
}

fn problem(problems: &mut Vec<Problem>, path: impl Into<String>, message: impl Into<String>) {
    problems.push(Problem {
        path: path.into(),
        message: message.into(),
    });
}

fn check_protocol(model: &Model, problems: &mut Vec<Problem>) {
    let metadata = &model.metadata;
    let speaks_rest_json =
        metadata.protocol == "rest-json" || metadata.protocols.iter().any(|p| p == "rest-json");
    if !speaks_rest_json {
        problem(
            problems,
            "metadata.protocol",
            format!(
                "only the rest-json protocol is supported, found \"{}\"",
                metadata.protocol
            ),
        );
    }
}

/// A reference must name an existing shape; returns that shape when it does.
fn resolve<'m>(
    model: &'m Model,
    path: &str,
    reference: &ShapeRef,
    problems: &mut Vec<Problem>,
) -> Option<&'m Shape> {
    let found = model.shapes.get(&reference.shape);
    if found.is_none() {
        problem(
            problems,
            format!("{path}.shape"),
            format!("no shape named \"{}\"", reference.shape),
        );
    }
    found
}

fn check_shape(model: &Model, name: &str, shape: &Shape, problems: &mut Vec<Problem>) {
    let path = format!("shapes.{name}");
    check_constraints(&path, shape, problems);
    match &shape.kind {
        ShapeKind::Structure => check_structure(model, &path, shape, problems),
        ShapeKind::List { member } => {
            resolve(model, &format!("{path}.member"), member, problems);
        }
        ShapeKind::Map { key, value } => {
            let key_target = resolve(model, &format!("{path}.key"), key, problems);
            if key_target.is_some_and(|t| !t.kind.is_string()) {
                problem(
                    problems,
                    format!("{path}.key.shape"),
                    "map keys must be strings in rest-json",
                );
            }
            resolve(model, &format!("{path}.value"), value, problems);
        }
        _ => {}
    }
}

fn check_constraints(path: &str, shape: &Shape, problems: &mut Vec<Problem>) {
    let kind = shape.kind.name();
    for (key, bound) in [("min", &shape.min), ("max", &shape.max)] {
        if bound.is_some() && !shape.kind.has_length_or_range() {
            problem(
                problems,
                format!("{path}.{key}"),
                format!("\"{key}\" does not apply to a {kind}"),
            );
        }
    }
    let is_float = shape.kind.is_float();
    for (key, bound) in [("min", &shape.min), ("max", &shape.max)] {
        if let Some(bound) = bound {
            if !is_float && bound.as_i64().is_none() {
                problem(
                    problems,
                    format!("{path}.{key}"),
                    format!("\"{key}\" of a {kind} must be a whole number, found {bound}"),
                );
            }
        }
    }
    if let (Some(min), Some(max)) = (&shape.min, &shape.max) {
        if let (Some(min), Some(max)) = (min.as_f64(), max.as_f64()) {
            if min > max {
                problem(
                    problems,
                    format!("{path}.min"),
                    format!("min {min} is greater than max {max}"),
                );
            }
        }
    }
    if shape.pattern.is_some() && !shape.kind.is_string() {
        problem(
            problems,
            format!("{path}.pattern"),
            format!("\"pattern\" does not apply to a {kind}"),
        );
    }
    if shape.enum_values.is_some() && !matches!(shape.kind, ShapeKind::String) {
        problem(
            problems,
            format!("{path}.enum"),
            format!("\"enum\" does not apply to a {kind}"),
        );
    }
    if !shape.kind.is_structure() {
        if !shape.members.is_empty() {
            problem(
                problems,
                format!("{path}.members"),
                format!("a {kind} has no members"),
            );
        }
        if !shape.required.is_empty() {
            problem(
                problems,
                format!("{path}.required"),
                format!("a {kind} has no members to require"),
            );
        }
    }
}

fn check_structure(model: &Model, path: &str, shape: &Shape, problems: &mut Vec<Problem>) {
    for (member_name, member) in &shape.members {
        let member_path = format!("{path}.members.{member_name}");
        resolve(model, &member_path, member, problems);
        let header = member.location_name.as_deref().unwrap_or(member_name);
        // A `headers` map may take every header (an empty prefix).
        let header_ok = match member.location {
            Some(HttpLocation::Header) => is_header_name(header),
            Some(HttpLocation::Headers) => header.is_empty() || is_header_name(header),
            _ => true,
        };
        if !header_ok {
            problem(
                problems,
                format!("{member_path}.locationName"),
                format!("{header:?} is not a valid HTTP header name"),
            );
        }
    }
    for (index, required) in shape.required.iter().enumerate() {
        if !shape.members.contains_key(required) {
            problem(
                problems,
                format!("{path}.required[{index}]"),
                format!("no member named \"{required}\""),
            );
        }
    }
    if let Some(payload) = &shape.payload {
        if !shape.members.contains_key(payload) {
            problem(
                problems,
                format!("{path}.payload"),
                format!("no member named \"{payload}\""),
            );
        }
    }
    // Member names never collide: the plan resolves them (`naming::member_fields`).
}

fn check_operation(
    model: &Model,
    path: &str,
    operation: &crate::model::Operation,
    problems: &mut Vec<Problem>,
) {
    if !HTTP_METHODS.contains(&operation.http.method.as_str()) {
        problem(
            problems,
            format!("{path}.http.method"),
            format!("unknown HTTP method \"{}\"", operation.http.method),
        );
    }
    let mut input_shape = None;
    for (key, reference) in [("input", &operation.input), ("output", &operation.output)] {
        if let Some(reference) = reference {
            let target = resolve(model, &format!("{path}.{key}"), reference, problems);
            if let Some(target) = target {
                if !target.kind.is_structure() {
                    problem(
                        problems,
                        format!("{path}.{key}.shape"),
                        format!(
                            "\"{}\" is a {}, not a structure",
                            reference.shape,
                            target.kind.name()
                        ),
                    );
                } else if key == "input" {
                    input_shape = Some(target);
                }
            }
        }
    }
    for (index, reference) in operation.errors.iter().enumerate() {
        let error_path = format!("{path}.errors[{index}]");
        if let Some(target) = resolve(model, &error_path, reference, problems) {
            if !target.kind.is_structure() {
                problem(
                    problems,
                    format!("{error_path}.shape"),
                    format!(
                        "\"{}\" is a {}, not a structure",
                        reference.shape,
                        target.kind.name()
                    ),
                );
            }
        }
    }
    check_request_uri(path, &operation.http.request_uri, problems);
    if let Some(prefix) = operation
        .endpoint
        .as_ref()
        .and_then(|e| e.host_prefix.as_deref())
    {
        check_host_prefix(path, prefix, problems);
    }
    check_uri_labels(path, operation, input_shape, problems);
}

/// The request URI is joined to the endpoint: it must be a path. One that does not start
/// with `/` (`@evil.example/x`) or starts with `//` would name another host, and the
/// bearer token would go there.
fn check_request_uri(path: &str, uri: &str, problems: &mut Vec<Problem>) {
    if !uri.starts_with('/') || uri.starts_with("//") || uri.contains('\\') {
        problem(
            problems,
            format!("{path}.http.requestUri"),
            format!("{uri:?} is not a path: it must start with a single \"/\" (no scheme or host)"),
        );
    }
}

/// A host prefix goes in front of the endpoint's host: it may only add DNS labels
/// (letters, digits, `-`, `.` and `{labels}`), never a `/`, `@` or `:` that would change
/// the host or the path.
fn check_host_prefix(path: &str, prefix: &str, problems: &mut Vec<Problem>) {
    let literal_ok = |text: &str| {
        text.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    };
    let pieces_ok = template::pieces(prefix)
        .into_iter()
        .all(|piece| match piece {
            template::Piece::Literal(text) => literal_ok(text),
            template::Piece::Label(label) => !label.is_empty() && !label.ends_with('+'),
        });
    if !pieces_ok || prefix.starts_with('.') || prefix.contains("..") {
        problem(
            problems,
            format!("{path}.endpoint.hostPrefix"),
            format!(
                "{prefix:?} may only add DNS labels (letters, digits, \"-\", \".\", {{labels}})"
            ),
        );
    }
}

/// Whether `name` may be an HTTP header name (an RFC 9110 token).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Every `{Label}` in the request URI must be bound to an input member with
/// `location: uri`, and every such member must appear in the URI.
fn check_uri_labels(
    path: &str,
    operation: &crate::model::Operation,
    input: Option<&Shape>,
    problems: &mut Vec<Problem>,
) {
    let uri = &operation.http.request_uri;
    let stray_brace = template::pieces(uri)
        .into_iter()
        .any(|piece| matches!(piece, template::Piece::Literal(text) if text.contains(['{', '}'])));
    if stray_brace {
        problem(
            problems,
            format!("{path}.http.requestUri"),
            format!("\"{uri}\" has a brace that opens or closes no label"),
        );
    }
    let labels: Vec<&str> = template::labels(uri)
        .map(|label| label.trim_end_matches('+'))
        .collect();
    let bound: Vec<&str> = input
        .map(|shape| {
            shape
                .members
                .iter()
                .filter(|(_, m)| m.location == Some(HttpLocation::Uri))
                .map(|(name, m)| m.location_name.as_deref().unwrap_or(name))
                .collect()
        })
        .unwrap_or_default();
    for label in &labels {
        if !bound.contains(label) {
            problem(
                problems,
                format!("{path}.http.requestUri"),
                format!("label {{{label}}} is not bound to any input member with location \"uri\""),
            );
        }
    }
    for name in bound {
        if !labels.contains(&name) {
            problem(
                problems,
                format!("{path}.input"),
                format!("member bound to URI label \"{name}\" does not appear in \"{uri}\""),
            );
        }
    }
}

/// A body names its members by their JSON name (`locationName` when the model gives
/// one): two body members with one JSON name cannot be told apart on the wire.
fn check_json_names(model: &Model, problems: &mut Vec<Problem>) {
    for (name, shape) in &model.shapes {
        if !shape.kind.is_structure() {
            continue;
        }
        let mut body_names: BTreeMap<&str, &str> = BTreeMap::new();
        for (member_name, member) in &shape.members {
            if member.location.is_some() || shape.payload.as_deref() == Some(member_name) {
                continue;
            }
            let json_name = member.location_name.as_deref().unwrap_or(member_name);
            let path = format!("shapes.{name}.members.{member_name}");
            if let Some(first) = body_names.insert(json_name, member_name) {
                problem(
                    problems,
                    path,
                    format!("its JSON name \"{json_name}\" is also member {first}'s"),
                );
            }
        }
    }
}

/// Shapes and operations become Rust items; two model names that become the same Rust
/// name would not compile.
fn check_name_collisions(model: &Model, problems: &mut Vec<Problem>) {
    let types = model
        .shapes
        .iter()
        .filter(|(_, shape)| shape.kind.is_structure() || shape.enum_values.is_some())
        .map(|(name, _)| {
            (
                format!("shapes.{name}"),
                name.as_str(),
                naming::type_name(name),
            )
        });
    report_collisions(problems, "shape", "the Rust type", types);
    let operations = model.operations.keys().map(|name| {
        (
            format!("operations.{name}"),
            name.as_str(),
            naming::operation_module(name),
        )
    });
    report_collisions(problems, "operation", "the Rust module", operations);
}

/// Reports each item (JSON path, model name, Rust name) whose Rust name an earlier one
/// already took.
fn report_collisions<'m>(
    problems: &mut Vec<Problem>,
    kind: &str,
    becomes: &str,
    items: impl Iterator<Item = (String, &'m str, String)>,
) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (path, name, rust) in items {
        if let Some(first) = seen.insert(rust.clone(), name) {
            problem(
                problems,
                path,
                format!("collides with {kind} \"{first}\": both become {becomes} `{rust}`"),
            );
        }
    }
}
