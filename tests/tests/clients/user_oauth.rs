//! Signing in with a user's OAuth grant against an authorization server on 127.0.0.1 that
//! rotates refresh tokens as Zoom does: a used refresh token is refused with `invalid_grant`.
//! Concurrent clients, in one process and in several sharing a real redis-server, refresh an
//! expired grant once between them; a revoked grant is `ReauthorizationRequired` after one
//! try; a grant file survives a kill at any moment.

use zoomgen_test_support::{oauth_server, redis_server};

use std::sync::Arc;
use std::time::Duration;

use oauth_server::{Behaviour, OAuthServer};
use zoomgen_runtime::{
    ApiClient, Credentials, Error, FileStore, Grant, MemoryStore, OAuthApp, RedisState, Secret,
    TokenStore,
};
use zoomgen_tests::user_request;

fn app(server: &OAuthServer) -> OAuthApp {
    OAuthApp::zoom("client-id", "client-secret")
        .with_endpoints(&server.authorize_url(), &server.token_url())
        .unwrap()
}

/// The server's current grant, with its access token already expired.
fn expired_grant() -> Grant {
    Grant {
        access_token: Secret::new("access-0"),
        refresh_token: Secret::new("refresh-0"),
        expires_at: 1,
        scope: None,
    }
}

fn client(
    server: &OAuthServer,
    store: Arc<dyn TokenStore>,
    http: &zoomgen_runtime::reqwest::Client,
) -> ApiClient {
    ApiClient::builder(
        &server.api_base(),
        Credentials::user_grant(app(server), store, "user-1"),
    )
    .vendor(&zoomgen_runtime::vendor::zoom::ZOOM)
    .http_client(http.clone())
    .build()
    .unwrap()
}

