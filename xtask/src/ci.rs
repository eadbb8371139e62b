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

/// Drops cargo's extracted copies of `zoomgen-runtime` from the local registry `cargo package`
/// makes under `target/package`: cargo keys them by that registry's path and version, so a
/// second packaging of the same version would verify the clients against the stale runtime
/// of the first.
fn forget_packaged_runtime() -> Result<(), String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".cargo"))
        });
    let Some(home) = home else {
        return Ok(());
    };
    for kind in ["src", "cache"] {
        let Ok(registries) = std::fs::read_dir(home.join("registry").join(kind)) else {
            continue;
        };
        // Local registries have no host: their folder names start with `-`.
        for registry in registries
            .flatten()
            .filter(|r| r.file_name().to_string_lossy().starts_with('-'))
        {
            let Ok(entries) = std::fs::read_dir(registry.path()) else {
                continue;
            };
            for entry in entries.flatten() {
                if entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with("zoomgen-runtime-")
                {
                    let path = entry.path();
                    let removed = if path.is_dir() {
                        std::fs::remove_dir_all(&path)
                    } else {
                        std::fs::remove_file(&path)
                    };
                    removed.map_err(|e| format!("{}: {e}", path.display()))?;
                }
            }
        }
    }
    Ok(())
}

pub fn run() -> Result<(), String> {
    cargo(&["fmt", "--all", "--", "--check"])?;
    crate::codegen::run(&crate::codegen::Args {
        check: true,
        ..Default::default()
    })?;
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
    forget_packaged_runtime()?;
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
    crate::official::run()?;
    // Round trip of every body schema of the official documents (a few minutes), and a
    // bounded fuzz run in release with three sample crates compiled (about two minutes).
    crate::verify::run()?;
    // Captured-style bodies the official documents do not fully describe must read as sent.
    crate::conformance::fixtures()?;
    crate::fuzz::run(&crate::fuzz::Args {
        cases: 5000,
        seed: 2024,
        start: 0,
        samples: 3,
    })?;
    Ok(())
}
