//! [`ClientBuilder`]: every setting of an [`ApiClient`](crate::ApiClient), each with a default
//! suited to production use; `build` (in `client`) checks them and makes the client.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::Credentials;
use crate::hooks::ClientHooks;
use crate::limiter::RateLimits;
use crate::retry::RetryConfig;
use crate::shared::SharedState;
use crate::timeouts::Timeouts;
use crate::vendor::Vendor;

/// Configures an [`ApiClient`](crate::ApiClient), or a generated client over one (`C`, from
/// its `Client::builder`); every setting has a default suited to production use.
#[derive(Debug)]
pub struct ClientBuilder<C = crate::ApiClient> {
    pub(crate) settings: Settings,
    /// What `build` makes.
    client: std::marker::PhantomData<fn() -> C>,
}

/// Every setting of a [`ClientBuilder`], whatever it builds.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) vendor: &'static Vendor,
    /// Where app tokens come from, when not the vendor's host.
    pub(crate) oauth_base_url: Option<String>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: Timeouts,
    pub(crate) rate_limits: RateLimits,
    pub(crate) shared_state: Option<Arc<dyn SharedState>>,
    pub(crate) hooks: Option<Arc<dyn ClientHooks>>,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) user_agent: String,
    pub(crate) token_refresh_margin: Duration,
    pub(crate) download_hosts: Vec<String>,
    pub(crate) max_response_bytes: usize,
}

impl ClientBuilder {
    /// A builder of `settings`.
    pub(crate) fn with(settings: Settings) -> Self {
        Self {
            settings,
            client: std::marker::PhantomData,
        }
    }
}

/// The default of [`ClientBuilder::max_response_bytes`]: 64 MiB, far above any JSON page an
/// API sends, far below what would exhaust a worker's memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

impl<C> ClientBuilder<C> {
    /// The API's base URL (a test server's, a proxy's), instead of the one given first.
    pub fn base_url(mut self, url: &str) -> Self {
        url.clone_into(&mut self.settings.base_url);
        self
    }

    /// The same settings, building a `D` (a generated client over the [`ApiClient`](crate::ApiClient)).
    pub fn building<D: From<crate::ApiClient>>(self) -> ClientBuilder<D> {
        ClientBuilder {
            settings: self.settings,
            client: std::marker::PhantomData,
        }
    }

    /// The vendor whose API this is (a generated client passes its own): how it signs apps in,
    /// announces rate limits and request ids, shapes its errors, and where its files are; see
    /// [`Vendor`]. Default [`Vendor::GENERIC`].
    pub fn vendor(mut self, vendor: &'static Vendor) -> Self {
        self.settings.vendor = vendor;
        self
    }

    /// Where Server-to-Server tokens are requested (`{url}` and the vendor's token path), a
    /// test server's or a proxy's; default the vendor's OAuth host.
    pub fn oauth_base_url(mut self, url: &str) -> Self {
        self.settings.oauth_base_url = Some(url.to_owned());
        self
    }

    setters! {
        in settings;

        /// How failed attempts are retried; see [`RetryConfig`].
        fn retry(retry: RetryConfig);

        /// Connect, per-attempt and total time limits; see [`Timeouts`].
        fn timeouts(timeouts: Timeouts);

        /// Turns on the client-side limiter for the labels given a rate.
        fn rate_limits(rate_limits: RateLimits);

        /// How long before its expiry a Server-to-Server token is replaced (default 60 s, at most
        /// half the token's lifetime), so no request goes out with a token about to expire.
        fn token_refresh_margin(token_refresh_margin: Duration);

        /// The largest response body an API call reads (default
        /// [`DEFAULT_MAX_RESPONSE_BYTES`], 64 MiB); a larger one fails with
        /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) as soon as it is known to be larger, without reading the
        /// rest. Downloads are not bounded by it: they stream to disk.
        fn max_response_bytes(max_response_bytes: usize);
    }

    /// Where the access token and the rate budget live; default [`LocalState`](crate::LocalState), this process.
    /// With a state shared by many workers (`RedisState`, feature
    /// `redis`), they fetch one Server-to-Server token per expiry between them, keep the
    /// [`rate_limits`](Self::rate_limits) together, and pause together on a 429.
    pub fn shared_state(mut self, state: Arc<dyn SharedState>) -> Self {
        self.settings.shared_state = Some(state);
        self
    }

    /// Hooks called around every attempt of every call: headers, signing, logging, metrics.
    pub fn hooks(mut self, hooks: Arc<dyn ClientHooks>) -> Self {
        self.settings.hooks = Some(hooks);
        self
    }

    /// Uses an existing HTTP client (shared pool, proxies, TLS settings); its own connect
    /// timeout then applies instead of [`Timeouts::connect`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.settings.http_client = Some(client);
        self
    }

    /// The `User-Agent` sent with every request; default `zoomgen-runtime/<version>`.
    pub fn user_agent(mut self, user_agent: &str) -> Self {
        user_agent.clone_into(&mut self.settings.user_agent);
        self
    }

    /// Further hosts that [`ApiClient::download`](crate::ApiClient::download) may send the client's token (or an
    /// [`access_token`](crate::Download::access_token)) to, each with its subdomains
    /// (`"example.com"` covers `files.example.com`). Without this, credentials go only to the
    /// API's host and, for a vendor whose files share the API's domain
    /// ([`CredentialHosts::RegistrableDomain`](crate::vendor::CredentialHosts)), the hosts
    /// under its registrable domain (`api.example.com` → `*.example.com`; by the public suffix
    /// list, so `x.herokuapp.com` trusts no other `*.herokuapp.com`), over https (plain http
    /// only to loopback addresses). An entry that is empty, not a bare host name
    /// or IP address, or a public suffix (`com`, `herokuapp.com`) makes `build` fail. A download URL can come from a webhook body,
    /// which anyone can post, so any other host is refused unless the download is made
    /// [`without_credentials`](crate::Download::without_credentials).
    pub fn download_hosts<I, S>(mut self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.download_hosts.extend(
            hosts
                .into_iter()
                .map(|host| host.into().to_ascii_lowercase()),
        );
        self
    }
}
