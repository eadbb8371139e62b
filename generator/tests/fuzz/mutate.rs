//! Mutations of a document: what hostile or careless vendors publish. Each returns a short
//! description, which the harness prints with any finding.

use serde_json::{Map, Value, json};
use zoomgen::verify::random::Rng;

use crate::slice::insert_at;

/// Names that trip up identifier generation: keywords, raw-identifier specials, non-ASCII,
/// empty, separators, and the names of modules every generated crate already has.
const HOSTILE_NAMES: &[&str] = &[
    "",
    " ",
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "fn",
    "r#type",
    "_",
    "__",
    "1",
    "1abc",
    "a-b",
    "a b",
    "a/b",
    "~",
    "~1",
    "$ref",
    "type ",
    "日本語",
    "🎥",
    "é",
    "\u{0}",
    "types",
    "webhooks",
    "client",
    "conformance",
    "Client",
    "Event",
    "Unknown",
    "Option",
    "Result",
    "Box",
    "String",
    "Vec",
    "default",
    "mod",
    "async",
    "await",
    "gen",
    "ALL_CAPS",
    "camelCase",
    // Names the emitter itself uses, and names that collide once made identifiers.
    "request",
    "items_between",
    "extra",
    "lib",
    "runtime",
    "Location",
    "+1",
    "-1",
    // Text rustc refuses in comments unless escaped.
    "a\rb",
    "left\u{202E}right",
    "@zoomgen-doc:0",
];

const SCHEMA_SWAPS: &[&str] = &[
    "true",
    "false",
    "{}",
    "[]",
    "null",
    r##"{"type": ["string", "null"]}"##,
    r##"{"type": "file"}"##,
    r##"{"type": 7}"##,
    r##"{"allOf": []}"##,
    r##"{"oneOf": []}"##,
    r##"{"anyOf": [{"type": "null"}]}"##,
    r##"{"oneOf": [{"type": "string"}, {"type": "string"}]}"##,
    r##"{"enum": []}"##,
    r##"{"enum": [null]}"##,
    r##"{"enum": [1, "a", true, null, {"x": 1}]}"##,
    r##"{"type": "string", "enum": ["", " ", "a", "A", "a-b", "a_b", "aB", "AB"]}"##,
    r##"{"type": "object", "additionalProperties": false}"##,
    r##"{"type": "object", "properties": {}}"##,
    r##"{"type": "object", "properties": {"a": true, "b": false, "c": null}}"##,
    r##"{"type": "object", "properties": {"x": {"type": "string"}, "X": {"type": "string"}, "x_": {"type": "string"}}}"##,
    r##"{"type": "array"}"##,
    r##"{"type": "array", "items": []}"##,
    r##"{"items": true}"##,
    r##"{"required": "x", "properties": {"x": {}}}"##,
    r##"{"properties": []}"##,
    r##"{"nullable": "yes", "type": "integer", "format": "int128"}"##,
    r##"{"type": "integer", "minimum": "zero", "maximum": 1e400}"##,
    r##"{"type": "string", "format": "date-time", "maxLength": -1}"##,
    r##"{"allOf": [{"type": "string"}, {"type": "integer"}]}"##,
    r##"{"allOf": [{"$ref": "#/components/schemas/Missing"}]}"##,
];

const DANGLING: &[&str] = &[
    "#/components/schemas/Missing",
    "#/paths/~1nowhere/get",
    "#/",
    "#",
    "",
    "other.yaml#/components/schemas/A",
    "https://example.com/schema.json",
    "#/components/schemas/",
    "#%ZZ%7B",
    "#/components/schemas/A~2B",
    "#/info/title",
    "#/openapi",
];

/// Applies one to three mutations; returns what was done.
pub fn mutate(doc: &mut Value, rng: &mut Rng) -> Vec<String> {
    (0..1 + rng.below(3))
        .map(|_| mutate_once(doc, rng))
        .collect()
}

