//! The time limits of a call: connecting, each attempt, and the whole call.
//!
//! Every limit races the limited future, pinned where its caller made it, against one timer
//! by reference ([`within`]): a combinator that took the future would move it (for an
//! attempt, reqwest's response future and the body read) again on every call.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::{Either, select};
use tokio::time::Instant;

use crate::error::{Error, TimeoutKind};

/// Time limits; `None` disables one. `per_attempt` covers sending and reading the whole
/// response of one attempt; `total` covers the whole call (token fetch, limiter waits,
/// attempts and backoff) and cuts it off with [`TimeoutKind::Total`].
///
/// The default: connect 10 s, each attempt 60 s, the whole call 300 s. Change it with the
/// `with_*` methods; the type is `#[non_exhaustive]`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Establishing a connection. Applies only to the HTTP client the builder creates, not to
    /// one passed in.
    pub connect: Option<Duration>,
    /// Sending one attempt and reading its whole response.
    pub per_attempt: Option<Duration>,
    /// The whole call: token, limiter waits, attempts and backoff.
    pub total: Option<Duration>,
}

impl Timeouts {
    /// No time limit at all.
    pub fn none() -> Self {
        Self {
            connect: None,
            per_attempt: None,
            total: None,
        }
    }

    setters! {
        /// The connect limit (`None`: none).
        fn with_connect(connect: Option<Duration>);

        /// The per-attempt limit (`None`: none).
        fn with_per_attempt(per_attempt: Option<Duration>);

        /// The limit of the whole call (`None`: none).
        fn with_total(total: Option<Duration>);
    }
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
    let deadline = limit.and_then(|limit| Instant::now().checked_add(limit));
    within(
        deadline.map(|at| (at, kind)),
        operation,
        std::pin::pin!(future),
    )
    .await
}

/// When a call that started at `started` runs out of its `total` limit.
pub(crate) fn call_deadline(total: Option<Duration>, started: Instant) -> Option<Instant> {
    total.and_then(|total| started.checked_add(total))
}

/// Runs `future` until the call's deadline, failing with [`TimeoutKind::Total`] after it.
/// What is ready at once (a cached token, a limiter with capacity) needs no timer.
pub(crate) async fn until<T>(
    deadline: Option<Instant>,
    operation: &'static str,
    future: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let mut future = std::pin::pin!(future);
    if let Some(ready) = (&mut future).now_or_never() {
        return ready;
    }
    within(
        deadline.map(|at| (at, TimeoutKind::Total)),
        operation,
        future,
    )
    .await
}

/// When one attempt that starts now must end, and which limit that is: its own
/// `per_attempt` limit or what is left of the call's deadline, whichever ends first, so that
/// one timer serves both (a timer costs a registration with the runtime's timer wheel, on
/// every request).
pub(crate) fn attempt_deadline(
    per_attempt: Option<Duration>,
    call_deadline: Option<Instant>,
) -> Option<(Instant, TimeoutKind)> {
    let attempt_deadline = per_attempt.and_then(|limit| Instant::now().checked_add(limit));
    match (attempt_deadline, call_deadline) {
        (Some(attempt), Some(call)) if call <= attempt => Some((call, TimeoutKind::Total)),
        (Some(attempt), _) => Some((attempt, TimeoutKind::Attempt)),
        (None, Some(call)) => Some((call, TimeoutKind::Total)),
        (None, None) => None,
    }
}

/// Runs `future` until `deadline`, failing with a timeout of its kind after it.
pub(crate) async fn within<T, F>(
    deadline: Option<(Instant, TimeoutKind)>,
    operation: &'static str,
    future: Pin<&mut F>,
) -> Result<T, Error>
where
    F: Future<Output = Result<T, Error>>,
{
    let Some((at, kind)) = deadline else {
        return future.await;
    };
    let expiry = std::pin::pin!(tokio::time::sleep_until(at));
    match select(future, expiry).await {
        Either::Left((outcome, _)) => outcome,
        Either::Right(((), _)) => Err(Error::Timeout { operation, kind }),
    }
}
