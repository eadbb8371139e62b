//! `zoomgen`: generates a client crate from one document, or from a settings file.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::todo,
    clippy::unreachable
)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use zoomgen::{ApiInput, Package, Profile, RuntimeDependency, Settings};

/// Generation builds and drops many small token and syntax-tree nodes; mimalloc serves them
/// faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates a typed async Rust client crate from an OpenAPI document.
///
/// With `--spec` alone the crate gets every default, unless a `zoomgen.toml` next to the
/// document names it in an `[[api]]` table; `--config` reads a settings file. Flags override
/// what the settings say.
///
/// The runtime dependency: `--runtime-path` and `--runtime-version` (both: local use, and
/// publishable, as cargo drops the path on publish). Without either, a zoomgen built from a
/// checkout depends on that checkout's runtime by path and version; an installed one on the
/// registry's version.
#[derive(Debug, Parser)]
#[command(name = "zoomgen", version)]
struct Cli {
    /// The OpenAPI document (JSON or YAML).
    #[arg(long, required_unless_present = "config")]
    spec: Option<PathBuf>,
    /// A settings file (`zoomgen.toml`); its `[[api]]` tables name the documents.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Where the crate is written (a folder zoomgen created, or an empty one).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The package name (default: from the document's file name).
    #[arg(long)]
    name: Option<String>,
    /// The API's module in the crate (default: from the document's file name).
    #[arg(long)]
    module: Option<String>,
    /// Which vendor's quirks to absorb.
    #[arg(long, value_parser = parse_profile)]
    profile: Option<Profile>,
    /// Depend on the runtime at this path (relative to the crate), with its version too so
    /// that the crate stays publishable.
    #[arg(long)]
    runtime_path: Option<String>,
    /// The runtime's version requirement (default: this zoomgen's major.minor).
    #[arg(long)]
    runtime_version: Option<String>,
    /// Overlay 1.0 documents applied to `--spec` before generation, in order.
    #[arg(long = "overlay")]
    overlays: Vec<PathBuf>,
}

fn parse_profile(text: &str) -> Result<Profile, String> {
    text.parse()
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let mut settings = settings(&cli).map_err(|e| e.to_string())?;
    let out = cli
        .out
        .clone()
        .or_else(|| settings.out.clone())
        .ok_or("--out is required (or `out` in the settings file)")?;
    settings.regenerate_command = regenerate_command(&cli, &out);
    let generated = zoomgen::generate(&settings).map_err(|e| e.to_string())?;
    zoomgen::output::write_crate(&out, &generated.files).map_err(|e| e.to_string())?;
    println!("wrote {} files to {}", generated.files.len(), out.display());
    Ok(())
}

/// The settings: from `--config`, else from a `zoomgen.toml` next to `--spec` that names it,
/// else the defaults for `--spec`; then the flags on top.
fn settings(cli: &Cli) -> zoomgen::Result<Settings> {
    let mut settings = match (&cli.config, &cli.spec) {
        (Some(file), _) => Settings::from_file(file)?,
        (None, Some(spec)) => {
            sibling_settings(spec)?.unwrap_or_else(|| Settings::new(Package::new("")))
        }
        (None, None) => Settings::new(Package::new("")),
    };
    if let Some(spec) = &cli.spec {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "api".into());
        // The settings' entry for this document, or a new one with the defaults.
        let same = |api: &ApiInput| same_file(&api.spec, spec);
        let mut api = settings
            .apis
            .iter()
            .find(|api| same(api))
            .cloned()
            .unwrap_or_else(|| {
                ApiInput::new(
                    spec.clone(),
                    zoomgen::names::api_module(&stem),
                    Profile::Zoom,
                )
            });
        if settings.package.name.is_empty() {
            settings.package.name = zoomgen::names::package_name(&stem);
        }
        api.spec = spec.clone();
        settings.apis = vec![api];
    }
    let Some(api) = settings.apis.first_mut() else {
        return Err(zoomgen::Error::Config(
            "the settings name no document: add an `[[api]]` table or pass --spec".into(),
        ));
    };
    if let Some(module) = &cli.module {
        api.module = module.clone();
    }
    if let Some(profile) = cli.profile {
        api.profile = profile;
    }
    api.overlays.extend(cli.overlays.iter().cloned());
    if let Some(name) = &cli.name {
        settings.package.name = name.clone();
    }
    match (&cli.runtime_path, &cli.runtime_version) {
        (Some(path), version) => {
            let mut runtime = RuntimeDependency::path_and_version(path.clone());
            if let Some(version) = version {
                runtime.version = Some(version.clone());
            }
            settings.runtime = runtime;
        }
        (None, Some(version)) => settings.runtime = RuntimeDependency::version(version.clone()),
        (None, None) if settings.runtime == RuntimeDependency::default() => {
            if let Some(runtime) = checkout_runtime() {
                settings.runtime = runtime;
            }
        }
        (None, None) => {}
    }
    Ok(settings)
}

/// The `zoomgen.toml` next to `spec`, when its `[[api]]` tables name `spec`; a file that names
/// other documents is not read for this one (a note says so).
fn sibling_settings(spec: &Path) -> zoomgen::Result<Option<Settings>> {
    let file = spec
        .parent()
        .unwrap_or(Path::new(""))
        .join(zoomgen::settings::FILE_NAME);
    if !file.is_file() {
        return Ok(None);
    }
    let settings = Settings::from_file(&file)?;
    if settings.apis.iter().any(|api| same_file(&api.spec, spec)) {
        Ok(Some(settings))
    } else {
        eprintln!(
            "note: {} was not read: none of its [[api]] tables names {}",
            file.display(),
            spec.display()
        );
        Ok(None)
    }
}

/// The runtime of the checkout this zoomgen was built from, when it is still there: by path
/// for local use, with the version for publishing.
fn checkout_runtime() -> Option<RuntimeDependency> {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let runtime = runtime.canonicalize().ok()?;
    runtime
        .join("Cargo.toml")
        .is_file()
        .then(|| RuntimeDependency::path_and_version(runtime.display().to_string()))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The command line written into every file's header, without the flags that only say where.
fn regenerate_command(cli: &Cli, out: &Path) -> String {
    let mut command = String::from("zoomgen");
    if let Some(config) = &cli.config {
        command.push_str(&format!(" --config {}", config.display()));
    }
    if let Some(spec) = &cli.spec {
        command.push_str(&format!(" --spec {}", spec.display()));
    }
    command.push_str(&format!(" --out {}", out.display()));
    command
}
