//! Rule `property-required-flag`: `required: true` on a property becomes an entry of the
//! parent's `required` list (`false` is dropped).
//!
//! OpenAPI 3 puts `required` on the object as a list of names; Zoom's legacy document has the
//! Swagger-style boolean at
//! `#/paths/~1rooms~1{id}~1events/patch/requestBody/content/application~1json/schema/properties/method/required`,
//! which makes the typed parse fail.
//!
//! Children are repaired before parents, so a property that has both its own flag and
//! flagged properties of its own keeps its flag under [`STASHED_FLAG`] until its parent moves
//! it into the parent's list.

use serde_json::{Map, Value};

pub struct PropertyRequiredFlag;

/// Where an object's own boolean flag waits for its parent when the object needs its
/// `required` key for its own list.
const STASHED_FLAG: &str = "x-zoomgen-required-flag";

impl super::Rule for PropertyRequiredFlag {
    fn name(&self) -> &'static str {
        "property-required-flag"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let Some(Value::Object(properties)) = node.get_mut("properties") else {
            return Vec::new();
        };
        let mut changes = Vec::new();
        let mut now_required = Vec::new();
        for (name, property) in properties.iter_mut() {
            let Some(property) = property.as_object_mut() else {
                continue;
            };
            let flag = match (property.get("required"), property.get(STASHED_FLAG)) {
                (_, Some(Value::Bool(flag))) => Some(*flag),
                (Some(Value::Bool(flag)), _) => Some(*flag),
                _ => None,
            };
            let Some(flag) = flag else { continue };
            property.remove(STASHED_FLAG);
            if matches!(property.get("required"), Some(Value::Bool(_))) {
                property.remove("required");
            }
            if flag {
                now_required.push(name.clone());
            }
            changes.push(format!(
                "moved `required: {flag}` of property {name:?} to the object's `required` list"
            ));
        }
        if now_required.is_empty() {
            return changes;
        }
        if let Some(Value::Bool(own_flag)) = node.get("required").cloned() {
            // This object is itself a flagged property: keep its flag for the parent.
            node.insert(STASHED_FLAG.into(), Value::Bool(own_flag));
            node.remove("required");
        }
        let list = node
            .entry("required")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = list {
            for name in now_required {
                if !items.iter().any(|v| v.as_str() == Some(&name)) {
                    items.push(Value::String(name));
                }
            }
        }
        changes
    }
}
