//! Stage 3, plan: the checked model turned into what the emitters read. Every decision
//! about Rust names, types, boxing, redaction and placement is made here, in a named pass,
//! so that emitters only print.

use std::collections::{BTreeMap, BTreeSet};

use cycles::find_cycles;
use templates::{host_prefix_parts, uri_parts};

use crate::docs::html_to_markdown;
use crate::model::{
    self, AuthOverride, Customizations, HttpLocation, Model, Shape, ShapeKind, ShapeRef,
};
use crate::naming;
use crate::paginators::CheckedPaginators;
use crate::reach::Reachability;

mod constraints;
mod cycles;
pub mod names;
mod templates;
mod types;
mod validation;
pub use constraints::{KnownValues, MemberConstraints, PatternConstraint, Size, SizeUnit};
pub use names::OperationNames;
pub use types::*;
use validation::ValidationPlanner;
pub use validation::{Check, MemberCheck, ShapeValidator, UncheckedPattern};

/// Builds the plan from a model that passed the check stage, and its checked paginators.
/// The crate is named `crate_name`, or, when `None`, after the model
/// ([`names::crate_name`]).
pub fn plan(
    model: &Model,
    customizations: &Customizations,
    paginators: &CheckedPaginators,
    crate_name: Option<&str>,
) -> Plan {
    plan_reached(
        model,
        Reachability::of(model),
        customizations,
        paginators,
        crate_name,
    )
}

/// [`plan`] with the model's reachability already computed (the diff keeps it too).
pub fn plan_reached<'m>(
    model: &'m Model,
    reach: Reachability<'m>,
    customizations: &'m Customizations,
    paginators: &'m CheckedPaginators,
    crate_name: Option<&str>,
) -> Plan {
    let planner = Planner::new(model, reach, customizations, paginators);
    let crate_name = crate_name.map_or_else(|| names::crate_name(&model.metadata), str::to_owned);
    planner.plan(&crate_name)
}

struct Planner<'m> {
    model: &'m Model,
    customizations: &'m Customizations,
    paginators: &'m CheckedPaginators,
    /// Which shapes become types, travel each way, are exceptions.
    reach: Reachability<'m>,
    /// For each structure in a reference cycle, the id of its strongly connected component.
    cycle_component: BTreeMap<&'m str, usize>,
    validation: ValidationPlanner<'m>,
}

impl<'m> Planner<'m> {
    fn new(
        model: &'m Model,
        reach: Reachability<'m>,
        customizations: &'m Customizations,
        paginators: &'m CheckedPaginators,
    ) -> Self {
        Planner {
            model,
            customizations,
            paginators,
            cycle_component: find_cycles(model),
            validation: ValidationPlanner::new(model, reach.inside_inputs.clone()),
            reach,
        }
    }

    fn plan(&self, crate_name: &str) -> Plan {
        let service = self.service_info(crate_name);
        let mut operations: Vec<OperationPlan> = self
            .model
            .operations
            .iter()
            .map(|(name, op)| self.operation(name, op))
            .collect();
        operations.sort_by(|a, b| a.name.cmp(&b.name));
        let (mut types, mut errors) = self.type_defs();
        types.sort_by(|a, b| a.rust_name().cmp(b.rust_name()));
        errors.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        resolve_builder_names(&mut types, &mut errors);
        let unchecked_patterns = self.validation.unchecked_patterns();
        let validators = self.validation.validators(
            |name| self.rust_type(name),
            |name| {
                self.structure(name, &self.model.shapes[name], naming::type_name(name))
                    .members
            },
        );
        let index =
            constraints::ConstraintIndex::new(self.model, &validators, &unchecked_patterns, &types);
        constraints::annotate(&mut operations, &mut types, &index);
        Plan {
            crate_name: crate_name.to_owned(),
            crate_version: self
                .customizations
                .crate_version
                .clone()
                .unwrap_or_else(|| "0.1.0".to_owned()),
            service,
            operations,
            types,
            errors,
            validators,
            unchecked_patterns,
        }
    }

    /// The service's names and docs; its id is the crate's name when the model has none.
    fn service_info(&self, crate_name: &str) -> ServiceInfo {
        let metadata = &self.model.metadata;
        let service_id = metadata
            .service_id
            .clone()
            .unwrap_or_else(|| crate_name.to_owned());
        ServiceInfo {
            title: metadata
                .service_full_name
                .clone()
                .unwrap_or_else(|| service_id.clone()),
            env_name: service_id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect(),
            service_id,
            api_version: metadata.api_version.clone().unwrap_or_default(),
            docs: docs(self.model.documentation.as_deref()),
        }
    }

