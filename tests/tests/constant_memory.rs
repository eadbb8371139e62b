//! A 50 MB recording download cut halfway resumes with a `Range` in constant memory. In a test
//! binary of its own: the measure is the process's peak resident memory, which tests running
//! beside it would raise.

use std::time::Duration;

use zoom_client::Credentials;
use zoom_client::runtime::{ApiClient, RetryConfig};
use zoomgen_test_support::file_server::{FileServer, holds};

const MB: u64 = 1024 * 1024;

/// The process's peak resident memory so far, in bytes (`VmHWM` of /proc/self/status).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

#[tokio::test]
async fn a_50_mb_download_cut_halfway_resumes_with_a_range_in_constant_memory() {
    let files = FileServer::start().await;
    let len = 50 * MB;
    files.add_file("/rec/download/big", len, 7);
    files.cut_next_after("/rec/download/big", len / 2);
    // A Zoom client that trusts the file server on 127.0.0.1, retrying with a short backoff.
    let client = ApiClient::builder("https://api.zoom.us/v2", Credentials::bearer("api-token"))
        .vendor(&zoom_client::runtime::vendor::zoom::ZOOM)
        .download_hosts(["127.0.0.1"])
        .retry(RetryConfig::default().with_initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("big.mp4");
    let mut last = (0, None);
    let mut calls = 0u64;
    let before = peak_rss();
    let done = client
        .download(&files.url("/rec/download/big"))
        .expected_size(len)
        .progress(|bytes, total| {
            assert!(bytes >= last.0 || bytes == 0);
            last = (bytes, total);
            calls += 1;
        })
        .to_path(&target)
        .await
        .unwrap();
    let growth = peak_rss().saturating_sub(before);
    assert!(growth < 16 * MB, "peak memory grew by {growth} bytes");
    assert_eq!(done.bytes, len);
    assert_eq!(last, (len, Some(len)));
    assert!(calls > 2);
    assert!(holds(&target, 7, len), "the file's bytes differ");
    let requests = files.requests_for("/rec/download/big");
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].range, None);
    let resumed_at: u64 = requests[1].range_start().unwrap();
    assert!(resumed_at > 0 && resumed_at <= len / 2, "{resumed_at}");
    // Each byte crossed the wire once: the resumed request fetched only the rest.
    assert_eq!(
        files.sent("/rec/download/big"),
        len / 2 + (len - resumed_at)
    );
    assert!(
        requests
            .iter()
            .all(|r| r.authorization.as_deref() == Some("Bearer api-token"))
    );
}
