//! API error bodies, decode errors and local validation.

use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_runtime::{
    __private::validate, ApiClient, Credentials, Error, HttpMethod, OperationMeta, Request,
};

use crate::common::*;

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct RecordingList {
    meetings: Vec<Meeting>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Meeting {
    recording_files: Vec<RecordingFile>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct RecordingFile {
    file_size: u64,
}

/// A mock API answering user `me` with `template`, and a client of it.
async fn client_answered(template: ResponseTemplate) -> (MockServer, ApiClient) {
    let server = answering("/v2/users/me", template).await;
    let client = builder(&server, Credentials::none()).build().unwrap();
    (server, client)
}

#[tokio::test]
async fn decode_error_names_the_field_path_and_quotes_the_body() {
    let body = r#"{"meetings": [{"recording_files": [{"file_size": 1}, {"file_size": 2}, {"file_size": "lots"}]}]}"#;
    let (_server, client) = client_answered(ResponseTemplate::new(200).set_body_string(body)).await;

    let response = client.execute(user_request("me")).await.unwrap();
    let error = response.json::<RecordingList>().unwrap_err();
    let Error::Decode {
        operation,
        path,
        excerpt,
        ..
    } = &error
    else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(*operation, "user");
    assert_eq!(path, "meetings[0].recording_files[2].file_size");
    assert!(excerpt.contains(r#""lots""#), "{excerpt}");
    assert!(
        error
            .to_string()
            .contains("meetings[0].recording_files[2].file_size")
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_a_short_excerpt() {
    let body = format!(
        r#"{{"meetings": [{{"recording_files": []}}, {} oops"#,
        " ".repeat(500)
    );
    let (_server, client) = client_answered(ResponseTemplate::new(200).set_body_string(body)).await;

    let response = client.execute(user_request("me")).await.unwrap();
    let error = response.json::<RecordingList>().unwrap_err();
    let Error::Decode { path, excerpt, .. } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(path.starts_with("meetings"), "{path}");
    assert!(
        excerpt.contains("oops") && excerpt.chars().count() <= 200,
        "{excerpt:?}"
    );
}

#[tokio::test]
async fn zoom_error_body_is_parsed() {
    let (_server, client) =
        client_answered(ResponseTemplate::new(404).set_body_json(
            serde_json::json!({"code": 1001, "message": "User does not exist: me."}),
        ))
        .await;

    let error = client.execute(user_request("me")).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!((api.status, api.code), (404, Some(1001)));
    assert_eq!(api.message.as_deref(), Some("User does not exist: me."));
    assert!(api.errors.is_empty());
    assert!(api.body.starts_with(b"{"));
    assert_eq!(
        error.to_string(),
        "user: HTTP 404, code 1001: User does not exist: me."
    );
}

#[tokio::test]
async fn a_401_whose_body_is_not_json_is_an_api_error_with_the_raw_text() {
    // Unescaped quotes inside `message`, as a live 401 sent them.
    let text = r#"{"code":124,"message":"Invalid access token, "Bearer" expected."}"#;
    let (_server, client) = client_answered(ResponseTemplate::new(401).set_body_string(text)).await;
    let error = client.execute(user_request("me")).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(
        (api.status, api.code, api.message.as_deref()),
        (401, None, None)
    );
    assert_eq!(api.body, text.as_bytes());
    assert_eq!(error.to_string(), "user: HTTP 401");
}

#[tokio::test]
async fn a_token_without_the_operations_scopes_is_a_typed_error_naming_them() {
    static LIST_RECORDINGS_SCOPED: OperationMeta = OperationMeta {
        operation_id: "recordingsList",
        method: HttpMethod::Get,
        path_template: "/users/{userId}/recordings",
        rate_limit: None,
        scopes: &["recording:read:admin", "recording:read"],
        granular_scopes: &["cloud_recording:read:list_user_recordings"],
    };
    let server = MockServer::start().await;
    mount_tokens(&server, &["s2s-token"], 3600).await;
    Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path("/v2/users/me/recordings"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "code": 4711,
            "message": "Invalid access token, does not contain scopes:[recording:read:admin, cloud_recording:read:list_user_recordings:admin]."
        })))
        .mount(&server)
        .await;
    let client = builder(&server, s2s()).build().unwrap();
    let mut request = zoomgen_runtime::Request::new(&LIST_RECORDINGS_SCOPED);
    request.path_param("userId", &"me", zoomgen_runtime::PathEncoding::Standard);
    let error = client.execute(request).await.unwrap_err();
    let Error::MissingScopes {
        documented,
        granular,
        required,
        granted,
        ..
    } = &error
    else {
        panic!("expected the typed scope error, got {error:?}");
    };
    assert_eq!(*documented, ["recording:read:admin", "recording:read"]);
    assert_eq!(*granular, ["cloud_recording:read:list_user_recordings"]);
    assert_eq!(
        required,
        &[
            "recording:read:admin",
            "cloud_recording:read:list_user_recordings:admin"
        ]
    );
    assert_eq!(granted.as_deref(), Some("user:read:admin"));
    assert_eq!((error.status(), error.code()), (Some(400), Some(4711)));
    let text = error.to_string();
    assert!(
        text.contains("the server asks for: recording:read:admin, cloud_recording")
            && text.contains("the token has: user:read:admin"),
        "{text}"
    );
}

#[tokio::test]
async fn validation_body_lists_the_field_errors() {
    let (_server, client) =
        client_answered(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "code": 300,
            "message": "Validation Failed.",
            "errors": [{"field": "page_size", "message": "Must be less than or equal to 300."}],
        })))
        .await;

    let error = client.execute(user_request("me")).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!((api.status, api.code), (400, Some(300)));
    assert_eq!(api.errors.len(), 1);
    assert_eq!(api.errors[0].field, "page_size");
    assert_eq!(api.errors[0].message, "Must be less than or equal to 300.");
    assert!(
        error.to_string().contains("page_size: Must be less"),
        "{error}"
    );
}

