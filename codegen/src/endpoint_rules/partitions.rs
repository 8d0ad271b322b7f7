//! botocore's `partitions.json`, as the generated partition table holds it.

use serde_json::Value;

use super::problem;
use crate::error::Problem;

/// One partition of the table, as the runtime's `PartitionEntry` holds it.
#[derive(Debug, Clone)]
pub struct PartitionPlan {
    pub id: String,
    /// The region prefixes `regionRegex` allows, for `awsgen_runtime::endpoint::region_matches`.
    pub region_prefixes: Vec<String>,
    pub regions: Vec<String>,
    pub name: String,
    pub dns_suffix: String,
    pub dual_stack_dns_suffix: String,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: String,
}

/// The prefixes a partition's `regionRegex` allows, when it has the form every AWS
/// partition uses: `^` + segments joined by `\-` (a word, or a group of words
/// `(a|b)`) + `\-\w+\-\d+$`. `^(us|eu)\-\w+\-\d+$` → `us`, `eu`;
/// `^eusc\-(de)\-\w+\-\d+$` → `eusc-de`. Anything else is `None`.
pub fn region_prefixes(regex: &str) -> Option<Vec<String>> {
    let body = regex.strip_prefix('^')?.strip_suffix(r"\-\w+\-\d+$")?;
    let mut prefixes = vec![String::new()];
    for segment in body.split(r"\-") {
        let words: Vec<&str> = match segment.strip_prefix('(') {
            Some(group) => group.strip_suffix(')')?.split('|').collect(),
            None => vec![segment],
        };
        let is_word = |w: &&str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric());
        if !words.iter().all(is_word) {
            return None;
        }
        prefixes = prefixes
            .iter()
            .flat_map(|prefix| {
                words.iter().map(move |word| match prefix.is_empty() {
                    true => (*word).to_owned(),
                    false => format!("{prefix}-{word}"),
                })
            })
            .collect();
    }
    Some(prefixes)
}

/// Parses botocore's `partitions.json`.
pub fn parse_partitions(json: &Value) -> Result<Vec<PartitionPlan>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut partitions = Vec::new();
    let Some(list) = json.get("partitions").and_then(Value::as_array) else {
        return Err(vec![problem("partitions", "expected a list of partitions")]);
    };
    for (i, p) in list.iter().enumerate() {
        let path = format!("partitions[{i}]");
        let text = |value: Option<&Value>, key: &str, problems: &mut Vec<Problem>| {
            value
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    problems.push(problem(format!("{path}.{key}"), "expected a string"));
                    String::new()
                })
        };
        let outputs = p.get("outputs");
        let output = |key: &str| outputs.and_then(|o| o.get(key));
        let regex = text(p.get("regionRegex"), "regionRegex", &mut problems);
        let region_prefixes = region_prefixes(&regex).unwrap_or_else(|| {
            problems.push(problem(
                format!("{path}.regionRegex"),
                format!("{regex:?} is not of the form ^PREFIX\\-\\w+\\-\\d+$ (PREFIX: words and (a|b) groups joined by \\-), the only form the client matches"),
            ));
            Vec::new()
        });
        partitions.push(PartitionPlan {
            id: text(p.get("id"), "id", &mut problems),
            region_prefixes,
            regions: p
                .get("regions")
                .and_then(Value::as_object)
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default(),
            name: text(output("name"), "outputs.name", &mut problems),
            dns_suffix: text(output("dnsSuffix"), "outputs.dnsSuffix", &mut problems),
            dual_stack_dns_suffix: text(
                output("dualStackDnsSuffix"),
                "outputs.dualStackDnsSuffix",
                &mut problems,
            ),
            supports_fips: output("supportsFIPS")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            supports_dual_stack: output("supportsDualStack")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            implicit_global_region: output("implicitGlobalRegion")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        });
    }
    if problems.is_empty() {
        Ok(partitions)
    } else {
        Err(problems)
    }
}
