//! Stage 1, load: serde types for botocore's `service-2.json`.
//!
//! These mirror the JSON as written. Unknown keys are tolerated (botocore adds keys over
//! time); every key the later stages read is listed here. Maps keep file order so that
//! output follows the model's own member order.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;

use crate::Error;

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
    pub location: Option<String>,
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
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub host_label: bool,
    pub context_param: Option<ContextParam>,
}

/// A named shape. `type` is kept as a string so that an unknown type is reported by the
/// check stage with its JSON path rather than as an opaque serde error.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub members: IndexMap<String, ShapeRef>,
    #[serde(default)]
    pub required: Vec<String>,
    pub member: Option<ShapeRef>,
    pub key: Option<ShapeRef>,
    pub value: Option<ShapeRef>,
    pub min: Option<serde_json::Number>,
    pub max: Option<serde_json::Number>,
    pub pattern: Option<String>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    #[serde(default)]
    pub sensitive: bool,
    pub documentation: Option<String>,
    pub error: Option<ErrorTrait>,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    #[serde(default)]
    pub union: bool,
    pub payload: Option<String>,
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub document: bool,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub event: bool,
    #[serde(default)]
    pub eventstream: bool,
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
        self.members
            .values()
            .chain([&self.member, &self.key, &self.value].into_iter().flatten())
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
}

/// botocore's `paginators-1.json`: how an operation's results continue on the next
/// call. Tokens and result keys may be one name, a list of names, or a path
/// (`Result.NextToken`), so they are kept as JSON. Checked against the model now; the
/// generated paginators will read it.
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
    pub fn check(&self, model: &Model) -> Vec<crate::Problem> {
        let mut problems = Vec::new();
        for (i, entry) in self.sensitive_members.iter().enumerate() {
            let found = entry
                .split_once('.')
                .and_then(|(shape, member)| model.shapes.get(shape)?.members.get(member));
            if found.is_none() {
                problems.push(crate::Problem {
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
                    m.location.as_deref() == Some("header")
                        && m.location_name
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(header))
                });
            if !bound {
                problems.push(crate::Problem {
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
