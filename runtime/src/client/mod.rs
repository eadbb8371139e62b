//! The client that sends requests: the orchestration of each call's attempts
//! (authentication, limiter, retries, timeouts and tracing). Making the client from its
//! builder is in [`build`], the transport of one attempt (URL, request, body) in
//! [`transport`].

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

use transport::receive;

use crate::auth::{Credentials, TokenProvider};
use crate::builder::{ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, Settings};
use crate::credential_hosts;
use crate::error::{ApiError, Error, TimeoutKind};
use crate::future::BoxFuture;
use crate::hooks::ClientHooks;
use crate::limiter::{Budget, RateLimits};
use crate::meta::OperationMeta;
use crate::request::Request;
use crate::response::RawResponse;
use crate::retry::RetryConfig;
use crate::secret::Secret;
use crate::timeouts::{self, Timeouts};

/// Zoom's OAuth host, where Server-to-Server tokens come from.
const DEFAULT_OAUTH_BASE_URL: &str = "https://zoom.us";

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
    /// The largest response body read into memory.
    max_response_bytes: usize,
    /// The token last sent and its `Authorization` value: tokens change rarely, and reusing
    /// the prepared value spares formatting and validating a header on every call.
    authorization: Mutex<Option<(Secret, HeaderValue)>>,
}

impl ApiClient {
    /// A client with default settings for the API at `base_url` (e.g. `https://api.zoom.us/v2`).
    pub fn new(base_url: &str, credentials: Credentials) -> Result<Self, Error> {
        Self::builder(base_url, credentials).build()
    }

