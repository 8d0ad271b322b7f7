//! The symbol table: every Rust name the generated crate exposes that is made from other
//! names (builders, fluent builders, error enums, `set_`/`get_`/`is_` methods, enum and
//! union variants, validator functions) is decided here, once. The planner stores the
//! results in the plan; emitters and the differ only read them. Base names of shapes,
//! members and operations come from [`crate::naming`], which the check stage shares.

use std::collections::BTreeSet;

use crate::naming;

/// The crate's name when none is given: the model's `serviceId` as the official SDKs name
/// crates (lower case, letters and digits only: `IoT Data Plane` → `iotdataplane`), else
/// its `endpointPrefix`, else `client`. A name Rust cannot use for a crate (a keyword, one
/// of the standard crates, a leading digit) gets `_sdk` after it or `sdk_` before it.
pub fn crate_name(metadata: &crate::model::Metadata) -> String {
    let simple = |text: &str| -> String {
        text.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let name = [&metadata.service_id, &metadata.endpoint_prefix]
        .into_iter()
        .flatten()
        .map(|text| simple(text))
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "client".to_owned());
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("sdk_{name}")
    } else if naming::escape_ident(&name) != name || STANDARD_CRATES.contains(&name.as_str()) {
        format!("{name}_sdk")
    } else {
        name
    }
}

/// Crates every program can name already: a generated crate must not shadow them.
const STANDARD_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

/// The names of one operation's items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationNames {
    /// The marker type and the stem of the others: `SendMessage`.
    pub rust_name: String,
    /// The module, `send_message` (keyword-escaped).
    pub module: String,
    /// The `Client` method, the module's name without `r#`.
    pub client_method: String,
    pub input: String,
    pub output: String,
    /// The input's and output's builders, in the same module.
    pub input_builder: String,
    pub output_builder: String,
    pub fluent_builder: String,
    pub error_enum: String,
    /// The function, in the operation's module, that validates the input.
    pub input_validator: String,
}

/// Every name is its operation's name plus a distinct suffix, inside the operation's own
/// module, so two operations (distinct modules, checked) never share one.
pub fn operation(name: &str) -> OperationNames {
    let rust_name = naming::camel(name);
    let module = naming::operation_module(name);
    let client_method = naming::bare(&module).to_owned();
    let (input, output) = (format!("{rust_name}Input"), format!("{rust_name}Output"));
    OperationNames {
        input_builder: builder_name(&input),
        output_builder: builder_name(&output),
        input,
        output,
        fluent_builder: format!("{rust_name}FluentBuilder"),
        error_enum: format!("{rust_name}Error"),
        input_validator: format!("input_{client_method}"),
        rust_name,
        module,
        client_method,
    }
}

/// A builder's name: the type's name plus `Builder`, unless another item of the same
/// module already has that name (shapes `Foo` and `FooBuilder`), then `Builder2`, …
/// `taken` holds the module's names and receives the chosen one.
pub fn builder(type_name: &str, taken: &mut BTreeSet<String>) -> String {
    unique(builder_name(type_name), taken, |stem, n| {
        format!("{stem}{n}")
    })
}

/// A type's builder name before collisions are looked at: `{Type}Builder`. Final for an
/// operation's input and output, whose module holds nothing else of that form.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// A builder's (and fluent builder's) `set_x` and `get_x` for the member field `x`.
/// `naming::member_fields` already keeps these from colliding with other members.
pub fn accessors(field: &str) -> (String, String) {
    let bare = naming::bare(field);
    (format!("set_{bare}"), format!("get_{bare}"))
}

/// Variant names for enum values or union members, in order: UpperCamelCase, `Unknown`
/// (the variant every generated enum and union adds) becomes `UnknownValue`, and a name
/// an earlier value already took gets `2`, `3`, …
pub fn variants<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = BTreeSet::new();
    values
        .into_iter()
        .map(|value| {
            let mut name = naming::camel(value);
            if name == "Unknown" {
                name = "UnknownValue".to_owned();
            }
            unique(name, &mut taken, |stem, n| format!("{stem}{n}"))
        })
        .collect()
}

