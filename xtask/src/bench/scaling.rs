//! Generation as documents grow: copies of a real document, and hostile sizes.

use super::*;

/// Generation time of documents holding 1, 2 and 4 copies of `zoom-meetings.json`'s paths,
/// each copy's paths, operationIds and property names renamed so nothing merges: work
/// linear in the document's size shows as a time ratio close to the number of copies.
pub(super) fn scaling(
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
            table.row(Row {
                measure: &format!("generate ×{copies}"),
                ours: "failed",
                ..Row::default()
            });
            continue;
        };
        let r = one.map_or(0.0, |one| ratio(wall.as_secs_f64(), one.as_secs_f64()));
        let linear = *copies as f64;
        table.row(Row {
            measure: &format!("generate ×{copies} ({:.1} MB)", *bytes as f64 / 1e6),
            ours: &format!("{} ({})", ms(wall), mib(rss)),
            beside: &format!("×1 {}", one.map_or_else(String::new, ms)),
            ratio: &times(r),
            target: &format!("≈ {linear:.0}× (linear)"),
            met: if *copies == 1 {
                ""
            } else {
                met(r <= linear * 1.15)
            },
        });
    }
    Ok(())
}

/// Hostile sizes the generator must answer in seconds, generating or refusing: an enum of
/// 20,000 and 100,000 values (linear: about 5× apart) and schemas nested 5,000 and 50,000
/// levels (refused at once with a located error).
pub(super) fn hostile_scaling(
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
        table.row(Row {
            measure: what,
            ours: &format!(
                "{} ({})",
                ms(wall),
                if generated { "generated" } else { "refused" }
            ),
            target: "≤ 5 s",
            met: met(wall <= Duration::from_secs(5)),
            ..Row::default()
        });
    }
    Ok(())
}

/// `document` with its paths copied `copies` times: copy `n` under `/copy{n}`, with
/// operationIds and the names of all properties suffixed so no type merges with another copy's.
pub(super) fn copied_paths(document: &serde_json::Value, copies: usize) -> serde_json::Value {
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

pub(super) fn rename_for_copy(value: &mut serde_json::Value, suffix: &str) {
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
