//! A driver binary for round trips: a small crate that depends on generated client crates with
//! their `conformance` feature (and no tag features, so only the types compile), reads one
//! request per line on stdin and answers one line per request on stdout. `cargo xtask verify`
//! and `cargo xtask conformance` build it under `target/` like `cargo xtask official` builds
//! its crates: standalone, with the workspace's target directory and lock file.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use zoomgen::verify::{Outcome, TargetKind};

use crate::root;

/// A generated crate the driver links, and its API module.
pub struct Linked {
    /// The crate's directory.
    pub dir: PathBuf,
    /// The crate's package name.
    pub package: String,
    /// The API module (`zoom_meetings`), which requests name.
    pub module: String,
    /// Whether the API has webhook events (`roundtrip_webhook` exists).
    pub webhooks: bool,
}

/// One round trip to ask for.
pub struct Request<'a> {
    pub module: &'a str,
    pub kind: &'a TargetKind,
    pub name: &'a str,
    /// The body as the server sent it (bytes of a file, or an instance's JSON text).
    pub body: String,
}

/// Writes the driver crate `package` into `dir` and builds it; returns the binary.
pub fn build(dir: &Path, package: &str, linked: &[Linked]) -> Result<PathBuf, String> {
    let runtime = root().join("runtime");
    let mut manifest = format!(
        "# Written by cargo xtask: the round-trip driver.\n[package]\nname = {package:?}\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nzoomgen-runtime = {{ path = {:?} }}\n",
        runtime.display().to_string()
    );
    for (index, crate_) in linked.iter().enumerate() {
        let _ = writeln!(
            manifest,
            "api{index} = {{ package = {:?}, path = {:?}, default-features = false, features = [\"conformance\"] }}",
            crate_.package,
            crate_.dir.display().to_string()
        );
    }
    manifest.push_str("\n[workspace]\n");
    let mut arms = String::new();
    for (index, crate_) in linked.iter().enumerate() {
        let webhook = if crate_.webhooks {
            format!(
                "\"webhook\" => Some(api{index}::{}::conformance::roundtrip_webhook(body)),",
                crate_.module
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            arms,
            "        {module:?} => {{ use api{index}::{module}::conformance as c; match kind {{ \
             \"request\" => c::roundtrip_request(name, body), \
             \"response\" => c::roundtrip_response(name, status, body), \
             \"event\" => c::roundtrip_event(name, body), \
             \"type\" => c::roundtrip_type(name, body), \
             \"error\" => Some(zoomgen_runtime::__private::conformance::roundtrip_error(body)), \
             {webhook} _ => None }} }}",
            module = crate_.module
        );
    }
    let main = format!(
        "//! Written by cargo xtask: answers each line of stdin (a JSON request) with a line.\n\
         use std::io::{{BufRead, Write}};\n\
         use zoomgen_runtime::serde_json::{{self, Value, json}};\n\n\
         fn answer(line: &str) -> Value {{\n\
         \x20   let request: Value = match serde_json::from_str(line) {{ Ok(r) => r, Err(e) => return json!({{\"error\": format!(\"bad request: {{e}}\")}}) }};\n\
         \x20   let text = |key: &str| request.get(key).and_then(Value::as_str).unwrap_or(\"\").to_owned();\n\
         \x20   let (module, kind, name, status, body) = (text(\"module\"), text(\"kind\"), text(\"name\"), text(\"status\"), text(\"body\"));\n\
         \x20   let (kind, name, status, body) = (kind.as_str(), name.as_str(), status.as_str(), body.as_bytes());\n\
         \x20   let _ = (&kind, &name, &status, &body);\n\
         \x20   let outcome = match module.as_str() {{\n{arms}        _ => None,\n    }};\n\
         \x20   match outcome {{ None => json!({{\"unknown\": true}}), Some(Ok(value)) => json!({{\"ok\": value}}), Some(Err(error)) => json!({{\"error\": error}}) }}\n\
         }}\n\n\
         fn main() {{\n\
         \x20   let stdout = std::io::stdout();\n\
         \x20   let mut out = std::io::BufWriter::new(stdout.lock());\n\
         \x20   for line in std::io::stdin().lock().lines() {{\n\
         \x20       let Ok(line) = line else {{ break }};\n\
         \x20       if writeln!(out, \"{{}}\", answer(&line)).is_err() {{ break }}\n\
         \x20   }}\n\
         }}\n"
    );
    std::fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&dir.join("src/main.rs"), &main)?;
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    println!("==> cargo build {package} (the generated crates with feature conformance)");
    let target = crate::target_dir();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building the driver {package} failed ({status})"));
    }
    Ok(target
        .join("debug")
        .join(format!("{package}{}", std::env::consts::EXE_SUFFIX)))
}

/// Writes `contents` unless the file already holds them (so cargo does not rebuild for nothing).
fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Sends `requests` to the driver and reads its answers, one per request, in order.
pub fn run(binary: &Path, requests: &[Request<'_>]) -> Result<Vec<Outcome>, String> {
    let mut child = Command::new(binary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let mut lines = String::new();
    for request in requests {
        let (kind, status) = match request.kind {
            TargetKind::Request => ("request", ""),
            TargetKind::Response { status } => ("response", status.as_str()),
            TargetKind::Event => ("event", ""),
            TargetKind::Error { status } => ("error", status.as_str()),
        };
        let line = json!({
            "module": request.module,
            "kind": kind,
            "name": request.name,
            "status": status,
            "body": request.body,
        });
        let _ = writeln!(lines, "{line}");
    }
    let mut stdin = child.stdin.take().ok_or("the driver has no stdin")?;
    // Write on a thread: the driver answers while it reads, and both pipes have limits.
    let writer = std::thread::spawn(move || stdin.write_all(lines.as_bytes()));
    let stdout = child.stdout.take().ok_or("the driver has no stdout")?;
    let mut outcomes = Vec::with_capacity(requests.len());
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading the driver: {e}"))?;
        let answer: Value = serde_json::from_str(&line)
            .map_err(|e| format!("the driver answered {line:?}: {e}"))?;
        outcomes.push(match (answer.get("ok"), answer.get("error")) {
            (Some(value), _) => Some(Ok(value.clone())),
            (None, Some(error)) => Some(Err(error.as_str().unwrap_or_default().to_owned())),
            (None, None) => None,
        });
    }
    let _ = writer.join();
    let status = child
        .wait()
        .map_err(|e| format!("waiting for the driver: {e}"))?;
    if !status.success() || outcomes.len() != requests.len() {
        return Err(format!(
            "the driver stopped ({status}) after answering {} of {} requests",
            outcomes.len(),
            requests.len()
        ));
    }
    Ok(outcomes)
}
