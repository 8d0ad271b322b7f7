//! Endpoint rule-set support: what a resolved endpoint is, the rule-set functions the
//! generated resolver calls (`aws.partition` over a partition table the generator turns
//! into Rust, `parseURL`, `aws.parseArn`, `isValidHostLabel`), and the error rules produce.

use std::fmt;

/// The attributes `aws.partition` returns (`getAttr(PartitionResult, "dnsSuffix")`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct Partition {
    pub name: &'static str,
    pub dns_suffix: &'static str,
    pub dual_stack_dns_suffix: &'static str,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: &'static str,
}

/// One partition of the table: its known regions and, for future ones, the prefixes its
/// `regionRegex` allows (`^(us|eu)\-\w+\-\d+$` → `us`, `eu`), decoded by the generator.
#[derive(Debug, Clone, Copy)]
#[doc(hidden)]
pub struct PartitionEntry {
    pub id: &'static str,
    pub region_prefixes: &'static [&'static str],
    pub regions: &'static [&'static str],
    pub outputs: Partition,
}

/// `aws.partition(region)`: the partition that lists the region, else the first whose
/// region pattern matches, else the `aws` partition (as the AWS SDKs do).
#[doc(hidden)]
pub fn partition(table: &'static [PartitionEntry], region: &str) -> Option<&'static Partition> {
    if let Some(entry) = table.iter().find(|p| p.regions.contains(&region)) {
        return Some(&entry.outputs);
    }
    table
        .iter()
        .find(|entry| region_matches(entry.region_prefixes, region))
        .or_else(|| table.iter().find(|entry| entry.id == "aws"))
        .map(|entry| &entry.outputs)
}

/// Whether `region` is `PREFIX-WORD-DIGITS` for one of `prefixes`: what every
/// `regionRegex` of the partition table says (`^PREFIX\-\w+\-\d+$`, `\w` being ASCII
/// letters, digits and `_`), without a regex engine.
#[doc(hidden)]
pub fn region_matches(prefixes: &[&str], region: &str) -> bool {
    let is_word = |text: &str| {
        !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    let is_number = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    prefixes.iter().any(|prefix| {
        region
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.split_once('-'))
            .is_some_and(|(word, number)| is_word(word) && is_number(number))
    })
}

/// Where requests go: the URL, and the rule set's endpoint properties (such as
/// `authSchemes`, the signing name and region a signer would use), kept as JSON.
/// `Debug` leaves out any user-info (`user:password@`) of the URL.
#[derive(Clone, PartialEq)]
pub struct Endpoint {
    url: String,
    properties: serde_json::Map<String, serde_json::Value>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &crate::redact::without_userinfo(&self.url))
            .field("properties", &self.properties)
            .finish()
    }
}

impl Endpoint {
    #[doc(hidden)]
    pub fn new(url: impl Into<String>) -> Self {
        Endpoint {
            url: url.into(),
            properties: serde_json::Map::new(),
        }
    }

    /// An endpoint with properties; anything but a JSON object is ignored.
    pub fn with_properties(url: impl Into<String>, properties: serde_json::Value) -> Self {
        Endpoint {
            url: url.into(),
            properties: match properties {
                serde_json::Value::Object(map) => map,
                _ => serde_json::Map::new(),
            },
        }
    }

    /// The endpoint's URL, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The rule set's properties for this endpoint, e.g. `authSchemes`.
    pub fn properties(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.properties
    }

