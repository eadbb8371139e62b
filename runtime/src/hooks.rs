//! Hooks around every request a client makes — each attempt of an API call, each token
//! request, each download request: headers, request signing, logging and metrics without
//! forking the runtime. A client without hooks never calls into them. [`Hooks`] makes them from
//! plain `async` closures.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use http::HeaderMap;
use tokio::time::Instant;

use crate::error::Error;
use crate::future::BoxFuture;
use crate::meta::{HttpMethod, OperationMeta};

/// What hooks are told a token request is (Server-to-Server tokens, user grants' refreshes);
/// its URL is the request's own.
pub static TOKEN_REQUEST: OperationMeta = OperationMeta {
    operation_id: "oauth.token",
    method: HttpMethod::Post,
    path_template: "",
    rate_limit: None,
    scopes: &[],
    granular_scopes: &[],
};

/// What hooks are told a download request is ([`ApiClient::download`](crate::ApiClient::download));
/// its URL is the request's own.
pub static DOWNLOAD_REQUEST: OperationMeta = OperationMeta {
    operation_id: "download",
    method: HttpMethod::Get,
    path_template: "",
    rate_limit: None,
    scopes: &[],
    granular_scopes: &[],
};

/// What happened to one attempt, for [`ClientHooks::after_response`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The operation the call is to.
    pub operation: &'static OperationMeta,
    /// 1 for the first attempt of a call, 2 for its first retry, and so on.
    pub number: u32,
    /// The status the server answered with, or `None` when the attempt failed before.
    pub status: Option<u16>,
    /// The response headers, when there was a response.
    pub headers: Option<&'a HeaderMap>,
    /// Why the attempt failed before a response, when it did.
    pub error: Option<&'a Error>,
    /// From sending to the whole body read (or the failure).
    pub elapsed: Duration,
}

/// Called around every request of a client (`ClientBuilder::hooks`): each attempt of an API
/// call, each token request ([`TOKEN_REQUEST`]) and each download request
/// ([`DOWNLOAD_REQUEST`]). Both methods do nothing unless implemented; [`Hooks`] implements them
/// with plain `async` closures.
pub trait ClientHooks: Send + Sync + fmt::Debug {
    /// Before an attempt is sent, with everything set but the body stream: add or change
    /// headers, sign it, or refuse it with an error (the call then fails with it).
    fn before_request<'a>(
        &'a self,
        operation: &'static OperationMeta,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), Error>> {
        let _ = (operation, request);
        Box::pin(std::future::ready(Ok(())))
    }

    /// After an attempt, whatever its outcome (a retry follows, or the call returns).
    fn after_response<'a>(&'a self, attempt: &'a Attempt<'a>) -> BoxFuture<'a, ()> {
        let _ = attempt;
        Box::pin(std::future::ready(()))
    }
}

