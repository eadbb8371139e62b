//! The archive tool end to end against Zoom's API mocked on 127.0.0.1: killed in the middle
//! of a slow download and started again, it finishes with every file complete and byte for
//! byte right, resumes the cut file with a `Range` request, and requests no completed file
//! twice; a third run downloads nothing. Colliding names, concurrent downloads, and runs
//! sharing Redis or an output folder. (Webex mode: `webex_mode.rs`.)

mod common;
mod zoom_api;

use common::*;
use zoom_api::*;
use zoomgen_test_support::{file_server, redis_server};

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use file_server::{FileServer, holds};
use tokio::process::Command;
use zoom_client::runtime::mock::{MockServer, TOKEN_PREFIX};

/// A recording file the file server holds: URL path, size, content seed.
struct Served {
    at: &'static str,
    len: u64,
    seed: u64,
}

const A: Served = Served {
    at: "/rec/download/a",
    len: 300 * KIB,
    seed: 1,
};
const TIMELINE: Served = Served {
    at: "/rec/download/timeline",
    len: 2 * KIB,
    seed: 2,
};
const B: Served = Served {
    at: "/rec/download/b",
    len: 4096 * KIB,
    seed: 3,
};
const C: Served = Served {
    at: "/rec/download/c",
    len: 200 * KIB,
    seed: 4,
};

/// Two meetings; the second starts on the last day of May, so Zoom also returns it for the
/// June window (within a day of it), and the tool must archive it once. The first also lists
/// a TIMELINE file without an id and a file still processing.
fn meetings(files: &FileServer) -> Vec<Meeting> {
    let url = |s: &Served| files.url(s.at);
    let typed = |file: File, recording_type: &str| File {
        recording_type: Some(recording_type.into()),
        ..file
    };
    let timeline = File {
        file_type: Some("TIMELINE".into()),
        recording_type: Some("timeline".into()),
        download_url: Some(url(&TIMELINE)),
        ..Default::default()
    };
    let processing = File {
        id: Some("file-p".to_owned()),
        file_size: Some(0),
        download_url: Some(files.url("/rec/download/processing")),
        status: Some("processing".into()),
        ..Default::default()
    };
    vec![
        Meeting {
            id: Some(84_521_110_011),
            ..meeting(
                "/ajXp112QmuoKj4854875==",
                "Budget review: Q1",
                "2024-02-10T15:00:00Z",
                vec![
                    typed(
                        file(Some("file-a"), "MP4", A.len, url(&A)),
                        "shared_screen_with_speaker_view",
                    ),
                    timeline,
                    processing,
                ],
            )
        },
        Meeting {
            id: Some(84_521_110_012),
            ..meeting(
                "kwPoX6bTS4uWBYwmEppXvZ++",
                "All hands",
                "2024-05-31T23:30:00Z",
                vec![
                    typed(file(Some("file-b"), "MP4", B.len, url(&B)), "gallery_view"),
                    typed(file(Some("file-c"), "M4A", C.len, url(&C)), "audio_only"),
                ],
            )
        },
    ]
}

async fn zoom_api(files: &FileServer) -> MockServer {
    zoom_api_with(meetings(files)).await
}

/// The tool in Zoom mode against `api`.
fn archive(api: &MockServer, out: &Path) -> Command {
    zoom_mode(api, tool(out))
}

fn counts(files: &FileServer) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for request in files.requests() {
        *counts.entry(request.path).or_default() += 1;
    }
    counts
}

/// The file server with A, the timeline, B and C, and Zoom's mock API listing them.
async fn zoom_with_files() -> (FileServer, MockServer) {
    let files = FileServer::start().await;
    for served in [&A, &TIMELINE, &B, &C] {
        files.add_file(served.at, served.len, served.seed);
    }
    let api = zoom_api(&files).await;
    (files, api)
}

