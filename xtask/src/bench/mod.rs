//! `cargo xtask bench`: one table of how fast zoomgen generates, how fast its output checks,
//! and how fast the generated client decodes and calls, each beside its floor or peer measured
//! in the same run.
//!
//! - generation: the release `zoomgen` CLI on every document of `spec/` and `../shared/specs`,
//!   median wall time and peak memory over several runs, beside a bare parse of the same file
//!   (`zoomgen-bench parse`) and beside `cargo-progenitor` and openapi-generator when they are
//!   on `PATH` (never installed from here); plus the generator's stages timed in-process on
//!   `zoom-meetings.json`.
//! - compile: `cargo check` of each generated crate with its dependencies already built
//!   (`CARGO_INCREMENTAL=0`, lib.rs touched), whole and with one API tag alone, in a target
//!   directory of its own (`target/bench-check`) so builds of others in `target/` do not lock
//!   it.
//! - runtime: `zoomgen-bench decode` and `zoomgen-bench http`.
//!
//! Samples of compared things are taken alternately, so background load hits both alike, and
//! medians are reported. Nothing here is a pass/fail test: the targets are printed with the
//! numbers.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use zoomgen::Profile;

use crate::baseline::Baseline;
use crate::root;

mod compile;
mod generation;
mod measure;
mod peers;
mod runtime;
mod scaling;
mod table;

use compile::*;
use generation::*;
use measure::*;
use peers::*;
use runtime::*;
use scaling::*;
use table::*;

/// openapi-generator on `zoom-meetings.json` as measured on these machines (the issue's
/// number), used for the target when openapi-generator is not installed.
const OPENAPI_GENERATOR_QUOTED: Duration = Duration::from_millis(7800);

struct Options {
    runs: usize,
    peer_runs: usize,
    check_runs: usize,
    generation: bool,
    compile: bool,
    runtime: bool,
    /// An earlier checkout to measure beside this one (`--baseline DIR`).
    baseline: Option<PathBuf>,
}

/// A section of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Section {
    Generation,
    Compile,
    Runtime,
}

/// `cargo xtask bench`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Generation runs per document (median).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,
    /// Runs of each peer generator.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    peer_runs: u16,
    /// `cargo check` runs per crate.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    check_runs: u16,
    /// 3 generation runs, 1 peer run, 1 check run.
    #[arg(long)]
    quick: bool,
    /// Only these sections (comma-separated).
    #[arg(long, value_delimiter = ',')]
    only: Vec<Section>,
    /// An earlier checkout of this repository to measure beside this one.
    #[arg(long)]
    baseline: Option<PathBuf>,
}

impl Options {
    fn from_args(args: &Args) -> Self {
        let (runs, peer_runs, check_runs) = if args.quick {
            (3, 1, 1)
        } else {
            (args.runs, args.peer_runs, args.check_runs)
        };
        let wanted = |section| args.only.is_empty() || args.only.contains(&section);
        Options {
            runs: runs.into(),
            peer_runs: peer_runs.into(),
            check_runs: check_runs.into(),
            generation: wanted(Section::Generation),
            compile: wanted(Section::Compile),
            runtime: wanted(Section::Runtime),
            baseline: args.baseline.clone(),
        }
    }
}

pub fn run(args: &Args) -> Result<(), String> {
    let options = Options::from_args(args);
    let root = root();
    let target = crate::target_dir();
    let work = target.join("bench");
    let started = Instant::now();
    let load_before = load_average();

    progress("cargo build --release -p zoomgen -p zoomgen-bench");
    cargo(
        &root,
        &["build", "--release", "-p", "zoomgen", "-p", "zoomgen-bench"],
        &[],
    )?;
    let tools = Tools {
        zoomgen: target.join("release/zoomgen"),
        bench: target.join("release/zoomgen-bench"),
    };

    let baseline = options
        .baseline
        .as_deref()
        .map(Baseline::build)
        .transpose()?;
    let mut table = Table::default();
    if let Some(baseline) = &baseline {
        table.note(format!(
            "{} is {} (`--baseline`), built and measured in this run",
            baseline.label,
            baseline.dir.display()
        ));
    }
    let specs = crate::official::specs_dir();
    if let Err(missing) = &specs {
        table.note(format!("{missing}; only spec/ is measured"));
    }
    let specs = specs.ok();
    let peers = Peer::find();
    for peer in Peer::ALL {
        if !peers.iter().any(|p| p.name == peer.0) {
            table.note(format!(
                "{} is not installed (none of {} on PATH): its columns say so",
                peer.0,
                peer.1.join(", ")
            ));
        }
    }

    let mut peer_outputs = Vec::new();
    if options.generation {
        peer_outputs = generation(
            &options,
            &tools,
            &peers,
            specs.as_deref(),
            &work,
            &mut table,
        )?;
        stages(&tools, specs.as_deref(), &work, &mut table)?;
        scaling(&options, &tools, specs.as_deref(), &work, &mut table)?;
        hostile_scaling(&options, &tools, &work, &mut table)?;
    }
    if options.compile {
        compile(
            &options,
            &root,
            specs.as_deref(),
            &peer_outputs,
            baseline.as_ref(),
            &work,
            &mut table,
        )?;
    }
    if options.runtime {
        runtime(&tools, baseline.as_ref(), &mut table)?;
    }

    let load_after = load_average();
    let mut out = String::new();
    let _ = writeln!(out, "{}", machine(&root));
    let _ = writeln!(
        out,
        "Load average (1/5/15 min) before: {load_before}; after: {load_after}. Run took {:.0} s: \
         generation medians of {} runs ({} for peers), checks medians of {} runs.\n",
        started.elapsed().as_secs_f64(),
        options.runs,
        options.peer_runs,
        options.check_runs
    );
    out.push_str(&table.render());
    println!("\n{out}");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let saved = work.join("table.md");
    std::fs::write(&saved, &out).map_err(|e| format!("cannot write {}: {e}", saved.display()))?;
    eprintln!("(also written to {})", saved.display());
    Ok(())
}

struct Tools {
    zoomgen: PathBuf,
    bench: PathBuf,
}

/// One document to generate from.
struct Document {
    path: PathBuf,
    /// The file name, as the table shows it.
    name: String,
    profile: Profile,
}

fn documents(specs: Option<&Path>) -> Result<Vec<Document>, String> {
    let root = root();
    // The documents of the committed crates in spec/ (not the construct fixtures).
    let spec_dir = root.join("spec");
    let mut docs: Vec<Document> = Vec::new();
    for file in crate::codegen::SETTINGS_FILES {
        if file.starts_with("spec/") {
            docs.extend(
                crate::codegen::committed_settings(file)?
                    .apis
                    .into_iter()
                    .map(|api| Document {
                        name: api
                            .spec
                            .strip_prefix(&spec_dir)
                            .unwrap_or(&api.spec)
                            .display()
                            .to_string(),
                        path: api.spec,
                        profile: api.profile,
                    }),
            );
        }
    }
    if let Some(specs) = specs {
        docs.extend(
            crate::official::DOCUMENTS
                .iter()
                .map(|(file, profile)| Document {
                    path: specs.join(file),
                    name: (*file).to_owned(),
                    profile: *profile,
                }),
        );
    }
    Ok(docs)
}

fn profile_name(profile: Profile) -> &'static str {
    match profile {
        Profile::Zoom => "zoom",
        Profile::Webex => "webex",
        Profile::None => "none",
    }
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}
