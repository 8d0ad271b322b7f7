//! The rules: each kind of model change, found and graded by its effect on callers.

use std::collections::BTreeSet;

use super::api;
use super::index::{elements, speaks_rest_json, Index};
use super::{Change, DiffReport, Severity};
use crate::model::{Operation, Shape, ShapeRef};
use crate::naming;

pub(super) struct Differ<'m> {
    pub(super) old: Index<'m>,
    pub(super) new: Index<'m>,
    pub(super) changes: Vec<Change>,
}

impl<'m> Differ<'m> {
    pub(super) fn push(
        &mut self,
        severity: Severity,
        path: impl Into<String>,
        change: impl Into<String>,
        rust_item: impl Into<String>,
        kind: &'static str,
    ) {
        self.changes.push(Change {
            severity,
            path: path.into(),
            change: change.into(),
            rust_item: rust_item.into(),
            kind,
        });
    }

    pub(super) fn run(mut self) -> DiffReport {
        self.metadata();
        self.operations();
        self.shapes();
        self.api();
        let mut changes = self.changes;
        changes.sort_by(|a, b| {
            (a.severity, &a.path, &a.change).cmp(&(b.severity, &b.path, &b.change))
        });
        DiffReport { changes }
    }

    /// Public items the two plans disagree on that no model rule accounts for: one
    /// removed or changed is breaking, one added is additive, unless a change at least as
    /// severe was already reported where the item comes from.
    fn api(&mut self) {
        let (old, new) = (api::api(&self.old.plan), api::api(&self.new.plan));
        let mut found = Vec::new();
        for (path, before) in &old {
            let (kind, what) = match new.get(path) {
                None => (
                    "API item removed",
                    format!("`{path}` ({}) removed", before.signature),
                ),
                Some(after) if after.signature != before.signature => (
                    "API item changed",
                    format!("`{path}` was {}, now {}", before.signature, after.signature),
                ),
                Some(_) => continue,
            };
            found.push((Severity::Breaking, kind, path, &before.origin, what));
        }
        for (path, after) in &new {
            if !old.contains_key(path) {
                let what = format!("`{path}` ({}) added", after.signature);
                found.push((
                    Severity::Additive,
                    "API item added",
                    path,
                    &after.origin,
                    what,
                ));
            }
        }
        for (severity, kind, path, origin, what) in found {
            let covered = self.changes.iter().any(|c| {
                c.severity <= severity
                    && (c.path == *origin || c.path.starts_with(&format!("{origin}.")))
            });
            if !covered {
                self.push(severity, origin.clone(), what, path.clone(), kind);
            }
        }
    }

    fn metadata(&mut self) {
        let (old, new) = (&self.old.model.metadata, &self.new.model.metadata);
        let krate = self.new.crate_name.to_owned();
        // How requests are signed is the plan's (the customization file may override the
        // model): a signing change the crate does not follow is only documentation.
        let signing = if self.planned_auth_changed() {
            Severity::Risky
        } else {
            Severity::Docs
        };
        let fields: [(&str, String, String, Severity); 7] = [
            (
                "protocol",
                old.protocol.clone(),
                new.protocol.clone(),
                Severity::Breaking,
            ),
            // Listing the protocol already in use changes nothing; dropping rest-json would.
            (
                "protocols",
                format!("{:?}", old.protocols),
                format!("{:?}", new.protocols),
                if speaks_rest_json(old) == speaks_rest_json(new) {
                    Severity::Docs
                } else {
                    Severity::Breaking
                },
            ),
            (
                "endpointPrefix",
                format!("{:?}", old.endpoint_prefix),
                format!("{:?}", new.endpoint_prefix),
                Severity::Risky,
            ),
            (
                "signingName",
                format!("{:?}", old.signing_name),
                format!("{:?}", new.signing_name),
                signing,
            ),
            (
                "auth",
                format!("{:?}", old.auth),
                format!("{:?}", new.auth),
                signing,
            ),
            (
                "apiVersion",
                format!("{:?}", old.api_version),
                format!("{:?}", new.api_version),
                Severity::Risky,
            ),
            // rest-json does not send the JSON version: nothing changes for callers.
            (
                "jsonVersion",
                format!("{:?}", old.json_version),
                format!("{:?}", new.json_version),
                Severity::Docs,
            ),
        ];
        for (field, before, after, severity) in fields {
            if before != after {
                self.push(
                    severity,
                    format!("metadata.{field}"),
                    format!("{field} changed from {before} to {after}"),
                    &krate,
                    "metadata field changed",
                );
            }
        }
    }