fn mutate_once(doc: &mut Value, rng: &mut Rng) -> String {
    match rng.below(16) {
        0 => delete_key(doc, rng),
        1 => retype(doc, rng),
        2 => {
            let reference = rng.pick(DANGLING).copied().unwrap_or_default();
            replace_schema(doc, rng, json!({ "$ref": reference }), "dangling $ref")
        }
        3 => cyclic_ref(doc, rng),
        4 => recursive_schema(doc, rng),
        5 => huge_enum(doc, rng),
        6 => rename_key(doc, rng),
        7 => empty_paths(doc, rng),
        8 => duplicate_operation_ids(doc, rng),
        9 => hostile_field(doc, rng, "operationId"),
        10 => deep_nesting(doc, rng),
        11 => {
            let text = rng.pick(SCHEMA_SWAPS).copied().unwrap_or("{}");
            let value = serde_json::from_str(text).unwrap_or(Value::Null);
            replace_schema(doc, rng, value, "swapped schema")
        }
        12 => hostile_tags(doc, rng),
        13 => ref_chain(doc, rng),
        14 => hostile_parameter(doc, rng),
        _ => delete_key(doc, rng),
    }
}

/// Pointers of every value in the document.
fn pointers(doc: &Value) -> Vec<String> {
    fn walk(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    walk(child, format!("{at}/{}", escape(key)), out);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, format!("{at}/{index}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let mut out = Vec::new();
    walk(doc, String::new(), &mut out);
    out
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Pointers of objects that look like schemas.
fn schemas(doc: &Value) -> Vec<String> {
    pointers(doc)
        .into_iter()
        .filter(|p| {
            doc.pointer(p).and_then(Value::as_object).is_some_and(|m| {
                [
                    "type",
                    "$ref",
                    "properties",
                    "allOf",
                    "oneOf",
                    "anyOf",
                    "items",
                    "enum",
                ]
                .iter()
                .any(|k| m.contains_key(*k))
            })
        })
        .collect()
}

/// The pointers of the document's objects that have a key.
fn non_empty_objects(doc: &Value) -> Vec<String> {
    pointers(doc)
        .into_iter()
        .filter(|p| {
            doc.pointer(p)
                .and_then(Value::as_object)
                .is_some_and(|m| !m.is_empty())
        })
        .collect()
}

fn delete_key(doc: &mut Value, rng: &mut Rng) -> String {
    let candidates = non_empty_objects(doc);
    let Some(at) = rng.pick(&candidates).cloned() else {
        return "nothing to delete".into();
    };
    let Some(Value::Object(map)) = doc.pointer_mut(&at) else {
        return "nothing to delete".into();
    };
    let keys: Vec<String> = map.keys().cloned().collect();
    let Some(key) = rng.pick(&keys).cloned() else {
        return "nothing to delete".into();
    };
    map.remove(&key);
    format!("deleted {at}/{}", escape(&key))
}

fn retype(doc: &mut Value, rng: &mut Rng) -> String {
    let candidates: Vec<String> = pointers(doc)
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    let Some(at) = rng.pick(&candidates).cloned() else {
        return "nothing to retype".into();
    };
    let replacement = match rng.below(8) {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => json!(7),
        3 => json!("x"),
        4 => json!([]),
        5 => json!({}),
        6 => json!([1, "a", null]),
        _ => json!(""),
    };
    if let Some(node) = doc.pointer_mut(&at) {
        *node = replacement.clone();
    }
    format!("retyped {at} to {replacement}")
}

fn replace_schema(doc: &mut Value, rng: &mut Rng, value: Value, what: &str) -> String {
    let candidates = schemas(doc);
    let Some(at) = rng.pick(&candidates).cloned() else {
        return format!("no schema for {what}");
    };
    if let Some(node) = doc.pointer_mut(&at) {
        *node = value.clone();
    }
    format!("{what} at {at}: {value}")
}

fn cyclic_ref(doc: &mut Value, rng: &mut Rng) -> String {
    insert_at(
        doc,
        "/components/schemas/CycleA",
        json!({"$ref": "#/components/schemas/CycleB"}),
    );
    insert_at(
        doc,
        "/components/schemas/CycleB",
        json!({"$ref": "#/components/schemas/CycleA"}),
    );
    insert_at(
        doc,
        "/components/schemas/SelfRef",
        json!({"$ref": "#/components/schemas/SelfRef"}),
    );
    insert_at(
        doc,
        "/components/schemas/AllOfSelf",
        json!({"allOf": [{"$ref": "#/components/schemas/AllOfSelf"}]}),
    );
    insert_at(
        doc,
        "/components/schemas/OneOfSelf",
        json!({"oneOf": [{"$ref": "#/components/schemas/OneOfSelf"}, {"type": "string"}]}),
    );
    // Aliases that contain themselves through arrays and maps.
    insert_at(
        doc,
        "/components/schemas/ArrayOfSelf",
        json!({"allOf": [{"type": "array", "items": {"$ref": "#/components/schemas/ArrayOfSelf"}}]}),
    );
    insert_at(
        doc,
        "/components/schemas/Loop1",
        json!({"allOf": [{"$ref": "#/components/schemas/Loop2"}]}),
    );
    insert_at(
        doc,
        "/components/schemas/Loop2",
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Loop3"}}),
    );
    insert_at(
        doc,
        "/components/schemas/Loop3",
        json!({"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Loop1"}}),
    );
    insert_at(
        doc,
        "/components/schemas/UnionLoop",
        json!({"oneOf": [{"type": "array", "items": {"$ref": "#/components/schemas/UnionLoop"}}, {"type": "string"}]}),
    );
    let targets = [
        "CycleA",
        "SelfRef",
        "AllOfSelf",
        "OneOfSelf",
        "ArrayOfSelf",
        "Loop1",
        "UnionLoop",
    ];
    let target = targets[rng.below(targets.len())];
    let reference = format!("#/components/schemas/{target}");
    replace_schema(doc, rng, json!({ "$ref": reference }), "cyclic $ref")
}

fn recursive_schema(doc: &mut Value, rng: &mut Rng) -> String {
    let required = if rng.one_in(3) {
        json!(["name", "child"])
    } else {
        json!(["name"])
    };
    insert_at(
        doc,
        "/components/schemas/Node",
        json!({
            "type": "object",
            "required": required,
            "properties": {
                "name": {"type": "string"},
                "child": {"$ref": "#/components/schemas/Node"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "by_name": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Node"}},
                "parent": {"allOf": [{"$ref": "#/components/schemas/Node"}], "description": "up"},
                "either": {"oneOf": [{"$ref": "#/components/schemas/Branch"}, {"type": "integer"}]}
            }
        }),
    );
    insert_at(
        doc,
        "/components/schemas/Branch",
        json!({"type": "object", "properties": {"node": {"$ref": "#/components/schemas/Node"}}}),
    );
    replace_schema(
        doc,
        rng,
        json!({"$ref": "#/components/schemas/Node"}),
        "recursive schema",
    )
}

fn huge_enum(doc: &mut Value, rng: &mut Rng) -> String {
    let count = [300, 2_000, 10_000][rng.below(3)];
    let values: Vec<Value> = match rng.below(3) {
        0 => (0..count).map(|i| json!(format!("value_{i}"))).collect(),
        1 => (0..count).map(|i| json!(i)).collect(),
        // Values that name the same variant: case, separators and scripts differ.
        _ => (0..count)
            .map(|i| {
                let stem = ["a-b", "a_b", "A B", "aB", "日本", "", "🎥", "type"][i % 8];
                Value::String(format!("{stem}{}", "x".repeat(i / 8)))
            })
            .collect(),
    };
    let ty = if values.first().is_some_and(Value::is_number) {
        "integer"
    } else {
        "string"
    };
    replace_schema(
        doc,
        rng,
        json!({"type": ty, "enum": values}),
        &format!("enum of {count}"),
    )
}

fn rename_key(doc: &mut Value, rng: &mut Rng) -> String {
    let candidates = non_empty_objects(doc);
    let Some(at) = rng.pick(&candidates).cloned() else {
        return "nothing to rename".into();
    };
    let name = rng.pick(HOSTILE_NAMES).copied().unwrap_or("x");
    let Some(Value::Object(map)) = doc.pointer_mut(&at) else {
        return "nothing to rename".into();
    };
    let keys: Vec<String> = map.keys().cloned().collect();
    let Some(key) = rng.pick(&keys).cloned() else {
        return "nothing to rename".into();
    };
    if let Some(value) = map.remove(&key) {
        map.insert(name.to_owned(), value);
    }
    format!("renamed {at}/{} to {name:?}", escape(&key))
}

fn empty_paths(doc: &mut Value, rng: &mut Rng) -> String {
    let Some(map) = doc.as_object_mut() else {
        return "not an object".into();
    };
    match rng.below(4) {
        0 => {
            map.insert("paths".into(), json!({}));
            "paths emptied".into()
        }
        1 => {
            map.remove("paths");
            "paths removed".into()
        }
        2 => {
            let mut paths = Map::new();
            paths.insert(
                String::new(),
                json!({"get": {"responses": {"200": {"description": ""}}}}),
            );
            paths.insert("/".into(), json!({}));
            map.insert("paths".into(), Value::Object(paths));
            "paths \"\" and \"/\"".into()
        }
        _ => {
            map.insert("paths".into(), json!({"/x": {"get": {"responses": {}}}}));
            "an operation without responses".into()
        }
    }
}

/// Pointers of the operations (path item members that have `responses`).
fn operations(doc: &Value) -> Vec<String> {
    pointers(doc)
        .into_iter()
        .filter(|p| p.starts_with("/paths/") || p.starts_with("/webhooks/"))
        .filter(|p| doc.pointer(p).and_then(|o| o.get("responses")).is_some())
        .collect()
}

fn duplicate_operation_ids(doc: &mut Value, rng: &mut Rng) -> String {
    let ops = operations(doc);
    let id = if rng.one_in(2) {
        "duplicate"
    } else {
        "DUPLICATE"
    };
    for op in &ops {
        if let Some(Value::Object(map)) = doc.pointer_mut(op) {
            map.insert("operationId".into(), json!(id));
        }
    }
    format!("{} operations share the operationId {id:?}", ops.len())
}

fn hostile_field(doc: &mut Value, rng: &mut Rng, field: &str) -> String {
    let ops = operations(doc);
    let Some(op) = rng.pick(&ops).cloned() else {
        return "no operation".into();
    };
    let name = rng.pick(HOSTILE_NAMES).copied().unwrap_or("x");
    if let Some(Value::Object(map)) = doc.pointer_mut(&op) {
        map.insert(field.into(), json!(name));
    }
    format!("{op}/{field} = {name:?}")
}

/// A query parameter and a property with hostile names and descriptions.
fn hostile_parameter(doc: &mut Value, rng: &mut Rng) -> String {
    let ops = operations(doc);
    let Some(op) = rng.pick(&ops).cloned() else {
        return "no operation".into();
    };
    let name = rng.pick(HOSTILE_NAMES).copied().unwrap_or("x");
    let text = rng.pick(HOSTILE_NAMES).copied().unwrap_or("x");
    if let Some(Value::Object(map)) = doc.pointer_mut(&op) {
        map.insert("description".into(), json!(text));
        let parameter =
            json!({"name": name, "in": "query", "description": text, "schema": {"type": "string"}});
        match map.get_mut("parameters") {
            Some(Value::Array(parameters)) => parameters.push(parameter),
            _ => {
                map.insert("parameters".into(), json!([parameter]));
            }
        }
    }
    format!("{op}: query parameter {name:?}, description {text:?}")
}

fn hostile_tags(doc: &mut Value, rng: &mut Rng) -> String {
    let ops = operations(doc);
    let name = rng.pick(HOSTILE_NAMES).copied().unwrap_or("x");
    for op in &ops {
        if let Some(Value::Object(map)) = doc.pointer_mut(op) {
            map.insert("tags".into(), json!([name]));
        }
    }
    format!("every tag {name:?}")
}

/// Schemas each referring to the next: the depth limit counts across `$ref`s.
fn ref_chain(doc: &mut Value, rng: &mut Rng) -> String {
    let len = [20, 100, 5000][rng.below(3)];
    for i in 0..len {
        insert_at(
            doc,
            &format!("/components/schemas/Chain{i}"),
            json!({"type": "object", "properties": {"next": {"$ref": format!("#/components/schemas/Chain{}", i + 1)}}}),
        );
    }
    insert_at(
        doc,
        &format!("/components/schemas/Chain{len}"),
        json!({"type": "string"}),
    );
    replace_schema(
        doc,
        rng,
        json!({"$ref": "#/components/schemas/Chain0"}),
        &format!("a chain of {len} $refs"),
    )
}

fn deep_nesting(doc: &mut Value, rng: &mut Rng) -> String {
    let levels = [10, 70, 200][rng.below(3)];
    let mut schema = json!({"type": "string"});
    for level in 0..levels {
        schema = if level % 2 == 0 {
            json!({"type": "object", "properties": {"a": schema}})
        } else {
            json!({"type": "array", "items": schema})
        };
    }
    replace_schema(doc, rng, schema, &format!("{levels} levels of nesting"))
}
