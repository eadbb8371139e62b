//! A test kit: a mock of a vendor's API on 127.0.0.1 that the generated client under test
//! talks to unchanged (`Client::builder(…).base_url(&mock.url())`).
//!
//! Expectations are the generated operation builders themselves: [`MockServer::expect`]
//! takes `client.recordings_list("me").page_size(30)` and matches exactly the request that
//! builder sends (method, path, query and body, encoded by the same code), and its answer is
//! the operation's own output type or an error in the vendor's error body. The vendor's
//! behaviours are switches, off until turned on: its app sign-in token endpoint
//! ([`MockServer::sign_in`]), rate-limit headers, a 429 with `Retry-After` after some
//! requests, a daily limit, pages of a `Vec` of items ([`MockServer::expect_pages`]), signed
//! webhook deliveries ([`MockServer::webhooks`]) and file downloads with `Range`
//! ([`MockServer::file`]). What a switch writes (header names, the token path, the error
//! body, the daily-limit marker) is read from the [`Vendor`] value, so the kit knows no
//! vendor either.
//!
//! Built on wiremock: it is async on tokio (the runtime the client runs on), binds a random
//! port of 127.0.0.1 per server, and takes custom matchers and responders, which is what
//! matching a builder's own request and the vendor's stateful behaviours need. An
//! expectation given [`times`](Expectation::times) is verified when the server is dropped.
//! A test kit fails the test that misuses it: a builder whose request is invalid panics at
//! `expect`.

mod behaviours;
mod expect;
mod failure;
mod files;
mod pages;
mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::operation::{Operation, Paged};
use crate::vendor::Vendor;

pub use expect::Expectation;
pub use failure::Failure;
pub use pages::{PagesExpectation, Query};
pub use webhooks::WebhookSender;

use behaviours::Behaviours;

/// The access tokens the mock's token endpoint issues start with this.
pub const TOKEN_PREFIX: &str = "mock-access-token-";

/// A mock of a vendor's API on 127.0.0.1, stopped when dropped.
pub struct MockServer {
    server: wiremock::MockServer,
    files: files::FileHost,
    vendor: &'static Vendor,
    behaviours: Arc<Behaviours>,
}

impl MockServer {
    /// Starts a mock speaking `vendor`'s conventions (a generated crate's `mock_server()`
    /// passes its own), every behaviour switched off.
    ///
    /// # Panics
    ///
    /// When no port of 127.0.0.1 can be bound.
    pub async fn start(vendor: &'static Vendor) -> Self {
        let files = match files::FileHost::start().await {
            Ok(files) => files,
            Err(error) => panic!("the mock's file host cannot listen on 127.0.0.1: {error}"),
        };
        Self {
            server: wiremock::MockServer::start().await,
            files,
            vendor,
            behaviours: Arc::new(Behaviours::new(vendor)),
        }
    }

