//! Rule `media-type-names`: a `content` key that is not a `type/subtype` media type is
//! reported. The body is still generated, as raw bytes, since its encoding is unknown.
//!
//! `zoom-meeting-api-legacy-2023.json` has a response whose media type is `"new"`.

use serde_json::{Map, Value};

pub struct MediaTypeNames;

impl super::Rule for MediaTypeNames {
    fn name(&self) -> &'static str {
        "media-type-names"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let Some(Value::Object(content)) = node.get("content") else {
            return Vec::new();
        };
        // A media-type map, not a schema property that happens to be called `content`
        // (Zoom's Q&A reports have one): every entry holds only media-type keys.
        let is_media_map = content.values().all(|entry| {
            entry.as_object().is_some_and(|entry| {
                entry.keys().all(|key| {
                    matches!(key.as_str(), "schema" | "example" | "examples" | "encoding")
                })
            })
        });
        if !is_media_map {
            return Vec::new();
        }
        content
            .keys()
            .filter(|media_type| !media_type.contains('/'))
            .map(|media_type| {
                format!(
                    "media type {media_type:?} is not type/subtype: the body is kept as raw bytes"
                )
            })
            .collect()
    }
}
