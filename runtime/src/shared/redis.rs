//! [`RedisState`]: the token and the rate budget of a fleet of workers, in Redis.
//!
//! Every decision is one Lua script (one round trip), run atomically by Redis on its own
//! clock, so workers on different machines agree without a coordinator of ours. When Redis
//! does not answer within the timeout, the worker decides in its process instead (with one
//! warning) and tries Redis again a second later; nothing is sent twice because of it, since
//! the store is asked before a request is sent, never about one in flight.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use redis::Script;
use redis::aio::ConnectionManager;
use tokio::time::Instant;

use super::{Admission, LocalState, Reservation, SharedState};
use crate::error::Error;
use crate::future::BoxFuture;
use crate::grant::{Grant, GrantLock, TokenStore, store_error};
use crate::secret::Secret;

/// How long Redis is given to answer before the worker decides alone.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// How long after a failure the worker asks Redis again.
const PROBE_INTERVAL: Duration = Duration::from_secs(1);

/// Reserves the next start of a request: the daily flag, the daily cap (`ARGV[2]` requests
/// counted in `KEYS[4]` until `ARGV[3]` ms from now, 0: none), then the pause, then the
/// spacing. Times are Redis's own, in microseconds. Returns `{0, wait_us}` or
/// `{1, resets_in_ms}`. A count or a next start that is not a number (written by something
/// else) is reset, not allowed to fail every decision.
const RESERVE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local daily = redis.call('PTTL', KEYS[3])
if daily > 0 then return {1, daily} end
local cap = tonumber(ARGV[2])
if cap > 0 then
  local used = tonumber(redis.call('GET', KEYS[4]) or '0')
  if not used then
    redis.call('DEL', KEYS[4])
    used = 0
  end
  if used >= cap then return {1, tonumber(ARGV[3])} end
  redis.call('INCR', KEYS[4])
  redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[3]) + 3600000)
end
local start = now
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then start = now + pause * 1000 end
local interval = tonumber(ARGV[1])
if interval > 0 then
  local next = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
  if next > start then start = next end
  local keep = math.floor((start + interval - now) / 1000) + 1000
  redis.call('SET', KEYS[1], start + interval, 'PX', keep)
end
return {0, start - now}
";

/// Sets a flag for `ARGV[1]` ms unless it already lasts longer.
const EXTEND: &str = r"
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1
";

/// The token and its remaining lifetime in ms, or nil. A token without an expiry (not one of
/// ours: they are stored with one) is deleted, never used for ever.
const GET_TOKEN: &str = r"
local token = redis.call('GET', KEYS[1])
if not token then return nil end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('DEL', KEYS[1])
  return nil
end
return {token, left}
";

/// Stores the token and releases the refresh lock.
const PUT_TOKEN: &str = r"
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('DEL', KEYS[2])
return 1
";

/// Sets `KEYS[1]` to `ARGV[2]` for `ARGV[1]` ms unless it is set: the refresh lock (for its
/// owner), a delivery's key.
const LOCK: &str = r"
return redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[1])
";

/// Releases the refresh lock if `ARGV[1]` still holds it.
const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
";

/// A value, or nil.
const GET_VALUE: &str = r"
return redis.call('GET', KEYS[1])
";

/// Sets a value with no expiry (a user's grant lives until it is replaced).
const SET_VALUE: &str = r"
redis.call('SET', KEYS[1], ARGV[1])
return 1
";

/// Deletes the token only if it is still the rejected one.
const INVALIDATE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
";

/// The shared state of every worker that uses the same Redis and namespace (typically one
/// per account, where the API's limits are per account).
///
/// Keys are `zoomgen:{<namespace>}:…` (one hash slot, for Redis Cluster); the cached access
/// token is one of them, so the Redis server must be as private as the credentials (use
/// `rediss://` and a password across machines).
pub struct RedisState {
    url: String,
    namespace: String,
    connection: ConnectionManager,
    timeout: Duration,
    /// Where decisions are made while Redis does not answer.
    fallback: LocalState,
    health: Mutex<Health>,
    scripts: Scripts,
    /// What this state writes into the refresh lock, so that it releases only its own.
    lock_owner: String,
}

