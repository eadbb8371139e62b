//! Rule `enum-on-array`: an `enum` on an array schema is moved to its `items`, where it means
//! something.
//!
//! `zoom-users.json`
//! `#/paths/~1groups~1{groupId}~1settings/get/responses/200/content/application~1json/schema/…/language_interpretation/properties/languages`
//! lists the allowed languages on the array itself.

use serde_json::{Map, Value};

pub struct EnumOnArray;

impl super::Rule for EnumOnArray {
    fn name(&self) -> &'static str {
        "enum-on-array"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        if node.get("type").and_then(Value::as_str) != Some("array")
            || !matches!(node.get("enum"), Some(Value::Array(_)))
        {
            return Vec::new();
        }
        let Some(values) = node.remove("enum") else {
            return Vec::new();
        };
        let items = node
            .entry("items")
            .or_insert_with(|| Value::Object(Map::new()));
        match items.as_object_mut() {
            Some(items) if !items.contains_key("enum") && !items.contains_key("$ref") => {
                if !items.contains_key("type")
                    && values
                        .as_array()
                        .is_some_and(|v| v.iter().all(Value::is_string))
                {
                    items.insert("type".into(), Value::String("string".into()));
                }
                items.insert("enum".into(), values);
                vec!["moved `enum` from the array to its items".into()]
            }
            _ => {
                vec!["removed `enum` from the array: its items already say what they allow".into()]
            }
        }
    }
}
