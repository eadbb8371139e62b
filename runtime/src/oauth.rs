//! User OAuth (the authorization-code flow with PKCE) and the provider that keeps a user's
//! grant fresh, for any vendor with user sign-in ([`UserSignIn`]).
//!
//! [`OAuthApp`] holds an app's client credentials and its vendor's endpoints:
//! [`authorization_request`](OAuthApp::authorization_request) makes the URL the user opens
//! (with `state` and an S256 PKCE challenge), [`exchange_code`](OAuthApp::exchange_code)
//! turns the code the redirect brings into a [`Grant`]. A client built with
//! [`Credentials::user_grant`](crate::Credentials::user_grant) then sends the grant's access
//! token and refreshes it before it expires, and after a 401, under the store's lock: one
//! refresh per grant at a time across every client sharing the store, the new grant saved
//! before its access token is sent. A refresh the server refuses as `invalid_grant`, or with
//! a reason its vendor knows for it (the user revoked the app, or the refresh token was used
//! elsewhere), is [`Error::ReauthorizationRequired`], never retried.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use tokio::time::Instant;
use url::Url;

use crate::error::{ApiError, Error};
use crate::grant::{Grant, TokenStore, unix_now};
use crate::secret::Secret;
use crate::tokens::{
    CachedToken, OAuthEndpoint, TokenCache, TokenProvider, TokenVia, auth_error, token_exchange,
};
use crate::vendor::{ClientAuth, UserSignIn, Vendor};

/// How long one client may hold a grant's refresh lock.
const REFRESH_LOCK: Duration = Duration::from_secs(15);

/// How often a client waiting for another's refresh looks at the store.
const STORE_POLL: Duration = Duration::from_millis(20);

/// The longest an access token is taken to live, whatever `expires_in` says.
const MAX_TOKEN_LIFETIME: u64 = 24 * 60 * 60;

/// An OAuth app: its client credentials and its vendor's authorization and token endpoints.
#[derive(Debug, Clone)]
pub struct OAuthApp {
    client_id: String,
    client_secret: Secret,
    /// Checked URLs (fixed ones, or given to [`OAuthApp::with_endpoints`]).
    authorize_url: String,
    token_url: String,
    /// The vendor's sign-in: how the app proves who it is, which refusals mean a lost grant.
    sign_in: &'static UserSignIn,
    /// Whose token endpoint it is: how its error bodies read.
    vendor: &'static Vendor,
}

/// What [`OAuthApp::authorization_request`] makes: the URL to send the user to, and what the
/// redirect must be checked against and the code exchanged with.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuthorizationRequest {
    /// The URL the user opens to authorize the app.
    pub url: Url,
    /// The `state` the redirect must bring back unchanged (else it is forged).
    pub state: String,
    /// The PKCE verifier: give it to [`OAuthApp::exchange_code`].
    pub verifier: Secret,
    /// The redirect URI, given again to [`OAuthApp::exchange_code`].
    pub redirect_uri: String,
}

fn parse(url: &str) -> Result<Url, Error> {
    Url::parse(url).map_err(|e| Error::Config {
        message: format!("invalid OAuth URL `{url}`: {e}"),
    })
}

/// `bytes` random bytes from the OS, base64url without padding.
fn random_text(bytes: usize) -> Result<String, Error> {
    let mut buffer = vec![0; bytes];
    getrandom::fill(&mut buffer).map_err(|e| Error::Auth {
        message: format!("the OS gave no random bytes: {e}"),
        source: None,
    })?;
    Ok(URL_SAFE_NO_PAD.encode(buffer))
}

