//! `cargo xtask fuzz [--cases N] [--seed S] [--start I] [--samples K]`: the generator's fuzz
//! harness (`generator/tests/fuzz.rs`) over N mutated documents in a release build, then
//! `cargo check` of the crates generated from the first K documents that generated (3 by
//! default), so a success is one that compiles, not only one that did not fail.

use std::path::Path;
use std::process::Command;

use zoomgen::Profile;

use crate::root;

/// `cargo xtask fuzz`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many mutated documents.
    #[arg(long, default_value_t = 10_000)]
    pub cases: u64,
    /// The seed of the mutations.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// The first case number (to rerun one).
    #[arg(long, default_value_t = 0)]
    pub start: u64,
    /// How many sample crates are compiled.
    #[arg(long, default_value_t = 3)]
    pub samples: usize,
}

pub fn run(args: &Args) -> Result<(), String> {
    let Args {
        cases,
        seed,
        start,
        samples,
    } = *args;
    let root = root();
    let samples_dir = crate::target_dir().join("fuzz/samples");
    let _ = std::fs::remove_dir_all(&samples_dir);
    println!("==> fuzz: {cases} mutated documents from case {start}, seed {seed} (release)");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "test",
            "--release",
            "--quiet",
            "-p",
            "zoomgen",
            "--test",
            "fuzz",
            "--",
        ])
        .args(["--ignored", "--nocapture", "many_mutated_documents"])
        .env("ZOOMGEN_FUZZ_CASES", cases.to_string())
        .env("ZOOMGEN_FUZZ_SEED", seed.to_string())
        .env("ZOOMGEN_FUZZ_START", start.to_string())
        .env("ZOOMGEN_FUZZ_SAMPLES", &samples_dir)
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("the fuzz run found inputs the generator mishandles (saved under generator/tests/fuzz-regressions/)".into());
    }
    let mut documents: Vec<_> = std::fs::read_dir(&samples_dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    documents.sort();
    for (index, document) in documents.iter().take(samples).enumerate() {
        let out = crate::target_dir().join(format!("fuzz/sample-{index}"));
        check_sample(document, &out)?;
    }
    println!(
        "fuzz: no findings; {} sample crate(s) compile",
        documents.len().min(samples)
    );
    Ok(())
}

/// Generates a standalone crate from `document` and `cargo check`s it (warnings fail, as for
/// the official documents).
fn check_sample(document: &Path, out: &Path) -> Result<(), String> {
    let standalone = crate::codegen::standalone(
        document,
        Some("fuzz-sample-client".into()),
        Profile::Zoom,
        "A crate the fuzz harness generated from a mutated document.".into(),
        "cargo xtask fuzz".into(),
    )?;
    crate::official::write_with_lock(out, &standalone.generated.files)?;
    println!(
        "==> cargo check {} (from {})",
        out.display(),
        document.display()
    );
    crate::official::check(out).map_err(|problems| {
        format!(
            "the crate generated from {} does not compile cleanly: {problems}",
            document.display()
        )
    })
}
