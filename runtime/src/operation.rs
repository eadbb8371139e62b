//! A generated operation builder seen from outside its operation: the request it would send
//! ([`Operation`]), how its pages continue ([`Paged`]), and that request described without
//! sending it ([`ApiClient::describe`]). The test kit (`mock`) matches requests against the
//! first, a generated command line prints the last for `--dry-run`.

use std::fmt;

use http::header::{AUTHORIZATION, HeaderValue};

use crate::call::CallWithResponse;
use crate::client::ApiClient;
use crate::error::Error;
use crate::paginate::PageStream;
use crate::request::{Body, Request};

/// Every generated operation builder: what it sends and what its success decodes into.
/// Implemented by generated code (through `builder_methods!`), not by hand.
pub trait Operation<'a>: Send + Sized {
    /// What a success response decodes into.
    type Output: Send + 'a;

    /// Validates the parameters and fills in the request, as `send` does before sending.
    fn request(&self) -> Result<Request, Error>;

    /// The client the builder sends with.
    fn api(&self) -> &'a ApiClient;

    /// Sends the request and decodes the response (the builder's `send_with_response`).
    fn send_with_response(self) -> CallWithResponse<'a, Self::Output>;
}

/// A listing whose responses continue on further pages, each carrying a list of items.
pub trait Paged<'a>: Operation<'a> {
    /// One item of a page.
    type Item: Send + 'a;

    /// Where a page keeps its items and how it names the next page.
    const PAGES: PageShape;

    /// Every item of every page (the builder's `items`).
    fn items(self) -> PageStream<'a, Self::Item>;
}

/// Where a page keeps its items and how it names the next page (wire names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageShape {
    /// A page token: the field `response_field` of a page holds the next page's token, sent
    /// back in the query parameter `request_param`.
    Token {
        /// The page's field that holds the items.
        items: &'static str,
        /// The page's field that holds the next page's token.
        response_field: &'static str,
        /// The query parameter the token is sent back in.
        request_param: &'static str,
    },
    /// A `Link: <url>; rel="next"` header.
    Link {
        /// The page's field that holds the items.
        items: &'static str,
    },
}

impl PageShape {
    /// The page's field that holds the items.
    pub fn items(&self) -> &'static str {
        match self {
            Self::Token { items, .. } | Self::Link { items } => items,
        }
    }
}

/// A request as the client would send it, with the access token redacted: what
/// [`ApiClient::describe`] returns.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Description {
    /// The HTTP method.
    pub method: &'static str,
    /// The whole URL, query included.
    pub url: String,
    /// The headers, in order; `Authorization` reads `Bearer <redacted>`.
    pub headers: Vec<(String, String)>,
    /// The body, when there is one.
    pub body: Option<DescribedBody>,
}

/// The body of a [`Description`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DescribedBody {
    /// A body that is text (JSON, a form), as it is sent.
    Text(String),
    /// Bytes that are not text: how many.
    Bytes(usize),
    /// A multipart form: each part's name, and its file name when it is a file.
    Multipart(Vec<(String, Option<String>)>),
}

/// The redacted form of an access token in a [`Description`].
const REDACTED_AUTHORIZATION: &str = "Bearer <redacted>";

impl ApiClient {
    /// `request` as this client would send it, built by the code that sends it, without
    /// sending it or asking for a token: the method, the URL, the headers with the access
    /// token redacted, and the body. A request that cannot be sent is its
    /// [`Error::Validation`].
    pub fn describe(&self, request: &Request) -> Result<Description, Error> {
        request.check()?;
        let http_request = self.http_request(request, None)?;
        let mut headers: Vec<(String, String)> = http_request
            .headers()
            .iter()
            .map(|(name, value)| {
                let shown = if value.is_sensitive() {
                    "<redacted>".to_owned()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_owned(), shown)
            })
            .collect();
        if self.sends_tokens() {
            headers.push((
                AUTHORIZATION.as_str().to_owned(),
                REDACTED_AUTHORIZATION.to_owned(),
            ));
        }
        let body = match &request.body {
            Body::Empty => None,
            Body::Bytes(body) => Some(match std::str::from_utf8(&body.bytes) {
                Ok(text) if is_textual(&body.content_type) => DescribedBody::Text(text.to_owned()),
                _ => DescribedBody::Bytes(body.bytes.len()),
            }),
            Body::Multipart(parts) => Some(DescribedBody::Multipart(
                parts
                    .iter()
                    .map(|part| (part.name.clone(), part.value.file_name().map(str::to_owned)))
                    .collect(),
            )),
        };
        Ok(Description {
            method: request.meta.method.as_str(),
            url: http_request.url().to_string(),
            headers,
            body,
        })
    }
}

/// Whether a body of `content_type` is text a person reads (JSON, forms, text).
fn is_textual(content_type: &HeaderValue) -> bool {
    let content_type = content_type.to_str().unwrap_or_default();
    content_type.starts_with("text/")
        || content_type.contains("json")
        || content_type.starts_with("application/x-www-form-urlencoded")
}

/// As an HTTP request reads: the request line, the headers, a blank line and the body.
impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        match &self.body {
            None => Ok(()),
            Some(DescribedBody::Text(text)) => write!(f, "\n{text}\n"),
            Some(DescribedBody::Bytes(len)) => writeln!(f, "\n<{len} bytes>"),
            Some(DescribedBody::Multipart(parts)) => {
                writeln!(f)?;
                for (name, file) in parts {
                    match file {
                        Some(file) => writeln!(f, "<part {name}: file {file}>")?,
                        None => writeln!(f, "<part {name}>")?,
                    }
                }
                Ok(())
            }
        }
    }
}
