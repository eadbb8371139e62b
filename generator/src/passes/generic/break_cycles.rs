//! Pass `break_cycles`: a type that contains itself directly (not through a `Vec` or map) gets
//! a `Box` on the field that closes the cycle, so the emitted type has a finite size.
//! Recursive schemas occur in hostile and legacy documents (a schema whose property refers to
//! its own component).

use crate::ir::{Api, TypeKind, TypeRef};

pub fn run(api: &mut Api) {
    let count = api.types.len();
    // Iterative DFS over direct containment; a field whose target is on the stack closes a cycle.
    let mut state = vec![0u8; count]; // 0 new, 1 on stack, 2 done
    for root in 0..count {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(top) = stack.last_mut() {
            let (node, edge) = *top;
            let targets = direct_targets(&api.types[node].kind);
            if edge >= targets.len() {
                state[node] = 2;
                stack.pop();
                continue;
            }
            top.1 += 1;
            let (slot, target) = targets[edge];
            match state[target] {
                1 => mark_boxed(&mut api.types[node].kind, slot),
                0 => {
                    state[target] = 1;
                    stack.push((target, 0));
                }
                _ => {}
            }
        }
    }
}

/// (slot index, target type) for every directly contained named type.
fn direct_targets(kind: &TypeKind) -> Vec<(usize, usize)> {
    kind.refs()
        .into_iter()
        .enumerate()
        .filter_map(|(slot, ty)| match ty {
            TypeRef::Named(id) => Some((slot, id.0)),
            _ => None,
        })
        .collect()
}

fn mark_boxed(kind: &mut TypeKind, slot: usize) {
    match kind {
        TypeKind::Struct(def) => {
            if let Some(field) = def.fields.get_mut(slot) {
                field.boxed = true;
            }
        }
        TypeKind::Union(variants) => {
            if let Some(variant) = variants.get_mut(slot) {
                variant.boxed = true;
            }
        }
        TypeKind::Alias(_) | TypeKind::Enum(_) | TypeKind::External(_) => {}
    }
}