struct Scripts {
    reserve: Script,
    extend: Script,
    get_token: Script,
    put_token: Script,
    lock: Script,
    unlock: Script,
    invalidate: Script,
    get_value: Script,
    set_value: Script,
}

#[derive(Debug, Clone, Copy)]
enum Health {
    Shared,
    /// Deciding in the process; Redis is asked again from this instant.
    Alone {
        retry_at: Instant,
    },
}

impl RedisState {
    /// The state at `url` (`redis://host:6379`, `rediss://…`) for `namespace`. Nothing is
    /// connected yet: a Redis that is down at start only means deciding in the process until
    /// it answers.
    pub fn new(url: &str, namespace: &str) -> Result<Self, Error> {
        Self::with_timeout(url, namespace, DEFAULT_TIMEOUT)
    }

    /// Like [`new`](Self::new), giving Redis `timeout` (default 1 s) to connect and to answer
    /// each call before the worker decides alone.
    pub fn with_timeout(url: &str, namespace: &str, timeout: Duration) -> Result<Self, Error> {
        let client = redis::Client::open(url).map_err(|e| Error::Config {
            message: format!("invalid Redis URL: {e}"),
        })?;
        let connection = ConnectionManager::new_lazy_with_config(
            client,
            redis::aio::ConnectionManagerConfig::new()
                .set_connection_timeout(Some(timeout))
                .set_response_timeout(Some(timeout))
                .set_number_of_retries(1),
        )
        .map_err(|e| Error::Config {
            message: format!("cannot set up the Redis connection: {e}"),
        })?;
        Ok(Self {
            url: redacted_url(url),
            namespace: namespace.to_owned(),
            connection,
            timeout,
            fallback: LocalState::new(),
            health: Mutex::new(Health::Shared),
            scripts: Scripts {
                reserve: Script::new(RESERVE),
                extend: Script::new(EXTEND),
                get_token: Script::new(GET_TOKEN),
                put_token: Script::new(PUT_TOKEN),
                lock: Script::new(LOCK),
                unlock: Script::new(UNLOCK),
                invalidate: Script::new(INVALIDATE),
                get_value: Script::new(GET_VALUE),
                set_value: Script::new(SET_VALUE),
            },
            lock_owner: lock_owner(),
        })
    }

    /// Whether the last call reached Redis (`false` while deciding in the process).
    pub fn is_reachable(&self) -> bool {
        matches!(
            *self.health.lock().unwrap_or_else(PoisonError::into_inner),
            Health::Shared
        )
    }

    fn key(&self, name: &str) -> String {
        format!("zoomgen:{{{}}}:{name}", self.namespace)
    }

    /// Runs `script`, or returns `None` (after noting the failure) when Redis does not
    /// answer in time or is known to be down.
    async fn run<T: redis::FromRedisValue>(
        &self,
        script: &Script,
        keys: &[String],
        args: &[String],
    ) -> Option<T> {
        let now = Instant::now();
        if let Health::Alone { retry_at } =
            *self.health.lock().unwrap_or_else(PoisonError::into_inner)
            && now < retry_at
        {
            return None;
        }
        let mut invocation = script.prepare_invoke();
        for key in keys {
            invocation.key(key);
        }
        for arg in args {
            invocation.arg(arg);
        }
        let mut connection = self.connection.clone();
        let outcome = tokio::time::timeout(self.timeout, invocation.invoke_async(&mut connection))
            .await
            .map_err(|_| format!("no answer within {:?}", self.timeout))
            .and_then(|result| result.map_err(|e| e.to_string()));
        let mut health = self.health.lock().unwrap_or_else(PoisonError::into_inner);
        match outcome {
            Ok(value) => {
                if matches!(*health, Health::Alone { .. }) {
                    tracing::info!(url = %self.url, "Redis answers again: back to the shared token and budget");
                }
                *health = Health::Shared;
                Some(value)
            }
            Err(error) => {
                if matches!(*health, Health::Shared) {
                    tracing::warn!(url = %self.url, %error, "Redis is unreachable: limiting in this process until it answers");
                }
                *health = Health::Alone {
                    retry_at: Instant::now() + PROBE_INTERVAL,
                };
                None
            }
        }
    }

