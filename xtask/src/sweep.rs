//! `cargo xtask sweep DATA_DIR`: generate every rest-json model of a botocore `data/`
//! folder (the newest version of each service), optionally compile them all, and print a
//! table: generated, compiled, failed with reason, time.
//!
//! Get a `data/` folder with `pip download --no-deps botocore` and unzip the wheel's
//! `botocore/data/`. Models and rule sets are read gzipped or not.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use awsgen_codegen::write::{write_files, Mode};
use awsgen_codegen::{generate, Options, RuntimeDependency};

use crate::codegen::workspace_root;

const USAGE: &str = "cargo xtask sweep DATA_DIR [--out DIR] [--compile] [--only a,b,...]";

/// One service of the sweep and how far it got.
struct Row {
    service: String,
    /// The generated crate's name: the model's, unless two services share it.
    crate_name: String,
    operations: usize,
    /// Operations generated but not callable (event streams).
    not_callable: usize,
    /// Model patterns the client cannot check.
    unchecked_patterns: usize,
    generate_time: Duration,
    failure: Option<String>,
    compiled: Option<bool>,
}

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut data = None;
    let mut out = workspace_root().join("target/sweep");
    let mut compile = false;
    let mut only: Option<Vec<String>> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = PathBuf::from(args.next().ok_or("--out needs a value")?),
            "--compile" => compile = true,
            "--only" => {
                let list = args.next().ok_or("--only needs a value")?;
                only = Some(list.split(',').map(str::to_owned).collect());
            }
            other if data.is_none() && !other.starts_with("--") => {
                data = Some(PathBuf::from(other))
            }
            other => {
                return Err(format!(
                    "unknown option `{other}` for sweep\nusage: {USAGE}"
                ))
            }
        }
    }
    let data = data.ok_or_else(|| format!("usage: {USAGE}"))?;
    let services = rest_json_services(&data, only.as_deref())?;
    if services.is_empty() {
        return Err(format!("{}: no rest-json models found", data.display()));
    }
    let partitions = read_maybe_gzipped(&data.join("partitions.json"))
        .map_err(|e| format!("{}: {e}", data.join("partitions.json").display()))?;
    let models = out.join("models");
    let crates = out.join("crates");
    std::fs::create_dir_all(&models).map_err(|e| e.to_string())?;
    std::fs::write(models.join("partitions.json"), partitions).map_err(|e| e.to_string())?;

    let runtime = std::fs::canonicalize(workspace_root().join("runtime"))
        .map_err(|e| e.to_string())?
        .display()
        .to_string();
    let started = Instant::now();
    let mut rows = generate_all(&services, &models, &crates, &runtime);
    rename_shared_crate_names(&services, &models, &crates, &runtime, &mut rows);
    let generate_total = started.elapsed();

    let mut compile_total = None;
    if compile {
        let started = Instant::now();
        compile_all(&out, &crates, &mut rows)?;
        compile_total = Some(started.elapsed());
    }
    print_table(&rows, generate_total, compile_total);
    let all_good = rows
        .iter()
        .all(|r| r.failure.is_none() && r.compiled != Some(false));
    Ok(if all_good {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `(service, newest version folder)` for every service whose model is rest-json.
fn rest_json_services(
    data: &Path,
    only: Option<&[String]>,
) -> Result<Vec<(String, PathBuf)>, String> {
    let mut services = Vec::new();
    let entries = std::fs::read_dir(data).map_err(|e| format!("{}: {e}", data.display()))?;
    for entry in entries.flatten() {
        let service = entry.file_name().to_string_lossy().into_owned();
        if only.is_some_and(|only| !only.contains(&service)) {
            continue;
        }
        let Some(version) = newest_version(&entry.path()) else {
            continue;
        };
        let Ok(model) = read_maybe_gzipped(&version.join("service-2.json")) else {
            continue;
        };
        // A cheap look at the protocol, without parsing the whole model twice.
        let head = String::from_utf8_lossy(&model[..model.len().min(4096)]).into_owned();
        if head.contains("\"protocol\":\"rest-json\"")
            || head.contains("\"protocol\": \"rest-json\"")
        {
            services.push((service, version));
        }
    }
    services.sort();
    Ok(services)
}

fn newest_version(service_dir: &Path) -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir(service_dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    versions.sort();
    versions.pop()
}

/// The file, or `FILE.gz` decompressed.
pub(crate) fn read_maybe_gzipped(path: &Path) -> Result<Vec<u8>, String> {
    if let Ok(bytes) = std::fs::read(path) {
        return Ok(bytes);
    }
    gunzip(&PathBuf::from(format!("{}.gz", path.display())))
}

/// The most a gzipped model file may decompress to: botocore's largest model (ec2) is
/// under 10 MiB; a file that inflates beyond this is refused rather than read.
pub(crate) const MAX_UNZIPPED: u64 = 64 * 1024 * 1024;

/// A gzipped file, decompressed (at most [`MAX_UNZIPPED`] bytes).
pub(crate) fn gunzip(path: &Path) -> Result<Vec<u8>, String> {
    gunzip_at_most(path, MAX_UNZIPPED)
}

fn gunzip_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{}: decompresses to more than {limit} bytes; refused",
            path.display()
        ));
    }
    Ok(bytes)
}

