//! No access token, client secret or passcode in `Debug` output or logs.

use base64::Engine;
use wiremock::matchers::{bearer_token, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_runtime::http::{HeaderMap, HeaderValue};
use zoomgen_runtime::{ApiError, Credentials, Request, Secret};

use crate::common::*;

const TOKEN_1: &str = "tok-SECRET-first";
const TOKEN_2: &str = "tok-SECRET-second";
const PASSCODE: &str = "pass-SECRET-9";

fn assert_no_secret(what: &str, text: &str) {
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    for secret in [CLIENT_SECRET, TOKEN_1, TOKEN_2, PASSCODE, basic.as_str()] {
        assert!(!text.contains(secret), "{what} shows `{secret}`:\n{text}");
    }
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output_and_logs() {
    let (logs, _capturing) = zoomgen_test_support::logs::capture();

    let server = MockServer::start().await;
    mount_tokens(&server, &[TOKEN_1, TOKEN_2], 3600).await;
    Mock::given(bearer_token(TOKEN_1))
        .respond_with(invalid_token())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/users/me/meetings"))
        .and(bearer_token(TOKEN_2))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "id": 1,
            "password": PASSCODE,
            "join_url": format!("https://zoom.us/j/1?pwd={PASSCODE}"),
        })))
        .mount(&server)
        .await;

    let builder = builder(&server, s2s());
    assert_no_secret("ClientBuilder", &format!("{builder:?}"));
    let client = builder.build().unwrap();

    let mut request = Request::new(&CREATE_MEETING);
    request.path_param("userId", &"me", zoomgen_runtime::PathEncoding::Standard);
    request.query("passcode", &PASSCODE);
    request.header("x-meeting-passcode", &PASSCODE).unwrap();
    request
        .json_body(&serde_json::json!({"topic": "t", "password": PASSCODE}))
        .unwrap();
    assert_no_secret("Request", &format!("{request:?}"));

    let response = client.execute(request).await.unwrap();
    assert_eq!(response.status, 201);
    assert_no_secret("RawResponse", &format!("{response:?}"));
    assert_no_secret("ApiClient", &format!("{client:?}"));
    assert_no_secret("Credentials", &format!("{:?}", s2s()));
    assert_no_secret(
        "Credentials::bearer",
        &format!("{:?}", Credentials::bearer(TOKEN_1)),
    );
    assert_no_secret(
        "Secret",
        &format!("{:?} {}", Secret::new(TOKEN_1), Secret::new(TOKEN_1)),
    );

    let mut headers = HeaderMap::new();
    headers.insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {TOKEN_1}")).unwrap(),
    );
    headers.insert(
        "x-zm-trackingid",
        HeaderValue::from_static("v=2.0;clid=us06"),
    );
    let api = ApiError::from_response(
        &zoomgen_runtime::vendor::zoom::ZOOM,
        "meetingCreate",
        401,
        headers,
        r#"{"code": 124}"#.into(),
    );
    let debug = format!("{api:?}");
    assert_no_secret("ApiError", &debug);
    assert!(debug.contains("x-zm-trackingid"), "{debug}");

    let logs = logs.text();
    assert!(
        logs.contains("zoomgen.request"),
        "no request span in:\n{logs}"
    );
    assert!(
        logs.contains("meetingCreate") && logs.contains("attempt=2"),
        "{logs}"
    );
    // A call records its span's fields only for a subscriber that listens; this one does, so
    // it sees the status and the time the call took.
    assert!(
        logs.contains("status=201") && logs.contains("duration_ms="),
        "{logs}"
    );
    assert_no_secret("logs", &logs);
}

#[tokio::test]
async fn a_refused_token_request_shows_no_secret() {
    let server = answering("/oauth/token", token_refusal(401)).await;
    let client = builder(&server, s2s()).build().unwrap();

    let error = client.execute(user_request("me")).await.unwrap_err();
    assert_no_secret("Error::Auth", &format!("{error:?} {error}"));
}
