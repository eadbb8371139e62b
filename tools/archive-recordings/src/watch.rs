//! `--watch`: archive each recording the moment it completes, and miss nothing while the tool
//! was down.
//!
//! Events come from webhooks (`--listen`, through the runtime's receiver: verified,
//! deduplicated, answered at once) or from Zoom's WebSocket subscription (`--subscription`).
//! A `recording.completed` event's files are downloaded with its `download_token`, a Video
//! SDK `session.recording_completed` event's with the client's sign-in, into the same places
//! and manifest as the batch mode. At start and after every reconnect of the subscription (and
//! on each Webex `recordings` `created` notification) the tool catches up by listing: from the
//! day OUT/watch.json names (the day before the last complete catch-up; at first `--from`) to
//! today. Files already complete are skipped, so nothing is fetched twice.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use zoom_client::{meeting_events, videosdk_events};
use zoomgen_runtime::chrono::{Days as DayCount, NaiveDate, Utc};
use zoomgen_runtime::events::Receiver;
use zoomgen_runtime::vendor::webex::webhook::{Notification, WebhookVerifier as WebexVerifier};
use zoomgen_runtime::vendor::zoom::webhook::WebhookVerifier;
use zoomgen_runtime::vendor::zoom::websocket::{Subscribed, Subscription};
use zoomgen_runtime::wire::DateTime;
use zoomgen_runtime::{ApiClient, SharedState};

use crate::Result;
use crate::archive;
use crate::cli::Args;
use crate::listing::{self, Days, FileFacts, Listing, plan_meeting};
use crate::manifest::Manifest;
use crate::plan::Planned;

/// The file under OUT that keeps where the next catch-up starts.
const STATE_FILE: &str = "watch.json";

/// What the watch loop is asked to do.
enum Signal {
    /// List what may have been missed, and archive it.
    CatchUp,
    /// Archive these files of one event.
    Files(Vec<Planned>),
}

/// Where the next catch-up starts (`yyyy-mm-dd`).
#[derive(Debug, Serialize, Deserialize)]
struct WatchState {
    since: String,
}

pub async fn run(args: &Args) -> Result<()> {
    let api = if args.webex {
        listing::webex_api(args)?
    } else {
        listing::zoom_api(args)?
    };
    let (signals, mut incoming) = mpsc::channel(64);
    // Events that arrive while a catch-up runs wait here; the first catch-up goes first.
    signals.send(Signal::CatchUp).await?;
    if let Some(address) = args.listen {
        listen(args, address, signals.clone()).await?;
    }
    if let Some(subscription) = &args.subscription {
        follow(args, &api, subscription, signals.clone())?;
    }
    drop(signals);
    let mut since = load_state(&args.out)?.unwrap_or(args.from);
    while let Some(signal) = incoming.recv().await {
        let mut manifest = Manifest::load(&args.out)?;
        match signal {
            Signal::CatchUp => {
                let today = Utc::now().date_naive();
                let days = Days {
                    from: since.min(today),
                    to: today,
                };
                println!("catching up: {} to {}", days.from, days.to);
                let listing = if args.webex {
                    listing::webex_files(api.clone(), &args.user, days).await
                } else {
                    listing::zoom_files(api.clone(), &args.user, days).await
                };
                let summary = match listing {
                    Ok(listing) => {
                        archive::run(
                            &args.out,
                            listing,
                            &mut manifest,
                            usize::from(args.concurrency),
                        )
                        .await?
                    }
                    Err(error) => {
                        eprintln!(
                            "archive-recordings: catching up failed (next time again): {error}"
                        );
                        continue;
                    }
                };
                println!("caught up: {summary}");
                if summary.failed == 0 && summary.not_ready == 0 {
                    // Recordings of yesterday may still be processing: listed again next time.
                    since = today.checked_sub_days(DayCount::new(1)).unwrap_or(today);
                    save_state(&args.out, since)?;
                }
            }
            Signal::Files(files) => {
                let listing = Listing {
                    api: api.clone(),
                    webex: None,
                    files,
                };
                let summary = archive::run(
                    &args.out,
                    listing,
                    &mut manifest,
                    usize::from(args.concurrency),
                )
                .await?;
                println!("event: {summary}");
            }
        }
    }
    Ok(())
}

/// Serves the webhook routes on `address`; prints the address it listens on.
async fn listen(
    args: &Args,
    address: std::net::SocketAddr,
    signals: mpsc::Sender<Signal>,
) -> Result<()> {
    let state: Arc<dyn SharedState> = Arc::new(zoomgen_runtime::LocalState::new());
    let mut router = axum::Router::new();
    if let Some(secret) = &args.zoom_webhook_secret {
        let (user, to_meetings) = (args.user.clone(), signals.clone());
        let meetings = Receiver::builder(WebhookVerifier::new(secret.clone())?)
            .shared_state(state.clone())
            .spawn(move |event: meeting_events::webhooks::Event| {
                let files = meeting_files(&user, &event);
                let to_meetings = to_meetings.clone();
                async move {
                    if let Some(files) = files {
                        let _ = to_meetings.send(Signal::Files(files)).await;
                    }
                }
            });
        let (user, to_sessions) = (args.user.clone(), signals.clone());
        let sessions = Receiver::builder(WebhookVerifier::new(secret.clone())?)
            .shared_state(state.clone())
            .spawn(move |event: videosdk_events::webhooks::Event| {
                let files = session_files(&user, &event);
                let to_sessions = to_sessions.clone();
                async move {
                    if let Some(files) = files {
                        let _ = to_sessions.send(Signal::Files(files)).await;
                    }
                }
            });
        router = router
            .route("/webhooks/zoom", meetings.route())
            .route("/webhooks/videosdk", sessions.route());
    }
    if let (true, Some(secret)) = (args.webex, &args.webex_webhook_secret) {
        let to_webex = signals.clone();
        let webex = Receiver::builder(WebexVerifier::new(secret.clone())?)
            .shared_state(state.clone())
            .spawn(move |notification: Notification| {
                let to_webex = to_webex.clone();
                async move {
                    // A recording's links are listed with it: a catch-up fetches the new one.
                    if notification.resource == "recordings" && notification.event == "created" {
                        let _ = to_webex.send(Signal::CatchUp).await;
                    }
                }
            });
        router = router.route("/webhooks/webex", webex.route());
    }
    let listener = tokio::net::TcpListener::bind(address).await?;
    println!("listening on {}", listener.local_addr()?);
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            eprintln!("archive-recordings: the webhook server stopped: {error}");
        }
    });
    Ok(())
}

