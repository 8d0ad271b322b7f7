//! The plan's types: what emitters read. Every Rust name and every decision about
//! types, boxing, redaction and placement is already made in them.

use super::constraints::MemberConstraints;
use super::names::OperationNames;
use super::validation::{Check, MemberCheck, ShapeValidator, UncheckedPattern};

/// Everything the emitters need to write one crate.
#[derive(Debug, Clone)]
pub struct Plan {
    pub crate_name: String,
    /// The generated crate's version (`customizations.json`'s `crate_version`).
    pub crate_version: String,
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
    /// Whether any operation is signed: the crate then re-exports the credential types its
    /// users configure (`Credentials`, `ProvideCredentials`, `CredentialsError`).
    pub fn signs(&self) -> bool {
        self.operations
            .iter()
            .any(|op| matches!(op.auth, AuthPlan::SigV4 { .. }))
    }

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
    /// The parameter names of `uri_query`: every request carries them, so a query map's
    /// entries are never read from them.
    pub static_query_keys: Vec<String>,
    /// The endpoint trait's host prefix (`data-` or `{Name}.`), labels bound to
    /// `hostLabel` input members.
    pub host_prefix: Option<Vec<UriPart>>,
    pub input: StructurePlan,
    /// What `validate()` checks on the input's own members.
    pub input_checks: Vec<MemberCheck>,
    pub output: StructurePlan,
    /// Every output member travels in the JSON body (or there is none): a response is
    /// its body alone, which the runtime writes whole for the test mock.
    pub output_body_only: bool,
    pub errors: Vec<ErrorVariant>,
    pub deprecated: Option<String>,
    /// Endpoint rule-set parameters this operation sets, by rule-set name: fixed values
    /// (`staticContextParams`) and input members (`contextParam`).
    pub endpoint_context: Vec<(String, ContextValue)>,
    /// The request carries `Content-MD5` (`httpChecksumRequired`).
    pub content_md5: bool,
    /// Large request bodies are gzipped (`requestcompression` lists `gzip`).
    pub gzip_request: bool,
    /// How the operation's results continue on the next call, if they do.
    pub paginator: Option<PaginatorPlan>,
    /// The input's query members other than maps, whose names win over a query map's
    /// entries with the same key.
    pub named_query: Vec<NamedQuery>,
    /// Why this client cannot call the operation yet (it uses event streams); its
    /// `send()` then fails without sending anything, and the docs say so.
    pub unsupported: Option<String>,
    /// How its requests are authenticated.
    pub auth: AuthPlan,
}

/// A query member that is not a map: the query parameter it fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedQuery {
    /// The input's field.
    pub field: String,
    /// The parameter's name.
    pub name: String,
}

/// How an operation's requests are authenticated (the model's `auth`, `authtype` and
/// `signatureVersion`, unless `customizations.json` says otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthPlan {
    /// Unsigned.
    None,
    /// SigV4 with this signing name; `unsigned_payload` for `v4-unsigned-body`.
    SigV4 {
        signing_name: String,
        unsigned_payload: bool,
    },
    /// A scheme the runtime cannot use yet (bearer tokens, SigV4a alone), by name.
    Unsupported(String),
}

/// A paginated operation: what `into_paginator()` reads and sets between pages.
#[derive(Debug, Clone)]
pub struct PaginatorPlan {
    /// The input member the next page's token goes into.
    pub input_token: MemberPlan,
    /// The output members leading to the next token (one, unless it is nested).
    pub output_token: Vec<MemberPlan>,
    /// The input member limiting a page's size (`page_size(n)`), if there is one.
    pub page_size: Option<MemberPlan>,
    /// The output members leading to the page's results, when there is one result list:
    /// then `items()` streams its elements.
    pub items: Option<Vec<MemberPlan>>,
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
    /// For a modeled exception (in `types::error`): its code and message member.
    pub error: Option<ErrorInfo>,
    pub deprecated: Option<String>,
    /// Which ways it travels as a JSON body: written in requests (its body members, for an
    /// input), read from responses (for an output, its body members; exceptions always).
    pub wire: Wire,
    /// An operation's output: it also carries the response's request id.
    pub is_output: bool,
    /// A modeled exception (in `types::error`): it also keeps the error response's
    /// metadata (code, message, status, request id).
    pub is_exception: bool,
}

/// Which directions a type travels in as JSON; only what is needed is generated, to keep
/// generated code and build time down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wire {
    pub serialize: bool,
    pub deserialize: bool,
}

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The error code the service sends for this exception (the model's `error.code`, else
    /// the shape name).
    pub code: String,
    /// The field of its message member (`message` or `Message`, a string), which holds the
    /// message the runtime finds in the error response whatever its key's case.
    pub message_field: Option<String>,
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
    /// What validation checks of it in a request (empty where nothing is checked, and in
    /// structures that only travel in responses).
    pub constraints: MemberConstraints,
}

impl MemberPlan {
    /// Whether the member travels outside a JSON body (URI, query, headers, status code).
    pub fn travels_outside_body(&self) -> bool {
        !matches!(self.location, Location::Body { .. } | Location::Payload(_))
    }
}

/// Where a member travels in the HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Body {
        json_name: String,
    },
    /// A header, by its name in lower case.
    Header(String),
    /// Headers named by a prefix (lower case) and a map member's keys.
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
