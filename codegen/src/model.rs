//! Stage 1, load: serde types for botocore's `service-2.json`.
//!
//! These mirror the JSON as written. Unknown keys are tolerated (botocore adds keys over
//! time); every key the later stages read is listed here. Maps keep file order so that
//! output follows the model's own member order.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;

use crate::error::Error;

/// A whole botocore service model.
#[derive(Debug, Clone, Deserialize)]
pub struct Model {
    pub metadata: Metadata,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub operations: IndexMap<String, Operation>,
    #[serde(default)]
    pub shapes: IndexMap<String, Shape>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub protocol: String,
    #[serde(default)]
    pub protocols: Vec<String>,
    pub api_version: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub service_id: Option<String>,
    pub service_full_name: Option<String>,
    pub service_abbreviation: Option<String>,
    pub signing_name: Option<String>,
    pub signature_version: Option<String>,
    pub json_version: Option<String>,
    pub target_prefix: Option<String>,
    pub uid: Option<String>,
    #[serde(default)]
    pub auth: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub name: String,
    pub http: Http,
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    pub documentation: Option<String>,
    pub authtype: Option<String>,
    #[serde(default)]
    pub auth: Vec<String>,
    pub endpoint: Option<OperationEndpoint>,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub idempotent: bool,
    /// Endpoint rule-set parameters this operation fixes (`{"ApiType": {"value": "DataPlane"}}`).
    #[serde(default)]
    pub static_context_params: IndexMap<String, StaticContextParam>,
    /// The request needs a `Content-MD5` header.
    #[serde(default)]
    pub http_checksum_required: bool,
    /// The request body may be compressed with these encodings (`gzip`).
    #[serde(default, rename = "requestcompression")]
    pub request_compression: Option<RequestCompression>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RequestCompression {
    #[serde(default)]
    pub encodings: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StaticContextParam {
    pub value: serde_json::Value,
}

/// A member whose value is an endpoint rule-set parameter (`{"name": "KvsARN"}`).
#[derive(Debug, Clone, Deserialize)]
pub struct ContextParam {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    pub method: String,
    pub request_uri: String,
    pub response_code: Option<u16>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationEndpoint {
    pub host_prefix: Option<String>,
}

/// A reference to a shape: an operation's input, a structure member, a list member.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapeRef {
    pub shape: String,
    pub location: Option<HttpLocation>,
    pub location_name: Option<String>,
    pub documentation: Option<String>,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default)]
    pub jsonvalue: bool,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    pub timestamp_format: Option<TimestampFormat>,
    #[serde(default)]
    pub host_label: bool,
    pub context_param: Option<ContextParam>,
}

/// Where a member travels in the HTTP message, when not in the JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HttpLocation {
    Header,
    /// A map member sent as headers sharing a prefix.
    Headers,
    Uri,
    Querystring,
    StatusCode,
}

/// A timestamp's format as the model names it (`timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum TimestampFormat {
    #[serde(rename = "iso8601")]
    Iso8601,
    #[serde(rename = "rfc822")]
    Rfc822,
    #[serde(rename = "unixTimestamp")]
    UnixTimestamp,
}

/// What a shape is. A list or map carries its element references, so no later stage has
/// to ask whether they are there. An unknown `type`, or a list or map without its
/// elements, fails loading with the shape's JSON path.
#[derive(Debug, Clone)]
pub enum ShapeKind {
    Structure,
    List { member: ShapeRef },
    Map { key: ShapeRef, value: ShapeRef },
    String,
    Character,
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    Timestamp,
    Blob,
}

/// The `type` names of botocore, in the order error messages list them.
const SHAPE_TYPES: &[&str] = &[
    "structure",
    "list",
    "map",
    "string",
    "character",
    "integer",
    "long",
    "short",
    "byte",
    "float",
    "double",
    "boolean",
    "timestamp",
    "blob",
];

