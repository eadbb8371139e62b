//! The measurements behind `cargo xtask bench`, built in release mode. Each subcommand prints
//! `key value` lines that the xtask folds into its table; nothing here asserts on time.
//!
//! - `measure -- CMD ARGS...`: runs one child, prints its wall time and peak resident memory.
//! - `parse FILE`: reads and parses a document into `serde_json::Value` (the generation floor).
//! - `stages --spec FILE --profile P [--runs N]`: the generator's stages timed in-process.
//! - `decode [--iterations N]`: a 300-meeting × 10-file list page into the generated types and
//!   into `serde_json::Value`.
//! - `http [--requests N] [--concurrency C] [--rounds R]`: requests per second of the generated
//!   client and of bare `reqwest` against a local keep-alive server.
//! - `fleet [--budget R] [--requests N] [--rounds R]`: eight clients sharing a budget through
//!   a real Redis, and the per-request cost of the Redis state beside the in-process one.

mod decode;
mod fleet;
mod http;
mod measure;
mod page;
mod stages;

use std::process::ExitCode;

const USAGE: &str = "usage: zoomgen-bench measure -- CMD [ARGS...]
       zoomgen-bench parse FILE
       zoomgen-bench stages --spec FILE --profile zoom|webex|none [--runs N]
       zoomgen-bench decode [--iterations N]
       zoomgen-bench http [--requests N] [--concurrency C] [--rounds R]
       zoomgen-bench fleet [--budget R] [--requests N] [--rounds R]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("measure") => measure::run(rest),
        Some("parse") => match rest {
            [file] => page::parse_document(file.as_ref()).map(|_| ()),
            _ => Err(USAGE.to_owned()),
        },
        Some("stages") => stages::run(rest),
        Some("decode") => decode::run(rest),
        Some("http") => http::run(rest),
        Some("fleet") => fleet::run(rest),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The value of `--name` in `args`, parsed, or `default`.
fn flag<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a valid value\n{USAGE}")),
    }
}

/// The median of `samples` (the lower middle one for an even count; the default when empty).
fn median<T: Copy + Default + PartialOrd>(samples: &mut [T]) -> T {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    samples
        .get(samples.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or_default()
}
