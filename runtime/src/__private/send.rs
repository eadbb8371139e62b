//! The decoders of success bodies that every generated operation's `send_with_response` gives
//! `ApiClient::send`: one per kind of body a document describes.

use std::future::Future;
use std::mem;

use futures_util::FutureExt;

use serde::de::DeserializeOwned;

use crate::{ApiClient, Bytes, Error, RawResponse, Request, Response};

impl ApiClient {
    /// For generated code: executes `request` (or returns its validation error) and decodes
    /// the response with `decode`, keeping the status and headers.
    ///
    /// A plain function rather than an `async fn`: the call is started (boxed) here, so the
    /// future an operation's `send` returns holds only that box, not the request and the
    /// builder it came from, which every `.await` would move again.
    #[doc(hidden)]
    pub fn send<T, D>(
        &self,
        request: Result<Request, Error>,
        decode: D,
    ) -> impl Future<Output = Result<Response<T>, Error>> + Send + '_
    where
        D: FnOnce(&mut RawResponse) -> Result<T, Error> + Send + 'static,
    {
        let execution = request.map(|request| self.execute(request));
        async move {
            let mut response = execution?.await?;
            let body = decode(&mut response)?;
            Ok(Response::new(
                response.status,
                mem::take(&mut response.headers),
                body,
            ))
        }
    }
}

/// For generated code: the body of what [`ApiClient::send`] returns, for an operation's
/// `send`.
pub fn body<T>(
    sending: impl Future<Output = Result<Response<T>, Error>> + Send,
) -> impl Future<Output = Result<T, Error>> + Send {
    sending.map(|response| response.map(Response::into_body))
}

pub mod decode {
    use super::*;

    /// A JSON body.
    pub fn json<T: DeserializeOwned>(response: &mut RawResponse) -> Result<T, Error> {
        response.json()
    }

    /// A JSON body, or `None` for an empty one (a success status documented without a body).
    pub fn json_or_empty<T: DeserializeOwned>(
        response: &mut RawResponse,
    ) -> Result<Option<T>, Error> {
        if response.body.is_empty() {
            Ok(None)
        } else {
            response.json().map(Some)
        }
    }

    /// No body.
    pub fn unit(_response: &mut RawResponse) -> Result<(), Error> {
        Ok(())
    }

    /// A text body (invalid UTF-8 replaced, as the document promises text).
    pub fn text(response: &mut RawResponse) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&response.body).into_owned())
    }

    /// The body's bytes.
    pub fn bytes(response: &mut RawResponse) -> Result<Bytes, Error> {
        Ok(mem::take(&mut response.body))
    }

    /// The whole response, for an operation whose document lists no success response.
    pub fn raw(response: &mut RawResponse) -> Result<RawResponse, Error> {
        Ok(response.clone())
    }
}
