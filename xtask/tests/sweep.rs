//! `cargo xtask sweep` names each crate after its model's `serviceId`, and two models that
//! share one (botocore has `pinpoint-sms-voice` and `sms-voice`) still get two crates.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A botocore-like data folder: the fixture model under each service folder, with
/// `service_id`.
fn data_folder(services: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-sweep-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let model = std::fs::read_to_string(root().join("tests/fixtures/patterns.service-2.json"))
        .expect("the fixture model");
    let mut model: serde_json::Value = serde_json::from_str(&model).unwrap();
    for (service, service_id) in services {
        let version = dir.join("data").join(service).join("2024-01-01");
        std::fs::create_dir_all(&version).unwrap();
        model["metadata"]["serviceId"] = (*service_id).into();
        std::fs::write(
            version.join("service-2.json"),
            serde_json::to_string_pretty(&model).unwrap(),
        )
        .unwrap();
    }
    std::fs::copy(
        root().join("models/partitions.json"),
        dir.join("data/partitions.json"),
    )
    .unwrap();
    dir
}

fn package_name(manifest: &Path) -> String {
    let text = std::fs::read_to_string(manifest).unwrap_or_else(|e| panic!("{manifest:?}: {e}"));
    text.lines()
        .find_map(|line| line.strip_prefix("name = "))
        .expect("a package name")
        .trim_matches('"')
        .to_owned()
}

#[test]
fn crates_are_named_after_the_service_id_and_never_twice_the_same() {
    let dir = data_folder(&[
        ("pinpoint-sms-voice", "Pinpoint SMS Voice"),
        ("sms-voice", "Pinpoint SMS Voice"),
        ("iot-data", "IoT Data Plane"),
    ]);
    let out = dir.join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["sweep", dir.join("data").to_str().unwrap(), "--out"])
        .arg(&out)
        .output()
        .expect("xtask runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let crates = out.join("crates");
    assert_eq!(
        package_name(&crates.join("pinpoint-sms-voice/Cargo.toml")),
        "pinpointsmsvoice"
    );
    assert_eq!(
        package_name(&crates.join("sms-voice/Cargo.toml")),
        "pinpointsmsvoice_sms_voice"
    );
    assert_eq!(
        package_name(&crates.join("iot-data/Cargo.toml")),
        "iotdataplane"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
