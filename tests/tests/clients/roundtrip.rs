//! Round trip of every request, response and webhook schema of every document in `spec/`
//! through the committed client crates (feature `conformance`): instances from the document's
//! examples and from a fixed seed are decoded into the generated type, encoded again and
//! compared with `json_equivalent`. The official documents go the same way through `cargo
//! xtask verify`.

use std::path::Path;

use zoomgen::verify::{Outcome, TargetKind};
use zoomgen::{ApiInput, Profile};

/// Random instances per schema (with the examples, a few thousand cases in all).
const RANDOM_PER_SCHEMA: usize = 8;

type Module = fn(&TargetKind, &str, &[u8]) -> Outcome;

macro_rules! module {
    ($path:path) => {{
        fn roundtrip(kind: &TargetKind, name: &str, body: &[u8]) -> Outcome {
            use $path as c;
            match kind {
                TargetKind::Request => c::roundtrip_request(name, body),
                TargetKind::Response { status } => c::roundtrip_response(name, status, body),
                TargetKind::Event => c::roundtrip_event(name, body),
                TargetKind::Error { .. } => Some(
                    zoomgen_runtime::__private::conformance::roundtrip_error(body),
                ),
            }
        }
        roundtrip as Module
    }};
}

/// Every document of `spec/`, the API module of the committed crate it is generated into.
fn documents() -> Vec<(&'static str, &'static str, Profile, Module)> {
    vec![
        (
            "spec/zoom-meetings.yaml",
            "meetings",
            Profile::Zoom,
            module!(zoom_client::meetings::conformance),
        ),
        (
            "spec/zoom-videosdk.yaml",
            "videosdk",
            Profile::Zoom,
            module!(zoom_client::videosdk::conformance),
        ),
        (
            "spec/zoom-meetings-webhooks.yaml",
            "meeting_events",
            Profile::Zoom,
            module!(zoom_client::meeting_events::conformance),
        ),
        (
            "spec/zoom-videosdk-webhooks.yaml",
            "videosdk_events",
            Profile::Zoom,
            module!(zoom_client::videosdk_events::conformance),
        ),
        (
            "spec/webex-recordings.yaml",
            "meetings",
            Profile::Webex,
            module!(webex_client::meetings::conformance),
        ),
    ]
}

fn round_trip(
    spec: &str,
    module: &str,
    profile: Profile,
    roundtrip: Module,
) -> zoomgen::verify::Report {
    let path = zoomgen_tests::root().join(spec);
    let prepared = zoomgen::prepare(&ApiInput::new(path.clone(), module, profile))
        .unwrap_or_else(|e| panic!("{spec} does not generate: {e}"));
    let doc = zoomgen::load::load(&path).unwrap_or_else(|e| panic!("{spec} does not load: {e}"));
    let plan = zoomgen::verify::plan(&doc.raw, &prepared.api, &doc.webhooks, RANDOM_PER_SCHEMA);
    let outcomes: Vec<Outcome> = plan
        .cases
        .iter()
        .map(|case| {
            let target = &plan.targets[case.target];
            let body = case.body.to_string();
            roundtrip(&target.kind, &target.name, body.as_bytes())
        })
        .collect();
    zoomgen::verify::judge(spec, &plan, &outcomes)
}

#[test]
fn every_schema_of_every_spec_document_round_trips() {
    let mut failures = Vec::new();
    for (spec, module, profile, roundtrip) in documents() {
        let report = round_trip(spec, module, profile, roundtrip);
        println!("{}", report.summary());
        if !report.passed() || report.coverage() <= 95.0 {
            failures.push(report.details());
        }
    }
    assert!(
        failures.is_empty(),
        "round trips failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_spec_document_is_round_tripped() {
    let listed: Vec<&str> = documents().iter().map(|(spec, ..)| *spec).collect();
    let dir = zoomgen_tests::root().join("spec");
    let mut missing = Vec::new();
    for entry in
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
    {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        // Settings files (`*.zoomgen.toml`) sit beside the documents.
        if path.extension().is_some_and(|e| e == "toml") {
            continue;
        }
        let relative = Path::new("spec").join(path.file_name().unwrap_or_default());
        let relative = relative.to_string_lossy().into_owned();
        if !listed.contains(&relative.as_str()) {
            missing.push(relative);
        }
    }
    assert!(
        missing.is_empty(),
        "documents in spec/ without a round trip: {missing:?}"
    );
}
