//! The runtime's cloud-recording helpers against mock servers on 127.0.0.1: downloads
//! (authorization, redirects, resume, size checks), webhook verification and date windows.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{Datelike as _, NaiveDate};
use futures_util::{StreamExt, stream};
use http::HeaderMap;
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};
use zoomgen_runtime::download::part_path;
use zoomgen_runtime::webhook::{Incoming, WebhookError, WebhookVerifier, url_validation_response};
use zoomgen_runtime::windows::{items_between, month_windows};
use zoomgen_runtime::{
    ApiClient, Credentials, Error, HttpMethod, OperationMeta, PageStream, RetryConfig,
};

const BODY: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// A temporary folder and the path of `name` in it, whose part file holds `part`: a download
/// cut before it ended.
fn cut_download(name: &str, part: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join(name);
    std::fs::write(part_path(&target), part).unwrap();
    (dir, target)
}

/// A client of Zoom's API host that also trusts the mock file servers on 127.0.0.1.
fn client(token: &str) -> ApiClient {
    ApiClient::builder("https://api.zoom.us/v2", Credentials::bearer(token))
        .download_hosts(["127.0.0.1"])
        .retry(
            RetryConfig::default()
                .with_initial_backoff(Duration::from_millis(2))
                .with_max_backoff(Duration::from_millis(10)),
        )
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

/// Zoom's client with the default credential hosts only.
fn zoom_client() -> ApiClient {
    ApiClient::builder(
        "https://api.zoom.us/v2",
        Credentials::bearer("client-token"),
    )
    .build()
    .unwrap()
}

fn refusal(result: Result<zoomgen_runtime::Downloaded, Error>) -> String {
    match result {
        Err(Error::Download { message, .. }) => message,
        other => panic!("expected the download to be refused, got {other:?}"),
    }
}

#[tokio::test]
async fn credentials_never_go_to_a_host_the_client_does_not_trust() {
    // A download URL from a forged webhook, on a host that is not Zoom's.
    let attacker = MockServer::start().await;
    Mock::given(path("/steal"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(BODY))
        .mount(&attacker)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/steal", attacker.uri());
    let message = refusal(
        zoom_client()
            .download(&url)
            .to_path(dir.path().join("a"))
            .await,
    );
    assert!(
        message.contains("refusing to send credentials"),
        "{message}"
    );
    assert!(message.contains("127.0.0.1"), "{message}");
    let message = refusal(
        zoom_client()
            .download(&url)
            .access_token("webhook-download-token")
            .to_path(dir.path().join("b"))
            .await,
    );
    assert!(message.contains("not the API's"), "{message}");
    assert!(
        requests(&attacker).await.is_empty(),
        "nothing reached the host"
    );
    assert!(!dir.path().join("a").exists() && !part_path(&dir.path().join("a")).exists());

    // Asked for explicitly, the same link downloads without any credentials.
    zoom_client()
        .download(&url)
        .without_credentials()
        .to_path(dir.path().join("c"))
        .await
        .unwrap();
    let sent = requests(&attacker).await;
    assert_eq!((sent.len(), authorization(&sent[0])), (1, None));
}

#[tokio::test]
async fn credentials_go_over_https_to_the_api_domain_and_allowed_hosts_only() {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("f");
    // Zoom's download hosts sit under the API's parent domain: accepted as hosts, but not
    // over plain http. None of these URLs is fetched.
    let message = refusal(
        zoom_client()
            .download("http://us06web.zoom.us/rec/download/abc")
            .to_path(&to)
            .await,
    );
    assert!(message.contains("is not https"), "{message}");
    for hostile in [
        "https://evil.example./rec/download/abc",
        "https://zoom.us.evil.example/rec/download/abc",
        "https://evilzoom.us/rec/download/abc",
        "https://api.zoom.us.example/x",
    ] {
        let message = refusal(zoom_client().download(hostile).to_path(&to).await);
        assert!(message.contains("not the API's"), "{hostile}: {message}");
    }
    let allowed = ApiClient::builder("https://api.zoom.us/v2", Credentials::bearer("t"))
        .download_hosts(["files.example.com"])
        .build()
        .unwrap();
    let message = refusal(
        allowed
            .download("http://files.example.com/x")
            .to_path(&to)
            .await,
    );
    assert!(message.contains("is not https"), "{message}");

    // A proxy on a shared hosting domain trusts itself, not its neighbours.
    let proxy = ApiClient::builder(
        "https://my-proxy.herokuapp.com/v2",
        Credentials::bearer("t"),
    )
    .build()
    .unwrap();
    let message = refusal(
        proxy
            .download("https://attacker.herokuapp.com/x")
            .to_path(&to)
            .await,
    );
    assert!(message.contains("not the API's"), "{message}");
    // An allow-list that would trust everything is refused when the client is built.
    for everything in ["", "com", "herokuapp.com"] {
        let built = ApiClient::builder("https://api.zoom.us/v2", Credentials::bearer("t"))
            .download_hosts([everything])
            .build();
        assert!(
            matches!(built, Err(Error::Config { .. })),
            "{everything:?}: {built:?}"
        );
    }
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

const SECRET: &str = "wh-secret-token";
const NOW: u64 = 1_700_000_000;

fn fixed_now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::new(SECRET).unwrap().clock(fixed_now)
}

fn signed(body: &[u8], timestamp: u64) -> HeaderMap {
    let timestamp = timestamp.to_string();
    let mut headers = HeaderMap::new();
    let signature = verifier().sign(&timestamp, body);
    headers.insert("x-zm-signature", signature.parse().unwrap());
    headers.insert("x-zm-request-timestamp", timestamp.parse().unwrap());
    headers
}

const EVENT: &[u8] =
    br#"{"event":"recording.completed","event_ts":1700000000123,"payload":{"account_id":"a"}}"#;

#[test]
fn a_valid_signature_over_the_raw_body_passes() {
    let headers = signed(EVENT, NOW - 30);
    assert_eq!(verifier().verify(&headers, EVENT), Ok(()));
    assert_eq!(
        verifier().handle(&headers, EVENT),
        Ok(Incoming::Event(EVENT))
    );
}

#[test]
fn the_signature_matches_an_independent_computation() {
    // HMAC-SHA256("wh-secret-token", "v0:1700000000:{}"), computed with Python's hmac module.
    let expected = "v0=598c5a579f5df3f8203286d5b9ed738fb66357fc8645ba871d8e9b02d97b2b8f";
    assert_eq!(verifier().sign("1700000000", b"{}"), expected);
}

#[test]
fn a_tampered_body_or_signature_is_rejected() {
    let headers = signed(EVENT, NOW);
    let tampered = String::from_utf8(EVENT.to_vec())
        .unwrap()
        .replace("\"a\"", "\"b\"");
    assert_eq!(
        verifier().verify(&headers, tampered.as_bytes()),
        Err(WebhookError::BadSignature)
    );
    let mut wrong = headers.clone();
    wrong.insert("x-zm-signature", "v0=00ff".parse().unwrap());
    assert_eq!(
        verifier().verify(&wrong, EVENT),
        Err(WebhookError::BadSignature)
    );
    let mut unprefixed = headers.clone();
    let bare = verifier().sign(&NOW.to_string(), EVENT).replace("v0=", "");
    unprefixed.insert("x-zm-signature", bare.parse().unwrap());
    assert_eq!(
        verifier().verify(&unprefixed, EVENT),
        Err(WebhookError::BadSignature)
    );
    let other_secret = WebhookVerifier::new("another").unwrap().clock(fixed_now);
    assert_eq!(
        other_secret.verify(&headers, EVENT),
        Err(WebhookError::BadSignature)
    );
}

#[test]
fn stale_and_future_timestamps_are_rejected_outside_the_window() {
    let stale = signed(EVENT, NOW - 301);
    assert_eq!(
        verifier().verify(&stale, EVENT),
        Err(WebhookError::Stale {
            skew_secs: 301,
            tolerance_secs: 300
        })
    );
    let future = signed(EVENT, NOW + 400);
    assert!(matches!(
        verifier().verify(&future, EVENT),
        Err(WebhookError::Stale { .. })
    ));
    let wide = verifier().tolerance(Duration::from_secs(600));
    assert_eq!(wide.verify(&future, EVENT), Ok(()));
    let mut headers = signed(EVENT, NOW);
    headers.insert("x-zm-request-timestamp", "yesterday".parse().unwrap());
    assert_eq!(
        verifier().verify(&headers, EVENT),
        Err(WebhookError::BadTimestamp)
    );
    headers.remove("x-zm-signature");
    assert_eq!(
        verifier().verify(&headers, EVENT),
        Err(WebhookError::MissingHeader("x-zm-signature"))
    );
}

#[test]
fn url_validation_is_answered_with_the_hmac_of_the_plain_token() {
    let body = br#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#;
    let answer = verifier().handle(&signed(body, NOW), body).unwrap();
    let expected = url_validation_response("qgg8vlvZRS6UYooatFL8Aw", SECRET);
    assert_eq!(answer, Incoming::UrlValidation(expected.clone()));
    // The HMAC computed with Python's hmac module.
    assert_eq!(
        expected,
        serde_json::json!({
            "plainToken": "qgg8vlvZRS6UYooatFL8Aw",
            "encryptedToken": "9dbafdf952c044c97cc19d736a036a378e7b25b648e921528557c5afca0cc906",
        })
    );
    // An unsigned validation request gets no answer.
    assert!(verifier().handle(&HeaderMap::new(), body).is_err());
}

static LIST: OperationMeta = OperationMeta {
    operation_id: "recordingsList",
    method: HttpMethod::Get,
    path_template: "/users/{userId}/recordings",
    rate_limit: None,
    scopes: &[],
    granular_scopes: &[],
};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn windows_yield_each_keyed_item_once_and_stop_at_the_first_error() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let log = calls.clone();
    let items: Vec<_> = items_between(
        &LIST,
        date("2024-01-20"),
        date("2024-03-05"),
        move |first, last| -> PageStream<'static, (Option<String>, u32)> {
            log.lock().unwrap().push((first, last));
            // Each window returns its own item, the edge item "e", and an item without a key.
            let own = (Some(first.to_string()), 1);
            let edge = (Some("e".to_owned()), 2);
            Box::pin(stream::iter([Ok(own), Ok(edge), Ok((None, 3))]))
        },
        |item| item.0.clone(),
    )
    .collect()
    .await;
    let keys: Vec<_> = items
        .iter()
        .map(|i| i.as_ref().unwrap().0.clone())
        .collect();
    assert_eq!(
        keys,
        vec![
            Some("2024-01-20".to_owned()),
            Some("e".to_owned()),
            None,
            Some("2024-02-01".to_owned()),
            None,
            Some("2024-03-01".to_owned()),
            None,
        ]
    );
    assert_eq!(
        *calls.lock().unwrap(),
        month_windows(date("2024-01-20"), date("2024-03-05"))
    );

    let failing: Vec<_> = items_between(
        &LIST,
        date("2024-01-01"),
        date("2024-03-31"),
        |first, _| -> PageStream<'static, u32> {
            if first.month0() == 1 {
                Box::pin(stream::iter([Err(Error::Config {
                    message: "boom".into(),
                })]))
            } else {
                Box::pin(stream::iter([Ok(first.month0())]))
            }
        },
        |_| None,
    )
    .collect()
    .await;
    assert_eq!(failing.len(), 2);
    assert!(failing[1].is_err());

    let reversed: Vec<_> = items_between(
        &LIST,
        date("2024-02-01"),
        date("2024-01-01"),
        |_, _| -> PageStream<'static, u32> { Box::pin(stream::empty()) },
        |_| None,
    )
    .collect()
    .await;
    assert!(matches!(
        reversed.as_slice(),
        [Err(Error::Validation { .. })]
    ));
}

#[test]
fn an_empty_or_blank_secret_token_is_refused() {
    for blank in ["", " ", "\n", "\0", " \t\r\n"] {
        assert!(
            matches!(WebhookVerifier::new(blank), Err(WebhookError::EmptySecret)),
            "{blank:?}"
        );
    }
    assert!(WebhookVerifier::new(String::from("s")).is_ok());
    assert!(WebhookVerifier::new(" s ").is_ok());
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
