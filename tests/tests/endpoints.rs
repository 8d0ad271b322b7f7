//! connectparticipant's endpoint rule set, compiled to Rust by the generator, against
//! the 23 cases botocore ships for it: expected URL or expected error, exactly.

use connectparticipant::endpoint::{resolve, Params};
use serde_json::Value;

#[test]
fn all_botocore_endpoint_cases_pass() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/connectparticipant/endpoint-tests-1.botocore.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let suite: Value = serde_json::from_str(&text).unwrap();
    let cases = suite["testCases"].as_array().unwrap();
    assert_eq!(cases.len(), 23);
    let mut failures = Vec::new();
    for case in cases {
        let input = &case["params"];
        let mut params = Params::default();
        params.region = input["Region"].as_str().map(str::to_owned);
        params.endpoint = input["Endpoint"].as_str().map(str::to_owned);
        params.use_fips = input["UseFIPS"].as_bool().unwrap_or(false);
        params.use_dual_stack = input["UseDualStack"].as_bool().unwrap_or(false);
        let expected = match (&case["expect"]["endpoint"], &case["expect"]["error"]) {
            (Value::Object(endpoint), _) => Ok((
                endpoint["url"].as_str().unwrap().to_owned(),
                endpoint
                    .get("properties")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default())),
            )),
            (_, Value::String(error)) => Err(error.clone()),
            _ => panic!("case without expectation: {case}"),
        };
        let actual = resolve(&params)
            .map(|e| (e.url().to_owned(), Value::Object(e.properties().clone())))
            .map_err(|e| e.message().to_owned());
        if actual != expected {
            failures.push(format!(
                "{}: expected {expected:?}, got {actual:?}",
                case["documentation"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 23 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_client_with_a_rejected_configuration_is_an_error_not_a_panic() {
    let config = connectparticipant::Config::builder()
        .region("us-east-1")
        .endpoint_url("https://example.com")
        .use_fips(true)
        .build()
        .unwrap();
    let error = connectparticipant::Client::new(&config)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("FIPS and custom endpoint are not supported"),
        "{error}"
    );
    let config = connectparticipant::Config::builder()
        .region("eu-west-1")
        .build()
        .unwrap();
    let client = connectparticipant::Client::new(&config).unwrap();
    assert_eq!(
        client.endpoint(),
        "https://participant.connect.eu-west-1.amazonaws.com"
    );
}

#[test]
fn the_client_takes_its_own_endpoint_variable_from_the_environment() {
    let vars = [
        ("AWS_REGION", "us-west-2"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
        ("AWS_ENDPOINT_URL_CONNECTPARTICIPANT", "http://127.0.0.1:2"),
        ("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:3"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let config = connectparticipant::Config::from_vars(vars).build().unwrap();
    let client = connectparticipant::Client::new(&config).unwrap();
    assert_eq!(client.endpoint(), "http://127.0.0.1:2");
    let config = connectparticipant::Config::from_vars([(
        "AWS_DEFAULT_REGION".to_owned(),
        "ap-south-1".to_owned(),
    )])
    .build()
    .unwrap();
    let client = connectparticipant::Client::new(&config).unwrap();
    assert_eq!(
        client.endpoint(),
        "https://participant.connect.ap-south-1.amazonaws.com"
    );
}
