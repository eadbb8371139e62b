//! The client-side rate budget: each rate-limit class kept under its own rate, in this process
//! or across a fleet ([`SharedState`]), and the pauses that 429s ask for.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use crate::error::Error;
use crate::meta::RateClass;
use crate::shared::{Admission, DailyCap, Reservation, SharedState};

/// Requests per second allowed per rate-limit class, and an optional daily cap over some
/// classes together. A class without a rate is unlimited; the default limits nothing and turns
/// the limiter off. Limits an API sets per account are to be divided among the clients that
/// share it (the generated crate's README gives its vendor's plans' rates).
///
/// Set them with [`RateLimits::with_rate`] and [`RateLimits::with_daily_limit`], naming the
/// classes with the constants of the API module's `rate_classes`; the type is
/// `#[non_exhaustive]`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RateLimits {
    rates: Vec<(RateClass, f64)>,
    daily: Option<(Vec<RateClass>, u64)>,
}

impl RateLimits {
    /// Operations of `class` at `rate` per second (replacing an earlier rate of the class).
    pub fn with_rate(mut self, class: RateClass, rate: f64) -> Self {
        self.rates.retain(|(known, _)| *known != class);
        self.rates.push((class, rate));
        self
    }

    /// At most `requests` operations of `classes` together per UTC day; one more is
    /// [`Error::DailyLimitReached`] without being sent. Counted when a request is admitted.
    pub fn with_daily_limit(mut self, classes: &[RateClass], requests: u64) -> Self {
        self.daily = Some((classes.to_vec(), requests));
        self
    }

    /// The rate of `class`, if it has one.
    pub fn rate(&self, class: RateClass) -> Option<f64> {
        self.rates
            .iter()
            .find(|(known, _)| *known == class)
            .map(|(_, rate)| *rate)
    }

    /// The daily cap: its classes and how many requests a day they may make together.
    pub fn daily_limit(&self) -> Option<(&[RateClass], u64)> {
        self.daily
            .as_ref()
            .map(|(classes, requests)| (classes.as_slice(), *requests))
    }
}

/// The class of requests without a rate-limit class.
const UNLABELLED: &str = "unlabelled";

/// The budget of a client, shared by all its clones.
#[derive(Debug)]
pub(crate) struct Budget {
    /// The least time between two starts of a class, for the classes with a rate.
    intervals: Vec<(RateClass, Duration)>,
    /// The daily cap, its classes and the name it is counted under (their names joined).
    daily: Option<(Vec<RateClass>, String, u64)>,
    state: Arc<dyn SharedState>,
    /// Whether a 429 ever paused a class here; until then an unlimited request skips the
    /// state entirely (when it is this process's own).
    paused: AtomicBool,
}

/// The class a request of `class` counts against.
pub(crate) fn class(class: Option<RateClass>) -> &'static str {
    class.map_or(UNLABELLED, RateClass::name)
}

impl Budget {
    pub(crate) fn new(limits: &RateLimits, state: Arc<dyn SharedState>) -> Result<Self, Error> {
        let interval = |rate: f64| -> Result<Duration, Error> {
            (rate > 0.0)
                .then(|| Duration::try_from_secs_f64(1.0 / rate).ok())
                .flatten()
                .ok_or_else(|| Error::Config {
                    message: format!("rate limit {rate} per second is not a positive rate"),
                })
        };
        let intervals = limits
            .rates
            .iter()
            .map(|(class, rate)| Ok((*class, interval(*rate)?)))
            .collect::<Result<_, Error>>()?;
        let daily = limits.daily.as_ref().map(|(classes, requests)| {
            let counter: Vec<&str> = classes.iter().map(|class| class.name()).collect();
            (classes.clone(), counter.join("+"), *requests)
        });
        Ok(Self {
            intervals,
            daily,
            state,
            paused: AtomicBool::new(false),
        })
    }

    /// Whether a request of `rate_class` may start without asking the state: no rate or daily
    /// cap applies to it, the state is this process's own and no 429 ever paused a class.
    pub(crate) fn admits_at_once(&self, rate_class: Option<RateClass>) -> bool {
        let (interval, daily) = self.limits_of(rate_class);
        interval.is_none()
            && daily.is_none()
            && !self.state.is_shared()
            && !self.paused.load(Ordering::Relaxed)
    }

    /// The least interval between two starts of `rate_class`, and its daily cap.
    fn limits_of(&self, rate_class: Option<RateClass>) -> (Option<Duration>, Option<DailyCap<'_>>) {
        let interval = rate_class.and_then(|wanted| {
            self.intervals
                .iter()
                .find(|(class, _)| *class == wanted)
                .map(|(_, interval)| *interval)
        });
        let daily = match (rate_class, &self.daily) {
            (Some(wanted), Some((classes, counter, limit))) if classes.contains(&wanted) => {
                Some(DailyCap {
                    counter,
                    limit: *limit,
                })
            }
            _ => None,
        };
        (interval, daily)
    }

    /// Waits until a request of `rate_class` may start, or fails when its daily limit is
    /// reached. Callers skip it when [`Budget::admits_at_once`].
    pub(crate) async fn acquire(
        &self,
        operation: &'static str,
        rate_class: Option<RateClass>,
        deadline: Option<Instant>,
    ) -> Result<(), Error> {
        let (interval, daily) = self.limits_of(rate_class);
        let class = class(rate_class);
        let reservation = Reservation {
            class,
            interval,
            daily,
        };
        match self.state.reserve(reservation).await {
            Admission::After(wait) if wait.is_zero() => Ok(()),
            // A pause that outlives the call fails it now, not at its deadline.
            Admission::After(wait)
                if deadline.is_some_and(|deadline| {
                    deadline.saturating_duration_since(Instant::now()) < wait
                }) =>
            {
                Err(Error::Paused {
                    operation,
                    class: class.to_owned(),
                    resumes_in: wait,
                })
            }
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

    /// Records a 429 of `class` for everyone sharing the budget. The caller caps `wait`: a
    /// pause is shared with every later run of a fleet.
    pub(crate) async fn pause(&self, class: &str, wait: Duration, daily: bool) {
        self.paused.store(true, Ordering::Relaxed);
        self.state.pause(class, wait, daily).await;
    }
}
