//! Rule `misplaced-keywords`: validation keywords that do not apply to the schema's declared
//! type are removed (and reported), so that nothing downstream mistakes them for limits.
//!
//! Zoom puts `maximum` on arrays (`zoom-meetings.json`
//! `#/paths/~1meetings~1{meetingId}~1registrants~1status/put/requestBody/content/application~1json/schema/properties/registrants/maximum`),
//! `minimum: 8` on a string (`…~1meetings~1{meetingId}/get/…/password`) and `maxLength` on an
//! integer (`zoom-users.json` `…~1users~1{userId}/patch/…/pmi`).

use serde_json::{Map, Value};

pub struct MisplacedKeywords;

const NUMERIC: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const STRING: &[&str] = &["minLength", "maxLength", "pattern"];
const ARRAY: &[&str] = &["minItems", "maxItems", "uniqueItems"];

impl super::Rule for MisplacedKeywords {
    fn name(&self) -> &'static str {
        "misplaced-keywords"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let Some(declared) = node.get("type").and_then(Value::as_str).map(str::to_owned) else {
            return Vec::new();
        };
        let allowed: &[&str] = match declared.as_str() {
            "integer" | "number" => NUMERIC,
            "string" => STRING,
            "array" => ARRAY,
            _ => &[],
        };
        let mut changes = Vec::new();
        for keyword in NUMERIC.iter().chain(STRING).chain(ARRAY) {
            if allowed.contains(keyword) {
                continue;
            }
            // Only keyword values (numbers, booleans, pattern strings), never a property
            // schema that happens to be named like a keyword.
            let is_keyword_value =
                matches!(node.get(*keyword), Some(Value::Number(_) | Value::Bool(_)))
                    || (*keyword == "pattern"
                        && matches!(node.get(*keyword), Some(Value::String(_))));
            if is_keyword_value && let Some(value) = node.remove(*keyword) {
                changes.push(format!(
                    "removed `{keyword}: {value}`, which does not apply to type {declared}"
                ));
            }
        }
        changes
    }
}
