//! `cargo check` of each generated crate: whole, one tag alone, no tag; and the baseline.

use super::*;

/// The tag whose lone check is measured when a crate has it.
pub(super) const PREFERRED_TAG: &str = "cloud-recording";

/// A generated crate to check.
pub(super) struct Crate {
    pub(super) label: String,
    pub(super) dir: PathBuf,
    /// `-p NAME` inside the workspace, or `--manifest-path` of a standalone crate.
    pub(super) package: Option<&'static str>,
    /// The official document it was generated from, for the crates peers can make too.
    pub(super) document: Option<String>,
}

pub(super) fn compile(
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
    let check_target = crate::target_dir().join("bench-check");
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
                table.row(Row {
                    measure: &format!("check {file} crate"),
                    ours: "generation failed",
                    beside: &error,
                    ..Row::default()
                });
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
            table.row(Row {
                measure: &format!("check {}: whole, {lines} lines", krate.label),
                ours: "does not compile",
                beside: first,
                ..Row::default()
            });
            continue;
        }
        let mut whole = Vec::new();
        let mut alone = Vec::new();
        let mut bare = Vec::new();
        for run in 0..options.check_runs {
            progress_of_run(
                &format!("cargo check: {}", krate.label),
                run,
                options.check_runs,
            );
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
        table.row(Row {
            measure: &format!("check {}: whole, {lines} lines", krate.label),
            ours: &secs(whole),
            ..Row::default()
        });
        if let Some(tag) = &tag {
            let alone = median(&mut alone);
            let r = ratio(alone.as_secs_f64(), whole.as_secs_f64());
            let (target, verdict) = if tag_count > 1 {
                ("≤ 0.20× whole", met(r <= 0.20))
            } else {
                ("≤ 0.20× whole", "n/a (one tag)")
            };
            table.row(Row {
                measure: &format!(
                    "check {}: only `{tag}` (1 of {tag_count} tags)",
                    krate.label
                ),
                ours: &secs(alone),
                beside: &format!("whole {}", secs(whole)),
                ratio: &times(r),
                target,
                met: verdict,
            });
        }
        if !bare.is_empty() {
            let bare = median(&mut bare);
            table.row(Row {
                measure: &format!("check {}: no tag (shared types only)", krate.label),
                ours: &secs(bare),
                beside: &format!("whole {}", secs(whole)),
                ratio: &times(ratio(bare.as_secs_f64(), whole.as_secs_f64())),
                ..Row::default()
            });
        }
    }
    let baseline_client = crates
        .iter()
        .find(|krate| krate.label.starts_with("zoom-client (baseline"));
    optional_parts(options, &crates[0], baseline_client, &check_target, table)?;
    if let Some(baseline) = baseline {
        compare_with_baseline(baseline, root, &wholes, table);
    }
    peers_compile(options, &crates, peer_outputs, table);
    cold_build(root, work, peer_outputs, table)
}

/// What the test kit (`mock`) and the command line (`cli`) add to checking `zoom-client`,
/// beside its default build and, with `--baseline`, the baseline's default build, the runs
/// alternated: their absence costs nothing when the two default builds match.
fn optional_parts(
    options: &Options,
    krate: &Crate,
    baseline: Option<&Crate>,
    target: &Path,
    table: &mut Table,
) -> Result<(), String> {
    let features = |list: &str| vec!["--features".to_owned(), list.to_owned()];
    // The baseline, another workspace, checks in a target folder of its own: sharing one made
    // the check after each switch of workspace slower.
    let baseline_target = target.with_file_name("bench-check-baseline");
    let mut variants: Vec<(String, &Crate, Vec<String>, &Path)> = vec![
        ("default features".into(), krate, Vec::new(), target),
        ("+ mock".into(), krate, features("mock"), target),
        ("+ cli".into(), krate, features("cli"), target),
        ("+ mock + cli".into(), krate, features("mock,cli"), target),
    ];
    if let Some(baseline) = baseline {
        variants.push((
            format!("default features, {}", baseline.label),
            baseline,
            Vec::new(),
            &baseline_target,
        ));
    }
    for (name, krate, features, target) in &variants {
        progress(&format!("cargo check: zoom-client, {name} (warm-up)"));
        check_with(krate, target, features.clone())?;
    }
    let mut runs_of: Vec<Vec<Duration>> = vec![Vec::new(); variants.len()];
    for run in 0..options.check_runs {
        progress_of_run(
            "cargo check: zoom-client with mock and cli",
            run,
            options.check_runs,
        );
        for ((_, krate, features, target), runs) in variants.iter().zip(&mut runs_of) {
            runs.push(check_with(krate, target, features.clone())?);
        }
    }
    let medians: Vec<Duration> = runs_of.iter_mut().map(|runs| median(runs)).collect();
    let default = medians[0];
    // The optional parts beside the default build; the baseline has a row of its own below.
    for ((name, _, _, _), time) in variants.iter().zip(&medians).take(4).skip(1) {
        table.row(Row {
            measure: &format!("check zoom-client, {name}"),
            ours: &secs(*time),
            beside: &format!("default features {}", secs(default)),
            ratio: &times(ratio(time.as_secs_f64(), default.as_secs_f64())),
            ..Row::default()
        });
    }
    if let (Some(baseline), Some(theirs)) = (baseline, medians.get(4)) {
        table.row(Row {
            measure: "check zoom-client, default features, beside the baseline (alternated)",
            ours: &secs(default),
            beside: &format!("{} {}", baseline.label, secs(*theirs)),
            ratio: &times(ratio(default.as_secs_f64(), theirs.as_secs_f64())),
            target: "≤ 1.00× within noise (issue 34)",
            ..Row::default()
        });
    }
    Ok(())
}

