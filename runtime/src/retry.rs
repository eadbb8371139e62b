//! When a failed attempt is retried, and how long to wait first.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};

use crate::error::{Error, TimeoutKind};

/// How failed attempts are retried. A 429 is retried for every method (the server did not
/// act on the request), waiting as long as `Retry-After` (or a daily limit's reset) asks.
/// A 408, 500, 502, 503 or 504, a lost connection and a per-attempt timeout are retried only
/// for idempotent calls, after an exponential backoff; connection failures before anything
/// was sent are retried for every method.
///
/// The default: 4 attempts, backoff from 200 ms doubling to at most 10 s with jitter, no retry
/// that would end more than 60 s after the call began, server-requested waits of up to 60 s
/// honoured, and POST/PATCH not repeated after a 5xx or a lost connection. Change it with the
/// `with_*` methods (`RetryConfig::default().with_max_attempts(6)`); the type is
/// `#[non_exhaustive]`, so a later setting is not a breaking change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The backoff before the first retry; each further one doubles, up to `max_backoff`.
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts.
    pub max_backoff: Duration,
    /// Adds a random 0–100 % to each backoff so that many clients do not retry in lockstep.
    pub jitter: bool,
    /// No retry is started whose wait would end later than this after the call began; the
    /// last error is returned instead (unlike `Timeouts::total`, which cuts a call off).
    pub max_total: Duration,
    /// The longest server-requested wait (`Retry-After`, a daily limit's reset) to honour; a
    /// longer one returns the 429 at once rather than blocking the caller for hours.
    pub max_retry_after: Duration,
    /// Retry non-idempotent calls (POST, PATCH) after 5xx and lost connections too.
    pub retry_non_idempotent: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            jitter: true,
            max_total: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryConfig {
    /// A single attempt: for calls whose caller handles failures itself.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    setters! {
        /// Attempts in all, the first included.
        fn with_max_attempts(max_attempts: u32);

        /// The backoff before the first retry.
        fn with_initial_backoff(initial_backoff: Duration);

        /// The longest backoff between two attempts.
        fn with_max_backoff(max_backoff: Duration);

        /// Whether backoffs get a random 0–100 % added.
        fn with_jitter(jitter: bool);

        /// No retry whose wait would end later than this after the call began.
        fn with_max_total(max_total: Duration);

        /// The longest server-requested wait honoured.
        fn with_max_retry_after(max_retry_after: Duration);

        /// Whether POST and PATCH are repeated after a 5xx or a lost connection too.
        fn with_retry_non_idempotent(retry_non_idempotent: bool);
    }

    /// The backoff delays for one call.
    fn backoff(&self) -> ExponentialBackoff {
        let builder = ExponentialBuilder::new()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(self.max_backoff)
            .without_max_times();
        if self.jitter {
            builder.with_jitter().build()
        } else {
            builder.build()
        }
    }
}

/// What kind of failure an error is, as far as trying again goes: the one classifier that
/// API calls and downloads share (smithy-rs' `ClassifyRetry`). Whether a retry then happens,
/// and when, is [`RetryStrategy`]'s say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// Trying again cannot help, or the request may have been acted on and may not be repeated.
    Final,
    /// The server said when to come back (a 429's `Retry-After`): no sooner, no backoff.
    ServerAsked(Duration),
    /// A transient failure: retried after a backoff, and no sooner than `at_least` when the
    /// server asked for a wait.
    Transient { at_least: Option<Duration> },
}

/// What kind of failure `error` is for a request that `may_repeat` (an idempotent one, or one
/// the configuration lets repeat): a 429 is retried for every method (the server did not act
/// on it), and so is a connection that failed before anything was sent.
pub(crate) fn classify(error: &Error, may_repeat: bool) -> RetryKind {
    match error {
        Error::Api(api) if api.status == 429 => match api.vendor.requested_wait(&api.headers) {
            Some(wait) => RetryKind::ServerAsked(wait),
            None => RetryKind::Transient { at_least: None },
        },
        Error::Api(api) if matches!(api.status, 408 | 500 | 502 | 503 | 504) && may_repeat => {
            RetryKind::Transient {
                at_least: api.vendor.requested_wait(&api.headers),
            }
        }
        Error::Transport { source, .. } if may_repeat || source.is_connect() => {
            RetryKind::Transient { at_least: None }
        }
        Error::Timeout {
            kind: TimeoutKind::Connect,
            ..
        } => RetryKind::Transient { at_least: None },
        Error::Timeout {
            kind: TimeoutKind::Attempt,
            ..
        } if may_repeat => RetryKind::Transient { at_least: None },
        _ => RetryKind::Final,
    }
}

/// The retries of one call or download under a [`RetryConfig`] (smithy-rs' `RetryStrategy`):
/// the backoff so far, and whether the request may be repeated after it may have been acted on.
pub(crate) struct RetryStrategy<'a> {
    config: &'a RetryConfig,
    may_repeat: bool,
    backoff: ExponentialBackoff,
}

impl<'a> RetryStrategy<'a> {
    /// The strategy of a request that is `idempotent` or not.
    pub(crate) fn new(config: &'a RetryConfig, idempotent: bool) -> Self {
        Self {
            config,
            may_repeat: idempotent || config.retry_non_idempotent,
            backoff: config.backoff(),
        }
    }

    /// Whether `error` is one this strategy retries at all (it allows more than one attempt),
    /// whatever the attempts and time spent so far.
    pub(crate) fn retries(&self, error: &Error) -> bool {
        self.config.max_attempts > 1 && classify(error, self.may_repeat) != RetryKind::Final
    }

    /// Starts the backoff over: a download that made progress is as good as a fresh start.
    pub(crate) fn restart(&mut self) {
        self.backoff = self.config.backoff();
    }

    /// How long to wait before retrying after `error` on attempt number `attempt`, `elapsed`
    /// after the call (or the download's last progress) began, or `None` when the error is
    /// final.
    pub(crate) fn delay(
        &mut self,
        error: &Error,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        let config = self.config;
        if attempt >= config.max_attempts {
            return None;
        }
        let delay = match classify(error, self.may_repeat) {
            RetryKind::Final => return None,
            RetryKind::ServerAsked(wait) if wait > config.max_retry_after => return None,
            RetryKind::ServerAsked(wait) => wait,
            RetryKind::Transient { at_least } => {
                let wait = self.backoff.next()?;
                match at_least {
                    Some(asked) if asked > config.max_retry_after => return None,
                    Some(asked) => wait.max(asked),
                    None => wait,
                }
            }
        };
        (elapsed + delay <= config.max_total).then_some(delay)
    }
}

/// The longest a daily limit lasts: it resets at the next 00:00 UTC.
pub(crate) const LONGEST_DAILY_WAIT: Duration = Duration::from_secs(24 * 60 * 60);