impl OAuthApp {
    /// An app of `vendor`, whose user sign-in is `sign_in` (for the constructors of the
    /// vendor modules).
    pub(crate) fn with(
        vendor: &'static Vendor,
        sign_in: &'static UserSignIn,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            authorize_url: sign_in.authorize_url.to_owned(),
            token_url: sign_in.token_url.to_owned(),
            sign_in,
            vendor,
        }
    }

    /// The same app with other endpoints (a test server, a proxy): the authorization and the
    /// token URL.
    pub fn with_endpoints(mut self, authorize_url: &str, token_url: &str) -> Result<Self, Error> {
        self.authorize_url = parse(authorize_url)?.into();
        self.token_url = parse(token_url)?.into();
        Ok(self)
    }

    /// The app's client ID.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The URL that asks the user to authorize the app, with a fresh `state` and an S256 PKCE
    /// challenge; `scopes` may be empty (the app's configured scopes apply).
    pub fn authorization_request(
        &self,
        redirect_uri: &str,
        scopes: &[&str],
    ) -> Result<AuthorizationRequest, Error> {
        let state = random_text(24)?;
        let verifier = random_text(32)?;
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let mut url = parse(&self.authorize_url)?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("response_type", "code")
                .append_pair("client_id", &self.client_id)
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("state", &state)
                .append_pair("code_challenge", &challenge)
                .append_pair("code_challenge_method", "S256");
            if !scopes.is_empty() {
                query.append_pair("scope", &scopes.join(" "));
            }
        }
        Ok(AuthorizationRequest {
            url,
            state,
            verifier: Secret::new(verifier),
            redirect_uri: redirect_uri.to_owned(),
        })
    }

    /// Exchanges the `code` the redirect brought for a grant (check its `state` first).
    pub async fn exchange_code(
        &self,
        http: &reqwest::Client,
        request: &AuthorizationRequest,
        code: &str,
    ) -> Result<Grant, Error> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", request.redirect_uri.as_str()),
            ("code_verifier", request.verifier.expose()),
        ];
        let via = TokenVia {
            http,
            hooks: None,
            timeout: None,
            vendor: self.vendor,
        };
        self.token_request(via, &form, None).await
    }

    /// Refreshes `grant`: the new grant, which keeps the old refresh token when the answer has
    /// none (not every vendor rotates them).
    async fn refresh(
        &self,
        endpoint: &OAuthEndpoint,
        key: &str,
        grant: &Grant,
    ) -> Result<Grant, Error> {
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", grant.refresh_token.expose()),
        ];
        let via = TokenVia {
            http: &endpoint.http,
            hooks: endpoint.hooks.as_deref(),
            timeout: endpoint.timeout,
            vendor: self.vendor,
        };
        self.token_request(via, &form, Some((key, grant))).await
    }

    /// Posts `form` to the token endpoint; `refreshing` is the grant a refresh replaces.
    async fn token_request(
        &self,
        via: TokenVia<'_>,
        form: &[(&str, &str)],
        refreshing: Option<(&str, &Grant)>,
    ) -> Result<Grant, Error> {
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        let mut request = via.http.post(self.token_url.as_str());
        match self.sign_in.client_auth {
            ClientAuth::Basic => {
                request = request.basic_auth(&self.client_id, Some(self.client_secret.expose()));
            }
            ClientAuth::Form => {
                fields.push(("client_id", &self.client_id));
                fields.push(("client_secret", self.client_secret.expose()));
            }
        }
        #[derive(serde::Deserialize)]
        struct Answer {
            access_token: Secret,
            refresh_token: Option<Secret>,
            expires_in: Option<u64>,
            scope: Option<String>,
        }
        let requested_at = unix_now();
        let answer: Answer = match token_exchange(via, request.form(&fields)).await? {
            Ok(answer) => answer,
            Err(refused) => {
                if let Some((key, _)) = refreshing
                    && self.grant_is_gone(&refused)
                {
                    return Err(Error::ReauthorizationRequired {
                        grant: key.to_owned(),
                        message: refused.to_string(),
                    });
                }
                return Err(auth_error(
                    "the token endpoint refused the request",
                    Error::Api(Box::new(refused)),
                ));
            }
        };
        let refresh_token = match (answer.refresh_token, refreshing) {
            (Some(token), _) => token,
            (None, Some((_, old))) => old.refresh_token.clone(),
            (None, None) => {
                return Err(Error::Auth {
                    message: "the token response has no refresh_token".into(),
                    source: None,
                });
            }
        };
        let lifetime = answer.expires_in.unwrap_or(3600).min(MAX_TOKEN_LIFETIME);
        Ok(Grant {
            access_token: answer.access_token,
            refresh_token,
            expires_at: requested_at + lifetime,
            scope: answer
                .scope
                .or_else(|| refreshing.and_then(|(_, old)| old.scope.clone())),
        })
    }

    /// Whether a refused refresh means the grant is gone: OAuth's `invalid_grant`, or a reason
    /// the vendor gives for a used or revoked refresh token.
    fn grant_is_gone(&self, refused: &ApiError) -> bool {
        let body: serde_json::Value = serde_json::from_slice(&refused.body).unwrap_or_default();
        let invalid_grant =
            body.get("error").and_then(serde_json::Value::as_str) == Some("invalid_grant");
        let revoked = refused.message.as_deref().is_some_and(|message| {
            self.sign_in
                .revoked_reasons
                .iter()
                .any(|reason| message.eq_ignore_ascii_case(reason))
        });
        matches!(refused.status, 400 | 401) && (invalid_grant || revoked)
    }
}

