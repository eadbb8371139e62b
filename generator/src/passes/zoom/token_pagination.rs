//! Pass `token_pagination`: operations that take a `next_page_token` query parameter and
//! return one get a paginator (a stream of pages and a stream of items).
//!
//! E.g. `zoom-meetings.json` `#/paths/~1users~1{userId}~1recordings/get`: the last page says
//! `"next_page_token": ""`, and tokens expire after 15 minutes (error code 300).

use crate::ir::{Api, Pagination, ParamLocation, Scalar, TokenExpiry, TypeKind, TypeRef};
use crate::passes::generic::page_items;

/// Zoom's cursor: the query parameter and the response field have this one name.
const TOKEN: &str = "next_page_token";

/// Zoom's general "validation failed", which it also answers for an expired page token
/// (`"The next page token is invalid or expired."`).
const VALIDATION_FAILED: i64 = 300;

/// The query parameter of a page's size.
const PAGE_SIZE: &str = "page_size";

pub fn run(api: &mut Api) {
    let Api {
        operations, types, ..
    } = api;
    for op in operations {
        let takes_token = op
            .params
            .iter()
            .any(|p| p.location == ParamLocation::Query && p.name == TOKEN);
        if !takes_token {
            continue;
        }
        // A page holds at least one record: Zoom documents `page_size`'s maximum only, and
        // answers 0 with a 400 that a local check names at once.
        for param in &mut op.params {
            if param.name == PAGE_SIZE
                && param.location == ParamLocation::Query
                && matches!(param.ty, TypeRef::Scalar(Scalar::Integer { .. }))
                && param.limits.minimum.is_none()
            {
                param.limits.minimum = Some(1.0);
            }
        }
        let Some(page) = op
            .responses
            .iter()
            .filter(|r| r.is_success())
            .find_map(|r| r.body.as_ref())
            .map(|b| b.ty.clone())
        else {
            continue;
        };
        let TypeRef::Named(page_id) = page else {
            continue;
        };
        let TypeKind::Struct(def) = &types[page_id.0].kind else {
            continue;
        };
        if !def
            .fields
            .iter()
            .any(|f| f.name == TOKEN && f.ty == TypeRef::Scalar(Scalar::String))
        {
            continue;
        }
        op.pagination = Some(Pagination::Token {
            page: TypeRef::Named(page_id),
            items: page_items(def),
            request_param: TOKEN.to_owned(),
            response_field: TOKEN.to_owned(),
            expiry: Some(TokenExpiry {
                code: VALIDATION_FAILED,
                message_contains: "token".to_owned(),
            }),
        });
    }
}