/// [`zoom_with_files`], each file sent slowly enough (a pause after each chunk) to be cut.
async fn slow_zoom_with_files() -> (FileServer, MockServer) {
    let (files, api) = zoom_with_files().await;
    files.pause_per_chunk(Some(Duration::from_millis(25)));
    (files, api)
}

#[tokio::test]
async fn killed_mid_download_and_rerun_it_finishes_with_nothing_downloaded_twice() {
    let (files, api) = slow_zoom_with_files().await;
    let out = tempfile::tempdir().unwrap();
    let out = out.path();

    // First run: killed once B is well under way.
    let first = archive(&api, out).spawn().unwrap();
    kill_once(first, "B was cut", || files.sent(B.at) >= 1536 * KIB).await;
    let a_dir = meeting_dir(out, "2024-02-10_Budget_review_Q1_ajXp112QmuoKj4854875");
    let a_path = a_dir.join("file-a.mp4");
    let b_dir = meeting_dir(out, "2024-05-31_All_hands_kwPoX6bTS4uWBYwmEppXvZ--");
    assert!(
        holds(&a_path, A.seed, A.len),
        "A was complete before the kill"
    );
    assert!(!b_dir.join("file-b.mp4").exists());
    let cut_at = std::fs::metadata(b_dir.join("file-b.mp4.part"))
        .unwrap()
        .len();
    assert!(cut_at > 0 && cut_at < B.len, "{cut_at}");
    let after_kill = manifest(out);
    assert_eq!(state_of(&after_kill, "file-a"), "complete");
    assert_eq!(state_of(&after_kill, "file-b"), "partial");

    // Second run, at full speed: finishes.
    files.pause_per_chunk(None);
    let second = archive(&api, out).output().await.unwrap();
    assert!(
        second.status.success(),
        "{}{}",
        String::from_utf8_lossy(&second.stdout),
        String::from_utf8_lossy(&second.stderr)
    );
    assert!(holds(&a_path, A.seed, A.len));
    let timeline = a_dir.join("timeline.1.json");
    assert!(holds(&timeline, TIMELINE.seed, TIMELINE.len));
    assert!(
        holds(&b_dir.join("file-b.mp4"), B.seed, B.len),
        "B's bytes differ"
    );
    assert!(holds(&b_dir.join("file-c.m4a"), C.seed, C.len));
    assert!(!b_dir.join("file-b.mp4.part").exists());

    let requested = counts(&files);
    assert_eq!(requested.get(A.at), Some(&1), "{requested:?}");
    assert_eq!(requested.get(TIMELINE.at), Some(&1), "{requested:?}");
    assert_eq!(requested.get(C.at), Some(&1), "{requested:?}");
    assert_eq!(requested.get("/rec/download/processing"), None);
    let b_requests = files.requests_for(B.at);
    assert_eq!(b_requests.len(), 2, "{b_requests:?}");
    assert_eq!(b_requests[0].range, None);
    let resumed_at: u64 = b_requests[1].range_start().unwrap();
    assert_eq!(resumed_at, cut_at);
    assert!(
        files.requests().iter().all(|r| r
            .authorization
            .as_deref()
            .is_some_and(|value| { value.starts_with(&format!("Bearer {TOKEN_PREFIX}")) })),
        "every download carried a token the API issued"
    );

    let done = manifest(out);
    for id in ["file-a", "timeline.1", "file-b", "file-c"] {
        assert_eq!(state_of(&done, id), "complete", "{id}");
    }
    assert_eq!(state_of(&done, "file-p"), "not_ready");
    assert_eq!(done["files"].as_object().unwrap().len(), 5);

    // Third run: everything is there, nothing is downloaded.
    let third = archive(&api, out).output().await.unwrap();
    assert!(third.status.success());
    assert_eq!(counts(&files), requested);
    let summary = String::from_utf8_lossy(&third.stdout);
    assert!(
        summary.contains("0 downloaded, 4 already complete, 1 not ready, 0 failed"),
        "{summary}"
    );
}

