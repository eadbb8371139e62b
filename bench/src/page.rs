//! Inputs: documents parsed bare (the floor of generation), and list-recordings pages built
//! deterministically.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

/// Reads and parses a document the way the generator's loader starts: JSON with `serde_json`,
/// YAML (`.yaml`/`.yml`) with `serde_norway`, into `serde_json::Value`.
pub fn parse_document(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_text(path, &text)
}

pub fn parse_text(path: &Path, text: &str) -> Result<Value, String> {
    let yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if yaml {
        serde_norway::from_str(text).map_err(|e| format!("{}: {e}", path.display()))
    } else {
        serde_json::from_str(text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// A deterministic pseudo-random sequence (the generator's seeded one), so every run decodes
/// the same bytes.
struct Sequence(zoomgen::verify::random::Rng);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.0.below(items.len())]
    }

    /// `len` characters of URL-safe base64-like text.
    fn token(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..len)
            .map(|_| ALPHABET[(self.next() % 64) as usize] as char)
            .collect()
    }
}

const RECORDING_TYPES: &[&str] = &[
    "shared_screen_with_speaker_view",
    "shared_screen_with_speaker_view(CC)",
    "shared_screen_with_gallery_view",
    "gallery_view",
    "active_speaker",
    "audio_only",
    "audio_transcript",
    "chat_file",
    "timeline",
    "closed_caption",
];
/// (file_type, file_extension) pairs as the live API pairs them.
const FILE_KINDS: &[(&str, &str)] = &[
    ("MP4", "MP4"),
    ("MP4", "MP4"),
    ("MP4", "MP4"),
    ("M4A", "M4A"),
    ("TRANSCRIPT", "VTT"),
    ("CHAT", "TXT"),
    ("CC", "VTT"),
    ("CSV", "CSV"),
    ("SUMMARY", "JSON"),
    ("TB", "JSON"),
];
const MEETING_TYPES: &[&str] = &["1", "2", "3", "4", "8", "9"];

/// A `GET /users/{userId}/recordings` page of `meetings` meetings with `files` recording files
/// each, shaped like the live API's (ids as numbers, `type` as an integer, sizes as numbers), as
/// compact JSON. The same arguments always give the same bytes.
pub fn recordings_page(meetings: usize, files: usize) -> Vec<u8> {
    let mut seq = Sequence(zoomgen::verify::random::Rng::new(2024));
    let mut out = String::with_capacity(meetings * files * 700);
    let _ = write!(
        out,
        r#"{{"from":"2024-01-01","to":"2024-01-31","page_count":1,"page_size":{meetings},"total_records":{meetings},"next_page_token":"","meetings":["#
    );
    for m in 0..meetings {
        if m > 0 {
            out.push(',');
        }
        let uuid = format!("{}==", seq.token(22));
        let id = 80_000_000_000 + seq.next() % 9_000_000_000;
        let day = 1 + m % 28;
        let hour = m % 24;
        let _ = write!(
            out,
            r#"{{"uuid":"{uuid}","id":{id},"account_id":"{}","host_id":"{}","topic":"Weekly sync {m} ({})","type":{},"start_time":"2024-01-{day:02}T{hour:02}:00:00Z","duration":{},"total_size":{},"recording_count":{files},"recording_play_passcode":"{}","recording_files":["#,
            seq.token(22),
            seq.token(22),
            seq.token(8),
            seq.pick(MEETING_TYPES),
            5 + seq.next() % 120,
            seq.next() % 4_000_000_000,
            seq.token(32),
        );
        for f in 0..files {
            if f > 0 {
                out.push(',');
            }
            let (file_type, extension) = FILE_KINDS[f % FILE_KINDS.len()];
            let file = seq.token(36);
            let _ = write!(
                out,
                r#"{{"id":"{file}","meeting_id":"{uuid}","recording_start":"2024-01-{day:02}T{hour:02}:00:05Z","recording_end":"2024-01-{day:02}T{hour:02}:{:02}:00Z","file_type":"{file_type}","file_extension":"{extension}","file_size":{},"play_url":"https://zoom.us/rec/play/{file}","download_url":"https://zoom.us/rec/download/{file}","status":"completed","recording_type":"{}"}}"#,
                10 + seq.next() % 49,
                seq.next() % 900_000_000,
                seq.pick(RECORDING_TYPES),
            );
        }
        out.push_str("]}");
    }
    out.push_str("]}");
    out.into_bytes()
}
