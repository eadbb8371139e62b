//! Events through the generated clients: a webhook receiver fleet (two processes behind one
//! Redis) hands a delivery sent three times to one handler once, decoded as the committed
//! crate's typed `Event`.

use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};
use zoomgen_runtime::vendor::zoom::webhook::WebhookVerifier;
use zoomgen_test_support::redis_server::RedisServer;

const SECRET: &str = "fleet-webhook-secret";

/// A running receiver process: its base URL and what it prints.
struct Worker {
    _child: Child,
    url: String,
    lines: Lines<BufReader<ChildStdout>>,
}

async fn worker(redis: &str) -> Worker {
    let mut child = Command::new(env!("CARGO_BIN_EXE_receiver_worker"))
        .args([redis, "fleet-test", SECRET])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = next_line(&mut lines).await;
    let address = first.strip_prefix("listening on ").unwrap().to_owned();
    Worker {
        _child: child,
        url: format!("http://{address}/zoom"),
        lines,
    }
}

async fn next_line(lines: &mut Lines<BufReader<ChildStdout>>) -> String {
    tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("the worker prints in time")
        .unwrap()
        .expect("the worker is running")
}

fn completed(uuid: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "event": "recording.completed",
        "event_ts": 1_700_000_000_000_u64,
        "payload": {"account_id": "a", "object": {"uuid": uuid, "id": 1, "recording_files": []}},
        "download_token": "dl",
    }))
    .unwrap()
}

async fn deliver(url: &str, body: &[u8]) -> u16 {
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let signature = WebhookVerifier::new(SECRET).unwrap().sign(&timestamp, body);
    zoomgen_runtime::reqwest::Client::new()
        .post(url)
        .header("x-zm-request-timestamp", timestamp)
        .header("x-zm-signature", signature)
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn two_receivers_sharing_redis_hand_a_delivery_over_once() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (mut a, mut b) = (worker(&redis.url()).await, worker(&redis.url()).await);
    // Zoom's first delivery and two retries, behind a load balancer that alternates.
    let body = completed("fleet-1");
    for url in [&a.url, &b.url, &a.url] {
        assert_eq!(deliver(url, &body).await, 200);
    }
    // A last event to each: handlers work in order, so once it is handled, so is all before.
    assert_eq!(deliver(&a.url, &completed("end-a")).await, 200);
    assert_eq!(deliver(&b.url, &completed("end-b")).await, 200);
    let mut handled = Vec::new();
    for (worker, end) in [(&mut a, "handled end-a"), (&mut b, "handled end-b")] {
        loop {
            let line = next_line(&mut worker.lines).await;
            if line == end {
                break;
            }
            handled.push(line);
        }
    }
    assert_eq!(handled, ["handled fleet-1"], "one handler, once");
}
