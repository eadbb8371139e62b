//! The runtime's cloud-recording helpers against servers on 127.0.0.1: downloads
//! (authorization, redirects, resume, size checks, retries and limits), the hosts credentials
//! go to, webhook verification and date windows.

use std::time::Duration;

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};
use zoomgen_runtime::download::part_path;
use zoomgen_runtime::{ApiClient, Credentials, Error, RetryConfig};

mod credential_hosts;
mod downloads;
mod webhooks;
mod windows;

const BODY: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// A temporary folder and the path of `name` in it, whose part file holds `part`: a download
/// cut before it ended.
fn cut_download(name: &str, part: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join(name);
    std::fs::write(part_path(&target), part).unwrap();
    (dir, target)
}

/// Retries with a short backoff.
fn fast_retry() -> RetryConfig {
    RetryConfig::default()
        .with_initial_backoff(Duration::from_millis(2))
        .with_max_backoff(Duration::from_millis(10))
}

/// A client of Zoom's API host that also trusts the mock file servers on 127.0.0.1.
fn client(token: &str) -> ApiClient {
    ApiClient::builder("https://api.zoom.us/v2", Credentials::bearer(token))
        .download_hosts(["127.0.0.1"])
        .retry(fast_retry())
        .build()
        .unwrap()
}

/// A mock file server answering requests for `at` as `answer` makes the mock, and the URL.
async fn serving(at: &str, answer: impl FnOnce(MockBuilder) -> Mock) -> (MockServer, String) {
    let server = MockServer::start().await;
    answer(Mock::given(path(at))).mount(&server).await;
    let url = format!("{}{at}", server.uri());
    (server, url)
}

/// A mock file server answering GETs of `at` that carry `token` with `BODY`, and the URL.
async fn serving_to(token: &str, at: &str) -> (MockServer, String) {
    serving(at, |mock| {
        mock.and(method("GET"))
            .and(header("authorization", format!("Bearer {token}")))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(BODY))
    })
    .await
}

fn authorization(request: &Request) -> Option<String> {
    request
        .headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// The message of a download refused as [`Error::Download`].
fn refusal(result: Result<zoomgen_runtime::Downloaded, Error>) -> String {
    match result {
        Err(Error::Download { message, .. }) => message,
        other => panic!("expected the download to be refused, got {other:?}"),
    }
}
