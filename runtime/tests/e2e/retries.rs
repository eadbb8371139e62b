//! Retries after 429, 5xx and lost connections; per-attempt and total timeouts.

use std::time::{Duration, Instant, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_runtime::{ApiClient, Credentials, Error, Request, RetryConfig, TimeoutKind, Timeouts};

use crate::common::*;

/// Answers the first request with `first`, every later one with 200.
async fn first_then_ok(first: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/v2/users/me"))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v2/users/me"))
        .respond_with(ok_json(serde_json::json!({"id": "me"})))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> ApiClient {
    builder(server, Credentials::none()).build().unwrap()
}

fn create_meeting() -> Request {
    let mut request = Request::new(&CREATE_MEETING);
    request.path_param("userId", &"me", zoomgen_runtime::PathEncoding::Standard);
    request
}

#[tokio::test]
async fn too_many_requests_waits_retry_after_seconds() {
    let server = first_then_ok(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "1")
            .set_body_json(serde_json::json!({"code": 429, "message": "Too many requests"})),
    )
    .await;

    let started = Instant::now();
    let response = client(&server).execute(user_request("me")).await.unwrap();
    assert_eq!(response.status, 200);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(hits(&server, "/v2/users/me").await, 2);
}

#[tokio::test]
async fn too_many_requests_waits_until_retry_after_date() {
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(1));
    let server = first_then_ok(ResponseTemplate::new(429).insert_header("retry-after", at)).await;

    let started = Instant::now();
    // A POST too: a 429 means the server did not act on the request.
    let response = client(&server)
        .execute(create_meeting_at_me())
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert!(started.elapsed() <= Duration::from_millis(1500));
    assert_eq!(hits(&server, "/v2/users/me").await, 2);
}

/// `create_meeting` aimed at the path the `first_then_ok` server answers.
fn create_meeting_at_me() -> Request {
    static CREATE_AT_ME: zoomgen_runtime::OperationMeta = zoomgen_runtime::OperationMeta {
        operation_id: "userAction",
        method: zoomgen_runtime::HttpMethod::Post,
        path_template: "/users/me",
        rate_limit: None,
        scopes: &[],
        granular_scopes: &[],
    };
    Request::new(&CREATE_AT_ME)
}

#[tokio::test]
async fn retry_after_longer_than_allowed_returns_the_429() {
    let server =
        first_then_ok(ResponseTemplate::new(429).insert_header("retry-after", "3600")).await;

    let error = client(&server)
        .execute(user_request("me"))
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 429));
    assert_eq!(hits(&server, "/v2/users/me").await, 1);
}

#[tokio::test]
async fn server_error_then_success() {
    let server = first_then_ok(ResponseTemplate::new(500)).await;

    let response = client(&server).execute(user_request("me")).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(hits(&server, "/v2/users/me").await, 2);
}

#[tokio::test]
async fn server_error_on_post_is_not_retried_unless_marked_idempotent() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/users/me/meetings"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v2/users/me/meetings"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let client = client(&server);

    let error = client.execute(create_meeting()).await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 503));

    let mut request = create_meeting();
    request.idempotent(true);
    Mock::given(path("/v2/users/me/meetings"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    assert_eq!(client.execute(request).await.unwrap().status, 201);
    assert_eq!(hits(&server, "/v2/users/me/meetings").await, 3);
}

#[tokio::test]
async fn attempts_are_capped() {
    let server = answering("/v2/users/me", ResponseTemplate::new(502)).await;
    let client = builder(&server, Credentials::none())
        .retry(fast_retry().with_max_attempts(3))
        .build()
        .unwrap();

    let error = client.execute(user_request("me")).await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 502));
    assert_eq!(hits(&server, "/v2/users/me").await, 3);

    let mut once = user_request("me");
    once.retry(RetryConfig::none());
    client.execute(once).await.unwrap_err();
    assert_eq!(hits(&server, "/v2/users/me").await, 4, "per-call config");
}

