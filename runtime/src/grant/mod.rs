//! Per-user OAuth grants (an access token and the refresh token that replaces it) and where
//! they are kept: [`MemoryStore`] (one process), [`FileStore`] (a folder of owner-only files)
//! or, with the `redis` feature, `RedisState` (a fleet).
//!
//! Vendors rotate refresh tokens: each refresh returns a new one and the previous one stops
//! working. Two workers refreshing the same grant at once lock its user out until they
//! authorize again, and a refresh token kept only in memory is lost with the process. So a
//! grant is refreshed under the store's lock ([`TokenStore::try_lock`]), by one client at a
//! time across everyone sharing the store, and the new grant is saved before its access token
//! is used.

mod file;
mod memory;

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::future::BoxFuture;
use crate::secret::Secret;

pub use file::FileStore;
pub use memory::MemoryStore;

/// A user's authorization: the access token to send, the refresh token that replaces it, when
/// the access token expires, and the scopes it was granted.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The access token.
    pub access_token: Secret,
    /// The refresh token (where the vendor rotates them, usable once; each refresh returns the
    /// next).
    pub refresh_token: Secret,
    /// When the access token expires, in seconds since the Unix epoch (0: unknown, refresh
    /// before use).
    pub expires_at: u64,
    /// The scopes the token was granted, space-separated, as the token endpoint said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl Grant {
    /// A grant from a refresh token alone (a token from the environment or a config file):
    /// its first use refreshes it.
    pub fn from_refresh_token(refresh_token: impl Into<String>) -> Self {
        Self {
            access_token: Secret::default(),
            refresh_token: Secret::new(refresh_token),
            expires_at: 0,
            scope: None,
        }
    }

    /// How long the access token stays usable from now, `margin` before it expires
    /// (`None` when it is due for refresh already).
    pub(crate) fn usable_for(&self, margin: Duration) -> Option<Duration> {
        if self.access_token.expose().is_empty() {
            return None;
        }
        let now = unix_now();
        let until = self.expires_at.saturating_sub(margin.as_secs());
        (until > now).then(|| Duration::from_secs(until - now))
    }
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .finish()
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Where grants are kept, by a key of the caller's choosing (a user id, an email). One store
/// can serve many users: one client per user, all over one store (and one HTTP client, through
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)).
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The grant stored under `key`, if any.
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Grant>, Error>>;

    /// Stores `grant` under `key`, replacing the previous one whole: a reader sees the old
    /// grant or the new one, never a mix.
    fn save<'a>(&'a self, key: &'a str, grant: &'a Grant) -> BoxFuture<'a, Result<(), Error>>;

    /// Takes the right to refresh the grant under `key`, for at most `ttl`, unless someone
    /// sharing the store holds it. The lock is released when the [`GrantLock`] is released or
    /// dropped (and, in stores that can, when its holder dies).
    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<GrantLock>, Error>>;
}

/// A store whose grant is `seed` until one is saved: a refresh token from the environment or a
/// config file, kept (refreshed and rotated) in the store from its first use on.
#[derive(Debug)]
pub struct Seeded<S> {
    store: S,
    seed: Grant,
}

impl<S: TokenStore> Seeded<S> {
    /// `store`, answering `seed` for any key it holds nothing under.
    pub fn new(store: S, seed: Grant) -> Self {
        Self { store, seed }
    }
}

impl<S: TokenStore> TokenStore for Seeded<S> {
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Grant>, Error>> {
        Box::pin(async move {
            let stored = self.store.load(key).await?;
            Ok(Some(stored.unwrap_or_else(|| self.seed.clone())))
        })
    }

    fn save<'a>(&'a self, key: &'a str, grant: &'a Grant) -> BoxFuture<'a, Result<(), Error>> {
        self.store.save(key, grant)
    }

    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<GrantLock>, Error>> {
        self.store.try_lock(key, ttl)
    }
}

/// The right to refresh one grant; see [`TokenStore::try_lock`].
pub struct GrantLock {
    /// What holds the lock while this value lives (an open locked file, an entry of a map).
    held: Option<Box<dyn Send + Sync>>,
    /// How a store that needs a round trip releases it.
    release: Option<Box<dyn FnOnce() -> BoxFuture<'static, ()> + Send + Sync>>,
}

impl GrantLock {
    /// A lock held for as long as `held` lives (its `Drop` releases it).
    pub fn held_by(held: impl Send + Sync + 'static) -> Self {
        Self {
            held: Some(Box::new(held)),
            release: None,
        }
    }

    /// A lock that `release` gives back (a store across the network).
    pub fn released_by(
        release: impl FnOnce() -> BoxFuture<'static, ()> + Send + Sync + 'static,
    ) -> Self {
        Self {
            held: None,
            release: Some(Box::new(release)),
        }
    }

    /// Gives the lock back now.
    pub async fn release(mut self) {
        self.held = None;
        if let Some(release) = self.release.take() {
            release().await;
        }
    }
}

impl Drop for GrantLock {
    fn drop(&mut self) {
        // Dropped without `release` (a cancelled refresh): given back in the background,
        // else its time limit ends it.
        if let Some(release) = self.release.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(release());
        }
    }
}

impl fmt::Debug for GrantLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GrantLock").finish_non_exhaustive()
    }
}

/// An error of the store named `store`.
pub(crate) fn store_error(store: &str, message: impl fmt::Display) -> Error {
    Error::Auth {
        message: format!("the token store ({store}): {message}"),
        source: None,
    }
}