    /// Whether an operation on both sides is planned to authenticate differently.
    fn planned_auth_changed(&self) -> bool {
        self.old.plan.operations.iter().any(|old| {
            self.new
                .plan
                .operations
                .iter()
                .any(|new| new.name == old.name && new.auth != old.auth)
        })
    }

    fn operations(&mut self) {
        let (old_ops, new_ops) = (&self.old.model.operations, &self.new.model.operations);
        for (name, _) in new_ops.iter().filter(|(n, _)| !old_ops.contains_key(*n)) {
            let item = format!(
                "{}, {}",
                self.new.operation_item(name),
                self.new.client_method_item(name)
            );
            self.push(
                Severity::Additive,
                format!("operations.{name}"),
                format!("operation {name} added"),
                item,
                "operation added",
            );
        }
        for (name, _) in old_ops.iter().filter(|(n, _)| !new_ops.contains_key(*n)) {
            let item = format!(
                "{}, {}",
                self.old.operation_item(name),
                self.old.client_method_item(name)
            );
            self.push(
                Severity::Breaking,
                format!("operations.{name}"),
                format!("operation {name} removed"),
                item,
                "operation removed",
            );
        }
        for (name, old) in old_ops {
            if let Some(new) = new_ops.get(name) {
                self.operation(name, old, new);
            }
        }
    }

    fn operation(&mut self, name: &str, old: &Operation, new: &Operation) {
        let path = format!("operations.{name}");
        let item = self.new.operation_item(name);
        self.http_binding(&path, old, new, &item);
        self.operation_errors(name, &path, old, new, &item);
        self.operation_io(name, &path, old, new, &item);
        if old.documentation != new.documentation {
            self.push(
                Severity::Docs,
                format!("{path}.documentation"),
                "documentation changed",
                item,
                "documentation changed",
            );
        }
    }

    /// The method, URI and success status: the request goes elsewhere, or succeeds
    /// otherwise.
    fn http_binding(&mut self, path: &str, old: &Operation, new: &Operation, item: &str) {
        if old.http.method != new.http.method || old.http.request_uri != new.http.request_uri {
            let change = format!(
                "HTTP request changed from {} {} to {} {}",
                old.http.method, old.http.request_uri, new.http.method, new.http.request_uri
            );
            self.push(
                Severity::Risky,
                format!("{path}.http"),
                change,
                item,
                "HTTP binding changed",
            );
        }
        if old.http.response_code != new.http.response_code {
            let change = format!(
                "success status changed from {:?} to {:?}",
                old.http.response_code, new.http.response_code
            );
            self.push(
                Severity::Risky,
                format!("{path}.http.responseCode"),
                change,
                item,
                "HTTP binding changed",
            );
        }
    }

    /// Errors added (a variant added) and removed (a variant gone).
    fn operation_errors(
        &mut self,
        name: &str,
        path: &str,
        old: &Operation,
        new: &Operation,
        item: &str,
    ) {
        let old_errors: BTreeSet<&str> = old.errors.iter().map(|e| e.shape.as_str()).collect();
        let new_errors: BTreeSet<&str> = new.errors.iter().map(|e| e.shape.as_str()).collect();
        let error_enum = format!("{item}::{}", self.new.operation_names(name).error_enum);
        for added in new_errors.difference(&old_errors) {
            let variant = format!("{error_enum}::{}", self.new.error_variant(added));
            self.push(
                Severity::Additive,
                format!("{path}.errors"),
                format!("error {added} added to {name}"),
                variant,
                "error added",
            );
        }
        for removed in old_errors.difference(&new_errors) {
            let variant = format!("{error_enum}::{}", self.old.error_variant(removed));
            self.push(
                Severity::Breaking,
                format!("{path}.errors"),
                format!("error {removed} removed from {name}"),
                variant,
                "error removed",
            );
        }
    }

    /// The input and output shapes: swapped (then their members are compared), added or
    /// removed.
    fn operation_io(
        &mut self,
        name: &str,
        path: &str,
        old: &Operation,
        new: &Operation,
        item: &str,
    ) {
        let names = self.new.operation_names(name);
        for (key, old_ref, new_ref, rust_name) in [
            ("input", &old.input, &new.input, &names.input),
            ("output", &old.output, &new.output, &names.output),
        ] {
            let io_item = format!("{item}::{rust_name}");
            match (old_ref, new_ref) {
                (Some(a), Some(b)) if a.shape != b.shape => {
                    let change = format!(
                        "{key} shape swapped from {} to {} (the Rust type stays {rust_name})",
                        a.shape, b.shape,
                    );
                    self.push(
                        Severity::Docs,
                        format!("{path}.{key}"),
                        change,
                        &io_item,
                        "operation shape swapped",
                    );
                    // The generated struct is the operation's own: compare what it holds.
                    self.structure_members(&format!("{path}.{key}"), &a.shape, &b.shape, &io_item);
                }
                (None, Some(b)) => self.push(
                    Severity::Additive,
                    format!("{path}.{key}"),
                    format!("{key} {} added", b.shape),
                    io_item,
                    "operation shape swapped",
                ),
                (Some(a), None) => self.push(
                    Severity::Breaking,
                    format!("{path}.{key}"),
                    format!("{key} {} removed", a.shape),
                    io_item,
                    "operation shape swapped",
                ),
                _ => {}
            }
        }
    }

