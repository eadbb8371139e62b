//! Pass `inline_aliases`: a `$ref` to a component that is only a scalar, array or another
//! reference (Webex `components/schemas` has such aliases) is replaced by what it stands for,
//! so that field-level fixes (lenient numbers, empty dates) see the real type.

use crate::ir::{Api, TypeKind, TypeRef};

pub fn run(api: &mut Api) {
    let resolved: Vec<Option<TypeRef>> = (0..api.types.len()).map(|i| resolve(api, i)).collect();
    super::rewrite_refs(api, &mut |ty| inline(ty, &resolved));
}

/// What alias `index` finally stands for (`None` when it is not an alias, or an alias cycle).
fn resolve(api: &Api, index: usize) -> Option<TypeRef> {
    let mut current = index;
    for _ in 0..api.types.len() {
        match &api.types[current].kind {
            TypeKind::Alias(TypeRef::Named(next)) => current = next.0,
            TypeKind::Alias(other) => return Some(other.clone()),
            _ => return (current != index).then_some(TypeRef::Named(api.types[current].id)),
        }
    }
    None
}

fn inline(ty: &mut TypeRef, resolved: &[Option<TypeRef>]) {
    match ty {
        TypeRef::Named(id) => {
            if let Some(Some(target)) = resolved.get(id.0) {
                *ty = target.clone();
                // The target may itself contain aliases (an alias of `Vec<Alias>`).
                inline_children(ty, resolved);
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => inline(inner, resolved),
        TypeRef::Scalar(_) | TypeRef::Any => {}
    }
}

fn inline_children(ty: &mut TypeRef, resolved: &[Option<TypeRef>]) {
    if let TypeRef::Array(inner) | TypeRef::Map(inner) = ty {
        inline(inner, resolved);
    }
}
