//! Pagination through the generated clients against a mock server on 127.0.0.1: Zoom's
//! `next_page_token` (pages, items, a repeated token, an expired token) and Webex's `Link`
//! header. Every stream is consumed under a time limit, so a looping stream fails the test
//! instead of hanging it.

use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoom_client::{Credentials, Error};
use zoomgen_tests::payload_json;

const TOKEN: &str = "pagination-token-77";

/// How long any stream may take before the test fails as hung.
const LIMIT: Duration = Duration::from_secs(10);

async fn within_limit<T>(what: &str, work: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, work)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {LIMIT:?}: the stream loops"))
}

fn zoom(server: &MockServer) -> zoom_client::meetings::Client {
    zoom_client::meetings::Client::new(&format!("{}/v2", server.uri()), Credentials::bearer(TOKEN))
        .expect("a Zoom client for the mock server")
}

/// Zoom's list recordings path, whatever the user segment (its exact form is tested in
/// `client_e2e.rs`).
const LIST_PATH: &str = r"^/v2/users/[^/]+/recordings$";

/// A meeting of a list page.
fn meeting(id: i64) -> Value {
    json!({
        "uuid": format!("uuid-{id}=="),
        "id": id,
        "topic": format!("Meeting {id}"),
        "type": 2,
        "start_time": "2024-05-14T16:00:03Z",
        "recording_files": [],
    })
}

/// A list page of `ids` that continues with `next` (`""` on the last page).
fn list_page(ids: &[i64], next: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "page_size": 2,
        "total_records": 5,
        "next_page_token": next,
        "meetings": ids.iter().map(|id| meeting(*id)).collect::<Vec<_>>(),
    }))
}

/// Answers the first request (no token) and each token with a page.
async fn mount_pages(server: &MockServer, pages: &[(Option<&str>, ResponseTemplate)]) {
    for (token, response) in pages {
        let mock = Mock::given(method("GET")).and(path_regex(LIST_PATH));
        let mock = match token {
            None => mock.and(query_param_is_missing("next_page_token")),
            Some(token) => mock.and(query_param("next_page_token", *token)),
        };
        mock.respond_with(response.clone()).mount(server).await;
    }
}

/// Three pages: ids 1-2 then "t1", 3-4 then "t2", 5 then "".
async fn mount_three_pages(server: &MockServer) {
    mount_pages(
        server,
        &[
            (None, list_page(&[1, 2], "t1")),
            (Some("t1"), list_page(&[3, 4], "t2")),
            (Some("t2"), list_page(&[5], "")),
        ],
    )
    .await;
}

/// `(page_size, next_page_token)` of each request `server` received, in order.
async fn token_requests(server: &MockServer) -> Vec<(Option<String>, Option<String>)> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|request| {
            let value = |name: &str| {
                request
                    .url
                    .query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
            };
            (value("page_size"), value("next_page_token"))
        })
        .collect()
}

fn expected_requests(tokens: &[Option<&str>]) -> Vec<(Option<String>, Option<String>)> {
    tokens
        .iter()
        .map(|token| (Some("2".to_owned()), token.map(str::to_owned)))
        .collect()
}

#[tokio::test]
async fn zoom_pages_follow_next_page_token_until_it_is_empty() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let client = zoom(&server);

    let pages: Vec<_> = within_limit(
        "pages()",
        client.recordings_list("me").page_size(2).pages().collect(),
    )
    .await;
    let pages: Vec<_> = pages
        .into_iter()
        .map(|page| page.expect("every page decodes"))
        .collect();
    let shape: Vec<(Option<String>, Vec<Option<i64>>)> = pages
        .iter()
        .map(|page| {
            (
                page.next_page_token.clone(),
                page.meetings.iter().flatten().map(|m| m.id).collect(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (Some("t1".to_owned()), vec![Some(1), Some(2)]),
            (Some("t2".to_owned()), vec![Some(3), Some(4)]),
            (Some(String::new()), vec![Some(5)]),
        ],
        "expected three pages, each with its token and meetings"
    );
    assert_eq!(
        token_requests(&server).await,
        expected_requests(&[None, Some("t1"), Some("t2")]),
        "expected page_size=2 on every request, and no token, then t1, then t2"
    );
}

#[tokio::test]
async fn zoom_items_arrive_in_order_across_pages() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let client = zoom(&server);

    let items: Vec<_> = within_limit(
        "items()",
        client.recordings_list("me").page_size(2).items().collect(),
    )
    .await;
    let ids: Vec<_> = items
        .into_iter()
        .map(|item| item.expect("every item decodes").id)
        .collect();
    assert_eq!(
        ids,
        [Some(1), Some(2), Some(3), Some(4), Some(5)],
        "expected the meetings of the three pages in order"
    );
    assert_eq!(
        token_requests(&server).await,
        expected_requests(&[None, Some("t1"), Some("t2")]),
        "expected page_size=2 on every request, and no token, then t1, then t2"
    );
}

