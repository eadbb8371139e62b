//! `--watch` end to end against Zoom's API and a file host mocked on 127.0.0.1: events are
//! archived as they arrive, byte for byte; killed (SIGKILL) while events keep coming, the
//! tool catches up by listing when it starts again, and the manifest has every file once.

// Helpers shared by the test files; this one uses some of them.
#[allow(dead_code)]
mod common;
#[allow(dead_code)]
mod zoom_api;

use common::*;
use zoom_api::*;
use zoomgen_test_support::file_server::{FileServer, holds};

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;
use zoom_client::meeting_events::types::{
    RecordingCompletedEvent, RecordingCompletedEventPayload, RecordingCompletedEventPayloadObject,
};
use zoom_client::meeting_events::webhooks::Event;
use zoom_client::runtime::chrono::Utc;
use zoom_client::runtime::mock::MockServer;
use zoom_client::runtime::vendor::zoom::webhook::WebhookVerifier;

const SECRET: &str = "watch-webhook-secret";

/// A meeting of today with one file: its uuid, file id, size and content seed.
struct Recorded {
    uuid: &'static str,
    file: &'static str,
    len: u64,
    seed: u64,
}

const MEETINGS: [Recorded; 4] = [
    Recorded {
        uuid: "m1-uuid==",
        file: "f1",
        len: 64 * KIB,
        seed: 11,
    },
    Recorded {
        uuid: "m2-uuid==",
        file: "f2",
        len: 96 * KIB,
        seed: 12,
    },
    Recorded {
        uuid: "m3-uuid==",
        file: "f3",
        len: 2048 * KIB,
        seed: 13,
    },
    Recorded {
        uuid: "m4-uuid==",
        file: "f4",
        len: 80 * KIB,
        seed: 14,
    },
];

/// The meeting as the listing shows it.
fn listed(files: &FileServer, recorded: &Recorded) -> Meeting {
    let today = Utc::now().date_naive();
    let url = files.url(&format!("/rec/download/{}", recorded.file));
    Meeting {
        id: Some(1),
        ..meeting(
            recorded.uuid,
            &format!("Standup {}", recorded.file),
            &format!("{today}T09:00:00Z"),
            vec![File {
                recording_type: Some("gallery_view".into()),
                ..file(Some(recorded.file), "MP4", recorded.len, url)
            }],
        )
    }
}

/// Posts Zoom's `recording.completed` of `recorded` (its `payload.object` the meeting as the
/// listing shows it), signed as Zoom signs, through the test kit; `None` when nobody answers.
async fn deliver(
    api: &MockServer,
    url: &str,
    files: &FileServer,
    recorded: &Recorded,
) -> Option<u16> {
    // The event's object is the listing's meeting under the events' own type.
    let object: RecordingCompletedEventPayloadObject =
        serde_json::from_value(serde_json::to_value(listed(files, recorded)).unwrap()).unwrap();
    let event = Event::RecordingCompleted(Box::new(RecordingCompletedEvent {
        event: Some("recording.completed".to_owned()),
        event_ts: Some(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis() as i64,
        ),
        download_token: Some("event-download-token".into()),
        payload: Some(RecordingCompletedEventPayload {
            account_id: Some("acct".to_owned()),
            object: Some(object),
            ..Default::default()
        }),
        ..Default::default()
    }));
    let sender = api.webhooks(WebhookVerifier::new(SECRET).unwrap());
    sender.send(url, &event).await.ok()
}

/// The tool watching with a webhook listener on a free port; its webhook URL.
async fn watch(api: &MockServer, out: &Path) -> (Child, String) {
    let today = Utc::now().date_naive().to_string();
    let mut command = zoom_mode(api, tool_over(out, &today, &today));
    command
        .args(["--watch", "--listen", "127.0.0.1:0"])
        .env("ZOOM_WEBHOOK_SECRET", SECRET);
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("the tool says where it listens")
            .unwrap()
            .expect("the tool is running");
        if let Some(address) = line.strip_prefix("listening on ") {
            break format!("http://{address}/webhooks/zoom");
        }
    };
    // The rest of its output is not read; keep the pipe open and drained.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, url)
}

