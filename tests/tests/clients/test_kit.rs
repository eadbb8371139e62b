//! The generated crates' test kit (feature `mock`): typed expectations stated with the
//! clients' own builders and answered in their own types, and each vendor behaviour switch,
//! with the unchanged client talking to the mock.

use std::time::Duration;

use futures_util::StreamExt;
use zoom_client::meeting_events::types::RecordingCompletedEvent;
use zoom_client::meeting_events::webhooks::Event;
use zoom_client::meetings::{self, types};
use zoom_client::runtime::events::Receiver;
use zoom_client::runtime::mock::Failure;
use zoom_client::runtime::vendor::zoom::webhook::WebhookVerifier;
use zoom_client::runtime::{Error, RetryConfig};
use zoom_client::{Credentials, runtime};

/// A client of the mock with a fixed token (sign-in off) and quick retries.
fn client_of(mock: &runtime::mock::MockServer) -> meetings::Client {
    meetings::Client::builder(Credentials::bearer("test-token"))
        .base_url(&mock.url())
        .retry(RetryConfig::default().with_initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap()
}

fn recording(uuid: &str, topic: &str) -> types::RecordingGetResponse {
    types::RecordingGetResponse {
        uuid: Some(uuid.to_owned()),
        topic: Some(topic.to_owned()),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_expectation_is_the_builders_own_request_answered_in_its_type() {
    let mock = meetings::mock_server().await;
    let client = client_of(&mock);
    let answer = recording("abc==", "Weekly");
    mock.expect(
        client
            .recording_get("/abc==")
            .include_fields("download_access_token")
            .ttl(60),
    )
    .times(1)
    .respond(&answer)
    .await;

    let got = client
        .recording_get("/abc==")
        .ttl(60)
        .include_fields("download_access_token")
        .send()
        .await
        .unwrap();
    assert_eq!(got, answer);

    // Another query value is another request: the mock does not know it.
    let other = client.recording_get("/abc==").ttl(61).send().await;
    assert!(
        matches!(other, Err(Error::Api(ref api)) if api.status == 404),
        "{other:?}"
    );
}

#[tokio::test]
async fn a_failure_is_written_in_the_vendors_error_body() {
    let mock = meetings::mock_server().await;
    let client = client_of(&mock);
    mock.expect(client.recording_get("gone"))
        .fail(
            Failure::new(404)
                .code(3301)
                .message("This recording does not exist."),
        )
        .await;
    let error = client.recording_get("gone").send().await.unwrap_err();
    let Error::Api(api) = error else {
        panic!("{error:?}")
    };
    assert_eq!((api.status, api.code), (404, Some(3301)));
    assert_eq!(
        api.message.as_deref(),
        Some("This recording does not exist.")
    );
}

#[tokio::test]
async fn a_json_body_is_matched_as_json() {
    let mock = meetings::mock_server().await;
    let client = client_of(&mock);
    let body = types::MeetingRecordingRegistrantCreateBody {
        email: "ada@example.com".to_owned(),
        city: Some("London".to_owned()),
        ..Default::default()
    };
    let created = types::MeetingRecordingRegistrantCreateResponse {
        id: Some(85746065432),
        topic: Some("Planning".to_owned()),
        ..Default::default()
    };
    mock.expect(
        client
            .meeting_recording_registrant_create(85746065432)
            .body(body.clone()),
    )
    .status(201)
    .respond(&created)
    .await;
    let got = client
        .meeting_recording_registrant_create(85746065432)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(got.id, Some(85746065432));
}

#[tokio::test]
async fn the_server_to_server_switch_issues_tokens_and_requires_them() {
    let mock = meetings::mock_server().await;
    mock.sign_in().await;
    let client = meetings::Client::builder(Credentials::server_to_server(
        "account-1",
        "client-1",
        "secret-1",
    ))
    .base_url(&mock.url())
    .oauth_base_url(&mock.url())
    .build()
    .unwrap();
    mock.expect(client.recording_get("m1"))
        .respond(&recording("m1", "Signed in"))
        .await;

    for _ in 0..2 {
        let got = client.recording_get("m1").send().await.unwrap();
        assert_eq!(got.topic.as_deref(), Some("Signed in"));
    }
    assert_eq!(mock.tokens_issued(), 1, "the token is cached");

    // A token the mock never issued is refused as the API refuses it.
    let stranger = client_of(&mock);
    let refused = stranger.recording_get("m1").send().await.unwrap_err();
    assert!(
        matches!(refused, Error::Api(ref api) if api.status == 401),
        "{refused:?}"
    );
}

#[tokio::test]
async fn the_rate_limit_header_switch_counts_down() {
    let mock = meetings::mock_server().await;
    let client = client_of(&mock);
    mock.rate_limit_headers(30);
    mock.expect(client.recording_get("m1"))
        .respond(&recording("m1", "t"))
        .await;
    let mut remaining = Vec::new();
    for _ in 0..2 {
        let response = client
            .recording_get("m1")
            .send_with_response()
            .await
            .unwrap();
        let limits = response.rate_limit();
        assert_eq!(limits.limit, Some(30));
        remaining.push(limits.remaining);
    }
    assert_eq!(remaining, [Some(29), Some(28)]);
}

#[tokio::test]
async fn the_throttle_switch_answers_429_with_retry_after_and_the_client_waits() {
    let mock = meetings::mock_server().await;
    let client = client_of(&mock);
    mock.throttle_after(1, Duration::from_secs(1));
    mock.expect(client.recording_get("m1"))
        .respond(&recording("m1", "t"))
        .await;

    client.recording_get("m1").send().await.unwrap();
    let started = std::time::Instant::now();
    client.recording_get("m1").send().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        mock.api_requests(),
        3,
        "the throttled request was sent again"
    );
}

#[tokio::test]
async fn the_daily_limit_switch_is_reported_without_retrying() {
    let mock = meetings::mock_server().await;
    let client = client_of(&mock);
    mock.daily_limit_after(1);
    mock.expect(client.recording_get("m1"))
        .respond(&recording("m1", "t"))
        .await;

    client.recording_get("m1").send().await.unwrap();
    let error = client.recording_get("m1").send().await.unwrap_err();
    assert!(
        matches!(error, Error::DailyLimitReached { .. }),
        "{error:?}"
    );
    assert_eq!(mock.api_requests(), 2);
}

#[tokio::test]
async fn the_pages_switch_serves_a_vec_through_page_tokens() {
    let mock = meetings::mock_server().await;
    let client = client_of(&mock);
    let meetings: Vec<types::RecordingsListResponseMeeting> = (0..5)
        .map(|n| types::RecordingsListResponseMeeting {
            uuid: Some(format!("m{n}")),
            ..Default::default()
        })
        .collect();
    mock.expect_pages(client.recordings_list("me").page_size(2))
        .per_page(2)
        .times(3)
        .respond(&meetings)
        .await;
    let listed: Vec<_> = client
        .recordings_list("me")
        .page_size(2)
        .items()
        .map(|item| item.unwrap().uuid.unwrap())
        .collect()
        .await;
    assert_eq!(listed, ["m0", "m1", "m2", "m3", "m4"]);
    mock.verify().await;
}

#[tokio::test]
async fn the_pages_switch_serves_a_vec_through_link_headers() {
    let mock = webex_client::meetings::mock_server().await;
    let client = webex_client::meetings::Client::builder(Credentials::bearer("t"))
        .base_url(&mock.url())
        .build()
        .unwrap();
    let recordings: Vec<webex_client::meetings::types::RecordingObject> = (0..3)
        .map(|n| webex_client::meetings::types::RecordingObject {
            id: Some(format!("r{n}")),
            ..Default::default()
        })
        .collect();
    mock.expect_pages(client.list_recordings().max(1))
        .per_page(1)
        .respond(&recordings)
        .await;
    let listed: Vec<_> = client
        .list_recordings()
        .max(1)
        .items()
        .map(|item| item.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(listed, ["r0", "r1", "r2"]);
    let links = mock.received().await;
    assert_eq!(links.len(), 3);
    assert!(
        links[2].url.query().unwrap().contains("max=1"),
        "{}",
        links[2].url
    );
}

#[tokio::test]
async fn the_webhook_sender_posts_a_typed_event_signed_as_the_vendor_signs() {
    let mock = meetings::mock_server().await;
    let (events, mut received) = tokio::sync::mpsc::unbounded_channel();
    let receiver =
        Receiver::builder(WebhookVerifier::new("whsec").unwrap()).spawn(move |event: Event| {
            let events = events.clone();
            async move {
                let _ = events.send(event);
            }
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/zoom", listener.local_addr().unwrap());
    let router = axum::Router::new().route("/zoom", receiver.route());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let event = Event::RecordingCompleted(Box::new(RecordingCompletedEvent {
        event: Some("recording.completed".to_owned()),
        event_ts: Some(1_700_000_000_000),
        download_token: Some("dl-token".into()),
        ..Default::default()
    }));
    let signed = mock.webhooks(WebhookVerifier::new("whsec").unwrap());
    assert_eq!(signed.send(&url, &event).await.unwrap(), 200);
    let handled = received.recv().await.unwrap();
    assert_eq!(handled, event);

    // Signed with another secret, it is refused.
    let forged = mock.webhooks(WebhookVerifier::new("other").unwrap());
    assert_eq!(forged.send(&url, &event).await.unwrap(), 401);
}

#[tokio::test]
async fn the_file_switch_serves_ranges_and_a_cut_download_resumes() {
    let mock = meetings::mock_server().await;
    let contents: Vec<u8> = (0..200_000u32).map(|n| (n % 251) as u8).collect();
    let url = mock.file("/rec/download/file-1", contents.clone());
    mock.cut_next_download("/rec/download/file-1", 70_000);
    let client = meetings::Client::builder(Credentials::bearer("t"))
        .base_url(&mock.url())
        .retry(RetryConfig::default().with_initial_backoff(Duration::from_millis(5)))
        .download_hosts(["127.0.0.1"])
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("file-1.mp4");
    client
        .api_client()
        .download(&url)
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), contents);
    let ranges: Vec<_> = mock
        .downloads()
        .iter()
        .map(|(_, headers)| headers.get("range").map(|v| v.to_str().unwrap().to_owned()))
        .collect();
    assert_eq!(ranges, [None, Some("bytes=70000-".to_owned())]);
}

#[tokio::test]
async fn a_listing_can_filter_by_the_requests_dates_and_change_while_listed() {
    let mock = meetings::mock_server().await;
    let client = client_of(&mock);
    let meeting = |uuid: &str, start: &str| types::RecordingsListResponseMeeting {
        uuid: Some(uuid.to_owned()),
        start_time: Some(start.into()),
        ..Default::default()
    };
    let listed = std::sync::Arc::new(std::sync::Mutex::new(vec![
        meeting("jan", "2024-01-10T10:00:00Z"),
        meeting("feb", "2024-02-10T10:00:00Z"),
    ]));
    mock.expect_pages(client.recordings_list("me"))
        .any_value_of(&["from", "to"])
        .select(|meeting, query| {
            let start = &meeting.start_time.as_ref().unwrap().as_str()[..10];
            query.get("from").unwrap() <= start && start <= query.get("to").unwrap()
        })
        .respond_live(listed.clone())
        .await;
    let month = |from: &'static str, to: &'static str| {
        client
            .recordings_list("me")
            .from(from)
            .to(to)
            .items()
            .map(|item| item.unwrap().uuid.unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(month("2024-01-01", "2024-01-31").await, ["jan"]);
    listed
        .lock()
        .unwrap()
        .push(meeting("jan-2", "2024-01-20T10:00:00Z"));
    assert_eq!(month("2024-01-01", "2024-01-31").await, ["jan", "jan-2"]);
    assert_eq!(month("2024-02-01", "2024-02-29").await, ["feb"]);
}

#[tokio::test]
async fn an_answer_limited_to_some_requests_gives_way_to_the_next() {
    let mock = meetings::mock_server().await;
    let client = client_of(&mock);
    mock.expect(client.recording_get("m1"))
        .up_to(1)
        .respond(&recording("m1", "first"))
        .await;
    mock.expect(client.recording_get("m1"))
        .respond(&recording("m1", "later"))
        .await;
    let mut topics = Vec::new();
    for _ in 0..3 {
        let answer = client.recording_get("m1").send().await.unwrap();
        topics.push(answer.topic.unwrap());
    }
    assert_eq!(topics, ["first", "later", "later"]);
}
