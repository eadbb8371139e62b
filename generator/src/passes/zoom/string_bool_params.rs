//! Pass `string_bool_params`: query parameters documented as the strings `"true"`/`"false"`
//! get a `bool` API.
//!
//! `zoom-meetings.json` `#/paths/~1users~1{userId}~1recordings/get/parameters/3/schema` (`mc`)
//! is `type: string` with `default: "false"`; a caller should write `.mc(true)`, and the query
//! string carries `mc=true` exactly as before.

use serde_json::Value;

use crate::ir::{Api, ParamLocation, Scalar, TypeKind, TypeRef};

pub fn run(api: &mut Api) {
    let boolean_enums: Vec<bool> = api
        .types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Enum(e) => {
                let mut values: Vec<&str> =
                    e.values.iter().filter_map(|v| v.wire.as_str()).collect();
                values.sort_unstable();
                values == ["false", "true"]
            }
            _ => false,
        })
        .collect();
    for op in &mut api.operations {
        for param in &mut op.params {
            if param.location != ParamLocation::Query {
                continue;
            }
            let boolean_default = matches!(
                param.default.as_ref().and_then(Value::as_str),
                Some("true" | "false")
            );
            let is_boolean = match &param.ty {
                TypeRef::Scalar(Scalar::String) => boolean_default,
                TypeRef::Named(id) => boolean_enums[id.0],
                _ => false,
            };
            if is_boolean {
                param.ty = TypeRef::Scalar(Scalar::Boolean);
                param.default = param
                    .default
                    .take()
                    .and_then(|d| d.as_str().map(|s| Value::Bool(s == "true")));
            }
        }
    }
}
