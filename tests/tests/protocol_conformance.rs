//! botocore's rest-json protocol suites through our generated code.
//!
//! Every suite becomes a small service model, generated with the same codegen library as
//! a module of one batch crate (`suites::sNNN`), so everything builds once. Every case
//! becomes a function: input cases build the typed input from `params` and compare the
//! request the generated serializer makes; output cases feed the response to the
//! generated parser and compare with `result` (or the modeled error). Each passing case
//! also makes the mock's round trip (`test-util`): the input read back from the request
//! makes the same request, the output written as a response and parsed again is the
//! output. The batch crate's
//! test runs them all and holds the outcome against `tests/protocol-expectations.txt`.

use std::path::{Path, PathBuf};
use std::process::Command;

use awsgen_codegen::embed::embed_as_module;
use awsgen_codegen::model::Shape;
use awsgen_codegen::plan::{Plan, RustType, StructurePlan, TypeDef, TypeModule};
use awsgen_codegen::{
    generate_from_model, naming, plan, Customizations, GeneratorInputs, Model, RuntimeDependency,
};
use indexmap::IndexMap;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{json, Map, Value};

const FILES: [&str; 4] = [
    "input-rest-json.json",
    "output-rest-json.json",
    "legacy-input-rest-json.json",
    "legacy-output-rest-json.json",
];
const DEFAULT_ENDPOINT: &str = "https://example.com";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

