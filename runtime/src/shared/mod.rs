//! Where a client's access token and rate budget live: in this process ([`LocalState`], the
//! default), or in a store that a fleet of workers shares (`RedisState`, feature `redis`),
//! so that N processes behave like one client: one token fetch per expiry, one rate budget
//! per account and rate-limit class, and a 429 seen by one worker pausing all of them. Event
//! receivers remember there which deliveries they handed over.

#[cfg(feature = "redis")]
mod redis;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::future::BoxFuture;
use crate::secret::Secret;

#[cfg(feature = "redis")]
pub use self::redis::RedisState;

/// Whether a request may start, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// It may start after this wait (zero: at once).
    After(Duration),
    /// The class's daily limit is reached for everyone sharing the state; it resets after
    /// this long.
    DailyLimitReached {
        /// How long until the limit resets.
        resets_in: Duration,
    },
}

/// What a request reserves: a start in its class, spaced `interval` after the previous one,
/// and one of a daily allowance when a cap applies.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Reservation<'a> {
    /// The rate-limit class (`"Light"`, `"Heavy"`, …, `"unlabelled"`).
    pub class: &'a str,
    /// The least time between two starts of the class (`None`: no spacing).
    pub interval: Option<Duration>,
    /// The daily cap the request counts against, if one is set.
    pub daily: Option<DailyCap<'a>>,
}

/// A number of requests allowed per UTC day, counted under `counter` (classes that share one
/// daily limit share one counter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyCap<'a> {
    /// What the count is kept under.
    pub counter: &'a str,
    /// Requests allowed per UTC day.
    pub limit: u64,
}

/// How long until the next 00:00 UTC, when daily caps reset.
pub(crate) fn until_utc_midnight() -> Duration {
    let now = chrono::Utc::now();
    let midnight = now
        .date_naive()
        .succ_opt()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|m| m.and_utc());
    midnight
        .and_then(|m| (m - now).to_std().ok())
        .unwrap_or(Duration::from_secs(24 * 3600))
}

/// Where the token and the rate budget live. A client consults it before every request it
/// limits; implementations decide where the numbers are kept and must not fail a request
/// because their store is unavailable (they fall back to deciding in the process).
pub trait SharedState: Send + Sync + fmt::Debug {
    /// Reserves the start of a request: requests of a class start at least its interval
    /// apart across everyone sharing the state, none starts while a [`pause`](Self::pause) of
    /// the class lasts, and one that would pass its daily cap is refused.
    fn reserve<'a>(&'a self, reservation: Reservation<'a>) -> BoxFuture<'a, Admission>;

    /// Records a 429 for `class`: nobody sharing the state starts a request of the class for
    /// `wait`; with `daily`, its requests fail with
    /// [`Error::DailyLimitReached`](crate::Error::DailyLimitReached) until then.
    fn pause<'a>(&'a self, class: &'a str, wait: Duration, daily: bool) -> BoxFuture<'a, ()>;

    /// Whether the state is shared with other processes; then the client consults it for
    /// every request (not only limited ones) and shares its Server-to-Server token through it.
    fn is_shared(&self) -> bool {
        false
    }

    /// The shared access token and how long it stays valid, if one is cached.
    fn shared_token(&self) -> BoxFuture<'_, Option<(Secret, Duration)>> {
        Box::pin(std::future::ready(None))
    }

    /// Takes the right to fetch the next token for `ttl`; `false` while someone else holds it.
    /// State that is not shared always grants it.
    fn lock_token_refresh(&self, ttl: Duration) -> BoxFuture<'_, bool> {
        let _ = ttl;
        Box::pin(std::future::ready(true))
    }

    /// Releases the refresh lock this state took, when its fetch failed: the next worker
    /// fetches at once instead of waiting out the lock.
    fn release_token_refresh(&self) -> BoxFuture<'_, ()> {
        Box::pin(std::future::ready(()))
    }

    /// Stores a fresh token for `lifetime` and releases the refresh lock.
    fn store_token<'a>(&'a self, token: &'a Secret, lifetime: Duration) -> BoxFuture<'a, ()> {
        let _ = (token, lifetime);
        Box::pin(std::future::ready(()))
    }

    /// Records that the delivery `key` was handed over, for `remember`: `true` the first time
    /// within that window across everyone sharing the state, `false` for a repeat.
    fn first_delivery<'a>(&'a self, key: &'a str, remember: Duration) -> BoxFuture<'a, bool>;

    /// Drops the cached token if it is still `rejected` (a 401 seen with it): the first worker
    /// to see the 401 invalidates it, the others find the next one.
    fn invalidate_token<'a>(&'a self, rejected: &'a Secret) -> BoxFuture<'a, ()> {
        let _ = rejected;
        Box::pin(std::future::ready(()))
    }
}

/// The budget of this process alone: all clones of a client share it (today's behaviour, no
/// dependencies). Requests of a class are spaced `interval` apart; a pause holds them back.
#[derive(Debug, Default)]
pub struct LocalState {
    classes: Mutex<HashMap<String, ClassState>>,
    /// Daily counters: the UTC day and the requests counted on it.
    days: Mutex<HashMap<String, (chrono::NaiveDate, u64)>>,
    /// Deliveries handed over, and until when each is remembered.
    deliveries: Mutex<Deliveries>,
}

/// Delivery keys and when each is forgotten; expired ones are swept when the map has doubled.
#[derive(Debug, Default)]
struct Deliveries {
    until: HashMap<String, Instant>,
    sweep_at: usize,
}

