//! Pass `uuid_path_encoding`: meeting/webinar UUID path parameters are encoded twice when the
//! UUID starts with `/` or contains `//`.
//!
//! Zoom says so in the parameter's description, e.g. `zoom-meetings.json`
//! `#/paths/~1meetings~1{meetingId}~1recordings/get/parameters/0/description`: "If the meeting
//! UUID begins with a `/` character or contains a `//` character, you must double encode the
//! meeting UUID". The runtime applies the rule per value, so numeric meeting IDs and UUIDs
//! without slashes are encoded once.

use crate::ir::{Api, ParamLocation, PathEncoding, Scalar, TypeRef};

pub fn run(api: &mut Api) {
    for op in &mut api.operations {
        for param in &mut op.params {
            let is_string = matches!(param.ty, TypeRef::Scalar(Scalar::String));
            let demands_it = param
                .description
                .as_deref()
                .is_some_and(demands_double_encoding);
            if param.location == ParamLocation::Path && is_string && demands_it {
                param.path_encoding = PathEncoding::DoubleWhenSlashes;
            }
        }
    }
}

fn demands_double_encoding(description: &str) -> bool {
    let text = description.to_ascii_lowercase().replace('-', " ");
    text.contains("double encode")
        || text.contains("encode it twice")
        || text.contains("encoded twice")
}
