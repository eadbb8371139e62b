//! Generating a client from a downstream crate's build script.
//!
//! In `build.rs`, with `zoomgen = { version = "0.1", default-features = false }` under
//! `[build-dependencies]`:
//!
//! ```no_run
//! if let Err(error) = zoomgen::build_script::generate("zoomgen.toml") {
//!     eprintln!("{error}");
//!     std::process::exit(1);
//! }
//! ```
//!
//! and in `lib.rs`, `include!(concat!(env!("OUT_DIR"), "/<package>/lib.rs"));` (the
//! `[package] name` of the settings, `-` written `_`). The crate depends on `zoomgen-runtime`
//! and `serde` itself. Every tag is compiled (the crate's own features are not the API's tags),
//! and there is no `conformance` module.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::settings::Settings;

/// Generates the client the settings file at `settings_file` (relative to the crate) describes
/// into `OUT_DIR`, tells cargo to rerun when the file, a document or an overlay changes, and
/// returns the path of the `lib.rs` to `include!`.
pub fn generate(settings_file: impl AsRef<Path>) -> Result<PathBuf> {
    let settings_file = settings_file.as_ref();
    let settings = Settings::from_file(settings_file)?;
    println!("cargo:rerun-if-changed={}", directive_path(settings_file)?);
    generate_settings(&settings)
}

/// `path` for a `cargo:` line: cargo reads each line of a build script's output as a
/// directive, so a path with a line break (or any control character) could smuggle in one of
/// its own, `cargo:rustc-env=…` say. Such a path is refused.
fn directive_path(path: &Path) -> Result<String> {
    let text = path.to_str().ok_or_else(|| {
        Error::Config(format!(
            "{}: a path cargo is told to watch must be UTF-8",
            path.display()
        ))
    })?;
    if text.chars().any(char::is_control) {
        return Err(Error::Config(format!(
            "{text:?}: a path with a control character cannot be written as a cargo directive"
        )));
    }
    Ok(text.to_owned())
}

/// Like [`generate`], for settings built in code.
pub fn generate_settings(settings: &Settings) -> Result<PathBuf> {
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| {
            Error::Config(
                "OUT_DIR is not set: zoomgen::build_script runs from a build script".into(),
            )
        })?;
    // Everything is checked before the first directive is printed or a file written: the
    // package name becomes a folder under `OUT_DIR`.
    settings.validate()?;
    let mut watched = Vec::new();
    for api in &settings.apis {
        watched.push(directive_path(&api.spec)?);
        for overlay in &api.overlays {
            watched.push(directive_path(overlay)?);
        }
    }
    for path in watched {
        println!("cargo:rerun-if-changed={path}");
    }
    let dir = out_dir.join(settings.package.name.replace('-', "_"));
    generate_into(settings, &dir)?;
    Ok(dir.join("lib.rs"))
}

/// Writes the modules for `include!` into `dir` (replacing what zoomgen wrote there before).
pub fn generate_into(settings: &Settings, dir: &Path) -> Result<()> {
    let mut settings = settings.clone();
    settings.regenerate_command = format!(
        "cargo build (build.rs of {})",
        std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| settings.package.name.clone())
    );
    settings.tag_features = false;
    settings.conformance = false;
    settings.standalone = false;
    settings.include_dir = Some(std::path::absolute(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })?);
    let generated = crate::generate(&settings)?;
    crate::output::write_crate(dir, &generated.files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_would_inject_a_cargo_directive_are_refused() {
        let injected = Path::new("spec.json\ncargo:rustc-env=EVIL=1");
        let error = directive_path(injected).unwrap_err().to_string();
        assert!(error.contains("control character"), "{error}");
        assert_eq!(
            directive_path(Path::new("spec/a b.json")).unwrap(),
            "spec/a b.json"
        );
    }

    #[test]
    fn a_package_name_that_leaves_out_dir_is_refused_before_anything_is_written() {
        let out = tempfile::tempdir().unwrap();
        // SAFETY: this test is the only one of the crate that reads or sets OUT_DIR.
        unsafe { std::env::set_var("OUT_DIR", out.path()) };
        let mut settings = Settings::new(crate::Package::new("../../escaped"));
        settings.apis.push(crate::ApiInput::new(
            "missing.json",
            "m",
            crate::Profile::None,
        ));
        let error = generate_settings(&settings).unwrap_err().to_string();
        assert!(error.contains("invalid package name"), "{error}");
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    }
}
