//! `decode`: a large list-recordings page (300 meetings × 10 files) decoded into the generated
//! `RecordingsListResponse`, plainly (`serde_json::from_slice`) and the way the client does it
//! (`zoomgen_runtime::decode_json`), beside a decode into `serde_json::Value`. The three
//! are timed in turn in every round, so background load hits them alike.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::Value;
use zoom_client::meetings::types::RecordingsListResponse;

use crate::{median, page};

pub const MEETINGS: usize = 300;
pub const FILES: usize = 10;

/// No round starts after this much time, once the minimum of rounds is done.
const TIME_BUDGET: Duration = Duration::from_secs(30);
const MIN_ROUNDS: usize = 5;

/// `decode`'s options.
#[derive(clap::Args)]
pub struct Args {
    /// Rounds at most (fewer when the time budget is spent).
    #[arg(long, default_value_t = 60)]
    iterations: usize,
}

pub fn run(args: &Args) -> Result<(), String> {
    let iterations = args.iterations;
    let body = page::recordings_page(MEETINGS, FILES);
    check_page(&body)?;

    let mut typed = Vec::new();
    let mut tracked = Vec::new();
    let mut value = Vec::new();
    let started = Instant::now();
    for round in 0..iterations.max(1) {
        if round >= MIN_ROUNDS && started.elapsed() > TIME_BUDGET {
            break;
        }
        // Rotate which decoder goes first.
        for which in (0..3).map(|i| (i + round) % 3) {
            match which {
                0 => typed.push(time(|| decode_typed(&body))),
                1 => tracked.push(time(|| decode_tracked(&body))),
                _ => value.push(time(|| decode_value(&body))),
            }
        }
    }
    println!("page_bytes {}", body.len());
    println!("rounds {}", typed.len());
    println!("typed_ns {}", median(&mut typed).as_nanos());
    println!("typed_tracked_ns {}", median(&mut tracked).as_nanos());
    println!("value_ns {}", median(&mut value).as_nanos());
    Ok(())
}

/// Time of `decode` alone; dropping its result is not counted.
fn time<T>(decode: impl FnOnce() -> T) -> Duration {
    let started = Instant::now();
    let decoded = black_box(decode());
    let elapsed = started.elapsed();
    drop(decoded);
    elapsed
}

fn decode_typed(body: &[u8]) -> RecordingsListResponse {
    serde_json::from_slice(black_box(body)).unwrap_or_default()
}

/// As the client decodes (`zoomgen_runtime::RawResponse::json`).
fn decode_tracked(body: &[u8]) -> RecordingsListResponse {
    zoomgen_runtime::decode_json("recordingsList", black_box(body)).unwrap_or_default()
}

fn decode_value(body: &[u8]) -> Value {
    serde_json::from_slice(black_box(body)).unwrap_or_default()
}

/// The page decodes completely into the generated types, every enum to a listed variant (no
/// `Unknown(..)` in its `Debug` form), so the timing is of the normal path and not of a
/// fallback.
fn check_page(body: &[u8]) -> Result<(), String> {
    let page: RecordingsListResponse = serde_json::from_slice(body)
        .map_err(|e| format!("the generated page does not decode: {e}"))?;
    let meetings = page.meetings.as_deref().unwrap_or_default();
    let files: usize = meetings
        .iter()
        .map(|m| m.recording_files.as_deref().unwrap_or_default().len())
        .sum();
    if meetings.len() != MEETINGS || files != MEETINGS * FILES {
        return Err(format!(
            "{} meetings and {files} files decoded, not {MEETINGS} and {}",
            meetings.len(),
            MEETINGS * FILES
        ));
    }
    let debug = format!("{page:?}");
    if let Some(at) = debug.find("Unknown(") {
        let end = (at + 120).min(debug.len());
        return Err(format!(
            "a value decoded as an unlisted variant: {}",
            debug.get(at..end).unwrap_or_default()
        ));
    }
    Ok(())
}
