//! Project tasks (`cargo xtask --help` lists them): codegen, official, verify, conformance,
//! fuzz, bench and ci, one clap front end.

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

use clap::{Parser, Subcommand};

/// Project tasks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Project tasks of zoomgen")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Regenerate generated/ from its settings files, check it for drift, or generate one document.
    Codegen(codegen::Args),
    /// Generate a crate from each official document in ../shared/specs and check it warning-free.
    Official,
    /// Round-trip every body schema of every official document.
    Verify,
    /// Decode, re-encode and compare each body of a folder against a document (see README).
    Conformance(conformance::Args),
    /// Mutated official documents through the generator (release build).
    Fuzz(fuzz::Args),
    /// One table: generation, compile and runtime measurements beside floors, peers and a baseline.
    Bench(bench::Args),
    /// Everything CI runs: fmt, codegen check, clippy, tests, packaging, docs, official, verify, conformance, fuzz.
    Ci,
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Codegen(args) => codegen::run(&args),
        Task::Bench(args) => bench::run(&args),
        Task::Ci => ci::run(),
        Task::Official => official::run(),
        Task::Verify => verify::run(),
        Task::Conformance(args) => conformance::run(&args),
        Task::Fuzz(args) => fuzz::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// A task's end: `passed` printed when nothing failed, else every failure, a line each.
pub fn outcome(failures: &[String], passed: &str) -> Result<(), String> {
    if failures.is_empty() {
        println!("{passed}");
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when set (relative to the workspace,
/// as cargo reads it), else the workspace's `target/`. Every task finds binaries there and
/// keeps its work there.
pub fn target_dir() -> PathBuf {
    target_dir_in(&root(), std::env::var_os("CARGO_TARGET_DIR"))
}

fn target_dir_in(root: &std::path::Path, configured: Option<std::ffi::OsString>) -> PathBuf {
    match configured.filter(|dir| !dir.is_empty()) {
        // `join` keeps an absolute path as it is.
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_folder_is_where_cargo_puts_it() {
        let root = std::path::Path::new("/work/repo");
        assert_eq!(target_dir_in(root, None), root.join("target"));
        assert_eq!(target_dir_in(root, Some("".into())), root.join("target"));
        assert_eq!(
            target_dir_in(root, Some("/cache/shared".into())),
            PathBuf::from("/cache/shared")
        );
        assert_eq!(target_dir_in(root, Some("out".into())), root.join("out"));
    }
}
