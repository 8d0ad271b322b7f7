//! `cargo xtask codegen`: regenerate a client crate, or with `--check` verify it is fresh.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use awsgen_codegen::write::{write_files, Mode, WriteReport};
use awsgen_codegen::{generate, Options, RuntimeDependency};

const FIX_COMMAND: &str = "cargo xtask codegen";

/// The workspace root: xtask lives one level below it.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_owned()
}

/// The default jobs: `models/service-2.json` into `connectparticipant/`, the chat
/// backend's operations of `models/connect/service-2.json` into `connect/`, and the test
/// fixture crates the tests depend on.
pub fn default_jobs() -> Vec<(Options, PathBuf)> {
    let root = workspace_root();
    let job = |model: &str, out: &str, crate_name: &str, runtime: &str| {
        let options = Options {
            model: root.join(model),
            customizations: None,
            endpoint_rules: None,
            partitions: None,
            paginators: None,
            crate_name: Some(crate_name.to_owned()),
            runtime: RuntimeDependency {
                path: runtime.to_owned(),
            },
        };
        (options, root.join(out))
    };
    vec![
        job(
            "models/service-2.json",
            "connectparticipant",
            "connectparticipant",
            "../runtime",
        ),
        job(
            "models/connect/service-2.json",
            "connect",
            "connect",
            "../runtime",
        ),
        job(
            "tests/fixtures/patterns.service-2.json",
            "tests/fixture-crates/patterns",
            "patterns_fixture",
            "../../../runtime",
        ),
        job(
            "tests/fixtures/json-names.service-2.json",
            "tests/fixture-crates/json-names",
            "json_names_fixture",
            "../../../runtime",
        ),
    ]
}

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut jobs = default_jobs();
    let (mut options, mut out) = jobs.remove(0);
    let mut mode = Mode::Write;
    let mut runtime_path: Option<PathBuf> = None;
    let mut custom_target = false;
    let mut crate_name = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--check" => mode = Mode::Check,
            "--model" => {
                options.model = PathBuf::from(value("--model")?);
                custom_target = true;
            }
            "--out" => {
                out = PathBuf::from(value("--out")?);
                custom_target = true;
            }
            "--crate-name" => crate_name = Some(value("--crate-name")?),
            "--endpoint-rules" => {
                options.endpoint_rules = Some(PathBuf::from(value("--endpoint-rules")?))
            }
            "--partitions" => options.partitions = Some(PathBuf::from(value("--partitions")?)),
            "--paginators" => options.paginators = Some(PathBuf::from(value("--paginators")?)),
            "--customizations" => {
                options.customizations = Some(PathBuf::from(value("--customizations")?))
            }
            "--runtime-path" => runtime_path = Some(PathBuf::from(value("--runtime-path")?)),
            other => return Err(format!("unknown option `{other}` for codegen")),
        }
    }
    if custom_target {
        // Another model: named after its `serviceId` unless `--crate-name` says otherwise.
        options.crate_name = None;
    }
    if crate_name.is_some() {
        options.crate_name = crate_name;
    }
    if custom_target || runtime_path.is_some() {
        // Outside the workspace the generated crate finds the runtime by absolute path.
        let runtime = runtime_path.unwrap_or_else(|| workspace_root().join("runtime"));
        let runtime = std::fs::canonicalize(&runtime).unwrap_or(runtime);
        options.runtime.path = runtime.display().to_string();
        jobs.clear();
    }
    let mut status = ExitCode::SUCCESS;
    for (options, out) in std::iter::once((options, out)).chain(jobs) {
        if run_job(&options, &out, mode)? != ExitCode::SUCCESS {
            status = ExitCode::FAILURE;
        }
    }
    Ok(status)
}

fn run_job(options: &Options, out: &Path, mode: Mode) -> Result<ExitCode, String> {
    let started = Instant::now();
    let generated = generate(options).map_err(|e| e.to_string())?;
    let report = write_files(out, &generated.files, mode).map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();

    if mode == Mode::Check {
        return Ok(report_check(out, &report));
    }
    println!(
        "{}: {} operations, {} shapes, {} paginators, {} files changed, {} removed, {} unchanged ({} ms)",
        generated.crate_name,
        generated.operations,
        generated.shapes,
        generated.paginators,
        report.changed.len(),
        report.removed.len(),
        report.unchanged,
        elapsed.as_millis()
    );
    for (operation, reason) in &generated.unsupported {
        println!("  {operation} is generated but cannot be called: {reason}");
    }
    for (shape, pattern, error) in &generated.unchecked_patterns {
        println!("  pattern of {shape} is not checked on the client ({error}): {pattern:?}");
    }
    Ok(ExitCode::SUCCESS)
}

fn report_check(out: &Path, report: &WriteReport) -> ExitCode {
    if report.is_clean() {
        println!("{}: up to date ({} files)", out.display(), report.unchanged);
        return ExitCode::SUCCESS;
    }
    eprintln!("{}: generated code is stale:", out.display());
    for path in &report.changed {
        eprintln!("  would change: {path}");
    }
    for path in &report.removed {
        eprintln!("  would remove: {path}");
    }
    eprintln!("run `{FIX_COMMAND}` and commit the result");
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same check as `cargo xtask codegen --check`, so `cargo test` alone catches a
    /// forgotten regeneration.
    #[test]
    fn checked_in_crates_are_up_to_date() {
        for (options, out) in default_jobs() {
            let generated = generate(&options).unwrap_or_else(|e| panic!("{e}"));
            let report =
                write_files(&out, &generated.files, Mode::Check).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                report.is_clean(),
                "{} is stale (changed: {:?}, removed: {:?}); run `{FIX_COMMAND}`",
                out.display(),
                report.changed,
                report.removed
            );
        }
    }

    #[test]
    fn generation_is_deterministic() {
        for (options, _) in default_jobs() {
            let first = generate(&options).unwrap_or_else(|e| panic!("{e}"));
            let second = generate(&options).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(first.files, second.files);
        }
    }
}
