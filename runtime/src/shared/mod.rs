//! Where a client's access token and rate budget live: in this process ([`LocalState`], the
//! default), or in a store that a fleet of workers shares (`RedisState`, feature `redis`),
//! so that N processes behave like one client: one token fetch per expiry, one rate budget
//! per account and rate-limit class, and a 429 seen by one worker pausing all of them.

#[cfg(feature = "redis")]
mod redis;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::client::BoxFuture;
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

/// Where the token and the rate budget live. A client consults it before every request it
/// limits; implementations decide where the numbers are kept and must not fail a request
/// because their store is unavailable (they fall back to deciding in the process).
pub trait SharedState: Send + Sync + fmt::Debug {
    /// Reserves the start of a request of rate-limit `class` (`"Light"`, `"Heavy"`, …,
    /// `"unlabelled"`): requests of a class start at least `interval` apart across everyone
    /// sharing the state (`None`: no spacing), and none starts while a [`pause`](Self::pause)
    /// of the class lasts.
    fn reserve<'a>(
        &'a self,
        class: &'a str,
        interval: Option<Duration>,
    ) -> BoxFuture<'a, Admission>;

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

    /// Stores a fresh token for `lifetime` and releases the refresh lock.
    fn store_token<'a>(&'a self, token: &'a Secret, lifetime: Duration) -> BoxFuture<'a, ()> {
        let _ = (token, lifetime);
        Box::pin(std::future::ready(()))
    }

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

    /// [`SharedState::reserve`], without a future: it never waits on anything but a lock.
    pub(crate) fn admit(&self, class: &str, interval: Option<Duration>) -> Admission {
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
    fn reserve<'a>(
        &'a self,
        class: &'a str,
        interval: Option<Duration>,
    ) -> BoxFuture<'a, Admission> {
        Box::pin(std::future::ready(self.admit(class, interval)))
    }

    fn pause<'a>(&'a self, class: &'a str, wait: Duration, daily: bool) -> BoxFuture<'a, ()> {
        self.hold(class, wait, daily);
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_of_a_class_are_spaced_and_a_pause_holds_them_back() {
        let state = LocalState::new();
        let interval = Some(Duration::from_millis(100));
        assert_eq!(
            state.admit("Light", interval),
            Admission::After(Duration::ZERO)
        );
        let Admission::After(second) = state.admit("Light", interval) else {
            panic!("admitted");
        };
        assert!(second > Duration::from_millis(90), "{second:?}");
        // Another class has its own budget.
        assert_eq!(
            state.admit("Heavy", interval),
            Admission::After(Duration::ZERO)
        );
        state.hold("Medium", Duration::from_secs(5), false);
        let Admission::After(paused) = state.admit("Medium", None) else {
            panic!("admitted");
        };
        assert!(paused > Duration::from_secs(4), "{paused:?}");
        state.hold("Heavy", Duration::from_secs(60), true);
        assert!(matches!(
            state.admit("Heavy", interval),
            Admission::DailyLimitReached { resets_in } if resets_in > Duration::from_secs(59)
        ));
    }
}
