//! Pass `received_required`: in what the server sends, a `required` property may be missing.
//!
//! Documents mark properties `required` that live bodies leave out (a 2020 `meeting.ended`
//! webhook has no `event_ts`; old recordings lack fields added since). Failing the whole body
//! over one absent field breaks a client on real traffic, so every object type reachable from
//! a response body or a webhook payload reads its required fields as optional (`Field::received`). Types only
//! requests use keep `required` strict: the caller must supply them. The pass runs before
//! de-duplication, so a request shape and the same response shape stay two types.

use crate::ir::{Api, TypeKind};

pub fn run(api: &mut Api) {
    let roots = api
        .operations
        .iter()
        .flat_map(|op| {
            op.responses
                .iter()
                .filter_map(|r| r.body.as_ref().map(|b| &b.ty))
        })
        .chain(api.webhooks.iter().map(|hook| &hook.ty));
    for id in super::reached(api, roots) {
        if let TypeKind::Struct(s) = &mut api.types[id.0].kind {
            for field in &mut s.fields {
                field.received = true;
            }
        }
    }
}