    /// The base URL to build the client under test with (`http://127.0.0.1:PORT`); it is also
    /// the OAuth base URL when [`sign_in`](Self::sign_in) is on.
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// An expectation of the request `operation` sends: mount it with one of its answers.
    ///
    /// # Panics
    ///
    /// When the builder's parameters are invalid: such a request is never sent.
    pub fn expect<'a, O: Operation<'a>>(&self, operation: O) -> Expectation<'_, O::Output> {
        Expectation::new(self, request_of(&operation), Vec::new())
    }

    /// An expectation of a listing: its pages are cut from a `Vec` of items and chained the
    /// way the operation pages (a page token, or a `Link` header).
    ///
    /// # Panics
    ///
    /// When the builder's parameters are invalid.
    pub fn expect_pages<'a, O>(&self, operation: O) -> PagesExpectation<'_, O::Item>
    where
        O: Paged<'a>,
        O::Item: serde::Serialize + Clone + Sync + 'static,
    {
        PagesExpectation::new(self, request_of(&operation), O::PAGES)
    }

    /// Switches on the vendor's app sign-in (Zoom's Server-to-Server OAuth): its token
    /// endpoint issues `mock-access-token-N` for any client ID, secret and account, and from
    /// then on every API request without an issued token is answered 401.
    ///
    /// # Panics
    ///
    /// When the vendor has no app sign-in.
    pub async fn sign_in(&self) {
        let Some(app) = &self.vendor.app_sign_in else {
            panic!("{} has no app sign-in to mock", self.vendor.name);
        };
        self.behaviours.require_tokens();
        Mock::given(method("POST"))
            .and(path(app.token_path))
            .respond_with(behaviours::TokenEndpoint::new(
                app,
                Arc::clone(&self.behaviours),
            ))
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    /// Switches on the vendor's rate-limit headers on every API answer: `limit` requests
    /// per period, the remaining ones counting down with each request.
    pub fn rate_limit_headers(&self, limit: u64) {
        self.behaviours.set_rate_limit(limit);
    }

    /// Answers the API request after the first `requests` with a 429 and `Retry-After:
    /// wait` (whole seconds), once; the requests after it are answered as expected.
    pub fn throttle_after(&self, requests: u64, wait: Duration) {
        self.behaviours.set_throttle(requests, wait);
    }

    /// Answers every API request after the first `requests` with a 429 the vendor marks as
    /// its daily limit.
    ///
    /// # Panics
    ///
    /// When the vendor marks no daily limit.
    pub fn daily_limit_after(&self, requests: u64) {
        if self.vendor.rate_limit_headers.kind.is_none() {
            panic!("{} marks no daily limit to mock", self.vendor.name);
        }
        self.behaviours.set_daily_limit(requests);
    }

    /// Serves `bytes` at `path` (which starts with `/`) on the mock's file host (another
    /// port of 127.0.0.1, as a vendor's download host is another host), `Range: bytes=N-`
    /// answered with 206; the file's URL.
    pub fn file(&self, path: &str, bytes: impl Into<bytes::Bytes>) -> String {
        self.files.put(path, bytes.into())
    }

    /// Cuts the next download of the file at `path` after `bytes` bytes of its body: the
    /// connection closes before the length it announced, as a dropped network does.
    pub fn cut_next_download(&self, path: &str, bytes: u64) {
        self.files.cut_next(path, bytes);
    }

    /// Every request the file host received: its path and headers.
    pub fn downloads(&self) -> Vec<(String, http::HeaderMap)> {
        self.files.received()
    }

    /// A sender of webhook deliveries signed with `scheme` (the vendor's verifier, made with
    /// the secret the receiver under test uses).
    pub fn webhooks<S: crate::events::WebhookScheme>(&self, scheme: S) -> WebhookSender<S> {
        WebhookSender::new(scheme)
    }

    /// How many API requests the mock answered (token requests and downloads not counted).
    pub fn api_requests(&self) -> u64 {
        self.behaviours.api_requests()
    }

    /// How many access tokens the token endpoint issued.
    pub fn tokens_issued(&self) -> u64 {
        self.behaviours.tokens_issued()
    }

    /// Every request the server received, in order.
    pub async fn received(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// Checks now that every expectation given [`times`](Expectation::times) was met (it is
    /// also checked when the server is dropped).
    ///
    /// # Panics
    ///
    /// When one was not.
    pub async fn verify(&self) {
        self.server.verify().await;
    }

    /// Mounts `mock` (a wiremock escape hatch for what the kit does not cover).
    pub async fn mount(&self, mock: Mock) {
        self.server.register(mock).await;
    }
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url())
            .field("vendor", &self.vendor.name)
            .finish_non_exhaustive()
    }
}

/// The request `operation` sends, for an expectation.
fn request_of<'a, O: Operation<'a>>(operation: &O) -> crate::Request {
    match operation.request().and_then(|request| {
        request.check()?;
        Ok(request)
    }) {
        Ok(request) => request,
        Err(error) => panic!("the expected request is never sent: {error}"),
    }
}

/// A JSON answer.
fn json_answer(status: u16, body: &serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}
