//! The client-side rate budget: each rate-limit label kept under its own rate, in this process
//! or across a fleet ([`SharedState`]), and the pauses that 429s ask for.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::error::Error;
use crate::meta::RateLimitLabel;
use crate::shared::{Admission, DailyCap, Reservation, SharedState};

/// Requests per second allowed per rate-limit label; `None` leaves a label unlimited. All
/// `None` (the default) turns the limiter off. Zoom's limits are per account, so set these to
/// your plan's share (e.g. Pro: Light 30, Medium 20, Heavy 10, Resource-intensive 10/60).
///
/// The default limits nothing. Set rates with the `with_*` methods
/// (`RateLimits::default().with_light(30.0)`); the type is `#[non_exhaustive]`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RateLimits {
    /// Requests per second of `Light` operations.
    pub light: Option<f64>,
    /// Requests per second of `Medium` operations.
    pub medium: Option<f64>,
    /// Requests per second of `Heavy` operations.
    pub heavy: Option<f64>,
    /// Requests per second of `Resource-intensive` operations.
    pub resource_intensive: Option<f64>,
    /// Requests per UTC day of `Heavy` and `Resource-intensive` operations together (Zoom's
    /// daily cap: 30,000 on Pro, 60,000 on Business and up); one more is
    /// [`Error::DailyLimitReached`] without being sent. Counted when a request is admitted.
    pub daily_heavy: Option<u64>,
}

impl RateLimits {
    /// `Light` operations at `rate` per second.
    pub fn with_light(mut self, rate: f64) -> Self {
        self.light = Some(rate);
        self
    }

    /// `Medium` operations at `rate` per second.
    pub fn with_medium(mut self, rate: f64) -> Self {
        self.medium = Some(rate);
        self
    }

    /// `Heavy` operations at `rate` per second.
    pub fn with_heavy(mut self, rate: f64) -> Self {
        self.heavy = Some(rate);
        self
    }

    /// `Resource-intensive` operations at `rate` per second.
    pub fn with_resource_intensive(mut self, rate: f64) -> Self {
        self.resource_intensive = Some(rate);
        self
    }

    /// At most `requests` `Heavy` and `Resource-intensive` operations per UTC day.
    pub fn with_daily_heavy(mut self, requests: u64) -> Self {
        self.daily_heavy = Some(requests);
        self
    }
}

/// The class of requests without a rate-limit label.
const UNLABELLED: &str = "unlabelled";

/// The budget of a client, shared by all its clones.
#[derive(Debug)]
pub(crate) struct Budget {
    /// Indexed like [`slot`]: the least time between two starts of a label.
    intervals: [Option<Duration>; 4],
    daily_heavy: Option<u64>,
    state: Arc<dyn SharedState>,
    /// Whether a 429 ever paused a class here; until then an unlimited request skips the
    /// state entirely (when it is this process's own).
    paused: AtomicBool,
}

fn slot(label: RateLimitLabel) -> usize {
    match label {
        RateLimitLabel::Light => 0,
        RateLimitLabel::Medium => 1,
        RateLimitLabel::Heavy => 2,
        RateLimitLabel::ResourceIntensive => 3,
    }
}

/// The class a request of `label` counts against.
pub(crate) fn class(label: Option<RateLimitLabel>) -> &'static str {
    label.map_or(UNLABELLED, RateLimitLabel::as_str)
}

impl Budget {
    pub(crate) fn new(limits: &RateLimits, state: Arc<dyn SharedState>) -> Result<Self, Error> {
        let interval = |rate: Option<f64>| -> Result<_, Error> {
            rate.map(|rate| {
                (rate > 0.0)
                    .then(|| Duration::try_from_secs_f64(1.0 / rate).ok())
                    .flatten()
                    .ok_or_else(|| Error::Config {
                        message: format!("rate limit {rate} per second is not a positive rate"),
                    })
            })
            .transpose()
        };
        Ok(Self {
            intervals: [
                interval(limits.light)?,
                interval(limits.medium)?,
                interval(limits.heavy)?,
                interval(limits.resource_intensive)?,
            ],
            daily_heavy: limits.daily_heavy,
            state,
            paused: AtomicBool::new(false),
        })
    }

    /// Waits until a request of `label` may start, or fails when its daily limit is reached.
    pub(crate) async fn acquire(
        &self,
        operation: &'static str,
        label: Option<RateLimitLabel>,
    ) -> Result<(), Error> {
        let interval = label.and_then(|label| self.intervals[slot(label)]);
        let daily = match (label, self.daily_heavy) {
            (Some(RateLimitLabel::Heavy | RateLimitLabel::ResourceIntensive), Some(limit)) => {
                Some(DailyCap {
                    counter: "heavy",
                    limit,
                })
            }
            _ => None,
        };
        if interval.is_none()
            && daily.is_none()
            && !self.state.is_shared()
            && !self.paused.load(Ordering::Relaxed)
        {
            return Ok(());
        }
        let class = class(label);
        let reservation = Reservation {
            class,
            interval,
            daily,
        };
        match self.state.reserve(reservation).await {
            Admission::After(wait) if wait.is_zero() => Ok(()),
            Admission::After(wait) => {
                tokio::time::sleep(wait).await;
                Ok(())
            }
            Admission::DailyLimitReached { resets_in } => Err(Error::DailyLimitReached {
                operation,
                class: class.to_owned(),
                resets_in,
            }),
        }
    }

    /// Records a 429 of `class` for everyone sharing the budget.
    pub(crate) async fn pause(&self, class: &str, wait: Duration, daily: bool) {
        self.paused.store(true, Ordering::Relaxed);
        self.state.pause(class, wait, daily).await;
    }
}