#[tokio::test]
async fn files_whose_names_would_collide_all_land_apart() {
    let files = FileServer::start().await;
    let long_id = "f".repeat(300);
    let served = [
        ("/rec/download/t1", 11),
        ("/rec/download/t2", 12),
        ("/rec/download/long", 13),
        ("/rec/download/x", 14),
        ("/rec/download/y", 15),
    ];
    for (at, seed) in served {
        files.add_file(at, 3 * KIB, seed);
    }
    let file = |id: Option<&str>, kind: &str, at: &str| {
        let mut file = file(id, kind, 3 * KIB, files.url(at));
        file.file_extension = None;
        file
    };
    // Same day; UUIDs that sanitize alike; topics in scripts that sanitize to `_`; two
    // TIMELINE files without an id; a 300-byte file id.
    let meetings = vec![
        meeting(
            "/S=",
            "会議",
            "2024-02-10T09:00:00Z",
            vec![
                file(None, "TIMELINE", "/rec/download/t1"),
                file(None, "TIMELINE", "/rec/download/t2"),
                file(Some(&long_id), "MP4", "/rec/download/long"),
            ],
        ),
        meeting(
            "S/=",
            "ミーティング",
            "2024-02-10T11:00:00Z",
            vec![file(Some("file-x"), "MP4", "/rec/download/x")],
        ),
        meeting(
            "s/=",
            "ミーティング",
            "2024-02-10T13:00:00Z",
            vec![file(Some("file-x"), "MP4", "/rec/download/y")],
        ),
    ];
    let api = zoom_api_with(meetings).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let run = archive(&api, out).output().await.unwrap();
    let summary = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{summary}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        summary.contains("5 downloaded, 0 already complete"),
        "{summary}"
    );
    let done = manifest(out);
    let entries = done["files"].as_object().unwrap();
    assert_eq!(entries.len(), 5, "{done:#}");
    let mut seeds = Vec::new();
    for (relative, entry) in entries {
        assert_eq!(entry["state"], "complete", "{relative}");
        for part in Path::new(relative).iter() {
            assert!(
                part.len() <= 200,
                "{relative}: a name of {} bytes",
                part.len()
            );
        }
        let path = out.join(relative);
        let seed = served
            .iter()
            .map(|(_, seed)| *seed)
            .find(|seed| holds(&path, *seed, 3 * KIB))
            .unwrap_or_else(|| panic!("{relative} holds none of the served files"));
        seeds.push(seed);
    }
    seeds.sort_unstable();
    assert_eq!(seeds, [11, 12, 13, 14, 15], "every file kept its own bytes");
}

/// `--concurrency 4`: downloads overlap; killed with SIGKILL in the middle, the manifest is
/// whole and truthful, and a rerun completes the rest without fetching a complete file again.
#[tokio::test]
async fn concurrent_downloads_overlap_and_survive_a_kill() {
    let (files, api) = slow_zoom_with_files().await;
    let out = tempfile::tempdir().unwrap();
    let out = out.path();

    let first = archive(&api, out)
        .args(["--concurrency", "4"])
        .spawn()
        .unwrap();
    let mut overlapped = false;
    kill_once(first, "B was well under way", || {
        overlapped |= files.sent(B.at) > 0 && files.sent(A.at) > 0 && files.sent(A.at) < A.len;
        files.sent(B.at) >= 1024 * KIB
    })
    .await;
    assert!(overlapped, "A and B were never in flight together");
    // Whatever the kill interrupted, the manifest parses and says no more than is true.
    let after_kill = manifest(out);
    for (key, entry) in after_kill["files"].as_object().unwrap() {
        let on_disk = out.join(key);
        match entry["state"].as_str().unwrap() {
            "complete" => assert!(on_disk.is_file(), "{key} is complete but missing"),
            _ => assert!(
                !on_disk.exists(),
                "{key} exists but is not recorded complete"
            ),
        }
    }
    assert_eq!(state_of(&after_kill, "file-b"), "partial");

    files.pause_per_chunk(None);
    let second = archive(&api, out)
        .args(["--concurrency", "4"])
        .output()
        .await
        .unwrap();
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let done = manifest(out);
    for id in ["file-a", "timeline.1", "file-b", "file-c"] {
        assert_eq!(state_of(&done, id), "complete", "{id}");
    }
    let b_dir = meeting_dir(out, "2024-05-31_All_hands_kwPoX6bTS4uWBYwmEppXvZ--");
    assert!(holds(&b_dir.join("file-b.mp4"), B.seed, B.len));
    let requested = counts(&files);
    for small in [A.at, TIMELINE.at, C.at] {
        assert_eq!(requested.get(small), Some(&1), "{small}: {requested:?}");
    }
    assert_eq!(
        files.requests_for(B.at).len(),
        2,
        "B: once cut, once resumed"
    );
}

