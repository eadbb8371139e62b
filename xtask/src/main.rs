//! Project tasks: `cargo xtask codegen [--check | --report | --spec PATH --out DIR ...]`,
//! `cargo xtask ci`.

mod baseline;
mod bench;
mod ci;
mod codegen;
mod conformance;
mod driver;
mod fuzz;
mod official;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask codegen                 regenerate generated/ from spec/
  cargo xtask codegen --check         fail naming each file of generated/ that drifts
  cargo xtask codegen --report        per document: operations, types, repairs, untyped fields
  cargo xtask codegen --spec PATH --out DIR [--name CRATE] [--profile zoom|webex|none] [--report]
  cargo xtask official                every document in ../shared/specs generates a crate that checks warning-free
  cargo xtask verify                  round trip of every body schema of every document in ../shared/specs
  cargo xtask conformance --spec PATH --payloads DIR [--profile zoom|webex|none]
                                      decode, re-encode and compare each body in DIR (see README)
  cargo xtask fuzz [--cases N] [--seed S]
                                      mutated official documents through the generator (release build)
  cargo xtask bench [--runs N] [--peer-runs N] [--check-runs N] [--quick] [--only generation,compile,runtime] [--baseline DIR]
                                      one table: generation, compile and runtime measurements beside floors, peers
                                      and, with --baseline, an earlier checkout of this repository
  cargo xtask ci                      everything CI runs (fmt, codegen check, clippy, tests, official)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("ci") => ci::run(&args[1..]),
        Some("official") => official::run(&args[1..]),
        Some("verify") => verify::run(&args[1..]),
        Some("conformance") => conformance::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
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

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
