//! Peer generators (`cargo-progenitor`, openapi-generator): found on `PATH`, never installed.

use super::*;

/// A peer generator found on `PATH`.
pub(super) struct Peer {
    pub(super) name: &'static str,
    pub(super) program: PathBuf,
}

impl Peer {
    /// Each peer: its name and the programs that run it.
    pub(super) const ALL: &[(&'static str, &'static [&'static str])] = &[
        ("cargo-progenitor", &["cargo-progenitor"]),
        (
            "openapi-generator",
            &["openapi-generator-cli", "openapi-generator"],
        ),
    ];

    pub(super) fn find() -> Vec<Peer> {
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
    pub(super) fn command(&self, spec: &Path, out: &Path, crate_name: &str) -> Vec<String> {
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
pub(super) fn peers_dir() -> PathBuf {
    std::env::temp_dir().join("zoomgen-bench-peers")
}

pub(super) fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

/// A peer's crate generated from one document, to check beside ours.
pub(super) struct PeerOutput {
    pub(super) peer: &'static str,
    /// The document's file name (`zoom-videosdk.json`).
    pub(super) document: String,
    pub(super) dir: PathBuf,
}

/// Each peer's output beside our crate of the same document, checked alternately. The target
/// is about `zoom-meetings.json`; the other documents a peer generates are shown beside it.
pub(super) fn peers_compile(
    options: &Options,
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
        table.row(Row {
            measure: &format!("check {MEETINGS} crate vs peers' output"),
            beside: "no peer installed generated it",
            target: TARGET,
            met: "n/a",
            ..Row::default()
        });
    }
    let check_target = crate::target_dir().join("bench-check");
    let peer_target = crate::target_dir().join("bench-peers");
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
            table.row(Row {
                measure: &label,
                beside: &format!("does not compile: {first}"),
                target,
                met: "n/a",
                ..Row::default()
            });
            continue;
        }
        let mut our_samples = Vec::new();
        let mut their_samples = Vec::new();
        for run in 0..options.check_runs {
            progress_of_run(
                &format!("cargo check: {} and ours", theirs.label),
                run,
                options.check_runs,
            );
            if let Ok(time) = check(our_crate, &check_target, None) {
                our_samples.push(time);
            }
            if let Ok(time) = check(&theirs, &peer_target, None) {
                their_samples.push(time);
            }
        }
        if our_samples.is_empty() || their_samples.is_empty() {
            table.row(Row {
                measure: &label,
                beside: "a check failed on a rerun",
                target,
                met: "n/a",
                ..Row::default()
            });
            continue;
        }
        let (ours, theirs) = (median(&mut our_samples), median(&mut their_samples));
        let r = ratio(ours.as_secs_f64(), theirs.as_secs_f64());
        table.row(Row {
            measure: &label,
            ours: &format!(
                "{} ({} lines)",
                secs(ours),
                count_lines(&our_crate.dir.join("src"))
            ),
            beside: &format!(
                "{} ({} lines)",
                secs(theirs),
                count_lines(&output.dir.join("src"))
            ),
            ratio: &times(r),
            target,
            met: if target.is_empty() { "" } else { met(r < 1.0) },
        });
    }
}
