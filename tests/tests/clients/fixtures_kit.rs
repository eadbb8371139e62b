//! The test kit and the command line over the construct fixtures: a union answer, an open
//! enum (a known value as a flag, an unknown one kept in the answer), a multipart upload
//! matched part by part and given to the command line as JSON, a binary upload and download.

use fixtures_client::{binary_body, multipart_body, one_of, string_enum};
use zoom_client::Credentials;

fn fixtures_cli(base_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_fixtures_cli"))
        .env_clear()
        .env("WEBEX_TOKEN", "fixture-token")
        .args(["--base-url", base_url])
        .args(args)
        .output()
        .unwrap()
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

    let url = mock.url();
    let printed = tokio::task::spawn_blocking(move || {
        fixtures_cli(
            &url,
            &[
                "string-enum",
                "cloud-recording",
                "recording-get",
                "--meeting-id",
                "7",
                "--include-fields",
                "download_access_token",
            ],
        )
    })
    .await
    .unwrap();
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&printed.stdout).unwrap();
    assert_eq!(printed["recording_files"][0]["file_type"], "HOLOGRAM");

    let url = mock.url();
    let refused = tokio::task::spawn_blocking(move || {
        fixtures_cli(
            &url,
            &[
                "--dry-run",
                "string-enum",
                "cloud-recording",
                "recording-get",
                "--meeting-id",
                "7",
                "--include-fields",
                "everything",
            ],
        )
    })
    .await
    .unwrap();
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

    let dir = tempfile::tempdir().unwrap();
    let body_file = dir.path().join("upload.json");
    std::fs::write(&body_file, serde_json::to_vec(&body).unwrap()).unwrap();
    let url = mock.url();
    let output = tokio::task::spawn_blocking(move || {
        let body_file = body_file.display().to_string();
        fixtures_cli(
            &url,
            &[
                "multipart-body",
                "chat-files",
                "upload-a-chat-file",
                "--user-id",
                "me",
                "--body",
                &body_file,
            ],
        )
    })
    .await
    .unwrap();
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

    let dir = tempfile::tempdir().unwrap();
    let body_file = dir.path().join("background.png");
    std::fs::write(&body_file, &image).unwrap();
    let url = mock.url();
    let (uploaded, downloaded) = tokio::task::spawn_blocking(move || {
        let body_file = body_file.display().to_string();
        let upload = [
            "binary-body",
            "rooms",
            "upload-room-background",
            "--room-id",
            "room-1",
        ];
        let uploaded = fixtures_cli(&url, &[&upload[..], &["--body", &body_file]].concat());
        let download = [
            "binary-body",
            "rooms",
            "get-room-background",
            "--room-id",
            "room-1",
        ];
        (uploaded, fixtures_cli(&url, &download))
    })
    .await
    .unwrap();
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
