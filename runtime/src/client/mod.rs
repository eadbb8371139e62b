//! The client that sends requests: the orchestration of each call's attempts
//! (authentication, limiter, retries, timeouts and tracing). Making the client from its
//! builder is in [`build`], the transport of one attempt (URL, request, body) in
//! [`transport`].
//!
//! # The call's state budget
//!
//! Every call allocates one block: the future [`ApiClient::execute`] boxes. It holds the
//! [`Request`] and the attempts' state: the call's clock, deadline and token, and the one
//! attempt in flight (reqwest's response future, the body read and one timer, in
//! [`ApiClient::finish`]). It must fit [`CALL_STATE_BUDGET`], 1,032 bytes, the largest block
//! glibc's per-thread cache serves (glibc 2.26 and later; `GLIBC_TUNABLES` cannot raise it):
//! a larger one takes malloc's slow path through its bins on every call. A unit test checks
//! it, and `cargo xtask bench` shows it. What keeps it there:
//! - what only some calls await (a token request, a limiter wait, hooks, a failure and its
//!   backoff, a tracing span) is boxed where it is awaited;
//! - an attempt's outcome is never borrowed across an await, nor kept past the attempt (a
//!   borrowed local stays in the state at every later await);
//! - what few requests set (headers, a body, overrides) is boxed inside [`Request`].

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::header::HeaderValue;
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

mod build;
mod transport;

use transport::{Reading, receive};

use crate::auth::Credentials;
use crate::builder::{ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, Settings};
use crate::download::credential_hosts;
use crate::error::{ApiError, Error, TimeoutKind};
use crate::future::BoxFuture;
use crate::hooks::ClientHooks;
use crate::limiter::{Budget, RateLimits};
use crate::meta::OperationMeta;
use crate::request::Request;
use crate::response::RawResponse;
use crate::retry::{RetryConfig, RetryStrategy};
use crate::secret::Secret;
use crate::timeouts::{self, Timeouts};
use crate::tokens::TokenProvider;
use crate::vendor::Vendor;

/// The most the state every call allocates may take: see the module's documentation.
pub const CALL_STATE_BUDGET: usize = 1032;

/// Sends requests for generated clients. Cheap to clone: clones share the connection pool,
/// the token cache and the rate limiter.
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    /// Without a trailing slash, so path templates (which start with `/`) append directly.
    base_url: String,
    /// The base URL parsed once; each request's URL is a copy with its path and query set.
    base: Url,
    base_origin: url::Origin,
    http: reqwest::Client,
    auth: Option<Arc<dyn TokenProvider>>,
    retry: RetryConfig,
    timeouts: Timeouts,
    budget: Budget,
    hooks: Option<Arc<dyn ClientHooks>>,
    user_agent: HeaderValue,
    /// Hosts downloads may send credentials to (each also covers its subdomains).
    credential_hosts: Vec<String>,
    /// How responses are read: the largest body read into memory, and the vendor.
    reading: Reading,
    /// The token last sent and its `Authorization` value: tokens change rarely, and reusing
    /// the prepared value spares formatting and validating a header on every call.
    authorization: Mutex<Option<(Secret, HeaderValue)>>,
}

impl ApiClient {
    /// A client with default settings for the API at `base_url` (e.g.
    /// `https://api.example.com/v2`), of no known vendor ([`Vendor::GENERIC`]).
    pub fn new(base_url: &str, credentials: Credentials) -> Result<Self, Error> {
        Self::builder(base_url, credentials).build()
    }