#[derive(Debug, Clone, Copy)]
struct ClassState {
    /// The earliest start of the next request.
    next: Instant,
    paused_until: Option<Instant>,
    daily_until: Option<Instant>,
}

impl LocalState {
    /// An empty budget.
    pub fn new() -> Self {
        Self::default()
    }

    /// [`SharedState::first_delivery`], without a future.
    pub(crate) fn note_delivery(&self, key: &str, remember: Duration) -> bool {
        let now = Instant::now();
        let mut deliveries = self
            .deliveries
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if deliveries.until.len() >= deliveries.sweep_at {
            deliveries.until.retain(|_, until| *until > now);
            deliveries.sweep_at = (deliveries.until.len() * 2).max(1024);
        }
        match deliveries.until.get(key) {
            Some(until) if *until > now => false,
            _ => {
                let until = now.checked_add(remember).unwrap_or(now);
                deliveries.until.insert(key.to_owned(), until);
                true
            }
        }
    }

    /// [`SharedState::reserve`], without a future: it never waits on anything but a lock.
    pub(crate) fn admit(&self, reservation: Reservation<'_>) -> Admission {
        let Reservation {
            class,
            interval,
            daily,
        } = reservation;
        let now = Instant::now();
        let mut classes = self.classes.lock().unwrap_or_else(PoisonError::into_inner);
        let state = classes.entry(class.to_owned()).or_insert(ClassState {
            next: now,
            paused_until: None,
            daily_until: None,
        });
        if let Some(until) = state.daily_until.filter(|until| *until > now) {
            return Admission::DailyLimitReached {
                resets_in: until - now,
            };
        }
        if let Some(cap) = daily {
            let today = chrono::Utc::now().date_naive();
            let mut days = self.days.lock().unwrap_or_else(PoisonError::into_inner);
            let (day, used) = days.entry(cap.counter.to_owned()).or_insert((today, 0));
            if *day != today {
                (*day, *used) = (today, 0);
            }
            if *used >= cap.limit {
                return Admission::DailyLimitReached {
                    resets_in: until_utc_midnight(),
                };
            }
            *used += 1;
        }
        let mut start = now;
        if let Some(paused) = state.paused_until.filter(|paused| *paused > start) {
            start = paused;
        }
        if let Some(interval) = interval {
            start = start.max(state.next);
            state.next = start + interval;
        }
        Admission::After(start - now)
    }

    /// [`SharedState::pause`], without a future.
    pub(crate) fn hold(&self, class: &str, wait: Duration, daily: bool) {
        let now = Instant::now();
        let Some(until) = now.checked_add(wait) else {
            return;
        };
        let mut classes = self.classes.lock().unwrap_or_else(PoisonError::into_inner);
        let state = classes.entry(class.to_owned()).or_insert(ClassState {
            next: now,
            paused_until: None,
            daily_until: None,
        });
        let slot = if daily {
            &mut state.daily_until
        } else {
            &mut state.paused_until
        };
        if slot.is_none_or(|current| current < until) {
            *slot = Some(until);
        }
    }
}

impl SharedState for LocalState {
    fn reserve<'a>(&'a self, reservation: Reservation<'a>) -> BoxFuture<'a, Admission> {
        Box::pin(std::future::ready(self.admit(reservation)))
    }

    fn pause<'a>(&'a self, class: &'a str, wait: Duration, daily: bool) -> BoxFuture<'a, ()> {
        self.hold(class, wait, daily);
        Box::pin(std::future::ready(()))
    }

    fn first_delivery<'a>(&'a self, key: &'a str, remember: Duration) -> BoxFuture<'a, bool> {
        Box::pin(std::future::ready(self.note_delivery(key, remember)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_of_a_class_are_spaced_and_a_pause_holds_them_back() {
        let state = LocalState::new();
        let interval = Some(Duration::from_millis(100));
        let of = |class| Reservation {
            class,
            interval,
            daily: None,
        };
        assert_eq!(state.admit(of("Light")), Admission::After(Duration::ZERO));
        let Admission::After(second) = state.admit(of("Light")) else {
            panic!("admitted");
        };
        assert!(second > Duration::from_millis(90), "{second:?}");
        // Another class has its own budget.
        assert_eq!(state.admit(of("Heavy")), Admission::After(Duration::ZERO));
        state.hold("Medium", Duration::from_secs(5), false);
        let Admission::After(paused) = state.admit(Reservation {
            interval: None,
            ..of("Medium")
        }) else {
            panic!("admitted");
        };
        assert!(paused > Duration::from_secs(4), "{paused:?}");
        state.hold("Heavy", Duration::from_secs(60), true);
        assert!(matches!(
            state.admit(of("Heavy")),
            Admission::DailyLimitReached { resets_in } if resets_in > Duration::from_secs(59)
        ));
    }

    #[test]
    fn a_daily_cap_admits_its_limit_and_refuses_the_rest_until_midnight() {
        let state = LocalState::new();
        let capped = |class| Reservation {
            class,
            interval: None,
            daily: Some(DailyCap {
                counter: "heavy",
                limit: 3,
            }),
        };
        // Heavy and Resource-intensive count against the one counter.
        for class in ["Heavy", "Resource-intensive", "Heavy"] {
            assert_eq!(state.admit(capped(class)), Admission::After(Duration::ZERO));
        }
        assert!(matches!(
            state.admit(capped("Resource-intensive")),
            Admission::DailyLimitReached { resets_in } if resets_in <= Duration::from_secs(24 * 3600)
        ));
    }
}