    fn shapes(&mut self) {
        let (old_shapes, new_shapes) = (&self.old.model.shapes, &self.new.model.shapes);
        for (name, _) in new_shapes
            .iter()
            .filter(|(n, _)| !old_shapes.contains_key(*n))
        {
            let severity = if self.new.is_used(name) {
                Severity::Additive
            } else {
                Severity::Docs
            };
            self.push(
                severity,
                format!("shapes.{name}"),
                format!("shape {name} added"),
                self.new.item(name),
                "shape added",
            );
        }
        for (name, _) in old_shapes
            .iter()
            .filter(|(n, _)| !new_shapes.contains_key(*n))
        {
            // Only a shape that was its own Rust type breaks callers by going away; the
            // members that used any other shape are reported where they changed.
            let severity = if self.old.has_type_item(name) || self.old.has_error_item(name) {
                Severity::Breaking
            } else {
                Severity::Docs
            };
            self.push(
                severity,
                format!("shapes.{name}"),
                format!("shape {name} removed"),
                self.old.item(name),
                "shape removed",
            );
        }
        for (name, old) in old_shapes {
            if let Some(new) = new_shapes.get(name) {
                self.shape(name, old, new);
            }
        }
    }

    /// A list's member, or a map's key or value, now of another shape.
    fn elements(
        &mut self,
        path: &str,
        name: &str,
        old: &Shape,
        new: &Shape,
        item: &str,
        used: bool,
    ) {
        for ((key, a), (_, b)) in elements(&old.kind).into_iter().zip(elements(&new.kind)) {
            if let (Some(a), Some(b)) = (a, b) {
                if a.shape != b.shape {
                    self.retarget(
                        &format!("{path}.{key}"),
                        &format!("{key} of {name}"),
                        &a.shape,
                        &b.shape,
                        item,
                        used,
                    );
                }
            }
        }
    }

    fn shape(&mut self, name: &str, old: &Shape, new: &Shape) {
        let path = format!("shapes.{name}");
        let item = self.new.item(name);
        let used = self.old.is_used(name) || self.new.is_used(name);
        if old.kind.name() != new.kind.name() {
            let severity = if used {
                Severity::Breaking
            } else {
                Severity::Docs
            };
            self.push(
                severity,
                format!("{path}.type"),
                format!(
                    "type changed from {} to {}",
                    old.kind.name(),
                    new.kind.name()
                ),
                &item,
                "shape type changed",
            );
            return;
        }
        self.enum_values(&path, name, old, new, &item, used);
        self.constraints(&path, name, old, new, &item);
        if old.sensitive != new.sensitive {
            let change = format!(
                "sensitive changed from {} to {}",
                old.sensitive, new.sensitive
            );
            self.push(
                if used {
                    Severity::Risky
                } else {
                    Severity::Docs
                },
                format!("{path}.sensitive"),
                change,
                &item,
                "sensitive flag changed",
            );
        }
        self.elements(&path, name, old, new, &item, used);
        if old.kind.is_structure() {
            self.structure_members(&path, name, name, &item);
            if old.payload != new.payload {
                let change = format!(
                    "payload member changed from {:?} to {:?}",
                    old.payload, new.payload
                );
                self.push(
                    Severity::Risky,
                    format!("{path}.payload"),
                    change,
                    &item,
                    "HTTP binding changed",
                );
            }
        }
        if old.documentation != new.documentation {
            self.push(
                Severity::Docs,
                format!("{path}.documentation"),
                "documentation changed",
                item,
                "documentation changed",
            );
        }
    }