#[tokio::test]
async fn zoom_starting_token_is_sent_on_the_first_request() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let client = zoom(&server);

    let items: Vec<_> = within_limit(
        "items() from t2",
        client
            .recordings_list("me")
            .page_size(2)
            .next_page_token("t2")
            .items()
            .collect(),
    )
    .await;
    let ids: Vec<_> = items.into_iter().map(|item| item.map(|m| m.id)).collect();
    assert!(
        matches!(ids[..], [Ok(Some(5))]),
        "expected only meeting 5 from the page of t2, got {ids:?}"
    );
    assert_eq!(
        token_requests(&server).await,
        expected_requests(&[Some("t2")]),
        "expected one request, with the starting token"
    );
}

#[tokio::test]
async fn zoom_repeated_token_ends_the_stream_with_a_pagination_error() {
    let server = MockServer::start().await;
    // t1 -> t2 -> t1 again: following it would loop forever.
    mount_pages(
        &server,
        &[
            (None, list_page(&[1, 2], "t1")),
            (Some("t1"), list_page(&[3, 4], "t2")),
            (Some("t2"), list_page(&[5], "t1")),
        ],
    )
    .await;
    let client = zoom(&server);

    let pages: Vec<_> = within_limit(
        "pages() with a repeated token",
        client.recordings_list("me").page_size(2).pages().collect(),
    )
    .await;
    let outcome: Vec<String> = pages
        .iter()
        .map(|page| match page {
            Ok(page) => format!("page {:?}", page.next_page_token),
            Err(Error::Pagination { operation, .. }) => format!("Pagination in {operation}"),
            Err(other) => format!("unexpected error {other}"),
        })
        .collect();
    assert_eq!(
        outcome,
        [
            r#"page Some("t1")"#,
            r#"page Some("t2")"#,
            r#"page Some("t1")"#,
            "Pagination in recordingsList",
        ],
        "expected three pages, then Error::Pagination, then the end of the stream"
    );
    assert_eq!(
        token_requests(&server).await,
        expected_requests(&[None, Some("t1"), Some("t2")]),
        "expected no request with the repeated token"
    );
}

/// Zoom's answer to an expired or invalid page token.
fn expired_token(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "code": 300,
        "message": "The next page token is invalid or expired.",
    }))
}

#[tokio::test]
async fn zoom_code_300_for_a_page_token_is_page_token_expired() {
    for status in [400, 404] {
        let server = MockServer::start().await;
        mount_pages(
            &server,
            &[
                (None, list_page(&[1, 2], "t1")),
                (Some("t1"), expired_token(status)),
            ],
        )
        .await;
        let client = zoom(&server);

        let items: Vec<_> = within_limit(
            "items() with an expired token",
            client.recordings_list("me").page_size(2).items().collect(),
        )
        .await;
        assert_eq!(items.len(), 3, "HTTP {status}: two items, one error, end");
        let ids: Vec<_> = items[..2]
            .iter()
            .map(|item| item.as_ref().ok().and_then(|m| m.id))
            .collect();
        assert_eq!(ids, [Some(1), Some(2)], "HTTP {status}: the first page");
        match &items[2] {
            Err(Error::PageTokenExpired { operation, error }) => assert_eq!(
                (
                    *operation,
                    error.status,
                    error.code,
                    error.message.as_deref()
                ),
                (
                    "recordingsList",
                    status,
                    Some(300),
                    Some("The next page token is invalid or expired.")
                ),
                "HTTP {status}: the expired-token error"
            ),
            other => panic!("HTTP {status}: expected Error::PageTokenExpired, got {other:?}"),
        }
        assert_eq!(
            token_requests(&server).await,
            expected_requests(&[None, Some("t1")]),
            "HTTP {status}: expected no retry after the expired token"
        );
    }
}

