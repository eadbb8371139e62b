//! Token and Link-header pagination, with hand-written page types.

use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_runtime::{
    ApiClient, Credentials, Error, HttpMethod, OperationMeta, PageStream, Request, TokenExpiry,
    TokenPage, link_pages, page_items, token_pages,
};

use crate::common::*;

static LIST_USERS: OperationMeta = OperationMeta {
    operation_id: "users",
    method: HttpMethod::Get,
    path_template: "/users",
    rate_limit: None,
    scopes: &[],
    granular_scopes: &[],
};

/// What the Zoom profile gives generated listings: code 300 about the token.
const ZOOM_EXPIRY: Option<TokenExpiry> = Some(TokenExpiry::new(300, "token"));

#[derive(Debug, serde::Deserialize)]
struct UserPage {
    next_page_token: Option<String>,
    users: Vec<String>,
}

impl TokenPage for UserPage {
    fn next_page_token(&self) -> Option<&str> {
        self.next_page_token.as_deref()
    }
}

fn page(next: Option<&str>, users: &[&str]) -> UserPage {
    UserPage {
        next_page_token: next.map(str::to_owned),
        users: users.iter().map(|u| u.to_string()).collect(),
    }
}

/// The tokens a scripted listing was asked for, in order.
type AskedTokens = Arc<Mutex<Vec<Option<String>>>>;

/// Pages from a script keyed by the token asked for; records the tokens asked for.
fn scripted(script: fn(Option<&str>) -> UserPage) -> (PageStream<'static, UserPage>, AskedTokens) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = asked.clone();
    let pages = token_pages(
        &LIST_USERS,
        None,
        ZOOM_EXPIRY,
        move |token: Option<String>| {
            log.lock().unwrap().push(token.clone());
            async move { Ok(script(token.as_deref())) }
        },
    );
    (pages, asked)
}

#[tokio::test]
async fn three_token_pages_then_an_empty_token() {
    let (pages, asked) = scripted(|token| match token {
        None => page(Some("t1"), &["a", "b"]),
        Some("t1") => page(Some("t2"), &["c"]),
        _ => page(Some(""), &["d"]),
    });
    let users: Vec<String> = page_items(pages, |p| p.users)
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(users, ["a", "b", "c", "d"]);
    assert_eq!(
        *asked.lock().unwrap(),
        [None, Some("t1".to_owned()), Some("t2".to_owned())]
    );
}

#[tokio::test]
async fn a_repeated_token_stops_with_a_pagination_error() {
    let (pages, asked) = scripted(|token| match token {
        None => page(Some("t1"), &["a"]),
        Some("t1") => page(Some("t2"), &["b"]),
        _ => page(Some("t1"), &["c"]),
    });
    let results: Vec<_> = pages.collect().await;
    assert_eq!(results.len(), 4);
    assert!(results[..3].iter().all(Result::is_ok));
    assert!(matches!(
        &results[3],
        Err(Error::Pagination {
            operation: "users",
            ..
        })
    ));
    assert_eq!(asked.lock().unwrap().len(), 3, "never fetched t1 twice");
}

#[tokio::test]
async fn a_first_token_is_used_and_remembered() {
    let pages = token_pages(
        &LIST_USERS,
        Some("resume".to_owned()),
        ZOOM_EXPIRY,
        |token| async move {
            assert_eq!(token.as_deref(), Some("resume"));
            Ok(page(Some("resume"), &["x"]))
        },
    );
    let results: Vec<_> = pages.collect().await;
    assert!(matches!(
        results.as_slice(),
        [Ok(_), Err(Error::Pagination { .. })]
    ));
}

/// What a generated `users_list` does with the client.
fn list_users(client: ApiClient) -> PageStream<'static, UserPage> {
    token_pages(&LIST_USERS, None, ZOOM_EXPIRY, move |token| {
        let client = client.clone();
        async move {
            let mut request = Request::new(&LIST_USERS);
            request.query("page_size", &2);
            if let Some(token) = &token {
                request.query("next_page_token", token);
            }
            client.execute(request).await?.json::<UserPage>()
        }
    })
}

