//! The generated client at run time: decoding and requests per second.

use super::*;

pub(super) fn runtime(
    tools: &Tools,
    baseline: Option<&Baseline>,
    table: &mut Table,
) -> Result<(), String> {
    progress("runtime: decode");
    let decode = bench_values(&tools.bench, &["decode"])?;
    progress("runtime: requests per second");
    let http = bench_values(&tools.bench, &["http"])?;
    let number = |values: &HashMap<String, String>, key: &str| -> Result<f64, String> {
        values
            .get(key)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("zoomgen-bench printed no {key}"))
    };

    let bytes = number(&decode, "page_bytes")?;
    let mbps =
        |key: &str| -> Result<f64, String> { Ok(bytes / (number(&decode, key)? / 1e9) / 1e6) };
    let value = mbps("value_ns")?;
    table.section(&format!(
        "runtime: decode of a 300-meeting × 10-file list-recordings page ({:.2} MB; median of {} rounds)",
        bytes / 1e6,
        number(&decode, "rounds")?
    ));
    for (key, what) in [
        (
            "typed_ns",
            "decode into RecordingsListResponse (serde_json::from_slice)",
        ),
        (
            "typed_tracked_ns",
            "decode into RecordingsListResponse as the client does (zoomgen_runtime::decode_json)",
        ),
    ] {
        let ours = mbps(key)?;
        let r = ratio(ours, value);
        table.row(Row {
            measure: what,
            ours: &format!("{ours:.0} MB/s"),
            beside: &format!("Value {value:.0} MB/s"),
            ratio: &times(r),
            target: "≥ 1.50× Value",
            met: met(r >= 1.5),
        });
    }
    if let Some(baseline) = baseline {
        progress(&format!("runtime: decode with the {}", baseline.label));
        let theirs = bench_values(&baseline.bench, &["decode"])?;
        let theirs_bytes = number(&theirs, "page_bytes")?;
        let theirs_value = theirs_bytes / (number(&theirs, "value_ns")? / 1e9) / 1e6;
        let theirs_typed = theirs_bytes / (number(&theirs, "typed_tracked_ns")? / 1e9) / 1e6;
        let ours = mbps("typed_tracked_ns")?;
        table.row(Row {
            measure: &format!(
                "decode as the client does, {} (Value {theirs_value:.0} MB/s in its run)",
                baseline.label
            ),
            ours: &format!("{ours:.0} MB/s"),
            beside: &format!("{} {theirs_typed:.0} MB/s", baseline.label),
            ratio: &times(ratio(ours, theirs_typed)),
            ..Row::default()
        });
    }

    let target = http.get("target").cloned().unwrap_or_default();
    table.section(&format!(
        "runtime: requests per second against a keep-alive server on 127.0.0.1 (GET {target}, {} B page; {} rounds, one connection pool; rates: medians of the slices'; ratios: medians of the ratios of slices taken in the same turn)",
        number(&http, "body_bytes")?,
        number(&http, "rounds")?
    ));
    let concurrency = number(&http, "concurrency")?;
    for (mode, what) in [
        ("seq", "one at a time".to_owned()),
        ("conc", format!("{concurrency} in flight")),
    ] {
        let ours = number(&http, &format!("{mode}_generated_rps"))?;
        let bare = number(&http, &format!("{mode}_bare_rps"))?;
        let r = number(&http, &format!("{mode}_generated_ratio"))?;
        table.row(Row {
            measure: &format!("generated client requests/s, {what}"),
            ours: &format!("{ours:.0}/s"),
            beside: &format!("bare reqwest {bare:.0}/s"),
            ratio: &times(r),
            target: "≥ 0.97× reqwest",
            met: met(r >= 0.97),
        });
        let (user, s2s) = (
            number(&http, &format!("{mode}_user_oauth_rps"))?,
            number(&http, &format!("{mode}_s2s_rps"))?,
        );
        let r = number(&http, &format!("{mode}_user_oauth_s2s_ratio"))?;
        table.row(Row {
            measure: &format!("user-OAuth client requests/s (token at hand), {what}"),
            ours: &format!("{user:.0}/s"),
            beside: &format!("Server-to-Server client {s2s:.0}/s"),
            ratio: &times(r),
            target: "≥ 0.95× Server-to-Server",
            met: met(r >= 0.95),
        });
        for diagnostic in DIAGNOSTICS {
            let rate = number(&http, &format!("{mode}_{}", diagnostic.rate))?;
            let beside_rate = number(&http, &format!("{mode}_{}", diagnostic.beside_rate))?;
            table.row(Row {
                measure: &format!("  diagnostic: {}, {what}", diagnostic.label),
                ours: &format!("{rate:.0}/s"),
                beside: &format!("{} {beside_rate:.0}/s", diagnostic.beside),
                ratio: &times(number(&http, &format!("{mode}_{}", diagnostic.ratio))?),
                ..Row::default()
            });
        }
    }
    let (state, limit) = (
        number(&http, "call_state_bytes")?,
        number(&http, "thread_cache_limit_bytes")?,
    );
    let r = ratio(state, limit);
    table.row(Row {
        measure: "  diagnostic: the state each call allocates (the future ApiClient::execute boxes)",
        ours: &format!("{state:.0} B"),
        beside: &format!("glibc's thread-cache limit {limit:.0} B"),
        ratio: &times(r),
        target: "≤ 1.00× (else malloc's slow path every call)",
        met: met(r <= 1.0),
    });
    events(tools, table)?;
    fleet(tools, table)
}

