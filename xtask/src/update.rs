//! `cargo xtask update PATH`: take a new model (a `service-2.json`, gzipped or not, or a
//! botocore `data/connectparticipant/<version>/` folder with its companion files) into
//! `models/`, after showing the graded diff and refusing a breaking one unless
//! `--allow-breaking`; regenerate the crate, bump its version by semver and prepend an
//! entry to its `CHANGELOG.md`. From a botocore folder it also takes botocore's partition table
//! (`data/partitions.json`, two folders up), so that new regions and partitions arrive
//! with the model rather than by a step of their own. Everything is computed (and generated) before anything is
//! written, so a refusal or a failure changes nothing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use awsgen_codegen::diff::{DiffReport, Severity};
use awsgen_codegen::write::{write_files, Mode};
use awsgen_codegen::{generate, Model};

use crate::codegen::{default_jobs, workspace_root};
use crate::diff;
use crate::sweep::{gunzip, read_maybe_gzipped};

const USAGE: &str =
    "usage: cargo xtask update PATH [--allow-breaking] [--model-version TEXT] [--root DIR]
  PATH: a service-2.json (or .json.gz), or a botocore data/connectparticipant/<version>/
  folder (its service-2, endpoint-rule-set-1 and paginators-1 files, gzipped or not, and
  botocore's data/partitions.json two folders up).";

/// The model files `update` takes, by their name in `models/`.
const COMPANIONS: [&str; 2] = ["endpoint-rule-set-1.json", "paginators-1.json"];

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let Args {
        source,
        allow_breaking,
        model_version,
        root,
    } = Args::parse(args)?;
    let incoming = Incoming::read(&source)?;
    let models = root.join("models");
    let staging = stage(&root, &models, &incoming)?;
    // Problems name the file the maintainer edits, not its staged copy.
    let unstaged = |message: String| {
        let message = message.replace(
            &staging.display().to_string(),
            &models.display().to_string(),
        );
        format!("{message}\nnothing was changed")
    };
    let old = diff::load(&models.join("service-2.json"))?;
    let new = diff::load(&staging.join("service-2.json")).map_err(unstaged)?;

    let report =
        awsgen_codegen::diff::diff_sides(old.side(), new.side(), Some("connectparticipant"));
    print!("{}", report.to_text(false));
    if report.changes.is_empty() && incoming.companions_unchanged(&models) {
        println!("The model is the one in models/: nothing to do.");
        return Ok(ExitCode::SUCCESS);
    }
    if report.has_breaking() && !allow_breaking {
        eprintln!(
            "refused: this update breaks users of the crate (see `breaking` above); nothing was \
             changed. Run again with --allow-breaking to take it, with a minor version bump."
        );
        return Ok(ExitCode::FAILURE);
    }

    let customizations_path = staging.join("customizations.json");
    let customizations = read_text(&customizations_path).unwrap_or_else(|_| "{}".to_owned());
    let old_version = crate_version(&customizations)?;
    let version = bump(&old_version, report.has_breaking())?;
    write(
        &customizations_path,
        with_crate_version(&customizations, &version)?.as_bytes(),
    )?;
    let (mut options, out) = default_jobs().remove(0);
    options.model = staging.join("service-2.json");
    let out = root.join(out.strip_prefix(workspace_root()).unwrap_or(&out));
    let generated = generate(&options).map_err(|e| unstaged(format!("generation failed: {e}")))?;
    let label = model_version.unwrap_or_else(|| model_label(&source, &new.model));
    // The crate's own changelog, beside its manifest (hand-written files there are kept).
    let changelog_path = out.join("CHANGELOG.md");
    let changelog = read_text(&changelog_path).unwrap_or_default();
    let changelog = with_entry(&changelog, &entry(&version, &label, &report));

    // Everything is ready: now the repository changes.
    for name in std::iter::once("service-2.json")
        .chain(incoming.companions.iter().map(|(name, _)| name.as_str()))
        .chain(["customizations.json"])
    {
        std::fs::copy(staging.join(name), models.join(name))
            .map_err(|e| format!("{}: {e}", models.join(name).display()))?;
    }
    let written = write_files(&out, &generated.files, Mode::Write).map_err(|e| e.to_string())?;
    write(&changelog_path, changelog.as_bytes())?;
    let _ = std::fs::remove_dir_all(root.join("target/xtask-update"));
    println!(
        "updated to {label}: connectparticipant {old_version} -> {version}, {} files changed, \
         {} removed; its CHANGELOG.md has the entry",
        written.changed.len(),
        written.removed.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// What `update` was asked to do.
struct Args {
    source: PathBuf,
    allow_breaking: bool,
    model_version: Option<String>,
    root: PathBuf,
}

impl Args {
    fn parse(args: &[String]) -> Result<Args, String> {
        let mut source = None;
        let mut allow_breaking = false;
        let mut model_version = None;
        let mut root = workspace_root();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |flag: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
            };
            match arg.as_str() {
                "--allow-breaking" => allow_breaking = true,
                "--model-version" => model_version = Some(value("--model-version")?),
                "--root" => root = PathBuf::from(value("--root")?),
                flag if flag.starts_with("--") => {
                    return Err(format!("unknown option `{flag}`\n{USAGE}"))
                }
                path if source.is_none() => source = Some(PathBuf::from(path)),
                extra => return Err(format!("unexpected argument `{extra}`\n{USAGE}")),
            }
        }
        Ok(Args {
            source: source.ok_or_else(|| format!("which model?\n{USAGE}"))?,
            allow_breaking,
            model_version,
            root,
        })
    }
}