    /// Every reachable structure, union and enum (`types`), and the modeled exceptions
    /// (`types::error`), unsorted.
    fn type_defs(&self) -> (Vec<TypeDef>, Vec<StructurePlan>) {
        let mut types = Vec::new();
        let mut errors = Vec::new();
        for name in &self.reach.types {
            let shape = &self.model.shapes[*name];
            let structure = || self.structure(name, shape, naming::type_name(name));
            let nested = || self.in_body(structure(), shape);
            if self.reach.exceptions.contains(name) {
                let plan = structure();
                errors.push(StructurePlan {
                    is_exception: true,
                    // Every exception reads its body, leniently (see `emit::wire`).
                    wire: Wire {
                        deserialize: true,
                        ..plan.wire
                    },
                    error: Some(ErrorInfo {
                        code: error_code(name, shape),
                        message_field: message_field(&plan.members),
                    }),
                    ..plan
                });
            } else if shape.kind.is_structure() && shape.union {
                types.push(TypeDef::Union(nested()));
            } else if shape.kind.is_structure() {
                types.push(TypeDef::Structure(nested()));
            } else if let Some(values) = &shape.enum_values {
                types.push(TypeDef::Enum(enum_plan(
                    name,
                    shape,
                    values,
                    self.wire(name),
                )));
            }
        }
        (types, errors)
    }

