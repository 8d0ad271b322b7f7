//! `cargo xtask update` on the real model history, in a scratch copy of the repository's
//! `models/`: a breaking update is refused without changing anything unless
//! `--allow-breaking` (minor bump), an additive one is taken (patch bump, changelog entry,
//! crate regenerated), a broken model or stale customizations change nothing, and a
//! botocore folder of gzipped files brings its companions and botocore's partition table.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn history(version: &str) -> PathBuf {
    repo().join(format!(
        "tests/data/connectparticipant/service-2.botocore-{version}.json"
    ))
}

/// A scratch repository: `models/` as in this one, with the model of botocore `version`.
fn scratch(name: &str, version: &str) -> PathBuf {
    let root = repo().join(format!(
        "target/xtask-update-test/{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("models")).unwrap();
    for entry in std::fs::read_dir(repo().join("models")).unwrap() {
        let path = entry.unwrap().path();
        // connectparticipant's files; `models/connect/` is another crate's.
        if path.is_file() {
            std::fs::copy(&path, root.join("models").join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::copy(history(version), root.join("models/service-2.json")).unwrap();
    root
}

fn update(root: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("update")
        .args(args)
        .args(["--root", root.to_str().unwrap()])
        .output()
        .expect("xtask runs");
    (
        output.status.code().expect("exit status"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every file under `root` (but scratch space in `target/`) with its contents.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    walk(&path, root, files);
                }
            } else {
                let relative = path.strip_prefix(root).unwrap().to_owned();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(root, root, &mut files);
    files
}

fn text(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).unwrap()
}

#[test]
fn a_breaking_update_needs_allow_breaking_and_an_additive_one_is_taken() {
    let root = scratch("history", "1.44.5");

    // Back to an older model. First, customizations.json redacts members the old model
    // lacks: a customization that names nothing is refused before anything else, with
    // or without --allow-breaking, and nothing changes.
    let before = snapshot(&root);
    for allow in [&[][..], &["--allow-breaking"][..]] {
        let mut args = vec![history("1.34.162").to_str().unwrap().to_owned()];
        args.extend(allow.iter().map(|a| a.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = update(&root, &args);
        assert_eq!(code, 2, "{out}\n{err}");
        assert!(err.contains("nothing was changed"), "{err}");
        assert!(
            err.contains("models/service-2.json")
                && err.contains("customizations.json: sensitive_members")
                && !err.contains("target/xtask-update/")
                && err.contains("\"Attendee.JoinToken\" names no member of the model"),
            "{err}"
        );
        assert_eq!(snapshot(&root), before, "a failed update changes nothing");
    }

    // The maintainer drops those entries. Operations disappear, which breaks users: the
    // update is refused, and nothing changes, unless --allow-breaking (a minor bump).
    let customizations = text(&root, "models/customizations.json");
    let newer = [
        "GetAuthenticationUrlResponse.",
        "Attendee.",
        "WebRTCMediaPlacement.",
    ];
    let kept: Vec<&str> = customizations
        .lines()
        .filter(|line| !newer.iter().any(|s| line.contains(s)))
        .collect();
    let kept = kept.join("\n").replace(
        "\"UploadMetadata.HeadersToInclude\",",
        "\"UploadMetadata.HeadersToInclude\"",
    );
    std::fs::write(root.join("models/customizations.json"), kept).unwrap();
    let before = snapshot(&root);
    let (code, out, err) = update(&root, &[history("1.34.162").to_str().unwrap()]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.contains("breaking  operations.GetAuthenticationUrl"),
        "{out}"
    );
    assert!(err.contains("refused"), "{err}");
    assert_eq!(snapshot(&root), before, "a refused update changes nothing");

    let (code, out, err) = update(
        &root,
        &[history("1.34.162").to_str().unwrap(), "--allow-breaking"],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("connectparticipant 0.1.0 -> 0.2.0"), "{out}");
    assert_eq!(
        std::fs::read(root.join("models/service-2.json")).unwrap(),
        std::fs::read(history("1.34.162")).unwrap()
    );
    assert!(text(&root, "models/customizations.json").contains("\"crate_version\": \"0.2.0\""));
    assert!(text(&root, "connectparticipant/Cargo.toml").contains("version = \"0.2.0\""));
    assert!(!root
        .join("connectparticipant/src/operation/get_authentication_url.rs")
        .exists());
    let changelog = text(&root, "connectparticipant/CHANGELOG.md");
    assert!(
        changelog.starts_with(
            "# Changelog\n\n## 0.2.0: model botocore 1.34.162 (API version 2018-09-07)\n\n"
        ),
        "{changelog}"
    );
    assert!(changelog.contains("### Breaking\n\n- "), "{changelog}");
    assert!(
        changelog.contains("\n- operation GetAuthenticationUrl removed"),
        "{changelog}"
    );

    // Forward again: additive, a patch bump, the newest entry first. (The model's new
    // `auth` list names SigV4, which `signatureVersion` already did, and the customization
    // file overrides anyway: documentation, as the diff reads each side's customizations.)
    let (code, out, err) = update(&root, &[history("1.44.5").to_str().unwrap()]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("0 breaking, 0 risky"),
        "the graded diff is printed:\n{out}"
    );
    assert!(out.contains("connectparticipant 0.2.0 -> 0.2.1"), "{out}");
    assert!(root
        .join("connectparticipant/src/operation/get_authentication_url.rs")
        .exists());
    let changelog = text(&root, "connectparticipant/CHANGELOG.md");
    let newest = changelog
        .find("## 0.2.1: model botocore 1.44.5 (API version 2018-09-07)")
        .unwrap();
    let older = changelog.find("## 0.2.0: model botocore 1.34.162").unwrap();
    assert!(newest < older, "the newest entry comes first:\n{changelog}");
    assert!(
        changelog.contains("0 breaking, 0 risky, 35 additive, 22 docs."),
        "{changelog}"
    );
    assert!(!changelog.contains("### Risky"), "{changelog}");
    assert!(
        changelog.contains("- operation GetAuthenticationUrl added (`connectparticipant::operation::get_authentication_url, Client::get_authentication_url`)"),
        "{changelog}"
    );

    // The same model again: nothing to do, nothing changed.
    let before = snapshot(&root);
    let (code, out, _) = update(&root, &[history("1.44.5").to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("nothing to do"), "{out}");
    assert_eq!(snapshot(&root), before);
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn a_model_that_fails_its_check_changes_nothing() {
    let root = scratch("broken", "1.44.5");
    let before = snapshot(&root);
    let broken = root.join("target/broken.json");
    std::fs::create_dir_all(broken.parent().unwrap()).unwrap();
    let mut model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(history("1.44.5")).unwrap()).unwrap();
    model["operations"]["SendMessage"]["input"]["shape"] = "NoSuchShape".into();
    std::fs::write(&broken, model.to_string()).unwrap();
    let (code, out, err) = update(&root, &[broken.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("operations.SendMessage.input"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(snapshot(&root), before);

    let (code, _, err) = update(&root, &[root.join("target/missing.json").to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(snapshot(&root), before);
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn a_botocore_folder_of_gzipped_files_brings_its_companions() {
    let root = scratch("folder", "1.44.5");
    let folder = root.join("target/botocore-1.44.5/botocore/data/connectparticipant/2018-09-07");
    std::fs::create_dir_all(&folder).unwrap();
    let gzip = |from: &Path, to: &str| {
        let file = std::fs::File::create(folder.join(to)).unwrap();
        let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        encoder.write_all(&std::fs::read(from).unwrap()).unwrap();
        encoder.finish().unwrap();
    };
    gzip(&history("1.44.5"), "service-2.json.gz");
    gzip(
        &repo().join("tests/data/connectparticipant/endpoint-rule-set-1.botocore-1.44.5.json"),
        "endpoint-rule-set-1.json.gz",
    );
    let paginators = r#"{"pagination": {}}"#;
    std::fs::write(folder.join("paginators-1.json"), paginators).unwrap();
    std::fs::write(
        root.join("models/paginators-1.json"),
        "{\"pagination\":{}}\n",
    )
    .unwrap();

    // botocore's partition table (data/partitions.json) knows a region models/ does not.
    let mut partitions: serde_json::Value =
        serde_json::from_str(&text(&root, "models/partitions.json")).unwrap();
    partitions["partitions"][0]["regions"]["xx-newregion-1"] =
        serde_json::json!({"description": "A region botocore added"});
    let partitions = serde_json::to_string_pretty(&partitions).unwrap();
    std::fs::write(folder.join("../../partitions.json"), &partitions).unwrap();

    let (code, out, err) = update(&root, &[folder.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("updated to botocore 1.44.5"), "{out}");
    assert_eq!(text(&root, "models/partitions.json"), partitions);
    assert!(
        text(&root, "connectparticipant/src/endpoint.rs").contains("\"xx-newregion-1\""),
        "the regenerated crate knows the new region"
    );
    assert_eq!(
        std::fs::read(root.join("models/service-2.json")).unwrap(),
        std::fs::read(history("1.44.5")).unwrap()
    );
    assert_eq!(text(&root, "models/paginators-1.json"), paginators);
    assert_eq!(
        std::fs::read(root.join("models/endpoint-rule-set-1.json")).unwrap(),
        std::fs::read(
            repo().join("tests/data/connectparticipant/endpoint-rule-set-1.botocore-1.44.5.json")
        )
        .unwrap()
    );
    std::fs::remove_dir_all(&root).ok();
}
