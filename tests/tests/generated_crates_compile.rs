//! Every model we have generates a crate that compiles without warnings (with and without
//! its features) and documents without rustdoc warnings: connectparticipant's whole
//! history, eight other rest-json services, a sample of 24 botocore services chosen for
//! the features they use (`tests/fixtures/botocore/README.md`), and an edge-case fixture
//! (keywords, recursion, unions, colliding member names, every primitive).
//!
//! The crates are generated into one scratch workspace under `target/` and checked in
//! one cargo run with its own target directory, so dependencies build once.
//!
//! Then every crate signs: a probe program in the same workspace calls, in each crate
//! whose model signs, one operation that needs no input in its URL, against a local
//! server of its own, which checks the SigV4 signature for that service's signing name
//! and the probe's region.

use std::path::{Path, PathBuf};
use std::process::Command;

use awsgen_codegen::plan::{AuthPlan, UriPart};
use awsgen_codegen::write::{write_files, Mode};
use awsgen_codegen::{generate, Model, Options, RuntimeDependency};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// (crate name, model path) for every model to build.
fn models() -> Vec<(String, PathBuf)> {
    let sample = workspace_root().join("tests/fixtures/botocore");
    let mut models = history_and_other_models();
    for entry in std::fs::read_dir(&sample).unwrap().flatten() {
        if entry.path().join("service-2.json").exists() {
            let service = entry.file_name().to_string_lossy().into_owned();
            models.push((
                format!("sample_{}", service.replace('-', "_")),
                entry.path().join("service-2.json"),
            ));
        }
    }
    models.sort();
    models
}

/// connectparticipant's history and the eight other models in `tests/data`.
fn history_and_other_models() -> Vec<(String, PathBuf)> {
    let root = workspace_root();
    let data = root.join("tests/data");
    let mut models = Vec::new();
    for version in ["1.13.50", "1.19.63", "1.29.165", "1.34.162", "1.44.5"] {
        let name = format!("connectparticipant_{}", version.replace('.', "_"));
        models.push((
            name,
            data.join(format!(
                "connectparticipant/service-2.botocore-{version}.json"
            )),
        ));
    }
    for service in [
        "apigatewaymanagementapi",
        "connectcases",
        "iot-data",
        "ivschat",
        "mwaa",
        "signer-data",
        "sso",
        "workmailmessageflow",
    ] {
        models.push((
            service.replace('-', "_"),
            data.join(format!("other/{service}.service-2.json")),
        ));
    }
    models.push((
        "edge_cases".to_owned(),
        root.join("tests/fixtures/edge-cases.service-2.json"),
    ));
    models
}

fn cargo(scratch: &Path, target: &Path, args: &[&str]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(cargo)
        .args(args)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        // A one-off build: incremental state and debug info would only fill the disk
        // (incremental alone was 1.5 GB here).
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .output()
        .expect("cargo runs")
}

