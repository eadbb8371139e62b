//! What the listing plans to archive: each file, where it comes from, and for Webex's
//! temporary links how to get a fresh one.

use zoomgen_runtime::Secret;
use zoomgen_runtime::chrono::{DateTime, Utc};

use crate::manifest::Entry;

/// One file to archive.
pub struct Planned {
    /// Its manifest key (its path under OUT).
    pub key: String,
    /// Where to download it from; `None` when the server offers no download (yet).
    pub url: Option<String>,
    /// Whether the download sends the API's credentials (Zoom's download URLs); Webex's
    /// temporary links need none and get none.
    pub credentials: bool,
    /// A token for this file instead of the client's (an event's `download_token`).
    pub access_token: Option<Secret>,
    /// For a temporary link: how to get a fresh one when it has expired.
    pub refresh: Option<Refresh>,
    /// Why there is no `url`, when the server said (recorded in the manifest).
    pub unavailable: Option<String>,
    pub entry: Entry,
}

/// Which temporary link of a recording a file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Recording,
    Audio,
    Transcript,
}

impl Link {
    pub const ALL: [Link; 3] = [Link::Recording, Link::Audio, Link::Transcript];

    /// The file id suffix and the extension used when the link's path has none.
    pub fn naming(self) -> (&'static str, &'static str) {
        match self {
            Link::Recording => ("", "mp4"),
            Link::Audio => ("-audio", "m4a"),
            Link::Transcript => ("-transcript", "vtt"),
        }
    }
}

/// How to get a fresh temporary link once the one in hand has expired.
#[derive(Debug, Clone)]
pub struct Refresh {
    pub recording_id: String,
    pub link: Link,
    /// When the link in hand expires (RFC 3339), as the details said.
    pub expires: Option<String>,
}

impl Refresh {
    /// Whether the link in hand has expired by now.
    pub fn expired(&self) -> bool {
        self.expires
            .as_deref()
            .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
            .is_some_and(|at| at <= Utc::now())
    }
}
