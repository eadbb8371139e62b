//! [`MemoryStore`]: grants kept in this process.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::{Grant, GrantLock, TokenStore};
use crate::error::Error;
use crate::future::BoxFuture;

/// Grants in this process's memory: every client given the same store (an `Arc`) refreshes a
/// grant one at a time. They are gone when the process ends, so a rotating grant should live
/// in a [`FileStore`](super::FileStore) or Redis unless the process can authorize again.
#[derive(Debug, Default)]
pub struct MemoryStore {
    grants: Mutex<HashMap<String, Grant>>,
    /// Held locks: key → (holder, until when).
    locked: Arc<Mutex<HashMap<String, (u64, tokio::time::Instant)>>>,
    holders: AtomicU64,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `grant` under `key`.
    pub fn with_grant(key: impl Into<String>, grant: Grant) -> Self {
        let store = Self::default();
        store
            .grants
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.into(), grant);
        store
    }
}

/// Removes its key from the held locks when dropped, unless another holder took it since.
struct Held {
    locked: Arc<Mutex<HashMap<String, (u64, tokio::time::Instant)>>>,
    key: String,
    holder: u64,
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut locked = self.locked.lock().unwrap_or_else(PoisonError::into_inner);
        if locked
            .get(&self.key)
            .is_some_and(|(holder, _)| *holder == self.holder)
        {
            locked.remove(&self.key);
        }
    }
}

impl TokenStore for MemoryStore {
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Grant>, Error>> {
        let grant = self
            .grants
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned();
        Box::pin(std::future::ready(Ok(grant)))
    }

    fn save<'a>(&'a self, key: &'a str, grant: &'a Grant) -> BoxFuture<'a, Result<(), Error>> {
        self.grants
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.to_owned(), grant.clone());
        Box::pin(std::future::ready(Ok(())))
    }

    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<GrantLock>, Error>> {
        let now = tokio::time::Instant::now();
        let mut locked = self.locked.lock().unwrap_or_else(PoisonError::into_inner);
        let free = locked.get(key).is_none_or(|(_, until)| *until <= now);
        let lock = free.then(|| {
            let holder = self.holders.fetch_add(1, Ordering::Relaxed);
            locked.insert(key.to_owned(), (holder, now + ttl));
            GrantLock::held_by(Held {
                locked: self.locked.clone(),
                key: key.to_owned(),
                holder,
            })
        });
        Box::pin(std::future::ready(Ok(lock)))
    }
}