/// `clients` clients over `store`, each calling once, all at once.
async fn call_all(
    server: &OAuthServer,
    store: Arc<dyn TokenStore>,
    clients: usize,
) -> Vec<Result<(), Error>> {
    let http = zoomgen_runtime::reqwest::Client::new();
    let clients: Vec<ApiClient> = (0..clients)
        .map(|_| client(server, store.clone(), &http))
        .collect();
    let calls = clients
        .iter()
        .map(|client| async move { client.execute(user_request()).await.map(|_| ()) });
    futures_util::future::join_all(calls).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_clients_of_one_process_refresh_an_expired_grant_once() {
    for store in [
        Arc::new(MemoryStore::with_grant("user-1", expired_grant())) as Arc<dyn TokenStore>,
        {
            let dir = tempfile::tempdir().unwrap().keep();
            let store = FileStore::new(dir);
            store.save("user-1", &expired_grant()).await.unwrap();
            Arc::new(store)
        },
    ] {
        let server = OAuthServer::start(Behaviour::default()).await;
        let outcomes = call_all(&server, store.clone(), 8).await;
        assert!(
            outcomes.iter().all(Result::is_ok),
            "{store:?}: {outcomes:?}"
        );
        assert_eq!(
            (server.refreshes(), server.invalid_grants()),
            (1, 0),
            "{store:?}"
        );
        // The rotated grant is what the store holds now.
        let stored = store.load("user-1").await.unwrap().unwrap();
        assert_eq!(stored.refresh_token.expose(), "refresh-1");
        assert_eq!(stored.scope.as_deref(), Some("meeting:read user:read"));
        // Zoom's client authentication: HTTP Basic, nothing secret in the form.
        let issued = server.issued.lock().unwrap();
        assert!(
            issued.authorizations[0]
                .as_deref()
                .is_some_and(|a| a.starts_with("Basic "))
        );
        assert!(
            !issued.forms[0]
                .iter()
                .any(|(key, _)| key == "client_secret")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revoked_grant_needs_reauthorization_after_one_try() {
    let server = OAuthServer::start(Behaviour::default()).await;
    server.revoke();
    let store = Arc::new(MemoryStore::with_grant("user-1", expired_grant()));
    let http = zoomgen_runtime::reqwest::Client::new();
    let revoked = client(&server, store.clone(), &http);
    let error = revoked.execute(user_request()).await.unwrap_err();
    assert!(
        matches!(&error, Error::ReauthorizationRequired { grant, .. } if grant == "user-1"),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    assert_eq!(server.refreshes(), 1, "not retried");
    // The refused grant stays stored as it was: nothing is overwritten with a guess.
    assert_eq!(store.load("user-1").await.unwrap(), Some(expired_grant()));
    // No grant at all says the same, without a request.
    let empty = client(&server, Arc::new(MemoryStore::new()), &http);
    let error = empty.execute(user_request()).await.unwrap_err();
    assert!(
        matches!(error, Error::ReauthorizationRequired { .. }),
        "{error:?}"
    );
    assert_eq!(server.refreshes(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_token_rotated_by_another_client_is_picked_up_after_a_401() {
    let server = OAuthServer::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::with_grant("user-1", expired_grant()));
    let http = zoomgen_runtime::reqwest::Client::new();
    let first = client(&server, store.clone(), &http);
    let second = client(&server, store.clone(), &http);
    first.execute(user_request()).await.unwrap();
    second.execute(user_request()).await.unwrap();
    // The server invalidates `access-1` early (its own reasons): the next call meets a 401,
    // refreshes once under the lock, and the other client then finds the new grant stored.
    server.issued.lock().unwrap().access_token = "access-revoked".into();
    first.execute(user_request()).await.unwrap();
    second.execute(user_request()).await.unwrap();
    assert_eq!((server.refreshes(), server.invalid_grants()), (2, 0));
}

#[tokio::test]
async fn the_code_is_exchanged_with_the_pkce_verifier() {
    let server = OAuthServer::start(Behaviour::default()).await;
    let app = app(&server);
    let request = app
        .authorization_request("http://127.0.0.1:8765/callback", &[])
        .unwrap();
    assert!(request.url.as_str().starts_with(&server.authorize_url()));
    let http = zoomgen_runtime::reqwest::Client::new();
    let grant = app
        .exchange_code(&http, &request, "the-code")
        .await
        .unwrap();
    assert_eq!(grant.refresh_token.expose(), "refresh-1");
    let form = server.issued.lock().unwrap().forms[0].clone();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    assert_eq!(field("grant_type").as_deref(), Some("authorization_code"));
    assert_eq!(field("code").as_deref(), Some("the-code"));
    assert_eq!(
        field("redirect_uri").as_deref(),
        Some("http://127.0.0.1:8765/callback")
    );
    assert_eq!(
        field("code_verifier").as_deref(),
        Some(request.verifier.expose())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_in_two_processes_and_this_one_refresh_a_grant_in_redis_once() {
    let Some(redis) = redis_server::RedisServer::start() else {
        return;
    };
    let server = OAuthServer::start(Behaviour {
        delay: Duration::from_millis(400),
        ..Behaviour::default()
    })
    .await;
    let store = Arc::new(RedisState::new(&redis.url(), "grants").unwrap());
    store.save("user-1", &expired_grant()).await.unwrap();
    let worker = || {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_grant_worker"))
            .args([
                "calls",
                &redis.url(),
                "grants",
                &server.api_base(),
                &server.token_url(),
                "4",
            ])
            .kill_on_drop(true)
            .output()
    };
    let (here, one, two) = tokio::join!(call_all(&server, store.clone(), 8), worker(), worker());
    assert!(here.iter().all(Result::is_ok), "{here:?}");
    for output in [one.unwrap(), two.unwrap()] {
        assert!(
            output.status.success(),
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!((server.refreshes(), server.invalid_grants()), (1, 0));
    let stored = store.load("user-1").await.unwrap().unwrap();
    assert_eq!(stored.refresh_token.expose(), "refresh-1");
}

#[tokio::test]
async fn a_grant_file_killed_mid_save_holds_the_old_grant_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut found = 0;
    for pause in [30, 80, 150, 260] {
        let mut worker = tokio::process::Command::new(env!("CARGO_BIN_EXE_grant_worker"))
            .args(["save-loop", &dir.path().display().to_string()])
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(pause)).await;
        // SIGKILL: no destructor, no flush.
        worker.start_kill().unwrap();
        worker.wait().await.unwrap();
        let Some(grant) = FileStore::new(dir.path()).load("user-1").await.unwrap() else {
            continue;
        };
        found += 1;
        let n = grant.expires_at;
        assert_eq!(grant.access_token.expose(), format!("access-{n}"));
        assert_eq!(grant.refresh_token.expose(), format!("refresh-{n}"));
        assert_eq!(
            grant.scope.map(|s| s.len()),
            Some("meeting:read ".len() * 20_000)
        );
    }
    assert!(found > 0, "no kill came after a first save");
}

/// `GET /recordings`: three pages through `Link` headers, each only for the server's current
/// access token; serving the first page expires that token, as an access token that runs out
/// in the middle of a listing.
struct ExpiringListing {
    issued: Arc<std::sync::Mutex<oauth_server::Issued>>,
    base: String,
}

impl wiremock::Respond for ExpiringListing {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let mut issued = self.issued.lock().unwrap();
        let expected = format!("Bearer {}", issued.access_token);
        if request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            != Some(expected.as_str())
        {
            return wiremock::ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"message": "The request requires a valid access token set in the Authorization request header."}));
        }
        let cursor: Option<String> = request
            .url
            .query_pairs()
            .find(|(key, _)| key == "cursor")
            .map(|(_, value)| value.into_owned());
        let (ids, next) = match cursor.as_deref() {
            None => {
                issued.access_token = "expired".into();
                (["r1", "r2"].as_slice(), Some("c2"))
            }
            Some("c2") => (["r3", "r4"].as_slice(), Some("c3")),
            _ => (["r5"].as_slice(), None),
        };
        let items: Vec<serde_json::Value> =
            ids.iter().map(|id| serde_json::json!({"id": id})).collect();
        let page =
            wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({"items": items}));
        match next {
            Some(cursor) => page.insert_header(
                "Link",
                format!("<{}/recordings?cursor={cursor}>; rel=\"next\"", self.base).as_str(),
            ),
            None => page,
        }
    }
}

#[tokio::test]
async fn a_webex_listing_outliving_its_access_token_refreshes_once_and_finishes() {
    let server = OAuthServer::start(Behaviour {
        delay: Duration::ZERO,
        ..Behaviour::default()
    })
    .await;
    let api = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/recordings"))
        .respond_with(ExpiringListing {
            issued: server.issued.clone(),
            base: api.uri(),
        })
        .mount(&api)
        .await;
    // The integration's access token is current; its refresh token is the server's.
    let grant = Grant {
        access_token: Secret::new("access-0"),
        refresh_token: Secret::new("refresh-0"),
        expires_at: unix_now() + 3600,
        scope: None,
    };
    let app = OAuthApp::webex("webex-client", "webex-secret")
        .with_endpoints(&server.authorize_url(), &server.token_url())
        .unwrap();
    let store = Arc::new(MemoryStore::with_grant("webex", grant));
    let client = webex_client::meetings::Client::new(
        &api.uri(),
        Credentials::user_grant(app, store.clone(), "webex"),
    )
    .unwrap();
    let ids: Vec<String> =
        futures_util::StreamExt::collect::<Vec<_>>(client.list_recordings().items())
            .await
            .into_iter()
            .map(|item| item.unwrap().id.unwrap())
            .collect();
    assert_eq!(ids, ["r1", "r2", "r3", "r4", "r5"]);
    assert_eq!((server.refreshes(), server.invalid_grants()), (1, 0));
    // Webex's client authentication: the ID and secret in the form, no Basic header.
    let issued = server.issued.lock().unwrap();
    let form = &issued.forms[0];
    assert!(form.contains(&("client_id".into(), "webex-client".into())));
    assert!(form.contains(&("client_secret".into(), "webex-secret".into())));
    assert_eq!(issued.authorizations[0], None);
    drop(issued);
    let stored = futures_util::FutureExt::now_or_never(store.load("webex"))
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(stored.access_token.expose(), "access-1");
}

/// Seconds since the Unix epoch.
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
