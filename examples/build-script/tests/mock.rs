//! The client generated at build time calls a local mock like any committed client.

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_example_build_script::{Credentials, videosdk::Client};

#[tokio::test]
async fn the_build_time_client_calls_an_operation_and_decodes_its_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/videosdk/sessions/abc/recordings"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "session_id": "abc",
            "session_name": "standup",
            "duration": 15,
            "share_url": "https://example.com/s/abc"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), Credentials::bearer("test-token")).unwrap();
    let recording = client.recording_get("abc").send().await.unwrap();
    assert_eq!(recording.session_name.as_deref(), Some("standup"));
    assert_eq!(recording.duration, Some(15));
    // What the document does not list is kept.
    assert_eq!(recording.extra["share_url"], "https://example.com/s/abc");
}
