//! `events`: webhook deliveries through the runtime's receiver (verify the signature and the
//! time, deduplicate, decode into zoom-client's typed `Event`, queue for the handler) beside
//! the least a hand-written receiver does (HMAC-SHA256 over the signed text, compared in
//! constant time, and `serde_json::from_slice` into `Value`). Both take the same deliveries,
//! each a distinct `recording.completed` event with five files; rounds alternate.

use std::hint::black_box;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use zoom_client::meeting_events::webhooks::Event;
use zoomgen_runtime::Bytes;
use zoomgen_runtime::events::Receiver;
use zoomgen_runtime::http::HeaderMap;
use zoomgen_runtime::vendor::zoom::webhook::WebhookVerifier;

use crate::median;

const SECRET: &str = "bench-webhook-secret";

/// `events`' options.
#[derive(clap::Args)]
pub struct Args {
    /// Deliveries per round.
    #[arg(long, default_value_t = 20_000)]
    deliveries: usize,
    /// Rounds of each.
    #[arg(long, default_value_t = 9)]
    rounds: usize,
}

/// One signed delivery.
struct Delivery {
    headers: HeaderMap,
    body: Bytes,
}

pub fn run(args: &Args) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut ours = Vec::new();
    let mut bare = Vec::new();
    for round in 0..args.rounds.max(1) {
        // Distinct events in every round: a repeat would skip the decode.
        let deliveries = deliveries(round, args.deliveries)?;
        let receiver_round = || runtime.block_on(through_receiver(&deliveries));
        let bare_round = || bare_receiver(&deliveries);
        if round % 2 == 0 {
            ours.push(per_second(deliveries.len(), receiver_round()?));
            bare.push(per_second(deliveries.len(), bare_round()?));
        } else {
            bare.push(per_second(deliveries.len(), bare_round()?));
            ours.push(per_second(deliveries.len(), receiver_round()?));
        }
    }
    let (ours, bare) = (median(&mut ours), median(&mut bare));
    println!("body_bytes {}", deliveries(0, 1)?[0].body.len());
    println!("receiver_per_sec {ours:.0}");
    println!("bare_per_sec {bare:.0}");
    Ok(())
}

fn per_second(count: usize, took: Duration) -> f64 {
    count as f64 / took.as_secs_f64()
}

/// `count` signed deliveries of distinct events.
fn deliveries(round: usize, count: usize) -> Result<Vec<Delivery>, String> {
    let verifier = WebhookVerifier::new(SECRET).map_err(|e| e.to_string())?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs()
        .to_string();
    (0..count)
        .map(|index| {
            let body = event(&format!("r{round}-e{index}"));
            let mut headers = HeaderMap::new();
            let signature = verifier.sign(&now, &body);
            let value = |text: &str| text.parse().map_err(|e| format!("{e}"));
            headers.insert("x-zm-request-timestamp", value(&now)?);
            headers.insert("x-zm-signature", value(&signature)?);
            Ok(Delivery {
                headers,
                body: Bytes::from(body),
            })
        })
        .collect()
}

/// A `recording.completed` event of meeting `uuid` with five files.
fn event(uuid: &str) -> Vec<u8> {
    let files: Vec<Value> = (0..5)
        .map(|file| {
            json!({
                "id": format!("{uuid}-f{file}"), "meeting_id": uuid,
                "recording_start": "2026-12-06T09:00:01Z", "recording_end": "2026-12-06T09:58:40Z",
                "file_type": "MP4", "file_extension": "MP4", "file_size": 104_857_600 + file,
                "play_url": format!("https://zoom.us/rec/play/{uuid}-{file}"),
                "download_url": format!("https://zoom.us/rec/download/{uuid}-{file}"),
                "status": "completed", "recording_type": "shared_screen_with_speaker_view",
            })
        })
        .collect();
    json!({
        "event": "recording.completed",
        "event_ts": 1_765_011_600_000_u64,
        "download_token": "abJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJodHRwczovL2V2ZW50Lnpvb20udXMiLCJhY2NvdW50SWQiOiJhIn0.x",
        "payload": {
            "account_id": "AAAAAAAAAAAAAAAAAAAAAA",
            "object": {
                "uuid": uuid, "id": 84_521_110_011_u64, "account_id": "AAAAAAAAAAAAAAAAAAAAAA",
                "host_id": "z8yCxjabcdefghijklmnop", "host_email": "host@example.com",
                "topic": "Quarterly planning", "type": 2, "start_time": "2026-12-06T09:00:00Z",
                "timezone": "Europe/Berlin", "duration": 59, "total_size": 524_288_010_u64,
                "recording_count": 5, "share_url": "https://zoom.us/rec/share/abc",
                "recording_files": files,
            },
        },
    })
    .to_string()
    .into_bytes()
}

/// Every delivery through a fresh receiver (its queue holds them all, its handler drops them).
async fn through_receiver(deliveries: &[Delivery]) -> Result<Duration, String> {
    let verifier = WebhookVerifier::new(SECRET).map_err(|e| e.to_string())?;
    let receiver = Receiver::builder(verifier)
        .queue_capacity(deliveries.len())
        .spawn(|event: Event| async move {
            black_box(event);
        });
    let started = Instant::now();
    for delivery in deliveries {
        let answer = receiver
            .receive(&delivery.headers, delivery.body.clone())
            .await;
        if !answer.status().is_success() {
            return Err(format!("the receiver answered {}", answer.status()));
        }
    }
    Ok(started.elapsed())
}

/// The least a receiver does: the signature checked, the body parsed.
fn bare_receiver(deliveries: &[Delivery]) -> Result<Duration, String> {
    let started = Instant::now();
    for delivery in deliveries {
        let header = |name: &str| {
            delivery
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .ok_or_else(|| format!("no {name}"))
        };
        let timestamp = header("x-zm-request-timestamp")?;
        let expected = header("x-zm-signature")?
            .strip_prefix("v0=")
            .and_then(|hex| hex::decode(hex).ok())
            .ok_or("not a v0 signature")?;
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET.as_bytes())
            .map_err(|e| e.to_string())?;
        mac.update(b"v0:");
        mac.update(timestamp.as_bytes());
        mac.update(b":");
        mac.update(&delivery.body);
        mac.verify_slice(&expected).map_err(|e| e.to_string())?;
        let value: Value = serde_json::from_slice(&delivery.body).map_err(|e| e.to_string())?;
        black_box(value);
    }
    Ok(started.elapsed())
}
