//! `OUT/manifest.json`: every file the archive knows, where it is and in what state. It is
//! rewritten after each change through a temporary file and a rename, so a kill at any moment
//! leaves either the previous manifest or the new one, never a truncated one.
//!
//! Several runs may share one OUT (one per user or per month range, with `--redis`). Each
//! save therefore takes an exclusive lock on `OUT/manifest.json.lock`, reads the manifest as
//! it is on disk, writes into it only the entries this run changed, and renames a temporary
//! file of its own into place: no run loses another's entries.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "manifest.json";

/// The lock file that runs sharing OUT take while they save.
const LOCK_NAME: &str = "manifest.json.lock";

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
    /// Keys this run put or set since its last save: what a save writes over the disk's.
    #[serde(skip)]
    changed: BTreeSet<String>,
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

    /// Merges this run's changes into the manifest in `out`, under the folder's lock, and
    /// writes it atomically; afterwards this manifest also holds what other runs saved.
    pub fn save(&mut self, out: &Path) -> std::io::Result<()> {
        let lock = std::fs::File::create(out.join(LOCK_NAME))?;
        lock.lock()?;
        let mut merged = Self::load(out)?;
        for key in std::mem::take(&mut self.changed) {
            if let Some(entry) = self.files.get(&key) {
                merged.files.insert(key, entry.clone());
            }
        }
        let json = serde_json::to_vec_pretty(&merged).map_err(std::io::Error::other)?;
        // A name of this process's own: a run that dies mid-write leaves its temporary file,
        // never one another run is writing.
        let temp = out.join(format!("{FILE_NAME}.{}.tmp", std::process::id()));
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(&json)?;
        file.sync_all()?;
        std::fs::rename(&temp, out.join(FILE_NAME))?;
        self.files = merged.files;
        // The lock is released when `lock` is closed, after the rename.
        drop(lock);
        Ok(())
    }

    /// Records `entry` for the file at `path`.
    pub fn put(&mut self, path: String, entry: Entry) {
        self.changed.insert(path.clone());
        self.files.insert(path, entry);
    }

    /// Sets the state (and error) of the file at `path`.
    pub fn set(&mut self, path: &str, state: State, error: Option<String>) {
        if let Some(entry) = self.files.get_mut(path) {
            entry.state = state;
            entry.error = error;
            self.changed.insert(path.to_owned());
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