    /// A builder to change the defaults.
    pub fn builder(base_url: &str, credentials: Credentials) -> ClientBuilder {
        ClientBuilder::with(Settings {
            base_url: base_url.to_owned(),
            credentials,
            vendor: &Vendor::GENERIC,
            oauth_base_url: None,
            retry: RetryConfig::default(),
            timeouts: Timeouts::default(),
            rate_limits: RateLimits::default(),
            shared_state: None,
            hooks: None,
            http_client: None,
            user_agent: concat!("zoomgen-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            token_refresh_margin: Duration::from_secs(60),
            download_hosts: Vec::new(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        })
    }

    /// The API base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The HTTP client, shared with downloads so they use the same pool and TLS settings.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The retry configuration downloads resume with.
    pub(crate) fn retry_config(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// The time limits; downloads use the per-attempt limit as their idle limit.
    pub(crate) fn timeouts(&self) -> &Timeouts {
        &self.inner.timeouts
    }

    /// The vendor whose API this is.
    pub(crate) fn vendor(&self) -> &'static Vendor {
        self.inner.reading.vendor
    }

    /// The hooks, which see download requests too.
    pub(crate) fn hooks(&self) -> Option<&dyn ClientHooks> {
        self.inner.hooks.as_deref()
    }

    /// The configured `User-Agent`.
    pub(crate) fn user_agent(&self) -> &HeaderValue {
        &self.inner.user_agent
    }

    /// Why credentials must not go to `url`, or `None` when they may (see
    /// [`credential_hosts`]).
    pub(crate) fn credentials_refused(&self, url: &Url) -> Option<String> {
        credential_hosts::refusal(&self.inner.credential_hosts, url)
    }

    /// Sends `request`: validates it, authenticates, waits for the limiter, retries as
    /// configured, and returns the 2xx response, or the error (non-2xx as [`Error::Api`]).
    /// Each call is one `tracing` span `zoomgen.request`.
    ///
    /// The future is boxed: the call's state (the request, retries, timers, reqwest's response
    /// future) would otherwise be embedded in every generated operation's future and moved
    /// around on each call. Its size is held to the module's budget.
    pub fn execute(&self, request: Request) -> BoxFuture<'_, Result<RawResponse, Error>> {
        // Allocated before the future is made, so that the future is written in place:
        // `Box::pin` would build it on the stack and copy all of it into the box, though only
        // the request and the client are set before the first poll.
        let slot = Box::new_uninit();
        let call = Box::write(slot, async move {
            if let Some(span) = call_span(request.meta) {
                // Someone listens: the span, its fields and the clock they are read from
                // live in a future of their own, so the common call's state holds none.
                let attempts = self.attempts(&request, Some(&span));
                return Box::pin(traced(&span, attempts)).await;
            }
            let result = self.attempts(&request, None).await;
            if let Err(error) = &result {
                tracing::debug!(%error, "request failed");
            }
            result
        });
        Box::into_pin(call)
    }

    /// The attempts of one call, until one succeeds or the error is final. Every attempt,
    /// the first included, takes the same steps: the limiter, the request sent (with the
    /// hooks around it when there are any) and read, and, when it fails,
    /// [`ApiClient::after_failure`]. What only some calls need (a token request, a limiter
    /// wait, hooks, a failure) is boxed where it is awaited, and only when it is: the state
    /// every call allocates holds one attempt and no more (see [`ApiClient::execute`]).
    async fn attempts(
        &self,
        request: &Request,
        span: Option<&tracing::Span>,
    ) -> Result<RawResponse, Error> {
        let started = Instant::now();
        request.check()?;
        // The total limit is kept as a deadline that every wait is held to, rather than a
        // timer around the whole call: one timer per attempt instead of two.
        let limits = request.timeouts_override().unwrap_or(&self.inner.timeouts);
        let deadline = timeouts::call_deadline(limits.total, started);
        let mut token = match self.token_at_hand() {
            Some(token) => token,
            None => Box::pin(self.first_token(request, deadline)).await?,
        };
        // Made at the first failure: most calls never fail.
        let mut retrying: Option<Box<Retrying<'_>>> = None;
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(span) = span {
                span.record("attempt", attempt);
            }
            let meta = request.meta;
            if !self.inner.budget.admits_at_once(meta.rate_limit) {
                let acquired =
                    self.inner
                        .budget
                        .acquire(meta.operation_id, meta.rate_limit, deadline);
                Box::pin(timeouts::until(deadline, meta.operation_id, acquired)).await?;
            }
            // The attempt's outcome lives in this block only: what is left of it (the
            // response, moved out of by parts) would otherwise stay in the call's state
            // across the failure's await.
            let next = {
                let response = match &self.inner.hooks {
                    None => {
                        let pending = self
                            .http_request(request, token.as_ref())
                            .map(|http_request| self.inner.http.execute(http_request));
                        self.finish(request, pending, deadline).await
                    }
                    Some(hooks) => {
                        let observed = self.observed(
                            hooks.as_ref(),
                            request,
                            attempt,
                            token.as_ref(),
                            deadline,
                        );
                        Box::pin(observed).await
                    }
                };
                let failed = match response {
                    Ok(response) => {
                        if let Some(span) = span {
                            span.record("status", response.status);
                        }
                        if response.is_success() {
                            return Ok(response);
                        }
                        Ok(response)
                    }
                    Err(error) => Err(error),
                };
                let retrying = retrying
                    .get_or_insert_with(|| Box::new(Retrying::new(&self.inner.retry, request)));
                Box::pin(self.after_failure(
                    request, failed, &mut token, retrying, attempt, started, deadline,
                ))
            };
            next.await?;
        }
    }