impl ShapeKind {
    /// The model's name for the kind (`structure`, `list`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            ShapeKind::Structure => "structure",
            ShapeKind::List { .. } => "list",
            ShapeKind::Map { .. } => "map",
            ShapeKind::String => "string",
            ShapeKind::Character => "character",
            ShapeKind::Boolean => "boolean",
            ShapeKind::Byte => "byte",
            ShapeKind::Short => "short",
            ShapeKind::Integer => "integer",
            ShapeKind::Long => "long",
            ShapeKind::Float => "float",
            ShapeKind::Double => "double",
            ShapeKind::Timestamp => "timestamp",
            ShapeKind::Blob => "blob",
        }
    }

    /// `string` and `character` are both Rust `String`s.
    pub fn is_string(&self) -> bool {
        matches!(self, ShapeKind::String | ShapeKind::Character)
    }

    pub fn is_structure(&self) -> bool {
        matches!(self, ShapeKind::Structure)
    }

    /// Whether `min`/`max` mean something: a length (strings, blobs, lists, maps) or a
    /// range (numbers).
    pub fn has_length_or_range(&self) -> bool {
        !matches!(
            self,
            ShapeKind::Structure | ShapeKind::Boolean | ShapeKind::Timestamp
        )
    }

    pub fn is_float(&self) -> bool {
        matches!(self, ShapeKind::Float | ShapeKind::Double)
    }
}

/// A named shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawShape")]
pub struct Shape {
    pub kind: ShapeKind,
    pub members: IndexMap<String, ShapeRef>,
    pub required: Vec<String>,
    pub min: Option<serde_json::Number>,
    pub max: Option<serde_json::Number>,
    pub pattern: Option<String>,
    pub enum_values: Option<Vec<String>>,
    pub sensitive: bool,
    pub documentation: Option<String>,
    pub error: Option<ErrorTrait>,
    pub exception: bool,
    pub fault: bool,
    pub union: bool,
    pub payload: Option<String>,
    pub timestamp_format: Option<TimestampFormat>,
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    pub document: bool,
    pub streaming: bool,
    pub event: bool,
    pub eventstream: bool,
}

/// A shape as written in the file, before its `type` is turned into a [`ShapeKind`].
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    members: IndexMap<String, ShapeRef>,
    #[serde(default)]
    required: Vec<String>,
    member: Option<ShapeRef>,
    key: Option<ShapeRef>,
    value: Option<ShapeRef>,
    min: Option<serde_json::Number>,
    max: Option<serde_json::Number>,
    pattern: Option<String>,
    #[serde(rename = "enum")]
    enum_values: Option<Vec<String>>,
    #[serde(default)]
    sensitive: bool,
    documentation: Option<String>,
    error: Option<ErrorTrait>,
    #[serde(default)]
    exception: bool,
    #[serde(default)]
    fault: bool,
    #[serde(default)]
    union: bool,
    payload: Option<String>,
    timestamp_format: Option<TimestampFormat>,
    #[serde(default)]
    deprecated: bool,
    deprecated_message: Option<String>,
    #[serde(default)]
    document: bool,
    #[serde(default)]
    streaming: bool,
    #[serde(default)]
    event: bool,
    #[serde(default)]
    eventstream: bool,
}

impl TryFrom<RawShape> for Shape {
    type Error = String;

