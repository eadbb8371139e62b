//! Rule `trimmed-keys`: keys with leading or trailing spaces are trimmed.
//!
//! Zoom's legacy document has `"type "` at
//! `#/components/schemas/BillingContactRequired/properties/employee_count`, which hides the
//! type from every parser. A trimmed key that already exists is left alone (and reported).

use serde_json::{Map, Value};

pub struct TrimmedKeys;

impl super::Rule for TrimmedKeys {
    fn name(&self) -> &'static str {
        "trimmed-keys"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let spaced: Vec<String> = node
            .keys()
            .filter(|k| k.trim() != k.as_str() && !k.trim().is_empty())
            .cloned()
            .collect();
        let mut changes = Vec::new();
        for key in spaced {
            let trimmed = key.trim().to_owned();
            if node.contains_key(&trimmed) {
                changes.push(format!("kept {key:?}: {trimmed:?} exists beside it"));
                continue;
            }
            if let Some(value) = node.shift_remove(&key) {
                node.insert(trimmed.clone(), value);
                changes.push(format!("renamed {key:?} to {trimmed:?}"));
            }
        }
        changes
    }
}
