//! Where access tokens come from: an app's Server-to-Server sign-in (the vendor's
//! client-credentials grant for an account), a user's OAuth grant, tokens the client mints
//! itself (a vendor's JWT), a static bearer token, or a caller's own provider.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::{ApiError, Error, TimeoutKind};
use crate::grant::TokenStore;
use crate::hooks::{ClientHooks, TOKEN_REQUEST, send_observed};
use crate::oauth::{GrantTokens, OAuthApp, UserGrant};
use crate::secret::Secret;
use crate::shared::SharedState;
use crate::timeouts;
use crate::vendor::{AppSignIn, Vendor};

/// The operation name errors and logs give the token request.
pub(crate) const TOKEN_OPERATION: &str = "oauth.token";

/// How the client authenticates its requests.
#[derive(Debug)]
pub enum Credentials {
    /// Server-to-Server OAuth (the vendor's [`AppSignIn`]): the client fetches, caches and
    /// refreshes access tokens.
    ServerToServer {
        /// The account the app belongs to.
        account_id: String,
        /// The app's client ID.
        client_id: String,
        /// The app's client secret.
        client_secret: Secret,
    },
    /// A user's OAuth grant, kept fresh through its store; see [`Credentials::user_grant`].
    UserGrant(UserGrant),
    /// Tokens the client mints itself (a vendor's JWT), anew before each expires.
    Minted(Arc<dyn MintTokens>),
    /// A fixed bearer token (a bot's or a personal access token).
    Bearer(Secret),
    /// A caller-supplied source of tokens.
    Provider(Arc<dyn TokenProvider>),
    /// No `Authorization` header at all.
    None,
}

impl Credentials {
    /// Server-to-Server OAuth with the app's account ID, client ID and client secret.
    pub fn server_to_server(
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self::ServerToServer {
            account_id: account_id.into(),
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
        }
    }

    /// The grant stored under `key` in `store`, of `app`: its access token is sent, and
    /// refreshed before it expires and after a 401, one refresh at a time across every client
    /// sharing the store; the new grant is saved before its token is used. Get the first
    /// grant with [`OAuthApp::authorization_request`] and [`OAuthApp::exchange_code`].
    pub fn user_grant(app: OAuthApp, store: Arc<dyn TokenStore>, key: impl Into<String>) -> Self {
        Self::UserGrant(UserGrant {
            app,
            store,
            key: key.into(),
        })
    }

    /// A fixed bearer token.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Bearer(Secret::new(token))
    }

    /// Tokens from `provider`.
    pub fn provider(provider: Arc<dyn TokenProvider>) -> Self {
        Self::Provider(provider)
    }

    /// No authentication.
    pub fn none() -> Self {
        Self::None
    }

    /// The provider the client asks for a token before each call; Server-to-Server
    /// credentials need a vendor with app sign-in.
    pub(crate) fn into_provider(
        self,
        token_endpoint: OAuthEndpoint,
        shared: Option<Arc<dyn SharedState>>,
    ) -> Result<Option<Arc<dyn TokenProvider>>, Error> {
        Ok(match self {
            Self::ServerToServer {
                account_id,
                client_id,
                client_secret,
            } => {
                let vendor = token_endpoint.vendor;
                let (Some(grant), Some(url)) =
                    (&vendor.app_sign_in, token_endpoint.app_token_url.clone())
                else {
                    return Err(Error::config(format!(
                        "Server-to-Server credentials need a vendor with app sign-in; the \
                         client's vendor is `{}` (a generated client sets its own; an \
                         `ApiClient` takes one with `ClientBuilder::vendor`)",
                        vendor.name
                    )));
                };
                Some(Arc::new(ServerToServer {
                    account_id,
                    client_id,
                    client_secret,
                    grant,
                    url,
                    endpoint: token_endpoint,
                    state: Mutex::new(TokenState::default()),
                    fetches: AtomicU64::new(0),
                    shared,
                }))
            }
            Self::UserGrant(grant) => Some(Arc::new(GrantTokens::new(grant, token_endpoint))),
            Self::Minted(minter) => Some(Arc::new(MintedTokens::new(
                minter,
                token_endpoint.refresh_margin,
            ))),
            Self::Bearer(token) => Some(Arc::new(StaticToken(token))),
            Self::Provider(provider) => Some(provider),
            Self::None => None,
        })
    }
}

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

