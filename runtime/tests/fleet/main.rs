//! A fleet of clients sharing one token and one rate budget through a real Redis: eight
//! clients on eight connections against one mock API on 127.0.0.1.

#[allow(dead_code)]
#[path = "../e2e/common.rs"]
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request as Received, Respond, ResponseTemplate};
use zoomgen_runtime::{ApiClient, Error, RateLimits, RedisState, SharedState};

use common::*;
use zoomgen_test_support::redis_server::RedisServer;

const CLIENTS: usize = 8;

/// Answers every API request with 200 and notes when it arrived and which call it was.
#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<(Instant, String)>>>,
}

impl Respond for Recorder {
    fn respond(&self, request: &Received) -> ResponseTemplate {
        let id = request
            .url
            .path()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        self.seen.lock().unwrap().push((Instant::now(), id));
        ok_json(serde_json::json!({ "id": "u" }))
    }
}

/// Distinct tokens, one per token request, counted.
#[derive(Clone, Default)]
struct Tokens {
    issued: Arc<AtomicUsize>,
}

impl Respond for Tokens {
    fn respond(&self, _: &Received) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ok_json(serde_json::json!({ "access_token": format!("token-{n}"), "expires_in": 3600 }))
    }
}

/// A mock whose token endpoint hands out `tokens`; the test mounts the API's answers.
async fn token_server(tokens: &Tokens) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(tokens.clone())
        .mount(&server)
        .await;
    server
}

/// A mock API that answers every user call through a new `Recorder` and hands out `Tokens`.
async fn api() -> (MockServer, Recorder, Tokens) {
    let (recorder, tokens) = (Recorder::default(), Tokens::default());
    let server = token_server(&tokens).await;
    Mock::given(method("GET"))
        .and(path_regex("^/v2/users/"))
        .respond_with(recorder.clone())
        .mount(&server)
        .await;
    (server, recorder, tokens)
}

/// A mock API that refuses the call of user `first` once with `refusal` and answers every
/// other call through a new `Recorder`.
async fn refusing_first(refusal: ResponseTemplate) -> (MockServer, Recorder) {
    let recorder = Recorder::default();
    let server = token_server(&Tokens::default()).await;
    Mock::given(method("GET"))
        .and(path("/v2/users/first"))
        .respond_with(refusal)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(recorder.clone())
        .mount(&server)
        .await;
    (server, recorder)
}

/// A state in `redis` for `namespace`, with a timeout a loaded test machine cannot miss
/// (a miss would make a client decide alone, which the failover test covers).
fn shared(redis: &RedisServer, namespace: &str) -> RedisState {
    RedisState::with_timeout(&redis.url(), namespace, Duration::from_secs(10)).unwrap()
}

/// `CLIENTS` clients, each with its own Redis connection, sharing `namespace`, with `Light`
/// calls limited to `light` per second.
fn fleet(
    server: &MockServer,
    redis: &RedisServer,
    namespace: &str,
    light: f64,
) -> Vec<(ApiClient, Arc<RedisState>)> {
    fleet_with(
        server,
        redis,
        namespace,
        RateLimits::default().with_rate(LIGHT, light),
    )
}

/// `CLIENTS` clients, each with its own Redis connection, sharing `namespace` and `limits`.
fn fleet_with(
    server: &MockServer,
    redis: &RedisServer,
    namespace: &str,
    limits: RateLimits,
) -> Vec<(ApiClient, Arc<RedisState>)> {
    (0..CLIENTS)
        .map(|_| {
            let state = Arc::new(shared(redis, namespace));
            let client = builder(server, s2s())
                .rate_limits(limits.clone())
                .shared_state(state.clone())
                .build()
                .unwrap();
            (client, state)
        })
        .collect()
}

/// Each client makes `per_client` user calls, one after another; returns every call's outcome.
async fn run_all(
    fleet: &[(ApiClient, Arc<RedisState>)],
    per_client: usize,
) -> Vec<Result<(), Error>> {
    run_all_of(fleet, per_client, |c, i| user_request(&format!("{c}-{i}"))).await
}

