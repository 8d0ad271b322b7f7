//! Project tasks: `cargo xtask codegen [--check]`, `cargo xtask diff OLD NEW`,
//! `cargo xtask update PATH`, `cargo xtask sweep DATA_DIR`.

mod codegen;
mod diff;
mod sweep;
mod update;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check] [--model PATH --out DIR [--crate-name NAME] [--runtime-path DIR]
                      [--endpoint-rules PATH] [--partitions PATH] [--paginators PATH]
                      [--customizations PATH]]
      Regenerates the client crate (default: models/service-2.json -> connectparticipant/).
      --check writes nothing and fails if any generated file is stale. Companion files
      are found beside a model named *service-2*.json (endpoint-rule-set-1.json,
      paginators-1.json, partitions.json here or one folder up, customizations.json)
      unless given. A crate is named after its model's serviceId unless --crate-name.
  cargo xtask diff OLD.json NEW.json [--format text|json] [--all] [--crate-name NAME]
      Lists what a model update changes in the generated API, graded breaking, risky,
      additive or docs. Exit status 1 when anything is breaking, 2 on bad input.
  cargo xtask update PATH [--allow-breaking] [--model-version TEXT] [--root DIR]
      Takes a new model (service-2.json, .json.gz, or a botocore data/connectparticipant/
      <version>/ folder with its companion files and botocore's data/partitions.json):
      prints the graded diff, refuses a
      breaking one unless --allow-breaking, copies it into models/, regenerates, bumps
      the crate version by semver and prepends an entry to its CHANGELOG.md. A refusal or a
      failure changes nothing.
  cargo xtask sweep DATA_DIR [--out DIR] [--compile] [--only a,b,...]
      Generates every rest-json model of a botocore data/ folder (and with --compile
      checks them all, warnings denied) and prints a table of results and times.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("sweep") => sweep::run(&args[1..]),
        Some("update") => update::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task `{other}`\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
