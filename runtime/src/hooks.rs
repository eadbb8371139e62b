//! Hooks around every attempt of a client's calls: headers, request signing, logging and
//! metrics without forking the runtime. A client without hooks never calls into them.

use std::fmt;
use std::time::Duration;

use http::HeaderMap;

use crate::error::Error;
use crate::future::BoxFuture;
use crate::meta::OperationMeta;

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

/// Called around every attempt of every call (`ClientBuilder::hooks`). Both methods do nothing
/// unless implemented.
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
