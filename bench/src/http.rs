//! `http`: requests per second of the generated client (`recordings_list(..).send()`, bearer
//! token) and of a bare `reqwest::Client` making the same GET with the same `Authorization`
//! header and decoding the same type, against a minimal keep-alive HTTP/1.1 server on
//! 127.0.0.1 that answers every request with one fixed small list page.
//!
//! The server runs on its own thread and runtime; the clients share one current-thread
//! runtime and one connection pool. Each round times every client sequentially and
//! concurrently, in short slices the clients take in turn (the order rotating), each begun
//! with a few untimed calls; printed are the medians of the slices' rates and the medians of
//! the ratios between the clients' slices of the same turn. A third client, bare `reqwest`
//! decoding the way the generated client does, splits the gap into decoding and the rest of
//! the runtime, and shows the bench's own noise. Two more sign in as apps do, a
//! Server-to-Server app and a user's OAuth grant (tokens from a second server): a token at hand
//! must cost a user-OAuth client nothing more. It also prints the size of the state every call
//! allocates, beside the largest allocation glibc's thread cache serves.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zoom_client::Credentials;
use zoom_client::meetings::Client;
use zoom_client::meetings::types::RecordingsListResponse;
use zoomgen_runtime::{
    ApiClient, Grant, HttpMethod, MemoryStore, OAuthApp, OperationMeta, Request, Secret, Timeouts,
};

use crate::median;

use crate::page;

const TOKEN: &str = "bench-access-token-0d2f";
/// No block goes on past this, whatever its request count.
const BLOCK_BUDGET: Duration = Duration::from_secs(5);
const WARM_UP: usize = 200;

