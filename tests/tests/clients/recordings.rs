//! Cloud recordings through the generated clients, against servers on 127.0.0.1: listing a
//! six-month range in month windows with meetings on the window edges, downloads cut and
//! resumed (the 50 MB one in constant memory is `constant_memory.rs`), and a verified webhook
//! decoded into the typed event whose `download_token` then downloads the file.

use zoomgen_test_support::file_server;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use file_server::{FileServer, holds};
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use zoom_client::runtime::chrono::{Datelike, Days, Months, NaiveDate};
use zoom_client::runtime::http::HeaderMap;
use zoom_client::runtime::vendor::zoom::webhook::{Incoming, WebhookVerifier};
use zoom_client::runtime::{ApiClient, RetryConfig};
use zoom_client::{Credentials, meeting_events, meetings, videosdk, videosdk_events};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn fast_retry() -> RetryConfig {
    RetryConfig::default()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
        .with_jitter(false)
}

/// A client of `base` that trusts the file servers on 127.0.0.1, which stand in for Zoom's
/// download hosts.
fn api_client(base: &str, retry: RetryConfig) -> ApiClient {
    ApiClient::builder(base, Credentials::bearer("api-token"))
        .vendor(&zoom_client::runtime::vendor::zoom::ZOOM)
        .download_hosts(["127.0.0.1"])
        .retry(retry)
        .build()
        .unwrap()
}

/// A Zoom recordings listing over a fixed set of recordings: each request returns those
/// whose start date lies within a day of its `from`..`to` (as Zoom does when it filters by the
/// account's timezone), `page_size` at a time, and records every window it was asked for.
struct Listing {
    /// (identifier, start time) of every recording.
    items: Vec<(String, String)>,
    /// `meetings` or `sessions`.
    list_field: &'static str,
    /// `uuid` or `session_id`.
    key_field: &'static str,
    page_size: usize,
    seen: Arc<Seen>,
}

/// What a [`Listing`] was asked for and answered.
#[derive(Default)]
struct Seen {
    /// The `from`..`to` of each first page.
    windows: Mutex<Vec<(NaiveDate, NaiveDate)>>,
    /// Items sent, over all pages.
    served: AtomicUsize,
}

impl Respond for Listing {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let (Some(from), Some(to)) = (query("from"), query("to")) else {
            return ResponseTemplate::new(400)
                .set_body_json(json!({"code": 300, "message": "from and to are required"}));
        };
        let (from, to) = (date(&from), date(&to));
        let last_of_month = from
            .with_day(1)
            .unwrap()
            .checked_add_months(Months::new(1))
            .unwrap()
            .pred_opt()
            .unwrap();
        if to > last_of_month || to < from {
            return ResponseTemplate::new(400).set_body_json(
                json!({"code": 300, "message": "The date range can be at most one month."}),
            );
        }
        let start: usize = query("next_page_token")
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .unwrap_or(0);
        if start == 0 {
            self.seen.windows.lock().unwrap().push((from, to));
        }
        let slack_from = from - Days::new(1);
        let slack_to = to + Days::new(1);
        let matching: Vec<&(String, String)> = self
            .items
            .iter()
            .filter(|(_, start)| (slack_from..=slack_to).contains(&date(&start[..10])))
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .skip(start)
            .take(self.page_size)
            .map(|(key, start_time)| {
                json!({
                    (self.key_field): key,
                    "id": 6840331990u64,
                    "topic": format!("Weekly sync {key}"),
                    "session_name": format!("Session {key}"),
                    "start_time": start_time,
                    "recording_files": [],
                })
            })
            .collect();
        self.seen.served.fetch_add(page.len(), Ordering::SeqCst);
        let next = if start + self.page_size < matching.len() {
            (start + self.page_size).to_string()
        } else {
            String::new()
        };
        ResponseTemplate::new(200).set_body_json(json!({
            "from": from.to_string(),
            "to": to.to_string(),
            "page_size": self.page_size,
            "total_records": matching.len(),
            "next_page_token": next,
            (self.list_field): page,
        }))
    }
}

