//! What every token provider shares: the provider trait, the cache of one token that one
//! renewal at a time refreshes, and the token request itself (hooks around it, a time limit
//! over it, the vendor's error shape for its refusals).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::{ApiError, Error, TimeoutKind};
use crate::hooks::{ClientHooks, TOKEN_REQUEST, send_observed};
use crate::secret::Secret;
use crate::timeouts;
use crate::vendor::Vendor;

/// The operation name errors and logs give the token request.
pub(crate) const TOKEN_OPERATION: &str = "oauth.token";

/// A source of access tokens, for authentication schemes the runtime does not know.
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// The token to send. `stale` is the token the server just rejected with 401, if any:
    /// refresh only if the cached token is still that one, since another call may already
    /// have refreshed it (and a needless refresh can invalidate the token others are using).
    /// Returning `stale` again tells the client that no better token exists, and the 401 stands.
    fn token<'a>(
        &'a self,
        stale: Option<&'a Secret>,
    ) -> Pin<Box<dyn Future<Output = Result<Secret, Error>> + Send + 'a>>;

    /// The token to send when it is at hand without waiting (a fixed token, a cached one not
    /// yet due for refresh), so that the client need not start [`TokenProvider::token`]'s
    /// future. `None`, the default, sends every call through `token`.
    fn current(&self) -> Option<Secret> {
        None
    }

    /// The scopes the current token has, space-separated, as its token endpoint said (for
    /// [`Error::MissingScopes`]); `None` when unknown.
    fn granted_scopes(&self) -> Option<String> {
        None
    }
}

/// Where and how providers ask for tokens.
#[derive(Debug)]
pub(crate) struct OAuthEndpoint {
    /// Whose API the client is of.
    pub(crate) vendor: &'static Vendor,
    /// Where Server-to-Server tokens come from, when the vendor has app sign-in.
    pub(crate) app_token_url: Option<url::Url>,
    pub(crate) http: reqwest::Client,
    pub(crate) timeout: Option<Duration>,
    /// How long before expiry a cached token is replaced; at most half the token's lifetime.
    pub(crate) refresh_margin: Duration,
    /// The client's hooks, which see token requests too.
    pub(crate) hooks: Option<Arc<dyn ClientHooks>>,
}

/// A token and the instant from which it is no longer handed out.
#[derive(Debug)]
pub(crate) struct CachedToken {
    pub(crate) token: Secret,
    pub(crate) refresh_at: Instant,
    /// The scopes the token endpoint says the token has, space-separated.
    pub(crate) scope: Option<String>,
}

impl CachedToken {
    /// Whether it is still handed out (its refresh is not yet due).
    pub(crate) fn is_fresh(&self) -> bool {
        Instant::now() < self.refresh_at
    }
}

/// A provider's token, kept until its refresh is due; one renewal at a time, which the calls
/// that find no fresh token wait for.
#[derive(Debug, Default)]
pub(crate) struct TokenCache(Mutex<Option<CachedToken>>);

impl TokenCache {
    /// The token when it is at hand: cached, fresh, and no renewal holds the cache.
    pub(crate) fn current(&self) -> Option<Secret> {
        let cached = self.0.try_lock().ok()?;
        let cached = cached.as_ref()?;
        cached.is_fresh().then(|| cached.token.clone())
    }

    /// The scopes the cached token has.
    pub(crate) fn scopes(&self) -> Option<String> {
        self.0.try_lock().ok()?.as_ref()?.scope.clone()
    }

    /// The cached token while it is fresh and not the `stale` one a 401 rejected; else the
    /// one `renew` makes, kept.
    pub(crate) async fn get<F>(
        &self,
        stale: Option<&Secret>,
        renew: impl FnOnce() -> F,
    ) -> Result<Secret, Error>
    where
        F: Future<Output = Result<CachedToken, Error>>,
    {
        let mut cached = self.0.lock().await;
        if let Some(current) = cached.as_ref()
            && stale != Some(&current.token)
            && current.is_fresh()
        {
            return Ok(current.token.clone());
        }
        let fresh = renew().await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }
}

/// How a token request is sent: the HTTP client, the client's hooks, the time limit; and
/// whose endpoint it is (how its refusals read).
pub(crate) struct TokenVia<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) hooks: Option<&'a dyn ClientHooks>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) vendor: &'static Vendor,
}

/// Sends a token request (hooks around it, `via.timeout` over it, to the end of its body):
/// its 2xx body decoded as `T`, or the refused answer for the caller to judge.
pub(crate) async fn token_exchange<T: serde::de::DeserializeOwned>(
    via: TokenVia<'_>,
    request: reqwest::RequestBuilder,
) -> Result<Result<T, ApiError>, Error> {
    let send = async {
        let response = send_observed(via.http, via.hooks, (&TOKEN_REQUEST, 1), request).await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| Error::transport(TOKEN_OPERATION, e))?;
        Ok((status, headers, body))
    };
    let (status, headers, body) =
        timeouts::limit(via.timeout, TOKEN_OPERATION, TimeoutKind::Attempt, send)
            .await
            .map_err(|e| auth_error("the token request failed", e))?;
    if !(200..300).contains(&status) {
        return Ok(Err(ApiError::from_response(
            via.vendor,
            TOKEN_OPERATION,
            status,
            headers,
            body,
        )));
    }
    // The message names only the path: serde's message could quote the token itself.
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(&body))
        .map(Ok)
        .map_err(|e| Error::Auth {
            message: format!("the token response does not decode at `{}`", e.path()),
            source: None,
        })
}

pub(crate) fn auth_error(message: &str, source: Error) -> Error {
    Error::Auth {
        message: format!("{message}: {source}"),
        source: Some(Box::new(source)),
    }
}
