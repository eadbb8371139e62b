//! Where each file goes: `OUT/<user>/<yyyy-mm-dd>_<topic>_<meeting>/<file>.<ext>`, a layout a
//! person can browse and a rerun finds again, whatever the topic, UUID or file id contains.
//!
//! Names are injective: two meetings or files never share a path. Sanitizing alone would
//! merge them (UUIDs `/S=` and `S/=`, topics in scripts that all become `_`, two TIMELINE
//! files without an id), and a later file would be skipped as "already complete". So a meeting
//! folder ends with a hash of the exact UUID, a file id that is not already a plain name gets
//! a hash of the exact id, and a file without an id is named by its type and its index in the
//! meeting's list. Every part is bounded, so a 300-byte UUID or id cannot exceed the file
//! system's name limit.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

/// The longest topic kept in a folder name, in characters.
const TOPIC_CHARS: usize = 60;

/// The longest readable part of a UUID or file id, in bytes (the hash keeps it exact).
const ID_CHARS: usize = 48;

/// Bytes of SHA-256 kept to tell values apart (64 bits, 16 hex digits).
const HASH_BYTES: usize = 8;

/// What names a file within its meeting.
pub enum FileName<'a> {
    /// The file's id as the API sends it.
    Id(&'a str),
    /// A file without an id (timelines, some captions): its type and its index in the list.
    Unnamed { kind: &'a str, index: usize },
}

/// The file's path under OUT.
pub fn file_path(
    user: &str,
    day: &str,
    topic: &str,
    meeting: &str,
    file: FileName<'_>,
    ext: &str,
) -> PathBuf {
    let folder = format!(
        "{}_{}_{}",
        name(day),
        topic_part(topic),
        hashed(&url_safe(meeting), meeting)
    );
    let file = match file {
        FileName::Id(id) if is_plain(id) => id.to_owned(),
        FileName::Id(id) => hashed(id, id),
        // A dot never appears in a plain id, and an id with one gets a hash: no id takes this.
        FileName::Unnamed { kind, index } => format!("{}.{index}", bounded(&name(kind))),
    };
    [
        bounded(&name(user)),
        folder,
        format!("{file}.{}", bounded(&name(ext))),
    ]
    .iter()
    .collect()
}

/// A path segment of letters, digits, `-`, `_` and `.` only, never empty and never a dot
/// segment, so no value can climb out of OUT or hide a file.
pub fn name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        let c = if keep { c } else { '_' };
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    let out = out.trim_matches(['_', '.']).to_owned();
    if out.is_empty() { "_".to_owned() } else { out }
}

/// An id that is a file name as it is, on case-insensitive file systems too: lowercase
/// letters, digits, `-` and `_`, not too long.
fn is_plain(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// `readable`'s name, bounded, then a hash of the exact `value`.
fn hashed(readable: &str, value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    format!(
        "{}_{}",
        bounded(&name(readable)),
        hex::encode(&digest[..HASH_BYTES])
    )
}

/// At most [`ID_CHARS`] bytes of a sanitized name (ASCII, so any cut is a char boundary).
fn bounded(text: &str) -> String {
    text.chars().take(ID_CHARS).collect()
}

fn topic_part(topic: &str) -> String {
    name(&topic.chars().take(TOPIC_CHARS).collect::<String>())
}

/// Meeting UUIDs are base64 (`/`, `+`, `=`); their URL-safe form reads better in a folder.
fn url_safe(meeting: &str) -> String {
    meeting
        .chars()
        .filter(|c| *c != '=')
        .map(|c| match c {
            '/' => '_',
            '+' => '-',
            c => c,
        })
        .collect()
}

/// The extension of a Zoom file: its `file_extension`, else one its `file_type` implies.
pub fn extension(file_extension: Option<&str>, file_type: Option<&str>) -> String {
    if let Some(ext) = file_extension.filter(|e| !e.is_empty()) {
        return ext.to_ascii_lowercase();
    }
    let ext = match file_type.unwrap_or_default().to_ascii_uppercase().as_str() {
        "MP4" => "mp4",
        "M4A" => "m4a",
        "TRANSCRIPT" | "CC" => "vtt",
        "CHAT" | "CHAT_MESSAGE" => "txt",
        "CSV" => "csv",
        "TIMELINE" | "SUMMARY" => "json",
        _ => "bin",
    };
    ext.to_owned()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn path(topic: &str, meeting: &str, file: FileName<'_>) -> String {
        file_path("me", "2024-02-10", topic, meeting, file, "mp4")
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn paths_stay_inside_out_and_are_readable() {
        let path = path(
            "Q1 planning: ../budget?",
            "/ajXp112+QmuoKj4854875==",
            FileName::Id("96119-f791"),
        );
        assert!(
            path.starts_with("me/2024-02-10_Q1_planning_.._budget_ajXp112-QmuoKj4854875_"),
            "{path}"
        );
        assert!(path.ends_with("/96119-f791.mp4"), "{path}");
        assert!(!path.contains("/../"));
        assert_eq!(name(".."), "_");
        assert_eq!(name(""), "_");
    }

    #[test]
    fn names_never_merge_two_meetings_or_two_files() {
        let folders: HashSet<String> = [
            path("Standup", "/S=", FileName::Id("a")),
            path("Standup", "S/=", FileName::Id("a")),
            path("Standup", "aB==", FileName::Id("a")),
            path("Standup", "Ab==", FileName::Id("a")),
            path("会議", "u1", FileName::Id("a")),
            path("ミーティング", "u2", FileName::Id("a")),
        ]
        .into_iter()
        .map(|p| p.to_lowercase())
        .collect();
        assert_eq!(folders.len(), 6, "{folders:?}");
        let files: HashSet<String> = [
            FileName::Unnamed {
                kind: "timeline",
                index: 0,
            },
            FileName::Unnamed {
                kind: "timeline",
                index: 1,
            },
            FileName::Id("timeline"),
            FileName::Id("timeline.0"),
            FileName::Id("a/b"),
            FileName::Id("a_b"),
            FileName::Id("A_B"),
        ]
        .into_iter()
        .map(|file| path("t", "u", file).to_lowercase())
        .collect();
        assert_eq!(files.len(), 7, "{files:?}");
    }

    #[test]
    fn long_uuids_and_ids_give_bounded_names() {
        let long = "x/".repeat(150);
        let path = file_path("me", "2024-02-10", &long, &long, FileName::Id(&long), "mp4");
        for part in path.iter() {
            assert!(part.len() <= 200, "{} bytes: {part:?}", part.len());
        }
    }

    #[test]
    fn extensions_follow_the_file_type_when_missing() {
        assert_eq!(extension(Some("M4A"), None), "m4a");
        assert_eq!(extension(None, Some("TIMELINE")), "json");
        assert_eq!(extension(Some(""), Some("CC")), "vtt");
        assert_eq!(extension(None, None), "bin");
    }
}
