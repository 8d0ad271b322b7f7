//! Stage 3, plan: the checked model turned into what the emitters read. Every decision
//! about Rust names, types, boxing, redaction and placement is made here, in a named pass,
//! so that emitters only print.

use std::collections::{BTreeMap, BTreeSet};

use crate::docs::html_to_markdown;
use crate::model::{self, Customizations, HttpLocation, Model, Shape, ShapeKind, ShapeRef};
use crate::naming;
use crate::template::{self, Piece};

pub mod names;
mod validation;
pub use names::OperationNames;
use validation::ValidationPlanner;
pub use validation::{Check, MemberCheck, ShapeValidator, UncheckedPattern};

/// Everything the emitters need to write one crate.
#[derive(Debug, Clone)]
pub struct Plan {
    pub crate_name: String,
    pub service: ServiceInfo,
    /// Sorted by operation name.
    pub operations: Vec<OperationPlan>,
    /// Structures, unions and enums of the `types` module, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Modeled exceptions, in `types::error`, sorted by Rust name.
    pub errors: Vec<StructurePlan>,
    /// A validator per constrained shape reachable from an input, by function name.
    pub validators: Vec<ShapeValidator>,
    /// Model patterns the client cannot check (its regex engine cannot compile them).
    pub unchecked_patterns: Vec<UncheckedPattern>,
}

impl Plan {
    /// Whether any validator matches a pattern (the runtime's `patterns` feature).
    pub fn uses_patterns(&self) -> bool {
        self.validators.iter().any(|v| {
            matches!(
                v.check,
                Check::String {
                    pattern: Some(_),
                    ..
                }
            )
        })
    }
}

#[derive(Debug, Clone)]
pub struct ServiceInfo {
    pub title: String,
    pub service_id: String,
    /// The service id as environment variables spell it: `CONNECTPARTICIPANT`, `IOT_DATA`.
    pub env_name: String,
    pub api_version: String,
    pub docs: String,
}

#[derive(Debug, Clone)]
pub struct OperationPlan {
    /// The model's name, `SendMessage`.
    pub name: String,
    /// The Rust names of its module, client method and items.
    pub names: OperationNames,
    pub docs: String,
    pub method: String,
    pub uri: String,
    /// The URI path split into literals and labels.
    pub uri_parts: Vec<UriPart>,
    /// A fixed query string written into the URI itself (`/path?flag`), without `?`.
    pub uri_query: Option<String>,
    /// The endpoint trait's host prefix (`data-` or `{Name}.`), labels bound to
    /// `hostLabel` input members.
    pub host_prefix: Option<Vec<UriPart>>,
    pub input: StructurePlan,
    /// What `validate()` checks on the input's own members.
    pub input_checks: Vec<MemberCheck>,
    pub output: StructurePlan,
    pub errors: Vec<ErrorVariant>,
    pub deprecated: Option<String>,
    /// Endpoint rule-set parameters this operation sets, by rule-set name: fixed values
    /// (`staticContextParams`) and input members (`contextParam`).
    pub endpoint_context: Vec<(String, ContextValue)>,
    /// The request carries `Content-MD5` (`httpChecksumRequired`).
    pub content_md5: bool,
    /// Large request bodies are gzipped (`requestcompression` lists `gzip`).
    pub gzip_request: bool,
    /// Why this client cannot call the operation yet (it uses event streams); its
    /// `send()` then fails without sending anything, and the docs say so.
    pub unsupported: Option<String>,
}

/// Where an operation's endpoint context parameter comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextValue {
    Static(serde_json::Value),
    /// The input member with this field name.
    Member {
        field: String,
        ty: RustType,
    },
}

/// One modeled exception an operation can return.
#[derive(Debug, Clone)]
pub struct ErrorVariant {
    /// The variant of the operation's error enum and the type in `types::error`.
    pub rust_name: String,
    /// The error enum's method that tests for this variant, `is_throttling_exception`.
    pub test_method: String,
    /// The error code on the wire (the shape name, or `error.code`).
    pub code: String,
    /// Members read from the response's headers or status code rather than its body.
    pub response_members: Vec<MemberPlan>,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Structure(StructurePlan),
    Union(StructurePlan),
    Enum(EnumPlan),
}

