//! Downloading the listed files into their places under OUT, up to `--concurrency` at once,
//! skipping those already complete and resuming partial ones, with progress bars and the
//! manifest kept current after every change (one writer at a time: the manifest is behind a
//! lock in the process and a file lock across runs sharing OUT, and each save is a rename of a
//! complete file).

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use futures_util::StreamExt;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::Result;
use crate::listing::Listing;
use crate::manifest::{self, Manifest, State};
use crate::plan::Planned;

/// How one file ended.
enum Outcome {
    Downloaded,
    AlreadyComplete,
    NotReady,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub downloaded: usize,
    pub already_complete: usize,
    pub not_ready: usize,
    pub failed: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} downloaded, {} already complete, {} not ready, {} failed",
            self.downloaded, self.already_complete, self.not_ready, self.failed
        )
    }
}

/// Downloads the listing's files, `concurrency` at a time (at least one).
pub async fn run(
    out: &Path,
    listing: Listing,
    manifest: &mut Manifest,
    concurrency: usize,
) -> Result<Summary> {
    for planned in &listing.files {
        let state = manifest
            .files
            .get(&planned.key)
            .map_or(State::Pending, |known| known.state);
        let mut entry = planned.entry.clone();
        entry.state = state;
        manifest.put(planned.key.clone(), entry);
    }
    manifest.save(out)?;
    let bars = MultiProgress::new();
    let overall = bars.add(ProgressBar::new(listing.files.len() as u64));
    overall.set_style(style("{prefix} [{bar:30}] {pos}/{len} files")?);
    overall.set_prefix("archive");
    let mut summary = Summary::default();
    let shared = Mutex::new(std::mem::take(manifest));
    let mut outcomes = futures_util::stream::iter(&listing.files)
        .map(|planned| {
            let (listing, shared, bars) = (&listing, &shared, &bars);
            async move {
                (
                    planned,
                    archive_one(out, listing, planned, shared, bars).await,
                )
            }
        })
        .buffer_unordered(concurrency.max(1));
    while let Some((planned, outcome)) = outcomes.next().await {
        let (state, error) = match outcome {
            Ok(Outcome::Downloaded) => {
                summary.downloaded += 1;
                (State::Complete, None)
            }
            Ok(Outcome::AlreadyComplete) => {
                summary.already_complete += 1;
                (State::Complete, None)
            }
            Ok(Outcome::NotReady) => {
                summary.not_ready += 1;
                (State::NotReady, planned.unavailable.clone())
            }
            Err(error) => {
                summary.failed += 1;
                (State::Failed, Some(error.to_string()))
            }
        };
        update(&shared, out, &planned.key, state, error)?;
        overall.inc(1);
    }
    drop(outcomes);
    *manifest = shared.into_inner().unwrap_or_else(PoisonError::into_inner);
    overall.finish_and_clear();
    Ok(summary)
}

/// Sets a file's state and saves the manifest, under the lock.
fn update(
    manifest: &Mutex<Manifest>,
    out: &Path,
    key: &str,
    state: State,
    error: Option<String>,
) -> std::io::Result<()> {
    let mut manifest = manifest.lock().unwrap_or_else(PoisonError::into_inner);
    manifest.set(key, state, error);
    manifest.save(out)
}

/// Downloads one file unless it is already complete; marks it partial in the manifest
/// first, so that a kill during the download leaves that on record.
async fn archive_one(
    out: &Path,
    listing: &Listing,
    planned: &Planned,
    manifest: &Mutex<Manifest>,
    bars: &MultiProgress,
) -> Result<Outcome> {
    let Some(url) = &planned.url else {
        return Ok(Outcome::NotReady);
    };
    let target = manifest::path(out, &planned.key);
    // A file only appears at its final path once complete (downloads are renamed into
    // place after their size check), so its presence with the right size means done.
    if let Ok(meta) = std::fs::metadata(&target)
        && planned.entry.size.is_none_or(|size| size == meta.len())
    {
        return Ok(Outcome::AlreadyComplete);
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    update(manifest, out, &planned.key, State::Partial, None)?;
    let bar = bars.add(ProgressBar::new(planned.entry.size.unwrap_or(0)));
    bar.set_style(style(
        "{msg:40!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
    )?);
    bar.set_message(planned.key.clone());
    // A temporary link that expired since the listing is replaced before it is tried, and
    // one the server refuses as expired is replaced once.
    let mut url = url.clone();
    if let (Some(refresh), Some(webex)) = (&planned.refresh, &listing.webex)
        && refresh.expired()
        && let Some(fresh) = crate::webex::fresh_link(webex, refresh).await?
    {
        url = fresh;
    }
    let mut result = fetch(listing, planned, &url, &target, &bar).await;
    if let (Err(error), Some(refresh), Some(webex)) = (&result, &planned.refresh, &listing.webex)
        && link_refused(error)
        && let Some(fresh) = crate::webex::fresh_link(webex, refresh).await?
    {
        result = fetch(listing, planned, &fresh, &target, &bar).await;
    }
    bar.finish_and_clear();
    match result {
        Ok(()) => Ok(Outcome::Downloaded),
        Err(zoomgen_runtime::Error::Api(api)) if api.status == crate::webex::NOT_SCANNED => {
            Err(format!(
                "the file cannot be scanned for malware, so the server refuses it (HTTP {}): {api}",
                crate::webex::NOT_SCANNED
            )
            .into())
        }
        Err(error) => Err(error.into()),
    }
}

/// One download of `url` to `target`, resuming what an earlier attempt left.
async fn fetch(
    listing: &Listing,
    planned: &Planned,
    url: &str,
    target: &Path,
    bar: &ProgressBar,
) -> std::result::Result<(), zoomgen_runtime::Error> {
    let shown = bar.clone();
    let mut download = listing.api.download(url).progress(move |done, total| {
        if let Some(total) = total {
            shown.set_length(total);
        }
        shown.set_position(done);
    });
    if !planned.credentials {
        download = download.without_credentials();
    } else if let Some(token) = &planned.access_token {
        download = download.access_token(token.clone());
    }
    if let Some(size) = planned.entry.size {
        download = download.expected_size(size);
    }
    download.to_path(target).await.map(|_| ())
}

/// Whether a temporary link was refused as expired or gone.
fn link_refused(error: &zoomgen_runtime::Error) -> bool {
    matches!(error, zoomgen_runtime::Error::Api(api) if matches!(api.status, 401 | 403 | 404 | 410))
}

fn style(template: &str) -> Result<ProgressStyle> {
    Ok(ProgressStyle::with_template(template)?.progress_chars("=> "))
}
