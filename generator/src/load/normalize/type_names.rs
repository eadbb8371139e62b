//! Rule `type-names`: a `type` that is not a JSON Schema type is read as the type it names
//! (`long`, `int64` → `integer`; `double` → `number`; `bool` → `boolean`; Swagger 2.0's `file`
//! → `string` of format `binary`), or removed, which
//! leaves the schema untyped, when it names none (`"enum, country┃states┃…"`).
//!
//! Zoom's Phone and Rooms documents write `"type": "long"`.

use serde_json::{Map, Value};

pub struct TypeNames;

const JSON_SCHEMA_TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null",
];

/// The `type`s of security schemes, the other OpenAPI objects with a `type`.
const SECURITY_SCHEME_TYPES: &[&str] = &["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"];

/// The JSON Schema type (and format) a vendor's type name stands for.
fn standard(name: &str) -> Option<(&'static str, Option<&'static str>)> {
    match name.trim().to_ascii_lowercase().as_str() {
        "long" | "int64" | "bigint" => Some(("integer", Some("int64"))),
        "int" | "int32" | "short" | "int16" | "byte" => Some(("integer", Some("int32"))),
        "double" => Some(("number", Some("double"))),
        "float" => Some(("number", Some("float"))),
        "decimal" => Some(("number", None)),
        // Swagger 2.0's upload type: the bytes of a file.
        "file" => Some(("string", Some("binary"))),
        "bool" => Some(("boolean", None)),
        "str" | "text" | "date" | "datetime" | "date-time" => Some(("string", None)),
        "list" => Some(("array", None)),
        "map" | "dict" => Some(("object", None)),
        _ => None,
    }
}

impl super::Rule for TypeNames {
    fn name(&self) -> &'static str {
        "type-names"
    }

    fn schemas_only(&self) -> bool {
        true
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let Some(Value::String(name)) = node.get("type") else {
            return Vec::new();
        };
        if JSON_SCHEMA_TYPES.contains(&name.as_str())
            || SECURITY_SCHEME_TYPES.contains(&name.as_str())
        {
            return Vec::new();
        }
        let name = name.clone();
        match standard(&name) {
            Some((ty, format)) => {
                node.insert("type".into(), Value::String(ty.into()));
                if let Some(format) = format {
                    node.entry("format")
                        .or_insert_with(|| Value::String(format.into()));
                }
                vec![format!("read type {name:?} as {ty}")]
            }
            None => {
                node.remove("type");
                vec![format!(
                    "removed type {name:?}, which is no JSON Schema type: the schema is untyped"
                )]
            }
        }
    }
}
