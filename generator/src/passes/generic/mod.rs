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

use crate::ir::{Api, TypeId, TypeRef};

/// Rewrites every type reference of the API (types, operations, webhooks).
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
}

/// Types reachable from operations and webhooks, in id order: what gets emitted.
pub fn reachable(api: &Api) -> Vec<TypeId> {
    let mut seen = vec![false; api.types.len()];
    let mut stack: Vec<TypeId> = Vec::new();
    let push = |ty: &TypeRef, stack: &mut Vec<TypeId>| ty.visit_ids(&mut |id| stack.push(id));
    for op in &api.operations {
        for ty in op.params.iter().map(|p| &p.ty) {
            push(ty, &mut stack);
        }
        if let Some(body) = &op.body {
            push(&body.ty, &mut stack);
        }
        for response in &op.responses {
            if let Some(body) = &response.body {
                push(&body.ty, &mut stack);
            }
        }
    }
    for hook in &api.webhooks {
        push(&hook.ty, &mut stack);
    }
    while let Some(id) = stack.pop() {
        if seen[id.0] {
            continue;
        }
        seen[id.0] = true;
        for ty in api.types[id.0].kind.refs() {
            push(ty, &mut stack);
        }
    }
    seen.iter()
        .enumerate()
        .filter(|(_, s)| **s)
        .map(|(i, _)| TypeId(i))
        .collect()
}