/// Waits until every file of `meetings` is complete in the manifest.
async fn complete(out: &Path, meetings: &[&Recorded]) {
    for _ in 0..6000 {
        let done = std::fs::read(out.join("manifest.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .is_some_and(|manifest| {
                let files = manifest["files"].as_object().cloned().unwrap_or_default();
                meetings.iter().all(|m| {
                    files
                        .values()
                        .any(|e| e["file_id"] == m.file && e["state"] == "complete")
                })
            });
        if done {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("never complete: {}", manifest(out));
}

#[tokio::test]
async fn events_are_archived_and_a_restart_catches_up_with_nothing_twice() {
    let files = FileServer::start().await;
    for meeting in &MEETINGS {
        files.add_file(
            &format!("/rec/download/{}", meeting.file),
            meeting.len,
            meeting.seed,
        );
    }
    // M3 is slow, so that the kill falls in its download.
    let listing = Arc::new(Mutex::new(vec![listed(&files, &MEETINGS[0])]));
    let api = zoom_api_listing(listing.clone()).await;
    let out = tempfile::tempdir().unwrap();
    let out = out.path();

    // Start: the catch-up lists M1; M2 arrives as an event.
    let (tool, url) = watch(&api, out).await;
    complete(out, &[&MEETINGS[0]]).await;
    assert_eq!(deliver(&api, &url, &files, &MEETINGS[1]).await, Some(200));
    complete(out, &[&MEETINGS[1]]).await;

    // M3 arrives and is under way when the tool is killed; M4 arrives while it is down.
    files.pause_per_chunk(Some(Duration::from_millis(20)));
    assert_eq!(deliver(&api, &url, &files, &MEETINGS[2]).await, Some(200));
    // Past the tool's 256 KiB write buffer, so that the cut file holds bytes to resume from.
    kill_once(tool, "M3 was under way", || {
        files.sent("/rec/download/f3") >= 1024 * KIB
    })
    .await;
    assert_eq!(
        deliver(&api, &url, &files, &MEETINGS[3]).await,
        None,
        "nobody answers"
    );
    files.pause_per_chunk(None);

    // The API lists everything now; the restart catches up.
    *listing.lock().unwrap() = MEETINGS.iter().map(|m| listed(&files, m)).collect();
    let (_tool, _url) = watch(&api, out).await;
    complete(out, &MEETINGS.iter().collect::<Vec<_>>()).await;

    let manifest = manifest(out);
    let entries = manifest["files"].as_object().unwrap();
    assert_eq!(
        entries.len(),
        MEETINGS.len(),
        "every file once: {manifest:#}"
    );
    let mut requests: HashMap<String, usize> = HashMap::new();
    for request in files.requests() {
        *requests.entry(request.path).or_default() += 1;
    }
    for meeting in &MEETINGS {
        let key = entries
            .iter()
            .find(|(_, entry)| entry["file_id"] == meeting.file)
            .map(|(key, _)| key.clone())
            .unwrap();
        assert!(
            holds(&out.join(&key), meeting.seed, meeting.len),
            "{key} byte for byte"
        );
    }
    // What was complete before the kill was not fetched again; the cut file was resumed.
    assert_eq!(requests["/rec/download/f1"], 1);
    assert_eq!(requests["/rec/download/f2"], 1);
    assert_eq!(requests["/rec/download/f4"], 1);
    let resumed = files.requests_for("/rec/download/f3");
    assert_eq!(resumed.len(), 2, "cut, then resumed");
    assert!(resumed[1].range_start().is_some_and(|start| start > 0));
    // The event's files went with the event's download token.
    let f2 = files.requests_for("/rec/download/f2");
    assert_eq!(
        f2[0].authorization.as_deref(),
        Some("Bearer event-download-token")
    );
}