/// Recordings from January to June 2024, most of them on a window edge (the last or first
/// day of a month), so adjacent windows both return them.
fn edge_recordings() -> Vec<(String, String)> {
    [
        "2024-01-01T00:05:00Z",
        "2024-01-15T10:00:00Z",
        "2024-01-31T23:30:00Z",
        "2024-02-01T00:10:00Z",
        "2024-02-29T12:00:00Z",
        "2024-03-01T08:00:00Z",
        "2024-03-31T22:00:00Z",
        "2024-04-01T01:00:00Z",
        "2024-04-30T23:59:00Z",
        "2024-05-01T00:00:00Z",
        "2024-05-31T18:00:00Z",
        "2024-06-01T06:00:00Z",
        "2024-06-30T23:00:00Z",
    ]
    .iter()
    .enumerate()
    // Real UUIDs contain `/`, `+` and `=`.
    .map(|(i, start)| (format!("/uuid+{i}=="), (*start).to_owned()))
    .collect()
}

fn month_windows_of_2024_h1() -> Vec<(NaiveDate, NaiveDate)> {
    [
        ("2024-01-01", "2024-01-31"),
        ("2024-02-01", "2024-02-29"),
        ("2024-03-01", "2024-03-31"),
        ("2024-04-01", "2024-04-30"),
        ("2024-05-01", "2024-05-31"),
        ("2024-06-01", "2024-06-30"),
    ]
    .iter()
    .map(|(a, b)| (date(a), date(b)))
    .collect()
}

/// A mock API listing the edge recordings at `at`, two a page, under `list_field`, each
/// keyed by `key_field`; what it served, and a client of it.
async fn listing(
    at: &str,
    list_field: &'static str,
    key_field: &'static str,
) -> (MockServer, Arc<Seen>, ApiClient) {
    let server = MockServer::start().await;
    let seen = Arc::new(Seen::default());
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(Listing {
            items: edge_recordings(),
            list_field,
            key_field,
            page_size: 2,
            seen: seen.clone(),
        })
        .mount(&server)
        .await;
    let client = api_client(&format!("{}/v2", server.uri()), fast_retry());
    (server, seen, client)
}

/// Every recording came out once, in windows of calendar months, although the edges were
/// served twice.
fn assert_each_once(keys: Vec<String>, seen: &Seen) {
    let expected: HashSet<String> = edge_recordings().into_iter().map(|(k, _)| k).collect();
    let unique: HashSet<String> = keys.iter().cloned().collect();
    assert_eq!(keys.len(), unique.len(), "duplicates in {keys:?}");
    assert_eq!(unique, expected);
    assert_eq!(*seen.windows.lock().unwrap(), month_windows_of_2024_h1());
    let served = seen.served.load(Ordering::SeqCst);
    assert!(served > expected.len() + 5, "only {served} items served");
}

#[tokio::test]
async fn six_months_of_meeting_recordings_in_month_windows_each_meeting_once() {
    let (_server, seen, api) = listing("/v2/users/me/recordings", "meetings", "uuid").await;
    let client = meetings::Client::from_api_client(api);
    let meetings: Vec<_> = client
        .recordings_list("me")
        .page_size(2)
        .items_between(date("2024-01-01"), date("2024-06-30"))
        .collect()
        .await;
    let keys = meetings
        .into_iter()
        .map(|m| m.unwrap().uuid.unwrap())
        .collect();
    assert_each_once(keys, &seen);
}

#[tokio::test]
async fn six_months_of_video_sdk_recordings_each_session_once() {
    let (_server, seen, api) = listing("/v2/videosdk/recordings", "sessions", "session_id").await;
    let client = videosdk::Client::from_api_client(api);
    let sessions: Vec<_> = client
        .recordings_list()
        .page_size(2)
        .items_between(date("2024-01-01"), date("2024-06-30"))
        .collect()
        .await;
    let keys = sessions
        .into_iter()
        .map(|s| s.unwrap().session_id.unwrap())
        .collect();
    assert_each_once(keys, &seen);
}

const MB: u64 = 1024 * 1024;

/// A cut after progress resumes at once: with a 30 s backoff and a 1 s budget for retries, a
/// backoff before resuming would end the download with the error.
#[tokio::test]
async fn a_download_cut_after_progress_resumes_without_a_backoff() {
    let files = FileServer::start().await;
    let len = 2 * MB;
    files.add_file("/rec/download/cut", len, 13);
    files.cut_next_after("/rec/download/cut", MB);
    let slow_backoff = RetryConfig::default()
        .with_initial_backoff(Duration::from_secs(30))
        .with_max_backoff(Duration::from_secs(30))
        .with_jitter(false)
        .with_max_total(Duration::from_secs(1));
    let client = api_client("https://api.zoom.us/v2", slow_backoff);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("cut.mp4");
    let done = client
        .download(&files.url("/rec/download/cut"))
        .expected_size(len)
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(done.requests, 2);
    assert!(holds(&target, 13, len));
}

