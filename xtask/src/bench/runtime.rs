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
        "runtime: requests per second against a keep-alive server on 127.0.0.1 (GET {target}, {} B page; medians of {} rounds; ratios: median of each round's ratio)",
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
        // Diagnostics: (what, its rate's key, what it stands beside, that rate's key, the
        // ratio's key), each under the same mode.
        let diagnostics = [
            (
                "bare reqwest decoding as the client does (decode_json)",
                "bare_tracked_rps",
                "bare reqwest",
                "bare_rps",
                "bare_tracked_ratio",
            ),
            (
                "generated client without time limits (Timeouts::none())",
                "untimed_rps",
                "bare reqwest",
                "bare_rps",
                "untimed_ratio",
            ),
            (
                "generated client beside bare reqwest with a 60 s timeout (`ClientBuilder::timeout`)",
                "generated_rps",
                "timed reqwest",
                "bare_timed_rps",
                "generated_timed_ratio",
            ),
        ];
        for (label, rate, beside, beside_rate, ratio) in diagnostics {
            let rate = number(&http, &format!("{mode}_{rate}"))?;
            let beside_rate = number(&http, &format!("{mode}_{beside_rate}"))?;
            table.row(Row {
                measure: &format!("  diagnostic: {label}, {what}"),
                ours: &format!("{rate:.0}/s"),
                beside: &format!("{beside} {beside_rate:.0}/s"),
                ratio: &times(number(&http, &format!("{mode}_{ratio}"))?),
                ..Row::default()
            });
        }
    }
    fleet(tools, table)
}

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
