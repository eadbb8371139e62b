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

/// openapi-generator on `zoom-meetings.json` as measured on these machines (the issue's
/// number), used for the target when openapi-generator is not installed.
const OPENAPI_GENERATOR_QUOTED: Duration = Duration::from_millis(7800);
/// The tag whose lone check is measured when a crate has it.
const PREFERRED_TAG: &str = "cloud-recording";

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

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            runs: 7,
            peer_runs: 3,
            check_runs: 3,
            generation: true,
            compile: true,
            runtime: true,
            baseline: None,
        };
        let mut only: Option<String> = None;
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut number = || -> Result<usize, String> {
                args.next()
                    .and_then(|v| v.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{flag} needs a positive number\n{}", crate::USAGE))
            };
            match flag.as_str() {
                "--runs" => options.runs = number()?,
                "--peer-runs" => options.peer_runs = number()?,
                "--check-runs" => options.check_runs = number()?,
                "--only" => {
                    only = Some(
                        args.next()
                            .cloned()
                            .ok_or_else(|| format!("--only needs a value\n{}", crate::USAGE))?,
                    )
                }
                "--baseline" => {
                    options.baseline = Some(PathBuf::from(args.next().ok_or_else(|| {
                        format!("--baseline needs a checkout's directory\n{}", crate::USAGE)
                    })?))
                }
                "--quick" => {
                    options.runs = 3;
                    options.peer_runs = 1;
                    options.check_runs = 1;
                }
                other => return Err(format!("unknown argument {other:?}\n{}", crate::USAGE)),
            }
        }
        if let Some(only) = only {
            let sections: Vec<&str> = only.split(',').collect();
            for section in &sections {
                if !["generation", "compile", "runtime"].contains(section) {
                    return Err(format!(
                        "unknown section {section:?}: expected generation, compile or runtime"
                    ));
                }
            }
            options.generation = sections.contains(&"generation");
            options.compile = sections.contains(&"compile");
            options.runtime = sections.contains(&"runtime");
        }
        Ok(options)
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let root = root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
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

