//! A listing's pages cut from a `Vec` of items and chained the way its operation pages: a
//! page token in a field and a query parameter, or a `Link: <…>; rel="next"` header. The
//! items may be read at each request (a listing that changes while the code under test
//! runs) and selected by the request's query (a listing that filters by dates).

use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value};
use wiremock::{Respond, ResponseTemplate};

use super::Failure;
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

/// The query of a page request, for [`PagesExpectation::select`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// The first value of the parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Which items a request's query selects.
type Select<I> = Box<dyn Fn(&I, &Query) -> bool + Send + Sync>;

/// The expected request of a listing whose items are `I`: answer it with
/// [`respond`](Self::respond) or [`respond_live`](Self::respond_live).
#[must_use = "an expectation does nothing until it is answered (`.respond(…).await`)"]
pub struct PagesExpectation<'m, I> {
    server: &'m MockServer,
    request: Request,
    shape: PageShape,
    per_page: usize,
    times: Option<u64>,
    any_value: Vec<String>,
    select: Option<Select<I>>,
}

impl<'m, I> PagesExpectation<'m, I>
where
    I: serde::Serialize + Clone + Send + Sync + 'static,
{
    pub(super) fn new(server: &'m MockServer, request: Request, shape: PageShape) -> Self {
        Self {
            server,
            request,
            shape,
            per_page: 30,
            times: None,
            any_value: Vec::new(),
            select: None,
        }
    }

    /// Items per page (30 unless set; at least 1).
    pub fn per_page(mut self, per_page: usize) -> Self {
        self.per_page = per_page.max(1);
        self
    }

    /// Requires exactly `times` page requests, checked when the server is dropped.
    pub fn times(mut self, times: u64) -> Self {
        self.times = Some(times);
        self
    }

    /// Matches requests whatever values these query parameters have (the dates of a listing
    /// the code under test lists window by window).
    pub fn any_value_of(mut self, params: &[&str]) -> Self {
        self.any_value
            .extend(params.iter().map(|param| (*param).to_owned()));
        self
    }

    /// Serves each request only the items `keep` accepts given the request's query (a
    /// listing filtered by its dates, as the API filters it).
    pub fn select(mut self, keep: impl Fn(&I, &Query) -> bool + Send + Sync + 'static) -> Self {
        self.select = Some(Box::new(keep));
        self
    }

    /// Serves `items` as pages: an empty `items` is one empty page.
    pub async fn respond(self, items: &[I]) {
        self.respond_live(Arc::new(Mutex::new(items.to_vec())))
            .await;
    }

    /// Serves the items `items` holds at each request: the code under test sees what the
    /// test adds or removes meanwhile.
    pub async fn respond_live(self, items: Arc<Mutex<Vec<I>>>) {
        let page_param = match self.shape {
            PageShape::Token { request_param, .. } => request_param,
            PageShape::Link { .. } => LINK_PAGE_PARAM,
        };
        let mut ignored = self.any_value;
        ignored.push(page_param.to_owned());
        let mut expectation: Expectation<'_, I> =
            Expectation::new(self.server, self.request, ignored);
        if let Some(times) = self.times {
            expectation = expectation.times(times);
        }
        let base = match url::Url::parse(&self.server.url()) {
            Ok(base) => base,
            Err(error) => panic!("the mock's own URL does not parse: {error}"),
        };
        let answer = Pages {
            behaviours: Arc::clone(&self.server.behaviours),
            base,
            items,
            select: self.select,
            per_page: self.per_page,
            shape: self.shape,
            page_param,
        };
        self.server.mount(expectation.mock(answer)).await;
    }
}

/// Answers each page request with its page.
struct Pages<I> {
    behaviours: Arc<Behaviours>,
    /// The mock's URL: what the next-page links start with (the client sends them only to
    /// its own origin).
    base: url::Url,
    items: Arc<Mutex<Vec<I>>>,
    select: Option<Select<I>>,
    per_page: usize,
    shape: PageShape,
    page_param: &'static str,
}

impl<I: serde::Serialize> Pages<I> {
    /// The pages of what the request selects, as JSON.
    fn pages(&self, query: &Query) -> Result<Vec<Vec<Value>>, serde_json::Error> {
        let items = self.items.lock().unwrap_or_else(PoisonError::into_inner);
        let selected: Vec<Value> = items
            .iter()
            .filter(|item| self.select.as_ref().is_none_or(|keep| keep(item, query)))
            .map(serde_json::to_value)
            .collect::<Result<_, _>>()?;
        Ok(if selected.is_empty() {
            vec![Vec::new()]
        } else {
            selected
                .chunks(self.per_page)
                .map(<[Value]>::to_vec)
                .collect()
        })
    }

    fn page(&self, request: &wiremock::Request) -> ResponseTemplate {
        let query = Query(request.url.query_pairs().into_owned().collect());
        let pages = match self.pages(&query) {
            Ok(pages) => pages,
            Err(error) => {
                return Failure::new(500)
                    .message(format!("a page item does not serialize to JSON: {error}"))
                    .answer(self.behaviours.vendor());
            }
        };
        let given = query.get(self.page_param).filter(|value| !value.is_empty());
        let index = match given {
            None => Some(0),
            Some(given) => (1..pages.len()).find(|&index| page_token(index) == given),
        };
        let Some(index) = index else {
            return Failure::new(400)
                .message("The next page token is invalid or expired.")
                .answer(self.behaviours.vendor());
        };
        let last = index + 1 == pages.len();
        let mut page = Map::new();
        page.insert(
            self.shape.items().to_owned(),
            Value::Array(pages[index].clone()),
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
                let kept: Vec<(String, String)> = query
                    .0
                    .iter()
                    .filter(|(name, _)| name != LINK_PAGE_PARAM)
                    .cloned()
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

impl<I> Respond for Pages<I>
where
    I: serde::Serialize + Send + Sync + 'static,
{
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        self.behaviours.api_answer(request, || self.page(request))
    }
}
