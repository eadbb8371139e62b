//! Pass `rate_limit_labels`: the rate-limit class of each operation, as Zoom names it.
//!
//! Zoom states an operation's rate-limit label in its description (`Rate Limit Label:
//! `Heavy`` in `zoom-meetings.json`, the seeds' `Rate Limit Label: MEDIUM`), and our seed
//! documents in `x-rate-limit-label`, spelt any way (`RESOURCE_INTENSIVE`). The live API's
//! `X-RateLimit-Category` header spells them `Light`, `Medium`, `Heavy` and
//! `Resource-intensive`, so the class gets that name. The lines stating the label, and those
//! stating the scopes when the document lists them otherwise, leave the description: the docs
//! state each fact once, from the parsed value. Every Zoom API has the four classes.

use crate::ir::Api;

/// Zoom's labels, longest first ("RESOURCE-INTENSIVE" before the others), as the header
/// spells each.
const LABELS: &[(&str, &str)] = &[
    ("RESOURCE-INTENSIVE", "Resource-intensive"),
    ("HEAVY", "Heavy"),
    ("MEDIUM", "Medium"),
    ("LIGHT", "Light"),
];

pub fn run(api: &mut Api) {
    api.rate_classes = LABELS
        .iter()
        .rev()
        .map(|(_, label)| (*label).to_owned())
        .collect();
    for op in &mut api.operations {
        let stated = op.description.as_deref().and_then(|description| {
            let start = description.find("Rate Limit Label")?;
            Some(description[start..].chars().take(160).collect::<String>())
        });
        let label = op.rate_class.clone().or(stated);
        op.rate_class = label.as_deref().and_then(zoom_label);
        if let Some(description) = &op.description {
            let kept =
                without_stated_facts(description, !op.scopes.is_empty(), op.rate_class.is_some());
            op.description = (!kept.trim().is_empty()).then_some(kept);
        }
    }
}

/// The label `text` names, as Zoom's header spells it.
fn zoom_label(text: &str) -> Option<String> {
    let text = text.to_ascii_uppercase().replace(['_', ' '], "-");
    LABELS
        .iter()
        .find(|(name, _)| text.contains(name))
        .map(|(_, label)| (*label).to_owned())
}

/// The description without the lines that state the scopes and the rate-limit label, when
/// those are known otherwise: the docs state each fact once, from the parsed value.
fn without_stated_facts(text: &str, scopes: bool, rate_limit: bool) -> String {
    let states = |line: &str, fact: &str| {
        let words: String = line
            .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
            .chars()
            .take(fact.len())
            .collect();
        words.eq_ignore_ascii_case(fact)
    };
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            !(scopes && (states(line, "Scopes") || states(line, "Granular Scopes"))
                || rate_limit && states(line, "Rate Limit Label"))
        })
        .collect();
    // Blank lines that the removal left in a row become one.
    let mut out: Vec<&str> = Vec::with_capacity(kept.len());
    for line in kept {
        if line.trim().is_empty() && out.last().is_none_or(|last| last.trim().is_empty()) {
            continue;
        }
        out.push(line);
    }
    out.join("\n").trim_end().to_owned()
}