/// Two models may share a `serviceId` (botocore's `pinpoint-sms-voice` and `sms-voice`),
/// hence a crate name, and one workspace cannot hold both: every one after the first is
/// generated again with its folder's name after the shared one.
fn rename_shared_crate_names(
    services: &[(String, PathBuf)],
    models: &Path,
    crates: &Path,
    runtime: &str,
    rows: &mut [Row],
) {
    let mut seen = std::collections::BTreeSet::new();
    for (row, (service, dir)) in rows.iter_mut().zip(services) {
        if row.failure.is_some() || seen.insert(row.crate_name.clone()) {
            continue;
        }
        let name = format!("{}_{}", row.crate_name, service.replace('-', "_"));
        *row = generate_one(service, dir, models, crates, runtime, Some(name));
    }
}

/// Generates every service, two (or as many as there are cores) at a time: each
/// generation's load, check and plan run on one thread, so models overlap.
fn generate_all(
    services: &[(String, PathBuf)],
    models: &Path,
    crates: &Path,
    runtime: &str,
) -> Vec<Row> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut rows: Vec<(usize, Row)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((service, dir)) = services.get(i) else {
                            break done;
                        };
                        let row = generate_one(service, dir, models, crates, runtime, None);
                        done.push((i, row));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    rows.sort_by_key(|(i, _)| *i);
    rows.into_iter().map(|(_, row)| row).collect()
}

fn generate_one(
    service: &str,
    version: &Path,
    models: &Path,
    crates: &Path,
    runtime: &str,
    crate_name: Option<String>,
) -> Row {
    let mut row = Row {
        service: service.to_owned(),
        crate_name: String::new(),
        operations: 0,
        not_callable: 0,
        unchecked_patterns: 0,
        generate_time: Duration::ZERO,
        failure: None,
        compiled: None,
    };
    let dir = models.join(service);
    let copy = |name: &str| -> Result<Option<PathBuf>, String> {
        match read_maybe_gzipped(&version.join(name)) {
            Ok(bytes) => {
                std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
                let path = dir.join(name);
                std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
                Ok(Some(path))
            }
            Err(_) => Ok(None),
        }
    };
    let (model, rules) = match (copy("service-2.json"), copy("endpoint-rule-set-1.json")) {
        (Ok(Some(model)), Ok(rules)) => (model, rules),
        (Err(e), _) | (_, Err(e)) => {
            row.failure = Some(e);
            return row;
        }
        (Ok(None), _) => {
            row.failure = Some("no service-2.json".to_owned());
            return row;
        }
    };
    let options = Options {
        model,
        customizations: None,
        endpoint_rules: rules,
        partitions: Some(models.join("partitions.json")),
        paginators: copy("paginators-1.json").ok().flatten(),
        crate_name,
        runtime: RuntimeDependency {
            path: runtime.to_owned(),
        },
    };
    let started = Instant::now();
    // The generator must never panic; if it does, the sweep says so and goes on.
    let result = std::panic::catch_unwind(|| generate(&options));
    row.generate_time = started.elapsed();
    match result {
        Ok(Ok(generated)) => {
            row.crate_name = generated.crate_name;
            row.operations = generated.operations;
            row.not_callable = generated.unsupported.len();
            row.unchecked_patterns = generated.unchecked_patterns.len();
            if let Err(e) = write_files(&crates.join(service), &generated.files, Mode::Write) {
                row.failure = Some(e.to_string());
            }
        }
        Ok(Err(error)) => row.failure = Some(first_line(&error.to_string())),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            row.failure = Some(format!("generator panicked: {}", first_line(&message)));
        }
    }
    row
}

