//! Running commands and reading their numbers: timed samples, medians, cargo, the machine.

use super::*;

/// One measured child process.
#[derive(Clone, Copy)]
pub(super) struct Sample {
    pub(super) wall: Duration,
    pub(super) rss_kb: u64,
    pub(super) ok: bool,
}

/// Runs `command` under `zoomgen-bench measure`.
pub(super) fn measure(tools: &Tools, command: &[String]) -> Result<Sample, String> {
    let output = Command::new(&tools.bench)
        .arg("measure")
        .arg("--")
        .args(command)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", tools.bench.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let values = key_values(&stdout);
    let number = |key: &str| -> Result<i64, String> {
        values.get(key).and_then(|v| v.parse().ok()).ok_or_else(|| {
            format!(
                "zoomgen-bench measure printed no {key}: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
    };
    Ok(Sample {
        wall: Duration::from_nanos(number("wall_ns")?.max(0) as u64),
        rss_kb: number("maxrss_kb")?.max(0) as u64,
        ok: number("status")? == 0,
    })
}

/// Medians of the successful samples; `None` when none succeeded.
pub(super) fn medians(samples: &[Sample]) -> Option<(Duration, u64)> {
    let ok: Vec<&Sample> = samples.iter().filter(|s| s.ok).collect();
    if ok.is_empty() {
        return None;
    }
    let mut walls: Vec<Duration> = ok.iter().map(|s| s.wall).collect();
    let mut rss: Vec<u64> = ok.iter().map(|s| s.rss_kb).collect();
    Some((median(&mut walls), median(&mut rss)))
}

pub(super) fn median<T: Ord + Copy + Default>(values: &mut [T]) -> T {
    values.sort();
    values
        .get(values.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or_default()
}

pub(super) fn bench_values(bench: &Path, args: &[&str]) -> Result<HashMap<String, String>, String> {
    let output = Command::new(bench)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bench.display()))?;
    if !output.status.success() {
        return Err(format!(
            "zoomgen-bench {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(key_values(&String::from_utf8_lossy(&output.stdout)))
}

/// `key value` lines.
pub(super) fn key_values(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
        .collect()
}

pub(super) fn cargo(
    root: &Path,
    args: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<(), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo {}` failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

pub(super) fn progress(what: &str) {
    eprintln!("==> {what}");
}

/// `progress` of run `run` (from 0) of `runs` of `what`.
pub(super) fn progress_of_run(what: &str, run: usize, runs: usize) {
    progress(&format!("{what} ({}/{runs})", run + 1));
}

pub(super) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

/// CPU model, cores, memory and compiler, as the README's benchmark section describes them.
pub(super) fn machine(root: &Path) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.0} GiB", kb / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown memory".into());
    let rustc = Command::new("rustc")
        .arg("-V")
        .current_dir(root)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("Machine: {cpu}, {cores} cores (nproc), {memory} RAM; {rustc}.")
}
