//! The generated Zoom client against a mock server on 127.0.0.1: what it sends (path, query,
//! auth, encoded meeting UUIDs) and what it decodes from a real-shaped response.

use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoom_client::meetings::Client;
use zoom_client::meetings::types as mt;
use zoom_client::{Credentials, Error};
use zoomgen_tests::payload_text;

const TOKEN: &str = "e2e-access-token-5b1c";

/// A client of `server`'s `/v2` with a fixed bearer token.
fn client(server: &MockServer) -> Client {
    Client::new(&format!("{}/v2", server.uri()), Credentials::bearer(TOKEN))
        .expect("a client for the mock server")
}

fn json_response(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

/// The one request `server` received; panics saying how many it got otherwise.
async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, the server got {:?}",
        requests.iter().map(|r| r.url.as_str()).collect::<Vec<_>>()
    );
    requests.remove(0)
}

/// The query pairs of `request`, sorted, decoded.
fn query(request: &wiremock::Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    pairs.sort();
    pairs
}

/// A mock API that answers every GET with `response`.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn recordings_list_decodes_a_real_list_page() {
    let server = MockServer::start().await;
    let body = payload_text("meetings/recordingsList.json");
    let original: Value = serde_json::from_str(&body).expect("the fixture is JSON");
    Mock::given(method("GET"))
        .and(path_regex(r"^/v2/users/[^/]+/recordings$"))
        .respond_with(json_response(body))
        .mount(&server)
        .await;

    let page = client(&server)
        .recordings_list("me")
        .page_size(30)
        .from("2019-08-01")
        .to("2019-08-31")
        .mc(true)
        .send()
        .await
        .expect("the list page decodes");

    // The page.
    assert_eq!(
        page.from
            .as_ref()
            .and_then(|d| d.parse())
            .map(|d| d.to_string()),
        Some("2019-08-01".to_owned()),
        "`from` should be the date 2019-08-01"
    );
    assert_eq!(page.page_size, Some(30), "page_size");
    assert_eq!(page.total_records, Some(1), "total_records");
    assert_eq!(
        page.next_page_token.as_deref(),
        Some(""),
        "the last page's token is \"\""
    );
    let meetings = page.meetings.expect("the page has `meetings`");
    assert_eq!(meetings.len(), 1, "one meeting on the page");
    let meeting = &meetings[0];
    let sent = &original["meetings"][0];

    // A meeting ID above 2^32 survives as an i64.
    assert_eq!(meeting.id, Some(68_000_000_031_879), "meeting id");
    assert!(
        meeting.id.unwrap_or_default() > i64::from(u32::MAX),
        "the fixture's id must exceed 2^32 to test 64-bit IDs"
    );
    assert_eq!(meeting.id, sent["id"].as_i64(), "id as sent");
    assert_eq!(
        meeting.uuid.as_deref(),
        Some("gkABCDEbbbbbbbkPuA=="),
        "uuid"
    );
    assert_eq!(meeting.topic.as_deref(), Some("MyTestPollMeeting"), "topic");
    assert_eq!(
        meeting.topic.as_deref(),
        sent["topic"].as_str(),
        "topic as sent"
    );
    // `type` is a digit-string enum that Zoom sends as the integer 2.
    assert_eq!(
        sent["type"],
        json!(2),
        "the fixture sends `type` as an integer"
    );
    assert_eq!(
        meeting.r#type,
        Some(mt::RecordingGetResponseType::ScheduledMeeting),
        "`type: 2` should decode as ScheduledMeeting"
    );
    let start = meeting
        .start_time
        .as_ref()
        .expect("the meeting has a start_time");
    assert_eq!(start.as_str(), "2019-08-29T21:54:49Z", "start_time text");
    let start = start.parse().expect("start_time parses as RFC 3339");
    assert_eq!(
        (start.timestamp(), start.to_rfc3339()),
        (1_567_115_689, "2019-08-29T21:54:49+00:00".to_owned()),
        "start_time as an instant"
    );
    assert_eq!(meeting.total_size, Some(74_596), "total_size");
    assert_eq!(meeting.recording_count, Some(4), "recording_count");

    // The recording files.
    let files = meeting
        .recording_files
        .as_ref()
        .expect("the meeting has recording_files");
    let kinds: Vec<_> = files.iter().map(|f| f.recording_type.clone()).collect();
    assert_eq!(
        kinds,
        [
            Some(mt::MeetingRecordingFileRecordingType::SharedScreenWithSpeakerView),
            Some(mt::MeetingRecordingFileRecordingType::SharedScreenWithSpeakerViewCc),
            Some(mt::MeetingRecordingFileRecordingType::AudioOnly),
            None,
        ],
        "recording_type of each file, `shared_screen_with_speaker_view(CC)` included"
    );
    let sizes: Vec<_> = files.iter().map(|f| f.file_size).collect();
    assert_eq!(
        sizes,
        [Some(37_285), Some(27_213), Some(10_098), None],
        "file_size of each file (the timeline file has none)"
    );
    assert_eq!(
        files[1].file_type,
        Some(mt::RecordingFileFileType::Mp4),
        "file_type"
    );
    assert_eq!(
        files[1].status,
        Some(mt::RecordingFileStatus::Completed),
        "status"
    );
    assert_eq!(
        files[1].id.as_deref(),
        Some("7a2f6c0e-cc11-4b0e-9d7e-2bd6c9a1f3e4"),
        "file id"
    );
    assert_eq!(files[3].id, None, "the timeline file has no id");
    assert_eq!(
        files[3].file_type,
        Some(mt::RecordingFileFileType::Unknown(json!("TIMELINE").into())),
        "the document's file_type enum does not list TIMELINE, so it is kept raw"
    );

    // What the server received.
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    // The exact user-ID segment is checked by `the_user_id_is_sent_as_is`.
    let segments: Vec<&str> = request.url.path().split('/').collect();
    assert!(
        matches!(segments[..], ["", "v2", "users", user, "recordings"] if !user.is_empty()),
        "expected the path /v2/users/<user>/recordings, got {}",
        request.url.path()
    );
    assert_eq!(
        query(&request),
        pairs(&[
            ("from", "2019-08-01"),
            ("mc", "true"),
            ("page_size", "30"),
            ("to", "2019-08-31"),
        ]),
        "the query should hold exactly the parameters set, `mc` as the text `true`"
    );
    assert_eq!(
        request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {TOKEN}").as_str()),
        "the bearer token should be sent in `Authorization`"
    );
}