/// A fixed token; it cannot be refreshed, so a 401 is final.
#[derive(Debug)]
struct StaticToken(Secret);

impl TokenProvider for StaticToken {
    fn token<'a>(
        &'a self,
        _stale: Option<&'a Secret>,
    ) -> Pin<Box<dyn Future<Output = Result<Secret, Error>> + Send + 'a>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }

    fn current(&self) -> Option<Secret> {
        Some(self.0.clone())
    }
}

/// Mints access tokens (a vendor's signed JWT) for [`Credentials::Minted`]: the client asks
/// for a new one before the last expires, and once after a 401.
pub trait MintTokens: Send + Sync + fmt::Debug {
    /// A new token and how long it is valid.
    fn mint(&self) -> Result<(Secret, Duration), Error>;
}

/// The provider of minted tokens: each kept until its refresh is due.
#[derive(Debug)]
pub(crate) struct MintedTokens {
    minter: Arc<dyn MintTokens>,
    refresh_margin: Duration,
    cached: TokenCache,
}

impl MintedTokens {
    pub(crate) fn new(minter: Arc<dyn MintTokens>, refresh_margin: Duration) -> Self {
        Self {
            minter,
            refresh_margin,
            cached: TokenCache::default(),
        }
    }

    fn mint(&self) -> Result<CachedToken, Error> {
        let minted_at = Instant::now();
        let (token, lifetime) = self.minter.mint()?;
        let margin = self.refresh_margin.min(lifetime / 2);
        Ok(CachedToken {
            token,
            refresh_at: minted_at + (lifetime - margin),
            scope: None,
        })
    }
}

impl TokenProvider for MintedTokens {
    fn current(&self) -> Option<Secret> {
        self.cached.current()
    }

    fn token<'a>(
        &'a self,
        stale: Option<&'a Secret>,
    ) -> Pin<Box<dyn Future<Output = Result<Secret, Error>> + Send + 'a>> {
        // A token the server rejected is replaced by a newly minted one, once (the client
        // retries a 401 once).
        Box::pin(self.cached.get(stale, || std::future::ready(self.mint())))
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

/// What the last token request left behind.
#[derive(Debug, Default)]
struct TokenState {
    token: Option<CachedToken>,
    /// Why the last token request failed, for the calls that were waiting on it.
    failure: Option<String>,
}

/// Server-to-Server OAuth. The mutex is held across the token request, so concurrent
/// calls that find no fresh token wait for the one request in flight instead of each sending
/// their own (a new token can invalidate the previous one). If that request fails, the calls
/// that were waiting share its failure rather than each trying again in turn.
#[derive(Debug)]
struct ServerToServer {
    account_id: String,
    client_id: String,
    client_secret: Secret,
    /// The vendor's grant.
    grant: &'static AppSignIn,
    /// Where tokens are requested.
    url: url::Url,
    endpoint: OAuthEndpoint,
    state: Mutex<TokenState>,
    /// Token requests completed, successful or not; tells a waiter whether one ended meanwhile.
    fetches: AtomicU64,
    /// The fleet's token cache, when the client's state is shared.
    shared: Option<Arc<dyn SharedState>>,
}

/// How long one worker may hold the right to fetch the fleet's next token.
const REFRESH_LOCK: Duration = Duration::from_secs(10);

/// How often a worker waiting for another's token fetch looks for the token.
const SHARED_POLL: Duration = Duration::from_millis(20);

impl TokenProvider for ServerToServer {
    /// The cached token while it is fresh and no token request holds the state.
    fn current(&self) -> Option<Secret> {
        let state = self.state.try_lock().ok()?;
        let cached = state.token.as_ref()?;
        cached.is_fresh().then(|| cached.token.clone())
    }

    fn granted_scopes(&self) -> Option<String> {
        self.state.try_lock().ok()?.token.as_ref()?.scope.clone()
    }