/// Follows the WebSocket subscription: each event's files, and a catch-up after every
/// reconnect (the first connection's is the start's).
fn follow(
    args: &Args,
    api: &ApiClient,
    subscription: &str,
    signals: mpsc::Sender<Signal>,
) -> Result<()> {
    let mut events = Subscription::new(api, subscription)
        .url(&args.websocket_url)?
        .events::<meeting_events::webhooks::Event>();
    let user = args.user.clone();
    tokio::spawn(async move {
        let mut connected_before = false;
        while let Some(item) = events.next().await {
            let signal = match item {
                Ok(Subscribed::Connected) if connected_before => Signal::CatchUp,
                Ok(Subscribed::Connected) => {
                    connected_before = true;
                    continue;
                }
                Ok(Subscribed::Event(event)) => match meeting_files(&user, &event) {
                    Some(files) => Signal::Files(files),
                    None => continue,
                },
                Err(error) => {
                    eprintln!("archive-recordings: subscription: {error}");
                    continue;
                }
            };
            if signals.send(signal).await.is_err() {
                return;
            }
        }
    });
    Ok(())
}

/// The files of a `recording.completed` event, downloaded with its `download_token`.
fn meeting_files(user: &str, event: &meeting_events::webhooks::Event) -> Option<Vec<Planned>> {
    let meeting_events::webhooks::Event::RecordingCompleted(event) = event else {
        return None;
    };
    let object = event.payload.as_ref()?.object.as_ref()?;
    let facts = object
        .recording_files
        .iter()
        .flatten()
        .map(|file| FileFacts {
            id: file.id.clone(),
            file_type: file.file_type.as_ref().map(ToString::to_string),
            file_extension: file.file_extension.clone(),
            recording_type: file.recording_type.clone(),
            status: file.status.clone(),
            download_url: file.download_url.clone(),
            file_size: file.file_size,
        });
    let start = object.start_time.as_ref().map(DateTime::as_str);
    let mut files = plan_meeting(
        user,
        object.uuid.as_deref().unwrap_or_default(),
        object.topic.as_deref().unwrap_or_default(),
        start.unwrap_or_default(),
        facts,
    );
    for file in &mut files {
        file.access_token.clone_from(&event.download_token);
    }
    Some(files)
}

/// The files of a Video SDK `session.recording_completed` event.
fn session_files(user: &str, event: &videosdk_events::webhooks::Event) -> Option<Vec<Planned>> {
    let videosdk_events::webhooks::Event::SessionRecordingCompleted(event) = event else {
        return None;
    };
    let object = event.payload.as_ref()?.object.as_ref()?;
    let files = object
        .recording_files
        .iter()
        .flatten()
        .chain(object.participant_audio_files.iter().flatten());
    let facts = files.map(|file| FileFacts {
        id: file.id.clone(),
        file_type: file.file_type.clone(),
        file_extension: file.file_extension.clone(),
        recording_type: file.recording_type.clone(),
        status: file.status.clone(),
        download_url: file.download_url.clone(),
        file_size: file.file_size,
    });
    let session = object.session_id.as_ref().map(ToString::to_string);
    let start = object.start_time.as_ref().map(DateTime::as_str);
    Some(plan_meeting(
        user,
        session.as_deref().unwrap_or_default(),
        object.session_name.as_deref().unwrap_or_default(),
        start.unwrap_or_default(),
        facts,
    ))
}

fn state_path(out: &Path) -> PathBuf {
    out.join(STATE_FILE)
}

/// The day the next catch-up starts, when an earlier watch of OUT left one.
fn load_state(out: &Path) -> Result<Option<NaiveDate>> {
    let path = state_path(out);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    let state: WatchState = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} does not read: {e}", path.display()))?;
    let since = state.since.parse().map_err(|e| {
        format!(
            "{}: `since` {:?} is not a date: {e}",
            path.display(),
            state.since
        )
    })?;
    Ok(Some(since))
}

/// Saves the state by rename, so that a kill leaves the old or the new one whole.
fn save_state(out: &Path, since: NaiveDate) -> Result<()> {
    let path = state_path(out);
    let temporary = out.join(format!("{STATE_FILE}.{}.tmp", std::process::id()));
    let state = WatchState {
        since: since.to_string(),
    };
    std::fs::write(&temporary, serde_json::to_vec_pretty(&state)?)?;
    std::fs::rename(&temporary, &path)?;
    Ok(())
}
