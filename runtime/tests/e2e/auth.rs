//! Server-to-Server OAuth, static bearer tokens and custom providers.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use wiremock::matchers::{bearer_token, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_runtime::{Credentials, Error, Request, Secret, TokenProvider};

use crate::common::*;

async fn mount_user(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path("/v2/users/me"))
        .and(bearer_token(token))
        .respond_with(ok_json(serde_json::json!({"id": "me"})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn token_is_fetched_once_and_cached() {
    let server = MockServer::start().await;
    mount_tokens(&server, &["tok-1"], 3600).await;
    mount_user(&server, "tok-1").await;
    let client = builder(&server, s2s()).build().unwrap();

    for _ in 0..3 {
        let response = client.execute(user_request("me")).await.unwrap();
        assert_eq!(response.status, 200);
    }
    assert_eq!(hits(&server, "/oauth/token").await, 1);
}

#[tokio::test]
async fn an_absurd_expires_in_is_clamped_not_a_panic() {
    let server = MockServer::start().await;
    mount_tokens(&server, &["tok-1"], u64::MAX).await;
    mount_user(&server, "tok-1").await;
    let client = builder(&server, s2s()).build().unwrap();
    for _ in 0..2 {
        assert_eq!(
            client.execute(user_request("me")).await.unwrap().status,
            200
        );
    }
    assert_eq!(hits(&server, "/oauth/token").await, 1);
}

/// A mock API handing out `tok-1`, then `tok-2`, each valid for `expires_in` seconds, and
/// answering user `me` for both.
async fn two_tokens(expires_in: u64) -> MockServer {
    let server = MockServer::start().await;
    mount_tokens(&server, &["tok-1", "tok-2"], expires_in).await;
    mount_user(&server, "tok-1").await;
    mount_user(&server, "tok-2").await;
    server
}

#[tokio::test]
async fn token_is_refreshed_before_it_expires() {
    // A one-second token: with the margin capped at half its lifetime it is replaced after 0.5 s.
    let server = two_tokens(1).await;
    let client = builder(&server, s2s()).build().unwrap();

    client.execute(user_request("me")).await.unwrap();
    client.execute(user_request("me")).await.unwrap();
    assert_eq!(hits(&server, "/oauth/token").await, 1, "still fresh");

    tokio::time::sleep(Duration::from_millis(600)).await;
    client.execute(user_request("me")).await.unwrap();
    assert_eq!(
        hits(&server, "/oauth/token").await,
        2,
        "refreshed before expiry"
    );
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(last.headers["authorization"], "Bearer tok-2");
}

#[tokio::test]
async fn refresh_margin_is_configurable() {
    let server = two_tokens(3600).await;
    let client = builder(&server, s2s())
        .token_refresh_margin(Duration::from_secs(3599))
        .build()
        .unwrap();

    client.execute(user_request("me")).await.unwrap();
    // 3600 s with the margin capped at 1800 s: still fresh, so no needless refresh.
    client.execute(user_request("me")).await.unwrap();
    assert_eq!(hits(&server, "/oauth/token").await, 1);
}

#[tokio::test]
async fn unauthorized_refreshes_once_and_retries_once() {
    let server = MockServer::start().await;
    mount_tokens(&server, &["tok-revoked", "tok-2"], 3600).await;
    Mock::given(bearer_token("tok-revoked"))
        .respond_with(invalid_token())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/users/me/meetings"))
        .and(bearer_token("tok-2"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": 1})))
        .mount(&server)
        .await;
    let client = builder(&server, s2s()).build().unwrap();

    // A POST too: a 401 means the server did not act on the request.
    let mut request = Request::new(&CREATE_MEETING);
    request.path_param("userId", &"me", zoomgen_runtime::PathEncoding::Standard);
    request
        .json_body(&serde_json::json!({"topic": "t"}))
        .unwrap();
    let response = client.execute(request).await.unwrap();
    assert_eq!(response.status, 201);
    assert_eq!(hits(&server, "/oauth/token").await, 2);
    assert_eq!(hits(&server, "/v2/users/me/meetings").await, 2);
}

#[tokio::test]
async fn a_second_unauthorized_is_returned() {
    let server = MockServer::start().await;
    mount_tokens(&server, &["tok-1", "tok-2", "tok-3"], 3600).await;
    Mock::given(path("/v2/users/me"))
        .respond_with(invalid_token())
        .mount(&server)
        .await;
    let client = builder(&server, s2s()).build().unwrap();

    let error = client.execute(user_request("me")).await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 401 && api.code == Some(124)));
    assert_eq!(hits(&server, "/oauth/token").await, 2, "one refresh only");
    assert_eq!(hits(&server, "/v2/users/me").await, 2, "one retry only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_concurrent_calls_make_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "tok-1", "expires_in": 3600}))
                .set_delay(Duration::from_millis(100)),
        )
        .mount(&server)
        .await;
    mount_user(&server, "tok-1").await;
    let client = builder(&server, s2s()).build().unwrap();

    for outcome in at_once(&client, 100).await {
        assert_eq!(outcome.unwrap().status, 200);
    }
    assert_eq!(hits(&server, "/oauth/token").await, 1);
    assert_eq!(hits(&server, "/v2/users/me").await, 100);
}

#[tokio::test]
async fn token_endpoint_refusal_is_an_auth_error() {
    let server = answering("/oauth/token", token_refusal(400)).await;
    let client = builder(&server, s2s()).build().unwrap();

    let error = client.execute(user_request("me")).await.unwrap_err();
    let Error::Auth { message, source } = &error else {
        panic!("expected an auth error, got {error:?}");
    };
    assert!(message.contains("Invalid client_id"), "{message}");
    assert!(matches!(source.as_deref(), Some(Error::Api(api)) if api.status == 400));
    assert_eq!(hits(&server, "/v2/users/me").await, 0);
}

#[tokio::test]
async fn static_bearer_token_is_sent_and_a_401_is_final() {
    let server = MockServer::start().await;
    Mock::given(bearer_token("webex-token"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = builder(&server, Credentials::bearer("webex-token"))
        .build()
        .unwrap();

    let error = client.execute(user_request("me")).await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 401));
    assert_eq!(hits(&server, "/v2/users/me").await, 1, "nothing to refresh");
}

#[tokio::test]
async fn no_credentials_send_no_authorization() {
    let server = answering("/v2/users/me", ok_json(serde_json::json!({}))).await;
    let client = builder(&server, Credentials::none()).build().unwrap();

    client.execute(user_request("me")).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert!(!sent[0].headers.contains_key("authorization"));
}

/// Hands out `tok-N`, refreshing only when the rejected token is the current one; with
/// `at_hand`, it also offers the current token without a future (`current`).
#[derive(Debug, Default)]
struct CountingProvider {
    issued: AtomicUsize,
    /// Calls of `token`.
    asked: AtomicUsize,
    at_hand: bool,
}

impl TokenProvider for CountingProvider {
    fn token<'a>(
        &'a self,
        stale: Option<&'a Secret>,
    ) -> Pin<Box<dyn Future<Output = Result<Secret, Error>> + Send + 'a>> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            let current = self.issued.load(Ordering::SeqCst);
            let current_token = Secret::new(format!("tok-{current}"));
            if stale == Some(&current_token) {
                let next = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
                return Ok(Secret::new(format!("tok-{next}")));
            }
            Ok(current_token)
        })
    }

    fn current(&self) -> Option<Secret> {
        let current = self.issued.load(Ordering::SeqCst);
        self.at_hand.then(|| Secret::new(format!("tok-{current}")))
    }
}