/// Sends `request`, attempt `number` of `operation`, with `hooks` around it, as an attempt of
/// an API call is: the hooks may change or refuse it before, and hear after how it went (until
/// the response's headers).
pub(crate) async fn send_observed(
    http: &reqwest::Client,
    hooks: Option<&dyn ClientHooks>,
    (operation, number): (&'static OperationMeta, u32),
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, Error> {
    let mut request = request
        .build()
        .map_err(|e| Error::transport(operation.operation_id, e))?;
    let Some(hooks) = hooks else {
        return http
            .execute(request)
            .await
            .map_err(|e| Error::transport(operation.operation_id, e));
    };
    hooks.before_request(operation, &mut request).await?;
    let sent = Instant::now();
    let outcome = http
        .execute(request)
        .await
        .map_err(|e| Error::transport(operation.operation_id, e));
    let heard = outcome
        .as_ref()
        .map(|response| (response.status().as_u16(), response.headers()));
    report(hooks, (operation, number), sent, heard).await;
    outcome
}

/// Tells `hooks` how attempt `number` of `operation`, sent at `sent`, went: the status and
/// headers of its response, or why there was none.
pub(crate) async fn report(
    hooks: &dyn ClientHooks,
    (operation, number): (&'static OperationMeta, u32),
    sent: Instant,
    outcome: Result<(u16, &HeaderMap), &Error>,
) {
    let (status, headers, error) = match outcome {
        Ok((status, headers)) => (Some(status), Some(headers), None),
        Err(error) => (None, None, Some(error)),
    };
    let attempt = Attempt {
        operation,
        number,
        status,
        headers,
        error,
        elapsed: sent.elapsed(),
    };
    hooks.after_response(&attempt).await;
}

/// What [`Hooks`] tells an `after_response` closure about one attempt: an owned copy of
/// [`Attempt`], so that the closure may be a plain `async` closure that keeps nothing borrowed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AttemptRecord {
    /// The operation the request is of.
    pub operation: &'static OperationMeta,
    /// 1 for the first attempt, 2 for its first retry, and so on.
    pub number: u32,
    /// The status the server answered with, or `None` when the attempt failed before.
    pub status: Option<u16>,
    /// The response headers, when there was a response.
    pub headers: Option<HeaderMap>,
    /// Why the attempt failed before a response, when it did.
    pub error: Option<String>,
    /// From sending to the response (an API call's: to its whole body).
    pub elapsed: Duration,
}

/// [`ClientHooks`] from plain `async` closures: `before_request` takes the request and gives
/// it back (changed, or refused with an error), `after_response` takes an [`AttemptRecord`].
///
/// ```ignore
/// let hooks = Hooks::new()
///     .before_request(|_operation, mut request: reqwest::Request| async move {
///         request.headers_mut().insert("x-team", HeaderValue::from_static("billing"));
///         Ok(request)
///     })
///     .after_response(|attempt: AttemptRecord| async move {
///         metrics::record(attempt.operation.operation_id, attempt.elapsed);
///     });
/// let client = Client::builder(credentials).hooks(Arc::new(hooks)).build()?;
/// ```
pub struct Hooks<B = NoHook, A = NoHook> {
    before: B,
    after: A,
}

/// The part of [`Hooks`] not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHook;

impl Hooks {
    /// Hooks that do nothing yet.
    pub fn new() -> Self {
        Self {
            before: NoHook,
            after: NoHook,
        }
    }
}

impl Default for Hooks {
    fn default() -> Self {
        Self::new()
    }
}

impl<B, A> Hooks<B, A> {
    /// Runs `before` before every request is sent.
    pub fn before_request<F, Fut>(self, before: F) -> Hooks<F, A>
    where
        F: Fn(&'static OperationMeta, reqwest::Request) -> Fut + Send + Sync,
        Fut: Future<Output = Result<reqwest::Request, Error>> + Send + 'static,
    {
        Hooks {
            before,
            after: self.after,
        }
    }

    /// Runs `after` after every request, whatever its outcome.
    pub fn after_response<F, Fut>(self, after: F) -> Hooks<B, F>
    where
        F: Fn(AttemptRecord) -> Fut + Send + Sync,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Hooks {
            before: self.before,
            after,
        }
    }
}

impl<B, A> fmt::Debug for Hooks<B, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks").finish_non_exhaustive()
    }
}

/// A `before_request` part of [`Hooks`].
pub trait BeforeHook: Send + Sync {
    /// See [`ClientHooks::before_request`].
    fn call<'a>(
        &'a self,
        operation: &'static OperationMeta,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), Error>>;
}

/// An `after_response` part of [`Hooks`].
pub trait AfterHook: Send + Sync {
    /// See [`ClientHooks::after_response`].
    fn call<'a>(&'a self, attempt: &'a Attempt<'a>) -> BoxFuture<'a, ()>;
}

impl BeforeHook for NoHook {
    fn call<'a>(
        &'a self,
        _: &'static OperationMeta,
        _: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(std::future::ready(Ok(())))
    }
}

impl AfterHook for NoHook {
    fn call<'a>(&'a self, _: &'a Attempt<'a>) -> BoxFuture<'a, ()> {
        Box::pin(std::future::ready(()))
    }
}

impl<F, Fut> BeforeHook for F
where
    F: Fn(&'static OperationMeta, reqwest::Request) -> Fut + Send + Sync,
    Fut: Future<Output = Result<reqwest::Request, Error>> + Send + 'static,
{
    fn call<'a>(
        &'a self,
        operation: &'static OperationMeta,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), Error>> {
        // The closure owns the request while it runs; a placeholder stands in meanwhile.
        let placeholder = reqwest::Request::new(request.method().clone(), request.url().clone());
        let taken = std::mem::replace(request, placeholder);
        let changed = self(operation, taken);
        Box::pin(async move {
            *request = changed.await?;
            Ok(())
        })
    }
}

impl<F, Fut> AfterHook for F
where
    F: Fn(AttemptRecord) -> Fut + Send + Sync,
    Fut: Future<Output = ()> + Send + 'static,
{
    fn call<'a>(&'a self, attempt: &'a Attempt<'a>) -> BoxFuture<'a, ()> {
        let record = AttemptRecord {
            operation: attempt.operation,
            number: attempt.number,
            status: attempt.status,
            headers: attempt.headers.cloned(),
            error: attempt.error.map(ToString::to_string),
            elapsed: attempt.elapsed,
        };
        Box::pin(self(record))
    }
}

impl<B: BeforeHook, A: AfterHook> ClientHooks for Hooks<B, A> {
    fn before_request<'a>(
        &'a self,
        operation: &'static OperationMeta,
        request: &'a mut reqwest::Request,
    ) -> BoxFuture<'a, Result<(), Error>> {
        self.before.call(operation, request)
    }

    fn after_response<'a>(&'a self, attempt: &'a Attempt<'a>) -> BoxFuture<'a, ()> {
        self.after.call(attempt)
    }
}