    fn class_keys(&self, class: &str) -> [String; 3] {
        [
            self.key(&format!("next:{class}")),
            self.key(&format!("pause:{class}")),
            self.key(&format!("daily:{class}")),
        ]
    }
}

impl SharedState for RedisState {
    fn reserve<'a>(&'a self, reservation: Reservation<'a>) -> BoxFuture<'a, Admission> {
        Box::pin(async move {
            let micros = reservation
                .interval
                .map_or(0, |i| i.as_micros())
                .to_string();
            let [next, pause, daily] = self.class_keys(reservation.class);
            // The day is in the key: a new UTC day starts a new count.
            let counter = reservation.daily.map_or("none", |cap| cap.counter);
            let day = chrono::Utc::now().date_naive();
            let count = self.key(&format!("count:{counter}:{day}"));
            let args = [
                micros,
                reservation.daily.map_or(0, |cap| cap.limit).to_string(),
                super::until_utc_midnight().as_millis().to_string(),
            ];
            let answer: Option<(i64, i64)> = self
                .run(&self.scripts.reserve, &[next, pause, daily, count], &args)
                .await;
            match answer {
                Some((1, resets_in_ms)) => Admission::DailyLimitReached {
                    resets_in: Duration::from_millis(resets_in_ms.max(0).unsigned_abs()),
                },
                Some((_, wait_us)) => {
                    Admission::After(Duration::from_micros(wait_us.max(0).unsigned_abs()))
                }
                None => self.fallback.admit(reservation),
            }
        })
    }

    fn pause<'a>(&'a self, class: &'a str, wait: Duration, daily: bool) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            // Kept in the process too, so the pause holds here if Redis goes away meanwhile.
            self.fallback.hold(class, wait, daily);
            let [_, pause, daily_key] = self.class_keys(class);
            let key = if daily { daily_key } else { pause };
            let millis = wait.as_millis().max(1).to_string();
            let _: Option<i64> = self.run(&self.scripts.extend, &[key], &[millis]).await;
        })
    }

    fn is_shared(&self) -> bool {
        true
    }

    fn shared_token(&self) -> BoxFuture<'_, Option<(Secret, Duration)>> {
        Box::pin(async move {
            let found: Option<Option<(String, i64)>> = self
                .run(&self.scripts.get_token, &[self.key("token")], &[])
                .await;
            let (token, left_ms) = found.flatten()?;
            Some((
                Secret::new(token),
                Duration::from_millis(left_ms.max(0).unsigned_abs()),
            ))
        })
    }

    fn lock_token_refresh(&self, ttl: Duration) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            let millis = ttl.as_millis().max(1).to_string();
            let taken: Option<Option<String>> = self
                .run(
                    &self.scripts.lock,
                    &[self.key("token-lock")],
                    &[millis, self.lock_owner.clone()],
                )
                .await;
            // Redis does not answer: fetch in this process rather than wait on nobody.
            taken.is_none_or(|taken| taken.is_some())
        })
    }

    fn release_token_refresh(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let _: Option<i64> = self
                .run(
                    &self.scripts.unlock,
                    &[self.key("token-lock")],
                    std::slice::from_ref(&self.lock_owner),
                )
                .await;
        })
    }

    fn store_token<'a>(&'a self, token: &'a Secret, lifetime: Duration) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let millis = lifetime.as_millis().max(1).to_string();
            let _: Option<i64> = self
                .run(
                    &self.scripts.put_token,
                    &[self.key("token"), self.key("token-lock")],
                    &[token.expose().to_owned(), millis],
                )
                .await;
        })
    }

    fn first_delivery<'a>(&'a self, key: &'a str, remember: Duration) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            let millis = remember.as_millis().max(1).to_string();
            let taken: Option<Option<String>> = self
                .run(
                    &self.scripts.lock,
                    &[self.key(&format!("delivery:{key}"))],
                    &[millis, "1".to_owned()],
                )
                .await;
            match taken {
                Some(taken) => taken.is_some(),
                // Redis does not answer: remember it in this process meanwhile.
                None => self.fallback.note_delivery(key, remember),
            }
        })
    }

    fn invalidate_token<'a>(&'a self, rejected: &'a Secret) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let _: Option<i64> = self
                .run(
                    &self.scripts.invalidate,
                    &[self.key("token")],
                    &[rejected.expose().to_owned()],
                )
                .await;
        })
    }
}

