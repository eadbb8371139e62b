//! Rule `string-formats`: a schema whose `format` only strings have (`date-time`, `date`,
//! `email`, `uri`, …) but whose `type` says otherwise, with nothing else of that type, is a
//! string.
//!
//! `zoom-meetings.json`
//! `#/paths/~1archive_files/get/responses/200/content/application~1json/schema/properties/meetings/items/properties/complete_time/anyOf/0`
//! is `{type: object, format: date-time, minLength: 1}`, and its example is a date string.

use serde_json::{Map, Value};

pub struct StringFormats;

const STRING_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "email",
    "uri",
    "url",
    "uuid",
    "hostname",
    "ipv4",
    "ipv6",
    "byte",
    "binary",
    "password",
];

impl super::Rule for StringFormats {
    fn name(&self) -> &'static str {
        "string-formats"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let Some(format) = node.get("format").and_then(Value::as_str) else {
            return Vec::new();
        };
        let Some(declared) = node.get("type").and_then(Value::as_str) else {
            return Vec::new();
        };
        let structured = node.contains_key("properties")
            || node.contains_key("items")
            || node.contains_key("additionalProperties");
        if declared == "string" || structured || !STRING_FORMATS.contains(&format) {
            return Vec::new();
        }
        let change = format!("type {declared} with string format {format:?} read as type string");
        node.insert("type".into(), Value::String("string".into()));
        vec![change]
    }
}
