//! The archive tool signs in as a Zoom user (after `login`) and as a Webex integration, against
//! an authorization server on 127.0.0.1 that rotates refresh tokens.

use zoomgen_test_support::oauth_server;

use std::path::Path;
use std::process::Stdio;

use oauth_server::{Behaviour, OAuthServer};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

fn tool() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_archive-recordings"));
    command
        .env_remove("ZOOM_ACCOUNT_ID")
        .env_remove("ZOOM_GRANT_STORE")
        .env_remove("WEBEX_TOKEN")
        .env("ZOOM_CLIENT_ID", "client-id")
        .env("ZOOM_CLIENT_SECRET", "client-secret")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}

/// Runs the archive of January 2024 into `out` with `args`; its output when it fails.
async fn archive(out: &Path, args: &[&str]) {
    let output = tool()
        .args(["--from", "2024-01-01", "--to", "2024-01-31", "--out"])
        .arg(out)
        .args(args)
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn login_saves_a_users_grant_and_runs_sign_in_and_refresh_with_it() {
    let server = OAuthServer::start(Behaviour::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let grants = dir.path().join("grants");
    let mut login = tool()
        .args([
            "login",
            "--grant",
            "ana",
            "--port",
            "0",
            "--oauth-base",
            &server.server.uri(),
        ])
        .arg("--grants")
        .arg(&grants)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // The URL to open is printed on its own line; the "browser" follows it to the redirect.
    let mut lines = BufReader::new(login.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("the login prints its URL");
        if line.starts_with("http") {
            break url::Url::parse(&line).unwrap();
        }
    };
    assert!(url.as_str().starts_with(&server.authorize_url()), "{url}");
    let query: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    let redirect = format!(
        "{}?code=the-code&state={}",
        query["redirect_uri"], query["state"]
    );
    // A forged redirect, with another state, would be refused; this one is the real one.
    let answer = zoomgen_runtime::reqwest::get(&redirect).await.unwrap();
    assert!(answer.status().is_success());
    assert!(login.wait().await.unwrap().success());
    let saved = grants.join("ana.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let grant: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    assert_eq!(grant["refresh_token"], "refresh-1");

    let run = [
        "--grants",
        grants.to_str().unwrap(),
        "--grant",
        "ana",
        "--api-base",
        &server.api_base(),
        "--oauth-base",
        &server.server.uri(),
    ];
    // The grant's access token is current: no refresh.
    archive(&dir.path().join("out"), &run).await;
    assert_eq!(server.refreshes(), 0);
    // The server stops accepting it: the run refreshes once and saves the rotated grant.
    server.issued.lock().unwrap().access_token = "expired".into();
    archive(&dir.path().join("out"), &run).await;
    assert_eq!((server.refreshes(), server.invalid_grants()), (1, 0));
    let grant: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    assert_eq!(grant["refresh_token"], "refresh-2");
}

#[tokio::test]
async fn a_webex_integration_signs_in_with_its_refresh_token_from_the_environment() {
    let server = OAuthServer::start(Behaviour::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut command = tool();
    command
        .env("WEBEX_REFRESH_TOKEN", "refresh-0")
        .env("WEBEX_CLIENT_ID", "webex-client")
        .env("WEBEX_CLIENT_SECRET", "webex-secret");
    let output = command
        .args([
            "--webex",
            "--from",
            "2024-01-01",
            "--to",
            "2024-01-31",
            "--out",
        ])
        .arg(dir.path())
        .args(["--api-base", &format!("{}/v1", server.server.uri())])
        .args(["--webex-oauth-base", &format!("{}/v1", server.server.uri())])
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!((server.refreshes(), server.invalid_grants()), (1, 0));
    let issued = server.issued.lock().unwrap();
    assert!(issued.forms[0].contains(&("client_id".into(), "webex-client".into())));
}

#[tokio::test]
async fn without_any_credentials_the_error_says_what_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let output = tool()
        .args(["--from", "2024-01-01", "--to", "2024-01-31", "--out"])
        .arg(dir.path())
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("ZOOM_ACCOUNT_ID is not set")
            && stderr.contains("archive-recordings login"),
        "{stderr}"
    );
}
