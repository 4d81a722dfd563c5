//! The rules reference (`docs/contract-review-rules.md`): one section per rule of the
//! catalogue, with an anchor that is the rule's id, so that the SARIF `helpUri` of a rule and a
//! reader's link land on it. Written by `cargo xtask generate` from the rule table (`rules::ALL`), so it
//! cannot fall behind the rules.

use std::fmt::Write;

use crate::rules::{self, Rule};

/// Where the reference is published (the repository's file, at its `main` branch).
pub fn rule_url(rule: &Rule) -> String {
    format!("{}#{}", reference_url(), rule.id)
}

/// The URL of the reference page itself.
pub fn reference_url() -> String {
    format!(
        "{}/blob/main/docs/contract-review-rules.md",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// The page, as Markdown: an index table, then one section per rule.
pub fn markdown(header: &str) -> String {
    let mut page = String::new();
    page.push_str(header);
    page.push_str(
        "# Contract review rules\n\n\
         Every rule `cargo xtask diff` reports, in the order of its catalogue \
         (`xtask/contract-review/src/rules.rs`; `cargo xtask diff --rules` prints the same table). \
         A finding carries two severities: **wire**, for any client of the HTTP API, and **Rust**, \
         for code written against gigs-client. Where the wire severity comes from the schemas, the \
         containment engine decides it for each finding from what the base and head schemas accept; \
         the table shows the verdict such a change usually gets. How changes are judged is in \
         [contract-review.md](contract-review.md).\n\n\
         | rule | wire | wire from | Rust | summary |\n|---|---|---|---|---|\n",
    );
    for rule in rules::ALL {
        let _ = writeln!(
            page,
            "| [`{id}`](#{id}) | {wire} | {source} | {rust} | {summary} |",
            id = rule.id,
            wire = rule.wire,
            source = rule.wire_source(),
            rust = rule.rust,
            summary = rule.summary.replace('|', "\\|"),
        );
    }
    for rule in rules::ALL {
        let wire = if rule.wire_judged {
            format!(
                "decided for each finding by what the base and head schemas accept (usually \
                 **{}**)",
                rule.wire
            )
        } else {
            format!("**{}**", rule.wire)
        };
        let _ = write!(
            page,
            "\n## {id}\n\n{summary}.\n\n- Wire: {wire}.\n- Rust API: **{rust}**.\n",
            id = rule.id,
            summary = capitalized(rule.summary),
            rust = rule.rust,
        );
    }
    page
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_one_section_whose_heading_is_its_id() {
        let page = markdown("");
        for rule in rules::ALL {
            let heading = format!("\n## {}\n", rule.id);
            assert_eq!(page.matches(&heading).count(), 1, "{}", rule.id);
            assert!(page.contains(&format!("[`{0}`](#{0})", rule.id)));
            assert!(rule_url(rule).ends_with(&format!("contract-review-rules.md#{}", rule.id)));
        }
    }
}