impl TypeDef {
    pub fn rust_name(&self) -> &str {
        match self {
            TypeDef::Structure(s) | TypeDef::Union(s) => &s.rust_name,
            TypeDef::Enum(e) => &e.rust_name,
        }
    }
}

#[derive(Debug, Clone)]
pub struct StructurePlan {
    /// The model's shape name.
    pub shape: String,
    pub rust_name: String,
    /// The builder type's name (`SendMessageInputBuilder`), in the same module.
    pub builder: String,
    pub docs: String,
    pub members: Vec<MemberPlan>,
    /// The whole structure is sensitive: its `Debug` shows nothing of it.
    pub sensitive: bool,
    pub error: Option<ErrorInfo>,
    pub deprecated: Option<String>,
    /// Which serde traits the wire needs: requests serialize, responses deserialize.
    pub wire: Wire,
    /// An operation's output: it also carries the response's request id.
    pub is_output: bool,
}

/// Which directions a type travels in; only what is needed is derived, to keep
/// generated code and build time down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wire {
    pub serialize: bool,
    pub deserialize: bool,
}

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The error code the service sends for this exception.
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct MemberPlan {
    /// The member's name in the model.
    pub name: String,
    /// The field, getter and setter identifier (`connection_token`, `r#type`).
    pub field: String,
    /// The builders' `set_x` and `get_x` methods.
    pub setter: String,
    pub getter: String,
    /// In a union, the member's variant (`Text`); empty in a structure.
    pub variant: String,
    pub docs: String,
    pub ty: RustType,
    /// The target shape's name, for constraints.
    pub target: String,
    pub required: bool,
    pub location: Location,
    pub idempotency_token: bool,
    /// `Debug` prints a redaction marker instead of the value.
    pub sensitive: bool,
    /// The field is boxed because the structure contains itself through it.
    pub boxed: bool,
    /// A string holding JSON text (`jsonvalue`), sent base64-encoded in a header.
    pub jsonvalue: bool,
    /// How a timestamp member (or the timestamps in a list or map member) is written
    /// and read where this member travels.
    pub timestamp_format: TimestampFormat,
    pub deprecated: Option<String>,
    /// The endpoint rule-set parameter this member's value is (`contextParam`).
    pub context_param: Option<String>,
}

/// Where a member travels in the HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Body {
        json_name: String,
    },
    Header(String),
    PrefixHeaders(String),
    Uri {
        label: String,
    },
    Query(String),
    StatusCode,
    /// The member is the whole body (the structure's `payload`).
    Payload(PayloadKind),
}

/// How a payload member travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    /// Raw bytes (`application/octet-stream`).
    Blob,
    /// Raw text: a string or an enum value (`text/plain`).
    Text,
    /// JSON: a structure (sends `{}` when unset), a union or a document (send nothing).
    Json { empty_object_when_unset: bool },
}

/// A timestamp's wire format: the model's `timestampFormat` on the member or its
/// target, else the default of where it travels (headers: HTTP date; URI labels and
/// query strings: ISO 8601; JSON: epoch seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    EpochSeconds,
    Iso8601,
    HttpDate,
}

/// A piece of an operation's request URI path.
#[derive(Debug, Clone)]
pub enum UriPart {
    Literal(String),
    /// `{Label}` or, greedy, `{Label+}`: the input member whose value it is.
    Label {
        member: Box<MemberPlan>,
        greedy: bool,
    },
}

/// The Rust type of a member or collection element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    String,
    Bool,
    Byte,
    Short,
    Int,
    Long,
    Float,
    Double,
    Timestamp,
    Blob,
    Document,
    /// A generated type, `crate::types::ChatItemType` or `crate::types::error::...`.
    Named(TypePath),
    List(Box<RustType>),
    Map(Box<RustType>, Box<RustType>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypePath {
    pub module: TypeModule,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeModule {
    Types,
    Errors,
}

impl RustType {
    /// Copy types are returned by value from getters; the rest by reference.
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            RustType::Bool
                | RustType::Byte
                | RustType::Short
                | RustType::Int
                | RustType::Long
                | RustType::Float
                | RustType::Double
                | RustType::Timestamp
        )
    }
}

