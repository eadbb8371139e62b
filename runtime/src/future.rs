//! The boxed future the runtime's traits and `ApiClient::execute` return.

use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future borrowing what made it (a client, hooks, a shared state).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