    fn operation(&self, name: &str, op: &crate::model::Operation) -> OperationPlan {
        let names = names::operation(name);
        // An input is written as a JSON object when it has body members, an output read
        // as one when it has; a payload member's type is its own body.
        let mut input = self.io(&op.input, &names.input, &names.input_builder);
        input.wire.serialize = has_body_members(&input);
        let mut output = StructurePlan {
            is_output: true,
            ..self.io(&op.output, &names.output, &names.output_builder)
        };
        output.wire.deserialize = has_body_members(&output);
        let (path, query) = match op.http.request_uri.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (op.http.request_uri.as_str(), None),
        };
        OperationPlan {
            name: name.to_owned(),
            docs: docs(op.documentation.as_deref()),
            method: op.http.method.clone(),
            uri: op.http.request_uri.clone(),
            uri_parts: uri_parts(path, &input),
            host_prefix: op
                .endpoint
                .as_ref()
                .and_then(|e| e.host_prefix.as_deref())
                .map(|prefix| host_prefix_parts(prefix, &input)),
            static_query_keys: query.as_deref().map(query_keys).unwrap_or_default(),
            uri_query: query,
            input_checks: self.validation.member_checks(&input.members),
            endpoint_context: endpoint_context(op, &input),
            content_md5: op.http_checksum_required,
            unsupported: self.unsupported_feature(op),
            auth: self.auth(op),
            gzip_request: op
                .request_compression
                .as_ref()
                .is_some_and(|c| c.encodings.iter().any(|e| e == "gzip")),
            paginator: self.paginator(name, &input, &output),
            named_query: named_query(&input),
            input,
            output_body_only: output
                .members
                .iter()
                .all(|m| matches!(m.location, Location::Body { .. })),
            output,
            errors: self.error_variants(op),
            deprecated: deprecation(op.deprecated, &op.deprecated_message),
            names,
        }
    }

    /// An operation's input or output (an empty structure when the model has none); its
    /// wire directions are the operation's to decide.
    fn io(&self, reference: &Option<ShapeRef>, rust_name: &str, builder: &str) -> StructurePlan {
        match reference {
            Some(r) => StructurePlan {
                wire: Wire::default(),
                builder: builder.to_owned(),
                ..self.structure(&r.shape, &self.model.shapes[&r.shape], rust_name.to_owned())
            },
            None => StructurePlan {
                shape: String::new(),
                builder: builder.to_owned(),
                rust_name: rust_name.to_owned(),
                docs: String::new(),
                members: Vec::new(),
                sensitive: false,
                error: None,
                deprecated: None,
                wire: Wire::default(),
                is_output: false,
                is_exception: false,
            },
        }
    }

    /// The operation's error enum variants: one per exception it lists (a model may list
    /// one twice, as lexv2-models does), with its code and the members read from the
    /// response's headers or status code.
    fn error_variants(&self, op: &crate::model::Operation) -> Vec<ErrorVariant> {
        let mut seen = std::collections::BTreeSet::new();
        let unique: Vec<&ShapeRef> = op
            .errors
            .iter()
            .filter(|e| seen.insert(e.shape.as_str()))
            .collect();
        let variants: Vec<String> = unique.iter().map(|e| naming::type_name(&e.shape)).collect();
        let tests = names::error_tests(variants.iter().map(String::as_str));
        unique
            .into_iter()
            .zip(variants.into_iter().zip(tests))
            .map(|(e, (rust_name, test_method))| {
                let shape = &self.model.shapes[&e.shape];
                let response_members = self
                    .structure(&e.shape, shape, naming::type_name(&e.shape))
                    .members
                    .into_iter()
                    .filter(|m| {
                        matches!(
                            m.location,
                            Location::Header(_) | Location::PrefixHeaders(_) | Location::StatusCode
                        )
                    })
                    .collect();
                ErrorVariant {
                    rust_name,
                    test_method,
                    code: error_code(&e.shape, shape),
                    response_members,
                }
            })
            .collect()
    }

    /// The operation's paginator, its names resolved to the planned members: the token
    /// member of the input, the path to the next token and to the one result list (when
    /// there is exactly one) in the output, and the page-size member.
    fn paginator(
        &self,
        name: &str,
        input: &StructurePlan,
        output: &StructurePlan,
    ) -> Option<PaginatorPlan> {
        let paginator = self.paginators.get(name)?;
        let member =
            |s: &StructurePlan, name: &str| s.members.iter().find(|m| m.name == name).cloned();
        // `items()` streams one list's elements; other result keys give pages only.
        let items = match paginator.result_keys.as_slice() {
            [only] => Some(self.member_path(output, only)?)
                .filter(|path| matches!(path.last().map(|m| &m.ty), Some(RustType::List(_)))),
            _ => None,
        };
        Some(PaginatorPlan {
            input_token: member(input, &paginator.input_token)?,
            output_token: self.member_path(output, &paginator.output_token)?,
            page_size: match &paginator.limit_key {
                Some(key) => Some(member(input, key)?),
                None => None,
            },
            items,
        })
    }

    /// The members along `names` from `start` through nested structures.
    fn member_path(&self, start: &StructurePlan, names: &[String]) -> Option<Vec<MemberPlan>> {
        let mut path: Vec<MemberPlan> = Vec::new();
        for name in names {
            let member = match path.last() {
                None => start.members.iter().find(|m| m.name == *name)?.clone(),
                Some(parent) => {
                    let shape = self.model.shapes.get(&parent.target)?;
                    let planned =
                        self.structure(&parent.target, shape, naming::type_name(&parent.target));
                    planned.members.into_iter().find(|m| m.name == *name)?
                }
            };
            path.push(member);
        }
        Some(path)
    }

    /// A structure, union or exception. Its builder is named `{rust_name}Builder` here;
    /// [`resolve_builder_names`] renames one that would collide in the `types` modules.
    fn structure(&self, name: &str, shape: &Shape, rust_name: String) -> StructurePlan {
        let member_names = || shape.members.keys().map(String::as_str);
        let fields = naming::member_fields(member_names());
        let variants = if shape.union {
            names::variants(member_names())
        } else {
            vec![String::new(); shape.members.len()]
        };
        let members = shape
            .members
            .iter()
            .zip(fields.into_iter().zip(variants))
            .map(|((member_name, member), (field, variant))| MemberPlan {
                variant,
                ..self.member(name, shape, member_name, member, field)
            })
            .collect();
        StructurePlan {
            shape: name.to_owned(),
            builder: names::builder_name(&rust_name),
            rust_name,
            docs: docs(shape.documentation.as_deref()),
            members,
            sensitive: shape.sensitive,
            error: None,
            deprecated: deprecation(shape.deprecated, &shape.deprecated_message),
            wire: self.wire(name),
            is_output: false,
            is_exception: false,
        }
    }

    /// What in `op` a request/response client cannot honour: an event-stream member of
    /// its input or output.
    /// How the operation authenticates: `customizations.json` first; then the
    /// operation's own `auth`/`authtype` (`none`, `v4-unsigned-body`); then the service's
    /// schemes (`auth`, else `signatureVersion`), the first one the runtime can use.
    fn auth(&self, op: &crate::model::Operation) -> AuthPlan {
        let metadata = &self.model.metadata;
        let signing_name = metadata
            .signing_name
            .clone()
            .or_else(|| metadata.endpoint_prefix.clone())
            .unwrap_or_else(|| {
                metadata
                    .service_id
                    .clone()
                    .unwrap_or_default()
                    .to_lowercase()
            });
        let sigv4 = |unsigned_payload| AuthPlan::SigV4 {
            signing_name: signing_name.clone(),
            unsigned_payload,
        };
        match self.customizations.auth {
            Some(AuthOverride::None) => return AuthPlan::None,
            Some(AuthOverride::Sigv4) => return sigv4(false),
            None => {}
        }
        match op.authtype.as_deref() {
            Some("none") => return AuthPlan::None,
            Some("v4-unsigned-body") => return sigv4(true),
            _ => {}
        }
        let schemes: Vec<&str> = if !op.auth.is_empty() {
            op.auth.iter().map(String::as_str).collect()
        } else if !metadata.auth.is_empty() {
            metadata.auth.iter().map(String::as_str).collect()
        } else {
            match metadata.signature_version.as_deref() {
                Some("v4" | "s3v4") => vec!["aws.auth#sigv4"],
                Some("bearer") => vec!["smithy.api#httpBearerAuth"],
                Some(other) => vec![other],
                None => vec![],
            }
        };
        if schemes.is_empty() || schemes.contains(&"smithy.api#noAuth") {
            return AuthPlan::None;
        }
        if schemes.contains(&"aws.auth#sigv4") {
            return sigv4(false);
        }
        AuthPlan::Unsupported(schemes.join(", "))
    }

    fn unsupported_feature(&self, op: &crate::model::Operation) -> Option<String> {
        [("input", &op.input), ("output", &op.output)]
            .into_iter()
            .find_map(|(side, reference)| {
                let shape = &self.model.shapes[&reference.as_ref()?.shape];
                let (member, _) = shape.members.iter().find(|(_, m)| {
                    self.model.shapes.get(&m.shape).is_some_and(|t| t.eventstream)
                })?;
                Some(format!(
                    "its {side} member `{member}` is an event stream, which this client cannot {} yet",
                    if side == "input" { "send" } else { "read" }
                ))
            })
    }

    /// A structure of `types`, which only travels inside a JSON body: HTTP bindings
    /// (`location`) mean something only on an operation's input, output or error, so
    /// every member is a body member, under its `locationName` when it has one (as
    /// botocore writes it), its timestamps in the body's format.
    fn in_body(&self, mut structure: StructurePlan, shape: &Shape) -> StructurePlan {
        for member in &mut structure.members {
            if matches!(member.location, Location::Body { .. }) {
                continue;
            }
            let reference = &shape.members[&member.name];
            member.location = Location::Body {
                json_name: reference
                    .location_name
                    .clone()
                    .unwrap_or_else(|| member.name.clone()),
            };
            let target = &self.model.shapes[&reference.shape];
            member.timestamp_format = timestamp_format(reference, target, &member.location);
        }
        structure
    }

    fn wire(&self, name: &str) -> Wire {
        Wire {
            serialize: self.reach.in_requests.contains(name),
            deserialize: self.reach.in_responses.contains(name),
        }
    }

    fn member(
        &self,
        parent: &str,
        parent_shape: &Shape,
        name: &str,
        member: &ShapeRef,
        field: String,
    ) -> MemberPlan {
        let target = &self.model.shapes[&member.shape];
        let wire_name = member
            .location_name
            .clone()
            .unwrap_or_else(|| name.to_owned());
        let location = match member.location {
            // HTTP header names are case-insensitive; `http` keeps them in lower case.
            Some(HttpLocation::Header) => Location::Header(wire_name.to_ascii_lowercase()),
            Some(HttpLocation::Headers) => Location::PrefixHeaders(wire_name.to_ascii_lowercase()),
            Some(HttpLocation::Uri) => Location::Uri { label: wire_name },
            Some(HttpLocation::Querystring) => Location::Query(wire_name),
            Some(HttpLocation::StatusCode) => Location::StatusCode,
            None if parent_shape.payload.as_deref() == Some(name) => {
                Location::Payload(match target.kind {
                    ShapeKind::Blob => PayloadKind::Blob,
                    ShapeKind::String | ShapeKind::Character => PayloadKind::Text,
                    _ => PayloadKind::Json {
                        empty_object_when_unset: !target.union && !target.document,
                    },
                })
            }
            None => Location::Body {
                json_name: wire_name,
            },
        };
        let timestamp_format = timestamp_format(member, target, &location);
        let member_docs = member
            .documentation
            .as_deref()
            .or(target.documentation.as_deref());
        let (setter, getter) = names::accessors(&field);
        MemberPlan {
            name: name.to_owned(),
            field,
            setter,
            getter,
            variant: String::new(),
            docs: docs(member_docs),
            ty: self.rust_type(&member.shape),
            target: member.shape.clone(),
            required: parent_shape.required.iter().any(|r| r == name),
            sensitive: self.is_sensitive_member(parent, name, member, &location),
            location,
            idempotency_token: member.idempotency_token,
            boxed: self.in_same_cycle(parent, &member.shape),
            jsonvalue: member.jsonvalue,
            timestamp_format,
            deprecated: deprecation(member.deprecated, &member.deprecated_message),
            context_param: member.context_param.as_ref().map(|c| c.name.clone()),
            constraints: MemberConstraints::default(),
        }
    }

    fn rust_type(&self, shape_name: &str) -> RustType {
        let shape = &self.model.shapes[shape_name];
        let named = |module| {
            RustType::Named(TypePath {
                module,
                name: naming::type_name(shape_name),
            })
        };
        match &shape.kind {
            ShapeKind::String | ShapeKind::Character if shape.enum_values.is_some() => {
                named(TypeModule::Types)
            }
            ShapeKind::String | ShapeKind::Character => RustType::String,
            ShapeKind::Boolean => RustType::Bool,
            ShapeKind::Byte => RustType::Byte,
            ShapeKind::Short => RustType::Short,
            ShapeKind::Integer => RustType::Int,
            ShapeKind::Long => RustType::Long,
            ShapeKind::Float => RustType::Float,
            ShapeKind::Double => RustType::Double,
            ShapeKind::Timestamp => RustType::Timestamp,
            ShapeKind::Blob => RustType::Blob,
            ShapeKind::Structure if shape.document => RustType::Document,
            ShapeKind::Structure if self.reach.exceptions.contains(shape_name) => {
                named(TypeModule::Errors)
            }
            ShapeKind::Structure => named(TypeModule::Types),
            ShapeKind::List { member } => RustType::List(Box::new(self.rust_type(&member.shape))),
            ShapeKind::Map { key, value } => RustType::Map(
                Box::new(self.rust_type(&key.shape)),
                Box::new(self.rust_type(&value.shape)),
            ),
        }
    }

    /// A member is redacted when the model marks it or its target sensitive (directly or
    /// through a list or map), when it is bound to a secret header, or when the
    /// customization file names it.
    fn is_sensitive_member(
        &self,
        parent: &str,
        name: &str,
        member: &ShapeRef,
        location: &Location,
    ) -> bool {
        let customized = self
            .customizations
            .sensitive_members
            .iter()
            .any(|m| m.split_once('.') == Some((parent, name)));
        let secret_header = matches!(location, Location::Header(h)
            if self.customizations.sensitive_headers.iter().any(|s| s.eq_ignore_ascii_case(h)));
        customized || secret_header || self.is_sensitive_shape(&member.shape)
    }

    fn is_sensitive_shape(&self, shape_name: &str) -> bool {
        let shape = &self.model.shapes[shape_name];
        shape.sensitive
            || match &shape.kind {
                ShapeKind::List { member } => self.is_sensitive_shape(&member.shape),
                ShapeKind::Map { value, .. } => self.is_sensitive_shape(&value.shape),
                _ => false,
            }
    }

    fn in_same_cycle(&self, a: &str, b: &str) -> bool {
        matches!((self.cycle_component.get(a), self.cycle_component.get(b)), (Some(x), Some(y)) if x == y)
    }
}

