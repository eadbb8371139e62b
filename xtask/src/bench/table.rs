//! The one table the bench prints, and how its cells read.

use super::*;

/// One row of the table; cells left out are empty.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Row<'a> {
    /// What is measured.
    pub(super) measure: &'a str,
    /// Our number.
    pub(super) ours: &'a str,
    /// The floor, peer or baseline beside it.
    pub(super) beside: &'a str,
    /// Ours over the other.
    pub(super) ratio: &'a str,
    /// What the issue asks for.
    pub(super) target: &'a str,
    /// Whether the target is met.
    pub(super) met: &'a str,
}

pub(super) fn ratio(ours: f64, theirs: f64) -> f64 {
    if theirs > 0.0 {
        ours / theirs
    } else {
        f64::NAN
    }
}

pub(super) fn times(ratio: f64) -> String {
    if ratio.is_finite() {
        format!("{ratio:.2}×")
    } else {
        String::new()
    }
}

pub(super) fn met(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

pub(super) fn ms(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1e3)
}

pub(super) fn secs(time: Duration) -> String {
    format!("{:.2} s", time.as_secs_f64())
}

pub(super) fn mib(kb: u64) -> String {
    format!("{:.0} MiB", kb as f64 / 1024.0)
}

/// The markdown table, with section rows and notes.
#[derive(Default)]
pub(super) struct Table {
    pub(super) rows: Vec<[String; 6]>,
    pub(super) notes: Vec<String>,
}

impl Table {
    pub(super) fn section(&mut self, title: &str) {
        self.rows.push([
            format!("**{title}**"),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }

    pub(super) fn row(&mut self, row: Row<'_>) {
        let Row {
            measure,
            ours,
            beside,
            ratio,
            target,
            met,
        } = row;
        self.rows.push(
            [measure, ours, beside, ratio, target, met]
                .map(|cell| cell.replace('|', "\\|").replace('\n', " ")),
        );
    }

    pub(super) fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    pub(super) fn render(&self) -> String {
        let mut out = String::new();
        for note in &self.notes {
            let _ = writeln!(out, "- {note}");
        }
        if !self.notes.is_empty() {
            out.push('\n');
        }
        out.push_str("| measure | ours | floor / peer | ratio | target | met? |\n");
        out.push_str("|---|---:|---:|---:|---|---|\n");
        for row in &self.rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out
    }
}