#[derive(Debug, Clone)]
pub struct EnumPlan {
    pub shape: String,
    pub rust_name: String,
    pub docs: String,
    pub variants: Vec<EnumVariant>,
    pub wire: Wire,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub rust_name: String,
    pub value: String,
}

/// Builds the plan from a model that passed the check stage.
pub fn plan(model: &Model, customizations: &Customizations, crate_name: &str) -> Plan {
    let planner = Planner::new(model, customizations);
    planner.plan(crate_name)
}

struct Planner<'m> {
    model: &'m Model,
    customizations: &'m Customizations,
    /// Shapes (structures and enums) reached from any operation, excluding the synthetic
    /// operation inputs and outputs unless a member also refers to them.
    reachable: BTreeSet<&'m str>,
    /// For each structure in a reference cycle, the id of its strongly connected component.
    cycle_component: BTreeMap<&'m str, usize>,
    exceptions: BTreeSet<&'m str>,
    validation: ValidationPlanner<'m>,
    /// Shapes inside requests (need `Serialize`) and inside responses (`Deserialize`).
    in_requests: BTreeSet<&'m str>,
    in_responses: BTreeSet<&'m str>,
}

impl<'m> Planner<'m> {
    fn new(model: &'m Model, customizations: &'m Customizations) -> Self {
        let exceptions = model
            .operations
            .values()
            .flat_map(|op| op.errors.iter().map(|e| e.shape.as_str()))
            .collect();
        Planner {
            model,
            customizations,
            reachable: find_reachable(model),
            cycle_component: find_cycles(model),
            exceptions,
            validation: ValidationPlanner::new(model),
            in_requests: model.reachable_from(
                model
                    .operations
                    .values()
                    .filter_map(|op| op.input.as_ref())
                    .map(|r| r.shape.as_str()),
            ),
            in_responses: model.reachable_from(
                model
                    .operations
                    .values()
                    .flat_map(|op| op.output.iter().chain(&op.errors))
                    .map(|r| r.shape.as_str()),
            ),
        }
    }

    fn plan(&self, crate_name: &str) -> Plan {
        let metadata = &self.model.metadata;
        let service_id = metadata
            .service_id
            .clone()
            .unwrap_or_else(|| crate_name.to_owned());
        let service = ServiceInfo {
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
        };
        let mut operations: Vec<OperationPlan> = self
            .model
            .operations
            .iter()
            .map(|(name, op)| self.operation(name, op))
            .collect();
        operations.sort_by(|a, b| a.name.cmp(&b.name));

        let mut types = Vec::new();
        let mut errors = Vec::new();
        for name in &self.reachable {
            let shape = &self.model.shapes[*name];
            if self.exceptions.contains(name) {
                errors.push(self.structure(name, shape, naming::type_name(name)));
            } else if shape.kind.is_structure() && shape.union {
                types.push(TypeDef::Union(self.structure(
                    name,
                    shape,
                    naming::type_name(name),
                )));
            } else if shape.kind.is_structure() {
                types.push(TypeDef::Structure(self.structure(
                    name,
                    shape,
                    naming::type_name(name),
                )));
            } else if let Some(values) = &shape.enum_values {
                types.push(TypeDef::Enum(enum_plan(
                    name,
                    shape,
                    values,
                    self.wire(name),
                )));
            }
        }
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
        Plan {
            crate_name: crate_name.to_owned(),
            service,
            operations,
            types,
            errors,
            validators,
            unchecked_patterns,
        }
    }