#[tokio::test]
async fn retry_budget_caps_total_time() {
    let server = answering("/v2/users/me", ResponseTemplate::new(503)).await;
    let client = builder(&server, Credentials::none())
        .retry(
            RetryConfig::default()
                .with_max_attempts(100)
                .with_initial_backoff(Duration::from_millis(20))
                .with_max_backoff(Duration::from_millis(20))
                .with_jitter(false)
                .with_max_total(Duration::from_millis(100)),
        )
        .build()
        .unwrap();

    let error = client.execute(user_request("me")).await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 503));
    let attempts = hits(&server, "/v2/users/me").await;
    assert!((2..=6).contains(&attempts), "{attempts} attempts");
}

/// Serves 127.0.0.1: resets the first connection after reading its request, then answers
/// `{"id": "me"}` to the next one. A client of it, and the task that counts what it served.
async fn resetting_server() -> (ApiClient, tokio::task::JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut served = 0;
        for connection in 0..2 {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buffer = vec![0; 4096];
            let _ = stream.read(&mut buffer).await.unwrap();
            served += 1;
            if connection == 0 {
                stream.set_zero_linger().unwrap();
                drop(stream);
                continue;
            }
            let body = r#"{"id":"me"}"#;
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(response.as_bytes()).await.unwrap();
            stream.shutdown().await.unwrap();
        }
        served
    });
    let client = ApiClient::builder(&format!("http://{address}/v2"), Credentials::none())
        .retry(fast_retry())
        .build()
        .unwrap();
    (client, task)
}

#[tokio::test]
async fn connection_reset_is_retried() {
    let (client, server) = resetting_server().await;

    let response = client.execute(user_request("me")).await.unwrap();
    assert_eq!(response.body.as_ref(), br#"{"id":"me"}"#);
    assert_eq!(server.await.unwrap(), 2);
}

#[tokio::test]
async fn connection_reset_on_post_is_a_transport_error() {
    let (client, server) = resetting_server().await;

    let error = client.execute(create_meeting()).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "meetingCreate",
                ..
            }
        ),
        "{error:?}"
    );
    server.abort();
}

fn slow_server_client(server: &MockServer, timeouts: Timeouts) -> ApiClient {
    builder(server, Credentials::none())
        .timeouts(timeouts)
        .retry(fast_retry().with_max_attempts(2))
        .build()
        .unwrap()
}

/// `error` is a timeout of `kind` in the `user` operation.
fn assert_timeout(error: &Error, kind: TimeoutKind) {
    assert!(
        matches!(error, Error::Timeout { kind: k, operation: "user" } if *k == kind),
        "{error:?}"
    );
}

/// A mock API that answers user `me` after 400 ms.
async fn slow_server() -> MockServer {
    answering(
        "/v2/users/me",
        ok_json(serde_json::json!({})).set_delay(Duration::from_millis(400)),
    )
    .await
}

#[tokio::test]
async fn slow_response_hits_the_per_attempt_timeout() {
    let server = slow_server().await;
    let client = slow_server_client(
        &server,
        Timeouts::default().with_per_attempt(Some(Duration::from_millis(100))),
    );

    let started = Instant::now();
    let error = client.execute(user_request("me")).await.unwrap_err();
    assert_timeout(&error, TimeoutKind::Attempt);
    assert!(started.elapsed() < Duration::from_millis(400));
    assert_eq!(hits(&server, "/v2/users/me").await, 2, "retried once");
}

#[tokio::test]
async fn total_timeout_cuts_the_call_off() {
    let server = slow_server().await;
    let client = slow_server_client(
        &server,
        Timeouts::default()
            .with_per_attempt(None)
            .with_total(Some(Duration::from_millis(150))),
    );

    let error = client.execute(user_request("me")).await.unwrap_err();
    assert_timeout(&error, TimeoutKind::Total);
}

#[tokio::test]
async fn total_timeout_cuts_a_long_retry_wait_short() {
    // The server asks for a 5 s pause; the call has 300 ms in all.
    let server = first_then_ok(ResponseTemplate::new(429).insert_header("retry-after", "5")).await;
    let client = builder(&server, Credentials::none())
        .timeouts(Timeouts::default().with_total(Some(Duration::from_millis(300))))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.execute(user_request("me")).await.unwrap_err();
    assert_timeout(&error, TimeoutKind::Total);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(290) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert_eq!(hits(&server, "/v2/users/me").await, 1, "no second attempt");
}
