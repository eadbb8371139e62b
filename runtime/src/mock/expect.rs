//! Expectations: the request a generated builder sends, matched as the client sends it, and
//! its answer (the operation's output type, or an error in the vendor's error body).

use std::marker::PhantomData;
use std::sync::Arc;

use bytes::Bytes;
use serde_json::Value;
use url::form_urlencoded;
use wiremock::{Match, Mock, Respond, ResponseTemplate};

use super::Failure;
use super::MockServer;
use super::behaviours::Behaviours;
use crate::request::{Body, MultipartValue, Request};

/// The body an expectation requires.
#[derive(Debug)]
enum ExpectedBody {
    Empty,
    Json(Value),
    Bytes(Bytes),
    /// Each part's name and value, found in the form as sent.
    Multipart(Vec<(String, MultipartValue)>),
}

/// Matches the request a builder sends: its method, path, query pairs (in any order, but each
/// as often) and body; `ignored` are query parameters that may take any value (the page
/// token a listing changes page by page, the dates a listing filters by).
#[derive(Debug)]
pub(super) struct SameRequest {
    method: http::Method,
    path: String,
    query: Vec<(String, String)>,
    ignored: Vec<String>,
    body: ExpectedBody,
}

impl SameRequest {
    pub(super) fn new(request: &Request, ignored: Vec<String>) -> Self {
        let body = match &request.body {
            Body::Empty => ExpectedBody::Empty,
            Body::Bytes(body) => match serde_json::from_slice(&body.bytes) {
                Ok(value) if body.content_type.as_bytes().ends_with(b"json") => {
                    ExpectedBody::Json(value)
                }
                _ => ExpectedBody::Bytes(body.bytes.clone()),
            },
            Body::Multipart(parts) => ExpectedBody::Multipart(
                parts
                    .iter()
                    .map(|part| (part.name.clone(), part.value.clone()))
                    .collect(),
            ),
        };
        Self {
            method: request.meta.method.to_reqwest(),
            path: request.path_parts().concat(),
            query: sorted_pairs(form_urlencoded::parse(request.query.as_bytes()), &ignored),
            ignored,
            body,
        }
    }

    fn body_matches(&self, body: &[u8]) -> bool {
        match &self.body {
            ExpectedBody::Empty => body.is_empty(),
            ExpectedBody::Json(expected) => {
                serde_json::from_slice::<Value>(body).is_ok_and(|sent| sent == *expected)
            }
            ExpectedBody::Bytes(expected) => body == expected.as_ref(),
            ExpectedBody::Multipart(parts) => parts.iter().all(|(name, value)| {
                let named = contains(body, format!("name=\"{name}\"").as_bytes());
                named
                    && match value {
                        MultipartValue::Text(text) => contains(body, text.as_bytes()),
                        MultipartValue::File { bytes, .. } => contains(body, bytes),
                    }
            }),
        }
    }
}

impl Match for SameRequest {
    fn matches(&self, request: &wiremock::Request) -> bool {
        request.method == self.method
            && request.url.path() == self.path
            && sorted_pairs(request.url.query_pairs(), &self.ignored) == self.query
            && self.body_matches(&request.body)
    }
}

/// The query pairs but `ignored`, sorted.
fn sorted_pairs<'q>(
    pairs: impl Iterator<Item = (std::borrow::Cow<'q, str>, std::borrow::Cow<'q, str>)>,
    ignored: &[String],
) -> Vec<(String, String)> {
    let mut pairs: Vec<_> = pairs
        .filter(|(name, _)| !ignored.iter().any(|ignored| ignored == name))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// A fixed answer, behind the vendor's behaviours.
struct Answer {
    behaviours: Arc<Behaviours>,
    template: ResponseTemplate,
}

impl Respond for Answer {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        self.behaviours
            .api_answer(request, || self.template.clone())
    }
}

/// The expected request of an operation whose success decodes into `T`: answer it with one of
/// the methods that mount it.
#[must_use = "an expectation does nothing until it is answered (`.respond(…).await`)"]
pub struct Expectation<'m, T> {
    server: &'m MockServer,
    matcher: SameRequest,
    times: Option<u64>,
    up_to: Option<u64>,
    status: u16,
    output: PhantomData<fn(&T)>,
}

impl<'m, T> Expectation<'m, T> {
    pub(super) fn new(server: &'m MockServer, request: Request, ignored: Vec<String>) -> Self {
        Self {
            server,
            matcher: SameRequest::new(&request, ignored),
            times: None,
            up_to: None,
            status: 200,
            output: PhantomData,
        }
    }

    /// Requires exactly `times` such requests, checked when the server is dropped (or at
    /// [`MockServer::verify`]).
    pub fn times(mut self, times: u64) -> Self {
        self.times = Some(times);
        self
    }

    /// Answers at most `requests` requests; later ones go to the expectations mounted after
    /// this one (an answer that changes: a link that expires, then a fresh one).
    pub fn up_to(mut self, requests: u64) -> Self {
        self.up_to = Some(requests);
        self
    }

    /// The success status of the answer, when not 200 (a create's 201).
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Answers with `body`, the operation's own output type, as JSON.
    pub async fn respond(self, body: &T)
    where
        T: serde::Serialize,
    {
        let status = self.status;
        self.answer(ResponseTemplate::new(status).set_body_json(body))
            .await;
    }

    /// Answers with no body (204 unless [`status`](Self::status) says otherwise).
    pub async fn respond_empty(self) {
        let status = if self.status == 200 { 204 } else { self.status };
        self.answer(ResponseTemplate::new(status)).await;
    }

    /// Answers with `bytes` of `content_type` (a binary or text operation).
    pub async fn respond_bytes(self, content_type: &str, bytes: impl Into<Bytes>) {
        let status = self.status;
        let template =
            ResponseTemplate::new(status).set_body_raw(bytes.into().to_vec(), content_type);
        self.answer(template).await;
    }

    /// Answers with an error in the vendor's error body.
    pub async fn fail(self, failure: Failure) {
        let template = failure.answer(self.server.vendor);
        self.answer(template).await;
    }

    /// Answers with `template` as it is (a wiremock escape hatch), still behind the
    /// switched-on behaviours.
    pub async fn answer(self, template: ResponseTemplate) {
        let answer = Answer {
            behaviours: Arc::clone(&self.server.behaviours),
            template,
        };
        self.server.mount(self.mock(answer)).await;
    }

    pub(super) fn mock(self, answer: impl Respond + 'static) -> Mock {
        let mut mock = Mock::given(self.matcher).respond_with(answer);
        if let Some(times) = self.times {
            mock = mock.expect(times);
        }
        if let Some(requests) = self.up_to {
            mock = mock.up_to_n_times(requests);
        }
        mock
    }
}

impl<T> std::fmt::Debug for Expectation<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expectation")
            .field("request", &self.matcher)
            .field("times", &self.times)
            .finish_non_exhaustive()
    }
}