    fn enum_values(
        &mut self,
        path: &str,
        name: &str,
        old: &Shape,
        new: &Shape,
        item: &str,
        used: bool,
    ) {
        match (&old.enum_values, &new.enum_values) {
            (Some(a), Some(b)) => {
                for added in b.iter().filter(|v| !a.contains(v)) {
                    let variant = format!("{item}::{}", self.new.enum_variant(name, added));
                    self.push(
                        Severity::Additive,
                        format!("{path}.enum"),
                        format!("enum value {added} added to {name}"),
                        variant,
                        "enum value added",
                    );
                }
                for removed in a.iter().filter(|v| !b.contains(v)) {
                    let variant = format!("{item}::{}", self.old.enum_variant(name, removed));
                    let change = format!("enum value {removed} removed from {name}");
                    self.push(
                        Severity::Breaking,
                        format!("{path}.enum"),
                        change,
                        variant,
                        "enum value removed",
                    );
                }
            }
            (None, Some(_)) | (Some(_), None) => {
                // String ↔ enum changes the Rust type of every member using the shape.
                let change = format!("{name} changed between a plain string and an enum");
                self.push(
                    if used {
                        Severity::Breaking
                    } else {
                        Severity::Docs
                    },
                    format!("{path}.enum"),
                    change,
                    item,
                    "shape type changed",
                );
            }
            (None, None) => {}
        }
    }

    /// min/max/pattern. Inputs are validated before sending, so a tighter constraint can
    /// reject a request that used to go out; responses are never validated.
    fn constraints(&mut self, path: &str, name: &str, old: &Shape, new: &Shape, item: &str) {
        let validated = self.old.in_input.contains(name) || self.new.in_input.contains(name);
        let grade = |tighter: bool| match (validated, tighter) {
            (false, _) => Severity::Docs,
            (true, true) => Severity::Risky,
            (true, false) => Severity::Additive,
        };
        let number =
            |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
        for (key, a, b, lower_bound) in [
            ("min", number(&old.min), number(&new.min), true),
            ("max", number(&old.max), number(&new.max), false),
        ] {
            let (change, tighter, kind) = match (a, b) {
                (None, Some(b)) => (format!("{key} {b} added"), true, "constraint added"),
                (Some(a), None) => (format!("{key} {a} removed"), false, "constraint removed"),
                (Some(a), Some(b)) if a != b => {
                    let tighter = if lower_bound { b > a } else { b < a };
                    let word = if tighter { "tightened" } else { "loosened" };
                    (
                        format!("{key} {word} from {a} to {b}"),
                        tighter,
                        if tighter {
                            "constraint tightened"
                        } else {
                            "constraint loosened"
                        },
                    )
                }
                _ => continue,
            };
            self.push(
                grade(tighter),
                format!("{path}.{key}"),
                format!("{name}: {change}"),
                item,
                kind,
            );
        }
        match (&old.pattern, &new.pattern) {
            (None, Some(p)) => self.push(
                grade(true),
                format!("{path}.pattern"),
                format!("{name}: pattern {p} added"),
                item,
                "constraint added",
            ),
            (Some(p), None) => self.push(
                grade(false),
                format!("{path}.pattern"),
                format!("{name}: pattern {p} removed"),
                item,
                "constraint removed",
            ),
            (Some(a), Some(b)) if a != b => {
                // Whether one pattern accepts more than the other cannot be decided in general.
                self.push(
                    grade(true),
                    format!("{path}.pattern"),
                    format!("{name}: pattern changed from {a} to {b}"),
                    item,
                    "constraint changed",
                )
            }
            _ => {}
        }
    }