/// Webhook deliveries through the runtime's receiver beside a bare HMAC check and `Value`.
fn events(tools: &Tools, table: &mut Table) -> Result<(), String> {
    progress("runtime: webhook events");
    let events = bench_values(&tools.bench, &["events"])?;
    let number = |key: &str| -> Result<f64, String> {
        events
            .get(key)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("zoomgen-bench events printed no {key}"))
    };
    let (ours, bare) = (number("receiver_per_sec")?, number("bare_per_sec")?);
    table.section(&format!(
        "runtime: webhook events, each a distinct recording.completed of {:.0} bytes (median of alternated rounds)",
        number("body_bytes")?
    ));
    let r = ratio(ours, bare);
    table.row(Row {
        measure: "events/s through the receiver: verify, deduplicate, decode into Event, queue",
        ours: &format!("{ours:.0}/s"),
        beside: &format!("bare HMAC-SHA256 check + serde_json Value {bare:.0}/s"),
        ratio: &times(r),
        target: "≥ 0.80× bare",
        met: met(r >= 0.8),
    });
    Ok(())
}

/// A diagnostic row of the requests-per-second table: `zoomgen-bench http` prints each key
/// once per mode (`seq_…`, `conc_…`).
struct Diagnostic {
    label: &'static str,
    /// The key of the measured rate.
    rate: &'static str,
    /// What it stands beside, and that rate's key.
    beside: &'static str,
    beside_rate: &'static str,
    /// The key of the paired ratio.
    ratio: &'static str,
}

const DIAGNOSTICS: [Diagnostic; 4] = [
    Diagnostic {
        label: "bare reqwest decoding as the client does (decode_json)",
        rate: "bare_tracked_rps",
        beside: "bare reqwest",
        beside_rate: "bare_rps",
        ratio: "bare_tracked_ratio",
    },
    Diagnostic {
        label: "generated client beside bare reqwest decoding as it does: the rest of the runtime",
        rate: "generated_rps",
        beside: "bare reqwest decoding as the client does",
        beside_rate: "bare_tracked_rps",
        ratio: "generated_tracked_ratio",
    },
    Diagnostic {
        label: "generated client without time limits (Timeouts::none())",
        rate: "untimed_rps",
        beside: "bare reqwest",
        beside_rate: "bare_rps",
        ratio: "untimed_ratio",
    },
    Diagnostic {
        label: "generated client beside bare reqwest with a 60 s timeout (`RequestBuilder::timeout`)",
        rate: "generated_rps",
        beside: "timed reqwest",
        beside_rate: "bare_timed_rps",
        ratio: "generated_timed_ratio",
    },
];

/// Eight clients sharing one budget through Redis, and the cost of asking Redis per request.
fn fleet(tools: &Tools, table: &mut Table) -> Result<(), String> {
    progress("runtime: a fleet sharing one budget through Redis");
    let fleet = bench_values(&tools.bench, &["fleet"])?;
    if let Some(why) = fleet.get("skipped") {
        table.section("runtime: a fleet on Redis");
        table.row(Row {
            measure: "fleet rows",
            ours: "skipped",
            beside: why,
            ..Row::default()
        });
        return Ok(());
    }
    let number = |key: &str| -> Result<f64, String> {
        fleet
            .get(key)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("zoomgen-bench fleet printed no {key}"))
    };
    let budget = number("budget")?;
    table.section(&format!(
        "runtime: {} clients on separate Redis connections sharing one budget (redis-server on 127.0.0.1; medians of {} rounds)",
        number("clients")?,
        number("rounds")?
    ));
    let aggregate = number("fleet_rps")?;
    let r = ratio(aggregate, budget);
    table.row(Row {
        measure: "aggregate requests/s of the fleet",
        ours: &format!("{aggregate:.1}/s"),
        beside: &format!("the budget {budget:.0}/s"),
        ratio: &times(r),
        target: "≤ 1.05× budget",
        met: met(r <= 1.05),
    });
    let (redis, local) = (number("redis_rps")?, number("local_rps")?);
    let overhead_us = (1.0 / redis - 1.0 / local) * 1e6;
    table.row(Row {
        measure: &format!(
            "one client, one request at a time, Redis state (+{overhead_us:.0} µs a request)"
        ),
        ours: &format!("{redis:.0}/s"),
        beside: &format!("in-process state {local:.0}/s"),
        ratio: &times(number("redis_ratio")?),
        ..Row::default()
    });
    Ok(())
}
