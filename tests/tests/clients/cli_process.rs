//! zoom-client's command line run as a process against its test kit: a paged listing with
//! `--all`, a body from standard input, flags refused before any request, `--dry-run`
//! without the secret, and a download cut and resumed.

use std::process::Output;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;
use zoom_client::Credentials;
use zoom_client::meetings::{self, types};
use zoom_client::runtime::mock::MockServer;

const SECRET: &str = "cli-secret-7f3a9";

/// The command line with Server-to-Server credentials in its environment and the mock as
/// its API and sign-in host.
fn zoom(mock: &MockServer) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zoom_cli"));
    command
        .env_clear()
        .env("ZOOM_ACCOUNT_ID", "account-1")
        .env("ZOOM_CLIENT_ID", "client-1")
        .env("ZOOM_CLIENT_SECRET", SECRET)
        .args(["--base-url", &mock.url(), "--oauth-base-url", &mock.url()])
        .kill_on_drop(true);
    command
}

/// The client the expectations are stated with (its credentials are never used).
fn client_of(mock: &MockServer) -> meetings::Client {
    meetings::Client::builder(Credentials::none())
        .base_url(&mock.url())
        .build()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn show(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        text(&output.stdout),
        text(&output.stderr)
    )
}

#[tokio::test]
async fn all_pages_of_a_listing_come_out_as_ndjson() {
    let mock = meetings::mock_server().await;
    mock.sign_in().await;
    let client = client_of(&mock);
    let meetings: Vec<types::RecordingsListResponseMeeting> = (0..5)
        .map(|n| types::RecordingsListResponseMeeting {
            uuid: Some(format!("m{n}")),
            topic: Some(format!("Meeting {n}")),
            ..Default::default()
        })
        .collect();
    mock.expect_pages(
        client
            .recordings_list("me")
            .page_size(2)
            .from("2024-01-01")
            .to("2024-01-31"),
    )
    .per_page(2)
    .times(3)
    .respond(&meetings)
    .await;

    let output = zoom(&mock)
        .args([
            "meetings",
            "cloud-recording",
            "recordings-list",
            "--user-id",
            "me",
        ])
        .args([
            "--page-size",
            "2",
            "--from",
            "2024-01-01",
            "--to",
            "2024-01-31",
            "--all",
        ])
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", show(&output));
    let lines: Vec<serde_json::Value> = text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let uuids: Vec<&str> = lines
        .iter()
        .map(|line| line["uuid"].as_str().unwrap())
        .collect();
    assert_eq!(uuids, ["m0", "m1", "m2", "m3", "m4"]);
    assert_eq!(mock.tokens_issued(), 1);
    mock.verify().await;
}