    /// The token of a call whose token was not at hand; a request that cannot be sent fails
    /// before the token request.
    async fn first_token(
        &self,
        request: &Request,
        deadline: Option<Instant>,
    ) -> Result<Option<Secret>, Error> {
        self.url(request)?;
        timeouts::until(deadline, request.meta.operation_id, self.token(None)).await
    }

    /// What follows failed attempt number `attempt` (a response other than 2xx, or an error):
    /// `Ok` to go on with the next attempt, at once (a 401 answered with a fresh token) or
    /// after a backoff, or the call's final error.
    #[allow(clippy::too_many_arguments)]
    async fn after_failure(
        &self,
        request: &Request,
        failed: Result<RawResponse, Error>,
        token: &mut Option<Secret>,
        retrying: &mut Retrying<'_>,
        attempt: u32,
        started: Instant,
        deadline: Option<Instant>,
    ) -> Result<(), Error> {
        let error = match failed {
            Ok(response) => {
                match self
                    .refused(request, response, token, &mut retrying.refreshed, deadline)
                    .await?
                {
                    Refusal::RetryNow => return Ok(()),
                    Refusal::Failed(error) => error,
                }
            }
            Err(error) => error,
        };
        let Some(delay) = retrying.strategy.delay(&error, attempt, started.elapsed()) else {
            return Err(error);
        };
        tracing::debug!(%error, delay_ms = delay.as_millis(), "retrying");
        back_off(delay, deadline, request.meta.operation_id).await
    }

    /// What a response other than 2xx means: a retry at once with a fresh token (the first
    /// 401 of a call, when the provider has a fresh one), or the call's error (which may
    /// still be retried after a backoff). A 429 pauses its rate-limit class first.
    async fn refused(
        &self,
        request: &Request,
        response: RawResponse,
        token: &mut Option<Secret>,
        refreshed: &mut bool,
        deadline: Option<Instant>,
    ) -> Result<Refusal, Error> {
        let operation = request.meta.operation_id;
        if response.status == 429
            && let Some(daily) = self.record_rate_limited(request, &response).await
        {
            return Err(daily);
        }
        let rejected = response.status == 401 && token.is_some() && !*refreshed;
        let api = Box::new(ApiError::from_response(
            self.inner.reading.vendor,
            operation,
            response.status,
            response.headers,
            response.body,
        ));
        if let Some(required) = api.missing_scopes() {
            // Another token from the same app has the same scopes: not worth a refresh.
            return Ok(Refusal::Failed(Error::MissingScopes {
                operation,
                documented: request.meta.scopes,
                granular: request.meta.granular_scopes,
                required,
                granted: self
                    .inner
                    .auth
                    .as_ref()
                    .and_then(|auth| auth.granted_scopes()),
                error: api,
            }));
        }
        let error = Error::Api(api);
        if rejected {
            // One refresh and one retry: a token revoked or replaced elsewhere.
            *refreshed = true;
            let fresh = timeouts::until(deadline, operation, self.token(token.as_ref())).await?;
            if fresh != *token {
                tracing::debug!("access token rejected; retrying with a fresh one");
                *token = fresh;
                return Ok(Refusal::RetryNow);
            }
        }
        Ok(Refusal::Failed(error))
    }

