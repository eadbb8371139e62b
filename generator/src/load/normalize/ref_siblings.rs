//! Rule `ref-siblings`: in OpenAPI 3.0 a `$ref` replaces its object, so keys beside it are
//! ignored; they are removed and reported (a `description` is kept, as tools expect).
//!
//! Zoom's legacy document has a `$ref` with sibling keys (`zoom-meeting-api-legacy-2023.json`).

use serde_json::{Map, Value};

pub struct RefSiblings;

impl super::Rule for RefSiblings {
    fn name(&self) -> &'static str {
        "ref-siblings"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        if !matches!(node.get("$ref"), Some(Value::String(_))) {
            return Vec::new();
        }
        let siblings: Vec<String> = node
            .keys()
            .filter(|k| !matches!(k.as_str(), "$ref" | "description" | "summary"))
            .cloned()
            .collect();
        siblings
            .into_iter()
            .map(|key| {
                node.remove(&key);
                format!("removed `{key}` beside `$ref` (a reference replaces its object)")
            })
            .collect()
    }
}