fn documents(specs: Option<&Path>) -> Vec<Document> {
    let root = root();
    let mut docs: Vec<Document> = crate::codegen::COMMITTED
        .iter()
        .flat_map(|krate| krate.apis.iter())
        .filter(|(_, path, _)| path.starts_with("spec/"))
        .map(|(_, path, profile)| Document {
            path: root.join(path),
            name: path.trim_start_matches("spec/").to_owned(),
            profile: *profile,
        })
        .collect();
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
    docs
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

// ---------------------------------------------------------------------------------------------
// Generation

/// A peer generator found on `PATH`.
struct Peer {
    name: &'static str,
    program: PathBuf,
}

impl Peer {
    /// Each peer: its name and the programs that run it.
    const ALL: &[(&'static str, &'static [&'static str])] = &[
        ("cargo-progenitor", &["cargo-progenitor"]),
        (
            "openapi-generator",
            &["openapi-generator-cli", "openapi-generator"],
        ),
    ];

    fn find() -> Vec<Peer> {
        Self::ALL
            .iter()
            .filter_map(|(name, programs)| {
                programs
                    .iter()
                    .find_map(|program| on_path(program).map(|program| Peer { name, program }))
            })
            .collect()
    }

    /// The command generating a crate from `spec` into `out`.
    fn command(&self, spec: &Path, out: &Path, crate_name: &str) -> Vec<String> {
        let mut command = vec![self.program.display().to_string()];
        let (spec, out) = (spec.display().to_string(), out.display().to_string());
        let args: Vec<&str> = if self.name == "cargo-progenitor" {
            vec![
                "progenitor",
                "-i",
                &spec,
                "-o",
                &out,
                "-n",
                crate_name,
                "-v",
                "0.1.0",
            ]
        } else {
            vec!["generate", "-i", &spec, "-g", "rust", "-o", &out]
        };
        command.extend(args.into_iter().map(str::to_owned));
        command
    }
}

/// Where peers write their crates: outside this workspace, since a crate inside it that is
/// not a member does not build ("believes it's in a workspace when it's not").
fn peers_dir() -> PathBuf {
    std::env::temp_dir().join("zoomgen-bench-peers")
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

/// One measured child process.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    rss_kb: u64,
    ok: bool,
}

/// Runs `command` under `zoomgen-bench measure`.
fn measure(tools: &Tools, command: &[String]) -> Result<Sample, String> {
    let output = Command::new(&tools.bench)
        .arg("measure")
        .arg("--")
        .args(command)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", tools.bench.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let values = key_values(&stdout);
    let number = |key: &str| -> Result<i64, String> {
        values.get(key).and_then(|v| v.parse().ok()).ok_or_else(|| {
            format!(
                "zoomgen-bench measure printed no {key}: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
    };
    Ok(Sample {
        wall: Duration::from_nanos(number("wall_ns")?.max(0) as u64),
        rss_kb: number("maxrss_kb")?.max(0) as u64,
        ok: number("status")? == 0,
    })
}

/// Medians of the successful samples; `None` when none succeeded.
fn medians(samples: &[Sample]) -> Option<(Duration, u64)> {
    let ok: Vec<&Sample> = samples.iter().filter(|s| s.ok).collect();
    if ok.is_empty() {
        return None;
    }
    let mut walls: Vec<Duration> = ok.iter().map(|s| s.wall).collect();
    let mut rss: Vec<u64> = ok.iter().map(|s| s.rss_kb).collect();
    Some((median(&mut walls), median(&mut rss)))
}

fn median<T: Ord + Copy + Default>(values: &mut [T]) -> T {
    values.sort();
    values
        .get(values.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or_default()
}

/// A peer's crate generated from one document, to check beside ours.
struct PeerOutput {
    peer: &'static str,
    /// The document's file name (`zoom-videosdk.json`).
    document: String,
    dir: PathBuf,
}

/// Generation rows; returns the output directories of what peers generated.
fn generation(
    options: &Options,
    tools: &Tools,
    peers: &[Peer],
    specs: Option<&Path>,
    work: &Path,
    table: &mut Table,
) -> Result<Vec<PeerOutput>, String> {
    let runtime_path = root().join("runtime").display().to_string();
    let mut peer_outputs = Vec::new();
    table.section("generation (wall time and peak RSS of one process; floor: read + parse of the same file into serde_json::Value, serde_norway for YAML)");
    for doc in documents(specs) {
        progress(&format!("generation: {}", doc.name));
        let stem = stem(&doc.name);
        let out = work.join("gen").join(stem);
        let ours_command: Vec<String> = vec![
            tools.zoomgen.display().to_string(),
            "--spec".into(),
            doc.path.display().to_string(),
            "--out".into(),
            out.display().to_string(),
            "--profile".into(),
            profile_name(doc.profile).into(),
            "--runtime-path".into(),
            runtime_path.clone(),
        ];
        let floor_command: Vec<String> = vec![
            tools.bench.display().to_string(),
            "parse".into(),
            doc.path.display().to_string(),
        ];
        let mut ours = Vec::new();
        let mut floor = Vec::new();
        let mut peer_samples: Vec<Vec<Sample>> = peers.iter().map(|_| Vec::new()).collect();
        for run in 0..options.runs {
            // Alternate which goes first.
            if run % 2 == 0 {
                ours.push(measure(tools, &ours_command)?);
                floor.push(measure(tools, &floor_command)?);
            } else {
                floor.push(measure(tools, &floor_command)?);
                ours.push(measure(tools, &ours_command)?);
            }
        }
        // Peers after ours and the floor: a JVM run leaves the caches cold and the kernel
        // reclaiming hundreds of megabytes, which would slow whichever ran next.
        for _ in 0..options.peer_runs {
            for (peer, samples) in peers.iter().zip(peer_samples.iter_mut()) {
                let peer_out = peers_dir().join(peer.name).join(stem);
                let _ = std::fs::remove_dir_all(&peer_out);
                let command = peer.command(&doc.path, &peer_out, &format!("{stem}-client"));
                samples.push(measure(tools, &command)?);
            }
        }
        let Some((ours_wall, ours_rss)) = medians(&ours) else {
            table.row(&format!("generate {}", doc.name), "failed", "", "", "", "");
            continue;
        };
        let (floor_wall, floor_rss) = medians(&floor).unwrap_or_default();
        // The documents a target names: Meetings (issue 8) and Phone, the largest (issue 14).
        let is_meetings = matches!(doc.name.as_str(), "zoom-meetings.json" | "zoom-phone.json");
        let wall_ratio = ratio(ours_wall.as_secs_f64(), floor_wall.as_secs_f64());
        table.row(
            &format!("generate {}: wall", doc.name),
            &ms(ours_wall),
            &format!("parse {}", ms(floor_wall)),
            &times(wall_ratio),
            if is_meetings { "≤ 10× parse" } else { "" },
            if is_meetings {
                met(wall_ratio <= 10.0)
            } else {
                ""
            },
        );
        table.row(
            &format!("generate {}: peak RSS", doc.name),
            &mib(ours_rss),
            &format!("parse {}", mib(floor_rss)),
            &times(ratio(ours_rss as f64, floor_rss as f64)),
            "",
            "",
        );
        for (name, _) in Peer::ALL {
            let found = peers
                .iter()
                .zip(&peer_samples)
                .find(|(peer, _)| peer.name == *name);
            let is_openapi_generator = *name == "openapi-generator";
            let target = if is_meetings && is_openapi_generator {
                "≤ 0.10× peer"
            } else {
                ""
            };
            match found.map(|(_, samples)| medians(samples)) {
                Some(Some((peer_wall, peer_rss))) => {
                    let r = ratio(ours_wall.as_secs_f64(), peer_wall.as_secs_f64());
                    table.row(
                        &format!("generate {}: wall vs {name}", doc.name),
                        &ms(ours_wall),
                        &format!("{} ({})", ms(peer_wall), mib(peer_rss)),
                        &times(r),
                        target,
                        if target.is_empty() {
                            ""
                        } else {
                            met(r <= 0.10)
                        },
                    );
                    peer_outputs.push(PeerOutput {
                        peer: name,
                        document: doc.name.clone(),
                        dir: peers_dir().join(*name).join(stem),
                    });
                }
                Some(None) => table.row(
                    &format!("generate {}: wall vs {name}", doc.name),
                    &ms(ours_wall),
                    &format!("{name} failed"),
                    "",
                    target,
                    "",
                ),
                None if is_meetings && is_openapi_generator => {
                    let quoted = OPENAPI_GENERATOR_QUOTED;
                    let r = ratio(ours_wall.as_secs_f64(), quoted.as_secs_f64());
                    table.row(
                        &format!("generate {}: wall vs {name}", doc.name),
                        &ms(ours_wall),
                        &format!("not installed; {} quoted in the issue", ms(quoted)),
                        &times(r),
                        target,
                        if r <= 0.10 {
                            "yes (vs quoted)"
                        } else {
                            "no (vs quoted)"
                        },
                    );
                }
                None if is_meetings => table.row(
                    &format!("generate {}: wall vs {name}", doc.name),
                    &ms(ours_wall),
                    "not installed",
                    "",
                    "",
                    "",
                ),
                None => {}
            }
        }
    }
    Ok(peer_outputs)
}

/// Generation time of documents holding 1, 2 and 4 copies of `zoom-meetings.json`'s paths,
/// each copy's paths, operationIds and property names renamed so nothing merges: work
/// linear in the document's size shows as a time ratio close to the number of copies.
fn scaling(
    options: &Options,
    tools: &Tools,
    specs: Option<&Path>,
    work: &Path,
    table: &mut Table,
) -> Result<(), String> {
    const COPIES: [usize; 3] = [1, 2, 4];
    let Some(specs) = specs else {
        return Ok(());
    };
    let source = specs.join("zoom-meetings.json");
    let text = std::fs::read_to_string(&source)
        .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    let document: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not JSON: {e}", source.display()))?;
    let dir = work.join("scaling");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut inputs = Vec::new();
    for copies in COPIES {
        let path = dir.join(format!("zoom-meetings-x{copies}.json"));
        let text = serde_json::to_string(&copied_paths(&document, copies))
            .map_err(|e| format!("cannot write the scaled document: {e}"))?;
        std::fs::write(&path, &text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        inputs.push((copies, path, text.len()));
    }
    progress("generation scaling: 1, 2 and 4 copies of zoom-meetings.json");
    let mut samples: Vec<Vec<Sample>> = inputs.iter().map(|_| Vec::new()).collect();
    for _ in 0..options.runs {
        for ((copies, path, _), samples) in inputs.iter().zip(samples.iter_mut()) {
            let command: Vec<String> = vec![
                tools.zoomgen.display().to_string(),
                "--spec".into(),
                path.display().to_string(),
                "--out".into(),
                dir.join(format!("out-x{copies}")).display().to_string(),
            ];
            samples.push(measure(tools, &command)?);
        }
    }
    table.section(&format!(
        "generation scaling: zoom-meetings.json's paths copied 1, 2 and 4 times (renamed so nothing merges); median of {}",
        options.runs
    ));
    let one = medians(&samples[0]).map(|(wall, _)| wall);
    for ((copies, _, bytes), samples) in inputs.iter().zip(&samples) {
        let Some((wall, rss)) = medians(samples) else {
            table.row(&format!("generate ×{copies}"), "failed", "", "", "", "");
            continue;
        };
        let r = one.map_or(0.0, |one| ratio(wall.as_secs_f64(), one.as_secs_f64()));
        let linear = *copies as f64;
        table.row(
            &format!("generate ×{copies} ({:.1} MB)", *bytes as f64 / 1e6),
            &format!("{} ({})", ms(wall), mib(rss)),
            &format!("×1 {}", one.map_or_else(String::new, ms)),
            &times(r),
            &format!("≈ {linear:.0}× (linear)"),
            if *copies == 1 {
                ""
            } else {
                met(r <= linear * 1.15)
            },
        );
    }
    Ok(())
}

/// Hostile sizes the generator must answer in seconds, generating or refusing: an enum of
/// 20,000 and 100,000 values (linear: about 5× apart) and schemas nested 5,000 and 50,000
/// levels (refused at once with a located error).
fn hostile_scaling(
    options: &Options,
    tools: &Tools,
    work: &Path,
    table: &mut Table,
) -> Result<(), String> {
    let dir = work.join("hostile");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let document = |schema: String| {
        format!(
            r#"{{"openapi":"3.0.3","info":{{"title":"hostile","version":"1"}},"paths":{{"/x":{{"get":{{"operationId":"getX","responses":{{"200":{{"description":"ok","content":{{"application/json":{{"schema":{schema}}}}}}}}}}}}}}}}}"#
        )
    };
    let enumeration = |count: usize| {
        let values: Vec<String> = (0..count).map(|i| format!("\"value_{i}\"")).collect();
        document(format!(
            r#"{{"type":"string","enum":[{}]}}"#,
            values.join(",")
        ))
    };
    let nesting = |levels: usize| {
        let open = r#"{"type":"object","properties":{"a":"#.repeat(levels);
        document(format!(
            r#"{open}{{"type":"string"}}{}"#,
            "}}".repeat(levels)
        ))
    };
    let cases = [
        ("enum of 20,000 values", enumeration(20_000)),
        ("enum of 100,000 values", enumeration(100_000)),
        ("5,000 nested properties", nesting(5_000)),
        ("50,000 nested properties", nesting(50_000)),
    ];
    progress("generation scaling: hostile enum sizes and nesting depths");
    let mut inputs = Vec::new();
    for (index, (what, text)) in cases.iter().enumerate() {
        let path = dir.join(format!("case{index}.json"));
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        inputs.push((*what, path));
    }
    let mut samples: Vec<Vec<Sample>> = inputs.iter().map(|_| Vec::new()).collect();
    for _ in 0..options.runs {
        for ((_, path), samples) in inputs.iter().zip(samples.iter_mut()) {
            let command: Vec<String> = vec![
                tools.zoomgen.display().to_string(),
                "--spec".into(),
                path.display().to_string(),
                "--out".into(),
                dir.join("out").display().to_string(),
            ];
            samples.push(measure(tools, &command)?);
        }
    }
    table.section(&format!(
        "generation scaling: hostile sizes (generate or refuse within seconds); median of {}",
        options.runs
    ));
    for ((what, _), samples) in inputs.iter().zip(samples.iter_mut()) {
        let generated = samples.iter().all(|s| s.ok);
        let mut walls: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
        let wall = median(&mut walls);
        table.row(
            what,
            &format!(
                "{} ({})",
                ms(wall),
                if generated { "generated" } else { "refused" }
            ),
            "",
            "",
            "≤ 5 s",
            met(wall <= Duration::from_secs(5)),
        );
    }
    Ok(())
}

/// `document` with its paths copied `copies` times: copy `n` under `/copy{n}`, with
/// operationIds and the names of all properties suffixed so no type merges with another copy's.
fn copied_paths(document: &serde_json::Value, copies: usize) -> serde_json::Value {
    let mut document = document.clone();
    let Some(paths) = document
        .get("paths")
        .and_then(serde_json::Value::as_object)
        .cloned()
    else {
        return document;
    };
    let mut all = serde_json::Map::new();
    for copy in 0..copies {
        for (path, item) in &paths {
            let mut item = item.clone();
            if copy == 0 {
                all.insert(path.clone(), item);
                continue;
            }
            rename_for_copy(&mut item, &format!("Copy{copy}"));
            all.insert(format!("/copy{copy}{path}"), item);
        }
    }
    document["paths"] = serde_json::Value::Object(all);
    document
}

fn rename_for_copy(value: &mut serde_json::Value, suffix: &str) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(id)) = map.get_mut("operationId") {
                id.push_str(suffix);
            }
            if let Some(serde_json::Value::Object(properties)) = map.get_mut("properties") {
                *properties = std::mem::take(properties)
                    .into_iter()
                    .map(|(name, schema)| (format!("{name}{suffix}"), schema))
                    .collect();
            }
            if let Some(serde_json::Value::Array(required)) = map.get_mut("required") {
                for name in required.iter_mut() {
                    if let serde_json::Value::String(name) = name {
                        name.push_str(suffix);
                    }
                }
            }
            map.values_mut()
                .for_each(|child| rename_for_copy(child, suffix));
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .for_each(|child| rename_for_copy(child, suffix)),
        _ => {}
    }
}

/// In-process stage timings of the largest Zoom document: where generation time goes.
fn stages(
    tools: &Tools,
    specs: Option<&Path>,
    work: &Path,
    table: &mut Table,
) -> Result<(), String> {
    let doc = match specs {
        Some(specs) => specs.join("zoom-meetings.json"),
        None => root().join("spec/zoom-meetings.yaml"),
    };
    let name = doc
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    progress(&format!("generation stages: {name}"));
    let output = Command::new(&tools.bench)
        .args(["stages", "--profile", "zoom", "--runs", "5", "--spec"])
        .arg(&doc)
        .arg("--out")
        .arg(work.join("stages"))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", tools.bench.display()))?;
    if !output.status.success() {
        return Err(format!(
            "zoomgen-bench stages failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stages: Vec<(String, Duration)> = stdout
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("stage_ns")).then_some(())?;
            let name = words.next()?.to_owned();
            let nanos = words.next()?.parse().ok()?;
            Some((name, Duration::from_nanos(nanos)))
        })
        .collect();
    let get = |stage: &str| {
        stages
            .iter()
            .find(|(n, _)| n == stage)
            .map(|(_, d)| *d)
            .unwrap_or_default()
    };
    let pipeline = ["load", "build", "passes", "emit", "write"];
    let total: Duration = pipeline.iter().map(|s| get(s)).sum();
    table.section(&format!(
        "where generation time goes: {name} in-process, median of 5 (share of the {} pipeline total)",
        ms(total)
    ));
    let describe: &[(&str, &str)] = &[
        ("load", "load::load (its parts replayed below)"),
        ("read", "  read the file"),
        ("parse", "  parse into serde_json::Value"),
        ("normalize", "  normalize (repair rules)"),
        (
            "load_rest",
            "  the rest: webhook sources, the typed openapiv3 view (load − the above)",
        ),
        ("build", "ir::build"),
        ("passes", "passes::run"),
        ("emit", "emit::emit (tokens, syn, prettyplease)"),
        (
            "format_estimate",
            "  formatting alone, on one thread (the output lexed, syn-parsed, prettyplease-printed again; emit spreads it over all cores, so it can exceed emit's wall time)",
        ),
        ("write", "output::write_crate"),
    ];
    for (stage, what) in describe {
        let time = get(stage);
        table.row(
            &format!("stage: {what}"),
            &ms(time),
            "",
            &format!(
                "{:.0}%",
                100.0 * ratio(time.as_secs_f64(), total.as_secs_f64())
            ),
            "",
            "",
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Compile

/// A generated crate to check.
struct Crate {
    label: String,
    dir: PathBuf,
    /// `-p NAME` inside the workspace, or `--manifest-path` of a standalone crate.
    package: Option<&'static str>,
    /// The official document it was generated from, for the crates peers can make too.
    document: Option<String>,
}

fn compile(
    options: &Options,
    root: &Path,
    specs: Option<&Path>,
    peer_outputs: &[PeerOutput],
    baseline: Option<&Baseline>,
    work: &Path,
    table: &mut Table,
) -> Result<(), String> {
    table.section(&format!(
        "compile (cargo check, dependencies built, CARGO_INCREMENTAL=0, src/lib.rs touched; median of {})",
        options.check_runs
    ));
    let check_target = root.join("target/bench-check");
    let mut crates = vec![
        Crate {
            label: "zoom-client (committed: meetings + videosdk from spec/)".into(),
            dir: root.join("generated/zoom"),
            package: Some("zoom-client"),
            document: None,
        },
        Crate {
            label: "webex-client (committed)".into(),
            dir: root.join("generated/webex"),
            package: Some("webex-client"),
            // Its one document, which peers may generate too.
            document: Some("webex-recordings.yaml".into()),
        },
    ];
    if let Some(specs) = specs {
        for (file, profile) in crate::official::DOCUMENTS {
            let stem = stem(file);
            let out = work.join("official").join(stem);
            progress(&format!("generating the crate of {file}"));
            if let Err(error) = crate::official::generate(&specs.join(file), &out, stem, *profile) {
                table.row(
                    &format!("check {file} crate"),
                    "generation failed",
                    &error,
                    "",
                    "",
                    "",
                );
                continue;
            }
            crates.push(Crate {
                label: format!("{file} crate"),
                dir: out,
                package: None,
                document: Some((*file).to_owned()),
            });
        }
    }
    if let Some(baseline) = baseline {
        crates.extend(baseline_crates(baseline, specs, work, table));
    }
    let mut wholes: HashMap<String, Duration> = HashMap::new();
    for krate in &crates {
        let lines = count_lines(&krate.dir.join("src"));
        let (tag_count, tag) = pick_tag(&krate.dir.join("Cargo.toml"));
        // The shared types alone, for the crates the Meetings targets are about.
        let types_only = krate.label.starts_with("zoom-meetings.json")
            || krate.label.starts_with("zoom-phone.json")
            || krate.package == Some("zoom-client");
        progress(&format!("cargo check: {} (warm-up)", krate.label));
        if let Err(error) = check(krate, &check_target, None) {
            let first = error
                .lines()
                .find(|line| line.starts_with("error"))
                .unwrap_or("cargo check failed");
            eprintln!("{error}");
            table.row(
                &format!("check {}: whole, {lines} lines", krate.label),
                "does not compile",
                first,
                "",
                "",
                "",
            );
            continue;
        }
        let mut whole = Vec::new();
        let mut alone = Vec::new();
        let mut bare = Vec::new();
        for run in 0..options.check_runs {
            progress(&format!(
                "cargo check: {} ({}/{})",
                krate.label,
                run + 1,
                options.check_runs
            ));
            whole.push(check(krate, &check_target, None)?);
            if let Some(tag) = &tag {
                alone.push(check(krate, &check_target, Some(tag))?);
            }
            if types_only {
                bare.push(check(krate, &check_target, Some(""))?);
            }
        }
        let whole = median(&mut whole);
        wholes.insert(krate.label.clone(), whole);
        table.row(
            &format!("check {}: whole, {lines} lines", krate.label),
            &secs(whole),
            "",
            "",
            "",
            "",
        );
        if let Some(tag) = &tag {
            let alone = median(&mut alone);
            let r = ratio(alone.as_secs_f64(), whole.as_secs_f64());
            let (target, verdict) = if tag_count > 1 {
                ("≤ 0.20× whole", met(r <= 0.20))
            } else {
                ("≤ 0.20× whole", "n/a (one tag)")
            };
            table.row(
                &format!(
                    "check {}: only `{tag}` (1 of {tag_count} tags)",
                    krate.label
                ),
                &secs(alone),
                &format!("whole {}", secs(whole)),
                &times(r),
                target,
                verdict,
            );
        }
        if !bare.is_empty() {
            let bare = median(&mut bare);
            table.row(
                &format!("check {}: no tag (shared types only)", krate.label),
                &secs(bare),
                &format!("whole {}", secs(whole)),
                &times(ratio(bare.as_secs_f64(), whole.as_secs_f64())),
                "",
                "",
            );
        }
    }
    if let Some(baseline) = baseline {
        compare_with_baseline(baseline, root, &wholes, table);
    }
    peers_compile(options, root, &crates, peer_outputs, table);
    Ok(())
}

/// The crates the baseline generates of the documents its cost is compared on: Meetings (the
/// largest) and Video SDK.
const BASELINE_DOCUMENTS: &[(&str, Profile)] = &[
    ("zoom-meetings.json", Profile::Zoom),
    ("zoom-videosdk.json", Profile::Zoom),
];

fn baseline_crates(
    baseline: &Baseline,
    specs: Option<&Path>,
    work: &Path,
    table: &mut Table,
) -> Vec<Crate> {
    let mut crates = vec![Crate {
        label: format!("zoom-client ({})", baseline.label),
        dir: baseline.dir.join("generated/zoom"),
        package: None,
        document: None,
    }];
    for (file, profile) in BASELINE_DOCUMENTS {
        let Some(specs) = specs else { break };
        let stem = stem(file);
        let out = work.join("baseline").join(stem);
        progress(&format!(
            "generating the crate of {file} with the {}",
            baseline.label
        ));
        match baseline.generate(
            &specs.join(file),
            &out,
            &format!("{stem}-baseline"),
            *profile,
        ) {
            Ok(()) => crates.push(Crate {
                label: format!("{file} crate ({})", baseline.label),
                dir: out,
                package: None,
                document: None,
            }),
            Err(error) => table.row(
                &format!("check {file} crate ({})", baseline.label),
                "generation failed",
                &error,
                "",
                "",
                "",
            ),
        }
    }
    crates
}

/// Ours beside the baseline: check time of the official crates and lines of `zoom-client`.
fn compare_with_baseline(
    baseline: &Baseline,
    root: &Path,
    wholes: &HashMap<String, Duration>,
    table: &mut Table,
) {
    table.section(&format!(
        "compile: this checkout beside the {}",
        baseline.label
    ));
    for (file, _) in BASELINE_DOCUMENTS {
        let ours = wholes.get(&format!("{file} crate"));
        let theirs = wholes.get(&format!("{file} crate ({})", baseline.label));
        if let (Some(ours), Some(theirs)) = (ours, theirs) {
            let r = ratio(ours.as_secs_f64(), theirs.as_secs_f64());
            table.row(
                &format!("check {file} crate, whole"),
                &secs(*ours),
                &format!("{} {}", baseline.label, secs(*theirs)),
                &times(r),
                "≤ 1.15× (issue 12), ≤ 0.80× (issue 17)",
                &format!("{} / {}", met(r <= 1.15), met(r <= 0.80)),
            );
        }
    }
    let ours = count_lines(&root.join("generated/zoom/src"));
    let theirs = count_lines(&baseline.dir.join("generated/zoom/src"));
    let r = ratio(ours as f64, theirs as f64);
    table.row(
        "generated lines of zoom-client (all features)",
        &ours.to_string(),
        &format!("{} {theirs}", baseline.label),
        &times(r),
        "≤ 0.80× (issue 17)",
        met(r <= 0.80),
    );
}

/// Each peer's output beside our crate of the same document, checked alternately. The target
/// is about `zoom-meetings.json`; the other documents a peer generates are shown beside it.
fn peers_compile(
    options: &Options,
    root: &Path,
    ours: &[Crate],
    peer_outputs: &[PeerOutput],
    table: &mut Table,
) {
    const TARGET: &str = "faster than every peer that compiles";
    const MEETINGS: &str = "zoom-meetings.json";
    if !peer_outputs
        .iter()
        .any(|output| output.document == MEETINGS)
    {
        table.row(
            &format!("check {MEETINGS} crate vs peers' output"),
            "",
            "no peer installed generated it",
            "",
            TARGET,
            "n/a",
        );
    }
    let check_target = root.join("target/bench-check");
    let peer_target = root.join("target/bench-peers");
    for output in peer_outputs {
        let target = if output.document == MEETINGS {
            TARGET
        } else {
            ""
        };
        let label = format!(
            "check {} crate vs {}'s output",
            output.document, output.peer
        );
        // Only documents we make a crate of alone (not those of the committed zoom-client).
        let Some(our_crate) = ours
            .iter()
            .find(|krate| krate.document.as_deref() == Some(&output.document))
        else {
            continue;
        };
        let theirs = Crate {
            label: format!("{} output of {}", output.peer, output.document),
            dir: output.dir.clone(),
            package: None,
            document: None,
        };
        progress(&format!("cargo check: {} (warm-up)", theirs.label));
        if let Err(error) = check(&theirs, &peer_target, None) {
            let first = error
                .lines()
                .find(|line| line.starts_with("error"))
                .unwrap_or("cargo check failed");
            table.row(
                &label,
                "",
                &format!("does not compile: {first}"),
                "",
                target,
                "n/a",
            );
            continue;
        }
        let mut our_samples = Vec::new();
        let mut their_samples = Vec::new();
        for run in 0..options.check_runs {
            progress(&format!(
                "cargo check: {} and ours ({}/{})",
                theirs.label,
                run + 1,
                options.check_runs
            ));
            if let Ok(time) = check(our_crate, &check_target, None) {
                our_samples.push(time);
            }
            if let Ok(time) = check(&theirs, &peer_target, None) {
                their_samples.push(time);
            }
        }
        if our_samples.is_empty() || their_samples.is_empty() {
            table.row(&label, "", "a check failed on a rerun", "", target, "n/a");
            continue;
        }
        let (ours, theirs) = (median(&mut our_samples), median(&mut their_samples));
        let r = ratio(ours.as_secs_f64(), theirs.as_secs_f64());
        table.row(
            &label,
            &format!(
                "{} ({} lines)",
                secs(ours),
                count_lines(&our_crate.dir.join("src"))
            ),
            &format!(
                "{} ({} lines)",
                secs(theirs),
                count_lines(&output.dir.join("src"))
            ),
            &times(r),
            target,
            if target.is_empty() { "" } else { met(r < 1.0) },
        );
    }
}

/// Time of one `cargo check` of `krate` after touching its lib.rs: with its default features
/// (`None`), with only the feature `tag`, or with none (`Some("")`).
fn check(krate: &Crate, target: &Path, tag: Option<&str>) -> Result<Duration, String> {
    touch(&krate.dir.join("src/lib.rs"))?;
    let mut args: Vec<String> = vec!["check".into(), "--quiet".into()];
    match krate.package {
        Some(package) => args.extend(["-p".into(), package.into()]),
        None => args.extend([
            "--manifest-path".into(),
            krate.dir.join("Cargo.toml").display().to_string(),
        ]),
    }
    match tag {
        None => {}
        Some("") => args.push("--no-default-features".into()),
        Some(tag) => args.extend([
            "--no-default-features".into(),
            "--features".into(),
            tag.into(),
        ]),
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = Instant::now();
    cargo(
        &root(),
        &args,
        &[
            ("CARGO_TARGET_DIR", target.as_os_str()),
            ("CARGO_INCREMENTAL", "0".as_ref()),
        ],
    )
    .map_err(|e| format!("{}: {e}", krate.label))?;
    Ok(started.elapsed())
}

fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

/// Lines of every `.rs` file under `dir`.
fn count_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                count_lines(&path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                std::fs::read_to_string(&path)
                    .map(|text| text.lines().count())
                    .unwrap_or(0)
            } else {
                0
            }
        })
        .sum()
}

/// The API tags of a generated crate (its default features) and the one to check alone: one
/// naming [`PREFERRED_TAG`], else the first. Opt-in features (e.g. `conformance`) are not tags.
fn pick_tag(manifest: &Path) -> (usize, Option<String>) {
    let text = std::fs::read_to_string(manifest).unwrap_or_default();
    let tags: Vec<&str> = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("default = ["))
        .map(|list| {
            list.trim_end_matches(']')
                .split(',')
                .map(|tag| tag.trim().trim_matches('"'))
                .filter(|tag| !tag.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let tag = tags
        .iter()
        .find(|tag| tag.contains(PREFERRED_TAG))
        .or(tags.first())
        .map(|tag| (*tag).to_owned());
    (tags.len(), tag)
}

// ---------------------------------------------------------------------------------------------
// Runtime

fn runtime(tools: &Tools, baseline: Option<&Baseline>, table: &mut Table) -> Result<(), String> {
    progress("runtime: decode");
    let decode = bench_values(&tools.bench, &["decode"])?;
    progress("runtime: requests per second");
    let http = bench_values(&tools.bench, &["http"])?;
    let number = |values: &HashMap<String, String>, key: &str| -> Result<f64, String> {
        values
            .get(key)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("zoomgen-bench printed no {key}"))
    };

    let bytes = number(&decode, "page_bytes")?;
    let mbps =
        |key: &str| -> Result<f64, String> { Ok(bytes / (number(&decode, key)? / 1e9) / 1e6) };
    let value = mbps("value_ns")?;
    table.section(&format!(
        "runtime: decode of a 300-meeting × 10-file list-recordings page ({:.2} MB; median of {} rounds)",
        bytes / 1e6,
        number(&decode, "rounds")?
    ));
    for (key, what) in [
        (
            "typed_ns",
            "decode into RecordingsListResponse (serde_json::from_slice)",
        ),
        (
            "typed_tracked_ns",
            "decode into RecordingsListResponse as the client does (zoomgen_runtime::decode_json)",
        ),
    ] {
        let ours = mbps(key)?;
        let r = ratio(ours, value);
        table.row(
            what,
            &format!("{ours:.0} MB/s"),
            &format!("Value {value:.0} MB/s"),
            &times(r),
            "≥ 1.50× Value",
            met(r >= 1.5),
        );
    }
    if let Some(baseline) = baseline {
        progress(&format!("runtime: decode with the {}", baseline.label));
        let theirs = bench_values(&baseline.bench, &["decode"])?;
        let theirs_bytes = number(&theirs, "page_bytes")?;
        let theirs_value = theirs_bytes / (number(&theirs, "value_ns")? / 1e9) / 1e6;
        let theirs_typed = theirs_bytes / (number(&theirs, "typed_tracked_ns")? / 1e9) / 1e6;
        let ours = mbps("typed_tracked_ns")?;
        table.row(
            &format!(
                "decode as the client does, {} (Value {theirs_value:.0} MB/s in its run)",
                baseline.label
            ),
            &format!("{ours:.0} MB/s"),
            &format!("{} {theirs_typed:.0} MB/s", baseline.label),
            &times(ratio(ours, theirs_typed)),
            "",
            "",
        );
    }

    let target = http.get("target").cloned().unwrap_or_default();
    table.section(&format!(
        "runtime: requests per second against a keep-alive server on 127.0.0.1 (GET {target}, {} B page; medians of {} rounds; ratios: median of each round's ratio)",
        number(&http, "body_bytes")?,
        number(&http, "rounds")?
    ));
    let concurrency = number(&http, "concurrency")?;
    for (mode, what) in [
        ("seq", "one at a time".to_owned()),
        ("conc", format!("{concurrency} in flight")),
    ] {
        let ours = number(&http, &format!("{mode}_generated_rps"))?;
        let bare = number(&http, &format!("{mode}_bare_rps"))?;
        let r = number(&http, &format!("{mode}_generated_ratio"))?;
        table.row(
            &format!("generated client requests/s, {what}"),
            &format!("{ours:.0}/s"),
            &format!("bare reqwest {bare:.0}/s"),
            &times(r),
            "≥ 0.95× reqwest",
            met(r >= 0.95),
        );
        let tracked = number(&http, &format!("{mode}_bare_tracked_rps"))?;
        table.row(
            &format!(
                "  diagnostic: bare reqwest decoding as the client does (decode_json), {what}"
            ),
            &format!("{tracked:.0}/s"),
            &format!("bare reqwest {bare:.0}/s"),
            &times(number(&http, &format!("{mode}_bare_tracked_ratio"))?),
            "",
            "",
        );
    }
    Ok(())
}

fn bench_values(bench: &Path, args: &[&str]) -> Result<HashMap<String, String>, String> {
    let output = Command::new(bench)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bench.display()))?;
    if !output.status.success() {
        return Err(format!(
            "zoomgen-bench {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(key_values(&String::from_utf8_lossy(&output.stdout)))
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// `key value` lines.
fn key_values(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
        .collect()
}

fn cargo(root: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Result<(), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo {}` failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn progress(what: &str) {
    eprintln!("==> {what}");
}

fn ratio(ours: f64, theirs: f64) -> f64 {
    if theirs > 0.0 {
        ours / theirs
    } else {
        f64::NAN
    }
}

fn times(ratio: f64) -> String {
    if ratio.is_finite() {
        format!("{ratio:.2}×")
    } else {
        String::new()
    }
}

fn met(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

fn ms(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1e3)
}

fn secs(time: Duration) -> String {
    format!("{:.2} s", time.as_secs_f64())
}

fn mib(kb: u64) -> String {
    format!("{:.0} MiB", kb as f64 / 1024.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

/// CPU model, cores, memory and compiler, as the README's benchmark section describes them.
fn machine(root: &Path) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.0} GiB", kb / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown memory".into());
    let rustc = Command::new("rustc")
        .arg("-V")
        .current_dir(root)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("Machine: {cpu}, {cores} cores (nproc), {memory} RAM; {rustc}.")
}

/// The markdown table, with section rows and notes.
#[derive(Default)]
struct Table {
    rows: Vec<[String; 6]>,
    notes: Vec<String>,
}

impl Table {
    fn section(&mut self, title: &str) {
        self.rows.push([
            format!("**{title}**"),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }

    fn row(
        &mut self,
        measure: &str,
        ours: &str,
        other: &str,
        ratio: &str,
        target: &str,
        met: &str,
    ) {
        self.rows.push(
            [measure, ours, other, ratio, target, met]
                .map(|cell| cell.replace('|', "\\|").replace('\n', " ")),
        );
    }

    fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    fn render(&self) -> String {
        let mut out = String::new();
        for note in &self.notes {
            let _ = writeln!(out, "- {note}");
        }
        if !self.notes.is_empty() {
            out.push('\n');
        }
        out.push_str("| measure | ours | floor / peer | ratio | target | met? |\n");
        out.push_str("|---|---:|---:|---:|---|---|\n");
        for row in &self.rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out
    }
}