/// Two runs at once with `--redis`: one Server-to-Server token between them.
#[tokio::test]
async fn two_runs_sharing_redis_fetch_one_token() {
    let Some(redis) = redis_server::RedisServer::start() else {
        return;
    };
    let (_files, api) = zoom_with_files().await;
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let run = |out: &Path| {
        let mut command = archive(&api, out);
        // A generous timeout: on a loaded machine a missed first answer would make a run
        // fetch its own token (the fallback the runtime's fleet tests cover).
        command.args([
            "--redis",
            &redis.url(),
            "--redis-timeout",
            "10",
            "--plan",
            "business",
        ]);
        command.output()
    };
    let (first, second) = tokio::join!(run(one.path()), run(two.path()));
    for output in [first.unwrap(), second.unwrap()] {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let token_requests = api.tokens_issued();
    assert_eq!(token_requests, 1, "one token for both runs");
    for out in [one.path(), two.path()] {
        assert_eq!(state_of(&manifest(out), "file-b"), "complete");
    }
}

/// Two runs at once into one OUT, one per quarter: each finishes, and the manifest lists
/// every file of both, complete, exactly once.
#[tokio::test]
async fn two_runs_sharing_one_folder_keep_each_others_entries() {
    let files = FileServer::start().await;
    let mut listed = Vec::new();
    for (quarter, month) in [(1, "02"), (2, "05")] {
        for n in 0..27 {
            let at = format!("/rec/download/q{quarter}-{n}");
            files.add_file(&at, 2 * KIB, 100 * quarter + n);
            listed.push(Meeting {
                id: Some(90_000_000_000 + 100 * quarter as i64 + n as i64),
                ..meeting(
                    &format!("q{quarter}-meeting-{n}"),
                    &format!("Q{quarter} meeting {n}"),
                    &format!("2024-{month}-{:02}T10:00:00Z", n + 1),
                    vec![File {
                        recording_type: Some("gallery_view".into()),
                        ..file(
                            Some(&format!("q{quarter}-file-{n}")),
                            "MP4",
                            2 * KIB,
                            files.url(&at),
                        )
                    }],
                )
            });
        }
    }
    let api = zoom_api_with(listed).await;
    let out = tempfile::tempdir().unwrap();
    let run = |from: &str, to: &str| {
        let mut command = zoom_mode(&api, tool_over(out.path(), from, to));
        command.args(["--concurrency", "4"]);
        command.output()
    };
    let (first, second) = tokio::join!(
        run("2024-01-01", "2024-03-31"),
        run("2024-04-01", "2024-06-30")
    );
    for output in [first.unwrap(), second.unwrap()] {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let manifest = manifest(out.path());
    let entries = manifest["files"].as_object().unwrap();
    assert_eq!(entries.len(), 54, "{manifest:#}");
    for quarter in [1, 2] {
        for n in 0..27 {
            assert_eq!(
                state_of(&manifest, &format!("q{quarter}-file-{n}")),
                "complete"
            );
        }
    }
    let leftovers: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
