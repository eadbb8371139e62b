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
//! - `events [--deliveries N] [--rounds R]`: webhook deliveries through the runtime's receiver
//!   beside a bare HMAC check and `Value` parse.

mod decode;
mod events;
mod fleet;
mod http;
mod measure;
mod page;
mod stages;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// The measurements behind `cargo xtask bench`; each prints `key value` lines.
#[derive(Parser)]
#[command(name = "zoomgen-bench")]
enum Command {
    /// Runs one child and prints its wall time and peak resident memory.
    Measure {
        /// The command and its arguments (after `--`).
        #[arg(last = true, required = true)]
        command: Vec<String>,
    },
    /// Reads and parses a document into `serde_json::Value` (the generation floor).
    Parse { file: PathBuf },
    /// The generator's stages timed in-process.
    Stages(stages::Args),
    /// A 300-meeting list page decoded into the generated types and into `Value`.
    Decode(decode::Args),
    /// Requests per second of the generated client and of bare reqwest.
    Http(http::Args),
    /// Eight clients sharing a budget through a real Redis.
    Fleet(fleet::Args),
    /// Webhook deliveries through the runtime's receiver beside a bare one.
    Events(events::Args),
}

fn main() -> ExitCode {
    let result = match Command::parse() {
        Command::Measure { command } => measure::run(&command),
        Command::Parse { file } => page::parse_document(&file).map(|_| ()),
        Command::Stages(args) => stages::run(&args),
        Command::Decode(args) => decode::run(&args),
        Command::Http(args) => http::run(&args),
        Command::Fleet(args) => fleet::run(&args),
        Command::Events(args) => events::run(&args),
    };
    if let Err(message) = result {
        eprintln!("error: {message}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The median of `samples` (the lower middle one for an even count; the default when empty).
fn median<T: Copy + Default + PartialOrd>(samples: &mut [T]) -> T {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    samples
        .get(samples.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or_default()
}
