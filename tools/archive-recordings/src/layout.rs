//! Where each file goes: `OUT/<user>/<yyyy-mm-dd>_<topic>_<meeting>/<file id>.<ext>`, a
//! layout a person can browse and a rerun finds again, whatever the topic or UUID contains.

use std::path::PathBuf;

/// The longest topic kept in a folder name, in characters.
const TOPIC_CHARS: usize = 60;

/// The file's path under OUT.
pub fn file_path(
    user: &str,
    day: &str,
    topic: &str,
    meeting: &str,
    file_id: &str,
    ext: &str,
) -> PathBuf {
    let folder = format!(
        "{}_{}_{}",
        name(day),
        topic_part(topic),
        meeting_part(meeting)
    );
    [
        name(user),
        folder,
        format!("{}.{}", name(file_id), name(ext)),
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

fn topic_part(topic: &str) -> String {
    name(&topic.chars().take(TOPIC_CHARS).collect::<String>())
}

/// Meeting UUIDs are base64 (`/`, `+`, `=`); their URL-safe form keeps them distinct.
fn meeting_part(meeting: &str) -> String {
    let url_safe: String = meeting
        .chars()
        .filter(|c| *c != '=')
        .map(|c| match c {
            '/' => '_',
            '+' => '-',
            c => c,
        })
        .collect();
    name(&url_safe)
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
    use super::*;

    #[test]
    fn paths_stay_inside_out_and_are_readable() {
        let path = file_path(
            "me",
            "2024-02-10",
            "Q1 planning: ../budget?",
            "/ajXp112+QmuoKj4854875==",
            "96119-f791",
            "mp4",
        );
        assert_eq!(
            path,
            PathBuf::from(
                "me/2024-02-10_Q1_planning_.._budget_ajXp112-QmuoKj4854875/96119-f791.mp4"
            )
        );
        assert_eq!(name(".."), "_");
        assert_eq!(name(""), "_");
    }

    #[test]
    fn extensions_follow_the_file_type_when_missing() {
        assert_eq!(extension(Some("M4A"), None), "m4a");
        assert_eq!(extension(None, Some("TIMELINE")), "json");
        assert_eq!(extension(Some(""), Some("CC")), "vtt");
        assert_eq!(extension(None, None), "bin");
    }
}
