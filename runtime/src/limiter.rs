//! The optional client-side limiter that keeps each rate-limit label under its own rate.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::error::Error;
use crate::meta::RateLimitLabel;

/// Requests per second allowed per rate-limit label; `None` leaves a label unlimited. All
/// `None` (the default) turns the limiter off. Zoom's limits are per account, so set these to
/// your plan's share (e.g. Pro: Light 30, Medium 20, Heavy 10, Resource-intensive 10/60).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateLimits {
    pub light: Option<f64>,
    pub medium: Option<f64>,
    pub heavy: Option<f64>,
    pub resource_intensive: Option<f64>,
}

/// Spaces requests of each label at least `1 / rate` apart, shared by all clones of a client.
#[derive(Debug)]
pub(crate) struct Limiter {
    /// Indexed like [`slot`]: the interval and the earliest start of the next request.
    slots: [Option<(Duration, Mutex<Instant>)>; 4],
}

fn slot(label: RateLimitLabel) -> usize {
    match label {
        RateLimitLabel::Light => 0,
        RateLimitLabel::Medium => 1,
        RateLimitLabel::Heavy => 2,
        RateLimitLabel::ResourceIntensive => 3,
    }
}

impl Limiter {
    /// `None` when no label is limited, so unlimited clients skip the limiter entirely.
    pub(crate) fn new(limits: &RateLimits) -> Result<Option<Self>, Error> {
        let interval = |rate: Option<f64>| -> Result<_, Error> {
            rate.map(|rate| {
                let interval = (rate > 0.0)
                    .then(|| Duration::try_from_secs_f64(1.0 / rate).ok())
                    .flatten()
                    .ok_or_else(|| Error::Config {
                        message: format!("rate limit {rate} per second is not a positive rate"),
                    })?;
                Ok((interval, Mutex::new(Instant::now())))
            })
            .transpose()
        };
        let slots = [
            interval(limits.light)?,
            interval(limits.medium)?,
            interval(limits.heavy)?,
            interval(limits.resource_intensive)?,
        ];
        Ok(slots.iter().any(Option::is_some).then_some(Self { slots }))
    }

    /// Waits until a request of `label` may start.
    pub(crate) async fn acquire(&self, label: Option<RateLimitLabel>) {
        let Some((interval, next)) = label.and_then(|label| self.slots[slot(label)].as_ref())
        else {
            return;
        };
        let start = {
            let mut next = next.lock().unwrap_or_else(PoisonError::into_inner);
            let start = (*next).max(Instant::now());
            *next = start + *interval;
            start
        };
        tokio::time::sleep_until(start).await;
    }
}
