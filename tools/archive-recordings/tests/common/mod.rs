//! What the archive tool's test files share: running the tool, reading its output folder,
//! and killing it at a chosen moment.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::process::Command;

pub const KIB: u64 = 1024;

/// The tool over January to June 2024 into `out`, output captured.
pub fn tool(out: &Path) -> Command {
    tool_over(out, "2024-01-01", "2024-06-30")
}

/// The tool over `from` to `to` into `out`, output captured.
pub fn tool_over(out: &Path, from: &str, to: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_archive-recordings"));
    command
        .args(["--from", from, "--to", to, "--out"])
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// The one folder in `out/me` whose name starts with `prefix` and then a hash of the UUID.
pub fn meeting_dir(out: &Path, prefix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(out.join("me"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            name.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(found.len(), 1, "{prefix}: {found:?}");
    found[0].clone()
}

pub fn manifest(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

/// Kills the running tool once `cut` holds, checking every 5 ms for at most a minute; the tool
/// must still be running then, so that the kill is what `what` says (`B was cut`).
pub async fn kill_once(mut tool: tokio::process::Child, what: &str, mut cut: impl FnMut() -> bool) {
    let started = Instant::now();
    while !cut() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "never got going: {what} did not happen"
        );
        assert!(
            tool.try_wait().unwrap().is_none(),
            "the tool ended before {what}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tool.kill().await.unwrap();
}

/// The state of the one manifest entry of `file_id`.
pub fn state_of(manifest: &Value, file_id: &str) -> String {
    let files = manifest["files"].as_object().unwrap();
    let entries: Vec<&Value> = files.values().filter(|e| e["file_id"] == file_id).collect();
    assert_eq!(entries.len(), 1, "{file_id} in {manifest:#}");
    entries[0]["state"].as_str().unwrap().to_owned()
}