#[test]
fn every_model_generates_a_crate_that_compiles_and_documents_cleanly() {
    let root = workspace_root();
    let scratch = root.join("target/generated-crates");
    let runtime = std::fs::canonicalize(root.join("runtime")).unwrap();
    let mut members = Vec::new();
    let mut probes = Vec::new();
    for (name, model) in models() {
        let options = Options {
            model: model.clone(),
            customizations: None,
            endpoint_rules: None,
            // botocore's sample has rule sets beside the models; the table is ours.
            partitions: Some(root.join("models/partitions.json")),
            paginators: None,
            crate_name: Some(name.clone()),
            runtime: RuntimeDependency {
                path: runtime.display().to_string(),
            },
        };
        let generated = generate(&options).unwrap_or_else(|e| panic!("{}: {e}", model.display()));
        write_files(&scratch.join(&name), &generated.files, Mode::Write)
            .unwrap_or_else(|e| panic!("{e}"));
        members.push(format!("{name:?}"));
        probes.extend(probe_target(&name, &model));
    }
    assert!(probes.len() >= 20, "only {} crates to probe", probes.len());
    write_probe(&scratch, &runtime, &probes);
    members.push("\"signing_probe\"".to_owned());
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // Same dependency versions as the main workspace. Not `--offline`: a crate only
    // these builds use (none today) would not be downloaded yet on a fresh machine.
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();

    let target = root.join("target/generated-crates-build");
    // Only rustdoc's warnings matter here. Re-documenting a crate into a doc folder that
    // already holds all forty costs rustdoc about 40 s each (it merges the shared search
    // index and implementor lists); from an empty folder the whole run takes under 2 min.
    let _ = std::fs::remove_dir_all(target.join("doc"));
    for args in [
        &["check", "--workspace", "--quiet"][..],
        // The `serde` and `test-util` features too.
        &["check", "--workspace", "--all-features", "--quiet"][..],
        &["doc", "--workspace", "--no-deps", "--quiet"][..],
    ] {
        let output = cargo(&scratch, &target, args);
        assert!(
            output.status.success(),
            "cargo {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    check_signatures(&scratch, &target, &probes);
}

/// A crate to probe: its name, the client method of an operation that signs and needs
/// nothing in its URL or host, and the signing name.
struct Probe {
    crate_name: String,
    method: String,
    signing_name: String,
}

fn probe_target(name: &str, model_path: &Path) -> Option<Probe> {
    let model = Model::load(model_path).ok()?;
    let plan =
        awsgen_codegen::plan::plan(&model, &Default::default(), &Default::default(), Some(name));
    plan.operations.iter().find_map(|op| {
        let AuthPlan::SigV4 { signing_name, .. } = &op.auth else {
            return None;
        };
        let labels = op
            .uri_parts
            .iter()
            .any(|p| matches!(p, UriPart::Label { .. }));
        (!labels && op.host_prefix.is_none() && op.unsupported.is_none()).then(|| Probe {
            crate_name: name.to_owned(),
            method: op.names.client_method.clone(),
            signing_name: signing_name.clone(),
        })
    })
}

/// The probe: for each crate, a client for the URL given on its command line (one per
/// crate, in order) with the test credentials, calling the operation once.
fn write_probe(scratch: &Path, runtime: &Path, probes: &[Probe]) {
    let dir = scratch.join("signing_probe");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let mut manifest = format!(
        "[package]\nname = \"signing_probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nawsgen-runtime = {{ path = {:?} }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n",
        runtime.display().to_string()
    );
    let mut calls = String::new();
    for (i, probe) in probes.iter().enumerate() {
        let name = &probe.crate_name;
        manifest.push_str(&format!("{name} = {{ path = \"../{name}\" }}\n"));
        calls.push_str(&format!(
            "    let config = {name}::Config::builder()\n\
                     .region(\"us-west-2\")\n\
                     .endpoint_url(&urls[{i}])\n\
                     .credentials(credentials.clone())\n\
                     .validation(awsgen_runtime::ValidationMode::Off)\n\
                     .max_attempts(1)\n\
                     .http_transport(local(&urls[{i}]))\n\
                     .build()\n\
                     .unwrap();\n\
                 match {name}::Client::new(&config).unwrap().{method}().send().await {{\n\
                     Err(e) if e.status().is_none() => println!(\"{name} not sent: {{e}}\"),\n\
                     _ => {{}}\n\
                 }}\n",
            method = probe.method
        ));
    }
    let main = format!(
        "{LOCAL_ONLY}\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {{\n\
             let urls: Vec<String> = std::env::args().skip(1).collect();\n\
             let credentials = awsgen_runtime::Credentials::new(\"AKIDEXAMPLE\", \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\");\n\
         {calls}}}\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
}

/// The probe's transport: it sends only to the local server it was given, so that a
/// rule set that ignores `endpoint_url` can never make the probe reach AWS.
const LOCAL_ONLY: &str = r#"
#[derive(Debug)]
struct LocalOnly {
    base: String,
    inner: awsgen_runtime::ReqwestTransport,
}

impl awsgen_runtime::HttpTransport for LocalOnly {
    fn send(&self, request: awsgen_runtime::HttpRequest) -> awsgen_runtime::TransportFuture<'_> {
        if request.url.starts_with(&self.base) {
            return self.inner.send(request);
        }
        Box::pin(async {
            Err(awsgen_runtime::TransportError::new(
                awsgen_runtime::TransportErrorKind::Other,
                "resolved to another host than the local server",
            ))
        })
    }
}

fn local(base: &str) -> LocalOnly {
    let settings = awsgen_runtime::TransportSettings {
        connect_timeout: Some(std::time::Duration::from_secs(2)),
        max_response_body: 1 << 20,
        proxy: None,
        max_idle_connections: 0,
    };
    LocalOnly {
        base: base.to_owned(),
        inner: awsgen_runtime::ReqwestTransport::new(&settings).unwrap(),
    }
}
"#;

/// Runs the probe against a local server per crate and checks every signature.
fn check_signatures(scratch: &Path, target: &Path, probes: &[Probe]) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let servers: Vec<MockServer> = runtime.block_on(async {
        let mut servers = Vec::new();
        for _ in probes {
            let server = MockServer::start().await;
            Mock::given(wiremock::matchers::any())
                .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
                .mount(&server)
                .await;
            servers.push(server);
        }
        servers
    });
    let mut args = vec!["run", "--quiet", "-p", "signing_probe", "--"];
    let urls: Vec<String> = servers.iter().map(MockServer::uri).collect();
    args.extend(urls.iter().map(String::as_str));
    let output = cargo(scratch, target, &args);
    assert!(
        output.status.success(),
        "the signing probe failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A call the client refused to send (an operation whose endpoint needs input, say)
    // says why; every other one must have arrived signed.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let not_sent: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(" not sent: "))
        .collect();
    assert!(not_sent.len() <= 3, "too many calls not sent:\n{stdout}");
    let credentials = awsgen_tests::test_credentials();
    let mut verified = 0;
    for (probe, server) in probes.iter().zip(&servers) {
        let requests = runtime.block_on(server.received_requests()).unwrap();
        let skipped = format!("{} not sent: ", probe.crate_name);
        if not_sent.iter().any(|l| l.starts_with(&skipped)) {
            continue;
        }
        let request = requests
            .first()
            .unwrap_or_else(|| panic!("{}: no request arrived\n{stdout}", probe.crate_name));
        verified += 1;
        let verified =
            awsgen_tests::verify_sigv4(request, &credentials, "us-west-2", &probe.signing_name);
        let authorization = verified.unwrap_or_else(|e| panic!("{}: {e}", probe.crate_name));
        assert!(
            authorization.contains(&format!("/us-west-2/{}/aws4_request", probe.signing_name)),
            "{}: {authorization}",
            probe.crate_name
        );
    }
    assert!(verified >= 20, "only {verified} signatures verified");
}
