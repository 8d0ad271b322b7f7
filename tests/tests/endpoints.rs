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

/// The partition table's region patterns are matched without a regex engine (the
/// generator decodes each into prefixes): the same answer as the regex, for every known
/// region of every partition and for near misses.
#[test]
fn region_prefixes_match_exactly_what_the_region_regexes_match() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../models/partitions.json");
    let table: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let partitions = table["partitions"].as_array().unwrap();
    let mut regions: Vec<String> = partitions
        .iter()
        .flat_map(|p| p["regions"].as_object().unwrap().keys().cloned())
        .collect();
    let near_misses = [
        "us-east",
        "us--1",
        "useast-1",
        "us-east-1a",
        "us-east-1-",
        "us-gov-west",
        "xx-east-1",
        "us-east_2-3",
        "eusc-de-east-1",
        "eusc-fr-east-1",
        "us-isob-east-1",
        "US-EAST-1",
        "",
    ];
    regions.extend(near_misses.map(str::to_owned));
    let mut matched = 0;
    for partition in partitions {
        let regex = partition["regionRegex"].as_str().unwrap();
        let prefixes = awsgen_codegen::endpoint_rules::region_prefixes(regex)
            .unwrap_or_else(|| panic!("{regex} decodes"));
        let prefixes: Vec<&str> = prefixes.iter().map(String::as_str).collect();
        let compiled = regress::Regex::new(regex).unwrap();
        for region in &regions {
            let by_regex = compiled.find(region).is_some();
            let by_prefix = awsgen_runtime::endpoint::region_matches(&prefixes, region);
            assert_eq!(by_prefix, by_regex, "{regex} on {region:?}");
            matched += usize::from(by_regex);
        }
    }
    // The comparison saw both answers.
    assert!(matched > 10 && matched < regions.len() * partitions.len());
    assert_eq!(
        awsgen_codegen::endpoint_rules::region_prefixes(r"^(us|eu)\-\w+\-\d+$"),
        Some(vec!["us".to_owned(), "eu".to_owned()])
    );
    assert_eq!(
        awsgen_codegen::endpoint_rules::region_prefixes(r"^us.*$"),
        None
    );
}
