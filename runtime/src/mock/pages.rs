//! A listing's pages cut from a `Vec` of items and chained the way its operation pages: a
//! page token in a field and a query parameter, or a `Link: <…>; rel="next"` header.

use std::sync::Arc;

use serde_json::{Map, Value};
use wiremock::{Respond, ResponseTemplate};

use super::MockServer;
use super::behaviours::Behaviours;
use super::expect::Expectation;
use crate::operation::PageShape;
use crate::request::Request;

/// The query parameter a `Link` page's next URL carries (the listing's own are kept).
const LINK_PAGE_PARAM: &str = "mock_page";

/// The token of page `index` (0-based) for token-paged listings: the first page has none.
fn page_token(index: usize) -> String {
    format!("page-{}", index + 1)
}

/// The expected request of a listing whose items are `I`: answer it with [`respond`](Self::respond).
#[must_use = "an expectation does nothing until it is answered (`.respond(…).await`)"]
pub struct PagesExpectation<'m, I> {
    expectation: Expectation<'m, I>,
    shape: PageShape,
    per_page: usize,
}

impl<'m, I> PagesExpectation<'m, I> {
    pub(super) fn new(server: &'m MockServer, request: Request, shape: PageShape) -> Self {
        let ignored = match shape {
            PageShape::Token { request_param, .. } => request_param,
            PageShape::Link { .. } => LINK_PAGE_PARAM,
        };
        Self {
            expectation: Expectation::new(server, request, Some(ignored)),
            shape,
            per_page: 30,
        }
    }

    /// Items per page (30 unless set; at least 1).
    pub fn per_page(mut self, per_page: usize) -> Self {
        self.per_page = per_page.max(1);
        self
    }

    /// Requires exactly `times` page requests, checked when the server is dropped.
    pub fn times(mut self, times: u64) -> Self {
        self.expectation = self.expectation.times(times);
        self
    }

    /// Serves `items` as pages: an empty `items` is one empty page.
    ///
    /// # Panics
    ///
    /// When an item does not serialize to JSON.
    pub async fn respond(self, items: &[I])
    where
        I: serde::Serialize,
    {
        let items: Vec<Value> = items
            .iter()
            .map(|item| match serde_json::to_value(item) {
                Ok(value) => value,
                Err(error) => panic!("a page item does not serialize to JSON: {error}"),
            })
            .collect();
        let pages: Vec<Vec<Value>> = if items.is_empty() {
            vec![Vec::new()]
        } else {
            items.chunks(self.per_page).map(<[Value]>::to_vec).collect()
        };
        let server = self.expectation.server();
        let base = match url::Url::parse(&server.url()) {
            Ok(base) => base,
            Err(error) => panic!("the mock's own URL does not parse: {error}"),
        };
        let answer = Pages {
            behaviours: Arc::clone(&server.behaviours),
            base,
            pages,
            shape: self.shape,
        };
        server.mount(self.expectation.mock(answer)).await;
    }
}

/// Answers each page request with its page.
struct Pages {
    behaviours: Arc<Behaviours>,
    /// The mock's URL: what the next-page links start with (the client sends them only to
    /// its own origin).
    base: url::Url,
    pages: Vec<Vec<Value>>,
    shape: PageShape,
}

impl Pages {
    /// Which page `request` asks for; `None` for a token or cursor the mock never gave.
    fn index(&self, request: &wiremock::Request) -> Option<usize> {
        let param = match self.shape {
            PageShape::Token { request_param, .. } => request_param,
            PageShape::Link { .. } => LINK_PAGE_PARAM,
        };
        let given = request
            .url
            .query_pairs()
            .find(|(name, _)| name == param)
            .map(|(_, value)| value.into_owned())
            .filter(|value| !value.is_empty());
        match given {
            None => Some(0),
            Some(given) => (1..self.pages.len()).find(|&index| page_token(index) == given),
        }
    }

    fn page(&self, request: &wiremock::Request) -> ResponseTemplate {
        let Some(index) = self.index(request) else {
            let failure =
                super::Failure::new(400).message("The next page token is invalid or expired.");
            return failure.answer(self.behaviours.vendor());
        };
        let last = index + 1 == self.pages.len();
        let mut page = Map::new();
        page.insert(
            self.shape.items().to_owned(),
            Value::Array(self.pages[index].clone()),
        );
        match self.shape {
            PageShape::Token { response_field, .. } => {
                let next = if last {
                    String::new()
                } else {
                    page_token(index + 1)
                };
                page.insert(response_field.to_owned(), Value::String(next));
                ResponseTemplate::new(200).set_body_json(page)
            }
            PageShape::Link { .. } => {
                let template = ResponseTemplate::new(200).set_body_json(page);
                if last {
                    return template;
                }
                let mut next = self.base.clone();
                next.set_path(request.url.path());
                let kept: Vec<(String, String)> = request
                    .url
                    .query_pairs()
                    .filter(|(name, _)| name != LINK_PAGE_PARAM)
                    .map(|(name, value)| (name.into_owned(), value.into_owned()))
                    .collect();
                next.query_pairs_mut()
                    .clear()
                    .extend_pairs(kept)
                    .append_pair(LINK_PAGE_PARAM, &page_token(index + 1));
                template.insert_header("link", format!("<{next}>; rel=\"next\""))
            }
        }
    }
}

impl Respond for Pages {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        self.behaviours.api_answer(request, || self.page(request))
    }
}
