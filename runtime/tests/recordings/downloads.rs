//! Downloads: the token in the header, resume, size checks, time limits, retries, hooks and
//! tracing.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use wiremock::matchers::header_exists;
use wiremock::{Mock, ResponseTemplate};
use zoomgen_runtime::download::part_path;
use zoomgen_runtime::{
    ApiClient, AttemptRecord, Credentials, Error, Hooks, RetryConfig, TimeoutKind, Timeouts,
};

use super::*;

#[tokio::test]
async fn sends_the_client_token_in_the_header_and_never_in_the_query() {
    let (server, url) = serving_to("client-token", "/rec/download/abc").await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a.mp4");
    let mut seen = Vec::new();
    let done = client("client-token")
        .download(&url)
        .expected_size(BODY.len() as u64)
        .progress(|bytes, total| seen.push((bytes, total)))
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), BODY);
    assert_eq!((done.bytes, done.resumed_from, done.requests), (36, 0, 1));
    assert!(!part_path(&target).exists());
    assert_eq!(seen.first(), Some(&(0, Some(36))));
    assert_eq!(seen.last(), Some(&(36, Some(36))));
    let sent = requests(&server).await;
    assert_eq!(sent[0].url.query(), None);
}

#[tokio::test]
async fn an_explicit_download_token_replaces_the_client_credentials() {
    let (_server, url) = serving_to("webhook-download-token", "/webhook_download/xyz").await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("b.m4a");
    client("client-token")
        .download(&url)
        .access_token("webhook-download-token")
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), BODY);
}

/// A server on 127.0.0.1 that answers every request with `head`, then writes `piece` every
/// `pause` for as long as the client reads: a body that never ends, fast or slow.
async fn endless_server(
    head: &'static str,
    piece: String,
    pause: Duration,
) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let piece = piece.clone();
            tokio::spawn(async move {
                let mut request = vec![0; 4096];
                let _ = stream.read(&mut request).await;
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                loop {
                    tokio::time::sleep(pause).await;
                    if stream.write_all(piece.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    address
}

#[tokio::test]
async fn the_total_time_limit_ends_a_download_that_trickles() {
    // One byte every 100 ms: each byte resets the idle limit, only the total limit ends it.
    let address = endless_server(
        "HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n",
        "x".to_owned(),
        Duration::from_millis(100),
    )
    .await;
    let api = ApiClient::builder("http://127.0.0.1:9/v2", Credentials::none())
        .timeouts(
            zoomgen_runtime::Timeouts::default()
                .with_connect(Some(Duration::from_secs(2)))
                .with_per_attempt(Some(Duration::from_secs(1)))
                .with_total(Some(Duration::from_millis(800))),
        )
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let error = api
        .download(&format!("http://{address}/slow"))
        .to_path(dir.path().join("slow"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                kind: zoomgen_runtime::TimeoutKind::Total,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn redirects_keep_the_token_on_the_same_host_and_drop_it_elsewhere() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    Mock::given(path("/rec/download/abc"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", "/rec/archive/abc".to_owned()),
        )
        .mount(&api)
        .await;
    Mock::given(path("/rec/archive/abc"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/bucket/abc.mp4?signature=s", storage.uri()),
        ))
        .mount(&api)
        .await;
    Mock::given(path("/bucket/abc.mp4"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(BODY))
        .mount(&storage)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("c.mp4");
    client("client-token")
        .download(&format!("{}/rec/download/abc", api.uri()))
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), BODY);
    let on_api = requests(&api).await;
    assert_eq!(on_api.len(), 2);
    assert!(
        on_api
            .iter()
            .all(|r| authorization(r).as_deref() == Some("Bearer client-token"))
    );
    let on_storage = requests(&storage).await;
    assert_eq!(on_storage.len(), 1);
    assert_eq!(authorization(&on_storage[0]), None);
}

/// A download of `url` to `target` by a client with a plain token.
async fn fetch(url: &str, target: &std::path::Path) -> Result<zoomgen_runtime::Downloaded, Error> {
    client("t").download(url).to_path(target).await
}

#[tokio::test]
async fn resumes_a_part_file_with_a_range_request() {
    let (_server, url) = serving("/f", |mock| {
        mock.and(header("range", "bytes=10-")).respond_with(
            ResponseTemplate::new(206)
                .insert_header("content-range", "bytes 10-35/36")
                .set_body_bytes(&BODY[10..]),
        )
    })
    .await;
    let (_dir, target) = cut_download("d.mp4", &BODY[..10]);
    let done = client("t")
        .download(&url)
        .expected_size(36)
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), BODY);
    assert_eq!((done.resumed_from, done.requests), (10, 1));
}

#[tokio::test]
async fn a_server_that_ignores_the_range_starts_the_file_over() {
    let (_server, url) = serving("/f", |mock| {
        mock.and(header_exists("range"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(BODY))
    })
    .await;
    let (_dir, target) = cut_download("e.mp4", b"stale bytes");
    fetch(&url, &target).await.unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), BODY);
}

#[tokio::test]
async fn a_content_range_that_does_not_continue_the_file_is_refused() {
    let (_server, url) = serving("/f", |mock| {
        mock.respond_with(
            ResponseTemplate::new(206)
                .insert_header("content-range", "bytes 0-35/36")
                .set_body_bytes(BODY),
        )
    })
    .await;
    let (_dir, target) = cut_download("f.mp4", &BODY[..10]);
    let error = fetch(&format!("{url}?access_token=hidden"), &target)
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::Download { .. }), "{error:?}");
    assert!(
        text.contains("bytes 0-35/36") && !text.contains("hidden"),
        "{text}"
    );
    assert!(!target.exists());
}

