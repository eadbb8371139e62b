//! Round-trip verification of generated types against a document: which bodies to try
//! ([`targets`]), instances built from the document's examples ([`examples`]) and random valid
//! ones ([`random`]), and the judgement of what a generated `conformance` module gave back
//! ([`compare`]).
//!
//! This lives in the library rather than in a test so that the `spec/` test, `cargo xtask
//! verify` (official documents, through a driver binary) and `cargo xtask conformance` (a
//! user's folder of bodies) plan and judge in one way.

pub mod compare;
pub mod examples;
pub mod random;
pub mod targets;
pub mod undocumented;

use std::fmt::Write as _;

use serde_json::Value;

pub use compare::json_equivalent;
pub use examples::Skipped;
pub use targets::{Target, TargetKind, Targets};
pub use undocumented::undocumented;

use crate::ir::Api;
use crate::load::WebhookSource;

/// The fixed seed of random instances: the same bodies on every run.
pub const SEED: u64 = 0x5EED_2024;

/// One body to round-trip.
#[derive(Debug, Clone)]
pub struct Case {
    /// Index into [`Plan::targets`].
    pub target: usize,
    /// Where the instance comes from: a JSON pointer of an example, or `random #n`.
    pub origin: String,
    pub body: Value,
}

/// What to round-trip for one document.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub targets: Vec<Target>,
    pub not_json: Vec<(String, String)>,
    pub cases: Vec<Case>,
    /// Examples that do not fit their schema (reported, not used).
    pub skipped: Vec<Skipped>,
    /// Targets with at least one instance from the document's examples.
    pub with_examples: usize,
}

/// Plans the round trips of a document: its example instances and `random_count` random
/// instances per target, from [`SEED`].
pub fn plan(raw: &Value, api: &Api, webhooks: &[WebhookSource], random_count: usize) -> Plan {
    let Targets { targets, not_json } = targets::targets(raw, api, webhooks);
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    let mut with_examples = 0;
    for (index, target) in targets.iter().enumerate() {
        let mut rng = random::Rng::new(SEED ^ index as u64);
        let found = examples::examples(raw, api, target, &mut rng);
        if !found.instances.is_empty() {
            with_examples += 1;
        }
        skipped.extend(found.skipped);
        for (origin, body) in found.instances {
            cases.push(Case {
                target: index,
                origin,
                body,
            });
        }
        for n in 0..random_count {
            cases.push(Case {
                target: index,
                origin: format!("random #{n}"),
                body: random::instance(api, &target.ty, &mut rng),
            });
        }
    }
    skipped.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    skipped.dedup();
    Plan {
        targets,
        not_json,
        cases,
        skipped,
        with_examples,
    }
}

/// What a generated `conformance` function said of one case: `None` when it does not know the
/// target, else the re-encoded body or the decode error.
pub type Outcome = Option<Result<Value, String>>;

/// The judgement of a plan's outcomes.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub document: String,
    pub total: usize,
    /// Targets some case reached the generated type of.
    pub exercised: usize,
    pub cases: usize,
    /// `target schema pointer (label, origin): what went wrong`, one per failing case.
    pub failures: Vec<String>,
    /// Targets the generated module did not know.
    pub unknown: Vec<String>,
    pub with_examples: usize,
    pub skipped: Vec<Skipped>,
    pub not_json: usize,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.unknown.is_empty()
    }

    /// Exercised schemas as a percentage of all.
    pub fn coverage(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.exercised as f64 * 100.0 / self.total as f64
        }
    }

    /// One line: document, coverage, cases, failures.
    pub fn summary(&self) -> String {
        format!(
            "{}: {}/{} schemas exercised ({:.1}%), {} with example instances, {} cases, {} failed; \
             {} examples skipped as not fitting their schema; {} non-JSON bodies not counted",
            self.document,
            self.exercised,
            self.total,
            self.coverage(),
            self.with_examples,
            self.cases,
            self.failures.len(),
            self.skipped.len(),
            self.not_json,
        )
    }

    /// The summary, every failure and unknown target, and the skipped examples.
    pub fn details(&self) -> String {
        let mut out = self.summary();
        for failure in &self.failures {
            let _ = write!(out, "\n  FAILED {failure}");
        }
        for unknown in &self.unknown {
            let _ = write!(
                out,
                "\n  NOT EXERCISED {unknown}: the generated module has no such body"
            );
        }
        for skipped in &self.skipped {
            let _ = write!(
                out,
                "\n  skipped example #{}: {}",
                skipped.pointer, skipped.reason
            );
        }
        out
    }
}

/// Judges `outcomes` (one per case of `plan`, in order) with [`json_equivalent`].
pub fn judge(document: &str, plan: &Plan, outcomes: &[Outcome]) -> Report {
    let mut exercised = vec![false; plan.targets.len()];
    let mut unknown = vec![false; plan.targets.len()];
    let mut failures = Vec::new();
    for (case, outcome) in plan.cases.iter().zip(outcomes) {
        let Some(target) = plan.targets.get(case.target) else {
            continue;
        };
        let at = format!(
            "#{} ({}, {})",
            target.schema_pointer,
            target.label(),
            case.origin
        );
        match outcome {
            None => unknown[case.target] = true,
            Some(Err(error)) => {
                exercised[case.target] = true;
                failures.push(format!(
                    "{at}: does not decode: {error}; body {}",
                    case.body
                ));
            }
            Some(Ok(reencoded)) => {
                exercised[case.target] = true;
                if let Err(differences) = json_equivalent(&case.body, reencoded) {
                    failures.push(format!(
                        "{at}: {}; body {}",
                        differences.join("; "),
                        case.body
                    ));
                }
            }
        }
    }
    if outcomes.len() < plan.cases.len() {
        failures.push(format!(
            "the driver answered {} of {} cases",
            outcomes.len(),
            plan.cases.len()
        ));
    }
    Report {
        document: document.to_owned(),
        total: plan.targets.len(),
        exercised: exercised.iter().filter(|e| **e).count(),
        cases: plan.cases.len(),
        failures,
        unknown: plan
            .targets
            .iter()
            .zip(&unknown)
            .filter(|(_, u)| **u)
            .map(|(t, _)| format!("#{} ({})", t.schema_pointer, t.label()))
            .collect(),
        with_examples: plan.with_examples,
        skipped: plan.skipped.clone(),
        not_json: plan.not_json.len(),
    }
}
