//! Pass `open_enums`: readable, unique variant names for every enum. (Every generated enum is
//! open: the emitter adds an `Unknown` variant that keeps a value the document never listed.)
//!
//! Names come from the values when they are words (`shared_screen_with_speaker_view(CC)` →
//! `SharedScreenWithSpeakerViewCc`, distinct from `SharedScreenWithSpeakerView`), otherwise
//! from `x-enum-descriptions` when they fit (`zoom-meetings.json`
//! `#/paths/~1meetings~1{meetingId}/get/responses/200/content/application~1json/schema/allOf/0/allOf/0/properties/type/x-enum-descriptions`:
//! `Instant Meeting`, …), otherwise from the schema description's "`1` - Sunday" list, and
//! only then from the value prefixed with the type's name (`WeeklyDays1`). Never `V1`.

use serde_json::Value;

use crate::ir::{Api, EnumDef, TypeKind};
use crate::names::{UniqueNames, pascal};

/// Longer descriptions are sentences, not names.
const MAX_NAME_WORDS: usize = 8;

pub fn run(api: &mut Api) {
    for def in &mut api.types {
        let TypeKind::Enum(enum_def) = &mut def.kind else {
            continue;
        };
        let type_word = def.context.last().map(|c| pascal(c)).unwrap_or_default();
        let names = names_from_values(enum_def)
            .or_else(|| names_from_value_descriptions(enum_def))
            .or_else(|| names_from_schema_description(enum_def, def.description.as_deref()))
            .unwrap_or_else(|| {
                enum_def
                    .values
                    .iter()
                    .map(|v| pascal(&format!("{type_word} {}", wire_text(&v.wire))))
                    .collect()
            });
        let mut unique = UniqueNames::default();
        unique.reserve("Unknown");
        for (value, name) in enum_def.values.iter_mut().zip(names) {
            value.variant = unique.claim(&name);
        }
    }
}

fn wire_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Word-like values name themselves (`""` becomes `Empty`).
fn names_from_values(def: &EnumDef) -> Option<Vec<String>> {
    let wordy = def.values.iter().all(|v| {
        let text = wire_text(&v.wire);
        text.is_empty() || text.chars().any(|c| c.is_ascii_alphabetic())
    });
    wordy.then(|| {
        def.values
            .iter()
            .map(|v| pascal(&wire_text(&v.wire)))
            .collect()
    })
}

fn fitting_names(texts: Vec<Option<String>>) -> Option<Vec<String>> {
    let names: Vec<String> = texts
        .into_iter()
        .map(|t| {
            let t = t?;
            let t = t.trim();
            // "A webinar" names the variant `Webinar`.
            let t = ["An ", "A ", "The "]
                .iter()
                .fold(t, |t, article| t.strip_prefix(article).unwrap_or(t));
            let words = t.split_whitespace().count();
            (words > 0 && words <= MAX_NAME_WORDS && t.chars().any(|c| c.is_ascii_alphabetic()))
                .then(|| pascal(t))
        })
        .collect::<Option<_>>()?;
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    (sorted.len() == names.len()).then_some(names)
}

fn names_from_value_descriptions(def: &EnumDef) -> Option<Vec<String>> {
    fitting_names(def.values.iter().map(|v| v.description.clone()).collect())
}

/// Zoom describes digit enums in prose: "* `1` - An instant meeting. \n* `2` - …".
fn names_from_schema_description(def: &EnumDef, description: Option<&str>) -> Option<Vec<String>> {
    let description = description?;
    let texts = def
        .values
        .iter()
        .map(|v| {
            let marker = format!("`{}`", wire_text(&v.wire));
            // The list entry ("`2` - Monday"), not a mention in prose ("type `2` to state").
            let rest = description.match_indices(&marker).find_map(|(at, _)| {
                let after = description[at + marker.len()..].trim_start();
                after.starts_with(['-', ':', '=', '–', '—']).then(|| {
                    after.trim_start_matches(|c: char| c.is_whitespace() || "-:=–—*".contains(c))
                })
            })?;
            let end = rest
                .find(['\n', '.', '<', '`', ';', ',', '('])
                .unwrap_or(rest.len());
            Some(rest[..end].trim().to_owned())
        })
        .collect();
    fitting_names(texts)
}
