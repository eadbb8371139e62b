//! Generation time and memory of every document beside a bare parse, and where it goes.

use super::*;

/// Generation rows; returns the output directories of what peers generated.
pub(super) fn generation(
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
    for doc in documents(specs)? {
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
            table.row(Row {
                measure: &format!("generate {}", doc.name),
                ours: "failed",
                ..Row::default()
            });
            continue;
        };
        let (floor_wall, floor_rss) = medians(&floor).unwrap_or_default();
        // The documents a target names: Meetings (issue 8) and Phone, the largest (issue 14).
        let is_meetings = matches!(doc.name.as_str(), "zoom-meetings.json" | "zoom-phone.json");
        let wall_ratio = ratio(ours_wall.as_secs_f64(), floor_wall.as_secs_f64());
        table.row(Row {
            measure: &format!("generate {}: wall", doc.name),
            ours: &ms(ours_wall),
            beside: &format!("parse {}", ms(floor_wall)),
            ratio: &times(wall_ratio),
            target: if is_meetings { "≤ 10× parse" } else { "" },
            met: if is_meetings {
                met(wall_ratio <= 10.0)
            } else {
                ""
            },
        });
        table.row(Row {
            measure: &format!("generate {}: peak RSS", doc.name),
            ours: &mib(ours_rss),
            beside: &format!("parse {}", mib(floor_rss)),
            ratio: &times(ratio(ours_rss as f64, floor_rss as f64)),
            ..Row::default()
        });
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
                    table.row(Row {
                        measure: &format!("generate {}: wall vs {name}", doc.name),
                        ours: &ms(ours_wall),
                        beside: &format!("{} ({})", ms(peer_wall), mib(peer_rss)),
                        ratio: &times(r),
                        target,
                        met: if target.is_empty() {
                            ""
                        } else {
                            met(r <= 0.10)
                        },
                    });
                    peer_outputs.push(PeerOutput {
                        peer: name,
                        document: doc.name.clone(),
                        dir: peers_dir().join(*name).join(stem),
                    });
                }
                Some(None) => table.row(Row {
                    measure: &format!("generate {}: wall vs {name}", doc.name),
                    ours: &ms(ours_wall),
                    beside: &format!("{name} failed"),
                    target,
                    ..Row::default()
                }),
                None if is_meetings && is_openapi_generator => {
                    let quoted = OPENAPI_GENERATOR_QUOTED;
                    let r = ratio(ours_wall.as_secs_f64(), quoted.as_secs_f64());
                    table.row(Row {
                        measure: &format!("generate {}: wall vs {name}", doc.name),
                        ours: &ms(ours_wall),
                        beside: &format!("not installed; {} quoted in the issue", ms(quoted)),
                        ratio: &times(r),
                        target,
                        met: if r <= 0.10 {
                            "yes (vs quoted)"
                        } else {
                            "no (vs quoted)"
                        },
                    });
                }
                None if is_meetings => table.row(Row {
                    measure: &format!("generate {}: wall vs {name}", doc.name),
                    ours: &ms(ours_wall),
                    beside: "not installed",
                    ..Row::default()
                }),
                None => {}
            }
        }
    }
    Ok(peer_outputs)
}

/// In-process stage timings of the largest Zoom document: where generation time goes.
pub(super) fn stages(
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
        table.row(Row {
            measure: &format!("stage: {what}"),
            ours: &ms(time),
            ratio: &format!(
                "{:.0}%",
                100.0 * ratio(time.as_secs_f64(), total.as_secs_f64())
            ),
            ..Row::default()
        });
    }
    Ok(())
}
