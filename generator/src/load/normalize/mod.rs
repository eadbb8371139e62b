//! Normalization of the raw JSON before typed parsing. Vendors publish documents that are not
//! valid OpenAPI; each repair here is a named rule that records what it changed and where, so
//! nothing is silently dropped. `cargo xtask codegen --report` prints them.

mod openapi31;
mod property_required_flag;
mod trimmed_keys;
mod webhook_refs;

use serde::Serialize;
use serde_json::Value;

use super::Version;
use crate::error::pointer_push;

/// One repair: which rule, where, and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    pub rule: &'static str,
    pub pointer: String,
    pub detail: String,
}

/// A repair rule, applied to every JSON object of the document (children before parents, so
/// a rule sees repaired children).
trait Rule {
    fn name(&self) -> &'static str;
    /// Repairs `node` in place; returns a description of each change.
    fn apply(&self, node: &mut serde_json::Map<String, Value>) -> Vec<String>;
}

/// Applies every rule that fits the document's version and returns the repairs made.
pub fn normalize(document: &mut Value, version: Version) -> Vec<Repair> {
    let mut rules: Vec<Box<dyn Rule>> = vec![
        Box::new(trimmed_keys::TrimmedKeys),
        Box::new(property_required_flag::PropertyRequiredFlag),
    ];
    if version == Version::V3_1 {
        rules.push(Box::new(openapi31::Openapi31Schema));
        rules.push(Box::new(webhook_refs::WebhookRefs));
    }
    let mut repairs = Vec::new();
    walk(document, "", &rules, &mut repairs);
    repairs
}

fn walk(node: &mut Value, pointer: &str, rules: &[Box<dyn Rule>], repairs: &mut Vec<Repair>) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                walk(child, &pointer_push(pointer, key), rules, repairs);
            }
            for rule in rules {
                for detail in rule.apply(map) {
                    repairs.push(Repair {
                        rule: rule.name(),
                        pointer: pointer.to_owned(),
                        detail,
                    });
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                walk(
                    child,
                    &pointer_push(pointer, &index.to_string()),
                    rules,
                    repairs,
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
pub(crate) fn apply_rule_for_test(rule_name: &str, mut document: Value) -> (Value, Vec<Repair>) {
    let rules: Vec<Box<dyn Rule>> = match rule_name {
        "trimmed-keys" => vec![Box::new(trimmed_keys::TrimmedKeys)],
        "property-required-flag" => vec![Box::new(property_required_flag::PropertyRequiredFlag)],
        "webhook-refs" => vec![Box::new(webhook_refs::WebhookRefs)],
        _ => vec![Box::new(openapi31::Openapi31Schema)],
    };
    let mut repairs = Vec::new();
    walk(&mut document, "", &rules, &mut repairs);
    (document, repairs)
}