/// User grants in Redis, under `zoomgen:{<namespace>}:grant:<key>`, so every process of a
/// fleet serves any user; the refresh lock is `SET NX PX` with an owner, released only by it.
/// Unlike the rate budget, grants have no in-process fallback: while Redis does not answer, a
/// refresh fails rather than rotate a refresh token that no other process would learn of.
impl TokenStore for RedisState {
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Grant>, Error>> {
        Box::pin(async move {
            let found: Option<Option<String>> = self
                .run(
                    &self.scripts.get_value,
                    &[self.key(&format!("grant:{key}"))],
                    &[],
                )
                .await;
            let text = found.ok_or_else(|| self.unreachable())?;
            text.map(|text| {
                serde_json::from_str(&text).map_err(|e| {
                    store_error(&self.url, format!("the grant `{key}` is not a grant: {e}"))
                })
            })
            .transpose()
        })
    }

    fn save<'a>(&'a self, key: &'a str, grant: &'a Grant) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let text = serde_json::to_string(grant).map_err(|e| store_error(&self.url, e))?;
            let saved: Option<i64> = self
                .run(
                    &self.scripts.set_value,
                    &[self.key(&format!("grant:{key}"))],
                    &[text],
                )
                .await;
            saved.map(|_| ()).ok_or_else(|| self.unreachable())
        })
    }

    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<GrantLock>, Error>> {
        Box::pin(async move {
            let lock_key = self.key(&format!("grant-lock:{key}"));
            let owner = lock_owner();
            let millis = ttl.as_millis().max(1).to_string();
            let taken: Option<Option<String>> = self
                .run(
                    &self.scripts.lock,
                    std::slice::from_ref(&lock_key),
                    &[millis, owner.clone()],
                )
                .await;
            let taken = taken.ok_or_else(|| self.unreachable())?;
            Ok(taken.map(|_| {
                let (mut connection, script, timeout) = (
                    self.connection.clone(),
                    self.scripts.unlock.clone(),
                    self.timeout,
                );
                GrantLock::released_by(move || {
                    Box::pin(async move {
                        let mut invocation = script.prepare_invoke();
                        invocation.key(lock_key).arg(owner);
                        // Not released in time: the lock's own expiry ends it.
                        let _ = tokio::time::timeout(
                            timeout,
                            invocation.invoke_async::<i64>(&mut connection),
                        )
                        .await;
                    })
                })
            }))
        })
    }
}

impl RedisState {
    fn unreachable(&self) -> Error {
        store_error(&self.url, "Redis does not answer")
    }
}

impl fmt::Debug for RedisState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisState")
            .field("url", &self.url)
            .field("namespace", &self.namespace)
            .field("reachable", &self.is_reachable())
            .finish_non_exhaustive()
    }
}

/// A value no other state writes into the refresh lock: this process, this state's moment of
/// creation and a count.
fn lock_owner() -> String {
    static CREATED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    let count = CREATED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{nanos}-{count}", std::process::id())
}

/// The URL without its password, for logs.
fn redacted_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("[redacted]"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "[unparsable URL]".to_owned(),
    }
}