/// Where a client's user grant comes from: the app, the store and the grant's key.
#[derive(Debug, Clone)]
pub struct UserGrant {
    pub(crate) app: OAuthApp,
    pub(crate) store: Arc<dyn TokenStore>,
    pub(crate) key: String,
}

/// The provider of a client signed in with a user's grant.
#[derive(Debug)]
pub(crate) struct GrantTokens {
    grant: UserGrant,
    endpoint: OAuthEndpoint,
    cached: TokenCache,
}

impl GrantTokens {
    pub(crate) fn new(grant: UserGrant, endpoint: OAuthEndpoint) -> Self {
        Self {
            grant,
            endpoint,
            cached: TokenCache::default(),
        }
    }

    /// `grant`'s access token cached until its refresh is due, when it is usable and not the
    /// `stale` one a 401 rejected.
    fn usable(&self, grant: &Grant, stale: Option<&Secret>) -> Option<CachedToken> {
        if stale == Some(&grant.access_token) {
            return None;
        }
        let left = grant.usable_for(self.endpoint.refresh_margin)?;
        Some(CachedToken {
            token: grant.access_token.clone(),
            refresh_at: Instant::now() + left,
            scope: grant.scope.clone(),
        })
    }

    /// The stored grant, or the error that says the user must authorize.
    async fn stored(&self) -> Result<Grant, Error> {
        let UserGrant { store, key, .. } = &self.grant;
        store
            .load(key)
            .await?
            .ok_or_else(|| Error::ReauthorizationRequired {
                grant: key.clone(),
                message: "no grant is stored under this key: the user has not authorized the app"
                    .into(),
            })
    }

    /// A usable token: the store's, or a refresh's under the store's lock.
    async fn fresh(&self, stale: Option<&Secret>) -> Result<CachedToken, Error> {
        let UserGrant { app, store, key } = &self.grant;
        let give_up = Instant::now() + 2 * REFRESH_LOCK;
        loop {
            // Another client (here or in another process) may have refreshed already.
            if let Some(token) = self.usable(&self.stored().await?, stale) {
                return Ok(token);
            }
            if let Some(lock) = store.try_lock(key, REFRESH_LOCK).await? {
                // Read again under the lock: the last holder may have rotated the grant just
                // before releasing it, and its refresh token is the only one that works now.
                let outcome = async {
                    let grant = self.stored().await?;
                    if let Some(token) = self.usable(&grant, stale) {
                        return Ok(token);
                    }
                    tracing::debug!(grant = %key, "refreshing a user grant");
                    let renewed = app.refresh(&self.endpoint, key, &grant).await?;
                    // Saved before use: the old refresh token no longer works.
                    store.save(key, &renewed).await?;
                    self.usable(&renewed, None).ok_or_else(|| Error::Auth {
                        message: "the refreshed access token expires at once".into(),
                        source: None,
                    })
                }
                .await;
                lock.release().await;
                return outcome;
            }
            if Instant::now() >= give_up {
                return Err(Error::Auth {
                    message: format!(
                        "the grant `{key}` stayed locked by another refresh for {:?}",
                        2 * REFRESH_LOCK
                    ),
                    source: None,
                });
            }
            tokio::time::sleep(STORE_POLL).await;
        }
    }
}

impl TokenProvider for GrantTokens {
    fn current(&self) -> Option<Secret> {
        self.cached.current()
    }

    fn granted_scopes(&self) -> Option<String> {
        self.cached.scopes()
    }

    fn token<'a>(
        &'a self,
        stale: Option<&'a Secret>,
    ) -> Pin<Box<dyn Future<Output = Result<Secret, Error>> + Send + 'a>> {
        Box::pin(self.cached.get(stale, move || self.fresh(stale)))
    }
}