/// With the token asked for (`token`) or at hand (`current`), a 401 makes the client ask the
/// provider for a fresh one, and the call is retried once with it.
#[tokio::test]
async fn custom_provider_is_asked_for_a_fresh_token_after_a_401() {
    for at_hand in [false, true] {
        let server = MockServer::start().await;
        Mock::given(bearer_token("tok-0"))
            .respond_with(ResponseTemplate::new(401))
            .mount(&server)
            .await;
        mount_user(&server, "tok-1").await;
        let provider = Arc::new(CountingProvider {
            at_hand,
            ..CountingProvider::default()
        });
        let client = builder(&server, Credentials::provider(provider.clone()))
            .build()
            .unwrap();

        assert_eq!(
            client.execute(user_request("me")).await.unwrap().status,
            200,
            "at hand: {at_hand}"
        );
        assert_eq!(provider.issued.load(Ordering::SeqCst), 1);
        // A token at hand needs no call of `token` until the 401.
        let asked = if at_hand { 1 } else { 2 };
        assert_eq!(provider.asked.load(Ordering::SeqCst), asked);
        let sent = server.received_requests().await.unwrap();
        let tokens: Vec<_> = sent
            .iter()
            .map(|request| {
                request.headers["authorization"]
                    .to_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(
            tokens,
            ["Bearer tok-0", "Bearer tok-1"],
            "at hand: {at_hand}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_a_failed_token_request() {
    let server = answering(
        "/oauth/token",
        ResponseTemplate::new(503).set_delay(Duration::from_millis(100)),
    )
    .await;
    let client = builder(&server, s2s()).build().unwrap();

    for outcome in at_once(&client, 20).await {
        let error = outcome.unwrap_err();
        assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    }
    assert_eq!(hits(&server, "/oauth/token").await, 1);

    // A later call tries again.
    client.execute(user_request("me")).await.unwrap_err();
    assert_eq!(hits(&server, "/oauth/token").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_errors_and_calls_can_cross_threads() {
    let server = MockServer::start().await;
    mount_tokens(&server, &["tok-1"], 3600).await;
    mount_user(&server, "tok-1").await;
    let client = builder(&server, s2s()).build().unwrap();
    // Clones of one client on the runtime's worker threads share its token.
    for outcome in at_once(&client, 8).await {
        assert_eq!(outcome.unwrap().status, 200);
    }
    assert_eq!(
        hits(&server, "/oauth/token").await,
        1,
        "one token for all threads"
    );
    // An error made on one thread is read on another.
    let error = std::thread::spawn(|| Error::Config {
        message: "made elsewhere".into(),
    })
    .join()
    .unwrap();
    assert!(error.to_string().contains("made elsewhere"), "{error}");
}

/// A fleet's state at the moment another worker stores its token: the first look finds none,
/// and by the time the lock is taken the token is there (and the lock was free again).
#[derive(Debug, Default)]
struct TokenArrivesMeanwhile {
    looks: AtomicUsize,
    stored: std::sync::Mutex<Vec<String>>,
}

impl zoomgen_runtime::SharedState for TokenArrivesMeanwhile {
    fn reserve<'a>(
        &'a self,
        _: zoomgen_runtime::Reservation<'a>,
    ) -> zoomgen_runtime::BoxFuture<'a, zoomgen_runtime::Admission> {
        Box::pin(std::future::ready(zoomgen_runtime::Admission::After(
            Duration::ZERO,
        )))
    }

    fn pause<'a>(&'a self, _: &'a str, _: Duration, _: bool) -> zoomgen_runtime::BoxFuture<'a, ()> {
        Box::pin(std::future::ready(()))
    }

    fn first_delivery<'a>(
        &'a self,
        _: &'a str,
        _: Duration,
    ) -> zoomgen_runtime::BoxFuture<'a, bool> {
        Box::pin(std::future::ready(true))
    }

    fn is_shared(&self) -> bool {
        true
    }

    fn shared_token(&self) -> zoomgen_runtime::BoxFuture<'_, Option<(Secret, Duration)>> {
        let first_look = self.looks.fetch_add(1, Ordering::SeqCst) == 0;
        let token = (!first_look).then(|| {
            (
                Secret::from("tok-fleet".to_owned()),
                Duration::from_secs(3600),
            )
        });
        Box::pin(std::future::ready(token))
    }

    fn store_token<'a>(
        &'a self,
        token: &'a Secret,
        _: Duration,
    ) -> zoomgen_runtime::BoxFuture<'a, ()> {
        self.stored.lock().unwrap().push(token.expose().to_owned());
        Box::pin(std::future::ready(()))
    }
}