/// Stages the new models beside a copy of the others (`target/xtask-update/models`): the
/// diff and the generation read them there, exactly as they will be read from models/.
fn stage(root: &Path, models: &Path, incoming: &Incoming) -> Result<PathBuf, String> {
    let staging = root.join("target/xtask-update/models");
    let _ = std::fs::remove_dir_all(&staging);
    copy_dir(models, &staging)?;
    write(&staging.join("service-2.json"), &incoming.model)?;
    for (name, contents) in &incoming.companions {
        write(&staging.join(name), contents)?;
    }
    Ok(staging)
}

/// botocore's partition table, relative to a `data/<service>/<version>/` folder.
const PARTITIONS: &str = "../../partitions.json";

/// The files an update brings: the model, and the companions the source folder has.
struct Incoming {
    model: Vec<u8>,
    companions: Vec<(String, Vec<u8>)>,
}

impl Incoming {
    fn read(source: &Path) -> Result<Incoming, String> {
        if source.is_dir() {
            let model = read_maybe_gzipped(&source.join("service-2.json"))?;
            let mut companions: Vec<(String, Vec<u8>)> = COMPANIONS
                .iter()
                .filter_map(|name| {
                    let contents = read_maybe_gzipped(&source.join(name)).ok()?;
                    Some((name.to_string(), contents))
                })
                .collect();
            if let Ok(partitions) = read_maybe_gzipped(&source.join(PARTITIONS)) {
                companions.push(("partitions.json".to_owned(), partitions));
            }
            return Ok(Incoming { model, companions });
        }
        let model = if source.extension().is_some_and(|e| e == "gz") {
            gunzip(source)?
        } else {
            std::fs::read(source).map_err(|e| format!("{}: {e}", source.display()))?
        };
        Ok(Incoming {
            model,
            companions: Vec::new(),
        })
    }

    /// Whether every companion brought is byte for byte the one in `models/`.
    fn companions_unchanged(&self, models: &Path) -> bool {
        self.companions.iter().all(|(name, contents)| {
            std::fs::read(models.join(name)).ok().as_ref() == Some(contents)
        })
    }
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, contents: &[u8]) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() {
            let target = to.join(path.file_name().unwrap_or_default());
            std::fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// `customizations.json`'s `crate_version`, `0.1.0` when it has none.
fn crate_version(customizations: &str) -> Result<String, String> {
    let json: serde_json::Value = serde_json::from_str(customizations)
        .map_err(|e| format!("models/customizations.json: {e}"))?;
    Ok(json
        .get("crate_version")
        .and_then(|v| v.as_str())
        .unwrap_or("0.1.0")
        .to_owned())
}

/// The file with its `crate_version` set to `version`, the rest of its text untouched.
fn with_crate_version(customizations: &str, version: &str) -> Result<String, String> {
    let line = format!("\"crate_version\": \"{version}\"");
    if let Some(start) = customizations.find("\"crate_version\"") {
        let end = customizations[start..]
            .find([',', '\n', '}'])
            .map(|i| start + i)
            .ok_or("models/customizations.json: crate_version has no end")?;
        return Ok(format!(
            "{}{line}{}",
            &customizations[..start],
            &customizations[end..]
        ));
    }
    let open = customizations
        .find('{')
        .ok_or("models/customizations.json is not a JSON object")?;
    let rest = customizations[open + 1..].trim_start();
    let separator = if rest.starts_with('}') { "" } else { "," };
    Ok(format!(
        "{}\n  {line}{separator}\n  {rest}",
        &customizations[..=open]
    ))
}

/// Semver for the generated crate: a breaking update bumps the minor version while the
/// crate is 0.x (the major after), anything else the patch version.
fn bump(version: &str, breaking: bool) -> Result<String, String> {
    let parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("crate_version {version:?} is not MAJOR.MINOR.PATCH"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!(
            "crate_version {version:?} is not MAJOR.MINOR.PATCH"
        ));
    };
    Ok(match (breaking, major) {
        (true, 0) => format!("0.{}.0", minor + 1),
        (true, _) => format!("{}.0.0", major + 1),
        (false, _) => format!("{major}.{minor}.{}", patch + 1),
    })
}