#[tokio::test]
async fn the_user_id_is_sent_as_is() {
    let server = MockServer::start().await;
    let client = client(&server);

    let mut wrong = Vec::new();
    for (user_id, segment) in [
        ("me", "me"),
        ("jchill@example.com", "jchill%40example.com"),
        ("6dfgdfgdg444447b0egga", "6dfgdfgdg444447b0egga"),
    ] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(json_response(payload_text(
                "meetings/recordingsList__empty.json",
            )))
            .mount(&server)
            .await;
        let result = client.recordings_list(user_id).send().await;
        let request = only_request(&server).await;
        let expected = format!("/v2/users/{segment}/recordings");
        if let Err(error) = result {
            wrong.push(format!("{user_id:?}: the call failed: {error}"));
        }
        if request.url.path() != expected {
            wrong.push(format!(
                "{user_id:?}: expected the path {expected}, the server got {}",
                request.url.path()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "user IDs sent wrongly:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test]
async fn boolean_query_parameters_are_sent_as_true_and_false() {
    let server = answering(json_response(payload_text(
        "meetings/recordingsList__empty.json",
    )))
    .await;

    client(&server)
        .recordings_list("me")
        .mc(false)
        .trash(true)
        .trash_type("recording_file")
        .send()
        .await
        .expect("the empty page decodes");

    let request = only_request(&server).await;
    assert_eq!(
        query(&request),
        pairs(&[
            ("mc", "false"),
            ("trash", "true"),
            ("trash_type", "recording_file"),
        ]),
        "booleans go as `true`/`false`, and only the parameters set are sent"
    );
}

/// Each meeting UUID, and the path segment Zoom requires for it: encoded twice when it starts
/// with `/` or contains `//`, once otherwise; a numeric meeting ID as it is.
const MEETING_IDS: &[(&str, &str)] = &[
    (
        "/ajXp112QmuoKj4854875==",
        "%252FajXp112QmuoKj4854875%253D%253D",
    ),
    ("abc//def==", "abc%252F%252Fdef%253D%253D"),
    ("gkABCDEbbbbbbbkPuA==", "gkABCDEbbbbbbbkPuA%3D%3D"),
    (
        "8/1CiislTkGvH8gZ+3Fvgg==",
        "8%2F1CiislTkGvH8gZ%2B3Fvgg%3D%3D",
    ),
    ("85746065432", "85746065432"),
];

#[tokio::test]
async fn meeting_uuids_are_encoded_as_zoom_requires() {
    let server = answering(json_response(payload_text("meetings/recordingGet.json"))).await;
    let client = client(&server);

    let mut wrong = Vec::new();
    for (id, segment) in MEETING_IDS {
        let recording = client
            .recording_get(*id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("recording_get({id:?}) failed: {e}"));
        assert_eq!(recording.id, Some(68_000_000_031_879), "the body decodes");

        let requests = server.received_requests().await.unwrap_or_default();
        let sent = requests.last().expect("the server got the request");
        let expected = format!("/v2/meetings/{segment}/recordings");
        if sent.url.path() != expected {
            wrong.push(format!(
                "{id:?}: expected the path {expected}, the server got {}",
                sent.url.path()
            ));
        }
    }
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), MEETING_IDS.len(), "one request per ID");
    assert!(
        wrong.is_empty(),
        "meeting IDs encoded wrongly:\n{}",
        wrong.join("\n")
    );
}

/// The error `recording_get` of one recording ends with against `server`; `why` says why it
/// must fail.
async fn recording_get_error(server: &MockServer, why: &str) -> Error {
    client(server)
        .recording_get("85746065432")
        .send()
        .await
        .expect_err(why)
}

#[tokio::test]
async fn an_api_error_carries_zoom_s_code_and_message() {
    let server = answering(ResponseTemplate::new(404).set_body_json(json!({
        "code": 3301,
        "message": "There is no recording for this meeting.",
    })))
    .await;

    let error = recording_get_error(&server, "a 404 is an error").await;
    match error {
        Error::Api(api) => {
            assert_eq!(
                (api.status, api.code, api.message.as_deref(), api.operation),
                (
                    404,
                    Some(3301),
                    Some("There is no recording for this meeting."),
                    "recordingGet"
                ),
                "status, code, message and operation of the error"
            );
        }
        other => panic!("expected Error::Api for a 404, got {other:?}"),
    }
}

#[tokio::test]
async fn errors_answer_questions_without_matching_on_variants() {
    let server = answering(
        ResponseTemplate::new(404)
            .insert_header("x-zm-trackingid", "v=2.0;clid=us06;rid=WEB_404")
            .set_body_json(json!({ "code": 3301, "message": "No recording." })),
    )
    .await;
    let error = recording_get_error(&server, "a 404 is an error").await;
    assert!(error.is_not_found() && !error.is_retryable() && !error.is_rate_limited());
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.code(), Some(3301));
    assert_eq!(error.message(), Some("No recording."));
    assert_eq!(error.request_id(), Some("v=2.0;clid=us06;rid=WEB_404"));
    assert_eq!(error.operation(), Some("recordingGet"));
}

#[tokio::test]
async fn send_with_response_returns_the_request_id_and_rate_limit_state() {
    let server = MockServer::start().await;
    let body = payload_text("meetings/recordingsList.json");
    Mock::given(method("GET"))
        .respond_with(
            json_response(body)
                .insert_header("x-zm-trackingid", "v=2.0;clid=us06;rid=WEB_200")
                .insert_header("X-RateLimit-Category", "Medium")
                .insert_header("X-RateLimit-Limit", "20")
                .insert_header("X-RateLimit-Remaining", "17"),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .recordings_list("me")
        .send_with_response()
        .await
        .expect("a 200");
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("v=2.0;clid=us06;rid=WEB_200"));
    let limits = response.rate_limit();
    assert_eq!(limits.category.as_deref(), Some("Medium"));
    assert_eq!((limits.limit, limits.remaining), (Some(20), Some(17)));
    assert!(
        !response
            .body()
            .meetings
            .as_deref()
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn a_body_that_does_not_fit_names_the_failing_field() {
    let server = answering(ResponseTemplate::new(200).set_body_json(json!({
        "id": 85_746_065_432_i64,
        "recording_files": [
            {"id": "a", "file_size": 10},
            {"id": "b", "file_size": "ten bytes"},
        ],
    })))
    .await;

    let error = recording_get_error(&server, "a word where a number belongs cannot decode").await;
    match error {
        Error::Decode {
            operation, path, ..
        } => assert_eq!(
            (operation, path.as_str()),
            ("recordingGet", "recording_files[1].file_size"),
            "the decode error should name the operation and the JSON path"
        ),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// Adds a header to every attempt and counts what came back.
#[derive(Debug, Default)]
struct Signing {
    after: std::sync::Mutex<Vec<(u32, Option<u16>)>>,
}

impl zoom_client::runtime::ClientHooks for Signing {
    fn before_request<'a>(
        &'a self,
        operation: &'static zoom_client::runtime::OperationMeta,
        request: &'a mut zoom_client::runtime::reqwest::Request,
    ) -> zoom_client::runtime::BoxFuture<'a, Result<(), Error>> {
        request.headers_mut().insert(
            "x-signed-for",
            operation.operation_id.parse().expect("a header value"),
        );
        Box::pin(std::future::ready(Ok(())))
    }

    fn after_response<'a>(
        &'a self,
        attempt: &'a zoom_client::runtime::Attempt<'a>,
    ) -> zoom_client::runtime::BoxFuture<'a, ()> {
        self.after
            .lock()
            .expect("the hook's lock")
            .push((attempt.number, attempt.status));
        Box::pin(std::future::ready(()))
    }
}

#[tokio::test]
async fn hooks_see_and_change_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header("x-signed-for", "recordingsList"))
        .respond_with(json_response(payload_text("meetings/recordingsList.json")))
        .mount(&server)
        .await;
    let hooks = std::sync::Arc::new(Signing::default());
    let api = zoom_client::runtime::ApiClient::builder(
        &format!("{}/v2", server.uri()),
        Credentials::bearer(TOKEN),
    )
    .vendor(&zoom_client::runtime::vendor::zoom::ZOOM)
    .retry(
        zoom_client::runtime::RetryConfig::default()
            .with_initial_backoff(std::time::Duration::from_millis(1))
            .with_jitter(false),
    )
    .hooks(hooks.clone())
    .build()
    .expect("a client");
    Client::from_api_client(api)
        .recordings_list("me")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(
        *hooks.after.lock().expect("the hook's lock"),
        [(1, Some(503)), (2, Some(200))]
    );
}

