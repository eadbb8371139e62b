//! Hostile documents: the official documents, cut into small slices and mutated (keys deleted
//! or retyped, dangling and cyclic `$ref`s, recursive schemas, huge enums, unicode and keyword
//! names, empty paths, duplicate operationIds, deep nesting), and whole small documents
//! mutated the same way, go through the generator in-process. It must never panic and never
//! hang; it either generates a crate or returns an error naming the file and JSON pointer.
//!
//! `cargo test` runs a bounded number of cases; `cargo xtask fuzz --cases N` runs many in a
//! release build (this test with `--ignored` and the count in `ZOOMGEN_FUZZ_CASES`) and checks
//! that a sample of the generated crates compiles. Every input that found something is kept in
//! `tests/fuzz-regressions/` and replayed by `every_regression_input_is_handled`.

#[path = "fuzz/mutate.rs"]
mod mutate;
#[path = "fuzz/run.rs"]
mod run;
#[path = "fuzz/slice.rs"]
mod slice;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use zoomgen::Profile;
use zoomgen::verify::random::Rng;

use run::{Verdict, run_case};

/// Cases of the bounded run in `cargo test` (a debug build: about a minute on two cores).
const BOUNDED_CASES: u64 = 400;
const DEFAULT_SEED: u64 = 7;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn regressions_dir() -> PathBuf {
    manifest_dir().join("tests/fuzz-regressions")
}

/// A document the cases start from.
struct Seed {
    name: String,
    value: Value,
    profile: Profile,
    /// Cut into slices (large official documents) or taken whole (small ones).
    slice: bool,
}

/// The official documents (sliced) and the repository's small documents (whole).
fn corpus() -> Vec<Seed> {
    let specs = manifest_dir().join("../../shared/specs");
    assert!(
        specs.is_dir(),
        "the official documents are missing: expected them in {} (the shared folder beside the repository)",
        specs.display()
    );
    let mut seeds = Vec::new();
    let mut add = |path: &Path, slice: bool| {
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        let yaml = path.extension().is_some_and(|e| e == "yaml");
        let value: Option<Value> = if yaml {
            serde_norway::from_str(&text).ok()
        } else {
            serde_json::from_str(&text).ok()
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let profile = if name.contains("webex") {
            Profile::Webex
        } else {
            Profile::Zoom
        };
        if let Some(value) = value {
            seeds.push(Seed {
                name,
                value,
                profile,
                slice,
            });
        }
    };
    for entry in sorted_files(&specs, "json") {
        add(&entry, true);
    }
    for dir in ["../spec", "../tests/fixtures/constructs"] {
        for entry in sorted_files(&manifest_dir().join(dir), "yaml") {
            let small = std::fs::metadata(&entry).is_ok_and(|m| m.len() < 64 * 1024);
            add(&entry, !small);
        }
    }
    seeds
}

fn sorted_files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == extension));
    files.sort();
    files
}

/// One case: which document, what was done to it, its text.
struct Case {
    origin: String,
    mutations: Vec<String>,
    text: String,
    yaml: bool,
    profile: Profile,
}

fn make_case(seeds: &[Seed], seed: u64, index: u64) -> Case {
    let mut rng = Rng::new(seed.wrapping_mul(0x9E37_79B9).wrapping_add(index));
    let source = &seeds[rng.below(seeds.len())];
    let mut doc = if source.slice {
        slice::slice(&source.value, &mut rng)
    } else {
        source.value.clone()
    };
    let mutations = mutate::mutate(&mut doc, &mut rng);
    let yaml = rng.one_in(10);
    let text = if yaml {
        serde_norway::to_string(&doc).unwrap_or_default()
    } else {
        serde_json::to_string(&doc).unwrap_or_default()
    };
    let profile = if rng.one_in(8) {
        Profile::None
    } else {
        source.profile
    };
    Case {
        origin: format!("{} (seed {seed}, case {index})", source.name),
        mutations,
        text,
        yaml,
        profile,
    }
}

/// What a run found.
#[derive(Default)]
struct Summary {
    generated: u64,
    rejected: u64,
    findings: Vec<String>,
}

