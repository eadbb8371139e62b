//! Passes for every document, whatever the vendor.

pub mod break_cycles;
pub mod dedupe_types;
pub mod field_names;
pub mod inline_aliases;
pub mod open_enums;
pub mod operation_names;
pub mod received_required;
pub mod secret_fields;
pub mod type_names;

use crate::ir::{Api, Operation, PageItems, StructDef, TypeId, TypeRef};

/// Rewrites every type reference of the API (types, operations, webhooks, components).
pub(crate) fn rewrite_refs(api: &mut Api, f: &mut impl FnMut(&mut TypeRef)) {
    for def in &mut api.types {
        for ty in def.kind.refs_mut() {
            f(ty);
        }
    }
    for op in &mut api.operations {
        for ty in op.refs_mut() {
            f(ty);
        }
    }
    for hook in &mut api.webhooks {
        f(&mut hook.ty);
    }
    for component in &mut api.components {
        f(component);
    }
}

/// Types reachable from operations, webhooks and the components asked for, in id order: what
/// gets emitted.
pub fn reachable(api: &Api) -> Vec<TypeId> {
    let roots = api
        .operations
        .iter()
        .flat_map(Operation::refs)
        .chain(api.webhooks.iter().map(|hook| &hook.ty))
        .chain(&api.components);
    reached(api, roots)
}

/// The types `roots` reach through fields, variants and aliases, in id order.
pub fn reached<'a>(api: &'a Api, roots: impl Iterator<Item = &'a TypeRef>) -> Vec<TypeId> {
    let mut seen = vec![false; api.types.len()];
    let mut stack: Vec<TypeId> = Vec::new();
    for root in roots {
        root.visit_ids(&mut |id| stack.push(id));
    }
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        for ty in api.types[id.0].kind.refs() {
            ty.visit_ids(&mut |next| stack.push(next));
        }
    }
    seen.iter()
        .enumerate()
        .filter(|(_, s)| **s)
        .map(|(i, _)| TypeId(i))
        .collect()
}

/// A page type's list, for the pagination passes: its only array field, if it has exactly one.
pub(crate) fn page_items(def: &StructDef) -> Option<PageItems> {
    let mut arrays = def.fields.iter().filter_map(|f| match &f.ty {
        TypeRef::Array(item) => Some(PageItems {
            field: f.rust_name.clone(),
            item: (**item).clone(),
        }),
        _ => None,
    });
    let first = arrays.next()?;
    arrays.next().is_none().then_some(first)
}
