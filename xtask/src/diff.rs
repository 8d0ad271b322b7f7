//! `cargo xtask diff OLD NEW`: what a model update changes in the generated API.

use std::path::Path;
use std::process::ExitCode;

use awsgen_codegen::{diff, load_for_diff, ForDiff, Options, RuntimeDependency};

const USAGE: &str =
    "usage: cargo xtask diff OLD.json NEW.json [--format text|json] [--all] [--crate-name NAME]";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut paths = Vec::new();
    let mut json = false;
    let mut show_docs = false;
    // The crate a generation from the new model would make, unless given.
    let mut crate_name = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => match args.next().map(String::as_str) {
                Some("text") => json = false,
                Some("json") => json = true,
                other => {
                    return Err(format!(
                        "--format takes text or json, not {other:?}\n{USAGE}"
                    ))
                }
            },
            "--all" => show_docs = true,
            "--crate-name" => {
                crate_name = Some(
                    args.next()
                        .cloned()
                        .ok_or_else(|| format!("--crate-name needs a value\n{USAGE}"))?,
                )
            }
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option `{flag}`\n{USAGE}"))
            }
            path => paths.push(path.to_owned()),
        }
    }
    let [old, new] = paths.as_slice() else {
        return Err(format!(
            "expected two model files, got {}\n{USAGE}",
            paths.len()
        ));
    };
    let (old, new) = (load(Path::new(old))?, load(Path::new(new))?);
    let report = diff::diff_sides(old.side(), new.side(), crate_name.as_deref());
    if json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_text(show_docs));
    }
    Ok(if report.has_breaking() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Loads and checks a model with the generator's own loader (the same errors, with the
/// same JSON paths, as `cargo xtask codegen` gives), with the paginators and
/// customization file a generation from it would use.
pub fn load(path: &Path) -> Result<ForDiff, String> {
    let options = Options {
        model: path.to_owned(),
        customizations: None,
        endpoint_rules: None,
        partitions: None,
        paginators: None,
        crate_name: None,
        runtime: RuntimeDependency {
            path: String::new(),
        },
    };
    load_for_diff(&options).map_err(|e| e.to_string())
}
