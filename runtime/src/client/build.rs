//! Making a client from its builder's settings: the base and token URLs checked, the HTTP
//! client (with the redirect policy of [`credential_hosts`]), the token provider, the budget.

use std::sync::{Arc, Mutex};

use http::header::HeaderValue;
use url::Url;

use super::transport::{Reading, trimmed};
use super::{ApiClient, Inner};
use crate::builder::ClientBuilder;
use crate::download::credential_hosts;
use crate::error::Error;
use crate::limiter::Budget;
use crate::shared::{LocalState, SharedState};
use crate::tokens::OAuthEndpoint;

impl<C: From<ApiClient>> ClientBuilder<C> {
    /// Checks the configuration and creates the client.
    pub fn build(self) -> Result<C, Error> {
        self.api_client().map(C::from)
    }

    fn api_client(self) -> Result<ApiClient, Error> {
        let settings = self.settings;
        let base = parse_base_url("base URL", &settings.base_url)?;
        let vendor = settings.vendor;
        let app_token_url = match &vendor.app_sign_in {
            Some(sign_in) => {
                let host = settings
                    .oauth_base_url
                    .as_deref()
                    .unwrap_or(sign_in.oauth_base_url);
                let oauth_base = parse_base_url("OAuth base URL", host)?;
                let url = format!("{}{}", trimmed(&oauth_base), sign_in.token_path);
                Some(
                    Url::parse(&url)
                        .map_err(|e| Error::config(format!("invalid OAuth base URL: {e}")))?,
                )
            }
            None => None,
        };
        let mut credential_hosts = settings
            .download_hosts
            .iter()
            .map(|host| credential_hosts::allowed_download_host(host))
            .collect::<Result<Vec<_>, _>>()?;
        credential_hosts.extend(credential_hosts::default_credential_hosts(
            vendor.credential_hosts,
            &base,
        ));
        let http = match settings.http_client {
            Some(client) => client,
            None => {
                let mut builder =
                    reqwest::Client::builder().redirect(credential_hosts::redirect_policy());
                if let Some(connect) = settings.timeouts.connect {
                    builder = builder.connect_timeout(connect);
                }
                builder
                    .build()
                    .map_err(|e| Error::config(format!("cannot create the HTTP client: {e}")))?
            }
        };
        let user_agent = HeaderValue::from_str(&settings.user_agent)
            .map_err(|e| Error::config(format!("invalid user agent: {e}")))?;
        let state: Arc<dyn SharedState> = settings
            .shared_state
            .unwrap_or_else(|| Arc::new(LocalState::new()));
        let auth = settings.credentials.into_provider(
            OAuthEndpoint {
                vendor,
                app_token_url,
                http: http.clone(),
                timeout: settings.timeouts.per_attempt,
                refresh_margin: settings.token_refresh_margin,
                hooks: settings.hooks.clone(),
            },
            state.is_shared().then(|| state.clone()),
        )?;
        Ok(ApiClient {
            inner: Arc::new(Inner {
                credential_hosts,
                reading: Reading {
                    max_bytes: settings.max_response_bytes,
                    vendor,
                },
                base_url: trimmed(&base).to_owned(),
                base_origin: base.origin(),
                base,
                http,
                auth,
                retry: settings.retry,
                timeouts: settings.timeouts,
                budget: Budget::new(&settings.rate_limits, state)?,
                hooks: settings.hooks,
                user_agent,
                authorization: Mutex::new(None),
            }),
        })
    }
}

/// An http(s) URL without query or fragment, so paths can be appended to it.
fn parse_base_url(what: &str, text: &str) -> Result<Url, Error> {
    let url =
        Url::parse(text).map_err(|e| Error::config(format!("invalid {what} `{text}`: {e}")))?;
    let usable = matches!(url.scheme(), "http" | "https")
        && url.has_host()
        && url.query().is_none()
        && url.fragment().is_none();
    if usable {
        Ok(url)
    } else {
        Err(Error::config(format!(
            "the {what} `{text}` must be an http(s) URL without query or fragment"
        )))
    }
}