#[tokio::test]
async fn retries_and_time_limits_can_be_set_per_call() {
    let server = answering(ResponseTemplate::new(503)).await;
    let error = client(&server)
        .recordings_list("me")
        .retry(zoom_client::runtime::RetryConfig::none())
        .send()
        .await
        .expect_err("a 503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1,
        "no retry"
    );

    let slow = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json_response(payload_text("meetings/recordingsList.json"))
                .set_delay(std::time::Duration::from_millis(500)),
        )
        .mount(&slow)
        .await;
    let error = client(&slow)
        .recordings_list("me")
        .retry(zoom_client::runtime::RetryConfig::none())
        .timeouts(
            zoom_client::runtime::Timeouts::default()
                .with_per_attempt(Some(std::time::Duration::from_millis(50))),
        )
        .send()
        .await
        .expect_err("the attempt outlives its limit");
    assert!(
        matches!(
            error,
            Error::Timeout {
                kind: zoom_client::runtime::TimeoutKind::Attempt,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_reversed_date_range_is_refused_before_sending() {
    let server = answering(ResponseTemplate::new(200).set_body_string("{}")).await;
    let error = client(&server)
        .recordings_list("me")
        .from("2024-03-01")
        .to("2024-02-01")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Validation { field, message, .. }
            if field == "from" && message.contains("after `to` (2024-02-01)")),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