fn timestamp_format(member: &ShapeRef, target: &Shape, location: &Location) -> TimestampFormat {
    let explicit = member.timestamp_format.or(target.timestamp_format);
    match (explicit, location) {
        (Some(model::TimestampFormat::Iso8601), _) => TimestampFormat::Iso8601,
        (Some(model::TimestampFormat::Rfc822), _) => TimestampFormat::HttpDate,
        (Some(model::TimestampFormat::UnixTimestamp), _) => TimestampFormat::EpochSeconds,
        (_, Location::Header(_) | Location::PrefixHeaders(_)) => TimestampFormat::HttpDate,
        (_, Location::Uri { .. } | Location::Query(_)) => TimestampFormat::Iso8601,
        _ => TimestampFormat::EpochSeconds,
    }
}

fn docs(html: Option<&str>) -> String {
    html.map(html_to_markdown).unwrap_or_default()
}

fn deprecation(deprecated: bool, message: &Option<String>) -> Option<String> {
    deprecated.then(|| message.clone().unwrap_or_default())
}

/// The member an exception's message goes into (services spell its key `message` or
/// `Message`; the runtime finds it, see `ErrorMetadata::message`): a string member of that
/// name in any case.
fn message_field(members: &[MemberPlan]) -> Option<String> {
    members
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case("message") && m.ty == RustType::String)
        .map(|m| m.field.clone())
}