/// The folder is created; a complete file already in place is not fetched again unless asked.
#[tokio::test]
async fn downloads_make_their_folder_and_skip_a_complete_file() {
    let files = FileServer::start().await;
    files.add_file("/rec/download/s", 4096, 17);
    let client = api_client("https://api.zoom.us/v2", fast_retry());
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("2024/05/meeting").join("s.mp4");
    let url = files.url("/rec/download/s");
    let first = client
        .download(&url)
        .expected_size(4096_i64)
        .to_path(&target)
        .await
        .unwrap();
    assert!(!first.already_complete);
    assert!(holds(&target, 17, 4096));
    let again = client
        .download(&url)
        .expected_size(4096_i64)
        .to_path(&target)
        .await
        .unwrap();
    assert!(again.already_complete);
    assert_eq!(again.requests, 0);
    assert_eq!(files.requests_for("/rec/download/s").len(), 1);
    let forced = client
        .download(&url)
        .expected_size(4096_u64)
        .replace_existing()
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(forced.requests, 1);
    let negative = client
        .download(&url)
        .expected_size(-1_i64)
        .to_path(&target)
        .await;
    assert!(
        negative
            .unwrap_err()
            .to_string()
            .contains("-1 is not a file size")
    );
}

#[tokio::test]
async fn an_interrupted_download_is_finished_by_the_next_call() {
    let files = FileServer::start().await;
    let len = 3 * MB;
    files.add_file("/rec/download/f", len, 11);
    files.cut_next_after("/rec/download/f", MB);
    let client = api_client("https://api.zoom.us/v2", RetryConfig::none());
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("f.m4a");
    let url = files.url("/rec/download/f");
    let first = client
        .download(&url)
        .expected_size(len)
        .to_path(&target)
        .await;
    assert!(first.is_err());
    assert!(!target.exists());
    let part = zoom_client::runtime::download::part_path(&target);
    let kept = std::fs::metadata(&part).unwrap().len();
    assert!(kept > 0 && kept <= MB);
    let done = client
        .download(&url)
        .expected_size(len)
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!((done.resumed_from, done.requests), (kept, 1));
    assert!(holds(&target, 11, len));
    assert!(!part.exists());
}

const SECRET: &str = "webhook-secret";

fn signed_headers(verifier: &WebhookVerifier, body: &[u8]) -> HeaderMap {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let mut headers = HeaderMap::new();
    headers.insert("x-zm-request-timestamp", now.parse().unwrap());
    headers.insert("x-zm-signature", verifier.sign(&now, body).parse().unwrap());
    headers
}

