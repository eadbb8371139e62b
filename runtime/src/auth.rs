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

use crate::error::Error;
use crate::grant::TokenStore;
use crate::oauth::{GrantTokens, OAuthApp, UserGrant};
use crate::secret::Secret;
use crate::shared::SharedState;
use crate::tokens::{
    CachedToken, OAuthEndpoint, TokenCache, TokenProvider, TokenVia, auth_error, token_exchange,
};
use crate::vendor::AppSignIn;

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
