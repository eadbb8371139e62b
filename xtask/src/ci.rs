//! `cargo xtask ci`: everything CI checks, in the order that fails fastest.

use std::process::Command;

use crate::root;

fn cargo(args: &[&str]) -> Result<(), String> {
    cargo_with_env(args, &[])
}

fn cargo_with_env(args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    println!("==> cargo {}", args.join(" "));
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!("unknown argument {other:?}\n{}", crate::USAGE));
    }
    cargo(&["fmt", "--all", "--", "--check"])?;
    crate::codegen::run(&["--check".to_owned()])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&["test", "--workspace"])?;
    // Publish-ready: the runtime, the generator and the committed clients package, and each
    // package builds on its own, the clients against the runtime's package (cargo serves it
    // from a local registry it makes). `cargo publish --dry-run` does the same plus a look at
    // crates.io's index, which a test run must not reach.
    cargo(&[
        "package",
        "--offline",
        "--allow-dirty",
        "-p",
        "zoomgen-runtime",
        "-p",
        "zoomgen",
        "-p",
        "zoom-client",
        "-p",
        "webex-client",
    ])?;
    // The generated crates' documentation (vendor prose) and the runtime's must build without
    // warnings, every public item documented.
    cargo_with_env(
        &[
            "doc",
            "--no-deps",
            "-p",
            "zoom-client",
            "-p",
            "webex-client",
            "-p",
            "zoomgen-runtime",
        ],
        &[("RUSTDOCFLAGS", "-D warnings -W missing_docs")],
    )?;
    crate::official::run(&[])?;
    // Round trip of every body schema of the official documents (a few minutes), and a
    // bounded fuzz run in release with three sample crates compiled (about two minutes).
    crate::verify::run(&[])?;
    // Captured-style bodies the official documents do not fully describe must read as sent.
    crate::conformance::fixtures()?;
    crate::fuzz::run(&["--cases".to_owned(), "5000".to_owned()])?;
    Ok(())
}
