//! Pass `operation_names`: unique snake_case method names from operationIds.
//!
//! Zoom's operationIds contain `/` (`Assigndevicetoauser/commonarea`, `UpgradeZpas/app` in
//! `zoom-meetings.json` `#/paths/~1devices~1zpa~1upgrade/post/operationId`), Webex's contain
//! spaces, and some collide once made snake_case; the first keeps the name, later ones are
//! numbered. Names the client itself defines are reserved. Run-together ids
//! (`Getzdmgroupinfo`) are split at their summary's words first (`get_zdm_group_info`).

use crate::ir::Api;
use crate::names::{UniqueNames, snake};

pub const RESERVED: &[&str] = &[
    "new",
    "builder",
    "api_client",
    "from_api_client",
    "clone",
    "fmt",
];

pub fn run(api: &mut Api) {
    let mut unique = UniqueNames::default();
    for name in RESERVED {
        unique.reserve(name);
    }
    for op in &mut api.operations {
        let readable = crate::names::readable_operation_id(&op.operation_id, op.summary.as_deref());
        op.fn_name = unique.claim(&snake(&readable));
    }
    for op in &mut api.operations {
        let mut params = UniqueNames::default();
        // Builder methods and fields besides the parameters.
        for name in [
            "body",
            "send",
            "send_with_response",
            "retry",
            "timeouts",
            "options",
            "pages",
            "items",
            "items_between",
            "client",
            "request",
        ] {
            params.reserve(name);
        }
        for param in &mut op.params {
            param.rust_name = params.claim(&snake(&param.name));
        }
    }
}
