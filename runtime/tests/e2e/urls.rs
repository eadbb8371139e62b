//! What reaches the server: encoded path values, query strings, bodies, and the origin check.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_runtime::{
    ApiClient, Bytes, Credentials, Error, HttpMethod, MultipartPart, MultipartValue, OperationMeta,
    PathEncoding, Request,
};

use crate::common::*;

static MEETING_RECORDINGS: OperationMeta = OperationMeta {
    operation_id: "recordingGet",
    method: HttpMethod::Get,
    path_template: "/meetings/{meetingId}/recordings",
    rate_limit: None,
    scopes: &[],
    granular_scopes: &[],
};

static UPLOAD: OperationMeta = OperationMeta {
    operation_id: "upload",
    method: HttpMethod::Post,
    path_template: "/files",
    rate_limit: None,
    scopes: &[],
    granular_scopes: &[],
};

async fn echo_server() -> (MockServer, ApiClient) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = builder(&server, Credentials::none()).build().unwrap();
    (server, client)
}

/// The path and query of the last request `server` received, as sent.
async fn last_target(server: &MockServer) -> (String, Option<String>) {
    let request = server.received_requests().await.unwrap().pop().unwrap();
    (
        request.url.path().to_owned(),
        request.url.query().map(str::to_owned),
    )
}

#[tokio::test]
async fn path_values_reach_the_server_encoded_exactly() {
    let (server, client) = echo_server().await;
    let cases = [
        (
            "/ajXp112QmuoKj4854875==",
            PathEncoding::DoubleWhenSlashes,
            "%252FajXp112QmuoKj4854875%253D%253D",
        ),
        (
            "abc//def==",
            PathEncoding::DoubleWhenSlashes,
            "abc%252F%252Fdef%253D%253D",
        ),
        (
            "gkABCDEbbbbbbbkPuA==",
            PathEncoding::DoubleWhenSlashes,
            "gkABCDEbbbbbbbkPuA%3D%3D",
        ),
        (
            "8/1CiislTkGvH8gZ+3Fvgg==",
            PathEncoding::DoubleWhenSlashes,
            "8%2F1CiislTkGvH8gZ%2B3Fvgg%3D%3D",
        ),
        (
            "8/1CiislTkGvH8gZ+3Fvgg==",
            PathEncoding::Standard,
            "8%2F1CiislTkGvH8gZ%2B3Fvgg%3D%3D",
        ),
        ("/ajXp112", PathEncoding::Standard, "%2FajXp112"),
        ("a b?#é~", PathEncoding::Standard, "a%20b%3F%23%C3%A9~"),
    ];
    for (value, encoding, expected) in cases {
        let mut request = Request::new(&MEETING_RECORDINGS);
        request.path_param("meetingId", &value, encoding);
        client.execute(request).await.unwrap();
        let (path, _) = last_target(&server).await;
        assert_eq!(
            path,
            format!("/v2/meetings/{expected}/recordings"),
            "{value}"
        );
    }
}

#[tokio::test]
async fn query_values_are_form_encoded_and_may_repeat() {
    let (server, client) = echo_server().await;
    let mut request = Request::new(&MEETING_RECORDINGS);
    request.path_param("meetingId", &85746065432_u64, PathEncoding::Standard);
    request.query("from", &"2024-01-01");
    request.query("include_fields", &"a b&c=d");
    request.query("ids", &1);
    request.query("ids", &2);
    client.execute(request).await.unwrap();

    let (_, query) = last_target(&server).await;
    assert_eq!(
        query.as_deref(),
        Some("from=2024-01-01&include_fields=a+b%26c%3Dd&ids=1&ids=2")
    );
}

#[tokio::test]
async fn absolute_urls_must_keep_the_base_origin() {
    let (server, client) = echo_server().await;

    let mut request = Request::new(&MEETING_RECORDINGS);
    request
        .absolute_url(&format!(
            "{}/v2/meetings/1/recordings?cursor=x",
            server.uri()
        ))
        .unwrap();
    client.execute(request).await.unwrap();
    assert_eq!(
        last_target(&server).await,
        (
            "/v2/meetings/1/recordings".to_owned(),
            Some("cursor=x".to_owned())
        )
    );

    let mut request = Request::new(&MEETING_RECORDINGS);
    request
        .absolute_url("https://attacker.example/v2/meetings/1/recordings")
        .unwrap();
    let error = client.execute(request).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Pagination {
                operation: "recordingGet",
                ..
            }
        ),
        "{error:?}"
    );
    let mut request = Request::new(&MEETING_RECORDINGS);
    assert!(matches!(
        request.absolute_url("/relative"),
        Err(Error::Pagination { .. })
    ));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn bodies_and_headers_are_sent() {
    let (server, client) = echo_server().await;

    let mut request = Request::new(&UPLOAD);
    request.header("x-request-id", &"r-1").unwrap();
    request
        .json_body(&serde_json::json!({"topic": "Weekly"}))
        .unwrap();
    client.execute(request).await.unwrap();
    let sent = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(sent.headers["content-type"], "application/json");
    assert_eq!(sent.headers["x-request-id"], "r-1");
    assert!(
        sent.headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("zoomgen-runtime/")
    );
    assert_eq!(
        sent.body_json::<serde_json::Value>().unwrap()["topic"],
        "Weekly"
    );

    let mut request = Request::new(&UPLOAD);
    request.raw_body("text/csv", Bytes::from_static(b"a,b\n1,2\n"));
    client.execute(request).await.unwrap();
    let sent = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(sent.headers["content-type"], "text/csv");
    assert_eq!(sent.body, b"a,b\n1,2\n");

    let mut request = Request::new(&UPLOAD);
    request.multipart_body(vec![
        MultipartPart {
            name: "note".to_owned(),
            value: MultipartValue::Text("hello".to_owned()),
        },
        MultipartPart {
            name: "file".to_owned(),
            value: MultipartValue::File {
                file_name: "logo.png".to_owned(),
                content_type: Some("image/png".to_owned()),
                bytes: Bytes::from_static(b"\x89PNG-bytes"),
            },
        },
    ]);
    client.execute(request).await.unwrap();
    let sent = server.received_requests().await.unwrap().pop().unwrap();
    let content_type = sent.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&sent.body);
    assert!(
        body.contains(r#"name="note""#) && body.contains("hello"),
        "{body}"
    );
    assert!(
        body.contains(r#"filename="logo.png""#) && body.contains("image/png"),
        "{body}"
    );
    assert!(body.contains("PNG-bytes"));
}
