//! Rule `boolean-schemas`: OpenAPI 3.1 (JSON Schema 2020-12) lets `true` and `false` stand
//! wherever a schema may: `true` accepts anything, `false` nothing. The typed OpenAPI model
//! reads only schema objects, so they are written as the objects that mean the same: `{}` and
//! `{"not": {}}`. The IR then reads `{"not": {}}` as "nothing": a union leaves it out, an
//! object has no field for it, and anywhere else it is an error.

use serde_json::{Map, Value};

pub const NAME: &str = "boolean-schemas";

/// Rewrites a boolean schema in place as its object form; says what it did.
pub fn as_object(schema: &mut Value) -> Option<String> {
    let Value::Bool(accepts) = *schema else {
        return None;
    };
    if accepts {
        *schema = Value::Object(Map::new());
        Some("schema `true` written as `{}` (anything)".into())
    } else {
        *schema = nothing();
        Some("schema `false` written as `{\"not\": {}}` (nothing)".into())
    }
}

/// The schema object no value satisfies.
fn nothing() -> Value {
    let mut map = Map::new();
    map.insert("not".into(), Value::Object(Map::new()));
    Value::Object(map)
}

/// Whether `schema` accepts no value: `false`, or its object form.
pub fn accepts_nothing(schema: &Value) -> bool {
    *schema == Value::Bool(false) || *schema == nothing()
}
