//! Rule `openapi31-schema`: OpenAPI 3.1 schema keywords rewritten to their 3.0 form so that the
//! 3.0 model reads them: `type: [T, "null"]` → `type: T, nullable: true`; `const: v` →
//! `enum: [v]`; numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with the
//! boolean flag; `examples: [..]` → `example`.
//!
//! Zoom's webhook documents are 3.1, e.g. `zoom-meetings-webhooks.json`
//! `#/webhooks/recording.completed/post/requestBody/content/application~1json/schema`.

use serde_json::{Map, Value};

pub struct Openapi31Schema;

impl super::Rule for Openapi31Schema {
    fn name(&self) -> &'static str {
        "openapi31-schema"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let mut changes = Vec::new();
        if let Some(Value::Array(types)) = node.get("type").cloned() {
            let non_null: Vec<&Value> = types
                .iter()
                .filter(|t| t.as_str() != Some("null"))
                .collect();
            let nullable = non_null.len() < types.len();
            match non_null.as_slice() {
                [single] => {
                    node.insert("type".into(), (*single).clone());
                }
                _ => {
                    node.remove("type");
                }
            }
            if nullable {
                node.insert("nullable".into(), Value::Bool(true));
            }
            changes.push(format!("type list {} rewritten", Value::Array(types)));
        }
        if let Some(value) = node.remove("const") {
            node.insert("enum".into(), Value::Array(vec![value]));
            changes.push("const rewritten as a one-value enum".into());
        }
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(limit @ Value::Number(_)) = node.get(exclusive).cloned() {
                node.insert(bound.into(), limit);
                node.insert(exclusive.into(), Value::Bool(true));
                changes.push(format!(
                    "numeric {exclusive} rewritten as {bound} with the flag"
                ));
            }
        }
        if !node.contains_key("example")
            && let Some(first) = node
                .get("examples")
                .and_then(Value::as_array)
                .and_then(|e| e.first())
                .cloned()
        {
            node.insert("example".into(), first);
            changes.push("first of `examples` used as `example`".into());
        }
        changes
    }
}