    /// The `authSchemes` property: how a signer must sign for this endpoint.
    pub fn auth_schemes(&self) -> &[serde_json::Value] {
        self.properties
            .get("authSchemes")
            .and_then(serde_json::Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
}

/// `isValidHostLabel(value, allowSubDomains)`: letters, digits and `-`, 1 to 63
/// characters, not starting with `-`; with sub-domains, several such labels joined by `.`.
#[doc(hidden)]
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    let label = |part: &str| {
        (1..=63).contains(&part.len())
            && !part.starts_with('-')
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if allow_subdomains {
        value.split('.').all(label)
    } else {
        label(value)
    }
}

/// What `parseURL` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(hidden)]
pub struct Url {
    pub scheme: String,
    pub authority: String,
    pub path: String,
    /// The path with a trailing `/`.
    pub normalized_path: String,
    pub is_ip: bool,
}

/// `parseURL(url)`: an `http` or `https` URL without a query, else `None`.
#[doc(hidden)]
pub fn parse_url(text: &str) -> Option<Url> {
    let (scheme, rest) = text.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return None;
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    let normalized_path = if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    Some(Url {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

/// What `aws.parseArn` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(hidden)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account_id: String,
    /// The resource, split on `:` and `/`.
    pub resource_id: Vec<String>,
}

impl Arn {
    /// `resourceId[i]`, if there is one.
    pub fn resource_id(&self, index: usize) -> Option<&str> {
        self.resource_id.get(index).map(String::as_str)
    }
}

/// `aws.parseArn(text)`: `arn:partition:service:region:account:resource`, else `None`.
#[doc(hidden)]
pub fn parse_arn(text: &str) -> Option<Arn> {
    let mut parts = text.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (partition, service, region, account_id, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

/// A rule set's `error` rule, or no rule matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    #[doc(hidden)]
    pub fn new(message: impl Into<String>) -> Self {
        EndpointError {
            message: message.into(),
        }
    }

    /// Why no endpoint could be resolved, as the rule set says it.
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

#[cfg(test)]
mod tests {
    #[test]
    fn debug_leaves_out_the_urls_user_info() {
        let shown = format!(
            "{:?}",
            Endpoint::new("https://user:s3cret@example.com/base")
        );
        assert!(
            !shown.contains("s3cret") && !shown.contains("user:"),
            "{shown}"
        );
        assert!(shown.contains("example.com/base"), "{shown}");
    }

    use super::*;

    #[test]
    fn regions_match_prefix_word_number() {
        let aws = &["us", "eu", "ap"];
        for region in ["us-east-1", "eu-central-2", "ap-south_x-10", "us-Ab9-0"] {
            assert!(region_matches(aws, region), "{region}");
        }
        for region in [
            "us-gov-west-1",
            "us-east",
            "us-east-",
            "us--1",
            "useast-1",
            "cn-north-1",
            "us-east-1a",
            "us-east-1-",
            "us-éast-1",
            "",
        ] {
            assert!(!region_matches(aws, region), "{region}");
        }
        assert!(region_matches(&["us-gov"], "us-gov-west-1"));
        assert!(region_matches(&["eusc-de"], "eusc-de-east-1"));
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("abc-1", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        for bad in ["", "-a", "a_b", "a..b", &"a".repeat(64)] {
            assert!(!is_valid_host_label(bad, true), "{bad:?}");
        }
    }

    #[test]
    fn urls() {
        let url = parse_url("https://example.com:8443/a/b").unwrap();
        assert_eq!(
            (
                url.scheme.as_str(),
                url.authority.as_str(),
                url.path.as_str()
            ),
            ("https", "example.com:8443", "/a/b")
        );
        assert_eq!(url.normalized_path, "/a/b/");
        assert!(!url.is_ip);
        assert!(parse_url("http://127.0.0.1:80").unwrap().is_ip);
        assert!(parse_url("http://[::1]/").unwrap().is_ip);
        for bad in ["ftp://x", "https://", "https://x?y=1", "no scheme"] {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn arns() {
        let arn = parse_arn("arn:aws:cloudfront::123456789012:key-value-store/abc").unwrap();
        assert_eq!(
            (
                arn.partition.as_str(),
                arn.service.as_str(),
                arn.region.as_str()
            ),
            ("aws", "cloudfront", "")
        );
        assert_eq!(arn.account_id, "123456789012");
        assert_eq!(
            (arn.resource_id(0), arn.resource_id(1), arn.resource_id(2)),
            (Some("key-value-store"), Some("abc"), None)
        );
        for bad in [
            "",
            "arn:aws",
            "aws:a:b:c:d:e",
            "arn::s:r:a:res",
            "arn:aws:s:r:a:",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn endpoint_properties() {
        let endpoint = Endpoint::with_properties(
            "https://x",
            serde_json::json!({"authSchemes": [{"name": "sigv4", "signingRegion": "us-east-1"}]}),
        );
        assert_eq!(endpoint.auth_schemes().len(), 1);
        assert!(Endpoint::new("https://x").auth_schemes().is_empty());
    }
}
