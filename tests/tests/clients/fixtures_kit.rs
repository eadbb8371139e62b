//! The test kit and the command line over the construct fixtures: a union answer, an open
//! enum (a known value as a flag, an unknown one kept in the answer), a multipart upload
//! matched part by part and given to the command line as JSON, a binary upload and download.

use fixtures_client::{binary_body, multipart_body, one_of, string_enum};
use zoom_client::Credentials;

/// The fixtures' command line against `base_url`, run to its end.
async fn fixtures_cli(base_url: &str, args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_fixtures_cli"))
        .env_clear()
        .env("WEBEX_TOKEN", "fixture-token")
        .args(["--base-url", base_url])
        .args(args)
        .output()
        .await
        .unwrap()
}

/// The fixtures' command line with `--body` a file holding `body`.
async fn fixtures_cli_with_body(
    base_url: &str,
    args: &[&str],
    body: &[u8],
) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body");
    std::fs::write(&file, body).unwrap();
    let file = file.display().to_string();
    fixtures_cli(base_url, &[args, &["--body", &file]].concat()).await
}

#[tokio::test]
async fn a_union_is_answered_in_its_own_variant() {
    let mock = one_of::mock_server().await;
    let client = one_of::Client::new(&mock.url(), Credentials::bearer("t")).unwrap();
    let answer =
        one_of::types::UserSettingsResponse::Option2(one_of::types::UserSettingsResponseOption2 {
            meeting_authentication: Some(true),
            ..Default::default()
        });
    let option = one_of::types::UserSettingsOption::MeetingAuthentication;
    mock.expect(client.user_settings("me").option(option.clone()))
        .respond(&answer)
        .await;
    let got = client
        .user_settings("me")
        .option(option)
        .send()
        .await
        .unwrap();
    assert_eq!(got, answer);
}

#[tokio::test]
async fn an_open_enum_is_a_checked_flag_and_an_unknown_value_is_kept() {
    let mock = string_enum::mock_server().await;
    let client = string_enum::Client::new(&mock.url(), Credentials::bearer("t")).unwrap();
    let include = string_enum::types::RecordingGetIncludeFields::DownloadAccessToken;
    let answer: string_enum::types::RecordingGetResponse = serde_json::from_value(
        serde_json::json!({"uuid": "u1", "recording_files": [{"file_type": "HOLOGRAM"}]}),
    )
    .unwrap();
    mock.expect(client.recording_get(7).include_fields(include.clone()))
        .respond(&answer)
        .await;
    let got = client
        .recording_get(7)
        .include_fields(include)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got, answer,
        "the value the document does not list came back as it was sent"
    );

    let get = [
        "string-enum",
        "cloud-recording",
        "recording-get",
        "--meeting-id",
        "7",
    ];
    let with = |value: &'static str| [&get[..], &["--include-fields", value]].concat();
    let printed = fixtures_cli(&mock.url(), &with("download_access_token")).await;
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&printed.stdout).unwrap();
    assert_eq!(printed["recording_files"][0]["file_type"], "HOLOGRAM");

    let refused = fixtures_cli(
        &mock.url(),
        &[&["--dry-run"], &with("everything")[..]].concat(),
    )
    .await;
    assert_eq!(refused.status.code(), Some(2));
}

#[tokio::test]
async fn a_multipart_upload_is_matched_part_by_part_and_read_from_json() {
    let mock = multipart_body::mock_server().await;
    let client = multipart_body::Client::new(&mock.url(), Credentials::bearer("t")).unwrap();
    let body = multipart_body::types::UploadAChatFileBody {
        file: b"%PDF-1.7 fixture".to_vec(),
        to_contact: Some("ada@example.com".to_owned()),
        ..Default::default()
    };
    let answer = multipart_body::types::UploadAChatFileResponse {
        id: Some("file-1".to_owned()),
        ..Default::default()
    };
    mock.expect(client.upload_a_chat_file("me", body.clone()))
        .status(201)
        .times(2)
        .respond(&answer)
        .await;
    assert_eq!(
        client
            .upload_a_chat_file("me", body.clone())
            .send()
            .await
            .unwrap(),
        answer
    );

    let upload = [
        "multipart-body",
        "chat-files",
        "upload-a-chat-file",
        "--user-id",
        "me",
    ];
    let output =
        fixtures_cli_with_body(&mock.url(), &upload, &serde_json::to_vec(&body).unwrap()).await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed["id"], "file-1");
    mock.verify().await;
}

#[tokio::test]
async fn a_binary_body_is_matched_byte_for_byte_and_a_binary_answer_written_as_it_came() {
    let mock = binary_body::mock_server().await;
    let client = binary_body::Client::new(&mock.url(), Credentials::bearer("t")).unwrap();
    let image: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    mock.expect(client.upload_room_background("room-1", image.clone()))
        .times(2)
        .respond_empty()
        .await;
    mock.expect(client.get_room_background("room-1"))
        .respond_bytes("application/octet-stream", image.clone())
        .await;
    client
        .upload_room_background("room-1", image.clone())
        .send()
        .await
        .unwrap();
    let other = client
        .upload_room_background("room-1", b"other".to_vec())
        .send()
        .await;
    assert!(other.is_err(), "other bytes are another request");
    assert_eq!(
        client.get_room_background("room-1").send().await.unwrap(),
        image
    );

    let upload = [
        "binary-body",
        "rooms",
        "upload-room-background",
        "--room-id",
        "room-1",
    ];
    let uploaded = fixtures_cli_with_body(&mock.url(), &upload, &image).await;
    let download = [
        "binary-body",
        "rooms",
        "get-room-background",
        "--room-id",
        "room-1",
    ];
    let downloaded = fixtures_cli(&mock.url(), &download).await;
    assert!(
        uploaded.status.success(),
        "{}",
        String::from_utf8_lossy(&uploaded.stderr)
    );
    assert!(
        downloaded.status.success(),
        "{}",
        String::from_utf8_lossy(&downloaded.stderr)
    );
    assert_eq!(downloaded.stdout, image, "the answer's bytes, as they came");
    mock.verify().await;
}