/// `http`'s options.
#[derive(clap::Args)]
pub struct Args {
    /// Requests per client and round, one at a time (twice as many in flight).
    #[arg(long, default_value_t = 3000)]
    requests: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Rounds, each cut into slices (medians over the slices' rates and ratios are reported).
    #[arg(long, default_value_t = 15)]
    rounds: usize,
}

pub fn run(args: &Args) -> Result<(), String> {
    let (requests, concurrency, rounds) = (args.requests, args.concurrency, args.rounds);

    let body = page::recordings_page(2, 2);
    let server = Server::start(&body)?;
    // The token endpoint of the clients that sign in: any request gets an hour's token.
    let tokens = Server::start(
        format!(r#"{{"access_token": "{TOKEN}", "expires_in": 3600, "refresh_token": "r"}}"#)
            .as_bytes(),
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the client runtime: {e}"))?;
    runtime.block_on(async {
        // Every client sends over one connection pool, so all of them use the same sockets
        // (and the server the same connection tasks): what differs is the client code alone.
        let pool = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build reqwest: {e}"))?;
        let signed_in = |credentials: Credentials, timeouts: Timeouts| {
            ApiClient::builder(&format!("http://{}/v2", server.addr), credentials)
                .vendor(&zoomgen_runtime::vendor::zoom::ZOOM)
                .http_client(pool.clone())
                .timeouts(timeouts)
                .oauth_base_url(&format!("http://{}", tokens.addr))
                .build()
                .map(Client::from_api_client)
                .map_err(|e| e.to_string())
        };
        let generated_with = |timeouts: Timeouts| signed_in(Credentials::bearer(TOKEN), timeouts);
        let generated = generated_with(Timeouts::default())?;
        // The two ways apps sign in that refresh tokens, each with its token at hand after the
        // first call: the same bearer token reaches the server.
        let s2s = signed_in(
            Credentials::server_to_server("account", "client", "secret"),
            Timeouts::default(),
        )?;
        let token_url = format!("http://{}/oauth/token", tokens.addr);
        let app = OAuthApp::zoom("client", "secret")
            .with_endpoints(&token_url, &token_url)
            .map_err(|e| e.to_string())?;
        let grant = Grant {
            access_token: Secret::new(TOKEN),
            refresh_token: Secret::new("bench-refresh-token"),
            expires_at: unix_now() + 3600,
            scope: None,
        };
        let user = signed_in(
            Credentials::user_grant(
                app,
                Arc::new(MemoryStore::with_grant("bench", grant)),
                "bench",
            ),
            Timeouts::default(),
        )?;
        // One call through the generated client tells which URL it requests; bare reqwest then
        // requests exactly that.
        generated_call(&generated).await?;
        let target = server
            .first_target
            .lock()
            .map_err(|_| "the server's lock is poisoned".to_owned())?
            .clone()
            .ok_or("the server saw no request")?;
        let bare = Bare {
            http: pool.clone(),
            url: format!("http://{}{target}", server.addr),
            runtime_decode: false,
            timeout: None,
        };
        // Diagnostic: bare reqwest with the client's decoding, to split the gap between
        // decoding and the rest of the runtime.
        let bare_tracked = Bare {
            runtime_decode: true,
            ..bare.clone()
        };
        // Diagnostic: the generated client without its default time limits, to show what the
        // one timer per attempt costs (bare reqwest sets none).
        let untimed = generated_with(Timeouts::none())?;

        // Diagnostic: bare reqwest guarding each request with its own timer, as the client's
        // default time limit does.
        let bare_timed = Bare {
            timeout: Some(Duration::from_secs(60)),
            ..bare.clone()
        };

        let generated_once = || generated_call(&generated);
        let bare_once = || bare.call();
        let tracked_once = || bare_tracked.call();
        let untimed_once = || generated_call(&untimed);
        let timed_once = || bare_timed.call();
        let s2s_once = || generated_call(&s2s);
        let user_once = || generated_call(&user);
        sequential(WARM_UP, generated_once).await?;
        sequential(WARM_UP, s2s_once).await?;
        sequential(WARM_UP, user_once).await?;
        sequential(WARM_UP, bare_once).await?;
        sequential(WARM_UP, tracked_once).await?;
        sequential(WARM_UP, untimed_once).await?;
        sequential(WARM_UP, timed_once).await?;

        // Each slice's rate, per client: one at a time, then in flight. The n-th slice of
        // every client was taken in the same turn.
        let mut rates: [Vec<f64>; 2 * CLIENTS] = Default::default();
        let (seq_calls, conc_calls) = ((requests / SLICES).max(1), (requests * 2 / SLICES).max(1));
        for round in 0..rounds.max(1) {
            // Each round's calls are cut into slices and the clients take turns slice by
            // slice (rotating who goes first), so a slow spell of the machine hits all of them.
            for slice in 0..SLICES {
                for which in (0..CLIENTS).map(|i| (i + round + slice) % CLIENTS) {
                    // One client's slice: a few untimed calls, then its calls one at a time,
                    // then with some in flight.
                    macro_rules! slice_of {
                        ($once:expr) => {{
                            sequential(SLICE_WARM_UP, $once).await?;
                            (
                                sequential(seq_calls, $once).await?,
                                concurrent(conc_calls, concurrency, $once).await?,
                            )
                        }};
                    }
                    let (one, many) = match which {
                        0 => slice_of!(generated_once),
                        1 => slice_of!(bare_once),
                        2 => slice_of!(tracked_once),
                        3 => slice_of!(untimed_once),
                        4 => slice_of!(timed_once),
                        5 => slice_of!(s2s_once),
                        _ => slice_of!(user_once),
                    };
                    rates[which].push(rate(one));
                    rates[CLIENTS + which].push(rate(many));
                }
            }
        }
        println!("call_state_bytes {}", call_state_bytes()?);
        println!(
            "thread_cache_limit_bytes {}",
            zoomgen_runtime::__private::CALL_STATE_BUDGET
        );
        println!("body_bytes {}", body.len());
        println!("target {target}");
        println!("rounds {}", rounds.max(1));
        println!("concurrency {concurrency}");
        // Ratios between the slices of one turn (the clients ran back to back), then their
        // median: a slow spell of the machine hits both sides of a ratio, and one that hit a
        // single slice moves the median little.
        let paired = |ours: &[f64], theirs: &[f64]| {
            median(
                &mut ours
                    .iter()
                    .zip(theirs)
                    .map(|(a, b)| a / b)
                    .collect::<Vec<f64>>(),
            )
        };
        for (mode, base) in [("seq", 0), ("conc", CLIENTS)] {
            let (generated, bare, tracked, untimed, timed, s2s, user) = (
                &rates[base],
                &rates[base + 1],
                &rates[base + 2],
                &rates[base + 3],
                &rates[base + 4],
                &rates[base + 5],
                &rates[base + 6],
            );
            println!("{mode}_generated_rps {:.0}", median(&mut generated.clone()));
            println!("{mode}_bare_rps {:.0}", median(&mut bare.clone()));
            println!(
                "{mode}_bare_tracked_rps {:.0}",
                median(&mut tracked.clone())
            );
            println!("{mode}_generated_ratio {:.4}", paired(generated, bare));
            println!("{mode}_bare_tracked_ratio {:.4}", paired(tracked, bare));
            println!(
                "{mode}_generated_tracked_ratio {:.4}",
                paired(generated, tracked)
            );
            println!("{mode}_untimed_rps {:.0}", median(&mut untimed.clone()));
            println!("{mode}_untimed_ratio {:.4}", paired(untimed, bare));
            println!("{mode}_bare_timed_rps {:.0}", median(&mut timed.clone()));
            println!(
                "{mode}_generated_timed_ratio {:.4}",
                paired(generated, timed)
            );
            println!("{mode}_s2s_rps {:.0}", median(&mut s2s.clone()));
            println!("{mode}_user_oauth_rps {:.0}", median(&mut user.clone()));
            println!("{mode}_user_oauth_s2s_ratio {:.4}", paired(user, s2s));
        }
        Ok(())
    })
}

/// The size of the state one call allocates: the future `ApiClient::execute` boxes.
fn call_state_bytes() -> Result<usize, String> {
    static RECORDINGS: OperationMeta = OperationMeta {
        operation_id: "recordingsList",
        method: HttpMethod::Get,
        path_template: "/users/{userId}/recordings",
        rate_limit: None,
        scopes: &[],
        granular_scopes: &[],
    };
    let client = ApiClient::new("http://127.0.0.1/v2", zoomgen_runtime::Credentials::none())
        .map_err(|e| format!("cannot build a client: {e}"))?;
    let call = client.execute(Request::new(&RECORDINGS));
    Ok(std::mem::size_of_val(call.as_ref().get_ref()))
}

pub(crate) async fn generated_call(client: &Client) -> Result<RecordingsListResponse, String> {
    client
        .recordings_list("me")
        .page_size(30)
        .send()
        .await
        .map_err(|e| format!("generated client: {e}"))
}

#[derive(Clone)]
struct Bare {
    http: reqwest::Client,
    url: String,
    /// Decode with `zoomgen_runtime::decode_json`, as the generated client does.
    runtime_decode: bool,
    /// reqwest's own time limit of each request.
    timeout: Option<Duration>,
}

impl Bare {
    async fn call(&self) -> Result<RecordingsListResponse, String> {
        let mut request = self.http.get(&self.url).bearer_auth(TOKEN);
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        let bytes = request
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| format!("bare reqwest: {e}"))?
            .bytes()
            .await
            .map_err(|e| format!("bare reqwest: {e}"))?;
        if self.runtime_decode {
            zoomgen_runtime::decode_json("recordingsList", &bytes)
                .map_err(|e| format!("bare reqwest decode: {e}"))
        } else {
            serde_json::from_slice(&bytes).map_err(|e| format!("bare reqwest decode: {e}"))
        }
    }
}

/// The clients measured: generated, bare reqwest, bare with the client's decoding, generated
/// without time limits, bare with a per-request timeout, generated signed in as a
/// Server-to-Server app, and as a user's OAuth grant.
const CLIENTS: usize = 7;

/// Seconds since the Unix epoch.
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// How many slices a round's calls are cut into. Short ones (60 calls one at a time at the
/// default 3,000 a round): a 2-core VM's speed changes from one tenth of a second to the
/// next, and the two slices of a ratio should run as close together in time as they can.
const SLICES: usize = 50;

/// Untimed calls at the start of each slice, so that a slice times its client warm rather
/// than the cache misses of taking over from the client before it (which short slices would
/// weigh more).
const SLICE_WARM_UP: usize = 10;

/// The rate of a slice: calls made per second of the time they took.
fn rate((calls, elapsed): (usize, Duration)) -> f64 {
    calls as f64 / elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
}

/// `count` calls one after another (fewer if the budget runs out): how many, in what time.
async fn sequential<F, Fut>(count: usize, call: F) -> Result<(usize, Duration), String>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<RecordingsListResponse, String>>,
{
    let started = Instant::now();
    let mut done = 0usize;
    while done < count && started.elapsed() < BLOCK_BUDGET {
        std::hint::black_box(call().await?);
        done += 1;
    }
    Ok((done, started.elapsed()))
}

/// `count` calls with `concurrency` in flight (fewer if the budget runs out): how many, in
/// what time.
async fn concurrent<F, Fut>(
    count: usize,
    concurrency: usize,
    call: F,
) -> Result<(usize, Duration), String>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<RecordingsListResponse, String>>,
{
    let started = Instant::now();
    let done = futures_util::stream::iter(0..count)
        .take_while(|_| std::future::ready(started.elapsed() < BLOCK_BUDGET))
        .map(|_| call())
        .buffer_unordered(concurrency.max(1))
        .try_fold(0usize, |done, page| {
            std::hint::black_box(page);
            std::future::ready(Ok(done + 1))
        })
        .await?;
    Ok((done, started.elapsed()))
}

/// The mock server: its address and the request target of the first request it answered.
pub(crate) struct Server {
    pub(crate) addr: SocketAddr,
    first_target: Arc<Mutex<Option<String>>>,
}

impl Server {
    pub(crate) fn start(body: &[u8]) -> Result<Self, String> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let mut response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body);
        let response: Arc<[u8]> = response.into();
        let first_target = Arc::new(Mutex::new(None));
        let target = Arc::clone(&first_target);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(|e| format!("cannot start the server runtime: {e}"))?;
        // The thread ends with the process.
        std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = TcpListener::from_std(listener) else {
                    return;
                };
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, Arc::clone(&response), Arc::clone(&target)));
                }
            });
        });
        Ok(Self { addr, first_target })
    }
}

/// Answers each request on the connection (GETs: headers only) with the fixed response.
async fn serve(mut stream: TcpStream, response: Arc<[u8]>, target: Arc<Mutex<Option<String>>>) {
    let _ = stream.set_nodelay(true);
    let mut pending: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(at) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => pending.extend_from_slice(&chunk[..n]),
            }
        };
        if let Ok(mut first) = target.lock()
            && first.is_none()
        {
            let line = String::from_utf8_lossy(&pending[..end]);
            *first = line.split(' ').nth(1).map(str::to_owned);
        }
        pending.drain(..end);
        if stream.write_all(&response).await.is_err() {
            return;
        }
    }
}