#[tokio::test]
async fn a_token_stored_while_the_lock_was_taken_is_used_not_fetched_again() {
    let server = MockServer::start().await;
    mount_tokens(&server, &["tok-own"], 3600).await;
    mount_user(&server, "tok-fleet").await;
    let state = Arc::new(TokenArrivesMeanwhile::default());
    let client = builder(&server, s2s())
        .shared_state(state.clone())
        .build()
        .unwrap();
    assert_eq!(
        client.execute(user_request("me")).await.unwrap().status,
        200
    );
    assert_eq!(
        hits(&server, "/oauth/token").await,
        0,
        "no token of its own"
    );
    // Storing the found token again is what releases the lock for the others.
    assert_eq!(*state.stored.lock().unwrap(), ["tok-fleet"]);
}

#[tokio::test]
async fn hooks_from_plain_async_closures_see_token_api_and_download_requests() {
    use std::sync::Mutex;
    use zoomgen_runtime::{AttemptRecord, Hooks};

    let server = MockServer::start().await;
    mount_tokens(&server, &["s2s-token"], 3600).await;
    Mock::given(method("GET"))
        .and(path("/v2/users/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "u"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/rec/file.mp4"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"video".to_vec()))
        .mount(&server)
        .await;
    /// Each request the hooks heard of: its operation and status.
    type Seen = Arc<Mutex<Vec<(String, Option<u16>)>>>;
    let seen = Seen::default();
    let record = seen.clone();
    let hooks = Hooks::new()
        .before_request(
            |_operation, mut request: zoomgen_runtime::reqwest::Request| async move {
                request
                    .headers_mut()
                    .insert("x-team", http::HeaderValue::from_static("billing"));
                Ok(request)
            },
        )
        .after_response(move |attempt: AttemptRecord| {
            let record = record.clone();
            async move {
                record
                    .lock()
                    .unwrap()
                    .push((attempt.operation.operation_id.to_owned(), attempt.status));
            }
        });
    let client = builder(&server, s2s())
        .hooks(Arc::new(hooks))
        .download_hosts(["127.0.0.1"])
        .build()
        .unwrap();
    client.execute(user_request("me")).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    client
        .download(&format!("{}/rec/file.mp4", server.uri()))
        .to_path(dir.path().join("file.mp4"))
        .await
        .unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("oauth.token".to_owned(), Some(200)),
            ("user".to_owned(), Some(200)),
            ("download".to_owned(), Some(200)),
        ]
    );
    // Every request carried the header the hook added.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.headers.get("x-team").is_some()));
}
