//! The README's quick start, as a newcomer would use it: a binary crate in a folder of its own
//! (outside this workspace), with the README's `Cargo.toml` and `src/main.rs` word for word
//! (the checkout's path put in for `../zoomgen`), built offline and run against Zoom's token
//! endpoint and recordings API mocked on 127.0.0.1.

use std::process::Command;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_tests::root;

/// The first fenced block of `language` after the heading `section` of the README.
fn readme_block(readme: &str, section: &str, language: &str) -> String {
    let start = readme
        .find(section)
        .unwrap_or_else(|| panic!("the README has no {section:?}"));
    let fence = format!("```{language}\n");
    let body = &readme[start..];
    let open = body
        .find(&fence)
        .unwrap_or_else(|| panic!("no {language} block in {section:?}"))
        + fence.len();
    let close = body[open..].find("```").expect("the block ends");
    body[open..open + close].to_owned()
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Builds the binary crate of `manifest` and `main` in a folder of its own (outside the
/// workspace), offline with the workspace's lock (the same versions, none fetched); the
/// target folder its binary is in.
fn build_app(manifest: &str, main: &str) -> std::path::PathBuf {
    let root = root();
    let app = tempfile::tempdir().unwrap();
    assert!(!app.path().starts_with(&root), "a folder of its own");
    std::fs::create_dir(app.path().join("src")).unwrap();
    std::fs::write(app.path().join("Cargo.toml"), manifest).unwrap();
    std::fs::write(app.path().join("src/main.rs"), main).unwrap();
    std::fs::copy(root.join("Cargo.lock"), app.path().join("Cargo.lock")).unwrap();
    let target = root.join("target/downstream");
    let build = cargo()
        .args(["build", "--offline", "--quiet"])
        .current_dir(app.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    target
}

/// The README's `toml` and `rust` blocks of `section`, the checkout's path put in for
/// `../zoomgen`.
fn readme_app(section: &str) -> (String, String) {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let manifest = readme_block(&readme, section, "toml");
    assert!(manifest.contains("path = \"../zoomgen/"), "{manifest}");
    let checkout = root().display().to_string();
    (
        manifest.replace("../zoomgen", &checkout),
        readme_block(&readme, section, "rust"),
    )
}

/// Zoom's token endpoint (handing out `token`) and recordings listing (one page of
/// `meetings`), mocked on 127.0.0.1.
async fn zoom_api(token: &str, meetings: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": token, "token_type": "bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/users/me/recordings"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"next_page_token": "", "meetings": meetings})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_readme_quick_start_builds_outside_the_workspace_and_lists_recordings() {
    let (manifest, main) = readme_app("## Quick start");
    let target = build_app(&manifest, &main);

    // Every month window answers with the same meeting: the listing yields it once.
    let server = zoom_api(
        "quick-start-token",
        json!([{
            "uuid": "quick/start==", "id": 85_746_065_432u64, "topic": "Quarterly review",
            "start_time": "2024-02-12T15:00:00Z",
            "recording_files": [{"id": "f1", "file_type": "MP4"}, {"id": "f2", "file_type": "M4A"}]
        }]),
    )
    .await;
    let run = Command::new(target.join("debug/my-recordings"))
        .env_clear()
        .env("ZOOM_ACCOUNT_ID", "account")
        .env("ZOOM_CLIENT_ID", "client")
        .env("ZOOM_CLIENT_SECRET", "secret")
        .env("ZOOM_API_BASE", format!("{}/v2", server.uri()))
        .env("ZOOM_OAUTH_BASE", server.uri())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(stdout, "2024-02-12T15:00:00Z Quarterly review (2 files)\n");
    let listed = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.url.path() == "/v2/users/me/recordings")
        .count();
    assert_eq!(listed, 3, "one request per month of the quarter");
}

/// A one-tag app that signs in each of the four ways without token code of its own: a
/// Server-to-Server app, a Zoom user's grant, a Video SDK key and a Webex integration's
/// refresh token, each listing recordings once.
const FOUR_WAYS: &str = r#"
use std::sync::Arc;
use zoom_client::Credentials;
use zoom_client::meetings::Client;
use zoom_client::runtime::{Grant, MemoryStore, OAuthApp};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (api, oauth) = (std::env::var("ZOOM_API_BASE")?, std::env::var("ZOOM_OAUTH_BASE")?);
    let token_url = format!("{oauth}/oauth/token");
    let ways = [
        ("server-to-server", Credentials::server_to_server("account", "client", "secret")),
        ("user", Credentials::user_grant(
            OAuthApp::zoom("client", "secret").with_endpoints(&token_url, &token_url)?,
            Arc::new(MemoryStore::with_grant("ana", Grant::from_refresh_token("user-refresh"))),
            "ana",
        )),
        ("video-sdk", Credentials::video_sdk("sdk-key", "sdk-secret")),
        ("webex", Credentials::user_grant(
            OAuthApp::webex("client", "secret").with_endpoints(&token_url, &token_url)?,
            Arc::new(MemoryStore::with_grant("webex", Grant::from_refresh_token("webex-refresh"))),
            "webex",
        )),
    ];
    for (name, credentials) in ways {
        let client = Client::builder(credentials).base_url(&api).oauth_base_url(&oauth).build()?;
        let page = client.recordings_list("me").send().await?;
        println!("{name}: {} meetings", page.meetings.unwrap_or_default().len());
    }
    Ok(())
}
"#;

#[tokio::test]
async fn a_one_tag_app_signs_in_each_of_the_four_ways_without_token_code() {
    let manifest = format!(
        "[package]\nname = \"four-ways\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [dependencies]\nzoom-client = {{ path = {:?}, default-features = false, features = \
         [\"meetings-cloud-recording\", \"jwt\"] }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n",
        root().join("generated/zoom").display().to_string()
    );
    let target = build_app(&manifest, FOUR_WAYS);

    let server = zoom_api("issued-token", json!([{"uuid": "u1", "topic": "Standup"}])).await;
    let run = Command::new(target.join("debug/four-ways"))
        .env_clear()
        .env("ZOOM_API_BASE", format!("{}/v2", server.uri()))
        .env("ZOOM_OAUTH_BASE", server.uri())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        stdout,
        "server-to-server: 1 meetings\nuser: 1 meetings\nvideo-sdk: 1 meetings\nwebex: 1 meetings\n"
    );
    let requests = server.received_requests().await.unwrap();
    let listed: Vec<String> = requests
        .iter()
        .filter(|r| r.url.path() == "/v2/users/me/recordings")
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed.len(), 4);
    // Three tokens from the token endpoint (a Server-to-Server fetch and two refreshes), one
    // JWT minted in the app.
    assert_eq!(
        listed
            .iter()
            .filter(|a| *a == "Bearer issued-token")
            .count(),
        3
    );
    assert!(listed[2].starts_with("Bearer eyJ"), "{listed:?}");
    let token_requests = requests
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect::<Vec<_>>();
    assert_eq!(token_requests.len(), 3, "{token_requests:?}");
    assert!(token_requests[1].contains("refresh_token=user-refresh"));
    assert!(
        token_requests[2].contains("client_id=client"),
        "Webex sends its client in the form"
    );
}

#[test]
fn the_readme_events_service_builds_outside_the_workspace() {
    let (manifest, main) = readme_app("### Following events");
    build_app(&manifest, &main);
}