    /// A builder to change the defaults.
    pub fn builder(base_url: &str, credentials: Credentials) -> ClientBuilder {
        ClientBuilder::with(Settings {
            base_url: base_url.to_owned(),
            credentials,
            oauth_base_url: DEFAULT_OAUTH_BASE_URL.to_owned(),
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

    /// The configured `User-Agent`.
    /// The hooks, which see download requests too.
    pub(crate) fn hooks(&self) -> Option<&dyn ClientHooks> {
        self.inner.hooks.as_deref()
    }

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
    /// around on each call.
    pub fn execute(&self, request: Request) -> BoxFuture<'_, Result<RawResponse, Error>> {
        // Allocated before the future is made, so that the future is written in place:
        // `Box::pin` would build it on the stack and copy all of it (about 1 KB) into the box,
        // though only the request and the client are set before the first poll. It is kept
        // under 1,032 bytes, the largest allocation glibc's thread cache serves: a larger
        // one takes malloc's slow path on every call (`cargo xtask bench` shows the size).
        let slot = Box::new_uninit();
        let call = Box::write(slot, async move {
            if let Some(span) = call_span(request.meta) {
                // Someone listens: the span, its fields and the clock they are read from
                // live in a future of their own, so the common call's state holds none.
                return Box::pin(self.traced(&request, span)).await;
            }
            let result = self.attempts(&request, None).await;
            if let Err(error) = &result {
                tracing::debug!(%error, "request failed");
            }
            result
        });
        Box::into_pin(call)
    }

    /// [`ApiClient::attempts`] inside `span`, which records the call's outcome and duration.
    async fn traced(&self, request: &Request, span: tracing::Span) -> Result<RawResponse, Error> {
        let started = Instant::now();
        // Pinned where it stands and instrumented by reference: `Instrumented` would
        // otherwise take (move) the attempts' state again.
        let attempts = std::pin::pin!(self.attempts(request, Some(&span)));
        let result = attempts.instrument(span.clone()).await;
        span.record("duration_ms", started.elapsed().as_millis());
        if let Err(error) = &result {
            tracing::debug!(parent: &span, %error, "request failed");
        }
        result
    }

    /// The attempts of one call, until one succeeds or the error is final.
    ///
    /// A call that needs nothing before its first attempt (its token is at hand, the limiter
    /// lets it through at once, no hooks watch it) makes that attempt here, and a 2xx ends
    /// it. Everything else (a token to fetch, limiter waits, hooks, refusals, retries) goes
    /// on in [`ApiClient::attempts_after`], boxed: what every call allocates, runs and
    /// touches on its way to the wire is one attempt and no more.
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
        let start = match self.token_at_hand() {
            Some(token)
                if self.inner.hooks.is_none()
                    && self.inner.budget.admits_at_once(request.meta.rate_limit) =>
            {
                if let Some(span) = span {
                    span.record("attempt", 1);
                }
                // No hooks: the request goes out as it is built, and only reqwest's
                // future is awaited (awaiting `attempt` would keep its URL argument in
                // every call's state).
                let pending = self
                    .http_request(request, None, token.as_ref())
                    .map(|http_request| self.inner.http.execute(http_request));
                match self.finish(request, pending, deadline).await {
                    Ok(response) if response.is_success() => {
                        if let Some(span) = span {
                            span.record("status", response.status);
                        }
                        return Ok(response);
                    }
                    outcome => Start::Attempted { token, outcome },
                }
            }
            at_hand => Start::NotSent { at_hand },
        };
        Box::pin(self.attempts_after(request, span, started, deadline, start)).await
    }

    /// The rest of a call that started at `started`, from where [`ApiClient::attempts`] left
    /// it (`start`).
    async fn attempts_after(
        &self,
        request: &Request,
        span: Option<&tracing::Span>,
        started: Instant,
        deadline: Option<Instant>,
        start: Start,
    ) -> Result<RawResponse, Error> {
        let operation = request.meta.operation_id;
        let retry = request.retry_override().unwrap_or(&self.inner.retry);
        let idempotent = request
            .idempotent
            .unwrap_or(request.meta.method.is_idempotent());
        // Made on the first retry (and boxed): most calls never need one.
        let mut backoff = None;
        // Built before any token request or wait, so that a request that cannot be sent
        // fails at once; taken by the next attempt.
        let mut url = None;
        // What only some calls wait for (a token request, the limiter, a refused response,
        // the hooks, a backoff) is boxed where it is awaited, and only when it is.
        let (mut token, mut first_outcome) = match start {
            Start::Attempted { token, outcome } => (token, Some(outcome)),
            Start::NotSent { at_hand } => {
                url = Some(self.url(request)?);
                let token = match at_hand {
                    Some(token) => token,
                    None => {
                        Box::pin(timeouts::until(deadline, operation, self.token(None))).await?
                    }
                };
                (token, None)
            }
        };
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let response = match first_outcome.take() {
                Some(outcome) => outcome,
                None => {
                    if let Some(span) = span {
                        span.record("attempt", attempt);
                    }
                    let rate_class = request.meta.rate_limit;
                    if !self.inner.budget.admits_at_once(rate_class) {
                        let acquired = self.inner.budget.acquire(operation, rate_class, deadline);
                        Box::pin(timeouts::until(deadline, operation, acquired)).await?;
                    }
                    // Read only for the hooks, which are told how long the attempt took.
                    let sent = self.inner.hooks.is_some().then(Instant::now);
                    let response = self
                        .attempt(request, url.take(), token.as_ref(), deadline)
                        .await;
                    if let (Some(hooks), Some(sent)) = (&self.inner.hooks, sent) {
                        Box::pin(report(
                            hooks.as_ref(),
                            request.meta,
                            attempt,
                            sent,
                            &response,
                        ))
                        .await;
                    }
                    response
                }
            };
            if let (Some(span), Ok(response)) = (span, &response) {
                span.record("status", response.status);
            }
            let error = match response {
                Ok(response) if response.is_success() => return Ok(response),
                Ok(response) => {
                    let refused =
                        self.refused(request, response, &mut token, &mut refreshed, deadline);
                    match Box::pin(refused).await? {
                        Refusal::RetryNow => continue,
                        Refusal::Failed(error) => error,
                    }
                }
                Err(error) => error,
            };
            let Some(delay) = retry.delay(
                &error,
                idempotent,
                attempt,
                started.elapsed(),
                backoff.get_or_insert_with(|| Box::new(retry.backoff())),
            ) else {
                return Err(error);
            };
            tracing::debug!(%error, delay_ms = delay.as_millis(), "retrying");
            Box::pin(back_off(delay, deadline, operation)).await?;
        }
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
        let class = response
            .headers
            .get("x-ratelimit-category")
            .and_then(|v| v.to_str().ok())
            .map_or_else(
                || crate::limiter::class(request.meta.rate_limit).to_owned(),
                str::to_owned,
            );
        let daily = crate::retry::is_daily_limit(&response.headers);
        // Capped as the retry path caps it: a `Retry-After` of 31 years must not stop every
        // later run of a fleet. A daily limit resets at the next 00:00 UTC, within a day.
        let cap = if daily {
            crate::retry::LONGEST_DAILY_WAIT
        } else {
            self.inner.retry.max_retry_after
        };
        let wait = crate::retry::server_delay(&response.headers)?.min(cap);
        self.inner.budget.pause(&class, wait, daily).await;
        daily.then(|| Error::DailyLimitReached {
            operation: request.meta.operation_id,
            class,
            resets_in: wait,
        })
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

    /// One attempt as [`ApiClient::attempts_after`] makes it: with the hooks' say before it
    /// is sent, to `url` when that is already built.
    async fn attempt(
        &self,
        request: &Request,
        url: Option<Url>,
        token: Option<&Secret>,
        deadline: Option<Instant>,
    ) -> Result<RawResponse, Error> {
        // In a block of its own, so that the request's storage ends when reqwest takes it
        // instead of staying beside the response future in this future's state.
        let pending = {
            let mut http_request = self.http_request(request, url, token)?;
            if let Some(hooks) = &self.inner.hooks {
                hooks
                    .before_request(request.meta, &mut http_request)
                    .await?;
            }
            self.inner.http.execute(http_request)
        };
        self.finish(request, Ok(pending), deadline).await
    }

    /// The response to `pending` (or the error of making it) with its whole body, within the
    /// per-attempt time limit and the call's `deadline`. Every attempt awaits this, so its
    /// state is kept small: reqwest's future, the timer and the body read, nothing of the
    /// request.
    async fn finish(
        &self,
        request: &Request,
        pending: Result<impl Future<Output = reqwest::Result<reqwest::Response>>, Error>,
        deadline: Option<Instant>,
    ) -> Result<RawResponse, Error> {
        // The error is taken here rather than by a `match` in the caller, whose scrutinee
        // (the built request, 264 B) would stay beside this future in the call's state.
        let pending = pending?;
        let operation = request.meta.operation_id;
        let per_attempt = request
            .timeouts_override()
            .unwrap_or(&self.inner.timeouts)
            .per_attempt;
        // Pinned where it is made: `within` races it against the timer by reference.
        let received = std::pin::pin!(receive(pending, self.inner.max_response_bytes, operation));
        let deadline = timeouts::attempt_deadline(per_attempt, deadline);
        timeouts::within(deadline, operation, received).await
    }
}

/// The `zoomgen.request` span of a call to `meta`'s operation, when a subscriber listens.
fn call_span(meta: &OperationMeta) -> Option<tracing::Span> {
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

/// Tells `hooks` how attempt `number`, sent at `sent`, went.
async fn report(
    hooks: &dyn ClientHooks,
    operation: &'static OperationMeta,
    number: u32,
    sent: Instant,
    outcome: &Result<RawResponse, Error>,
) {
    let (status, headers, error) = match outcome {
        Ok(response) => (Some(response.status), Some(&response.headers), None),
        Err(error) => (None, None, Some(error)),
    };
    let attempt = crate::hooks::Attempt {
        operation,
        number,
        status,
        headers,
        error,
        elapsed: sent.elapsed(),
    };
    hooks.after_response(&attempt).await;
}

/// How far [`ApiClient::attempts`] took a call before [`ApiClient::attempts_after`] goes on.
enum Start {
    /// The first attempt was sent with `token` and did not end the call.
    Attempted {
        token: Option<Secret>,
        outcome: Result<RawResponse, Error>,
    },
    /// Nothing was sent: the hooks or the limiter come first. `at_hand` is the token that
    /// needed no waiting, if there was one (`Some(None)`: no credentials).
    NotSent { at_hand: Option<Option<Secret>> },
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

    /// The largest allocation glibc's thread cache serves (glibc 2.26 and later): the state
    /// every call allocates must fit it, or each call takes malloc's slow path (`execute`'s
    /// comment says which parts the state holds; `cargo xtask bench` shows the size too).
    const CALL_STATE_BUDGET: usize = 1032;

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