/// The code a service sends for an exception: `error.code` when the model gives one,
/// else the shape name.
fn error_code(name: &str, shape: &Shape) -> String {
    shape
        .error
        .as_ref()
        .and_then(|e| e.code.clone())
        .unwrap_or_else(|| name.to_owned())
}

fn enum_plan(name: &str, shape: &Shape, values: &[String], wire: Wire) -> EnumPlan {
    let variants = names::variants(values.iter().map(String::as_str))
        .into_iter()
        .zip(values)
        .map(|(rust_name, value)| EnumVariant {
            rust_name,
            value: value.clone(),
        })
        .collect();
    EnumPlan {
        shape: name.to_owned(),
        rust_name: naming::type_name(name),
        docs: docs(shape.documentation.as_deref()),
        variants,
        wire,
    }
}

/// Builders live beside their types, so `FooBuilder` could also be a shape's own type
/// name: each module's builders take names no item of the module has yet.
fn resolve_builder_names(types: &mut [TypeDef], errors: &mut [StructurePlan]) {
    let mut taken: BTreeSet<String> = types.iter().map(|t| t.rust_name().to_owned()).collect();
    for def in types.iter_mut() {
        if let TypeDef::Structure(s) | TypeDef::Union(s) = def {
            s.builder = names::builder(&s.rust_name, &mut taken);
        }
    }
    let mut taken: BTreeSet<String> = errors.iter().map(|e| e.rust_name.clone()).collect();
    for error in errors.iter_mut() {
        error.builder = names::builder(&error.rust_name, &mut taken);
    }
}

