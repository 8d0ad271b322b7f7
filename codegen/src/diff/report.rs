//! The report as text, a changelog summary, and JSON.

use std::collections::BTreeMap;

use super::{DiffReport, Severity};

impl DiffReport {
    pub fn has_breaking(&self) -> bool {
        self.changes
            .iter()
            .any(|c| c.severity == Severity::Breaking)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// One line per change (documentation-only ones folded into a count unless
    /// `show_docs`), then a summary for a changelog.
    pub fn to_text(&self, show_docs: bool) -> String {
        let mut out = String::new();
        for change in self
            .changes
            .iter()
            .filter(|c| show_docs || c.severity != Severity::Docs)
        {
            out.push_str(&format!(
                "{:<9} {}: {} [{}]\n",
                change.severity.as_str(),
                change.path,
                change.change,
                change.rust_item
            ));
        }
        if !show_docs && self.count(Severity::Docs) > 0 {
            out.push_str(&format!(
                "docs      {} documentation-only changes (list them with --all)\n",
                self.count(Severity::Docs)
            ));
        }
        out.push('\n');
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// e.g. `2 operations added, 7 enum values added; 0 breaking, 0 risky, 9 additive, 3 docs.`
    /// followed by the breaking and risky changes themselves.
    pub fn summary(&self) -> String {
        if self.changes.is_empty() {
            return "No changes.".to_owned();
        }
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for change in self.changes.iter().filter(|c| c.severity != Severity::Docs) {
            *kinds.entry(change.kind).or_default() += 1;
        }
        let mut order: Vec<(&str, usize)> = kinds.into_iter().collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let parts: Vec<String> = order.iter().map(|(kind, n)| plural(*n, kind)).collect();
        let mut summary = String::new();
        if !parts.is_empty() {
            summary.push_str(&parts.join(", "));
            summary.push_str("; ");
        }
        summary.push_str(&format!(
            "{} breaking, {} risky, {} additive, {} docs.",
            self.count(Severity::Breaking),
            self.count(Severity::Risky),
            self.count(Severity::Additive),
            self.count(Severity::Docs)
        ));
        for severity in [Severity::Breaking, Severity::Risky] {
            let listed: Vec<&str> = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .map(|c| c.change.as_str())
                .collect();
            if !listed.is_empty() {
                summary.push_str(&format!(
                    "\n{}: {}",
                    capitalized(severity.as_str()),
                    listed.join("; ")
                ));
            }
        }
        summary
    }

    /// The same data as JSON, with stable field names.
    pub fn to_json(&self) -> String {
        let value = serde_json::json!({
            "changes": self.changes,
            "counts": {
                "breaking": self.count(Severity::Breaking),
                "risky": self.count(Severity::Risky),
                "additive": self.count(Severity::Additive),
                "docs": self.count(Severity::Docs),
            },
            "summary": self.summary(),
        });
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}

/// `3 enum values added` from `enum value added`: the word before the verb is the noun.
fn plural(n: usize, kind: &str) -> String {
    if n == 1 {
        return format!("1 {kind}");
    }
    match kind.rsplit_once(' ') {
        Some((noun, verb)) => format!("{n} {noun}s {verb}"),
        None => format!("{n} {kind}s"),
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
