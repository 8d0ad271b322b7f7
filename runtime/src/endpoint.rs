//! Endpoint rule-set support: the `aws.partition` function over a partition table that
//! the generator turns into Rust, and the error rules produce.

use std::fmt;

/// The attributes `aws.partition` returns (`getAttr(PartitionResult, "dnsSuffix")`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub name: &'static str,
    pub dns_suffix: &'static str,
    pub dual_stack_dns_suffix: &'static str,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: &'static str,
}

/// One partition of the table: its known regions and the pattern for future ones.
#[derive(Debug, Clone, Copy)]
pub struct PartitionEntry {
    pub id: &'static str,
    pub region_regex: &'static str,
    pub regions: &'static [&'static str],
    pub outputs: Partition,
}

/// `aws.partition(region)`: the partition that lists the region, else the first whose
/// region pattern matches, else the `aws` partition (as the AWS SDKs do).
pub fn partition(table: &'static [PartitionEntry], region: &str) -> Option<&'static Partition> {
    if let Some(entry) = table.iter().find(|p| p.regions.contains(&region)) {
        return Some(&entry.outputs);
    }
    let matches = |entry: &PartitionEntry| {
        regress::Regex::new(entry.region_regex).is_ok_and(|regex| regex.find(region).is_some())
    };
    table
        .iter()
        .find(|entry| matches(entry))
        .or_else(|| table.iter().find(|entry| entry.id == "aws"))
        .map(|entry| &entry.outputs)
}

/// A rule set's `error` rule, or no rule matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    pub fn new(message: impl Into<String>) -> Self {
        EndpointError {
            message: message.into(),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot resolve the endpoint: {}", self.message)
    }
}

impl std::error::Error for EndpointError {}
