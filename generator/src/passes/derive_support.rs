//! Which derives a generated type can take: `Eq`, `Hash`, `Ord` and `PartialOrd` need every
//! field's type to have them too, and an `f64`, a JSON value or the map of undocumented
//! properties (`extra`) does not have them all. A derive asked for one type that cannot take
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

fn type_lacks(api: &Api, id: TypeId, derive: &str, visiting: &mut Vec<TypeId>) -> Option<String> {
    // A type met again through its own fields adds nothing new.
    if visiting.contains(&id) {
        return None;
    }
    visiting.push(id);
    let def = &api.types[id.0];
    let lacks = match &def.kind {
        TypeKind::Struct(s) => {
            // Every object keeps its undocumented properties as JSON values.
            if derive != "Eq" {
                Some("its `extra` map of undocumented properties holds JSON values".to_owned())
            } else {
                s.fields.iter().find_map(|field| {
                    ref_lacks(api, &field.ty, derive, visiting)
                        .map(|why| format!("field `{}` {why}", field.rust_name))
                })
            }
        }
        TypeKind::Union(variants) => variants.iter().find_map(|variant| {
            ref_lacks(api, &variant.ty, derive, visiting)
                .map(|why| format!("variant `{}` {why}", variant.name))
        }),
        TypeKind::Alias(inner) => ref_lacks(api, inner, derive, visiting),
        // Open enums keep an unknown value as JSON; external types are the user's.
        TypeKind::Enum(_) | TypeKind::External(_) => None,
    };
    visiting.pop();
    lacks
}

fn ref_lacks(api: &Api, ty: &TypeRef, derive: &str, visiting: &mut Vec<TypeId>) -> Option<String> {
    match ty {
        TypeRef::Scalar(Scalar::Number) => Some("is an f64".to_owned()),
        TypeRef::Any if derive != "Eq" => Some("is a JSON value".to_owned()),
        TypeRef::Map(_) if derive != "Eq" => Some("is a map".to_owned()),
        TypeRef::Array(inner) | TypeRef::Map(inner) => ref_lacks(api, inner, derive, visiting),
        TypeRef::Named(id) => type_lacks(api, *id, derive, visiting)
            .map(|why| format!("is `{}`, whose {why}", api.types[id.0].name)),
        TypeRef::Scalar(_) | TypeRef::Any => None,
    }
}