#[tokio::test]
async fn code_300_for_a_token_request_is_an_expired_page_token() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/users"))
        .and(query_param_is_missing("next_page_token"))
        .respond_with(ok_json(
            serde_json::json!({"next_page_token": "old", "users": ["a"]}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v2/users"))
        .and(query_param("next_page_token", "old"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "code": 300,
            "message": "The next page token is invalid or expired."
        })))
        .mount(&server)
        .await;
    let client = builder(&server, Credentials::none()).build().unwrap();

    let results: Vec<_> = list_users(client).collect().await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().users, ["a"]);
    let Err(Error::PageTokenExpired { operation, error }) = &results[1] else {
        panic!("expected an expired page token, got {:?}", results[1]);
    };
    assert_eq!(
        (*operation, error.status, error.code),
        ("users", 400, Some(300))
    );
}

#[tokio::test]
async fn code_300_without_a_token_stays_an_api_error() {
    let pages = token_pages(&LIST_USERS, None, ZOOM_EXPIRY, |_token| async {
        Err::<UserPage, _>(Error::Api(Box::new(
            zoomgen_runtime::ApiError::from_response(
                &zoomgen_runtime::vendor::zoom::ZOOM,
                "users",
                400,
                Default::default(),
                r#"{"code": 300, "message": "Validation Failed."}"#.into(),
            ),
        )))
    });
    let results: Vec<_> = pages.collect().await;
    assert!(matches!(results.as_slice(), [Err(Error::Api(_))]));
}

static LIST_RECORDINGS: OperationMeta = OperationMeta {
    operation_id: "listRecordings",
    method: HttpMethod::Get,
    path_template: "/recordings",
    rate_limit: None,
    scopes: &[],
    granular_scopes: &[],
};

#[derive(Debug, serde::Deserialize)]
struct RecordingPage {
    items: Vec<String>,
}

/// What a generated Webex list method does with the client.
fn list_recordings(client: ApiClient) -> PageStream<'static, String> {
    let pages = link_pages(&LIST_RECORDINGS, move |next| {
        let client = client.clone();
        async move {
            let mut request = Request::new(&LIST_RECORDINGS);
            match next {
                Some(url) => request.absolute_url(&url)?,
                None => request.query("max", &2),
            }
            let response = client.execute(request).await?;
            Ok((response.json::<RecordingPage>()?, response.next_link()))
        }
    });
    page_items(pages, |page: RecordingPage| page.items)
}

async fn mount_recordings(
    server: &MockServer,
    cursor: Option<&str>,
    items: &[&str],
    next: Option<&str>,
) {
    let matcher = Mock::given(path("/v1/recordings"));
    let matcher = match cursor {
        Some(cursor) => matcher.and(query_param("cursor", cursor)),
        None => matcher.and(query_param_is_missing("cursor")),
    };
    let mut response = ok_json(serde_json::json!({"items": items}));
    if let Some(next) = next {
        response = response.insert_header(
            "link",
            format!(
                r#"<{}/v1/recordings?max=2&cursor={next}>; rel="next""#,
                server.uri()
            ),
        );
    }
    matcher.respond_with(response).mount(server).await;
}

#[tokio::test]
async fn link_header_pages_over_three_pages() {
    let server = MockServer::start().await;
    mount_recordings(&server, None, &["r1", "r2"], Some("c2")).await;
    mount_recordings(&server, Some("c2"), &["r3", "r4"], Some("c3")).await;
    mount_recordings(&server, Some("c3"), &["r5"], None).await;
    let client = ApiClient::builder(
        &format!("{}/v1", server.uri()),
        Credentials::bearer("webex"),
    )
    .build()
    .unwrap();

    let items: Vec<String> = list_recordings(client).map(Result::unwrap).collect().await;
    assert_eq!(items, ["r1", "r2", "r3", "r4", "r5"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_repeated_link_stops_with_a_pagination_error() {
    let server = MockServer::start().await;
    mount_recordings(&server, None, &["r1"], Some("c2")).await;
    mount_recordings(&server, Some("c2"), &["r2"], Some("c2")).await;
    let client = ApiClient::builder(
        &format!("{}/v1", server.uri()),
        Credentials::bearer("webex"),
    )
    .build()
    .unwrap();

    let results: Vec<_> = list_recordings(client).collect().await;
    assert_eq!(results.len(), 3);
    assert!(matches!(&results[2], Err(Error::Pagination { .. })));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
