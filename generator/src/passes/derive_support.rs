//! Which derives a generated type can take: `Eq`, `Hash`, `Ord` and `PartialOrd` need every
//! field's type to have them too. An `f64` has only `PartialOrd`; a JSON value (an untyped
//! field, the map `extra` of undocumented properties, an open enum's unknown value) has `Eq`
//! and `Hash` only. A derive asked for one type that cannot take
//! it is an error naming the field; asked for every type (`"*"`), it skips those that cannot
//! (each said in the report).

use crate::ir::{Api, Scalar, TypeId, TypeKind, TypeRef};

/// The derives checked here; any other is passed on as asked.
const CHECKED: &[&str] = &["Eq", "Hash", "Ord", "PartialOrd"];

/// Why the type `id` cannot derive `derive` (`None` when it can, or when the derive is not
/// one this module knows): the field, variant or part that lacks it.
pub fn lacking(api: &Api, id: TypeId, derive: &str) -> Option<String> {
    let derive = derive.rsplit("::").next().unwrap_or(derive);
    if !CHECKED.contains(&derive) {
        return None;
    }
    let mut visiting = Vec::new();
    type_lacks(api, id, derive, &mut visiting)
}

/// Whether a JSON value (`serde_json::Value`, and the map `extra` keeps undocumented
/// properties in) has `derive`: it has `Eq` and `Hash`, not `Ord` nor `PartialOrd`.
fn json_has(derive: &str) -> bool {
    matches!(derive, "Eq" | "Hash")
}

fn type_lacks(api: &Api, id: TypeId, derive: &str, visiting: &mut Vec<TypeId>) -> Option<String> {
    // A type met again through its own fields adds nothing new.
    if visiting.contains(&id) {
        return None;
    }
    visiting.push(id);
    let def = &api.types[id.0];
    let lacks = match &def.kind {
        // Every object keeps its undocumented properties as JSON values.
        TypeKind::Struct(_) if !json_has(derive) => {
            Some("`extra` map of undocumented properties holds JSON values".to_owned())
        }
        TypeKind::Struct(s) => s.fields.iter().find_map(|field| {
            ref_lacks(api, &field.ty, derive, visiting)
                .map(|why| format!("field `{}` {why}", field.rust_name))
        }),
        // Open enums keep an unknown value as JSON.
        TypeKind::Enum(_) if !json_has(derive) => {
            Some("`Unknown` variant holds a JSON value".to_owned())
        }
        TypeKind::Union(variants) => variants.iter().find_map(|variant| {
            ref_lacks(api, &variant.ty, derive, visiting)
                .map(|why| format!("variant `{}` {why}", variant.name))
        }),
        TypeKind::Alias(inner) => ref_lacks(api, inner, derive, visiting),
        // External types are the user's to vouch for.
        TypeKind::Enum(_) | TypeKind::External(_) => None,
    };
    visiting.pop();
    lacks
}

fn ref_lacks(api: &Api, ty: &TypeRef, derive: &str, visiting: &mut Vec<TypeId>) -> Option<String> {
    match ty {
        TypeRef::Scalar(Scalar::Number) if derive != "PartialOrd" => Some("is an f64".to_owned()),
        TypeRef::Any if !json_has(derive) => Some("is a JSON value".to_owned()),
        TypeRef::Array(inner) | TypeRef::Map(inner) => ref_lacks(api, inner, derive, visiting),
        TypeRef::Named(id) => type_lacks(api, *id, derive, visiting)
            .map(|why| format!("is `{}`, whose {why}", api.types[id.0].name)),
        TypeRef::Scalar(_) | TypeRef::Any => None,
    }
}
