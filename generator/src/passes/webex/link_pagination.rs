//! Pass `link_pagination`: Webex list operations page with a `Link: <…>; rel="next"` response
//! header (`webex-meeting.json` `#/paths/~1recordings/get`, with the `max` query parameter);
//! they get the same page and item streams as Zoom's token pagination.

use crate::ir::{Api, Method, Pagination, ParamLocation, TypeKind, TypeRef};
use crate::passes::generic::page_items;

pub fn run(api: &mut Api) {
    let Api {
        operations, types, ..
    } = api;
    for op in operations {
        if op.method != Method::Get {
            continue;
        }
        let Some(success) = op
            .responses
            .iter()
            .find(|r| r.is_success() && r.body.is_some())
        else {
            continue;
        };
        let declares_link = success
            .headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case("link"));
        let takes_max = op
            .params
            .iter()
            .any(|p| p.location == ParamLocation::Query && p.name == "max");
        let Some(TypeRef::Named(page_id)) = success.body.as_ref().map(|b| b.ty.clone()) else {
            continue;
        };
        let TypeKind::Struct(def) = &types[page_id.0].kind else {
            continue;
        };
        let items = page_items(def);
        let lists_items = items.as_ref().is_some_and(|i| i.field == "items");
        if declares_link || (takes_max && lists_items) {
            op.pagination = Some(Pagination::Link {
                page: TypeRef::Named(page_id),
                items,
            });
        }
    }
}
