//! Rule `defaults`: `default: null` is removed, and a default written as a string on a boolean
//! or number schema becomes the value it spells.
//!
//! Zoom's legacy document has 16 `default: null` and a boolean defaulting to `"false"`
//! (`zoom-meeting-api-legacy-2023.json`); the current one has `mc` as a string defaulting to
//! `"false"`, which stays a string here (the Zoom `string_bool_params` pass handles it).

use serde_json::{Map, Value};

pub struct Defaults;

impl super::Rule for Defaults {
    fn name(&self) -> &'static str {
        "defaults"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let declared = node.get("type").and_then(Value::as_str).map(str::to_owned);
        let Some(default) = node.get("default").cloned() else {
            return Vec::new();
        };
        let fixed = match (declared.as_deref(), &default) {
            (_, Value::Null) => None,
            (Some("boolean"), Value::String(s)) if s == "true" || s == "false" => {
                Some(Value::Bool(s == "true"))
            }
            (Some("integer" | "number"), Value::String(s)) => {
                match s.trim().parse::<serde_json::Number>() {
                    Ok(n) => Some(Value::Number(n)),
                    Err(_) => return Vec::new(),
                }
            }
            _ => return Vec::new(),
        };
        match fixed {
            None => {
                node.remove("default");
                vec!["removed `default: null`".into()]
            }
            Some(value) => {
                let change = format!("default {default} written as {value}");
                node.insert("default".into(), value);
                vec![change]
            }
        }
    }
}
