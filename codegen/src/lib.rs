//! awsgen's code generator: a botocore rest-json model in, a Rust client crate out.
//!
//! The stages run in order, each in its own module:
//! [`model`] (load) → [`check`] → [`plan`] → [`emit`] → [`write`](mod@write).
//! Only the plan is read by the emitters; every naming and typing decision is made there.

pub mod check;
pub mod diff;
pub mod docs;
pub mod embed;
pub mod emit;
pub mod endpoint_rules;
pub mod error;
pub mod model;
pub mod naming;
pub mod paginators;
pub mod pattern;
pub mod plan;
pub mod template;
pub mod write;

use std::path::{Path, PathBuf};

pub use emit::{GeneratedFile, RuntimeDependency};
pub use error::{Error, Problem};
pub use model::{Customizations, Model, Paginators};
pub use plan::Plan;

/// What to generate from, and how the result finds its runtime.
#[derive(Debug, Clone)]
pub struct Options {
    pub model: PathBuf,
    /// `customizations.json`; when `None`, the file beside the model is used if present.
    pub customizations: Option<PathBuf>,
    /// The crate's name; when `None`, the model's `serviceId` made a crate name
    /// (`plan::names::crate_name`), as the official SDKs name their crates.
    pub crate_name: Option<String>,
    pub runtime: RuntimeDependency,
    /// The endpoint rule set; when `None`, one beside the model is used if found
    /// (`endpoint-rule-set-1*.json`, or `<service>.endpoint-rule-set-1.json`, for a model
    /// named `*service-2*`). Without one, the crate needs an `endpoint_url` at run time.
    pub endpoint_rules: Option<PathBuf>,
    /// The partition table; when `None`, `partitions*.json` beside the model or one
    /// folder up is used if found.
    pub partitions: Option<PathBuf>,
    /// `paginators-1.json`; when `None`, one beside a `*service-2*` model is used if found.
    /// Every paginator must name an operation of the model.
    pub paginators: Option<PathBuf>,
}

/// A generated crate, not yet written.
#[derive(Debug)]
pub struct Generated {
    /// The crate's name (given, or made from the model's `serviceId`).
    pub crate_name: String,
    pub operations: usize,
    pub shapes: usize,
    pub files: Vec<GeneratedFile>,
    /// Operations generated but not callable yet, with the reason (event streams).
    pub unsupported: Vec<(String, String)>,
    /// Paginators read and checked against the model.
    pub paginators: usize,
    /// Model patterns the client cannot check: (shape, pattern, why).
    pub unchecked_patterns: Vec<(String, String, String)>,
}

/// Runs load, check, plan and emit for one model file.
pub fn generate(options: &Options) -> Result<Generated, Error> {
    let model = Model::load(&options.model)?;
    let customizations = load_customizations(options, &model)?;
    let paginators = load_paginators(options, &model, &customizations)?;
    let (model, paginators) = select(model, paginators, &customizations);
    let rules_path = options
        .endpoint_rules
        .clone()
        .or_else(|| find_beside(&options.model, "endpoint-rule-set-1"));
    let rules = match &rules_path {
        Some(path) => Some(load_json(path, endpoint_rules::parse_rule_set)?),
        None => None,
    };
    let partitions_path = options
        .partitions
        .clone()
        .or_else(|| find_partitions(&options.model));
    let partitions =
        match (&partitions_path, &rules) {
            (Some(path), _) => load_json(path, endpoint_rules::parse_partitions)?,
            (None, None) => Vec::new(),
            (None, Some(_)) => return Err(Error::Io {
                path: options.model.with_file_name("partitions.json"),
                message:
                    "the endpoint rule set needs the partition table; none found beside the model"
                        .to_owned(),
            }),
        };
    let inputs = GeneratorInputs {
        model: &model,
        customizations: &customizations,
        rules: rules.as_ref(),
        partitions: &partitions,
        paginators: &paginators,
    };
    let (files, plan) =
        generate_with_plan(&inputs, options.crate_name.as_deref(), &options.runtime)
            .map_err(|e| with_model_path(e, &options.model))?;
    Ok(Generated {
        crate_name: plan.crate_name.clone(),
        operations: model.operations.len(),
        shapes: model.shapes.len(),
        files,
        unsupported: plan
            .operations
            .iter()
            .filter_map(|op| Some((op.name.clone(), op.unsupported.clone()?)))
            .collect(),
        paginators: paginators.len(),
        unchecked_patterns: plan
            .unchecked_patterns
            .iter()
            .map(|p| (p.shape.clone(), p.pattern.clone(), p.error.clone()))
            .collect(),
    })
}

/// The customization file (given, or beside the model), checked against the model.
fn load_customizations(options: &Options, model: &Model) -> Result<Customizations, Error> {
    let path = options
        .customizations
        .clone()
        .unwrap_or_else(|| options.model.with_file_name("customizations.json"));
    if !path.exists() {
        return Ok(Customizations::default());
    }
    let customizations = Customizations::load(&path)?;
    let mut problems = customizations.check(model);
    if let Err(more) = paginators::check(&customizations.paginators, model, "paginators") {
        problems.extend(more);
    }
    if problems.is_empty() {
        Ok(customizations)
    } else {
        Err(Error::Check { path, problems })
    }
}

/// The paginators a generation uses: `paginators-1.json` (given, or beside the model)
/// and the customization file's, which win.
fn load_paginators(
    options: &Options,
    model: &Model,
    customizations: &Customizations,
) -> Result<paginators::CheckedPaginators, Error> {
    let path = options
        .paginators
        .clone()
        .or_else(|| find_beside(&options.model, "paginators-1"));
    let mut paginators = match &path {
        Some(path) => load_json(path, |json| check_paginators(json, model))?,
        None => paginators::CheckedPaginators::new(),
    };
    // Checked when the customizations were loaded.
    if let Ok(added) = paginators::check(&customizations.paginators, model, "paginators") {
        paginators.extend(added);
    }
    Ok(paginators)
}

