//! The archive tool's Webex mode end to end against Webex's API mocked on 127.0.0.1:
//! recordings listed across `Link`-header pages, each one's files downloaded from its details'
//! temporary links (an expired one refreshed), killed and resumed; what cannot be downloaded is
//! recorded with why.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_test_support::file_server::{FileServer, holds};

/// Webex's `GET /recordings` item of `id`.
fn webex_recording(id: &str, topic: &str, recorded: &str, size: u64) -> Value {
    json!({
        "id": id, "meetingId": format!("{id}_I_166641849979635652"), "topic": topic,
        "createTime": recorded, "timeRecorded": recorded, "siteUrl": "site4-example.webex.com",
        // A page on the Webex site, not a file: the tool must not fetch it.
        "downloadUrl": format!("https://site4-example.webex.com/site4/lsr.php?RCID={id}"),
        "playbackUrl": "https://site4-example.webex.com/play",
        "format": "MP4", "serviceType": "MeetingCenter", "durationSeconds": 600,
        "sizeBytes": size, "status": "available",
    })
}

/// Get Recording Details of `listed`, with these temporary links (none: downloading is
/// prevented).
fn webex_details(listed: &Value, links: Option<Value>) -> Value {
    let mut details = listed.clone();
    if let Some(links) = links {
        details["temporaryDirectDownloadLinks"] = links;
    } else if let Some(map) = details.as_object_mut() {
        map.remove("downloadUrl");
    }
    details
}

