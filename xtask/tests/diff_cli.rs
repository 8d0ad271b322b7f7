//! `cargo xtask diff` as a maintainer runs it: output, formats and exit statuses.

use std::path::PathBuf;
use std::process::Command;

fn shared(version: &str) -> String {
    format!(
        "{}/../tests/data/connectparticipant/service-2.botocore-{version}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn xtask(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs");
    (
        output.status.code().expect("exit status"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_real_update_without_breaking_changes_exits_zero_with_a_summary() {
    let (code, out, _) = xtask(&["diff", &shared("1.29.165"), &shared("1.34.162")]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "additive  operations.SendEvent.errors: error ConflictException added to SendEvent"
        ),
        "{out}"
    );
    assert!(
        out.contains("1 operation added; 0 breaking, 0 risky, 20 additive"),
        "{out}"
    );
}

#[test]
fn a_breaking_update_exits_one() {
    // Going backwards removes operations: breaking.
    let (code, out, _) = xtask(&["diff", &shared("1.44.5"), &shared("1.34.162")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "breaking  operations.GetAuthenticationUrl: operation GetAuthenticationUrl removed"
        ),
        "{out}"
    );
    assert!(out.contains("\nBreaking: "), "{out}");
}

#[test]
fn json_output_has_stable_fields() {
    let (code, out, _) = xtask(&[
        "diff",
        &shared("1.19.63"),
        &shared("1.29.165"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(json["counts"]["breaking"], 0);
    let first = &json["changes"][0];
    for field in ["severity", "path", "change", "rust_item", "kind"] {
        assert!(first.get(field).is_some(), "missing {field} in {first}");
    }
}

#[test]
fn bad_input_exits_two_with_the_loaders_error() {
    let not_json = scratch("broken.json", "{ \"metadata\": ");
    let (code, _, err) = xtask(&["diff", not_json.to_str().unwrap(), &shared("1.44.5")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("broken.json: not valid JSON"), "{err}");

    let dangling = std::fs::read_to_string(shared("1.44.5"))
        .unwrap()
        .replace("\"shape\":\"ChatContent\"", "\"shape\":\"ChatContnt\"");
    let dangling = scratch("dangling.json", &dangling);
    let (code, _, err) = xtask(&["diff", &shared("1.44.5"), dangling.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no shape named \"ChatContnt\""), "{err}");
    assert!(
        err.contains("shapes.") && err.contains(".members.Content.shape"),
        "{err}"
    );

    let (code, _, err) = xtask(&["diff", &shared("1.44.5")]);
    assert_eq!(code, 2);
    assert!(err.contains("expected two model files"), "{err}");
}

#[test]
fn another_services_diff_names_that_services_crate() {
    let old = format!(
        "{}/../tests/data/other/iot-data.service-2.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&old).unwrap()).unwrap();
    model["operations"]
        .as_object_mut()
        .unwrap()
        .remove("DeleteConnection")
        .expect("the model has DeleteConnection");
    let new = scratch("iot-data-new.json", &model.to_string());
    let (code, out, _) = xtask(&["diff", &old, new.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    // `IoT Data Plane`, as the official SDK's crate `aws-sdk-iotdataplane`.
    assert!(
        out.contains("[iotdataplane::operation::delete_connection, Client::delete_connection]"),
        "{out}"
    );
    assert!(!out.contains("connectparticipant"), "{out}");
    // The operation has no output shape: its synthetic output is traced to the operation.
    assert!(
        out.contains("breaking  operations.DeleteConnection.output: `iotdataplane::operation::delete_connection::DeleteConnectionOutput` (struct) removed"),
        "{out}"
    );
    let (_, named, _) = xtask(&[
        "diff",
        &old,
        new.to_str().unwrap(),
        "--crate-name",
        "iot_data",
    ]);
    assert!(
        named.contains("iot_data::operation::delete_connection"),
        "{named}"
    );
}