static LIST_RECORDINGS: OperationMeta = OperationMeta {
    operation_id: "recordingsList",
    method: HttpMethod::Get,
    path_template: "/users/{userId}/recordings",
    rate_limit: None,
    scopes: &[],
    granular_scopes: &[],
};

/// What a generated list method does: validate, then build and send.
async fn list_recordings(client: &ApiClient, user_id: &str, page_size: i64) -> Result<(), Error> {
    let mut request = Request::new(&LIST_RECORDINGS);
    validate::range(&request, "page_size", &page_size, 1.0..=300.0)?;
    request.path_param("userId", &user_id, zoomgen_runtime::PathEncoding::Standard);
    request.query("page_size", &page_size);
    client.execute(request).await.map(drop)
}

#[tokio::test]
async fn page_size_above_the_maximum_is_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = builder(&server, Credentials::none()).build().unwrap();

    let error = list_recordings(&client, "me", 301).await.unwrap_err();
    let Error::Validation {
        operation,
        field,
        message,
    } = &error
    else {
        panic!("expected a validation error, got {error:?}");
    };
    assert_eq!(
        (*operation, field.as_str()),
        ("recordingsList", "page_size")
    );
    assert_eq!(message, "must be at most 300, got 301");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn missing_or_unusable_path_values_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = builder(&server, Credentials::none()).build().unwrap();

    let error = client
        .execute(Request::new(&LIST_RECORDINGS))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Validation { field, .. } if field == "userId"),
        "{error:?}"
    );
    let error = list_recordings(&client, "..", 30).await.unwrap_err();
    assert!(
        matches!(&error, Error::Validation { field, .. } if field == "userId"),
        "{error:?}"
    );
    let error = list_recordings(&client, "", 30).await.unwrap_err();
    assert!(
        matches!(&error, Error::Validation { field, .. } if field == "userId"),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn validate_helpers_name_field_and_limit() {
    use std::ops::Bound::{Excluded, Unbounded};
    let meta = &Request::new(&LIST_RECORDINGS);
    assert!(validate::range(meta, "n", &300.0, ..=300.0).is_ok());
    let exclusive = validate::range(meta, "n", &300.0, ..300.0).unwrap_err();
    assert_eq!(
        exclusive.to_string(),
        "recordingsList: invalid `n`: must be less than 300, got 300"
    );
    let below = validate::range(meta, "n", &0.5, 1.0..).unwrap_err();
    assert!(
        below.to_string().contains("must be at least 1, got 0.5"),
        "{below}"
    );
    let at_exclusive_min = validate::range(meta, "n", &1_i64, (Excluded(1.0), Unbounded));
    assert!(
        at_exclusive_min
            .unwrap_err()
            .to_string()
            .contains("must be greater than 1, got 1")
    );
    assert!(validate::range(meta, "n", &7_i32, 1.0..=10.0).is_ok());
    assert!(validate::max_length(meta, "topic", "ééé", 3).is_ok());
    let long = validate::max_length(meta, "topic", "abcd", 3).unwrap_err();
    assert!(
        long.to_string()
            .contains("at most 3 characters long, got 4"),
        "{long}"
    );
    assert!(validate::min_length(meta, "topic", "", 1).is_err());
    assert!(validate::max_items(meta, "ids", 31, 30).is_err());
    assert!(validate::min_items(meta, "ids", 0, 1).is_err());
    assert!(validate::min_items(meta, "ids", 1, 1).is_ok());
}

#[test]
fn bad_header_values_are_validation_errors() {
    let mut request = Request::new(&LIST_RECORDINGS);
    let error = request.header("x-note", &"line\nbreak").unwrap_err();
    assert!(matches!(error, Error::Validation { field, .. } if field == "x-note"));
}

#[test]
fn bad_base_urls_are_config_errors() {
    for url in [
        "not a url",
        "ftp://example.com",
        "https://example.com/v2?x=1",
    ] {
        let error = ApiClient::new(url, Credentials::none()).unwrap_err();
        assert!(matches!(error, Error::Config { .. }), "{url}: {error:?}");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_by_its_content_length() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/users/me"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 300_000]))
        .mount(&server)
        .await;
    let client = builder(&server, Credentials::none())
        .max_response_bytes(100_000)
        .build()
        .unwrap();
    let error = client.execute(user_request("me")).await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 100_000, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("100000 bytes"), "{error}");
    assert_eq!(hits(&server, "/v2/users/me").await, 1, "not retried");
}

/// A server answering one request with a chunked body made of `chunks`, each written on its
/// own after `pause`, so that the client reads them one by one; it stops when the client
/// hangs up.
async fn chunked_server(
    chunks: impl Iterator<Item = String> + Send + 'static,
    pause: std::time::Duration,
) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = vec![0; 4096];
        let _ = stream.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        for chunk in chunks {
            tokio::time::sleep(pause).await;
            let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
            if stream.write_all(framed.as_bytes()).await.is_err() {
                return;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    });
    address
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_limit() {
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = sent.clone();
    let endless = std::iter::repeat_with(move || {
        counter.fetch_add(16_384, std::sync::atomic::Ordering::Relaxed);
        "x".repeat(16_384)
    });
    let address = chunked_server(endless, std::time::Duration::ZERO).await;
    let client = ApiClient::builder(&format!("http://{address}/v2"), Credentials::none())
        .max_response_bytes(256 * 1024)
        .build()
        .unwrap();
    let error = client.execute(user_request("me")).await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
    // What the server managed to push is bounded by the limit and the socket buffers.
    let pushed = sent.load(std::sync::atomic::Ordering::Relaxed);
    assert!(pushed < 64 * 1024 * 1024, "{pushed} bytes sent");
}

#[tokio::test]
async fn a_body_in_several_chunks_arrives_whole_up_to_the_limit() {
    let chunks = ["{\"a\":\"", "xxxxxxxxxx", "yyyyyyyyyy", "\"}"].map(str::to_owned);
    let whole = chunks.concat();
    for (limit, fits) in [(whole.len(), true), (whole.len() - 1, false)] {
        let pause = std::time::Duration::from_millis(20);
        let address = chunked_server(chunks.clone().into_iter(), pause).await;
        let client = ApiClient::builder(&format!("http://{address}/v2"), Credentials::none())
            .max_response_bytes(limit)
            .build()
            .unwrap();
        let outcome = client.execute(user_request("me")).await;
        if fits {
            assert_eq!(outcome.unwrap().body, whole.as_bytes(), "limit {limit}");
        } else {
            let error = outcome.unwrap_err();
            assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
        }
    }
}

#[tokio::test]
async fn a_refused_connection_names_its_cause_in_the_message() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = ApiClient::builder(&format!("http://127.0.0.1:{port}/v2"), Credentials::none())
        .retry(zoomgen_runtime::RetryConfig::none())
        .build()
        .unwrap();
    let error = client.execute(user_request("me")).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.starts_with("user: transport error: error sending request")
            && text.to_lowercase().contains("connect")
            && text.contains("refused"),
        "{text}"
    );
}

#[tokio::test]
async fn a_bare_404_says_the_base_url_may_be_wrong_and_a_429_says_when_to_retry() {
    let (_server, client) =
        client_answered(ResponseTemplate::new(404).set_body_string("<html>Not Found</html>")).await;
    let error = client.execute(user_request("me")).await.unwrap_err();
    assert!(
        error.to_string().contains("is the base URL the API's"),
        "{error}"
    );
    assert_eq!(error.retry_after(), None);

    let (_server, client) =
        client_answered(ResponseTemplate::new(429).insert_header("Retry-After", "7")).await;
    let client = ApiClient::builder(client.base_url(), Credentials::none())
        .retry(zoomgen_runtime::RetryConfig::none())
        .build()
        .unwrap();
    let error = client.execute(user_request("me")).await.unwrap_err();
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(7)));
}
