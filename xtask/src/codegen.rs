//! `cargo xtask codegen`: the committed crates in `generated/` from the documents in `spec/`.

use std::path::{Path, PathBuf};

use zoomgen::{ApiInput, Generated, Package, Profile, RuntimeDependency, Settings};

use crate::root;

/// The settings files of the committed crates; each names its documents and its `out` folder.
pub const SETTINGS_FILES: &[&str] = &[
    "spec/zoom-client.zoomgen.toml",
    "spec/webex-client.zoomgen.toml",
    // One module per construct fixture, compiled (and linted) with the workspace; the
    // snapshot tests read the same file.
    "tests/fixtures/constructs/fixtures-client.zoomgen.toml",
];

/// A committed crate's settings, read from its file.
pub fn committed_settings(file: &str) -> Result<Settings, String> {
    Settings::from_file(&root().join(file)).map_err(|e| e.to_string())
}

/// Generates a committed crate in memory (a workspace member, so not standalone), calling
/// `done` after each document.
fn generate_committed_reporting(
    settings: &Settings,
    done: impl FnMut(&ApiInput),
) -> Result<Generated, String> {
    let mut settings = settings.clone();
    settings.regenerate_command = "cargo xtask codegen".to_owned();
    settings.standalone = false;
    zoomgen::generate_reporting(&settings, done).map_err(|e| e.to_string())
}

/// Progress over the documents of every committed crate: a bar on a terminal, else a line per
/// document (a CI log shows where a slow run is).
fn progress(documents: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(documents as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix("codegen");
    bar
}

/// Where a committed crate goes.
fn committed_dir(file: &str, settings: &Settings) -> Result<PathBuf, String> {
    settings
        .out
        .clone()
        .ok_or_else(|| format!("{file}: a committed crate's settings need `out`"))
}

/// `cargo xtask codegen`'s options.
#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// Fail naming each file of generated/ that drifts, instead of writing.
    #[arg(long)]
    pub check: bool,
    /// Print per document the operations, types emitted and de-duplicated, and repairs.
    #[arg(long)]
    pub report: bool,
    /// Generate one document (with --out) instead of the committed crates.
    #[arg(long, requires = "out")]
    pub spec: Option<PathBuf>,
    /// Where the crate of --spec goes.
    #[arg(long, requires = "spec")]
    pub out: Option<PathBuf>,
    /// The package name of the crate of --spec.
    #[arg(long)]
    pub name: Option<String>,
    /// Which vendor's quirks to absorb (zoom, webex or none).
    #[arg(long, default_value = "zoom")]
    pub profile: Profile,
}

pub fn run(args: &Args) -> Result<(), String> {
    match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            one_document(spec, out, args.name.clone(), args.profile, args.report)
        }
        _ => committed(args.check, args.report),
    }
}

fn committed(check: bool, report: bool) -> Result<(), String> {
    let root = root();
    let mut drifting = Vec::new();
    let all = SETTINGS_FILES
        .iter()
        .map(|file| committed_settings(file))
        .collect::<Result<Vec<Settings>, String>>()?;
    let bar = progress(all.iter().map(|settings| settings.apis.len()).sum());
    for (file, settings) in SETTINGS_FILES.iter().zip(all) {
        let crate_name = settings.package.name.clone();
        let generated = generate_committed_reporting(&settings, |input| {
            let document = input.spec.file_name().unwrap_or_default().to_string_lossy();
            if bar.is_hidden() {
                println!("  {crate_name}: {document}");
            } else {
                bar.set_message(format!("{crate_name}: {document}"));
            }
            bar.inc(1);
        })?;
        if report {
            print_report(&generated);
        }
        let dir = committed_dir(file, &settings)?;
        if check {
            drifting.extend(zoomgen::output::drift(&dir, &generated.files));
        } else {
            zoomgen::output::write_crate(&dir, &generated.files).map_err(|e| e.to_string())?;
            println!("{}: {} files", settings.package.name, generated.files.len());
        }
    }
    bar.finish_and_clear();
    if drifting.is_empty() {
        if check {
            println!("generated/ is up to date");
        }
        return Ok(());
    }
    for path in &drifting {
        eprintln!(
            "drifts: {}",
            path.strip_prefix(&root).unwrap_or(path).display()
        );
    }
    Err(format!(
        "{} generated file(s) differ from what `cargo xtask codegen` produces",
        drifting.len()
    ))
}

