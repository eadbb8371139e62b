//! `cargo xtask official`: every official document in `../shared/specs` generates a crate that
//! `cargo check`s without warnings. Each is written by the `zoomgen` command line as a user
//! runs it (`--spec` and `--out`, plus `--profile` for Webex), so it depends on
//! `zoomgen-runtime` from the registry; a `[patch.crates-io]` in the crate's `.cargo/config.toml`
//! stands in for the registry with this repository's runtime. The crates share the workspace's
//! target directory and lock file, so dependencies are built once.

use std::path::{Path, PathBuf};
use std::process::Command;

use zoomgen::Profile;

use crate::root;

/// The official documents and the profile each is generated with.
pub const DOCUMENTS: &[(&str, Profile)] = &[
    ("zoom-meetings.json", Profile::Zoom),
    ("zoom-videosdk.json", Profile::Zoom),
    ("zoom-users.json", Profile::Zoom),
    ("zoom-meeting-api-legacy-2023.json", Profile::Zoom),
    ("webex-meeting.json", Profile::Webex),
    ("zoom-meetings-webhooks.json", Profile::Zoom),
    ("zoom-videosdk-webhooks.json", Profile::Zoom),
    ("zoom-phone.json", Profile::Zoom),
    ("zoom-rooms.json", Profile::Zoom),
    ("zoom-calendar.json", Profile::Zoom),
    ("zoom-team-chat-webhooks.json", Profile::Zoom),
];

/// `../shared/specs` beside the repository, or an error saying plainly that it is missing.
pub fn specs_dir() -> Result<PathBuf, String> {
    let dir = root().join("../shared/specs");
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(format!(
            "the official documents are missing: expected them in {} (the shared folder beside the repository)",
            dir.display()
        ))
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!("unknown argument {other:?}\n{}", crate::USAGE));
    }
    let specs = specs_dir()?;
    let root = root();
    let out_root = root.join("target/official");
    let cli = build_cli(&root)?;
    let mut failures = Vec::new();
    for (file, profile) in DOCUMENTS {
        let stem = file.trim_end_matches(".json");
        let out = out_root.join(stem);
        println!("==> {file}");
        if let Err(message) = generate_with_cli(&cli, &specs.join(file), &out, *profile) {
            failures.push(format!("{file}: generation failed: {message}"));
            continue;
        }
        if let Err(message) = check(&root, &out) {
            failures.push(format!("{file}: {message}"));
        }
    }
    if failures.is_empty() {
        println!(
            "all {} official documents generate crates that check without warnings",
            DOCUMENTS.len()
        );
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// Builds the `zoomgen` command line and returns its path.
fn build_cli(root: &Path) -> Result<PathBuf, String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--quiet",
            "--package",
            "zoomgen",
            "--bin",
            "zoomgen",
        ])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "building the zoomgen command line failed ({status})"
        ));
    }
    Ok(root.join("target/debug/zoomgen"))
}

/// `zoomgen --spec SPEC --out OUT` (and `--profile` when not Zoom's), then the workspace's lock
/// file and the registry stand-in for the runtime.
fn generate_with_cli(cli: &Path, spec: &Path, out: &Path, profile: Profile) -> Result<(), String> {
    let mut command = Command::new(cli);
    command.arg("--spec").arg(spec).arg("--out").arg(out);
    match profile {
        Profile::Zoom => {}
        Profile::Webex => {
            command.args(["--profile", "webex"]);
        }
        Profile::None => {
            command.args(["--profile", "none"]);
        }
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    let config = out.join(".cargo");
    std::fs::create_dir_all(&config).map_err(|e| format!("{}: {e}", config.display()))?;
    let patch = format!(
        "# The registry's zoomgen-runtime, stood in for by this repository's.
         [patch.crates-io]
zoomgen-runtime = {{ path = {:?} }}
",
        root().join("runtime").display().to_string()
    );
    std::fs::write(config.join("config.toml"), patch)
        .map_err(|e| format!("{}: {e}", config.display()))
}

pub(crate) fn generate(
    spec: &Path,
    out: &Path,
    stem: &str,
    profile: Profile,
) -> Result<(), String> {
    let standalone = crate::codegen::standalone(
        spec,
        None,
        profile,
        format!(
            "Client of {stem}, generated by zoomgen to prove the official document is handled."
        ),
        "cargo xtask official".into(),
    )?;
    write_with_lock(out, &standalone.generated.files)
}

/// Writes a standalone crate with the workspace's `Cargo.lock`, so it resolves the same
/// dependency versions and reuses their builds in the shared target directory.
pub(crate) fn write_with_lock(out: &Path, files: &[zoomgen::GeneratedFile]) -> Result<(), String> {
    zoomgen::output::write_crate(out, files).map_err(|e| e.to_string())?;
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(())
}

/// `cargo check` of the crate; any warning from the generated code fails.
pub(crate) fn check(root: &Path, crate_dir: &Path) -> Result<(), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--message-format", "short", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        // Cargo reads `.cargo/config.toml` from the folder it runs in.
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Diagnostics only: in `--message-format short` they start with the file (`src/…`) or with
    // `error`/`warning`; progress lines (`Compiling thiserror …`) are not problems.
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("src/") || l.starts_with("error") || l.starts_with("warning"))
        .collect();
    if output.status.success() && problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "cargo check reported:\n{}",
        if problems.is_empty() {
            stderr.to_string()
        } else {
            problems.join("\n")
        }
    ))
}
