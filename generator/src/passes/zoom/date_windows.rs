//! Pass `date_windows`: Zoom listings filtered by `from`/`to` dates refuse a range longer than
//! a month (`zoom-meetings.json` `#/paths/~1users~1{userId}~1recordings/get`, parameter
//! `from`: "The maximum range can be a month"; the Video SDK's `GET /videosdk/recordings` is
//! the same), so listing half a year takes six requests and care at the edges, where a
//! meeting can be returned by two windows.
//!
//! Token-paginated operations with optional `from` and `to` query parameters of
//! `format: date`, whose items carry an identifier (`uuid`, else `session_id`, else `id`), are
//! marked; the emitter gives them `items_between(from, to)`, which lists any range in month
//! windows with the runtime's `windows::items_between` and yields each item once.

use crate::ir::{
    Api, DateWindows, PageItems, Pagination, ParamLocation, Parameter, Scalar, TypeKind, TypeRef,
};

/// Item fields that identify a listed item, best first: a meeting instance's `uuid` (the
/// meeting `id` is shared by every instance of a recurring meeting), a Video SDK session's
/// `session_id`, then a plain `id`.
const KEYS: [&str; 3] = ["uuid", "session_id", "id"];

pub fn run(api: &mut Api) {
    let Api {
        operations, types, ..
    } = api;
    for op in operations {
        let Some(Pagination::Token {
            items:
                Some(PageItems {
                    item: TypeRef::Named(item),
                    ..
                }),
            ..
        }) = &op.pagination
        else {
            continue;
        };
        let TypeKind::Struct(def) = &types[item.0].kind else {
            continue;
        };
        let takes_dates = ["from", "to"]
            .iter()
            .all(|name| op.params.iter().any(|p| is_date_filter(p, name)));
        let key = KEYS.iter().find(|key| {
            def.fields.iter().any(|f| {
                f.name == **key
                    && matches!(
                        f.ty,
                        TypeRef::Scalar(Scalar::String | Scalar::Integer { .. })
                    )
            })
        });
        if let (true, Some(key)) = (takes_dates, key) {
            op.date_windows = Some(DateWindows {
                from: "from".to_owned(),
                to: "to".to_owned(),
                key: (*key).to_owned(),
            });
        }
    }
}

fn is_date_filter(param: &Parameter, name: &str) -> bool {
    param.name == name
        && param.location == ParamLocation::Query
        && !param.required
        && param.ty == TypeRef::Scalar(Scalar::Date)
}
