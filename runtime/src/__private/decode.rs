//! The decoders of success bodies that every generated operation's `send_with_response` gives
//! `ApiClient::send`: one per kind of body a document describes.

use std::mem;

use serde::de::DeserializeOwned;

use crate::{Bytes, Error, RawResponse};

/// A JSON body.
pub fn json<T: DeserializeOwned>(response: &mut RawResponse) -> Result<T, Error> {
    response.json()
}

/// A JSON body, or `None` for an empty one (a success status documented without a body).
pub fn json_or_empty<T: DeserializeOwned>(response: &mut RawResponse) -> Result<Option<T>, Error> {
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
