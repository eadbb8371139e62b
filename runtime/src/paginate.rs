//! Turning page-by-page operations into streams that cannot loop forever.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;
use futures_util::{StreamExt, TryFutureExt, stream};

use crate::error::Error;
use crate::meta::OperationMeta;

/// A boxed, `Send` stream of pages or items, as generated list methods return.
pub type PageStream<'a, P> = Pin<Box<dyn Stream<Item = Result<P, Error>> + Send + 'a>>;

/// A page of a listing that continues with a page token (`next_page_token`).
pub trait TokenPage {
    /// The token for the next page; absent or empty on the last page.
    fn next_page_token(&self) -> Option<&str>;
}

/// How an API says a page token expired, as its document profile knows it: an error `code`
/// whose message contains `message_contains` (or has no message): a general "validation
/// failed" code may carry "The next page token is invalid or expired."
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenExpiry {
    code: i64,
    message_contains: &'static str,
}

impl TokenExpiry {
    /// Error `code` means an expired token when its message contains `message_contains`
    /// (compared in lower case) or says nothing.
    pub const fn new(code: i64, message_contains: &'static str) -> Self {
        Self {
            code,
            message_contains,
        }
    }

    /// Whether `api` says the token expired, not that a page failed for another reason.
    fn matches(&self, api: &crate::ApiError) -> bool {
        api.code == Some(self.code)
            && api.message.as_deref().is_none_or(|message| {
                message
                    .to_ascii_lowercase()
                    .contains(&self.message_contains.to_ascii_lowercase())
            })
    }
}

/// Pages of a page-token operation: `fetch(first_token)`, then `fetch(Some(token))` while a
/// page names a non-empty token. Ends after the first error; a token seen before yields
/// [`Error::Pagination`] instead of looping, and an error `expiry` recognizes in answer to a
/// request that carried a token yields [`Error::PageTokenExpired`] (page tokens expire).
pub fn token_pages<'a, P, F, Fut>(
    meta: &'static OperationMeta,
    first_token: Option<String>,
    expiry: Option<TokenExpiry>,
    mut fetch: F,
) -> PageStream<'a, P>
where
    P: TokenPage + Send + 'a,
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<P, Error>> + Send + 'a,
{
    cursor_pages(meta, first_token, move |token| {
        let carried_token = token.is_some();
        fetch(token)
            .map_ok(|page| {
                let next = page.next_page_token().map(str::to_owned);
                (page, next)
            })
            .map_err(move |error| match error {
                Error::Api(api)
                    if carried_token && expiry.is_some_and(|expiry| expiry.matches(&api)) =>
                {
                    Error::PageTokenExpired {
                        operation: meta.operation_id,
                        error: api,
                    }
                }
                other => other,
            })
    })
}

/// Pages of an operation that links the next page with `Link: <url>; rel="next"`:
/// `fetch(None)`, then `fetch(Some(url))` with the link each page returned. A link seen before
/// yields [`Error::Pagination`] instead of looping; the stream ends after the first error.
pub fn link_pages<'a, P, F, Fut>(meta: &'static OperationMeta, fetch: F) -> PageStream<'a, P>
where
    P: Send + 'a,
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(P, Option<String>), Error>> + Send + 'a,
{
    cursor_pages(meta, None, fetch)
}

/// Flattens a stream of pages into a stream of their items, keeping errors in place.
pub fn page_items<'a, P: Send + 'a, I: Send + 'a>(
    pages: PageStream<'a, P>,
    items: fn(P) -> Vec<I>,
) -> PageStream<'a, I> {
    Box::pin(pages.flat_map(move |page| {
        stream::iter(match page {
            Ok(page) => items(page).into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        })
    }))
}

/// What the stream does next.
enum Next {
    Fetch(Option<String>),
    Fail(Error),
    Done,
}

/// The loop both pagination styles share: fetch with a cursor, yield the page, continue with
/// the cursor it returned unless that is absent, empty or already used.
fn cursor_pages<'a, P, F, Fut>(
    meta: &'static OperationMeta,
    first: Option<String>,
    fetch: F,
) -> PageStream<'a, P>
where
    P: Send + 'a,
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(P, Option<String>), Error>> + Send + 'a,
{
    let state = (fetch, Next::Fetch(first), HashSet::new());
    Box::pin(stream::unfold(
        state,
        move |(mut fetch, next, mut seen)| async move {
            let cursor = match next {
                Next::Fetch(cursor) => cursor,
                Next::Fail(error) => return Some((Err(error), (fetch, Next::Done, seen))),
                Next::Done => return None,
            };
            if let Some(cursor) = &cursor {
                seen.insert(cursor.clone());
            }
            let (item, next) = match fetch(cursor).await {
                Ok((page, next)) => {
                    let next = match next.filter(|cursor| !cursor.is_empty()) {
                        None => Next::Done,
                        Some(cursor) if seen.contains(&cursor) => Next::Fail(Error::Pagination {
                            operation: meta.operation_id,
                            message: "the server repeated an earlier page cursor".to_owned(),
                        }),
                        Some(cursor) => Next::Fetch(Some(cursor)),
                    };
                    (Ok(page), next)
                }
                Err(error) => (Err(error), Next::Done),
            };
            Some((item, (fetch, next, seen)))
        },
    ))
}