/// A model and the paginators a generation from it would use (its `paginators-1.json`
/// and customization file, found as `generate` finds them): what `diff` compares.
pub fn load_for_diff(options: &Options) -> Result<(Model, paginators::CheckedPaginators), Error> {
    let model = Model::load(&options.model)?;
    let problems = check::check(&model);
    if !problems.is_empty() {
        return Err(Error::Check {
            path: options.model.clone(),
            problems,
        });
    }
    let customizations = load_customizations(options, &model)?;
    let paginators = load_paginators(options, &model, &customizations)?;
    Ok(select(model, paginators, &customizations))
}

/// The model and paginators cut down to the operations `customizations.json` lists
/// (checked to exist when it was loaded); everything when it lists none.
fn select(
    model: Model,
    mut paginators: paginators::CheckedPaginators,
    customizations: &Customizations,
) -> (Model, paginators::CheckedPaginators) {
    let Some(operations) = &customizations.operations else {
        return (model, paginators);
    };
    paginators.retain(|operation, _| operations.contains(operation));
    (model.select_operations(operations), paginators)
}

/// Reads `paginators-1.json` and checks every paginator against the model.
fn check_paginators(
    json: &serde_json::Value,
    model: &Model,
) -> Result<paginators::CheckedPaginators, Vec<Problem>> {
    let file: Paginators = serde_json::from_value(json.clone()).map_err(|e| {
        vec![Problem {
            path: "pagination".to_owned(),
            message: format!("not a paginators file: {e}"),
        }]
    })?;
    paginators::check(&file.pagination, model, "pagination")
}

/// Everything a generation reads, already loaded.
pub struct GeneratorInputs<'a> {
    pub model: &'a Model,
    pub customizations: &'a Customizations,
    pub rules: Option<&'a endpoint_rules::RuleSet>,
    pub partitions: &'a [endpoint_rules::PartitionPlan],
    /// Paginators by operation, checked against the model.
    pub paginators: &'a paginators::CheckedPaginators,
}

/// Check, plan and emit for a model already in memory (the protocol-test harness builds
/// models this way).
pub fn generate_from_model(
    inputs: &GeneratorInputs<'_>,
    crate_name: &str,
    runtime: &RuntimeDependency,
) -> Result<Vec<GeneratedFile>, Error> {
    generate_with_plan(inputs, Some(crate_name), runtime).map(|(files, _)| files)
}

fn generate_with_plan(
    inputs: &GeneratorInputs<'_>,
    crate_name: Option<&str>,
    runtime: &RuntimeDependency,
) -> Result<(Vec<GeneratedFile>, plan::Plan), Error> {
    let problems = check::check(inputs.model);
    if !problems.is_empty() {
        return Err(Error::Check {
            path: PathBuf::new(),
            problems,
        });
    }
    let plan = plan::plan(
        inputs.model,
        inputs.customizations,
        inputs.paginators,
        crate_name,
    );
    if let Some(rules) = inputs.rules {
        let problems = endpoint_rules::check_operations(&plan, rules);
        if !problems.is_empty() {
            return Err(Error::Check {
                path: PathBuf::new(),
                problems,
            });
        }
    }
    let files = emit::emit(&plan, inputs.rules, inputs.partitions, runtime)?;
    Ok((files, plan))
}

/// Reads a JSON file and parses it with `parse`, whose problems carry JSON paths.
fn load_json<T>(
    path: &Path,
    parse: impl Fn(&serde_json::Value) -> Result<T, Vec<Problem>>,
) -> Result<T, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Load {
        path: path.to_owned(),
        message: format!("not valid JSON: {e}"),
    })?;
    parse(&json).map_err(|problems| Error::Check {
        path: path.to_owned(),
        problems,
    })
}

/// The companion file of kind `kind` (`endpoint-rule-set-1`) for a model, by botocore's
/// naming: `service-2.json` → `endpoint-rule-set-1.json`; `ivschat.service-2.json` →
/// `ivschat.endpoint-rule-set-1.json`; `service-2.botocore-1.44.5.json` → the last
/// `endpoint-rule-set-1*.json` in the folder. A model whose name does not contain
/// `service-2` has no companions by convention (give them explicitly), and the model
/// itself is never taken for one.
fn find_beside(model: &Path, kind: &str) -> Option<PathBuf> {
    let name = model.file_name()?.to_str()?;
    let (prefix, _) = name.split_once("service-2")?;
    let exact = model.with_file_name(name.replacen("service-2", kind, 1));
    if exact.exists() && exact != model {
        return Some(exact);
    }
    let start = format!("{prefix}{kind}");
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(model.parent()?)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path != model)
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&start) && n.ends_with(".json"))
        })
        .collect();
    candidates.sort();
    candidates.pop()
}

fn find_partitions(model: &Path) -> Option<PathBuf> {
    let dir = model.parent()?;
    [Some(dir), dir.parent()]
        .into_iter()
        .flatten()
        .find_map(|dir| {
            let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
                .ok()?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("partitions") && n.ends_with(".json"))
                })
                .collect();
            found.sort();
            found.pop()
        })
}

fn with_model_path(error: Error, model: &Path) -> Error {
    match error {
        Error::Check { problems, .. } => Error::Check {
            path: model.to_owned(),
            problems,
        },
        other => other,
    }
}