    fn operation(&self, name: &str, op: &crate::model::Operation) -> OperationPlan {
        let names = names::operation(name);
        // An operation's input is only ever sent and its output only received.
        let io = |reference: &Option<ShapeRef>, rust_name: &String, wire: Wire| match reference {
            Some(r) => StructurePlan {
                wire,
                ..self.structure(&r.shape, &self.model.shapes[&r.shape], rust_name.clone())
            },
            None => StructurePlan {
                shape: String::new(),
                builder: format!("{rust_name}Builder"),
                rust_name: rust_name.clone(),
                docs: String::new(),
                members: Vec::new(),
                sensitive: false,
                error: None,
                deprecated: None,
                wire,
                is_output: false,
            },
        };
        // A model may list an error twice (lexv2-models does): one variant each.
        let mut seen = std::collections::BTreeSet::new();
        let unique: Vec<&ShapeRef> = op
            .errors
            .iter()
            .filter(|e| seen.insert(e.shape.as_str()))
            .collect();
        let variants: Vec<String> = unique.iter().map(|e| naming::type_name(&e.shape)).collect();
        let tests = names::error_tests(variants.iter().map(String::as_str));
        let errors = unique
            .into_iter()
            .zip(variants.into_iter().zip(tests))
            .map(|(e, (rust_name, test_method))| {
                let shape = &self.model.shapes[&e.shape];
                ErrorVariant {
                    rust_name,
                    test_method,
                    code: error_code(&e.shape, shape),
                    response_members: self
                        .structure(&e.shape, shape, naming::type_name(&e.shape))
                        .members
                        .into_iter()
                        .filter(|m| {
                            matches!(
                                m.location,
                                Location::Header(_)
                                    | Location::PrefixHeaders(_)
                                    | Location::StatusCode
                            )
                        })
                        .collect(),
                }
            })
            .collect();
        let input = io(
            &op.input,
            &names.input,
            Wire {
                serialize: true,
                deserialize: false,
            },
        );
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
            uri_query: query,
            input_checks: self.validation.member_checks(&input.members),
            endpoint_context: endpoint_context(op, &input),
            content_md5: op.http_checksum_required,
            unsupported: self.unsupported_feature(op),
            gzip_request: op
                .request_compression
                .as_ref()
                .is_some_and(|c| c.encodings.iter().any(|e| e == "gzip")),
            input,
            output: StructurePlan {
                is_output: true,
                ..io(
                    &op.output,
                    &names.output,
                    Wire {
                        serialize: false,
                        deserialize: true,
                    },
                )
            },
            errors,
            deprecated: deprecation(op.deprecated, &op.deprecated_message),
            names,
        }
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
            builder: format!("{rust_name}Builder"),
            rust_name,
            docs: docs(shape.documentation.as_deref()),
            members,
            sensitive: shape.sensitive,
            error: (shape.exception || shape.error.is_some()).then(|| ErrorInfo {
                code: error_code(name, shape),
            }),
            deprecated: deprecation(shape.deprecated, &shape.deprecated_message),
            wire: self.wire(name),
            is_output: false,
        }
    }

    /// What in `op` a request/response client cannot honour: an event-stream member of
    /// its input or output.
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

    fn wire(&self, name: &str) -> Wire {
        Wire {
            serialize: self.in_requests.contains(name),
            deserialize: self.in_responses.contains(name),
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
            Some(HttpLocation::Header) => Location::Header(wire_name),
            Some(HttpLocation::Headers) => Location::PrefixHeaders(wire_name),
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
            ShapeKind::Structure if self.exceptions.contains(shape_name) => {
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

/// Shapes that become items of the `types` module: structures and enums reachable from an
/// operation through members, list elements and map values, plus every modeled exception.
/// An operation's own input and output are emitted in its module, so they count only when
/// something else refers to them.
fn find_reachable(model: &Model) -> BTreeSet<&str> {
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

/// Splits a URI path template into literals and labels bound to input members.
fn uri_parts(path: &str, input: &StructurePlan) -> Vec<UriPart> {
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
fn host_prefix_parts(prefix: &str, input: &StructurePlan) -> Vec<UriPart> {
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

/// The shapes a shape refers to directly.
fn children(shape: &Shape) -> impl Iterator<Item = &str> {
    shape.references().map(|r| r.shape.as_str())
}

/// Structures that contain themselves, directly or through other structures, without a
/// list or map in between, need a `Box` to have a finite size. Tarjan's algorithm finds
/// the strongly connected components of the structure-to-structure member graph; members
/// that stay inside a component (or point at their own structure) are boxed.
fn find_cycles(model: &Model) -> BTreeMap<&str, usize> {
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