#[tokio::test]
async fn zoom_code_300_without_a_page_token_stays_an_api_error() {
    let server = MockServer::start().await;
    mount_pages(&server, &[(None, expired_token(400))]).await;
    let client = zoom(&server);

    let pages: Vec<_> = within_limit(
        "pages() failing on the first page",
        client.recordings_list("me").page_size(2).pages().collect(),
    )
    .await;
    match &pages[..] {
        [Err(Error::Api(api))] => assert_eq!(
            (api.status, api.code),
            (400, Some(300)),
            "the first page's error as Zoom sent it"
        ),
        other => panic!(
            "expected one Error::Api (no page token was sent, so none expired), got {other:?}"
        ),
    }
}

/// A Webex recording, from the fixture's first item, with its own id.
fn webex_recording(id: &str) -> Value {
    let mut item = payload_json("webex/listRecordings.json")["items"][0].clone();
    item["id"] = json!(id);
    item
}

fn webex_page(ids: &[&str], next: Option<String>) -> ResponseTemplate {
    let items: Vec<_> = ids.iter().map(|id| webex_recording(id)).collect();
    let response = ResponseTemplate::new(200).set_body_json(json!({ "items": items }));
    match next {
        Some(url) => response.insert_header("Link", format!("<{url}>; rel=\"next\"").as_str()),
        None => response,
    }
}

#[tokio::test]
async fn webex_pages_follow_the_link_header() {
    let server = MockServer::start().await;
    let link = |cursor: &str| format!("{}/recordings?max=2&cursor={cursor}", server.uri());
    Mock::given(method("GET"))
        .and(path("/recordings"))
        .and(query_param_is_missing("cursor"))
        .respond_with(webex_page(&["r1", "r2"], Some(link("c2"))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/recordings"))
        .and(query_param("cursor", "c2"))
        .respond_with(webex_page(&["r3", "r4"], Some(link("c3"))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/recordings"))
        .and(query_param("cursor", "c3"))
        .respond_with(webex_page(&["r5"], None))
        .mount(&server)
        .await;
    let client = webex_client::meetings::Client::new(&server.uri(), Credentials::bearer(TOKEN))
        .expect("a Webex client for the mock server");

    let items: Vec<_> = within_limit(
        "Webex items()",
        client
            .list_recordings()
            .max(2)
            .timezone("Europe/Berlin")
            .items()
            .collect(),
    )
    .await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|item| item.expect("every recording decodes").id.expect("an id"))
        .collect();
    assert_eq!(
        ids,
        ["r1", "r2", "r3", "r4", "r5"],
        "expected the recordings of the three pages in order"
    );

    let requests = server.received_requests().await.unwrap_or_default();
    let sent: Vec<(String, Option<&str>, Option<&str>)> = requests
        .iter()
        .map(|request| {
            let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
            (
                path_and_query(&request.url),
                header("authorization"),
                header("timezone"),
            )
        })
        .collect();
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(
        sent,
        [
            (
                "/recordings?max=2".to_owned(),
                Some(bearer.as_str()),
                Some("Europe/Berlin")
            ),
            (
                "/recordings?max=2&cursor=c2".to_owned(),
                Some(bearer.as_str()),
                Some("Europe/Berlin")
            ),
            (
                "/recordings?max=2&cursor=c3".to_owned(),
                Some(bearer.as_str()),
                Some("Europe/Berlin")
            ),
        ],
        "expected the first request with max=2, then each Link target as given, \
         all with the bearer token and the timezone header"
    );
}

/// `/path?query` of a received request.
fn path_and_query(url: &wiremock::http::Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

#[tokio::test]
async fn webex_link_to_another_host_is_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/recordings"))
        .respond_with(webex_page(
            &["r1"],
            Some("https://collector.example/recordings?cursor=c2".to_owned()),
        ))
        .mount(&server)
        .await;
    let client = webex_client::meetings::Client::new(&server.uri(), Credentials::bearer(TOKEN))
        .expect("a Webex client for the mock server");

    let items: Vec<_> = within_limit(
        "Webex items() with a foreign link",
        client.list_recordings().items().collect(),
    )
    .await;
    match &items[..] {
        [Ok(first), Err(Error::Pagination { operation, .. })] => {
            assert_eq!(
                (first.id.as_deref(), *operation),
                (Some("r1"), "listRecordings")
            );
        }
        other => panic!(
            "expected the first recording, then Error::Pagination for the foreign link, got {other:?}"
        ),
    }
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1,
        "expected only the first page to be requested"
    );
}