#[test]
fn botocore_rest_json_protocol_suites() {
    let root = workspace_root();
    let crate_dir = root.join("target/protocol-harness");
    let _ = std::fs::remove_dir_all(crate_dir.join("src"));
    let mut suite_modules = Vec::new();
    let mut case_functions = Vec::new();
    let mut case_entries = Vec::new();
    for (file_index, file) in FILES.iter().enumerate() {
        let path = root.join("tests/data/protocol-tests").join(file);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let suites: Vec<Value> = serde_json::from_str(&text).unwrap();
        // The same suites again, with shapes in file order (a `Value` sorts its keys).
        let typed: Vec<TypedSuite> = serde_json::from_str(&text).unwrap();
        for (suite_index, (suite, typed)) in suites.iter().zip(typed).enumerate() {
            let module = format!("s{:03}", file_index * 100 + suite_index);
            let built = build_suite(suite, typed.shapes, &module, &crate_dir);
            if built.is_ok() {
                suite_modules.push(module.clone());
            }
            for (case_index, case) in suite["cases"].as_array().unwrap().iter().enumerate() {
                let function = format_ident!("{}_c{:02}", module, case_index);
                let body = match &built {
                    Ok(generated) => case_body(
                        generated,
                        case,
                        case_index,
                        file.starts_with("input") || file.starts_with("legacy-input"),
                    ),
                    Err(e) => Err(format!("the suite did not generate: {e}")),
                };
                let body = body.unwrap_or_else(|problem| quote!(Err(String::from(#problem))));
                case_functions.push(quote! {
                    fn #function() -> Result<(), String> {
                        #body
                    }
                });
                let id = case["id"].as_str().unwrap_or("-");
                case_entries.push(quote! {
                    Case { file: #file, suite: #suite_index, case: #case_index, id: #id, run: #function },
                });
            }
        }
    }
    write_crate(&crate_dir, &suite_modules, case_functions, case_entries);
    run_crate(&root, &crate_dir);
}

#[derive(serde::Deserialize)]
struct TypedSuite {
    #[serde(default)]
    shapes: IndexMap<String, Shape>,
}

/// A suite generated: where its module is and the plan that describes it.
struct Generated {
    module: String,
    plan: Plan,
    /// The operation name each case uses (renamed when two cases define one differently).
    operations: Vec<String>,
    endpoint: String,
}

fn build_suite(
    suite: &Value,
    shapes: IndexMap<String, Shape>,
    module: &str,
    crate_dir: &Path,
) -> Result<Generated, String> {
    let (model, operations) = suite_model(suite, shapes, module)?;
    let customizations = Customizations::default();
    let inputs = GeneratorInputs {
        model: &model,
        customizations: &customizations,
        rules: None,
        partitions: &[],
        paginators: &Default::default(),
    };
    let runtime = RuntimeDependency {
        path: String::new(),
    };
    let files = generate_from_model(&inputs, module, &runtime).map_err(|e| e.to_string())?;
    let files = embed_as_module(&files, &format!("suites::{module}")).map_err(|e| e.to_string())?;
    for file in files {
        let path = crate_dir.join("src/suites").join(module).join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, file.contents).unwrap();
    }
    Ok(Generated {
        module: module.to_owned(),
        plan: plan::plan(&model, &customizations, &Default::default(), Some(module)),
        operations,
        endpoint: suite["clientEndpoint"]
            .as_str()
            .unwrap_or(DEFAULT_ENDPOINT)
            .to_owned(),
    })
}

/// The suite as a model: its shapes (in file order, which fixes member order on the
/// wire), and one operation per distinct `given`.
fn suite_model(
    suite: &Value,
    mut shapes: IndexMap<String, Shape>,
    module: &str,
) -> Result<(Model, Vec<String>), String> {
    // Serialization traits on a target shape apply to every member pointing at it.
    let raw_shapes = suite["shapes"].as_object().cloned().unwrap_or_default();
    for shape in shapes.values_mut() {
        for member in shape.members.values_mut() {
            let target = &raw_shapes[&member.shape];
            if member.location.is_none() {
                member.location = target
                    .get("location")
                    .map(|l| serde_json::from_value(l.clone()))
                    .transpose()
                    .map_err(|e| format!("location of {}: {e}", member.shape))?;
            }
            if member.location_name.is_none() {
                member.location_name = target["locationName"].as_str().map(str::to_owned);
            }
        }
    }
    let exceptions: Vec<Value> = raw_shapes
        .iter()
        .filter(|(_, s)| s.get("exception").is_some() || s.get("error").is_some())
        .map(|(n, _)| json!({"shape": n}))
        .collect();
    let mut operations: IndexMap<String, Value> = IndexMap::new();
    let mut names = Vec::new();
    for (index, case) in suite["cases"].as_array().unwrap().iter().enumerate() {
        let mut given = case["given"].clone();
        if given.get("http").is_none() {
            given["http"] = json!({"method": "POST", "requestUri": "/"});
        }
        if given["http"].get("method").is_none() {
            given["http"]["method"] = json!("POST");
        }
        if let Some(payload) = given["input"].get("payload").and_then(Value::as_str) {
            let input = given["input"]["shape"].as_str().unwrap_or_default();
            if let Some(shape) = shapes.get_mut(input) {
                shape.payload = Some(payload.to_owned());
            }
        }
        if case.get("response").is_some() {
            // Any exception of the suite may come back, as botocore's runner assumes.
            given["errors"] = Value::Array(exceptions.clone());
        }
        let mut name = given["name"].as_str().unwrap_or("OperationName").to_owned();
        if operations
            .get(&name)
            .is_some_and(|existing| existing != &given)
        {
            name = format!("{name}{index}");
            given["name"] = json!(name);
        }
        operations.insert(name.clone(), given);
        names.push(name);
    }
    let mut metadata = suite["metadata"].clone();
    metadata["serviceId"] = json!(module);
    let operations = operations
        .into_iter()
        .map(|(name, given)| {
            serde_json::from_value(given)
                .map(|op| (name, op))
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, String>>()?;
    let model = Model {
        metadata: serde_json::from_value(metadata).map_err(|e| e.to_string())?,
        documentation: None,
        operations,
        shapes,
    };
    Ok((model, names))
}

fn case_body(
    generated: &Generated,
    case: &Value,
    index: usize,
    is_input: bool,
) -> Result<TokenStream, String> {
    let name = &generated.operations[index];
    let op = generated
        .plan
        .operations
        .iter()
        .find(|op| &op.name == name)
        .ok_or_else(|| format!("no operation {name} in the plan"))?;
    let module = format_ident!("{}", generated.module);
    let op_module = format_ident!("{}", op.names.client_method);
    let marker = format_ident!("{}", op.names.rust_name);
    let operation = quote!(<crate::suites::#module::operation::#op_module::#marker as awsgen_runtime::Operation>);
    // The mock's side of the same binding: each case also makes the round trip back.
    let mock = quote!(<crate::suites::#module::operation::#op_module::#marker as awsgen_runtime::mock::MockOperation>);
    let values = Values {
        plan: &generated.plan,
        module: &module,
    };
    if is_input {
        let input_type = format_ident!("{}", op.input.rust_name);
        // The input is filled field by field (the harness is inside the crate): a case
        // may leave out a required member, which `build()` would refuse.
        let empty = quote!(crate::suites::#module::operation::#op_module::#input_type::default());
        let params = case.get("params").cloned().unwrap_or(json!({}));
        let input = values.structure(&op.input, &params, empty, quote!())?;
        let serialized = &case["serialized"];
        let endpoint = generated.endpoint.as_str();
        let method = option_str(serialized.get("method"));
        let uri = serialized["uri"].as_str().unwrap_or("/");
        let headers = serialized["headers"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let header_pairs = headers.iter().map(|(k, v)| {
            let v = v.as_str().unwrap_or("");
            quote!((#k, #v))
        });
        let forbid: Vec<&str> = serialized["forbidHeaders"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let body = option_str(serialized.get("body"));
        let host = option_str(serialized.get("host"));
        let list_headers: Vec<String> = op
            .input
            .members
            .iter()
            .filter_map(|m| match (&m.location, &m.ty) {
                (awsgen_codegen::plan::Location::Header(h), RustType::List(_)) => Some(h.clone()),
                _ => None,
            })
            .collect();
        Ok(quote! {
            let mut input = #input;
            #operation::fill_idempotency_tokens(&mut input, &mut || crate::check::TOKEN.to_owned());
            let request = #operation::request(&input, #endpoint).map_err(|e| e.to_string())?;
            crate::check::request(&request, #endpoint, &crate::check::ExpectedRequest {
                method: #method,
                uri: #uri,
                headers: &[#(#header_pairs),*],
                forbid_headers: &[#(#forbid),*],
                body: #body,
                host: #host,
                list_headers: &[#(#list_headers),*],
            })?;
            // What the wire cannot tell apart (an empty list or an unset one) may read
            // back either way: the input read back must make the same request.
            let read = #mock::read_input(&request).map_err(|e| format!("the request does not read back: {e}"))?;
            let again = #operation::request(&read, #endpoint).map_err(|e| format!("the input read back cannot be sent: {e}"))?;
            crate::check::same_request(&again, &request)
        })
    } else {
        let response = &case["response"];
        let status = response["status_code"].as_u64().unwrap_or(200) as u16;
        let headers = response["headers"].as_object().cloned().unwrap_or_default();
        let header_pairs = headers.iter().map(|(k, v)| {
            let v = v.as_str().unwrap_or("");
            quote!((#k, #v))
        });
        let body = response["body"].as_str().unwrap_or("");
        let setup =
            quote!(let response = crate::check::response(#status, &[#(#header_pairs),*], #body););
        if let Some(code) = case.get("errorCode").and_then(Value::as_str) {
            let error_enum = format_ident!("{}Error", naming::camel(&op.name));
            let message_check = case.get("errorMessage").and_then(Value::as_str).map(|m| {
                quote! {
                    if message.as_deref().unwrap_or("") != #m {
                        return Err(format!("error message {message:?} != {:?}", #m));
                    }
                }
            });
            let matched = generated
                .plan
                .errors
                .iter()
                .find(|e| e.error.as_ref().is_some_and(|info| info.code == code));
            let check_members = match matched {
                Some(error) => {
                    let variant = format_ident!("{}", error.rust_name);
                    let builder = quote!(crate::suites::#module::types::error::#variant::builder());
                    let expected =
                        values.structure(error, &case["error"], builder, quote!(build()))?;
                    quote! {
                        match error {
                            crate::suites::#module::operation::#op_module::#error_enum::#variant(mut actual) => {
                                // The suites say nothing of the response metadata an
                                // exception keeps; compare the members.
                                awsgen_runtime::ModeledError::set_error_meta(&mut actual, Default::default());
                                let expected = #expected;
                                crate::check::same(&actual, &expected)
                            }
                            other => Err(format!("expected {}, parsed {other:?}", #code)),
                        }
                    }
                }
                None => quote! {
                    match error {
                        crate::suites::#module::operation::#op_module::#error_enum::Unhandled(_) => Ok(()),
                        other => Err(format!("expected an unmodeled error, parsed {other:?}")),
                    }
                },
            };
            Ok(quote! {
                #setup
                let (code, message) = crate::check::error_code_and_message(&response);
                if code.as_deref().unwrap_or("") != #code {
                    return Err(format!("error code {code:?} != {:?}", #code));
                }
                #message_check
                let meta = awsgen_runtime::ErrorMetadata::new(code.clone(), message, #status, None);
                let error = #operation::parse_error(code.as_deref(), &response, meta);
                #check_members
            })
        } else {
            let output_type = format_ident!("{}", op.output.rust_name);
            let builder =
                quote!(crate::suites::#module::operation::#op_module::#output_type::builder());
            let expected =
                values.structure(&op.output, &case["result"], builder, quote!(build()))?;
            Ok(quote! {
                #setup
                let output = #operation::parse_output(&response).map_err(|e| e.to_string())?;
                let mut expected = #expected;
                expected._request_id = response.request_id().map(str::to_owned);
                crate::check::same(&output, &expected)?;
                let written = match #mock::output_response(&output) {
                    Ok(written) => written,
                    // A union member this crate does not know (read from a newer
                    // service) cannot be sent again: nothing to round-trip.
                    Err(e) if e.to_string().contains("::Unknown stands for") => return Ok(()),
                    Err(e) => return Err(format!("the output cannot be written back: {e}")),
                };
                let mut read = #operation::parse_output(&written).map_err(|e| format!("the output written back does not read: {e}"))?;
                read._request_id = output._request_id.clone();
                crate::check::round_trip(&read, &output)
            })
        }
    }
}

fn option_str(value: Option<&Value>) -> TokenStream {
    match value.and_then(Value::as_str) {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// Turns JSON values from the suites into Rust expressions of the planned types.
struct Values<'p> {
    plan: &'p Plan,
    module: &'p proc_macro2::Ident,
}

impl Values<'_> {
    fn structure(
        &self,
        plan: &StructurePlan,
        json: &Value,
        builder: TokenStream,
        build: TokenStream,
    ) -> Result<TokenStream, String> {
        let object = match json {
            Value::Object(o) => o.clone(),
            Value::Null => Map::new(),
            other => {
                return Err(format!(
                    "{} expects an object, found {other}",
                    plan.rust_name
                ))
            }
        };
        let mut setters = Vec::new();
        for (key, value) in &object {
            if value.is_null() {
                continue;
            }
            let member = plan
                .members
                .iter()
                .find(|m| &m.name == key)
                .ok_or_else(|| format!("{} has no member {key}", plan.rust_name))?;
            let value = if member.jsonvalue {
                let text = serde_json::to_string(value).unwrap();
                quote!(String::from(#text))
            } else {
                self.value(&member.ty, value)?
            };
            let value = if member.boxed {
                quote!(Box::new(#value))
            } else {
                value
            };
            if build.is_empty() {
                let field = format_ident!("{}", naming::bare(&member.field));
                let field = if member.field.starts_with("r#") {
                    syn::Ident::new_raw(&field.to_string(), field.span())
                } else {
                    field
                };
                setters.push(quote!(value.#field = Some(#value);));
            } else {
                let set = format_ident!("{}", member.setter);
                setters.push(quote!(.#set(Some(#value))));
            }
        }
        if build.is_empty() {
            return Ok(quote!({ let mut value = #builder; #(#setters)* value }));
        }
        Ok(quote!(#builder #(#setters)* .#build))
    }

    fn value(&self, ty: &RustType, json: &Value) -> Result<TokenStream, String> {
        let module = self.module;
        let number = |json: &Value| {
            json.as_f64()
                .ok_or_else(|| format!("expected a number, found {json}"))
        };
        Ok(match ty {
            RustType::String => {
                let s = json
                    .as_str()
                    .ok_or_else(|| format!("expected a string, found {json}"))?;
                quote!(String::from(#s))
            }
            RustType::Bool => {
                let b = json
                    .as_bool()
                    .ok_or_else(|| format!("expected a boolean, found {json}"))?;
                quote!(#b)
            }
            RustType::Byte => Literal::i8_suffixed(number(json)? as i8).into_token_stream(),
            RustType::Short => Literal::i16_suffixed(number(json)? as i16).into_token_stream(),
            RustType::Int => Literal::i32_suffixed(number(json)? as i32).into_token_stream(),
            RustType::Long => {
                Literal::i64_suffixed(json.as_i64().ok_or("expected a long")?).into_token_stream()
            }
            RustType::Float | RustType::Double => {
                let float = if *ty == RustType::Float {
                    quote!(f32)
                } else {
                    quote!(f64)
                };
                match json {
                    Value::String(s) if s == "NaN" => quote!(#float::NAN),
                    Value::String(s) if s == "Infinity" => quote!(#float::INFINITY),
                    Value::String(s) if s == "-Infinity" => quote!(#float::NEG_INFINITY),
                    _ if *ty == RustType::Float => {
                        Literal::f32_suffixed(number(json)? as f32).into_token_stream()
                    }
                    _ => Literal::f64_suffixed(number(json)?).into_token_stream(),
                }
            }
            RustType::Timestamp => {
                // From the decimal text, not through f64: `946845296.123` has 123 ms exactly.
                let text = json.to_string();
                let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
                let whole: i64 = whole
                    .parse()
                    .map_err(|_| format!("expected epoch seconds, found {json}"))?;
                let nanos: u32 = format!("{fraction:0<9}")[..9].parse().unwrap_or(0);
                quote!(awsgen_runtime::DateTime::from_secs_and_nanos(#whole, #nanos))
            }
            RustType::Blob => {
                let s = json
                    .as_str()
                    .ok_or_else(|| format!("expected blob text, found {json}"))?;
                quote!(awsgen_runtime::Blob::new(#s.as_bytes().to_vec()))
            }
            RustType::Document => document(json),
            RustType::List(element) => {
                let items = json
                    .as_array()
                    .ok_or_else(|| format!("expected a list, found {json}"))?;
                let items = items
                    .iter()
                    .map(|item| {
                        if item.is_null() {
                            Err("sparse lists (null elements) are not supported".to_owned())
                        } else {
                            self.value(element, item)
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(vec![#(#items),*])
            }
            RustType::Map(key, value) => {
                let entries = json
                    .as_object()
                    .ok_or_else(|| format!("expected a map, found {json}"))?;
                let entries = entries
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| Ok((self.value(key, &json!(k))?, self.value(value, v)?)))
                    .collect::<Result<Vec<_>, String>>()?;
                let pairs = entries.iter().map(|(k, v)| quote!((#k, #v)));
                quote!(std::collections::HashMap::from([#(#pairs),*]))
            }
            RustType::Named(path) => {
                let name = format_ident!("{}", path.name);
                let found = match path.module {
                    TypeModule::Types => self
                        .plan
                        .types
                        .iter()
                        .find(|t| t.rust_name() == path.name)
                        .map(Found::Type),
                    TypeModule::Errors => self
                        .plan
                        .errors
                        .iter()
                        .find(|e| e.rust_name == path.name)
                        .map(Found::Error),
                };
                match found.ok_or_else(|| format!("no planned type {}", path.name))? {
                    Found::Type(TypeDef::Enum(_)) => {
                        let s = json
                            .as_str()
                            .ok_or_else(|| format!("expected an enum string, found {json}"))?;
                        quote!(crate::suites::#module::types::#name::from(#s))
                    }
                    Found::Type(TypeDef::Structure(s)) => self.structure(
                        s,
                        json,
                        quote!(crate::suites::#module::types::#name::builder()),
                        quote!(build()),
                    )?,
                    Found::Error(s) => self.structure(
                        s,
                        json,
                        quote!(crate::suites::#module::types::error::#name::builder()),
                        quote!(build()),
                    )?,
                    Found::Type(TypeDef::Union(u)) => {
                        let object = json
                            .as_object()
                            .ok_or_else(|| format!("expected a union object, found {json}"))?;
                        let set: Vec<(&String, &Value)> = object
                            .iter()
                            .filter(|(k, v)| !v.is_null() && k.as_str() != "__type")
                            .collect();
                        let [(key, value)] = set.as_slice() else {
                            return Err(format!("a union needs exactly one member, found {json}"));
                        };
                        if key.as_str() == "SDK_UNKNOWN_MEMBER" {
                            return Ok(quote!(crate::suites::#module::types::#name::Unknown));
                        }
                        let member =
                            u.members.iter().find(|m| &m.name == *key).ok_or_else(|| {
                                format!("union {} has no member {key}", u.rust_name)
                            })?;
                        let variant = format_ident!("{}", naming::camel(&member.name));
                        let inner = self.value(&member.ty, value)?;
                        let inner = if member.boxed {
                            quote!(Box::new(#inner))
                        } else {
                            inner
                        };
                        quote!(crate::suites::#module::types::#name::#variant(#inner))
                    }
                }
            }
        })
    }
}

enum Found<'p> {
    Type(&'p TypeDef),
    Error(&'p StructurePlan),
}

fn document(json: &Value) -> TokenStream {
    match json {
        Value::Null => quote!(awsgen_runtime::Document::Null),
        Value::Bool(b) => quote!(awsgen_runtime::Document::Bool(#b)),
        Value::Number(n) => {
            let n = Literal::f64_suffixed(n.as_f64().unwrap_or(0.0));
            quote!(awsgen_runtime::Document::Number(#n))
        }
        Value::String(s) => quote!(awsgen_runtime::Document::String(String::from(#s))),
        Value::Array(items) => {
            let items = items.iter().map(document);
            quote!(awsgen_runtime::Document::Array(vec![#(#items),*]))
        }
        Value::Object(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = document(v);
                quote!((String::from(#k), #v))
            });
            quote!(awsgen_runtime::Document::Object(vec![#(#entries),*]))
        }
    }
}

use quote::ToTokens as _;

fn write_crate(
    crate_dir: &Path,
    suites: &[String],
    functions: Vec<TokenStream>,
    entries: Vec<TokenStream>,
) {
    let root = workspace_root();
    let runtime = std::fs::canonicalize(root.join("runtime")).unwrap();
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    let manifest = format!(
        "[package]\nname = \"protocol_harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [features]\nserde = []\ndefault = [\"test-util\"]\ntest-util = []\n\n[dependencies]\nawsgen-runtime = {{ path = {:?}, features = [\"checksums\", \"compression\", \"patterns\", \"test-util\"] }}\nserde_json = \"1\"\n\n[workspace]\n",
        runtime.display().to_string()
    );
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    std::fs::write(
        crate_dir.join("src/lib.rs"),
        "//! Generated by the protocol-conformance test; do not edit.\n#![allow(deprecated, dead_code, unused)]\npub mod cases;\npub mod check;\npub mod suites;\n",
    )
    .unwrap();
    let modules: String = suites.iter().map(|m| format!("pub mod {m};\n")).collect();
    std::fs::write(crate_dir.join("src/suites.rs"), modules).unwrap();
    std::fs::copy(
        root.join("tests/protocol/check.rs"),
        crate_dir.join("src/check.rs"),
    )
    .unwrap();
    std::fs::copy(
        root.join("tests/protocol/runner.rs"),
        crate_dir.join("tests/run.rs"),
    )
    .unwrap();
    let cases = quote! {
        use crate::check::Case;
        #(#functions)*
        pub static CASES: &[Case] = &[#(#entries)*];
    };
    let file: syn::File = syn::parse2(cases).expect("generated cases parse");
    std::fs::write(crate_dir.join("src/cases.rs"), prettyplease::unparse(&file)).unwrap();
}

fn run_crate(root: &Path, crate_dir: &Path) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["test", "--quiet", "--test", "run", "--", "--nocapture"])
        .current_dir(crate_dir)
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/protocol-harness-build"),
        )
        // A one-off build: incremental state and debug info would only fill the disk.
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env(
            "PROTOCOL_EXPECTATIONS",
            root.join("tests/protocol-expectations.txt"),
        )
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The per-file summary lines, for the test log.
    for line in stdout
        .lines()
        .filter(|l| l.contains(" passed, ") || l.starts_with("  known failure"))
    {
        println!("{line}");
    }
    assert!(
        output.status.success(),
        "protocol suites failed:\n{stdout}\n{stderr}"
    );
}
