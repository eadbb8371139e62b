//! The archive tool's Webex mode end to end against Webex's API mocked on 127.0.0.1:
//! recordings listed across `Link`-header pages, each one's files downloaded from its details'
//! temporary links (an expired one refreshed), killed and resumed; what cannot be downloaded is
//! recorded with why.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use serde_json::Value;
use webex_client::meetings::{self, Client, types};
use zoom_client::Credentials;
use zoom_client::runtime::mock::{Failure, MockServer};
use zoomgen_test_support::file_server::{FileServer, holds};

type Recording = types::RecordingObject;
type Details = types::RecordingObjectWithDirectDownloadLinks;
type Links = types::RecordingObjectWithDirectDownloadLinksTemporaryDirectDownloadLinks;

/// Webex's `GET /recordings` item of `id`.
fn webex_recording(id: &str, topic: &str, recorded: &str, size: u64) -> Recording {
    Recording {
        id: Some(id.to_owned()),
        meeting_id: Some(format!("{id}_I_166641849979635652")),
        topic: Some(topic.to_owned()),
        create_time: Some(recorded.into()),
        time_recorded: Some(recorded.into()),
        site_url: Some("site4-example.webex.com".to_owned()),
        // A page on the Webex site, not a file: the tool must not fetch it.
        download_url: Some(format!(
            "https://site4-example.webex.com/site4/lsr.php?RCID={id}"
        )),
        playback_url: Some("https://site4-example.webex.com/play".to_owned()),
        format: Some("MP4".into()),
        service_type: Some("MeetingCenter".into()),
        duration_seconds: Some(600),
        size_bytes: Some(size as i64),
        status: Some("available".into()),
        ..Default::default()
    }
}

/// Get Recording Details of `listed`, with these temporary links (none: downloading is
/// prevented, and the details have no download URL).
fn webex_details(listed: &Recording, links: Option<Links>) -> Details {
    // The details are the listed recording under the details' own type, and the links.
    let details: Details = serde_json::from_value(serde_json::to_value(listed).unwrap()).unwrap();
    match links {
        Some(links) => Details {
            temporary_direct_download_links: Some(links),
            ..details
        },
        None => Details {
            download_url: None,
            ..details
        },
    }
}

/// A recording link on the file host that expires long after the test.
fn link(files: &FileServer, at: &str) -> Links {
    Links {
        recording_download_link: Some(files.url(at)),
        expiration: Some("2999-01-01T00:00:00Z".to_owned()),
        ..Default::default()
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

    let api: MockServer = meetings::mock_server().await;
    let client = Client::builder(Credentials::none())
        .base_url(&api.url())
        .build()
        .unwrap();
    // The tool lists January to June as instants, `to` exclusive; two pages linked by `Link`.
    let listing = client
        .list_recordings()
        .max(100)
        .from("2024-01-01T00:00:00Z")
        .to("2024-07-01T00:00:00Z");
    api.expect_pages(listing)
        .per_page(2)
        .respond(&[d.clone(), e.clone(), prevented.clone(), unscanned.clone()])
        .await;
    let d_links = Links {
        audio_download_link: Some(files.url("/dl/d-audio.mp3")),
        transcript_download_link: Some(files.url("/dl/d.vtt")),
        ..link(&files, "/dl/d.mp4")
    };
    api.expect(client.get_record_by_record_id("91b6edce"))
        .respond(&webex_details(&d, Some(d_links)))
        .await;
    // The details of `e` that each run's listing fetches hand out a link that has expired by
    // the time it is used (the file host no longer has it); fetched again when the host
    // refuses it, they have a fresh one.
    api.expect(client.get_record_by_record_id("4f914b1d"))
        .up_to(2)
        .respond(&webex_details(&e, Some(link(&files, "/dl/e-old.mp4"))))
        .await;
    api.expect(client.get_record_by_record_id("4f914b1d"))
        .respond(&webex_details(&e, Some(link(&files, "/dl/e-fresh.mp4"))))
        .await;
    api.expect(client.get_record_by_record_id("7ee40776"))
        .respond(&webex_details(&prevented, None))
        .await;
    api.expect(client.get_record_by_record_id("aa11bb22"))
        .fail(Failure::new(428).message("The recording cannot be scanned for malware."))
        .await;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let webex = |out: &Path| {
        let mut command = tool(out);
        // One file at a time, so the kill below leaves a known set of files behind.
        command
            .arg("--webex")
            .args(["--concurrency", "1"])
            .args(["--api-base", &api.url()])
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
