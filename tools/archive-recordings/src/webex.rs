//! Webex recordings: the files come from each recording's details, not from its listing.
//!
//! A listed recording's `downloadUrl` is a page on the Webex site, not a file: fetched with the
//! API token it gives an HTML page or a login redirect. Get Recording Details has
//! `temporaryDirectDownloadLinks`: direct links to the recording file and, when present, its
//! audio and transcript, which need no token and expire a few hours after the request. Each is
//! downloaded without credentials (so the Webex token never reaches a host that is not the
//! API's), and an expired one is refreshed by fetching the details again.
//!
//! What cannot be downloaded is recorded with why: with "Prevent downloading" on, the details
//! carry no links; a recording that cannot be scanned for malware answers HTTP 428.

use zoomgen_runtime::Error;

use webex_client::meetings::Client;
use webex_client::meetings::types::RecordingObjectWithDirectDownloadLinks as Details;

use crate::Result;
use crate::layout::{self, FileName};
use crate::manifest::{Entry, State, key};
use crate::plan::{Link, Planned, Refresh};

/// HTTP 428 on a recording: Webex could not scan it for malware, so it offers no download.
pub const NOT_SCANNED: u16 = 428;

/// The temporary link `link` names in a recording's details.
fn link_of(link: Link, details: &Details) -> Option<String> {
    let links = details.temporary_direct_download_links.as_ref()?;
    match link {
        Link::Recording => links.recording_download_link.clone(),
        Link::Audio => links.audio_download_link.clone(),
        Link::Transcript => links.transcript_download_link.clone(),
    }
}

/// What the listing says of a recording.
pub struct Listed {
    pub id: String,
    pub meeting_id: String,
    pub topic: String,
    pub start: String,
    pub day: String,
    pub format: Option<String>,
}

/// The files of one recording: its recording file, audio and transcript where the details
/// have links, or one entry that says why nothing can be downloaded.
pub async fn files(client: &Client, user: &str, listed: Listed) -> Result<Vec<Planned>> {
    let details = match client.get_record_by_record_id(&listed.id).send().await {
        Ok(details) => details,
        Err(Error::Api(api)) if api.status == NOT_SCANNED => {
            let reason = format!(
                "the recording cannot be scanned for malware, so Webex offers no download (HTTP {NOT_SCANNED}: {})",
                api.message.as_deref().unwrap_or("no message")
            );
            return Ok(vec![unavailable(user, &listed, reason)]);
        }
        Err(error) => return Err(error.into()),
    };
    if details.temporary_direct_download_links.is_none() {
        let reason = "downloading is prevented for this recording (\"Prevent downloading\" is on: \
                      the details carry no download links)"
            .to_owned();
        return Ok(vec![unavailable(user, &listed, reason)]);
    }
    let expires = details
        .temporary_direct_download_links
        .as_ref()
        .and_then(|links| links.expiration.clone());
    let size = details
        .size_bytes
        .filter(|size| size.fract() == 0.0 && *size > 0.0 && *size < u64::MAX as f64)
        .map(|size| size as u64);
    let mut files = Vec::new();
    for link in Link::ALL {
        let Some(url) = link_of(link, &details) else {
            continue;
        };
        let (suffix, default_ext) = link.naming();
        let ext = match link {
            Link::Recording => listed.format.as_deref().map(str::to_ascii_lowercase),
            Link::Audio | Link::Transcript => None,
        }
        .or_else(|| extension_of(&url))
        .unwrap_or_else(|| default_ext.to_owned());
        let file_id = format!("{}{suffix}", listed.id);
        files.push(Planned {
            key: key(&path(user, &listed, &file_id, &ext)),
            url: Some(url),
            credentials: false,
            access_token: None,
            refresh: Some(Refresh {
                recording_id: listed.id.clone(),
                link,
                expires: expires.clone(),
            }),
            unavailable: None,
            entry: entry(
                &listed,
                file_id,
                ext.to_ascii_uppercase(),
                size.filter(|_| link == Link::Recording),
            ),
        });
    }
    Ok(files)
}

/// A fresh temporary link (the details fetched again), or `None` when the details no longer
/// have one.
pub async fn fresh_link(client: &Client, refresh: &Refresh) -> Result<Option<String>> {
    let details = client
        .get_record_by_record_id(&refresh.recording_id)
        .send()
        .await?;
    Ok(link_of(refresh.link, &details))
}

fn unavailable(user: &str, listed: &Listed, reason: String) -> Planned {
    let ext = listed
        .format
        .as_deref()
        .unwrap_or("mp4")
        .to_ascii_lowercase();
    Planned {
        key: key(&path(user, listed, &listed.id, &ext)),
        url: None,
        credentials: false,
        access_token: None,
        refresh: None,
        unavailable: Some(reason),
        entry: entry(listed, listed.id.clone(), ext.to_ascii_uppercase(), None),
    }
}

fn path(user: &str, listed: &Listed, file_id: &str, ext: &str) -> std::path::PathBuf {
    layout::file_path(
        user,
        &listed.day,
        &listed.topic,
        &listed.meeting_id,
        FileName::Id(file_id),
        ext,
    )
}

fn entry(listed: &Listed, file_id: String, file_type: String, size: Option<u64>) -> Entry {
    Entry {
        meeting: listed.meeting_id.clone(),
        topic: listed.topic.clone(),
        start_time: listed.start.clone(),
        file_id,
        file_type,
        size,
        state: State::Pending,
        error: None,
    }
}

/// The extension of a link's file name (`…/audio.mp3?token=…` → `mp3`).
fn extension_of(url: &str) -> Option<String> {
    let path = zoomgen_runtime::reqwest::Url::parse(url)
        .ok()?
        .path()
        .to_owned();
    let name = path.rsplit('/').next()?;
    let (_, ext) = name.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 8 && ext.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| ext.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refresh(expires: Option<&str>) -> Refresh {
        Refresh {
            recording_id: "r".into(),
            link: Link::Recording,
            expires: expires.map(str::to_owned),
        }
    }

    #[test]
    fn a_link_past_its_expiration_is_expired() {
        assert!(refresh(Some("2020-01-01T00:00:00Z")).expired());
        assert!(!refresh(Some("2999-01-01T00:00:00Z")).expired());
        assert!(
            !refresh(None).expired(),
            "no expiration: tried, refreshed if refused"
        );
        assert!(!refresh(Some("soon")).expired());
    }

    #[test]
    fn link_extensions_come_from_the_file_name() {
        assert_eq!(
            extension_of("https://h.example/a/audio.MP3?t=1").as_deref(),
            Some("mp3")
        );
        assert_eq!(extension_of("https://h.example/a/download"), None);
    }
}
