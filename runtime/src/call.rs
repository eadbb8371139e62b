//! [`Call`] and [`CallWithResponse`]: the futures a generated operation's `send` and
//! `send_with_response` return.
//!
//! Named types rather than `async fn`s: the call is started (boxed) when `send` is called,
//! so the future holds only that box and the decoder, not the request and the builder it
//! came from, which every move of the future would copy again.

use std::fmt;
use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::future::BoxFuture;
use crate::{ApiClient, Error, RawResponse, Request, Response};

/// Decodes a success body into `T` (one of `__private::decode`).
type Decode<T> = fn(&mut RawResponse) -> Result<T, Error>;

/// The call of one operation, started: resolves to its decoded response with the status and
/// headers ([`Response`]), or to the error. Returned by every generated operation's
/// `send_with_response`; `.await` it.
#[must_use = "a call does nothing unless `.await`ed"]
pub struct CallWithResponse<'a, T> {
    /// The running call; `None` once its outcome was returned, so that a call polled again
    /// says so instead of resuming a finished future.
    running: Option<BoxFuture<'a, Result<RawResponse, Error>>>,
    decode: Decode<T>,
}

impl<T> Future for CallWithResponse<'_, T> {
    type Output = Result<Response<T>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let Some(running) = this.running.as_mut() else {
            return Poll::Ready(Err(Error::Config {
                message: "the call's future was polled after it completed".to_owned(),
            }));
        };
        let outcome = ready!(running.as_mut().poll(cx));
        this.running = None;
        let mut response = outcome?;
        let body = (this.decode)(&mut response)?;
        Poll::Ready(Ok(Response::new(
            response.vendor,
            response.status,
            mem::take(&mut response.headers),
            body,
        )))
    }
}

impl<T> fmt::Debug for CallWithResponse<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.running.is_some() {
            "running"
        } else {
            "done"
        };
        f.debug_struct("CallWithResponse")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

/// The call of one operation, started: resolves to its decoded body, or to the error.
/// Returned by every generated operation's `send`; `.await` it.
#[must_use = "a call does nothing unless `.await`ed"]
#[derive(Debug)]
pub struct Call<'a, T>(CallWithResponse<'a, T>);

impl<'a, T> From<CallWithResponse<'a, T>> for Call<'a, T> {
    /// The same call, resolving to the body alone.
    fn from(call: CallWithResponse<'a, T>) -> Self {
        Self(call)
    }
}

impl<T> Future for Call<'_, T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map_ok(Response::into_body)
    }
}

impl ApiClient {
    /// For generated code: starts `request` (or keeps its validation error for the first
    /// poll) and decodes the response with `decode`.
    #[doc(hidden)]
    pub fn send<T>(
        &self,
        request: Result<Request, Error>,
        decode: Decode<T>,
    ) -> CallWithResponse<'_, T> {
        let running = match request {
            Ok(request) => self.execute(request),
            // Reported at the first poll, as any other outcome.
            Err(refused) => Box::pin(std::future::ready(Err(refused))),
        };
        CallWithResponse {
            running: Some(running),
            decode,
        }
    }
}

#[cfg(test)]
mod tests {
    use futures_util::FutureExt;

    use super::*;
    use crate::Credentials;

    #[test]
    fn a_refused_call_reports_its_error_once_then_that_it_is_done() {
        let client = ApiClient::builder("https://api.example.com/v2", Credentials::none())
            .build()
            .unwrap();
        let refused = Error::Validation {
            operation: "recordingGet",
            field: "meetingId".to_owned(),
            message: "the required path parameter is missing".to_owned(),
        };
        let mut call = client.send(Err(refused), crate::__private::decode::unit);
        let first = (&mut call)
            .now_or_never()
            .expect("a refused call is ready at once");
        assert!(
            matches!(&first, Err(Error::Validation { field, .. }) if field == "meetingId"),
            "{first:?}"
        );
        let again = call.now_or_never().expect("ready");
        assert!(
            matches!(&again, Err(Error::Config { message }) if message.contains("polled after")),
            "{again:?}"
        );
    }
}
