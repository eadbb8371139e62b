//! Rust-safe identifiers from vendor names (`shared_screen_with_speaker_view(CC)`, `H.323/SIP`,
//! `Assigndevicetoauser/commonarea`, `List Recordings`), and deterministic collision handling.

use std::collections::HashMap;

use heck::{ToPascalCase, ToSnakeCase};

/// Words of `text`: runs of ASCII alphanumerics (other characters separate words).
fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_was_sep = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            last_was_sep = false;
        } else if !last_was_sep {
            out.push(' ');
            last_was_sep = true;
        }
    }
    out.trim_end().to_owned()
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Whether `name` is a Rust keyword (strict, reserved or edition-2024 `gen`).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// A snake_case identifier for fields, parameters, methods and modules.
pub fn snake(text: &str) -> String {
    let mut name = words(text).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "n_");
    }
    if is_keyword(&name) {
        // Raw identifiers cannot be used for `self`, `super`, `crate` and `Self`.
        if matches!(name.as_str(), "self" | "super" | "crate") {
            name.push('_');
        } else {
            name.insert_str(0, "r#");
        }
    }
    name
}

/// A PascalCase identifier for types and variants.
pub fn pascal(text: &str) -> String {
    let mut name = words(text).to_pascal_case();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// Names a generated crate's root already uses (`src/lib.rs`, `src/main.rs`, the `runtime`
/// re-export), so no API module may take them.
const CRATE_ROOT_NAMES: &[&str] = &["lib", "main", "runtime"];

/// Module and file names longer than this are shortened: file systems refuse names over 255
/// bytes, and a 10,000-character tag must not stop generation.
const MAX_MODULE_NAME: usize = 64;

/// The API module of a document file stem, in a crate named after the whole stem
/// ([`package_name`]): the stem without its first word (`zoom-meetings` → `meetings`, so
/// `zoom_meetings_client::meetings`, not `zoom_meetings_client::zoom_meetings`), a snake_case
/// identifier that is none of the crate root's names (`lib.json` → `lib_api`) and not too long
/// for a file name.
pub fn api_module(stem: &str) -> String {
    let whole = module_name(stem);
    let module = match whole.split_once('_') {
        Some((_, rest)) if !rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_owned(),
        _ => whole,
    };
    if CRATE_ROOT_NAMES.contains(&module.as_str()) {
        format!("{module}_api")
    } else {
        module
    }
}

/// Whether `module` may name an API module.
pub fn is_reserved_api_module(module: &str) -> bool {
    CRATE_ROOT_NAMES.contains(&module)
}

/// A module (and file) name from `text`: snake_case without `r#`, at most
/// [`MAX_MODULE_NAME`] bytes (cut at a word boundary when there is one).
pub fn module_name(text: &str) -> String {
    let name = bare(&snake(text)).to_owned();
    if name.len() <= MAX_MODULE_NAME {
        return name;
    }
    let cut = &name[..MAX_MODULE_NAME];
    cut.rfind('_')
        .filter(|at| *at > MAX_MODULE_NAME / 2)
        .map_or(cut, |at| &cut[..at])
        .to_owned()
}

/// The package name of a generated crate from a document file stem: `Zoom Meeting API` →
/// `zoom-meeting-api-client`, always a valid, warning-free crate name.
pub fn package_name(stem: &str) -> String {
    format!("{}-client", module_name(stem).replace('_', "-"))
}

/// The operationId with each run-together lowercase word split at the summary's words:
/// Zoom writes `Getzdmgroupinfo` for "Get ZDM group info", so the method becomes
/// `get_zdm_group_info`. A part is split only when it has no word boundary of its own (no
/// capital after its first letter, no digit) and the summary's words, in order and each
/// whole, spell all of it; anything else is left as the vendor wrote it.
pub fn readable_operation_id(operation_id: &str, summary: Option<&str>) -> String {
    let Some(summary) = summary else {
        return operation_id.to_owned();
    };
    let summary_words: Vec<String> = words(summary)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut out = String::with_capacity(operation_id.len() + 8);
    let mut part = String::new();
    let flush = |part: &mut String, out: &mut String| {
        if !part.is_empty() {
            out.push_str(&split_run(part, &summary_words).unwrap_or_else(|| part.clone()));
            part.clear();
        }
    };
    for c in operation_id.chars() {
        if c.is_ascii_alphanumeric() {
            part.push(c);
        } else {
            flush(&mut part, &mut out);
            out.push(c);
        }
    }
    flush(&mut part, &mut out);
    out
}

/// `part` as summary words joined by spaces, when it is one run-together word they spell.
fn split_run(part: &str, summary_words: &[String]) -> Option<String> {
    let run_together = part.chars().skip(1).all(|c| c.is_ascii_lowercase());
    if !run_together || part.len() < 2 {
        return None;
    }
    let lower = part.to_ascii_lowercase();
    let mut found = Vec::new();
    if !spell(&lower, summary_words, &mut found) || found.len() < 2 {
        return None;
    }
    Some(found.join(" "))
}

/// Whether `text` is a concatenation of some of `words`, in order, each whole; `found` holds
/// them. Depth-first, shortest text first, so the search is bounded by the summary's length.
fn spell<'a>(text: &str, words: &'a [String], found: &mut Vec<&'a str>) -> bool {
    if text.is_empty() {
        return true;
    }
    for (index, word) in words.iter().enumerate() {
        if let Some(rest) = text.strip_prefix(word.as_str()) {
            found.push(word);
            if spell(rest, &words[index + 1..], found) {
                return true;
            }
            found.pop();
        }
    }
    false
}

