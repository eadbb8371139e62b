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
    println!("cargo:rerun-if-changed={}", settings_file.display());
    generate_settings(&Settings::from_file(settings_file)?)
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
    for api in &settings.apis {
        println!("cargo:rerun-if-changed={}", api.spec.display());
        for overlay in &api.overlays {
            println!("cargo:rerun-if-changed={}", overlay.display());
        }
    }
    let dir = out_dir.join(settings.package.name.replace('-', "_"));
    generate_into(settings, &dir)?;
    Ok(dir.join("lib.rs"))
}

/// Writes the modules for `include!` into `dir` (replacing what zoomgen wrote there before).
pub fn generate_into(settings: &Settings, dir: &Path) -> Result<()> {
    settings.validate()?;
    let mut spec = settings.crate_spec(format!(
        "cargo build (build.rs of {})",
        std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| settings.package.name.clone())
    ));
    spec.tag_features = false;
    spec.conformance = false;
    spec.standalone = false;
    spec.include_dir = Some(std::path::absolute(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })?);
    let generated = crate::generate(&spec, &settings.inputs())?;
    crate::output::write_crate(dir, &generated.files)
}