/// Each client makes `per_client` calls of `request(client, call)`, one after another.
async fn run_all_of(
    fleet: &[(ApiClient, Arc<RedisState>)],
    per_client: usize,
    request: impl Fn(usize, usize) -> zoomgen_runtime::Request + Copy,
) -> Vec<Result<(), Error>> {
    let workers = fleet.iter().enumerate().map(|(c, (client, _))| async move {
        let mut outcomes = Vec::new();
        for i in 0..per_client {
            let call = client.execute(request(c, i)).await;
            outcomes.push(call.map(|_| ()));
        }
        outcomes
    });
    futures_util::future::join_all(workers)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// The most requests that arrived within any one second.
fn busiest_second(times: &[Instant]) -> usize {
    let mut times = times.to_vec();
    times.sort();
    let mut best = 0;
    let mut start = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= Duration::from_secs(1) {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_clients_keep_one_budget_and_fetch_one_token() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (server, recorder, tokens) = api().await;
    let rate = 40.0;
    let fleet = fleet(&server, &redis, "budget", rate);
    let outcomes = run_all(&fleet, 15).await;
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    let times: Vec<Instant> = recorder
        .seen
        .lock()
        .unwrap()
        .iter()
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(times.len(), CLIENTS * 15);
    let span = times
        .iter()
        .max()
        .unwrap()
        .duration_since(*times.iter().min().unwrap());
    let measured = (times.len() - 1) as f64 / span.as_secs_f64();
    assert!(
        measured <= rate * 1.05,
        "aggregate {measured:.1}/s over a budget of {rate}/s"
    );
    // Eight separate in-process limiters would have sent up to 8 × 40 in a second; one shared
    // budget never lets a second hold twice the rate, even when a busy machine delays some
    // requests into the next second.
    let busiest = busiest_second(&times);
    assert!((busiest as f64) < rate * 2.0, "busiest second: {busiest}");
    assert_eq!(
        tokens.issued.load(Ordering::SeqCst),
        1,
        "one token for the whole fleet"
    );
    assert!(fleet.iter().all(|(_, state)| state.is_reachable()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_401_seen_by_every_client_invalidates_the_shared_token_once() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let tokens = Tokens::default();
    let server = token_server(&tokens).await;
    // The first token is revoked: every client's first call meets a 401 with it.
    Mock::given(method("GET"))
        .and(wiremock::matchers::header(
            "authorization",
            "Bearer token-1",
        ))
        .respond_with(invalid_token())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok_json(serde_json::json!({ "id": "u" })))
        .mount(&server)
        .await;
    let fleet = fleet(&server, &redis, "revoked", 1000.0);
    let outcomes = run_all(&fleet, 2).await;
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    assert_eq!(
        tokens.issued.load(Ordering::SeqCst),
        2,
        "the first token, then one replacement for all eight clients"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_429_seen_by_one_client_pauses_all_of_them() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (server, recorder) =
        refusing_first(ResponseTemplate::new(429).insert_header("Retry-After", "1")).await;
    let fleet = fleet(&server, &redis, "paused", 1000.0);
    let (first, _) = &fleet[0];
    let refused = Instant::now();
    // The first client's call meets the 429 and waits the second out itself.
    let first_call = first.execute(user_request("first"));
    let others = async {
        // Started once the pause is recorded in Redis.
        tokio::time::sleep(Duration::from_millis(150)).await;
        run_all(&fleet[1..], 3).await
    };
    let (first_outcome, outcomes) = tokio::join!(first_call, others);
    first_outcome.unwrap();
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    let seen = recorder.seen.lock().unwrap();
    let earliest = seen.iter().map(|(t, _)| *t).min().unwrap();
    assert!(
        earliest.duration_since(refused) >= Duration::from_millis(900),
        "a request reached the server {:?} after the 429 asked for a second",
        earliest.duration_since(refused)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_31_year_retry_after_pauses_the_fleet_no_longer_than_the_retry_cap() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (server, recorder) =
        refusing_first(ResponseTemplate::new(429).insert_header("Retry-After", "999999999")).await;
    let cap = Duration::from_secs(30);
    let client = |total: Duration| {
        builder(&server, s2s())
            .retry(fast_retry().with_max_retry_after(cap))
            .timeouts(zoomgen_runtime::Timeouts::default().with_total(Some(total)))
            .shared_state(Arc::new(shared(&redis, "capped")))
            .build()
            .unwrap()
    };
    // The 429 is returned at once (its wait is past the retry cap) and pauses the fleet.
    let refused = client(Duration::from_secs(60))
        .execute(user_request("first"))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(429), "{refused:?}");
    // A fresh process of the fleet, whose calls may take 2 s: told at once, unsent, that the
    // pause outlives its deadline, and the pause is the capped one, not 31 years.
    let error = client(Duration::from_secs(2))
        .execute(user_request("later"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Paused { resumes_in, .. }
            if *resumes_in <= cap && *resumes_in > Duration::from_secs(20)),
        "{error:?}"
    );
    assert!(error.is_rate_limited() && error.is_retryable());
    assert!(
        recorder.seen.lock().unwrap().is_empty(),
        "nothing else was sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_daily_limit_is_a_typed_error_for_every_client_without_sending() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let reset = (chrono::Utc::now() + chrono::Duration::hours(3)).to_rfc3339();
    let (server, recorder) = refusing_first(
        ResponseTemplate::new(429)
            .insert_header("X-RateLimit-Type", "Daily-limit")
            .insert_header("X-RateLimit-Category", "Light")
            .insert_header("Retry-After", reset.as_str()),
    )
    .await;
    let fleet = fleet(&server, &redis, "daily", 1000.0);
    let error = fleet[0].0.execute(user_request("first")).await.unwrap_err();
    assert!(
        matches!(&error, Error::DailyLimitReached { class, resets_in, .. }
            if class == "Light" && *resets_in > Duration::from_secs(2 * 3600)),
        "{error:?}"
    );
    for (client, _) in &fleet[1..] {
        let error = client.execute(user_request("other")).await.unwrap_err();
        assert!(
            matches!(error, Error::DailyLimitReached { .. }),
            "{error:?}"
        );
    }
    assert!(
        recorder.seen.lock().unwrap().is_empty(),
        "nothing else was sent"
    );
    assert_eq!(hits(&server, "/v2/users/first").await, 1, "not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_killed_mid_run_falls_back_and_every_request_is_answered_once() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let (server, recorder, _) = api().await;
    let fleet = fleet(&server, &redis, "failover", 100.0);
    let per_client = 40;
    let run = run_all(&fleet, per_client);
    let chaos = async {
        tokio::time::sleep(Duration::from_millis(700)).await;
        redis.kill();
        tokio::time::sleep(Duration::from_millis(700)).await;
        let alone = fleet
            .iter()
            .filter(|(_, state)| !state.is_reachable())
            .count();
        redis.restart();
        alone
    };
    let (outcomes, alone) = tokio::join!(run, chaos);
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    assert!(alone > 0, "the clients noticed that Redis was gone");
    let mut ids: Vec<String> = recorder
        .seen
        .lock()
        .unwrap()
        .iter()
        .map(|(_, id)| id.clone())
        .collect();
    assert_eq!(ids.len(), CLIENTS * per_client, "every request answered");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), CLIENTS * per_client, "none sent twice");
    // Back to shared once Redis answers again: the next probes (a second apart) reconnect.
    let deadline = Instant::now() + Duration::from_secs(10);
    for (client, state) in &fleet {
        while !state.is_reachable() && Instant::now() < deadline {
            client.execute(user_request("after")).await.unwrap();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(state.is_reachable(), "{state:?}");
    }
}

#[tokio::test]
async fn redis_down_at_start_means_limiting_in_the_process() {
    let state = Arc::new(RedisState::new("redis://127.0.0.1:1", "down").unwrap());
    let (server, _, tokens) = api().await;
    let client = builder(&server, s2s())
        .shared_state(state.clone() as Arc<dyn SharedState>)
        .build()
        .unwrap();
    client.execute(user_request("one")).await.unwrap();
    assert!(!state.is_reachable());
    assert_eq!(tokens.issued.load(Ordering::SeqCst), 1);
}

const RESOURCE_INTENSIVE: zoomgen_runtime::RateClass =
    zoomgen_runtime::RateClass::new("Resource-intensive");

static HEAVY_REPORT: zoomgen_runtime::OperationMeta = zoomgen_runtime::OperationMeta {
    operation_id: "reportDaily",
    method: zoomgen_runtime::HttpMethod::Get,
    path_template: "/users/report",
    rate_limit: Some(HEAVY),
    scopes: &[],
    granular_scopes: &[],
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_daily_cap_is_kept_by_the_whole_fleet() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (server, recorder, _) = api().await;
    let limits = RateLimits::default().with_daily_limit(&[HEAVY, RESOURCE_INTENSIVE], 20);
    let fleet = fleet_with(&server, &redis, "daily-cap", limits);
    let outcomes = run_all_of(&fleet, 5, |_, _| {
        zoomgen_runtime::Request::new(&HEAVY_REPORT)
    })
    .await;
    let admitted = outcomes.iter().filter(|o| o.is_ok()).count();
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o, Err(Error::DailyLimitReached { .. })))
        .count();
    assert_eq!((admitted, refused), (20, 20), "{outcomes:?}");
    assert_eq!(
        recorder.seen.lock().unwrap().len(),
        20,
        "what the cap refused was not sent"
    );
}

/// A plain connection to `redis`, for writing what another program might have left there.
async fn raw_redis(redis: &RedisServer) -> redis::aio::MultiplexedConnection {
    redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn garbage_in_the_store_is_reset_not_obeyed() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mut raw = raw_redis(&redis).await;
    let day = chrono::Utc::now().date_naive();
    for (key, value) in [
        ("zoomgen:{garbage}:next:Light".to_owned(), "not a number"),
        (format!("zoomgen:{{garbage}}:count:Light:{day}"), "x"),
        // A token without an expiry, never one the runtime wrote.
        ("zoomgen:{garbage}:token".to_owned(), "left-for-ever"),
    ] {
        redis::cmd("SET")
            .arg(&key)
            .arg(value)
            .query_async::<()>(&mut raw)
            .await
            .unwrap();
    }
    let (server, recorder, tokens) = api().await;
    let state = Arc::new(shared(&redis, "garbage"));
    let client = builder(&server, s2s())
        .rate_limits(
            RateLimits::default()
                .with_rate(LIGHT, 100.0)
                .with_daily_limit(&[LIGHT], 5),
        )
        .shared_state(state.clone())
        .build()
        .unwrap();
    for i in 0..3 {
        client
            .execute(user_request(&format!("g{i}")))
            .await
            .unwrap();
    }
    assert!(state.is_reachable(), "decisions stayed in Redis");
    assert_eq!(recorder.seen.lock().unwrap().len(), 3);
    assert_eq!(
        tokens.issued.load(Ordering::SeqCst),
        1,
        "a fresh token was fetched"
    );
    let ttl: i64 = redis::cmd("PTTL")
        .arg("zoomgen:{garbage}:token")
        .query_async(&mut raw)
        .await
        .unwrap();
    assert!(ttl > 0, "the token key expires ({ttl})");
    let count: String = redis::cmd("GET")
        .arg(format!("zoomgen:{{garbage}}:count:Light:{day}"))
        .query_async(&mut raw)
        .await
        .unwrap();
    assert_eq!(count, "3", "the garbage count was reset, then counted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_token_fetch_releases_the_refresh_lock() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let tokens = Tokens::default();
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(tokens.clone())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(Recorder::default())
        .mount(&server)
        .await;
    let client = |retry: zoomgen_runtime::RetryConfig| {
        builder(&server, s2s())
            .retry(retry)
            .shared_state(Arc::new(shared(&redis, "unlocked")))
            .build()
            .unwrap()
    };
    let failed = client(zoomgen_runtime::RetryConfig::none())
        .execute(user_request("first"))
        .await
        .unwrap_err();
    assert!(matches!(failed, Error::Auth { .. }), "{failed:?}");
    let mut raw = raw_redis(&redis).await;
    let held: bool = redis::cmd("EXISTS")
        .arg("zoomgen:{unlocked}:token-lock")
        .query_async(&mut raw)
        .await
        .unwrap();
    assert!(
        !held,
        "the lock is released with the failure, not left for its 10 s"
    );
    // So a second worker fetches at once rather than waiting the lock out.
    client(fast_retry())
        .execute(user_request("second"))
        .await
        .unwrap();
    assert_eq!(tokens.issued.load(Ordering::SeqCst), 1);
}