    fn try_from(raw: RawShape) -> Result<Shape, String> {
        let needs = |reference: Option<ShapeRef>, key: &str| {
            reference.ok_or_else(|| format!("a {} needs a \"{key}\" shape", raw.kind))
        };
        let kind = match raw.kind.as_str() {
            "structure" => ShapeKind::Structure,
            "list" => ShapeKind::List {
                member: needs(raw.member, "member")?,
            },
            "map" => ShapeKind::Map {
                key: needs(raw.key, "key")?,
                value: needs(raw.value, "value")?,
            },
            "string" => ShapeKind::String,
            "character" => ShapeKind::Character,
            "boolean" => ShapeKind::Boolean,
            "byte" => ShapeKind::Byte,
            "short" => ShapeKind::Short,
            "integer" => ShapeKind::Integer,
            "long" => ShapeKind::Long,
            "float" => ShapeKind::Float,
            "double" => ShapeKind::Double,
            "timestamp" => ShapeKind::Timestamp,
            "blob" => ShapeKind::Blob,
            other => {
                return Err(format!(
                    "unknown shape type \"{other}\" (expected one of: {})",
                    SHAPE_TYPES.join(", ")
                ))
            }
        };
        Ok(Shape {
            kind,
            members: raw.members,
            required: raw.required,
            min: raw.min,
            max: raw.max,
            pattern: raw.pattern,
            enum_values: raw.enum_values,
            sensitive: raw.sensitive,
            documentation: raw.documentation,
            error: raw.error,
            exception: raw.exception,
            fault: raw.fault,
            union: raw.union,
            payload: raw.payload,
            timestamp_format: raw.timestamp_format,
            deprecated: raw.deprecated,
            deprecated_message: raw.deprecated_message,
            document: raw.document,
            streaming: raw.streaming,
            event: raw.event,
            eventstream: raw.eventstream,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

impl Shape {
    /// The references this shape makes: structure members, list member, map key and value.
    pub fn references(&self) -> impl Iterator<Item = &ShapeRef> {
        self.members.values().chain(self.element_references())
    }

    /// A list's member, a map's key and value; nothing for other kinds.
    pub fn element_references(&self) -> impl Iterator<Item = &ShapeRef> {
        let elements: [Option<&ShapeRef>; 2] = match &self.kind {
            ShapeKind::List { member } => [Some(member), None],
            ShapeKind::Map { key, value } => [Some(key), Some(value)],
            _ => [None, None],
        };
        elements.into_iter().flatten()
    }
}

impl Model {
    /// Every shape reachable from `roots` (the roots included) through members, list
    /// members and map keys and values. Names of shapes that do not exist are skipped.
    pub fn reachable_from<'m>(
        &'m self,
        roots: impl IntoIterator<Item = &'m str>,
    ) -> BTreeSet<&'m str> {
        let mut reached = BTreeSet::new();
        let mut stack: Vec<&str> = roots.into_iter().collect();
        while let Some(name) = stack.pop() {
            if let Some(shape) = self.shapes.get(name) {
                if reached.insert(name) {
                    stack.extend(shape.references().map(|r| r.shape.as_str()));
                }
            }
        }
        reached
    }

    /// The model cut down to `operations` and the shapes they reach (their inputs,
    /// outputs and errors, and all these refer to). The names must be the model's.
    pub fn select_operations(mut self, operations: &[String]) -> Model {
        self.operations.retain(|name, _| operations.contains(name));
        let roots: Vec<String> = self
            .operations
            .values()
            .flat_map(|op| op.input.iter().chain(&op.output).chain(&op.errors))
            .map(|r| r.shape.clone())
            .collect();
        let kept: BTreeSet<String> = self
            .reachable_from(roots.iter().map(String::as_str))
            .into_iter()
            .map(str::to_owned)
            .collect();
        self.shapes.retain(|name, _| kept.contains(name));
        self
    }

    /// Reads and parses a model file. A syntax error names its line and column; a value of
    /// the wrong type names its JSON path (`shapes.Foo.members`).
    pub fn load(path: &Path) -> Result<Model, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        Model::parse(&text).map_err(|message| Error::Load {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses model JSON text; the error message carries the JSON path of the problem.
    pub fn parse(text: &str) -> Result<Model, String> {
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                format!("not valid JSON: {inner}")
            } else if path == "." {
                inner.to_string()
            } else {
                format!("{path}: {inner}")
            }
        })
    }
}

/// The optional per-service customization file (`customizations.json` beside the model).
/// It holds choices the model does not express, so that emitters stay service-agnostic.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Customizations {
    /// Members (`Shape.Member`) whose values must never appear in `Debug` output, beyond
    /// those the model marks `sensitive`: bearer tokens, pre-signed URLs.
    #[serde(default)]
    pub sensitive_members: Vec<String>,
    /// HTTP header names whose bound members are secrets (e.g. `X-Amz-Bearer`).
    #[serde(default)]
    pub sensitive_headers: Vec<String>,
    /// Paginators botocore's `paginators-1.json` lacks, in its format (they win over
    /// botocore's for the same operation).
    #[serde(default)]
    pub paginators: IndexMap<String, Paginator>,
    /// The generated crate's version (`MAJOR.MINOR.PATCH`; default `0.1.0`), which
    /// `cargo xtask update` bumps by semver with each model update.
    pub crate_version: Option<String>,
    /// How every operation authenticates, overriding the model: `"none"` for a service
    /// whose requests carry tokens of their own (connectparticipant: the model says SigV4,
    /// the service wants its participant and connection tokens).
    pub auth: Option<AuthOverride>,
    /// The operations to generate (all when absent): the crate keeps only them and the
    /// shapes they reach, and the differ ignores the others.
    pub operations: Option<Vec<String>>,
}