    /// Tells everyone sharing the budget about a 429: its class pauses for the wait the server
    /// asked for. A daily limit is returned as [`Error::DailyLimitReached`] instead of being
    /// retried (it resets hours later).
    async fn record_rate_limited(
        &self,
        request: &Request,
        response: &RawResponse,
    ) -> Option<Error> {
        let vendor = self.inner.reading.vendor;
        let class = vendor.rate_limit_category(&response.headers).map_or_else(
            || crate::limiter::class(request.meta.rate_limit).to_owned(),
            str::to_owned,
        );
        let daily = vendor.is_daily_limit(&response.headers);
        // Capped as the retry path caps it: a `Retry-After` of 31 years must not stop every
        // later run of a fleet. A daily limit resets at the next 00:00 UTC, within a day.
        let cap = if daily {
            crate::retry::LONGEST_DAILY_WAIT
        } else {
            self.inner.retry.max_retry_after
        };
        let wait = vendor.requested_wait(&response.headers)?.min(cap);
        self.inner.budget.pause(&class, wait, daily).await;
        daily.then(|| Error::DailyLimitReached {
            operation: request.meta.operation_id,
            class,
            resets_in: wait,
        })
    }

    /// Whether requests carry an access token (the client has credentials).
    pub(crate) fn sends_tokens(&self) -> bool {
        self.inner.auth.is_some()
    }

    /// The token to send when it needs no waiting: `Some(None)` without credentials.
    fn token_at_hand(&self) -> Option<Option<Secret>> {
        match &self.inner.auth {
            Some(provider) => provider.current().map(Some),
            None => Some(None),
        }
    }

    /// The current token, or a fresh one if `stale` was just rejected.
    pub(crate) async fn token(&self, stale: Option<&Secret>) -> Result<Option<Secret>, Error> {
        match &self.inner.auth {
            Some(provider) => provider.token(stale).await.map(Some),
            None => Ok(None),
        }
    }

    /// Attempt `number` with the hooks around it: they may change or refuse the request
    /// before it is sent, and hear how it went.
    async fn observed(
        &self,
        hooks: &dyn ClientHooks,
        request: &Request,
        number: u32,
        token: Option<&Secret>,
        deadline: Option<Instant>,
    ) -> Result<RawResponse, Error> {
        let sent = Instant::now();
        let pending = match self.http_request(request, token) {
            Ok(mut http_request) => hooks
                .before_request(request.meta, &mut http_request)
                .await
                .map(|()| self.inner.http.execute(http_request)),
            Err(error) => Err(error),
        };
        let outcome = self.finish(request, pending, deadline).await;
        let heard = outcome
            .as_ref()
            .map(|response| (response.status, &response.headers));
        crate::hooks::report(hooks, (request.meta, number), sent, heard).await;
        outcome
    }

    /// The response to `pending` (or the error of making it) with its whole body, within the
    /// per-attempt time limit and the call's `deadline`: the largest part of the call's
    /// state, so it holds reqwest's future, the timer and the body read, nothing of the
    /// request.
    async fn finish(
        &self,
        request: &Request,
        pending: Result<impl Future<Output = reqwest::Result<reqwest::Response>>, Error>,
        deadline: Option<Instant>,
    ) -> Result<RawResponse, Error> {
        // The error is taken here rather than by a `match` in the caller, whose scrutinee
        // (the built request) would stay beside this future in the call's state.
        let pending = pending?;
        let operation = request.meta.operation_id;
        let per_attempt = request
            .timeouts_override()
            .unwrap_or(&self.inner.timeouts)
            .per_attempt;
        // Pinned where it is made: `within` races it against the timer by reference.
        let received = std::pin::pin!(receive(pending, &self.inner.reading, operation));
        let deadline = timeouts::attempt_deadline(per_attempt, deadline);
        timeouts::within(deadline, operation, received).await
    }
}

