//! Drift: every committed crate is what `cargo xtask codegen` makes.

use super::*;

/// Regenerates every committed crate of the xtask's `SETTINGS_FILES` (zoom, webex and the fixtures) in
/// memory and compares it with `generated/`; xtask prints `drifts: <file>` for each difference.
#[test]
fn committed_crates_do_not_drift() {
    let output = cargo()
        .args([
            "run",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "codegen",
            "--check",
        ])
        .output()
        .expect("run cargo xtask codegen --check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let drifting: Vec<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("drifts: "))
        .collect();
    assert!(
        drifting.is_empty(),
        "generated/ differs from what `cargo xtask codegen` produces; drifting files: {drifting:?}\n\
         (run `cargo xtask codegen` and commit the result)\n{}",
        describe(&output)
    );
    assert!(
        output.status.success(),
        "`cargo xtask codegen --check` failed without naming a drifting file (does xtask build, \
         do the documents generate?)\n{}",
        describe(&output)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("generated/ is up to date"),
        "`cargo xtask codegen --check` did not report the check\n{}",
        describe(&output)
    );
}
