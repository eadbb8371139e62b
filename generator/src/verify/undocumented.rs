//! The properties of a body that its document does not list: what a generated type keeps in
//! `extra` maps. `cargo xtask conformance` names them beside `ok`, so a body that round-trips
//! still shows where the document no longer describes the API.

use serde_json::Value;

use crate::ir::{Api, TypeKind, TypeRef};

/// The JSON paths (`$.meetings[0].share_url`) of every property of `body` that the type `ty`
/// does not list, at any depth, in document order. A union is read as the alternative that
/// lists most of the body, as decoding does.
pub fn undocumented(api: &Api, ty: &TypeRef, body: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(api, ty, body, "$", &mut out);
    out
}

fn walk(api: &Api, ty: &TypeRef, value: &Value, path: &str, out: &mut Vec<String>) {
    match (ty, value) {
        (TypeRef::Array(item), Value::Array(items)) => {
            for (index, item_value) in items.iter().enumerate() {
                walk(api, item, item_value, &format!("{path}[{index}]"), out);
            }
        }
        (TypeRef::Map(inner), Value::Object(map)) => {
            for (key, entry) in map {
                walk(api, inner, entry, &format!("{path}.{key}"), out);
            }
        }
        (TypeRef::Named(id), _) => match &api.type_def(*id).kind {
            TypeKind::Struct(s) => {
                let Value::Object(map) = value else {
                    return;
                };
                for (key, entry) in map {
                    let at = format!("{path}.{key}");
                    match s.fields.iter().find(|f| f.name == *key) {
                        Some(field) => walk(api, &field.ty, entry, &at, out),
                        None => out.push(at),
                    }
                }
            }
            TypeKind::Union(variants) => {
                let best = variants
                    .iter()
                    .map(|variant| {
                        let mut found = Vec::new();
                        walk(api, &variant.ty, value, path, &mut found);
                        found
                    })
                    .min_by_key(Vec::len);
                out.extend(best.unwrap_or_default());
            }
            TypeKind::Alias(inner) => walk(api, inner, value, path, out),
            TypeKind::Enum(_) | TypeKind::External(_) => {}
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ir::{Field, Limits, StructDef, TypeDef, TypeId};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: name.into(),
            rust_name: name.into(),
            description: None,
            ty,
            required: false,
            nullable: false,
            received: true,
            leniency: crate::ir::Leniency::Strict,
            boxed: false,
            secret: false,
            limits: Limits::default(),
        }
    }

    fn object(id: usize, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            id: TypeId(id),
            name: format!("T{id}"),
            context: Vec::new(),
            pointer: String::new(),
            description: None,
            kind: TypeKind::Struct(StructDef { fields }),
            component: false,
            merged_pointers: Vec::new(),
            derives: Vec::new(),
        }
    }

    #[test]
    fn unlisted_properties_are_named_at_every_depth() {
        let file = object(
            1,
            vec![field("id", TypeRef::Scalar(crate::ir::Scalar::String))],
        );
        let page = object(
            0,
            vec![
                field("topic", TypeRef::Scalar(crate::ir::Scalar::String)),
                field(
                    "recording_files",
                    TypeRef::Array(Box::new(TypeRef::Named(TypeId(1)))),
                ),
            ],
        );
        let api = Api {
            module: "m".into(),
            title: String::new(),
            version: String::new(),
            description: None,
            source: String::new(),
            servers: Vec::new(),
            rate_classes: Vec::new(),
            operations: Vec::new(),
            types: vec![page, file],
            webhooks: Vec::new(),
            components: Vec::new(),
            sign_in: None,
            runtime_vendor: None,
            skipped_derives: Vec::new(),
            untyped: Vec::new(),
        };
        let body = json!({
            "topic": "t", "share_url": "u", "timezone": "UTC",
            "recording_files": [{"id": "a"}, {"id": "b", "meeting_number": 7}],
        });
        assert_eq!(
            undocumented(&api, &TypeRef::Named(TypeId(0)), &body),
            [
                "$.share_url",
                "$.timezone",
                "$.recording_files[1].meeting_number"
            ]
        );
    }
}
