//! Rule `required-names`: a `required` list naming a property the object does not define is
//! reported; the name is ignored (it may be defined by an `allOf` sibling, which the IR merges).
//!
//! `zoom-meetings.json`
//! `#/paths/~1devices~1{deviceId}~1assignment/patch/requestBody/content/application~1json/schema/required`
//! lists `action`, which has no property.

use serde_json::{Map, Value};

pub struct RequiredNames;

impl super::Rule for RequiredNames {
    fn name(&self) -> &'static str {
        "required-names"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let (Some(Value::Array(required)), Some(Value::Object(properties))) =
            (node.get("required"), node.get("properties"))
        else {
            return Vec::new();
        };
        if node.contains_key("allOf") {
            return Vec::new();
        }
        required
            .iter()
            .filter_map(Value::as_str)
            .filter(|name| !properties.contains_key(*name))
            .map(|name| format!("`required` names {name:?}, which is not a property here"))
            .collect()
    }
}
