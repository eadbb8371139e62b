//! `fleet`: eight clients sharing one rate budget through a real Redis (started here on
//! 127.0.0.1), against the keep-alive server of `http`: their aggregate rate beside the budget,
//! and one client's requests per second with the Redis state beside the in-process one.

use std::sync::Arc;
use std::time::Instant;

use zoom_client::Credentials;
use zoom_client::meetings::Client;
use zoom_client::meetings::rate_classes::{HEAVY, LIGHT, MEDIUM, RESOURCE_INTENSIVE};
use zoomgen_runtime::{ApiClient, LocalState, RateLimits, RedisState, SharedState};

use zoomgen_test_support::redis_server;

use crate::http::{Server, generated_call};
use crate::{median, page};

const CLIENTS: usize = 8;

/// `fleet`'s options.
#[derive(clap::Args)]
pub struct Args {
    /// The budget the fleet shares, in requests per second.
    #[arg(long, default_value_t = 200.0)]
    budget: f64,
    /// Requests per client and round.
    #[arg(long, default_value_t = 100)]
    requests: usize,
    /// Rounds (medians are reported).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
}

pub fn run(args: &Args) -> Result<(), String> {
    let (budget, per_client, rounds) = (args.budget, args.requests, args.rounds);
    let Some(redis) = redis_server::RedisServer::start() else {
        println!("skipped redis-server cannot be started");
        return Ok(());
    };
    let server = Server::start(&page::recordings_page(2, 2))?;
    let base = format!("http://{}/v2", server.addr);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let every_class = |rate: f64| {
            [LIGHT, MEDIUM, HEAVY, RESOURCE_INTENSIVE]
                .into_iter()
                .fold(RateLimits::default(), |limits, class| {
                    limits.with_rate(class, rate)
                })
        };
        let limits = every_class(budget);
        let client = |state: Arc<dyn SharedState>, limits: RateLimits| -> Result<Client, String> {
            let api = ApiClient::builder(&base, Credentials::bearer("bench-token"))
                .vendor(&zoomgen_runtime::vendor::zoom::ZOOM)
                .rate_limits(limits)
                .shared_state(state)
                .build()
                .map_err(|e| e.to_string())?;
            Ok(Client::from_api_client(api))
        };
        let redis_state = |namespace: &str| -> Result<Arc<dyn SharedState>, String> {
            Ok(Arc::new(
                RedisState::new(&redis.url(), namespace).map_err(|e| e.to_string())?,
            ))
        };

        let mut aggregate = Vec::new();
        for round in 0..rounds {
            let fleet: Vec<Client> = (0..CLIENTS)
                .map(|_| client(redis_state(&format!("fleet-{round}"))?, limits.clone()))
                .collect::<Result<_, String>>()?;
            let started = Instant::now();
            let workers = fleet.iter().map(|client| async move {
                for _ in 0..per_client {
                    generated_call(client).await?;
                }
                Ok::<(), String>(())
            });
            for outcome in futures_util::future::join_all(workers).await {
                outcome?;
            }
            // The first request of each class starts at once: N requests span N - 1 intervals.
            let spaced = (CLIENTS * per_client - 1) as f64;
            aggregate.push(spaced / started.elapsed().as_secs_f64());
        }

        // One client, one request at a time, no spacing: the cost of asking the state.
        let unlimited = every_class(1e9);
        let shared = client(redis_state("overhead")?, unlimited.clone())?;
        let local = client(Arc::new(LocalState::new()), unlimited)?;
        let calls = per_client * 10;
        let mut redis_rps = Vec::new();
        let mut local_rps = Vec::new();
        let mut ratios = Vec::new();
        for _ in 0..rounds {
            let rate = |client: &Client| {
                let client = client.clone();
                async move {
                    let started = Instant::now();
                    for _ in 0..calls {
                        generated_call(&client).await?;
                    }
                    Ok::<f64, String>(calls as f64 / started.elapsed().as_secs_f64())
                }
            };
            let r = rate(&shared).await?;
            let l = rate(&local).await?;
            redis_rps.push(r);
            local_rps.push(l);
            ratios.push(r / l);
        }
        println!("clients {CLIENTS}");
        println!("budget {budget}");
        println!("rounds {rounds}");
        println!("fleet_rps {}", median(&mut aggregate));
        println!("redis_rps {}", median(&mut redis_rps));
        println!("local_rps {}", median(&mut local_rps));
        println!("redis_ratio {}", median(&mut ratios));
        Ok(())
    })
}
