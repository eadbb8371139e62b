//! Documents whose file names would give invalid or colliding Rust names: `lib.json` and
//! `runtime.json` (the crate root's own names) and `Zoom Meeting API.json` (spaces in the
//! package name). The CLI derives valid names, and each crate checks warning-free.

use std::fs;
use std::path::Path;
use std::process::Command;

use zoomgen_tests::root;

const DOCUMENT: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Names", "version": "1"},
  "servers": [{"url": "https://api.zoom.us/v2"}],
  "paths": {"/users/{userId}": {"get": {
    "operationId": "user",
    "parameters": [{"name": "userId", "in": "path", "required": true, "schema": {"type": "string"}}],
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
      "type": "object", "properties": {"id": {"type": "string"}}
    }}}}}
  }}}
}"#;

fn run(command: &mut Command) -> String {
    let output = command.output().expect("the command runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{command:?} failed:\n{text}");
    text
}

fn manifest_name(crate_dir: &Path) -> String {
    let manifest = fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("name = "))
        .map(|name| name.trim_matches('"').to_owned())
        .expect("a package name")
}

#[test]
fn file_names_that_collide_or_are_invalid_give_crates_that_check() {
    let temp = tempfile::TempDir::new().unwrap();
    let cases = [
        ("lib.json", "lib-client", "lib_api"),
        ("runtime.json", "runtime-client", "runtime_api"),
        (
            "Zoom Meeting API.json",
            "zoom-meeting-api-client",
            // The package has every word; the module drops the first.
            "meeting_api",
        ),
    ];
    for (file, package, module) in cases {
        let spec = temp.path().join(file);
        fs::write(&spec, DOCUMENT).unwrap();
        let out = temp.path().join(package);
        run(Command::new(env!("CARGO"))
            .current_dir(root())
            .args(["run", "--quiet", "--package", "zoomgen", "--", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .arg("--runtime-path")
            .arg(root().join("runtime")));
        assert_eq!(manifest_name(&out), package, "{file}");
        assert!(
            out.join("src").join(module).join("mod.rs").is_file(),
            "{file}"
        );
        fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
        let checked = run(Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--offline", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", root().join("target/cli-names"))
            .env("RUSTFLAGS", "-D warnings"));
        assert!(!checked.contains("warning"), "{file}: {checked}");
    }
}