fn one_document(
    spec: &Path,
    out: &Path,
    name: Option<String>,
    profile: Profile,
    report: bool,
) -> Result<(), String> {
    let standalone = standalone(
        spec,
        name,
        profile,
        format!("Client generated by zoomgen from {}.", spec.display()),
        format!(
            "cargo xtask codegen --spec {} --out {}",
            spec.display(),
            out.display()
        ),
    )?;
    if report {
        print_report(&standalone.generated);
    }
    zoomgen::output::write_crate(out, &standalone.generated.files).map_err(|e| e.to_string())?;
    println!(
        "{}: {} files",
        out.display(),
        standalone.generated.files.len()
    );
    Ok(())
}

/// The crate of one document on its own (official checks, round trips, conformance, `--spec`):
/// package `<stem>-client` unless named, module `<stem>`, the workspace's runtime by path.
pub struct Standalone {
    pub package: String,
    pub module: String,
    pub generated: Generated,
}

pub fn standalone(
    spec: &Path,
    name: Option<String>,
    profile: Profile,
    description: String,
    regenerate_command: String,
) -> Result<Standalone, String> {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "api".into());
    let package = name.unwrap_or_else(|| zoomgen::names::package_name(&stem));
    let module = zoomgen::names::api_module(&stem);
    let mut settings = Settings::new(Package::new(package.clone()).with_description(description))
        .with_api(ApiInput::new(spec, module.clone(), profile));
    settings.runtime = RuntimeDependency::path(root().join("runtime").display().to_string());
    settings.regenerate_command = regenerate_command;
    let generated = zoomgen::generate(&settings).map_err(|e| e.to_string())?;
    Ok(Standalone {
        package,
        module,
        generated,
    })
}

fn print_report(generated: &Generated) {
    for prepared in &generated.apis {
        let api = &prepared.api;
        let live = zoomgen::passes::generic::reachable(api);
        let merged: usize = api.types.iter().map(|t| t.merged_pointers.len()).sum();
        println!("{} ({})", prepared.input.spec.display(), api.module);
        println!("  operations: {}", api.operations.len());
        if api.servers.is_empty() && !api.operations.is_empty() {
            println!(
                "  servers: none (Client::DEFAULT_BASE_URL is empty: pass the base URL to Client::new)"
            );
        }
        println!("  webhook events: {}", api.webhooks.len());
        for op in &api.operations {
            if let Some(why) = zoomgen::emit::items_between_unavailable(api, op) {
                println!("  no items_between for {}: {why}", op.operation_id);
            }
        }
        println!("  types emitted: {}, de-duplicated: {merged}", live.len());
        for skipped in &api.skipped_derives {
            println!("  derive skipped: {skipped}");
        }
        let mut rules: Vec<(&str, usize)> = Vec::new();
        for repair in &prepared.repairs {
            match rules.iter_mut().find(|(rule, _)| *rule == repair.rule) {
                Some((_, count)) => *count += 1,
                None => rules.push((repair.rule, 1)),
            }
        }
        println!(
            "  repairs: {}",
            if rules.is_empty() {
                "none".to_owned()
            } else {
                String::new()
            }
        );
        for (rule, count) in rules {
            println!("    {rule}: {count}");
        }
        let free_form = api.untyped.iter().filter(|u| u.free_form).count();
        let not_free_form: Vec<_> = api.untyped.iter().filter(|u| !u.free_form).collect();
        println!(
            "  untyped: {free_form} free-form schemas (any JSON is valid), {} others",
            not_free_form.len()
        );
        for untyped in not_free_form {
            println!("    {} ({})", untyped.pointer, untyped.reason);
        }
    }
}
