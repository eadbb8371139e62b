//! `cargo xtask verify`: the round trip of every request, response and webhook schema of every
//! official document in `../shared/specs`, through the crates generated from them.
//!
//! Each document is generated into a standalone crate under `target/verify/`, one driver
//! binary links them all (feature `conformance`, no tag features), and the instances that
//! [`zoomgen::verify::plan`] builds from the document's examples and from a fixed seed go
//! through it. Coverage and every failure, with the JSON pointer of its schema, are printed;
//! the full report, with the examples skipped as not fitting their schema, is written to
//! `target/verify/report.txt`.

use std::path::Path;

use zoomgen::verify::{Plan, Report};
use zoomgen::{Generated, Profile};

use crate::driver::{self, Linked, Request};
use crate::official::{DOCUMENTS, specs_dir};

/// Random instances per schema: with the examples, enough to reach every optional field of
/// most types several times while keeping the whole run to a few minutes on two cores.
const RANDOM_PER_SCHEMA: usize = 12;

/// Coverage below this fails the run.
const MIN_COVERAGE: f64 = 95.0;

pub fn run() -> Result<(), String> {
    let specs = specs_dir()?;
    let out_root = crate::target_dir().join("verify");
    let mut documents = Vec::new();
    let mut failures = Vec::new();
    for (file, profile) in DOCUMENTS {
        let stem = file.trim_end_matches(".json");
        let spec = specs.join(file);
        match generate(&spec, &out_root.join(stem), stem, *profile) {
            Ok((generated, linked)) => documents.push((file, spec, generated, linked)),
            Err(message) => failures.push(format!("{file}: generation failed: {message}")),
        }
    }
    let linked: Vec<Linked> = documents
        .iter()
        .map(|(_, _, _, l)| Linked {
            dir: l.dir.clone(),
            package: l.package.clone(),
            module: l.module.clone(),
            webhooks: l.webhooks,
        })
        .collect();
    let binary = driver::build(&out_root.join("driver"), "zoomgen-verify-driver", &linked)?;
    let mut report_text = String::new();
    for (file, spec, generated, linked) in &documents {
        let report = verify_document(&binary, file, spec, generated, &linked.module)?;
        println!("{}", report.summary());
        for failure in report.failures.iter().take(20) {
            println!("  FAILED {failure}");
        }
        if report.failures.len() > 20 {
            println!(
                "  … {} more in target/verify/report.txt",
                report.failures.len() - 20
            );
        }
        for unknown in &report.unknown {
            println!("  NOT EXERCISED {unknown}");
        }
        report_text.push_str(&report.details());
        report_text.push('\n');
        if !report.passed() {
            failures.push(format!(
                "{file}: {} round trip(s) failed, {} schema(s) the generated crate has no round trip for",
                report.failures.len(),
                report.unknown.len()
            ));
        }
        if report.coverage() <= MIN_COVERAGE {
            failures.push(format!(
                "{file}: coverage {:.1}% is not above {MIN_COVERAGE}%",
                report.coverage()
            ));
        }
    }
    let report_path = out_root.join("report.txt");
    std::fs::write(&report_path, report_text)
        .map_err(|e| format!("cannot write {}: {e}", report_path.display()))?;
    crate::outcome(
        &failures,
        &format!(
            "round trip passes for every exercised schema of the {} official documents (report: target/verify/report.txt)",
            DOCUMENTS.len()
        ),
    )
}

/// Plans, runs through the driver and judges one document.
fn verify_document(
    binary: &Path,
    file: &str,
    spec: &Path,
    generated: &Generated,
    module: &str,
) -> Result<Report, String> {
    let doc = zoomgen::load::load(spec).map_err(|e| e.to_string())?;
    let api = &generated
        .apis
        .first()
        .ok_or("the generated crate has no API")?
        .api;
    let plan: Plan = zoomgen::verify::plan(&doc.raw, api, &doc.webhooks, RANDOM_PER_SCHEMA);
    let requests: Vec<Request<'_>> = plan
        .cases
        .iter()
        .filter_map(|case| {
            let target = plan.targets.get(case.target)?;
            Some(Request {
                module,
                kind: &target.kind,
                name: &target.name,
                body: case.body.to_string(),
            })
        })
        .collect();
    let outcomes = driver::run(binary, &requests)?;
    Ok(zoomgen::verify::judge(file, &plan, &outcomes))
}

/// The generated crate of one document, written to `out`, and how the driver links it.
pub fn generate(
    spec: &Path,
    out: &Path,
    stem: &str,
    profile: Profile,
) -> Result<(Generated, Linked), String> {
    let crate::codegen::Standalone {
        package,
        module,
        generated,
    } = crate::codegen::standalone(
        spec,
        None,
        profile,
        format!("Client of {stem}, generated by zoomgen for round-trip checks."),
        "cargo xtask verify".into(),
    )?;
    // Rewriting unchanged files would make cargo rebuild the crate.
    if !zoomgen::output::drift(out, &generated.files).is_empty() {
        zoomgen::output::write_crate(out, &generated.files).map_err(|e| e.to_string())?;
    }
    let webhooks = generated
        .apis
        .first()
        .is_some_and(|p| !p.api.webhooks.is_empty());
    Ok((
        generated,
        Linked {
            dir: out.to_owned(),
            package,
            module,
            webhooks,
        },
    ))
}