/// The `zoomgen.request` span of a call to `meta`'s operation (or a download), when a
/// subscriber listens.
pub(crate) fn call_span(meta: &OperationMeta) -> Option<tracing::Span> {
    let span = tracing::info_span!(
        "zoomgen.request",
        operation = meta.operation_id,
        method = meta.method.as_str(),
        path = meta.path_template,
        status = tracing::field::Empty,
        attempt = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    );
    (!span.is_disabled()).then_some(span)
}

/// Runs `work`, a call or a download, inside `span`, which records its duration; a failure
/// is logged in it.
pub(crate) async fn traced<T>(
    span: &tracing::Span,
    work: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let started = Instant::now();
    // Pinned where it stands and instrumented by reference: `Instrumented` would otherwise
    // take (move) the work's state again.
    let work = std::pin::pin!(work);
    let result = work.instrument(span.clone()).await;
    span.record("duration_ms", started.elapsed().as_millis());
    if let Err(error) = &result {
        tracing::debug!(parent: span, %error, "request failed");
    }
    result
}

/// What a call keeps once an attempt has failed.
struct Retrying<'a> {
    strategy: RetryStrategy<'a>,
    /// Whether the token was refreshed after a 401 already: once per call.
    refreshed: bool,
}

impl<'a> Retrying<'a> {
    fn new(config: &'a RetryConfig, request: &'a Request) -> Self {
        let idempotent = request
            .idempotent
            .unwrap_or(request.meta.method.is_idempotent());
        Self {
            strategy: RetryStrategy::new(request.retry_override().unwrap_or(config), idempotent),
            refreshed: false,
        }
    }
}

/// What [`ApiClient::refused`] makes of a response other than 2xx.
enum Refusal {
    /// Send again at once (with the fresh token).
    RetryNow,
    /// The attempt failed with this error.
    Failed(Error),
}

/// Waits `delay` before a retry; a delay past the call's `deadline` ends the call at the
/// deadline.
async fn back_off(
    delay: Duration,
    deadline: Option<Instant>,
    operation: &'static str,
) -> Result<(), Error> {
    match (deadline, Instant::now().checked_add(delay)) {
        (Some(deadline), Some(wake)) if wake < deadline => tokio::time::sleep_until(wake).await,
        (Some(deadline), _) => {
            tokio::time::sleep_until(deadline).await;
            return Err(Error::Timeout {
                operation,
                kind: TimeoutKind::Total,
            });
        }
        (None, Some(wake)) => tokio::time::sleep_until(wake).await,
        (None, None) => tokio::time::sleep(delay).await,
    }
    Ok(())
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("ApiClient")
            .field("base_url", &inner.base_url)
            .field("auth", &inner.auth)
            .field("retry", &inner.retry)
            .field("timeouts", &inner.timeouts)
            .field("budget", &inner.budget)
            .field("user_agent", &inner.user_agent)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_state_every_call_allocates_fits_glibcs_thread_cache() {
        let client = ApiClient::new("http://127.0.0.1/v2", Credentials::none()).unwrap();
        // Any operation: the state's size is the call's, not the operation's.
        let call = client.execute(Request::new(&crate::hooks::DOWNLOAD_REQUEST));
        let size = std::mem::size_of_val(call.as_ref().get_ref());
        assert!(
            size <= CALL_STATE_BUDGET,
            "the call state is {size} B, over the {CALL_STATE_BUDGET} B budget"
        );
    }
}
