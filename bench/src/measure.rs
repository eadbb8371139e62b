//! `measure -- CMD ARGS...`: one child's wall time and peak resident set size.
//!
//! This process starts exactly one child and waits for it, so `getrusage(RUSAGE_CHILDREN)` is
//! that child's (and its own waited-for descendants') peak memory, with nothing else mixed in.

use std::process::{Command, Stdio};
use std::time::Instant;

pub fn run(command: &[String]) -> Result<(), String> {
    let Some((program, rest)) = command.split_first() else {
        return Err("measure needs a command after `--`".to_owned());
    };
    let started = Instant::now();
    let output = Command::new(program)
        .args(rest)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let wall = started.elapsed();
    let status = output.status.code().unwrap_or(-1);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        for line in tail.into_iter().rev() {
            eprintln!("{program}: {line}");
        }
    }
    println!("wall_ns {}", wall.as_nanos());
    println!("maxrss_kb {}", children_max_rss_kb());
    println!("status {status}");
    Ok(())
}

/// `ru_maxrss` of the waited-for children, in KiB (Linux reports kilobytes).
fn children_max_rss_kb() -> i64 {
    // SAFETY: `usage` is a plain C struct that getrusage fills in; an all-zero value is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_CHILDREN with a valid pointer to a rusage struct.
    let result = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    if result == 0 { usage.ru_maxrss } else { -1 }
}
