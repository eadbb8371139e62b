//! Rule `response-descriptions`: a response object without its required `description` gets an
//! empty one, so the typed parse accepts it.
//!
//! Zoom's Calendar document leaves it out (`zoom-calendar.json`
//! `#/paths/~1calendars~1users~1{userIdentifier}~1settings~1{settingId}/patch/responses/200`).

use serde_json::{Map, Value};

pub struct ResponseDescriptions;

/// A key of a `responses` map: `200`, `2XX` (or `2xx`), `default`.
pub fn is_status_key(key: &str) -> bool {
    key == "default"
        || (key.len() == 3
            && key.starts_with(|c: char| ('1'..='5').contains(&c))
            && key[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x'))
}

impl super::Rule for ResponseDescriptions {
    fn name(&self) -> &'static str {
        "response-descriptions"
    }

    fn apply_within(&self, node: &mut Map<String, Value>) -> Vec<(Vec<String>, String)> {
        // An operation's `responses`: every key a status (a schema's `properties` map with a
        // property named `responses` has schema keywords there instead).
        let Some(Value::Object(responses)) = node.get_mut("responses") else {
            return Vec::new();
        };
        if responses.is_empty() || !responses.keys().all(|key| is_status_key(key)) {
            return Vec::new();
        }
        let mut changes = Vec::new();
        for (status, response) in responses.iter_mut() {
            let Value::Object(response) = response else {
                continue;
            };
            if response.contains_key("$ref") || response.contains_key("description") {
                continue;
            }
            response.insert("description".into(), Value::String(String::new()));
            changes.push((
                vec!["responses".to_owned(), status.clone()],
                "added the missing `description` (empty)".to_owned(),
            ));
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::is_status_key;

    #[test]
    fn statuses_are_told_from_other_keys() {
        for status in ["200", "204", "2XX", "4xx", "default"] {
            assert!(is_status_key(status), "{status}");
        }
        for other in ["capture1", "20", "600", "2000", "abc", "description"] {
            assert!(!is_status_key(other), "{other}");
        }
    }
}