fn first_line(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("").to_owned();
    match lines.next() {
        Some(second) => format!("{first} {}", second.trim()),
        None => first,
    }
}

/// Checks every generated crate in one workspace (dependencies build once), with
/// warnings denied, and marks each row compiled or not.
fn compile_all(out: &Path, crates: &Path, rows: &mut [Row]) -> Result<(), String> {
    let members: Vec<String> = rows
        .iter()
        .filter(|r| r.failure.is_none())
        .map(|r| format!("\"crates/{}\"", r.service))
        .collect();
    std::fs::write(
        out.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .map_err(|e| e.to_string())?;
    let _ = std::fs::copy(workspace_root().join("Cargo.lock"), out.join("Cargo.lock"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            // The `serde` and `test-util` code too (a superset of the default build's).
            "--all-features",
            "--keep-going",
            "--offline",
            "--quiet",
        ])
        .current_dir(out)
        .env("CARGO_TARGET_DIR", out.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    std::fs::write(out.join("check.log"), stderr.as_bytes()).map_err(|e| e.to_string())?;
    let _ = crates;
    for row in rows.iter_mut().filter(|r| r.failure.is_none()) {
        let marker = format!("could not compile `{}`", row.crate_name);
        let failed = stderr.contains(&marker);
        row.compiled = Some(!failed);
        if failed {
            row.failure = Some(first_error(&stderr, &row.service));
        }
    }
    Ok(())
}

/// The first error rustc reported for a service's crate.
fn first_error(stderr: &str, service: &str) -> String {
    let needle = format!("crates/{service}/");
    let lines: Vec<&str> = stderr.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.contains(&needle) && i > 0 {
            let error = lines[..i]
                .iter()
                .rev()
                .find(|l| l.starts_with("error") || l.starts_with("warning"));
            if let Some(error) = error {
                return format!("does not compile: {} ({})", error.trim(), line.trim());
            }
        }
    }
    "does not compile (see check.log)".to_owned()
}

fn print_table(rows: &[Row], generate_total: Duration, compile_total: Option<Duration>) {
    println!(
        "| service | operations | not callable (event streams) | patterns not checked | generate | result |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | --- |");
    for row in rows {
        let result = match (&row.failure, row.compiled) {
            (Some(reason), _) => format!("FAILED: {reason}"),
            (None, Some(true)) => "compiled".to_owned(),
            (None, _) => "generated".to_owned(),
        };
        println!(
            "| {} | {} | {} | {} | {} ms | {} |",
            row.service,
            row.operations,
            row.not_callable,
            row.unchecked_patterns,
            row.generate_time.as_millis(),
            result
        );
    }
    let generated = rows
        .iter()
        .filter(|r| {
            r.failure
                .as_deref()
                .is_none_or(|f| f.starts_with("does not compile"))
        })
        .count();
    let compiled = rows.iter().filter(|r| r.compiled == Some(true)).count();
    print!(
        "\n{} rest-json models: {generated} generated in {:.1} s",
        rows.len(),
        generate_total.as_secs_f64()
    );
    match compile_total {
        Some(total) => println!(", {compiled} compiled in {:.0} s", total.as_secs_f64()),
        None => println!(" (not compiled; add --compile)"),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn gunzip_refuses_a_file_that_inflates_past_the_limit() {
        let dir = std::env::temp_dir().join(format!("xtask-gunzip-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bomb.json.gz");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![b' '; 1024 * 1024]).unwrap();
        std::fs::write(&path, encoder.finish().unwrap()).unwrap();
        assert_eq!(
            gunzip_at_most(&path, 1024 * 1024).unwrap().len(),
            1024 * 1024
        );
        let error = gunzip_at_most(&path, 1024 * 1024 - 1).unwrap_err();
        assert!(error.contains("more than 1048575 bytes"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
