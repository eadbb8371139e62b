//! Pass `received_required`: in what the server sends, a `required` property may be missing.
//!
//! Documents mark properties `required` that live bodies leave out (a 2020 `meeting.ended`
//! webhook has no `event_ts`; old recordings lack fields added since). Failing the whole body
//! over one absent field breaks a client on real traffic, so every object type reachable from
//! a response body or a webhook payload reads its required fields as optional (`Field::received`). Types only
//! requests use keep `required` strict: the caller must supply them. The pass runs before
//! de-duplication, so a request shape and the same response shape stay two types.

use crate::ir::{Api, TypeId, TypeKind, TypeRef};

pub fn run(api: &mut Api) {
    let mut received = vec![false; api.types.len()];
    let mut stack: Vec<TypeId> = Vec::new();
    let push = |ty: &TypeRef, stack: &mut Vec<TypeId>| ty.visit_ids(&mut |id| stack.push(id));
    for op in &api.operations {
        for body in op.responses.iter().filter_map(|r| r.body.as_ref()) {
            push(&body.ty, &mut stack);
        }
    }
    for hook in &api.webhooks {
        push(&hook.ty, &mut stack);
    }
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut received[id.0], true) {
            continue;
        }
        for ty in api.types[id.0].kind.refs() {
            push(ty, &mut stack);
        }
    }
    for (def, received) in api.types.iter_mut().zip(received) {
        if let (true, TypeKind::Struct(s)) = (received, &mut def.kind) {
            for field in &mut s.fields {
                field.received = true;
            }
        }
    }
}