/// The identifier without a `r#` prefix, for building other names from it.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Gives each wanted name a unique one, deterministically: the first keeps its name, later ones
/// get `2`, `3`, … appended (after a `_` for snake_case names).
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashMap<String, usize>,
}

impl UniqueNames {
    pub fn reserve(&mut self, name: &str) {
        self.taken.entry(name.to_owned()).or_insert(1);
    }

    pub fn claim(&mut self, wanted: &str) -> String {
        let Some(count) = self.taken.get(wanted).copied() else {
            self.taken.insert(wanted.to_owned(), 1);
            return wanted.to_owned();
        };
        // PascalCase names take the number directly (`Self_` → `Self2`: an underscore before
        // it would break `non_camel_case_types`); snake_case ones after a `_`.
        let pascal = wanted.starts_with(|c: char| c.is_ascii_uppercase());
        let (stem, sep) = if pascal {
            (wanted.trim_end_matches('_'), "")
        } else if wanted.contains('_') || wanted.starts_with(|c: char| c.is_ascii_lowercase()) {
            (bare(wanted), "_")
        } else {
            (bare(wanted), "")
        };
        let mut n = count + 1;
        loop {
            let candidate = format!("{stem}{sep}{n}");
            if !self.taken.contains_key(&candidate) {
                self.taken.insert(wanted.to_owned(), n);
                self.taken.insert(candidate.clone(), 1);
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_names_become_identifiers() {
        assert_eq!(
            pascal("shared_screen_with_speaker_view(CC)"),
            "SharedScreenWithSpeakerViewCc"
        );
        assert_eq!(
            pascal("shared_screen_with_speaker_view"),
            "SharedScreenWithSpeakerView"
        );
        assert_eq!(pascal("H.323/SIP"), "H323Sip");
        assert_eq!(pascal(""), "Empty");
        assert_eq!(pascal("1"), "N1");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(
            snake("Assigndevicetoauser/commonarea"),
            "assigndevicetoauser_commonarea"
        );
        assert_eq!(snake("List Recordings"), "list_recordings");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("3d"), "n_3d");
        assert_eq!(snake("userId"), "user_id");
    }

    #[test]
    fn document_stems_give_valid_modules_and_packages() {
        assert_eq!(package_name("Zoom Meeting API"), "zoom-meeting-api-client");
        assert_eq!(package_name("zoom--phone"), "zoom-phone-client");
        assert_eq!(package_name("type"), "type-client");
        assert_eq!(api_module("lib"), "lib_api");
        assert_eq!(api_module("runtime"), "runtime_api");
        assert_eq!(api_module("zoom-meetings"), "meetings");
        assert_eq!(api_module("zoom-team-chat-webhooks"), "team_chat_webhooks");
        assert_eq!(api_module("zoom-2023"), "zoom_2023");
        assert_eq!(api_module("openapi"), "openapi");
        let long = module_name(&"tag ".repeat(2_500));
        assert!(
            long.len() <= MAX_MODULE_NAME && !long.ends_with('_'),
            "{long}"
        );
    }

    #[test]
    fn run_together_operation_ids_are_split_at_the_summarys_words() {
        let cases = [
            (
                "Getzdmgroupinfo",
                "Get ZDM group info",
                "get_zdm_group_info",
            ),
            (
                "Listmeetingsummaries",
                "List an account's meeting or webinar summaries",
                "list_meeting_summaries",
            ),
            (
                "Assigndevicetoauser/commonarea",
                "Assign a device to a user or commonarea",
                "assign_device_to_a_user_commonarea",
            ),
            (
                "Queryfreebusy",
                "Query freebusy information",
                "query_freebusy",
            ),
            // Words of their own, or a summary that does not spell the run: unchanged.
            ("listMeetings", "List meetings", "list_meetings"),
            ("meetings", "List meetings", "meetings"),
            (
                "Getaworkspaceadditionalenhancements",
                "List workspace additional information with time range",
                "getaworkspaceadditionalenhancements",
            ),
            ("Getv2report", "Get v2 report", "getv2report"),
        ];
        for (id, summary, expected) in cases {
            assert_eq!(
                snake(&readable_operation_id(id, Some(summary))),
                expected,
                "{id}"
            );
        }
        assert_eq!(
            readable_operation_id("Getzdmgroupinfo", None),
            "Getzdmgroupinfo"
        );
    }

    #[test]
    fn collisions_get_numbered_deterministically() {
        let mut names = UniqueNames::default();
        assert_eq!(names.claim("list"), "list");
        assert_eq!(names.claim("list"), "list_2");
        assert_eq!(names.claim("list"), "list_3");
        assert_eq!(names.claim("Meeting"), "Meeting");
        assert_eq!(names.claim("Meeting"), "Meeting2");
        assert_eq!(names.claim("Self_"), "Self_");
        assert_eq!(names.claim("Self_"), "Self2");
    }
}
