//! Mock servers, operations and clients the tests share.

use std::time::Duration;

use wiremock::matchers::{basic_auth, body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_runtime::{
    ApiClient, ClientBuilder, Credentials, HttpMethod, OperationMeta, RateClass, RetryConfig,
};

/// Zoom's rate-limit classes the tests use.
pub const LIGHT: RateClass = RateClass::new("Light");
pub const HEAVY: RateClass = RateClass::new("Heavy");

pub static GET_USER: OperationMeta = OperationMeta {
    operation_id: "user",
    method: HttpMethod::Get,
    path_template: "/users/{userId}",
    rate_limit: Some(LIGHT),
    scopes: &[],
    granular_scopes: &[],
};

pub static CREATE_MEETING: OperationMeta = OperationMeta {
    operation_id: "meetingCreate",
    method: HttpMethod::Post,
    path_template: "/users/{userId}/meetings",
    rate_limit: Some(LIGHT),
    scopes: &[],
    granular_scopes: &[],
};

pub const ACCOUNT_ID: &str = "acct-42";
pub const CLIENT_ID: &str = "client-id-7";
pub const CLIENT_SECRET: &str = "client-secret-Zx81";

/// Backoff of a few milliseconds so retry tests stay fast.
pub fn fast_retry() -> RetryConfig {
    RetryConfig::default()
        .with_initial_backoff(Duration::from_millis(2))
        .with_max_backoff(Duration::from_millis(10))
}

pub fn s2s() -> Credentials {
    Credentials::server_to_server(ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET)
}

/// A client of `server`, a Zoom API, that fetches tokens from it too.
pub fn builder(server: &MockServer, credentials: Credentials) -> ClientBuilder {
    ApiClient::builder(&format!("{}/v2", server.uri()), credentials)
        .vendor(&zoomgen_runtime::vendor::zoom::ZOOM)
        .oauth_base_url(&server.uri())
        .retry(fast_retry())
}

/// Answers each token request with the next of `tokens`, the last one from then on.
pub async fn mount_tokens(server: &MockServer, tokens: &[&str], expires_in: u64) {
    for (i, token) in tokens.iter().enumerate() {
        let mock = Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .and(basic_auth(CLIENT_ID, CLIENT_SECRET))
            .and(body_string_contains("grant_type=account_credentials"))
            .and(body_string_contains(format!("account_id={ACCOUNT_ID}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": token,
                "token_type": "bearer",
                "expires_in": expires_in,
                "scope": "user:read:admin",
            })));
        let mock = if i + 1 < tokens.len() {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(server).await;
    }
}

/// How many requests `server` received at `path`.
pub async fn hits(server: &MockServer, at: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|request| request.url.path() == at)
        .count()
}

pub fn user_request(id: &str) -> zoomgen_runtime::Request {
    let mut request = zoomgen_runtime::Request::new(&GET_USER);
    request.path_param("userId", &id, zoomgen_runtime::PathEncoding::Standard);
    request
}

/// Zoom's answer to a revoked or expired access token.
pub fn invalid_token() -> ResponseTemplate {
    ResponseTemplate::new(401)
        .set_body_json(serde_json::json!({"code": 124, "message": "Invalid access token."}))
}

/// Zoom's answer, with `status`, to a token request with a wrong client id or secret.
pub fn token_refusal(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(serde_json::json!({
        "reason": "Invalid client_id or client_secret",
        "error": "invalid_client",
    }))
}

pub fn ok_json(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// A mock API that answers every request for `at` with `response`.
pub async fn answering(at: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path(at))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// `calls` requests for user `me` at once, each on its own task with a clone of `client`;
/// their outcomes, in the order they were started.
pub async fn at_once(
    client: &ApiClient,
    calls: usize,
) -> Vec<Result<zoomgen_runtime::RawResponse, zoomgen_runtime::Error>> {
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.execute(user_request("me")).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("the call's task ran to its end"));
    }
    outcomes
}
