//! Pass `stringly_enums`: enums of digit strings decode from `"2"` and from `2`.
//!
//! Zoom documents meeting and recording `type` as `enum: ["1", …, "9", "99"]`
//! (`zoom-meetings.json`
//! `#/paths/~1meetings~1{meetingId}~1recordings/get/responses/200/content/application~1json/schema/allOf/0/allOf/0/properties/type/enum`)
//! and `weekly_days` as `"1"`…`"7"`, but the live API sends JSON integers. Such enums keep the
//! document's string form when serialized and accept either form when decoded.

use crate::ir::{Api, EnumRepr, TypeKind};

pub fn run(api: &mut Api) {
    for def in &mut api.types {
        let TypeKind::Enum(enum_def) = &mut def.kind else {
            continue;
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let all_digits = !enum_def.values.is_empty()
            && enum_def
                .values
                .iter()
                .all(|v| v.wire.as_str().is_some_and(digits));
        if enum_def.repr == EnumRepr::String && all_digits {
            enum_def.repr = EnumRepr::DigitString;
        }
    }
}