    /// Members of a structure (or of an operation's old and new input/output shapes).
    fn structure_members(&mut self, path: &str, old_name: &str, new_name: &str, item: &str) {
        let (Some(old), Some(new)) = (self.old.shape(old_name), self.new.shape(new_name)) else {
            return;
        };
        let in_input = self.old.in_input.contains(old_name) || self.new.in_input.contains(new_name);
        let in_output =
            self.old.in_output.contains(old_name) || self.new.in_output.contains(new_name);
        let is_union = new.union;
        for (member, reference) in &new.members {
            let field = self.new.member_field(new_name, member);
            let member_item = format!("{item}::{}", naming::bare(&field));
            let member_path = format!("{path}.members.{member}");
            match old.members.get(member) {
                None => {
                    let required = new.required.contains(member) && !reference.idempotency_token;
                    // A new required input member makes existing calls fail; anything else is new API.
                    let severity = if in_input && required {
                        Severity::Breaking
                    } else {
                        Severity::Additive
                    };
                    let what = if required && in_input {
                        "required member"
                    } else {
                        "member"
                    };
                    self.push(
                        severity,
                        member_path,
                        format!("{what} {member} added to {new_name}"),
                        member_item,
                        "member added",
                    );
                }
                Some(old_ref) => self.member(
                    &member_path,
                    &format!("{new_name}.{member}"),
                    old_ref,
                    reference,
                    &member_item,
                    in_input,
                ),
            }
            let was_required = old.required.contains(member) && old.members.contains_key(member);
            let is_required = new.required.contains(member);
            if old.members.contains_key(member) && was_required != is_required {
                let (severity, change) = match (is_required, in_input, in_output) {
                    (true, true, _) => (Severity::Breaking, format!("{member} of {new_name} became required: calls without it now fail")),
                    (false, true, _) => (Severity::Additive, format!("{member} of {new_name} is no longer required")),
                    (false, false, true) => (Severity::Risky, format!("{member} of {new_name} is no longer required: responses may omit it")),
                    _ => (Severity::Docs, format!("{member} of {new_name} became required in a response (outputs are always optional)")),
                };
                let field = self.new.member_field(new_name, member);
                let member_item = format!("{item}::{}", naming::bare(&field));
                self.push(
                    severity,
                    format!("{path}.required"),
                    change,
                    member_item,
                    "requirement changed",
                );
            }
        }
        for member in old.members.keys().filter(|m| !new.members.contains_key(*m)) {
            let field = self.old.member_field(old_name, member);
            let member_item = format!("{item}::{}", naming::bare(&field));
            let what = if is_union { "union variant" } else { "member" };
            let change = format!("{what} {member} removed from {new_name}");
            self.push(
                Severity::Breaking,
                format!("{path}.members.{member}"),
                change,
                member_item,
                "member removed",
            );
        }
    }

    fn member(
        &mut self,
        path: &str,
        member: &str,
        old: &ShapeRef,
        new: &ShapeRef,
        item: &str,
        in_input: bool,
    ) {
        if old.shape != new.shape {
            self.retarget(path, member, &old.shape, &new.shape, item, true);
        }
        let bindings = [
            (
                "location",
                format!("{:?}", old.location),
                format!("{:?}", new.location),
            ),
            (
                "locationName",
                format!("{:?}", old.location_name),
                format!("{:?}", new.location_name),
            ),
            (
                "timestampFormat",
                format!("{:?}", old.timestamp_format),
                format!("{:?}", new.timestamp_format),
            ),
            (
                "jsonvalue",
                old.jsonvalue.to_string(),
                new.jsonvalue.to_string(),
            ),
        ];
        for (key, before, after) in bindings {
            if before != after {
                let change = format!("{member}: {key} changed from {before} to {after}");
                self.push(
                    Severity::Risky,
                    format!("{path}.{key}"),
                    change,
                    item,
                    "HTTP binding changed",
                );
            }
        }
        if old.idempotency_token != new.idempotency_token {
            let change = format!(
                "{member}: idempotencyToken changed from {} to {} (the client {} fills it in)",
                old.idempotency_token,
                new.idempotency_token,
                if new.idempotency_token {
                    "now"
                } else {
                    "no longer"
                }
            );
            let severity = if in_input {
                Severity::Risky
            } else {
                Severity::Docs
            };
            self.push(
                severity,
                format!("{path}.idempotencyToken"),
                change,
                item,
                "idempotency flag changed",
            );
        }
        if old.documentation != new.documentation {
            self.push(
                Severity::Docs,
                format!("{path}.documentation"),
                "documentation changed",
                item,
                "documentation changed",
            );
        }
    }

    /// A reference now points at another shape: harmless when the Rust type and the
    /// constraints are the same, risky when only the constraints differ, breaking when
    /// the Rust type changes.
    fn retarget(&mut self, path: &str, what: &str, old: &str, new: &str, item: &str, used: bool) {
        let (old_type, new_type) = (self.old.rust_type(old), self.new.rust_type(new));
        let (Some(old_shape), Some(new_shape)) = (self.old.shape(old), self.new.shape(new)) else {
            return;
        };
        let same_checks = old_shape.min == new_shape.min
            && old_shape.max == new_shape.max
            && old_shape.pattern == new_shape.pattern;
        let (severity, note) = if old_type != new_type {
            (
                Severity::Breaking,
                format!("its Rust type changes from {old_type} to {new_type}"),
            )
        } else if !same_checks && self.new.in_input.contains(new) {
            (
                Severity::Risky,
                format!("same Rust type {new_type}, different constraints"),
            )
        } else {
            (Severity::Docs, format!("same Rust type {new_type}"))
        };
        let severity = if used { severity } else { Severity::Docs };
        self.push(
            severity,
            format!("{path}.shape"),
            format!("{what} retargeted from {old} to {new}: {note}"),
            item,
            "member retargeted",
        );
    }
}