    fn token<'a>(
        &'a self,
        stale: Option<&'a Secret>,
    ) -> Pin<Box<dyn Future<Output = Result<Secret, Error>> + Send + 'a>> {
        Box::pin(async move {
            let fetches_before = self.fetches.load(Ordering::Acquire);
            let mut state = self.state.lock().await;
            if let Some(current) = &state.token {
                let rejected = stale.is_some_and(|stale| *stale == current.token);
                if !rejected && current.is_fresh() {
                    return Ok(current.token.clone());
                }
            }
            if let Some(failure) = &state.failure
                && self.fetches.load(Ordering::Acquire) != fetches_before
            {
                return Err(Error::Auth {
                    message: format!("{failure} (a concurrent call's token request)"),
                    source: None,
                });
            }
            let fetched = match &self.shared {
                Some(shared) => self.fleet_token(shared.as_ref(), stale).await,
                None => self.fetch().await,
            };
            self.fetches.fetch_add(1, Ordering::Release);
            match fetched {
                Ok(fresh) => {
                    let token = fresh.token.clone();
                    *state = TokenState {
                        token: Some(fresh),
                        failure: None,
                    };
                    Ok(token)
                }
                Err(error) => {
                    state.failure = Some(error.to_string());
                    Err(error)
                }
            }
        })
    }
}

/// The longest a Server-to-Server token is cached, whatever `expires_in` says.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The token endpoint's answer; `Secret` keeps the token out of any `Debug` of it.
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: Secret,
    /// Seconds; an hour is assumed when absent.
    expires_in: Option<u64>,
    /// The scopes granted, space-separated.
    scope: Option<String>,
}

impl ServerToServer {
    /// The fleet's token: the cached one unless it is the `stale` one a 401 rejected (which
    /// is then dropped for everyone, once), else fetched by whichever worker takes the refresh
    /// lock while the others wait for it (bounded by the lock's lifetime).
    async fn fleet_token(
        &self,
        shared: &dyn SharedState,
        stale: Option<&Secret>,
    ) -> Result<CachedToken, Error> {
        if let Some(stale) = stale {
            shared.invalidate_token(stale).await;
        }
        let give_up = Instant::now() + REFRESH_LOCK;
        let cached = |token: Secret, left: Duration| {
            let margin = self.endpoint.refresh_margin.min(left / 2);
            CachedToken {
                token,
                refresh_at: Instant::now() + (left - margin),
                scope: None,
            }
        };
        loop {
            if let Some((token, left)) = shared.shared_token().await
                && Some(&token) != stale
            {
                return Ok(cached(token, left));
            }
            if shared.lock_token_refresh(REFRESH_LOCK).await {
                // The worker that held the lock may have stored its token and released the
                // lock between the look above and this lock: use that token (storing it again
                // releases the lock) instead of fetching a second one.
                if let Some((token, left)) = shared.shared_token().await
                    && Some(&token) != stale
                {
                    shared.store_token(&token, left).await;
                    return Ok(cached(token, left));
                }
                let fresh = match self.fetch().await {
                    Ok(fresh) => fresh,
                    Err(error) => {
                        shared.release_token_refresh().await;
                        return Err(error);
                    }
                };
                let left = fresh.refresh_at.saturating_duration_since(Instant::now());
                shared.store_token(&fresh.token, left).await;
                return Ok(fresh);
            }
            if Instant::now() >= give_up {
                // The holder of the lock vanished without a token: fetch one here.
                return self.fetch().await;
            }
            tokio::time::sleep(SHARED_POLL).await;
        }
    }

    async fn fetch(&self) -> Result<CachedToken, Error> {
        let endpoint = &self.endpoint;
        let requested_at = Instant::now();
        tracing::debug!(url = %self.url, "requesting a Server-to-Server access token");
        let request = endpoint
            .http
            .post(self.url.clone())
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .form(&[
                ("grant_type", self.grant.grant_type),
                (self.grant.account_field, &self.account_id),
            ]);
        let via = TokenVia {
            http: &endpoint.http,
            hooks: endpoint.hooks.as_deref(),
            timeout: endpoint.timeout,
            vendor: endpoint.vendor,
        };
        let parsed: TokenResponse = match token_exchange(via, request).await? {
            Ok(parsed) => parsed,
            Err(refused) => {
                return Err(auth_error(
                    "the token endpoint refused the credentials",
                    Error::Api(Box::new(refused)),
                ));
            }
        };
        // Clamped: a hostile or broken endpoint's `expires_in` (up to u64::MAX) must neither
        // overflow the clock nor keep a token cached for ever.
        let lifetime =
            Duration::from_secs(parsed.expires_in.unwrap_or(3600)).min(MAX_TOKEN_LIFETIME);
        let margin = endpoint.refresh_margin.min(lifetime / 2);
        Ok(CachedToken {
            token: parsed.access_token,
            refresh_at: requested_at + (lifetime - margin),
            scope: parsed.scope,
        })
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
