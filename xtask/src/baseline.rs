//! `cargo xtask bench --baseline DIR`: an earlier checkout of this repository measured beside
//! the current one in the same run, so a change's cost or saving is a ratio of two numbers
//! taken under the same load. DIR is a plain checkout (e.g. `git worktree add ../before
//! HEAD~1`); its generator, benchmark binary and runtime are built in its own target
//! directory, and nothing of it is copied here.

use std::path::{Path, PathBuf};
use std::process::Command;

use zoomgen::Profile;

/// The earlier checkout, built.
pub struct Baseline {
    /// What the table calls it: `baseline <short commit>`.
    pub label: String,
    pub dir: PathBuf,
    /// Its release `zoomgen` CLI and `zoomgen-bench`.
    pub zoomgen: PathBuf,
    pub bench: PathBuf,
    /// Its `zoomgen-runtime` crate (under `runtime/`, or `generated/runtime` before the move).
    pub runtime: PathBuf,
}

impl Baseline {
    /// Builds the checkout's generator and benchmark binary in release.
    pub fn build(dir: &Path) -> Result<Self, String> {
        let dir = dir
            .canonicalize()
            .map_err(|e| format!("--baseline {}: {e}", dir.display()))?;
        let runtime = ["runtime", "generated/runtime"]
            .iter()
            .map(|relative| dir.join(relative))
            .find(|path| path.join("Cargo.toml").is_file())
            .ok_or_else(|| {
                format!(
                    "--baseline {}: no zoomgen-runtime crate in it (is it a zoomgen checkout?)",
                    dir.display()
                )
            })?;
        let commit = Command::new("git")
            .args(["rev-parse", "--short", "HEAD"])
            .current_dir(&dir)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
            .unwrap_or_else(|| "checkout".to_owned());
        let target = dir.join("target");
        eprintln!("== building the baseline {commit} in {}", dir.display());
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "build",
                "--release",
                "--quiet",
                "-p",
                "zoomgen",
                "-p",
                "zoomgen-bench",
            ])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(|e| format!("cannot run cargo for the baseline: {e}"))?;
        if !status.success() {
            return Err(format!("building the baseline in {} failed", dir.display()));
        }
        Ok(Baseline {
            label: format!("baseline {commit}"),
            zoomgen: target.join("release/zoomgen"),
            bench: target.join("release/zoomgen-bench"),
            runtime,
            dir,
        })
    }

    /// Generates a crate from `spec` with the baseline's CLI, depending on its runtime.
    pub fn generate(
        &self,
        spec: &Path,
        out: &Path,
        name: &str,
        profile: Profile,
    ) -> Result<(), String> {
        let profile = match profile {
            Profile::Zoom => "zoom",
            Profile::Webex => "webex",
            Profile::None => "none",
        };
        let output = Command::new(&self.zoomgen)
            .arg("--spec")
            .arg(spec)
            .arg("--out")
            .arg(out)
            .args(["--name", name, "--profile", profile, "--runtime-path"])
            .arg(&self.runtime)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.zoomgen.display()))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "the {} generator failed on {}: {}",
                self.label,
                spec.display(),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }
}
