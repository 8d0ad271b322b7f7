//! awsgen's code generator: a botocore rest-json model in, a Rust client crate out.
//!
//! The stages run in order, each in its own module:
//! [`model`] (load) → [`check`] → [`plan`] → [`emit`] → [`write`](mod@write).
//! One checking pass finds every problem of the model and the files read with it before
//! anything is planned. The plan makes every naming, typing and wire decision; the
//! emitters print it (the endpoint emitter also prints the checked rule set and partition
//! table as Rust) and never read the model (`tests/tests/layering.rs` checks).

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
pub mod reach;
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
    let companions = Companions::load(options, true)?;
    let checked = check_all(&options.model, &model, companions)?;
    let (model, paginators) = select(model, checked.paginators, &checked.customizations);
    let inputs = GeneratorInputs {
        model: &model,
        customizations: &checked.customizations,
        rules: checked.rules.as_ref(),
        partitions: &checked.partitions,
        paginators: &paginators,
    };
    let (files, plan) = plan_and_emit(&inputs, options.crate_name.as_deref(), &options.runtime)?;
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

/// The files a generation reads beside the model (given, or found beside it), read and
/// parsed but not yet checked.
struct Companions {
    customizations: Option<(PathBuf, Customizations)>,
    paginators: Option<(PathBuf, Paginators)>,
    rules: Option<(PathBuf, serde_json::Value)>,
    partitions: Option<(PathBuf, serde_json::Value)>,
}

impl Companions {
    /// Reads them; `endpoints`: the endpoint rule set and partition table too (the diff
    /// does not compare them). A file that cannot be read or is not JSON stops here.
    fn load(options: &Options, endpoints: bool) -> Result<Self, Error> {
        let customizations = options
            .customizations
            .clone()
            .unwrap_or_else(|| options.model.with_file_name("customizations.json"));
        let customizations = match customizations.exists() {
            true => Some((
                customizations.clone(),
                Customizations::load(&customizations)?,
            )),
            false => None,
        };
        let paginators = options
            .paginators
            .clone()
            .or_else(|| find_beside(&options.model, "paginators-1"))
            .map(|path| {
                let file = serde_json::from_value(read_json(&path)?).map_err(|e| Error::Load {
                    path: path.clone(),
                    message: format!("not a paginators file: {e}"),
                })?;
                Ok::<_, Error>((path, file))
            })
            .transpose()?;
        if !endpoints {
            return Ok(Companions {
                customizations,
                paginators,
                rules: None,
                partitions: None,
            });
        }
        let rules = options
            .endpoint_rules
            .clone()
            .or_else(|| find_beside(&options.model, "endpoint-rule-set-1"));
        let partitions = options
            .partitions
            .clone()
            .or_else(|| find_partitions(&options.model));
        let read = |path: Option<PathBuf>| {
            path.map(|path| read_json(&path).map(|json| (path, json)))
                .transpose()
        };
        Ok(Companions {
            customizations,
            paginators,
            rules: read(rules)?,
            partitions: read(partitions)?,
        })
    }
}

/// What the check pass hands the plan: every companion checked against the model.
struct Checked {
    customizations: Customizations,
    /// `paginators-1.json`'s and the customization file's (which win).
    paginators: paginators::CheckedPaginators,
    rules: Option<endpoint_rules::RuleSet>,
    partitions: Vec<endpoint_rules::PartitionPlan>,
}