#[tokio::test]
async fn a_finished_part_file_is_completed_on_range_not_satisfiable() {
    let (_server, url) = serving("/f", |mock| {
        mock.respond_with(ResponseTemplate::new(416).insert_header("content-range", "bytes */36"))
    })
    .await;
    let (_dir, target) = cut_download("g.mp4", BODY);
    fetch(&url, &target).await.unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), BODY);
}

#[tokio::test]
async fn a_size_other_than_expected_fails_and_leaves_no_file() {
    let (_server, url) = serving("/f", |mock| {
        mock.respond_with(ResponseTemplate::new(200).set_body_bytes(BODY))
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("h.mp4");
    let error = client("t")
        .download(&url)
        .expected_size(100)
        .to_path(&target)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("100 were expected"), "{error}");
    assert!(!target.exists());
}

#[tokio::test]
async fn a_404_is_an_api_error_without_retries() {
    let (server, url) = serving("/f", |mock| {
        mock.respond_with(ResponseTemplate::new(404).set_body_json(
            serde_json::json!({"code": 3301, "message": "There is no recording for this meeting."}),
        ))
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let error = fetch(&url, &dir.path().join("i.mp4")).await.unwrap_err();
    match error {
        Error::Api(api) => assert_eq!((api.status, api.code), (404, Some(3301))),
        other => panic!("{other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn an_endless_download_stops_at_the_expected_size() {
    let address = endless_server(
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
        format!("{:x}\r\n{}\r\n", 4096, "z".repeat(4096)),
        Duration::ZERO,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("endless.mp4");
    let message = refusal(
        client("t")
            .download(&format!("http://{address}/endless"))
            .expected_size(10_000)
            .to_path(&target)
            .await,
    );
    assert!(message.contains("more than the 10000 bytes"), "{message}");
    assert!(!target.exists() && !part_path(&target).exists());
}

/// A file server whose first answer to `/flaky.mp4` is a 503 and every later one the file.
async fn flaky_file() -> (MockServer, String) {
    let server = MockServer::start().await;
    Mock::given(path("/flaky.mp4"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/flaky.mp4"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(BODY))
        .mount(&server)
        .await;
    let url = format!("{}/flaky.mp4", server.uri());
    (server, url)
}

#[tokio::test]
async fn a_download_takes_its_own_retry_configuration() {
    let (server, url) = flaky_file().await;
    let dir = tempfile::tempdir().unwrap();
    let once = client("t")
        .download(&url)
        .retry(RetryConfig::none())
        .to_path(dir.path().join("once.mp4"))
        .await;
    assert!(
        matches!(once, Err(Error::Api(ref api)) if api.status == 503),
        "{once:?}"
    );
    assert_eq!(requests(&server).await.len(), 1);
    // The client's configuration (retries with a short backoff) gets past the 503.
    let (_again, url) = flaky_file().await;
    let retried = fetch(&url, &dir.path().join("retried.mp4")).await.unwrap();
    assert_eq!((retried.bytes, retried.requests), (BODY.len() as u64, 2));
}

#[tokio::test]
async fn a_download_takes_its_own_time_limits() {
    let address = endless_server(
        "HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n",
        "x".to_owned(),
        Duration::from_millis(20),
    )
    .await;
    // The client has no limits at all; the download has a total one.
    let client = ApiClient::builder("https://api.zoom.us/v2", Credentials::none())
        .timeouts(Timeouts::none())
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let outcome = client
        .download(&format!("http://{address}/slow.mp4"))
        .without_credentials()
        .timeouts(Timeouts::none().with_total(Some(Duration::from_millis(300))))
        .to_path(dir.path().join("slow.mp4"))
        .await;
    assert!(
        matches!(
            outcome,
            Err(Error::Timeout {
                kind: TimeoutKind::Total,
                ..
            })
        ),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_download_is_observed_as_an_api_call_is() {
    let (logs, _capturing) = zoomgen_test_support::logs::capture();
    let (_server, url) = flaky_file().await;
    /// The attempts the hooks heard of: their number and status.
    type Seen = Arc<Mutex<Vec<(u32, Option<u16>)>>>;
    let seen = Seen::default();
    let record = seen.clone();
    let hooks = Hooks::new().after_response(move |attempt: AttemptRecord| {
        let record = record.clone();
        async move {
            record
                .lock()
                .unwrap()
                .push((attempt.number, attempt.status))
        }
    });
    let client = ApiClient::builder("https://api.zoom.us/v2", Credentials::bearer("t"))
        .download_hosts(["127.0.0.1"])
        .retry(super::fast_retry())
        .hooks(Arc::new(hooks))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let done = client
        .download(&url)
        .to_path(dir.path().join("flaky.mp4"))
        .await
        .unwrap();
    assert_eq!(done.requests, 2);
    assert_eq!(*seen.lock().unwrap(), [(1, Some(503)), (2, Some(200))]);
    let logs = logs.text();
    for field in [
        "zoomgen.request",
        "operation=\"download\"",
        "method=\"GET\"",
        "attempt=2",
        "status=200",
        "duration_ms=",
    ] {
        assert!(logs.contains(field), "no {field} in:\n{logs}");
    }
    // The URL's query (a download token may ride there) is not a span field.
    assert!(!logs.contains("flaky.mp4?"), "{logs}");
}