#[tokio::test]
async fn a_body_comes_from_standard_input_in_the_operations_type() {
    let mock = meetings::mock_server().await;
    mock.sign_in().await;
    let client = client_of(&mock);
    let body = types::MeetingRecordingRegistrantCreateBody {
        email: "ada@example.com".to_owned(),
        first_name: "Ada".to_owned(),
        ..Default::default()
    };
    let created = types::MeetingRecordingRegistrantCreateResponse {
        id: Some(42),
        ..Default::default()
    };
    mock.expect(client.meeting_recording_registrant_create(42).body(body))
        .status(201)
        .times(1)
        .respond(&created)
        .await;

    let mut child = zoom(&mock)
        .args([
            "meetings",
            "cloud-recording",
            "meeting-recording-registrant-create",
        ])
        .args(["--meeting-id", "42", "--body", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(br#"{"email": "ada@example.com", "first_name": "Ada"}"#)
        .await
        .unwrap();
    drop(stdin);
    let output = child.wait_with_output().await.unwrap();
    assert!(output.status.success(), "{}", show(&output));
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["id"], 42);
    mock.verify().await;
}

#[tokio::test]
async fn flags_that_do_not_fit_are_refused_before_any_request() {
    let mock = meetings::mock_server().await;
    mock.sign_in().await;
    for (flags, says) in [
        // Beyond the document's maximum: the builder's own check.
        (&["--user-id", "me", "--page-size", "500"][..], "page_size"),
        // Not a date.
        (&["--user-id", "me", "--from", "January"][..], "from"),
        // Not a number.
        (
            &["--user-id", "me", "--page-size", "many"][..],
            "--page-size",
        ),
        // Not one of the values.
        (&["--user-id", "me", "--mc", "maybe"][..], "possible values"),
        // A required flag missing.
        (&["--page-size", "10"][..], "--user-id"),
    ] {
        let output = zoom(&mock)
            .args(["meetings", "cloud-recording", "recordings-list"])
            .args(flags)
            .output()
            .await
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{flags:?}: {}",
            show(&output)
        );
        assert!(
            text(&output.stderr).contains(says),
            "{flags:?}: {}",
            show(&output)
        );
    }
    assert!(
        mock.received().await.is_empty(),
        "nothing was sent, not even a token request"
    );
}

#[tokio::test]
async fn a_dry_run_prints_the_request_without_the_secret_and_sends_nothing() {
    let mock = meetings::mock_server().await;
    mock.sign_in().await;
    let output = zoom(&mock)
        .args([
            "--dry-run",
            "meetings",
            "cloud-recording",
            "recording-delete",
        ])
        .args(["--meeting-id", "/abc==", "--action", "trash"])
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", show(&output));
    let printed = text(&output.stdout);
    let url = format!(
        "DELETE {}/meetings/%252Fabc%253D%253D/recordings?action=trash\n",
        mock.url()
    );
    assert!(printed.starts_with(&url), "{printed}");
    assert!(
        printed.contains("authorization: Bearer <redacted>"),
        "{printed}"
    );
    assert!(
        !printed.contains(SECRET) && !text(&output.stderr).contains(SECRET),
        "{printed}"
    );
    assert!(mock.received().await.is_empty());
}

#[tokio::test]
async fn a_download_cut_halfway_is_resumed_and_saved() {
    let mock = meetings::mock_server().await;
    mock.sign_in().await;
    let contents: Vec<u8> = (0..300_000u32).map(|n| (n % 241) as u8).collect();
    let url = mock.file("/rec/download/abc", contents.clone());
    mock.cut_next_download("/rec/download/abc", 100_000);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("abc.mp4");

    let output = zoom(&mock)
        .args(["--download-host", "127.0.0.1", "meetings", "download", &url])
        .arg("--out")
        .arg(&target)
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", show(&output));
    assert_eq!(std::fs::read(&target).unwrap(), contents);
    let ranges: Vec<Option<String>> = mock
        .downloads()
        .iter()
        .map(|(_, headers)| headers.get("range").map(|v| v.to_str().unwrap().to_owned()))
        .collect();
    assert_eq!(ranges, [None, Some("bytes=100000-".to_owned())]);
    let authorization = mock.downloads()[1].1.get("authorization").cloned();
    assert_eq!(authorization.unwrap(), "Bearer mock-access-token-1");
    assert!(
        text(&output.stderr).contains("300000 bytes in 2 requests"),
        "{}",
        show(&output)
    );
}

#[tokio::test]
async fn a_video_sdk_app_signs_in_from_the_environment_too() {
    let mock = zoom_client::videosdk::mock_server().await;
    let output = Command::new(env!("CARGO_BIN_EXE_zoom_cli"))
        .env_clear()
        .env("ZOOM_VIDEO_SDK_KEY", "sdk-key")
        .env("ZOOM_VIDEO_SDK_SECRET", SECRET)
        .args(["--base-url", &mock.url(), "--dry-run"])
        .args([
            "videosdk",
            "cloud-recording",
            "recordings-list",
            "--from",
            "2024-01-01",
            "--to",
            "2024-01-31",
        ])
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", show(&output));
    let printed = text(&output.stdout);
    assert!(
        printed.contains("authorization: Bearer <redacted>"),
        "{printed}"
    );
    assert!(!printed.contains(SECRET), "{printed}");
}
