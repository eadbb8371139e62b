//! Small documents cut from the official ones: a few paths (or webhook events) with every
//! component and path item they reference, so each fuzz case is fast yet made of what vendors
//! really publish.

use serde_json::{Map, Value, json};
use zoomgen::verify::random::Rng;

/// A document of up to three paths or webhook events of `doc`, with what they `$ref`.
pub fn slice(doc: &Value, rng: &mut Rng) -> Value {
    let mut out = Map::new();
    for key in ["openapi", "info", "servers", "security"] {
        if let Some(value) = doc.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    if let Some(schemes) = doc.pointer("/components/securitySchemes") {
        out.insert("components".into(), json!({ "securitySchemes": schemes }));
    }
    for section in ["paths", "webhooks"] {
        let Some(items) = doc.get(section).and_then(Value::as_object) else {
            continue;
        };
        if items.is_empty() {
            out.insert(section.into(), json!({}));
            continue;
        }
        let keys: Vec<&String> = items.keys().collect();
        let mut chosen = Map::new();
        for _ in 0..1 + rng.below(3) {
            if let Some(key) = rng.pick(&keys) {
                chosen.insert((*key).clone(), items[*key].clone());
            }
        }
        out.insert(section.into(), Value::Object(chosen));
    }
    let mut out = Value::Object(out);
    copy_references(doc, &mut out);
    out
}

/// Copies into `out` every component and path item that `out` references, until nothing new.
fn copy_references(doc: &Value, out: &mut Value) {
    for _ in 0..64 {
        let mut missing = Vec::new();
        collect_refs(out, &mut missing);
        missing.retain(|pointer| out.pointer(pointer).is_none() && doc.pointer(pointer).is_some());
        if missing.is_empty() {
            return;
        }
        for pointer in missing {
            if let Some(value) = doc.pointer(&pointer) {
                insert_at(out, &pointer, value.clone());
            }
        }
    }
}

/// The container a `$ref` needs: `/components/<kind>/<name>` or `/paths/<path>`.
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref")
                && let Some(fragment) = reference.strip_prefix('#')
            {
                let decoded = decode(fragment);
                let segments: Vec<&str> = decoded.split('/').collect();
                let depth = if segments.get(1) == Some(&"components") {
                    4
                } else {
                    3
                };
                if segments.len() >= depth {
                    let pointer = segments[..depth].join("/");
                    if !out.contains(&pointer) {
                        out.push(pointer);
                    }
                }
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

fn decode(fragment: &str) -> String {
    fragment.replace("%7B", "{").replace("%7D", "}")
}

/// Sets the value at a JSON pointer of object keys, creating objects on the way.
pub fn insert_at(root: &mut Value, pointer: &str, value: Value) {
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((last, parents)) = segments.split_last() else {
        return;
    };
    let mut node = root;
    for segment in parents {
        let Value::Object(map) = node else { return };
        node = map
            .entry(segment.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Value::Object(map) = node {
        map.insert(last.clone(), value);
    }
}