/// The rule-set parameters an operation sets: its static values, then its input members
/// marked `contextParam` (which win, as the AWS SDKs order them).
fn endpoint_context(
    op: &crate::model::Operation,
    input: &StructurePlan,
) -> Vec<(String, ContextValue)> {
    let fixed = op
        .static_context_params
        .iter()
        .map(|(name, param)| (name.clone(), ContextValue::Static(param.value.clone())));
    let members = input.members.iter().filter_map(|m| {
        let name = m.context_param.clone()?;
        Some((
            name,
            ContextValue::Member {
                field: m.field.clone(),
                ty: m.ty.clone(),
            },
        ))
    });
    fixed.chain(members).collect()
}

/// Whether a structure has members in a JSON body (not a payload member, which is the
/// body itself).
fn has_body_members(structure: &StructurePlan) -> bool {
    structure
        .members
        .iter()
        .any(|m| matches!(m.location, Location::Body { .. }))
}

/// The parameter names of a fixed query string (`flag&x=1` → `flag`, `x`).
fn query_keys(query: &str) -> Vec<String> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').map_or(pair, |(key, _)| key).to_owned())
        .collect()
}

/// The input's query members other than maps: their names win over a map member's
/// entries with the same key (the AWS SDKs' rule).
fn named_query(input: &StructurePlan) -> Vec<NamedQuery> {
    input
        .members
        .iter()
        .filter_map(|m| match (&m.location, &m.ty) {
            (Location::Query(_), RustType::Map(..)) => None,
            (Location::Query(name), _) => Some(NamedQuery {
                field: m.field.clone(),
                name: name.clone(),
            }),
            _ => None,
        })
        .collect()
}
