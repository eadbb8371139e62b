//! Rule `keywords-in-properties`: a schema keyword written one level too deep, inside
//! `properties`, is moved up to the schema it belongs to (or removed when the schema already
//! says it), and any other value there that is not a schema becomes an untyped property.
//!
//! Zoom's Team Chat webhooks write `properties: {type: "object", …}` and
//! `properties: {additionalProperties: false, …}` (`zoom-team-chat-webhooks.json`
//! `#/webhooks/team_chat.shared_spaces_edited/post/requestBody/content/application~1json/schema/properties/payload/properties/additionalProperties`).

use serde_json::{Map, Value};

pub struct KeywordsInProperties;

/// Keywords of a schema object (as opposed to property names).
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "description",
    "title",
    "required",
    "additionalProperties",
    "nullable",
    "enum",
    "default",
    "example",
    "items",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// Whether `key` is a schema keyword, which inside `properties` is read as misplaced.
pub(super) fn is_schema_keyword(key: &str) -> bool {
    SCHEMA_KEYWORDS.contains(&key)
}

impl super::Rule for KeywordsInProperties {
    fn name(&self) -> &'static str {
        "keywords-in-properties"
    }

    fn schemas_only(&self) -> bool {
        true
    }

    fn apply_within(&self, node: &mut Map<String, Value>) -> Vec<(Vec<String>, String)> {
        let Some(Value::Object(properties)) = node.get_mut("properties") else {
            return Vec::new();
        };
        // A property's value must be a schema: an object, or `true` (rule `boolean-schemas`
        // has written `true` and `false` as objects, but for schema keywords).
        let misplaced: Vec<String> = properties
            .iter()
            .filter(|(_, value)| !matches!(value, Value::Object(_) | Value::Bool(true)))
            .map(|(key, _)| key.clone())
            .collect();
        let mut moved = Vec::new();
        let mut changes = Vec::new();
        for key in misplaced {
            let at = vec!["properties".to_owned(), key.clone()];
            let Some(value) = properties.get(&key).cloned() else {
                continue;
            };
            if SCHEMA_KEYWORDS.contains(&key.as_str()) {
                // Reported where it lands: the schema itself.
                properties.remove(&key);
                changes.push((
                    Vec::new(),
                    format!("moved `{key}: {value}` up from `properties`"),
                ));
                moved.push((key, value));
            } else {
                properties.insert(key.clone(), Value::Object(Map::new()));
                changes.push((
                    at,
                    format!("`{value}` is not a schema: the property is untyped"),
                ));
            }
        }
        for (key, value) in moved {
            node.entry(key).or_insert(value);
        }
        changes
    }
}