/// Runs cases `start..start + count`; saves each finding's input as a regression fixture and
/// the first `samples` generated crates' documents under `samples_dir`.
fn run(seed: u64, start: u64, count: u64, samples: usize, samples_dir: Option<&Path>) -> Summary {
    let seeds = corpus();
    let limit = Duration::from_secs(
        std::env::var("ZOOMGEN_FUZZ_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(60),
    );
    let mut summary = Summary::default();
    let mut saved_samples = 0;
    let started = Instant::now();
    for index in start..start + count {
        let case = make_case(&seeds, seed, index);
        let verdict = run_case(case.text.clone(), case.yaml, case.profile, limit);
        match verdict {
            Verdict::Generated => {
                summary.generated += 1;
                if let Some(dir) = samples_dir.filter(|_| saved_samples < samples) {
                    let _ = std::fs::create_dir_all(dir);
                    let ext = if case.yaml { "yaml" } else { "json" };
                    let _ = std::fs::write(
                        dir.join(format!("sample-{saved_samples}.{ext}")),
                        &case.text,
                    );
                    saved_samples += 1;
                }
            }
            Verdict::Rejected => summary.rejected += 1,
            Verdict::Finding { kind, message } => {
                let ext = if case.yaml { "yaml" } else { "json" };
                let file = regressions_dir().join(format!("{kind}-seed{seed}-case{index}.{ext}"));
                let _ = std::fs::write(&file, &case.text);
                summary.findings.push(format!(
                    "{kind} on {}: {message}\n    mutations: {}\n    input saved as {}",
                    case.origin,
                    case.mutations.join("; "),
                    file.display()
                ));
                if kind == "hang" {
                    break;
                }
            }
        }
        let done = index - start + 1;
        if done.is_multiple_of(5_000) {
            eprintln!("fuzz: {done} cases in {:?}", started.elapsed());
        }
    }
    eprintln!(
        "fuzz: seed {seed}, cases {start}..{}: {} generated, {} rejected with a located error, {} findings, in {:?}",
        start + count,
        summary.generated,
        summary.rejected,
        summary.findings.len(),
        started.elapsed()
    );
    summary
}

fn assert_no_findings(summary: &Summary) {
    assert!(
        summary.findings.is_empty(),
        "the generator mishandled {} mutated document(s):\n{}",
        summary.findings.len(),
        summary.findings.join("\n")
    );
}

#[test]
fn a_bounded_run_of_mutated_documents_finds_nothing() {
    let summary = run(DEFAULT_SEED, 0, BOUNDED_CASES, 0, None);
    assert_no_findings(&summary);
    assert!(
        summary.generated > 0 && summary.rejected > 0,
        "both outcomes are exercised"
    );
}

/// `cargo xtask fuzz` runs this in release with `ZOOMGEN_FUZZ_CASES`, `ZOOMGEN_FUZZ_SEED`,
/// `ZOOMGEN_FUZZ_START` and `ZOOMGEN_FUZZ_SAMPLES` (a folder for sample documents).
#[test]
#[ignore = "long: run through `cargo xtask fuzz`"]
fn many_mutated_documents() {
    let env = |key: &str, default: u64| {
        std::env::var(key)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let samples_dir = std::env::var_os("ZOOMGEN_FUZZ_SAMPLES").map(PathBuf::from);
    let summary = run(
        env("ZOOMGEN_FUZZ_SEED", DEFAULT_SEED),
        env("ZOOMGEN_FUZZ_START", 0),
        env("ZOOMGEN_FUZZ_CASES", 10_000),
        3,
        samples_dir.as_deref(),
    );
    println!(
        "fuzz summary: {} cases, {} generated, {} rejected, {} findings",
        summary.generated + summary.rejected + summary.findings.len() as u64,
        summary.generated,
        summary.rejected,
        summary.findings.len()
    );
    assert_no_findings(&summary);
}

#[test]
fn every_regression_input_is_handled() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for ext in ["json", "yaml"] {
        for file in sorted_files(&regressions_dir(), ext) {
            replayed += 1;
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            let profile = if file.to_string_lossy().contains("none") {
                Profile::None
            } else {
                Profile::Zoom
            };
            for profile in [profile, Profile::Webex] {
                if let Verdict::Finding { kind, message } = run_case(
                    text.clone(),
                    ext == "yaml",
                    profile,
                    Duration::from_secs(60),
                ) {
                    failures.push(format!("{}: {kind}: {message}", file.display()));
                }
            }
        }
    }
    // A missing or emptied folder must not pass as "nothing failed".
    assert!(
        replayed >= 4,
        "expected the regression inputs in {}, found {replayed}",
        regressions_dir().display()
    );
    assert!(
        failures.is_empty(),
        "regression inputs still fail:\n{}",
        failures.join("\n")
    );
}

/// A document whose one response is `schema`.
fn document_with(schema: &str) -> String {
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"sizes","version":"1"}},"paths":{{"/x":{{"get":{{"operationId":"getX","responses":{{"200":{{"description":"ok","content":{{"application/json":{{"schema":{schema}}}}}}}}}}}}}}}}}"#
    )
}

#[test]
fn hostile_sizes_generate_or_are_refused_without_hanging() {
    // Both used to be quadratic: enum values were de-duplicated by a scan, and a broken JSON
    // text was parsed again as YAML. The harness's limit is a hang detector, not a benchmark
    // (the bench's hostile scaling rows time them).
    let values: Vec<String> = (0..100_000).map(|i| format!("\"v{i}\"")).collect();
    let huge_enum = document_with(&format!(
        r#"{{"type":"string","enum":[{}]}}"#,
        values.join(",")
    ));
    let deep = document_with(&format!(
        "{}{{\"type\":\"string\"}}{}",
        r#"{"type":"object","properties":{"a":"#.repeat(50_000),
        "}}".repeat(50_000)
    ));
    for (what, text, expected) in [
        ("100,000 enum values", huge_enum, Verdict::Generated),
        ("50,000 nested properties", deep, Verdict::Rejected),
    ] {
        let verdict = run_case(text, false, Profile::Zoom, Duration::from_secs(60));
        assert!(
            std::mem::discriminant(&verdict) == std::mem::discriminant(&expected),
            "{what}: {verdict:?}"
        );
    }
}