/// [`Customizations::auth`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthOverride {
    /// Requests are not signed.
    None,
    /// Requests are signed with SigV4.
    Sigv4,
}

/// botocore's `paginators-1.json`: how an operation's results continue on the next
/// call. Tokens and result keys may be one name, a list of names, or a path
/// (`Result.NextToken`), so they are kept as JSON until `paginators::check` resolves them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Paginators {
    #[serde(default)]
    pub pagination: IndexMap<String, Paginator>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Paginator {
    pub input_token: serde_json::Value,
    pub output_token: serde_json::Value,
    pub limit_key: Option<String>,
    pub result_key: Option<serde_json::Value>,
    pub more_results: Option<String>,
}

impl Customizations {
    /// Every name must exist in the model: a typo would silently stop redacting a secret.
    /// The crate version must be `MAJOR.MINOR.PATCH`.
    pub fn check(&self, model: &Model) -> Vec<crate::error::Problem> {
        let mut problems = Vec::new();
        if let Some(version) = &self.crate_version {
            let parts: Vec<&str> = version.split('.').collect();
            let numeric = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
            if parts.len() != 3 || !parts.iter().all(numeric) {
                problems.push(crate::error::Problem {
                    path: "crate_version".to_owned(),
                    message: format!("{version:?} is not a version MAJOR.MINOR.PATCH"),
                });
            }
        }
        for (i, name) in self.operations.iter().flatten().enumerate() {
            if !model.operations.contains_key(name) {
                problems.push(crate::error::Problem {
                    path: format!("operations[{i}]"),
                    message: format!("{name:?} is not an operation of the model"),
                });
            }
        }
        if self.operations.as_ref().is_some_and(Vec::is_empty) {
            problems.push(crate::error::Problem {
                path: "operations".to_owned(),
                message: "lists no operation".to_owned(),
            });
        }
        for (i, entry) in self.sensitive_members.iter().enumerate() {
            let found = entry
                .split_once('.')
                .and_then(|(shape, member)| model.shapes.get(shape)?.members.get(member));
            if found.is_none() {
                problems.push(crate::error::Problem {
                    path: format!("sensitive_members[{i}]"),
                    message: format!(
                        "{entry:?} names no member of the model (expected \"Shape.Member\")"
                    ),
                });
            }
        }
        for (i, header) in self.sensitive_headers.iter().enumerate() {
            let bound = model
                .shapes
                .values()
                .flat_map(|s| s.members.values())
                .any(|m| {
                    m.location == Some(HttpLocation::Header)
                        && m.location_name
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(header))
                });
            if !bound {
                problems.push(crate::error::Problem {
                    path: format!("sensitive_headers[{i}]"),
                    message: format!("no member of the model is sent in header {header:?}"),
                });
            }
        }
        problems
    }

    pub fn load(path: &Path) -> Result<Customizations, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let deserializer = &mut serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(deserializer).map_err(|e| Error::Load {
            path: path.to_owned(),
            message: e.to_string(),
        })
    }
}
