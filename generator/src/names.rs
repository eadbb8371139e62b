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

/// The API module of a document file stem (`zoom-meetings` → `zoom_meetings`): a snake_case
/// identifier that is none of the crate root's names (`lib.json` → `lib_api`) and not too long
/// for a file name.
pub fn api_module(stem: &str) -> String {
    let module = module_name(stem);
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
        let sep = if wanted.contains('_') || wanted.starts_with(|c: char| c.is_ascii_lowercase()) {
            "_"
        } else {
            ""
        };
        let mut n = count + 1;
        loop {
            let candidate = format!("{}{sep}{n}", bare(wanted));
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
        assert_eq!(api_module("zoom-meetings"), "zoom_meetings");
        let long = module_name(&"tag ".repeat(2_500));
        assert!(
            long.len() <= MAX_MODULE_NAME && !long.ends_with('_'),
            "{long}"
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
    }
}
