//! `OUT/manifest.json`: every file the archive knows, where it is and in what state. It is
//! rewritten after each change through a temporary file and a rename, so a kill at any moment
//! leaves either the previous manifest or the new one, never a truncated one.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "manifest.json";

/// Where a file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Listed, not downloaded yet.
    Pending,
    /// Partly downloaded (`<file>.part` holds what arrived).
    Partial,
    /// Downloaded in full and size-checked.
    Complete,
    /// The last attempt failed; see `error`.
    Failed,
    /// The server has no downloadable file yet (still processing, or no download URL).
    NotReady,
}

/// One recording file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Meeting UUID (Zoom) or meeting instance ID (Webex).
    pub meeting: String,
    pub topic: String,
    pub start_time: String,
    /// The recording file's ID.
    pub file_id: String,
    pub file_type: String,
    /// The size the server announced, when it did.
    pub size: Option<u64>,
    pub state: State,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The manifest: entries by path relative to OUT, with `/` separators.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub files: BTreeMap<String, Entry>,
}

impl Manifest {
    /// The manifest in `out`, or an empty one when there is none yet.
    pub fn load(out: &Path) -> std::io::Result<Self> {
        match std::fs::read(out.join(FILE_NAME)) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(std::io::Error::other),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(e),
        }
    }

    /// Writes the manifest to `out` atomically.
    pub fn save(&self, out: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        let temp = out.join(format!("{FILE_NAME}.tmp"));
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(&json)?;
        file.sync_all()?;
        std::fs::rename(&temp, out.join(FILE_NAME))
    }

    /// Sets the state (and error) of the file at `path`.
    pub fn set(&mut self, path: &str, state: State, error: Option<String>) {
        if let Some(entry) = self.files.get_mut(path) {
            entry.state = state;
            entry.error = error;
        }
    }
}

/// The manifest key of a path relative to OUT.
pub fn key(relative: &Path) -> String {
    relative
        .iter()
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The path of a manifest key under `out`.
pub fn path(out: &Path, key: &str) -> PathBuf {
    key.split('/')
        .fold(out.to_owned(), |path, part| path.join(part))
}