/// The cold `cargo build` of a downstream app that uses one tag of `zoom-client`: every
/// dependency compiled from nothing, as a new project or a CI cache miss sees it.
fn cold_build(
    root: &Path,
    work: &Path,
    peer_outputs: &[PeerOutput],
    table: &mut Table,
) -> Result<(), String> {
    table.section(
        "cold build (cargo build of a new downstream app, empty target directory, one run)",
    );
    let app = work.join("cold-app");
    std::fs::create_dir_all(app.join("src")).map_err(|e| format!("{}: {e}", app.display()))?;
    let client = root.join("generated/zoom").display().to_string();
    let manifest = format!(
        "[package]\nname = \"cold-app\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nzoom-client = {{ path = {client:?}, default-features = false, features = [\"meetings-cloud-recording\"] }}\n\
         tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n\n[workspace]\n"
    );
    let main = "use zoom_client::{Credentials, meetings::Client};\n\n\
                #[tokio::main(flavor = \"current_thread\")]\nasync fn main() {\n    \
                let client = Client::new(Client::DEFAULT_BASE_URL, Credentials::bearer(\"t\")).unwrap();\n    \
                let _ = client.recordings_list(\"me\").send().await;\n}\n";
    for (file, text) in [("Cargo.toml", manifest.as_str()), ("src/main.rs", main)] {
        std::fs::write(app.join(file), text).map_err(|e| format!("{file}: {e}"))?;
    }
    // The workspace's lock: the same versions as every other row, none fetched anew.
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let target = work.join("cold-target");
    let _ = std::fs::remove_dir_all(&target);
    progress("cold build of a one-tag downstream app");
    let started = Instant::now();
    cargo(
        &app,
        &["build", "--quiet", "--offline"],
        &[("CARGO_TARGET_DIR", target.as_os_str())],
    )?;
    let ours = started.elapsed();
    let crates = std::fs::read_dir(target.join("debug/deps"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "rlib"))
                .count()
        })
        .unwrap_or(0);
    // Building an app on progenitor's output needs its own app and dependencies; the row says
    // whether that output exists rather than pretending to a comparison.
    let peer = peer_outputs
        .iter()
        .find(|p| p.peer.contains("progenitor"))
        .map_or("progenitor not installed".to_owned(), |p| {
            format!("progenitor's {} crate: not measured", p.document)
        });
    table.row(Row {
        measure: &format!(
            "cold build: app using zoom-client's meetings-cloud-recording ({crates} crates)"
        ),
        ours: &secs(ours),
        beside: &peer,
        ..Row::default()
    });
    let _ = std::fs::remove_dir_all(&target);
    Ok(())
}

/// The crates the baseline generates of the documents its cost is compared on: Meetings (the
/// largest) and Video SDK.
pub(super) const BASELINE_DOCUMENTS: &[(&str, Profile)] = &[
    ("zoom-meetings.json", Profile::Zoom),
    ("zoom-videosdk.json", Profile::Zoom),
];

pub(super) fn baseline_crates(
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
            Err(error) => table.row(Row {
                measure: &format!("check {file} crate ({})", baseline.label),
                ours: "generation failed",
                beside: &error,
                ..Row::default()
            }),
        }
    }
    crates
}

/// Ours beside the baseline: check time of the official crates and lines of `zoom-client`.
pub(super) fn compare_with_baseline(
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
            table.row(Row {
                measure: &format!("check {file} crate, whole"),
                ours: &secs(*ours),
                beside: &format!("{} {}", baseline.label, secs(*theirs)),
                ratio: &times(r),
                target: "≤ 1.15× (issue 12), ≤ 0.80× (issue 17)",
                met: &format!("{} / {}", met(r <= 1.15), met(r <= 0.80)),
            });
        }
    }
    let ours = count_lines(&root.join("generated/zoom/src"));
    let theirs = count_lines(&baseline.dir.join("generated/zoom/src"));
    let r = ratio(ours as f64, theirs as f64);
    table.row(Row {
        measure: "generated lines of zoom-client (all features)",
        ours: &ours.to_string(),
        beside: &format!("{} {theirs}", baseline.label),
        ratio: &times(r),
        target: "≤ 0.80× (issue 17)",
        met: met(r <= 0.80),
    });
}

/// Time of one `cargo check` of `krate` after touching its lib.rs: with its default features
/// (`None`), with only the feature `tag`, or with none (`Some("")`).
pub(super) fn check(krate: &Crate, target: &Path, tag: Option<&str>) -> Result<Duration, String> {
    let features: Vec<String> = match tag {
        None => Vec::new(),
        Some("") => vec!["--no-default-features".into()],
        Some(tag) => vec![
            "--no-default-features".into(),
            "--features".into(),
            tag.into(),
        ],
    };
    check_with(krate, target, features)
}

/// `cargo check` of `krate` with `features` (cargo's feature flags), timed.
fn check_with(krate: &Crate, target: &Path, features: Vec<String>) -> Result<Duration, String> {
    touch(&krate.dir.join("src/lib.rs"))?;
    let mut args: Vec<String> = vec!["check".into(), "--quiet".into()];
    match krate.package {
        Some(package) => args.extend(["-p".into(), package.into()]),
        None => args.extend([
            "--manifest-path".into(),
            krate.dir.join("Cargo.toml").display().to_string(),
        ]),
    }
    args.extend(features);
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

pub(super) fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

/// Lines of every `.rs` file under `dir`.
pub(super) fn count_lines(dir: &Path) -> usize {
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
pub(super) fn pick_tag(manifest: &Path) -> (usize, Option<String>) {
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