async fn mount_details(api: &MockServer, id: &str, body: Value, times: Option<u64>) {
    let mock = Mock::given(method("GET"))
        .and(path(format!("/v1/recordings/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(body));
    match times {
        Some(n) => mock.up_to_n_times(n).mount(api).await,
        None => mock.mount(api).await,
    }
}

#[tokio::test]
async fn webex_mode_archives_the_files_of_each_recordings_details() {
    // The files live on another local origin than the API, as Webex's do.
    let files = FileServer::start().await;
    files.add_file("/dl/d.mp4", 1024 * KIB, 5);
    files.add_file("/dl/d-audio.mp3", 20 * KIB, 7);
    files.add_file("/dl/d.vtt", 2 * KIB, 8);
    files.add_file("/dl/e-fresh.mp4", 50 * KIB, 6);
    let later = "2999-01-01T00:00:00Z";
    let d = webex_recording(
        "91b6edce",
        "Sprint demo",
        "2024-06-30T22:00:00Z",
        1024 * KIB,
    );
    let e = webex_recording(
        "4f914b1d",
        "Design review",
        "2024-03-05T10:00:00Z",
        50 * KIB,
    );
    let prevented = webex_recording("7ee40776", "Board", "2024-02-01T09:00:00Z", 10 * KIB);
    let unscanned = webex_recording("aa11bb22", "Unscanned", "2024-01-15T09:00:00Z", 10 * KIB);

    let api = MockServer::start().await;
    let next = format!(
        "<{}/v1/recordings?max=100&cursor=p2>; rel=\"next\"",
        api.uri()
    );
    Mock::given(method("GET"))
        .and(path("/v1/recordings"))
        .and(query_param("cursor", "p2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [prevented, unscanned]})),
        )
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/recordings"))
        .and(query_param("from", "2024-01-01T00:00:00Z"))
        .and(query_param("to", "2024-07-01T00:00:00Z"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", next.as_str())
                .set_body_json(json!({"items": [d, e]})),
        )
        .mount(&api)
        .await;
    mount_details(
        &api,
        "91b6edce",
        webex_details(
            &d,
            Some(json!({
                "recordingDownloadLink": files.url("/dl/d.mp4"),
                "audioDownloadLink": files.url("/dl/d-audio.mp3"),
                "transcriptDownloadLink": files.url("/dl/d.vtt"),
                "expiration": later,
            })),
        ),
        None,
    )
    .await;
    // The details of `e` that each run's listing fetches hand out a link that has expired by
    // the time it is used (the file host no longer has it); fetched again when the host
    // refuses it, they have a fresh one.
    mount_details(
        &api,
        "4f914b1d",
        webex_details(
            &e,
            Some(json!({"recordingDownloadLink": files.url("/dl/e-old.mp4"), "expiration": later})),
        ),
        Some(2),
    )
    .await;
    mount_details(
        &api,
        "4f914b1d",
        webex_details(
            &e,
            Some(
                json!({"recordingDownloadLink": files.url("/dl/e-fresh.mp4"), "expiration": later}),
            ),
        ),
        None,
    )
    .await;
    mount_details(&api, "7ee40776", webex_details(&prevented, None), None).await;
    Mock::given(method("GET"))
        .and(path("/v1/recordings/aa11bb22"))
        .respond_with(ResponseTemplate::new(428).set_body_json(json!({
            "message": "The recording cannot be scanned for malware.", "trackingId": "t1",
        })))
        .mount(&api)
        .await;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let webex = |out: &Path| {
        let mut command = tool(out);
        // One file at a time, so the kill below leaves a known set of files behind.
        command
            .arg("--webex")
            .args(["--concurrency", "1"])
            .args(["--api-base", &format!("{}/v1", api.uri())])
            .env("WEBEX_TOKEN", "webex-token");
        command
    };

    // First run: killed while the large recording file is on its way, once part of it is on
    // disk.
    files.pause_per_chunk(Some(Duration::from_millis(20)));
    let first = webex(out).spawn().unwrap();
    kill_once(first, "the download was cut", || part_bytes(out) > 0).await;
    files.pause_per_chunk(None);

    // Second run: resumes and finishes.
    let second = webex(out).output().await.unwrap();
    let summary = String::from_utf8_lossy(&second.stdout);
    assert!(
        second.status.success(),
        "{summary}{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert!(
        summary.contains("4 downloaded, 0 already complete, 2 not ready, 0 failed"),
        "{summary}"
    );
    let d_dir = meeting_dir(out, "2024-06-30_Sprint_demo_91b6edce_I_166641849979635652");
    let e_dir = meeting_dir(
        out,
        "2024-03-05_Design_review_4f914b1d_I_166641849979635652",
    );
    assert!(
        holds(&d_dir.join("91b6edce.mp4"), 5, 1024 * KIB),
        "the recording, byte for byte"
    );
    assert!(
        holds(&d_dir.join("91b6edce-audio.mp3"), 7, 20 * KIB),
        "its audio"
    );
    assert!(
        holds(&d_dir.join("91b6edce-transcript.vtt"), 8, 2 * KIB),
        "its transcript"
    );
    assert!(
        holds(&e_dir.join("4f914b1d.mp4"), 6, 50 * KIB),
        "from the refreshed link"
    );

    let d_requests = files.requests_for("/dl/d.mp4");
    assert!(d_requests.len() >= 2, "{d_requests:?}");
    assert!(
        d_requests.last().and_then(|r| r.range.as_deref()).is_some(),
        "the rerun resumed with a range: {d_requests:?}"
    );
    assert_eq!(
        files.requests_for("/dl/e-old.mp4").len(),
        1,
        "the expired link, once"
    );
    assert!(
        files.requests().iter().all(|r| r.authorization.is_none()),
        "the Webex token never reaches the file host"
    );

    let done = manifest(out);
    let prevented = state_and_error(&done, "7ee40776");
    assert_eq!(prevented.0, "not_ready");
    assert!(
        prevented.1.contains("Prevent downloading"),
        "{}",
        prevented.1
    );
    let unscanned = state_and_error(&done, "aa11bb22");
    assert_eq!(unscanned.0, "not_ready");
    assert!(
        unscanned.1.contains("malware") && unscanned.1.contains("428"),
        "{}",
        unscanned.1
    );
}

/// Bytes in the `.part` files under `out/me`.
fn part_bytes(out: &Path) -> u64 {
    let Ok(folders) = std::fs::read_dir(out.join("me")) else {
        return 0;
    };
    folders
        .flatten()
        .filter_map(|folder| std::fs::read_dir(folder.path()).ok())
        .flatten()
        .flatten()
        .filter(|file| file.file_name().to_string_lossy().ends_with(".part"))
        .filter_map(|file| file.metadata().ok())
        .map(|meta| meta.len())
        .sum()
}

/// The state and error of the one manifest entry of `file_id`.
fn state_and_error(manifest: &Value, file_id: &str) -> (String, String) {
    let state = state_of(manifest, file_id);
    let files = manifest["files"].as_object().unwrap();
    let error = files
        .values()
        .find(|e| e["file_id"] == file_id)
        .and_then(|e| e["error"].as_str())
        .unwrap_or_default()
        .to_owned();
    (state, error)
}
