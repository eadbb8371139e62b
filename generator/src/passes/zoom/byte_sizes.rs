//! Pass `byte_sizes`: a recording file's `file_size` is a whole number of bytes.
//!
//! Zoom documents it as `number` (`zoom-meetings.json`, the recording file of
//! `#/paths/~1meetings~1{meetingId}~1recordings/get`, and the legacy
//! `#/components/schemas/Recording/properties/file_size`), but the live API sends integers
//! (`"file_size": 37285` in the bodies of `../shared/seeds/001`, read into a Go `int`). As
//! `f64` it would need a conversion before it can be a download's expected size; as an integer
//! it is exact (numbers sent as strings are still accepted: the field stays lenient).

use crate::ir::{Api, Scalar, TypeKind, TypeRef};

/// The wire names of byte counts the documents type as `number`.
const BYTE_COUNTS: &[&str] = &["file_size"];

pub fn run(api: &mut Api) {
    for def in &mut api.types {
        if let TypeKind::Struct(struct_def) = &mut def.kind {
            for field in &mut struct_def.fields {
                if BYTE_COUNTS.contains(&field.name.as_str())
                    && field.ty == TypeRef::Scalar(Scalar::Number)
                {
                    field.ty = TypeRef::Scalar(Scalar::Integer { bits: 64 });
                }
            }
        }
    }
}
