//! The CLI's settings front ends: a `zoomgen.toml` next to the document is read, `--config`
//! names one, and flags override both.

use std::fs;
use std::path::Path;
use std::process::Command;

const DOCUMENT: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Settings", "version": "1"},
  "servers": [{"url": "https://api.zoom.us/v2"}],
  "paths": {"/users/{userId}": {"get": {
    "operationId": "Getuserinfo", "summary": "Get user info",
    "parameters": [{"name": "userId", "in": "path", "required": true, "schema": {"type": "string"}}],
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
      "type": "object", "properties": {"id": {"type": "string"}}
    }}}}}
  }}}
}"#;

fn zoomgen(args: &[&str], dir: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_zoomgen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the CLI runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "zoomgen {args:?} failed:\n{text}");
    text
}

/// A folder holding the document `users.json` and, next to it, `zoomgen.toml` with `settings`.
fn beside_the_document(settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("users.json"), DOCUMENT).unwrap();
    fs::write(dir.path().join("zoomgen.toml"), settings).unwrap();
    dir
}

#[test]
fn a_settings_file_next_to_the_document_is_read_and_flags_override_it() {
    let dir = beside_the_document(
        "[package]\nname = \"my-users\"\nkeywords = [\"users\"]\n\n\
         [[api]]\nspec = \"users.json\"\nmodule = \"users\"\n\n\
         [api.rename.operations]\nGetuserinfo = \"user_info\"\n",
    );
    zoomgen(&["--spec", "users.json", "--out", "out"], dir.path());
    let manifest = fs::read_to_string(dir.path().join("out/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-users\""), "{manifest}");
    assert!(manifest.contains("keywords = [\"users\"]"), "{manifest}");
    // Built from this checkout, the CLI depends on its runtime by path, with the version for
    // publishing.
    let runtime = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../runtime")
        .canonicalize()
        .unwrap();
    assert!(
        manifest.contains(&format!(
            "zoomgen-runtime = {{ version = \"0.1\", path = \"{}\", default-features = false",
            runtime.display()
        )),
        "this checkout's runtime by default: {manifest}"
    );
    let ops = fs::read_to_string(dir.path().join("out/src/users/default.rs")).unwrap();
    assert!(
        ops.contains("pub fn user_info("),
        "the settings' rename: {ops}"
    );

    // Flags win over the file.
    zoomgen(
        &[
            "--spec",
            "users.json",
            "--out",
            "named",
            "--name",
            "other-name",
            "--runtime-path",
            "../rt",
        ],
        dir.path(),
    );
    let manifest = fs::read_to_string(dir.path().join("named/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"other-name\""), "{manifest}");
    assert!(
        manifest.contains("version = \"0.1\", path = \"../rt\""),
        "a path with the version stays publishable: {manifest}"
    );
    zoomgen(
        &[
            "--spec",
            "users.json",
            "--out",
            "registry",
            "--runtime-version",
            "0.1.4",
        ],
        dir.path(),
    );
    let manifest = fs::read_to_string(dir.path().join("registry/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("zoomgen-runtime = { version = \"0.1.4\", default-features"),
        "{manifest}"
    );
}

#[test]
fn a_settings_file_next_to_the_document_that_does_not_name_it_is_not_read() {
    let dir = beside_the_document(
        "[package]\nname = \"phone-client\"\n\n[[api]]\nspec = \"phone.json\"\nmodule = \"phone\"\n",
    );
    let said = zoomgen(&["--spec", "users.json", "--out", "out"], dir.path());
    assert!(
        said.contains("zoomgen.toml was not read: none of its [[api]] tables names users.json"),
        "{said}"
    );
    let manifest = fs::read_to_string(dir.path().join("out/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"users-client\""), "{manifest}");
}

#[test]
fn config_names_a_settings_file_with_its_own_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/users.json"), DOCUMENT).unwrap();
    fs::write(
        dir.path().join("docs/client.zoomgen.toml"),
        "out = \"../crate\"\ntag-features = false\n\n[package]\nname = \"users-client\"\n\n\
         [[api]]\nspec = \"users.json\"\nmodule = \"users\"\n",
    )
    .unwrap();
    zoomgen(&["--config", "docs/client.zoomgen.toml"], dir.path());
    let manifest = fs::read_to_string(dir.path().join("crate/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"users-client\""), "{manifest}");
    assert!(
        !manifest.contains("users-default = []"),
        "tags are not features: {manifest}"
    );
    let ops = fs::read_to_string(dir.path().join("crate/src/users/default.rs")).unwrap();
    assert!(
        ops.contains("pub fn get_user_info("),
        "the split run-together id: {ops}"
    );
}

#[test]
fn a_bad_settings_file_is_an_error_naming_the_file_and_line() {
    let dir = beside_the_document("[package]\nname = \"x\"\nlicence = \"MIT\"\n");
    let output = Command::new(env!("CARGO_BIN_EXE_zoomgen"))
        .args(["--spec", "users.json", "--out", "out"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("zoomgen.toml") && stderr.contains("licence"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
}