#[tokio::test]
async fn a_verified_recording_completed_event_downloads_its_files_with_the_download_token() {
    let files = FileServer::start().await;
    files.add_file("/rec/webhook_download/abc", 4096, 3);
    let body = json!({
        "event": "recording.completed",
        "event_ts": 1_718_000_000_123u64,
        "download_token": "dl-token-from-webhook",
        "payload": {
            "account_id": "EABkdslfBBBdk",
            "object": {
                "uuid": "/ajXp112QmuoKj4854875==",
                "id": 68_000_000_031_879u64,
                "host_id": "z8yBXksaAAjdhfsfdfkjgg",
                "topic": "Quarterly review",
                "type": 2,
                "start_time": "2024-06-10T09:00:00Z",
                "timezone": "",
                "duration": 61,
                "total_size": 4096,
                "recording_count": 2,
                "recording_files": [
                    {
                        "id": "96119skjlfhdshkjf-djkfndjf0-f791",
                        "meeting_id": "/ajXp112QmuoKj4854875==",
                        "recording_start": "2024-06-10T09:00:05Z",
                        "recording_end": "2024-06-10T10:01:00Z",
                        "file_type": "MP4",
                        "file_extension": "MP4",
                        "file_size": 4096,
                        "download_url": files.url("/rec/webhook_download/abc"),
                        "status": "completed",
                        "recording_type": "shared_screen_with_speaker_view"
                    },
                    {
                        "meeting_id": "/ajXp112QmuoKj4854875==",
                        "recording_start": "2024-06-10T09:00:05Z",
                        "recording_end": "",
                        "file_type": "TIMELINE",
                        "download_url": files.url("/rec/webhook_download/timeline")
                    }
                ]
            }
        }
    });
    let raw = serde_json::to_vec(&body).unwrap();
    let verifier = WebhookVerifier::new(SECRET).unwrap();
    let headers = signed_headers(&verifier, &raw);
    let Ok(Incoming::Event(verified)) = verifier.handle(&headers, &raw) else {
        panic!("the signed event was not accepted");
    };
    let meeting_events::webhooks::Event::RecordingCompleted(event) =
        meeting_events::webhooks::Event::from_slice(verified).unwrap()
    else {
        panic!("not decoded as recording.completed");
    };
    let token = event.download_token.clone().unwrap();
    let recording = event
        .payload
        .as_ref()
        .and_then(|p| p.object.as_ref())
        .unwrap();
    assert_eq!(recording.uuid.as_deref(), Some("/ajXp112QmuoKj4854875=="));
    let files_listed = recording.recording_files.clone().unwrap();
    let file = &files_listed[0];
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("meeting.mp4");
    api_client("https://api.zoom.us/v2", fast_retry())
        .download(file.download_url.as_deref().unwrap())
        .access_token(token)
        .expected_size(file.file_size.unwrap())
        .to_path(&target)
        .await
        .unwrap();
    assert!(holds(&target, 3, 4096));
    let sent = files.requests();
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some("Bearer dl-token-from-webhook")
    );
    assert!(!sent[0].path.contains("token"));

    // The same body, altered after signing, is refused.
    let tampered = String::from_utf8(raw)
        .unwrap()
        .replace("Quarterly", "Quarterly!");
    assert!(verifier.handle(&headers, tampered.as_bytes()).is_err());
}

#[test]
fn the_video_sdk_session_recording_completed_event_decodes() {
    // The outline of Zoom's Video SDK guide, with values in place of its type names.
    let body = br#"{"event": "session.recording_completed", "event_ts": 1643743200000, "payload": {"account_id": "D8cJuqWVQ623CI4Q8yQK0Q", "object": {"session_id": "kwPoX6bTS4uWBYwmEppXvZ++", "session_name": "testSDK124", "start_time": "2022-02-01T19:12:01Z", "timezone": "", "recording_files": [{"id": "f0b0b02a-24e6-4b99-af67-b14c03ba42c7", "recording_start": "2022-02-01T19:13:02Z", "recording_end": "2022-02-01T19:14:12Z", "file_name": "", "file_path": "", "file_type": "MP4", "file_size": 3477124, "file_extension": "MP4", "download_url": "https://zoom.us/rec/download/H6m6EAjAkKYy", "status": "completed", "recording_type": "shared_screen_with_speaker_view"}], "participant_audio_files": [{"id": "30306814-b919-41e7-9iit-e20ed2c7ab21", "recording_start": "2022-02-01T19:13:02Z", "recording_end": "2022-02-01T19:14:12Z", "file_type": "M4A", "file_name": "Audio only - Example53", "file_size": 1104796, "file_extension": "M4A", "download_url": "https://zoom.us/rec/download/5JNOuxxPKaYQ", "file_path": "", "status": "completed", "recording_type": "audio_only"}]}}}"#;
    let event = videosdk_events::webhooks::Event::from_slice(body).unwrap();
    assert_eq!(event.name(), "session.recording_completed");
    let videosdk_events::webhooks::Event::SessionRecordingCompleted(event) = event else {
        panic!("not decoded as session.recording_completed");
    };
    let session = event
        .payload
        .as_ref()
        .and_then(|p| p.object.as_ref())
        .unwrap();
    assert_eq!(
        session
            .session_id
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("kwPoX6bTS4uWBYwmEppXvZ++")
    );
    let files = session.recording_files.as_deref().unwrap();
    assert_eq!(files[0].file_size, Some(3_477_124));
    let audio = session.participant_audio_files.as_deref().unwrap();
    assert_eq!(audio[0].recording_type.as_deref(), Some("audio_only"));
    // Re-encoding gives the same JSON.
    let again = serde_json::to_value(videosdk_events::webhooks::Event::SessionRecordingCompleted(
        event,
    ))
    .unwrap();
    assert_eq!(again, serde_json::from_slice::<Value>(body).unwrap());
}
