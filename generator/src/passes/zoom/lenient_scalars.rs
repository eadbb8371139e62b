//! Pass `lenient_scalars`: integers are 64-bit, numbers accept strings, empty dates are absent.
//!
//! Zoom meeting IDs exceed 32 bits (`zoom-meetings.json`
//! `#/paths/~1meetings~1{meetingId}/get/responses/200/content/application~1json/schema/properties/id`
//! has `format: int64`, other places say `integer` alone); numbers arrive as strings (legacy
//! `#/components/schemas/Recording/properties/file_size/example` is `"7220"`); recordings
//! still processing send `"recording_end": ""`. So every integer is `i64`, every integer or
//! number field also accepts a string holding a number, and every date field decodes `""` as
//! absent, and so does every enum field whose enum does not list `""` (`"file_type": ""`).
//!
//! Ids are sent as integers or as strings whatever the document says: a live
//! `meeting.started` webhook sends `payload.object.id` as an integer where the document types
//! it as a string (`meeting.created` types it int64; a `meeting.ended` capture sent a string),
//! and the Video SDK's examples send `session_id` as an integer. So every id field (`id`,
//! `*_id`, `*Id`) accepts both: an integer one through the numbers' leniency above, a text one
//! keeping an integer as its digits.

use crate::ir::{Api, Leniency, Scalar, TypeKind, TypeRef};

pub fn run(api: &mut Api) {
    let enums_without_empty: Vec<bool> = api
        .types
        .iter()
        .map(|def| matches!(&def.kind, TypeKind::Enum(e) if !e.values.iter().any(|v| v.wire.as_str() == Some(""))))
        .collect();
    for def in &mut api.types {
        if let TypeKind::Struct(struct_def) = &mut def.kind {
            for field in &mut struct_def.fields {
                widen(&mut field.ty);
                match field.ty {
                    TypeRef::Scalar(Scalar::Integer { .. } | Scalar::Number) => {
                        field.leniency = Leniency::NumberAsText;
                    }
                    TypeRef::Scalar(Scalar::Date | Scalar::DateTime) => {
                        field.leniency = Leniency::EmptyAsAbsent;
                    }
                    TypeRef::Named(id) if enums_without_empty[id.0] => {
                        field.leniency = Leniency::EmptyAsAbsent;
                    }
                    TypeRef::Scalar(Scalar::String) if is_id(&field.name) => {
                        field.leniency = Leniency::IntegerAsText;
                    }
                    _ => {}
                }
            }
        }
        for ty in def.kind.refs_mut() {
            widen(ty);
        }
    }
    for op in &mut api.operations {
        for ty in op.refs_mut() {
            widen(ty);
        }
    }
}

/// Whether a property names an id (`id`, `host_id`, `sessionId`).
fn is_id(name: &str) -> bool {
    name == "id" || name.ends_with("_id") || name.ends_with("Id")
}

fn widen(ty: &mut TypeRef) {
    match ty {
        TypeRef::Scalar(Scalar::Integer { bits }) => *bits = 64,
        TypeRef::Array(inner) | TypeRef::Map(inner) => widen(inner),
        TypeRef::Named(_) | TypeRef::Scalar(_) | TypeRef::Any => {}
    }
}
