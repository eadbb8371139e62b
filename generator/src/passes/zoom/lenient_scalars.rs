//! Pass `lenient_scalars`: integers are 64-bit, numbers accept strings, empty dates are absent.
//!
//! Zoom meeting IDs exceed 32 bits (`zoom-meetings.json`
//! `#/paths/~1meetings~1{meetingId}/get/responses/200/content/application~1json/schema/properties/id`
//! has `format: int64`, other places say `integer` alone); numbers arrive as strings (legacy
//! `#/components/schemas/Recording/properties/file_size/example` is `"7220"`); recordings
//! still processing send `"recording_end": ""`. So every integer is `i64`, every integer or
//! number field also accepts a string holding a number, and every date field decodes `""` as
//! absent, and so does every enum field whose enum does not list `""` (`"file_type": ""`).

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

fn widen(ty: &mut TypeRef) {
    match ty {
        TypeRef::Scalar(Scalar::Integer { bits }) => *bits = 64,
        TypeRef::Array(inner) | TypeRef::Map(inner) => widen(inner),
        TypeRef::Named(_) | TypeRef::Scalar(_) | TypeRef::Any => {}
    }
}