/// What the model is: `botocore 1.44.5` when the path names a botocore release, else its
/// API version.
fn model_label(source: &Path, model: &Model) -> String {
    let text = source.to_string_lossy();
    let release = text.split(['/', '\\']).rev().find_map(|part| {
        let rest = &part[part.find("botocore-")? + "botocore-".len()..];
        let version: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let version = version.trim_end_matches('.').to_owned();
        (!version.is_empty()).then_some(version)
    });
    let api = model.metadata.api_version.as_deref().unwrap_or("unknown");
    match release {
        Some(release) => format!("botocore {release} (API version {api})"),
        None => format!("API version {api}"),
    }
}

/// A changelog entry: the version and model, the diff's summary, then the breaking,
/// risky and additive changes one per line.
fn entry(version: &str, label: &str, report: &DiffReport) -> String {
    let mut text = format!("## {version}: model {label}\n\n");
    let summary = report.summary();
    text.push_str(summary.lines().next().unwrap_or_default());
    text.push('\n');
    for (severity, title) in [
        (Severity::Breaking, "Breaking"),
        (Severity::Risky, "Risky"),
        (Severity::Additive, "Additive"),
    ] {
        let changes: Vec<String> = report
            .changes
            .iter()
            .filter(|c| c.severity == severity)
            .map(|c| format!("- {} (`{}`)", c.change, c.rust_item))
            .collect();
        if !changes.is_empty() {
            text.push_str(&format!("\n### {title}\n\n{}\n", changes.join("\n")));
        }
    }
    text
}

/// The changelog with `entry` first, under its title.
fn with_entry(changelog: &str, entry: &str) -> String {
    const TITLE: &str = "# Changelog\n";
    let rest = changelog
        .strip_prefix(TITLE)
        .unwrap_or(changelog)
        .trim_start();
    if rest.is_empty() {
        format!("{TITLE}\n{entry}")
    } else {
        format!("{TITLE}\n{entry}\n{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_by_semver() {
        assert_eq!(bump("0.1.0", false).unwrap(), "0.1.1");
        assert_eq!(bump("0.1.7", true).unwrap(), "0.2.0");
        assert_eq!(bump("1.4.2", true).unwrap(), "2.0.0");
        assert_eq!(bump("1.4.2", false).unwrap(), "1.4.3");
        assert!(bump("1.4", false).is_err());
        assert!(bump("a.b.c", false).is_err());
    }

    #[test]
    fn the_crate_version_is_set_without_touching_the_rest() {
        let text = "{\n  \"crate_version\": \"0.1.0\",\n  \"sensitive_headers\": []\n}\n";
        assert_eq!(
            with_crate_version(text, "0.2.0").unwrap(),
            "{\n  \"crate_version\": \"0.2.0\",\n  \"sensitive_headers\": []\n}\n"
        );
        let without = "{\n  \"sensitive_headers\": []\n}\n";
        let added = with_crate_version(without, "0.1.1").unwrap();
        let json: serde_json::Value = serde_json::from_str(&added).unwrap();
        assert_eq!(json["crate_version"], "0.1.1");
        assert_eq!(json["sensitive_headers"], serde_json::json!([]));
        let empty = with_crate_version("{}", "0.1.1").unwrap();
        assert_eq!(crate_version(&empty).unwrap(), "0.1.1");
    }

    #[test]
    fn a_botocore_release_in_the_path_names_the_model() {
        let model = Model::parse(
            r#"{"metadata": {"protocol": "rest-json", "apiVersion": "2018-09-07"}, "shapes": {}}"#,
        )
        .unwrap();
        assert_eq!(
            model_label(Path::new("history/service-2.botocore-1.44.5.json"), &model),
            "botocore 1.44.5 (API version 2018-09-07)"
        );
        assert_eq!(
            model_label(
                Path::new("botocore-1.44.8/botocore/data/connectparticipant/2018-09-07"),
                &model
            ),
            "botocore 1.44.8 (API version 2018-09-07)"
        );
        assert_eq!(
            model_label(Path::new("new.json"), &model),
            "API version 2018-09-07"
        );
    }
}