/// The one checking pass, before anything is planned: the model, then the customization
/// file, the endpoint rule set (and the operations' endpoint context against it), the
/// partition table and the paginators. Every problem of every file is reported at once,
/// each with its JSON path (a companion's prefixed with its file name).
fn check_all(model_path: &Path, model: &Model, companions: Companions) -> Result<Checked, Error> {
    let mut problems = check::check(model);
    let mut customizations = Customizations::default();
    let mut paginators = paginators::CheckedPaginators::new();
    let mut their_paginators = paginators::CheckedPaginators::new();
    if let Some((path, file)) = companions.customizations {
        problems.extend(in_file(&path, file.check(model)));
        match paginators::check(&file.paginators, model, "paginators") {
            Ok(checked) => their_paginators = checked,
            Err(found) => problems.extend(in_file(&path, found)),
        }
        customizations = file;
    }
    let rules =
        companions
            .rules
            .and_then(|(path, json)| match endpoint_rules::parse_rule_set(&json) {
                Ok(rules) => {
                    // Model paths: the model's values do not fit the rule set's parameters.
                    problems.extend(endpoint_rules::check_operations(model, &rules));
                    Some(rules)
                }
                Err(found) => {
                    problems.extend(in_file(&path, found));
                    None
                }
            });
    let partitions = match companions.partitions {
        Some((path, json)) => endpoint_rules::parse_partitions(&json).unwrap_or_else(|found| {
            problems.extend(in_file(&path, found));
            Vec::new()
        }),
        None if rules.is_some() => {
            problems.push(Problem {
                path: "partitions.json".to_owned(),
                message: "the endpoint rule set needs the partition table; none was given or \
                          found beside the model or one folder up"
                    .to_owned(),
            });
            Vec::new()
        }
        None => Vec::new(),
    };
    if let Some((path, file)) = companions.paginators {
        match paginators::check(&file.pagination, model, "pagination") {
            Ok(checked) => paginators = checked,
            Err(found) => problems.extend(in_file(&path, found)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Check {
            path: model_path.to_owned(),
            problems,
        });
    }
    paginators.extend(their_paginators);
    Ok(Checked {
        customizations,
        paginators,
        rules,
        partitions,
    })
}

/// A companion file's problems, their paths prefixed with its file name.
fn in_file(file: &Path, problems: Vec<Problem>) -> impl Iterator<Item = Problem> + '_ {
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    problems.into_iter().map(move |p| Problem {
        path: format!("{name}: {}", p.path),
        message: p.message,
    })
}

/// A model as `diff` compares it: with the paginators and customizations a generation
/// from it would use.
#[derive(Debug)]
pub struct ForDiff {
    pub model: Model,
    pub paginators: paginators::CheckedPaginators,
    pub customizations: Customizations,
}

impl ForDiff {
    /// The side of a diff this is.
    pub fn side(&self) -> diff::Side<'_> {
        diff::Side {
            model: &self.model,
            paginators: &self.paginators,
            customizations: &self.customizations,
        }
    }
}

/// A model, its paginators (`paginators-1.json`) and its customization file, found and
/// checked as `generate` finds and checks them (in the same one pass): what `diff`
/// compares.
pub fn load_for_diff(options: &Options) -> Result<ForDiff, Error> {
    let model = Model::load(&options.model)?;
    let companions = Companions::load(options, false)?;
    let checked = check_all(&options.model, &model, companions)?;
    let (model, paginators) = select(model, checked.paginators, &checked.customizations);
    Ok(ForDiff {
        model,
        paginators,
        customizations: checked.customizations,
    })
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
    let mut problems = check::check(inputs.model);
    if let Some(rules) = inputs.rules {
        problems.extend(endpoint_rules::check_operations(inputs.model, rules));
    }
    if !problems.is_empty() {
        return Err(Error::Check {
            path: PathBuf::new(),
            problems,
        });
    }
    plan_and_emit(inputs, Some(crate_name), runtime).map(|(files, _)| files)
}

/// Plan and emit, for inputs that passed the check.
fn plan_and_emit(
    inputs: &GeneratorInputs<'_>,
    crate_name: Option<&str>,
    runtime: &RuntimeDependency,
) -> Result<(Vec<GeneratedFile>, plan::Plan), Error> {
    let plan = plan::plan(
        inputs.model,
        inputs.customizations,
        inputs.paginators,
        crate_name,
    );
    let files = emit::emit(&plan, inputs.rules, inputs.partitions, runtime)?;
    Ok((files, plan))
}

/// Reads a JSON file.
fn read_json(path: &Path) -> Result<serde_json::Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Load {
        path: path.to_owned(),
        message: format!("not valid JSON: {e}"),
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
