//! The time limits of a call: connecting, each attempt, and the whole call.

use std::future::Future;
use std::time::Duration;

use crate::error::{Error, TimeoutKind};

/// Time limits; `None` disables one. `per_attempt` covers sending and reading the whole
/// response of one attempt; `total` covers the whole call (token fetch, limiter waits,
/// attempts and backoff) and cuts it off with [`TimeoutKind::Total`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeouts {
    /// Applies only to the HTTP client the builder creates, not to one passed in.
    pub connect: Option<Duration>,
    pub per_attempt: Option<Duration>,
    pub total: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Some(Duration::from_secs(10)),
            per_attempt: Some(Duration::from_secs(60)),
            total: Some(Duration::from_secs(300)),
        }
    }
}

/// Runs `future`, failing with a timeout of `kind` once `limit` has passed.
pub(crate) async fn limit<T>(
    limit: Option<Duration>,
    operation: &'static str,
    kind: TimeoutKind,
    future: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    match limit {
        Some(limit) => tokio::time::timeout(limit, future)
            .await
            .unwrap_or(Err(Error::Timeout { operation, kind })),
        None => future.await,
    }
}