/// Methods an operation's error enum has besides the `is_*` tests.
const ERROR_ENUM_METHODS: &[&str] = &["is_retryable", "is_unhandled"];

/// The `is_x` test of each error variant: distinct from each other and from the
/// enum's other methods.
pub fn error_tests<'a>(variants: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: BTreeSet<String> = ERROR_ENUM_METHODS.iter().map(|m| m.to_string()).collect();
    variants
        .into_iter()
        .map(|variant| {
            let name = format!("is_{}", naming::snake(variant));
            unique(name, &mut taken, |stem, n| format!("{stem}_{n}"))
        })
        .collect()
}

/// `name`, or the first of `numbered(name, 2)`, `numbered(name, 3)`, … not yet taken.
fn unique(
    name: String,
    taken: &mut BTreeSet<String>,
    numbered: impl Fn(&str, usize) -> String,
) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = numbered(&name, n);
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crate_is_named_after_the_service_id_as_the_official_sdks_name_theirs() {
        let name = |service_id: Option<&str>, prefix: Option<&str>| {
            crate_name(&crate::model::Metadata {
                service_id: service_id.map(str::to_owned),
                endpoint_prefix: prefix.map(str::to_owned),
                ..Default::default()
            })
        };
        assert_eq!(name(Some("ConnectParticipant"), None), "connectparticipant");
        assert_eq!(
            name(Some("IoT Data Plane"), Some("data-ats.iot")),
            "iotdataplane"
        );
        assert_eq!(name(Some("Bedrock Agent"), None), "bedrockagent");
        assert_eq!(name(Some("Lex Models V2"), None), "lexmodelsv2");
        assert_eq!(name(None, Some("iot-data")), "iotdata");
        assert_eq!(name(Some(" -- "), Some("sso")), "sso");
        assert_eq!(name(Some("Café Ünïcode"), None), "cafncode");
        assert_eq!(name(None, None), "client");
        assert_eq!(name(Some("Type"), None), "type_sdk");
        assert_eq!(name(Some("Self"), None), "self_sdk");
        assert_eq!(name(Some("Std"), None), "std_sdk");
        assert_eq!(name(Some("3D Maps"), None), "sdk_3dmaps");
    }

    #[test]
    fn operation_items_share_the_operation_name() {
        let names = operation("Type");
        assert_eq!(names.module, "r#type");
        assert_eq!(names.client_method, "type");
        assert_eq!(names.fluent_builder, "TypeFluentBuilder");
        assert_eq!(names.error_enum, "TypeError");
        assert_eq!(names.input_validator, "input_type");
    }

    #[test]
    fn a_builder_never_takes_a_name_already_in_its_module() {
        let mut taken: BTreeSet<String> = ["Foo", "FooBuilder"].map(String::from).into();
        assert_eq!(builder("Foo", &mut taken), "FooBuilder2");
        assert_eq!(builder("Bar", &mut taken), "BarBuilder");
        assert!(taken.contains("FooBuilder2") && taken.contains("BarBuilder"));
    }

    #[test]
    fn variants_are_distinct_and_leave_unknown_free() {
        assert_eq!(
            variants(["text/plain", "TEXT_PLAIN", "Unknown", "self", "3d"]),
            [
                "TextPlain",
                "TextPlain2",
                "UnknownValue",
                "SelfValue",
                "V3d"
            ]
        );
    }

    #[test]
    fn error_tests_are_distinct_from_each_other_and_the_enum_methods() {
        assert_eq!(
            error_tests(["AbcError", "ABCError", "Retryable"]),
            ["is_abc_error", "is_abc_error_2", "is_retryable_2"]
        );
    }
}
