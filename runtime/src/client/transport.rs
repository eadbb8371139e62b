//! Transport of one attempt: the URL (the base URL with the path template and query, or a
//! page's absolute URL), the HTTP request with its user agent, token and body, and the
//! response with its body, read up to the client's limit.

use std::future::Future;
use std::sync::PoisonError;

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use url::Url;

use super::ApiClient;
use crate::error::Error;
use crate::request::{Body, MultipartPart, MultipartValue, Request};
use crate::response::RawResponse;
use crate::secret::Secret;
use crate::vendor::Vendor;

impl ApiClient {
    /// `Bearer <token>`, marked sensitive so it never shows in `Debug` output.
    pub(super) fn authorization(&self, token: &Secret) -> Result<HeaderValue, Error> {
        let mut last = self
            .inner
            .authorization
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((sent, value)) = last.as_ref()
            && sent == token
        {
            return Ok(value.clone());
        }
        let mut value =
            HeaderValue::try_from(format!("Bearer {}", token.expose())).map_err(|_| {
                Error::Auth {
                    message: "the access token contains characters an HTTP header cannot carry"
                        .to_owned(),
                    source: None,
                }
            })?;
        value.set_sensitive(true);
        *last = Some((token.clone(), value.clone()));
        Ok(value)
    }

    /// The URL to send `request` to: its absolute URL if it has the base URL's origin, else
    /// the filled-in path template and query under the base URL.
    pub(super) fn url(&self, request: &Request) -> Result<Url, Error> {
        let operation = request.meta.operation_id;
        if let Some(url) = &request.absolute_url {
            if url.origin() != self.inner.base_origin {
                return Err(Error::Pagination {
                    operation,
                    message: format!(
                        "the next-page link points to {}, not to the API's origin",
                        url.origin().ascii_serialization()
                    ),
                });
            }
            return Ok(url.as_ref().clone());
        }
        let parts = request.path_parts();
        if let Some((_, rest)) = parts.iter().find_map(|part| part.split_once('{')) {
            return Err(Error::Validation {
                operation,
                field: rest.split('}').next().unwrap_or(rest).to_owned(),
                message: "the required path parameter is missing".to_owned(),
            });
        }
        // The base URL's scheme and host are not parsed again for every call: only the path
        // and query are set on a copy (the same URL a full parse of the joined text gives).
        let mut url = self.inner.base.clone();
        let base_path = url.path().trim_end_matches('/');
        let mut path = String::with_capacity(
            base_path.len() + parts.iter().map(|part| part.len()).sum::<usize>(),
        );
        path.push_str(base_path);
        path.extend(parts);
        url.set_path(&path);
        url.set_query((!request.query.is_empty()).then_some(request.query.as_str()));
        Ok(url)
    }

    /// The HTTP request of one attempt, with the user agent, the token and the body.
    pub(crate) fn http_request(
        &self,
        request: &Request,
        token: Option<&Secret>,
    ) -> Result<reqwest::Request, Error> {
        let url = self.url(request)?;
        // Built directly rather than through `RequestBuilder`, whose every call moves the
        // whole builder.
        let mut http_request = reqwest::Request::new(request.meta.method.to_reqwest(), url);
        let headers = http_request.headers_mut();
        if let Some(own) = &request.headers {
            headers.clone_from(own);
        }
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.inner.user_agent.clone());
        }
        if let Some(token) = token {
            headers.insert(AUTHORIZATION, self.authorization(token)?);
        }
        match &request.body {
            Body::Empty => {}
            Body::Bytes(body) => {
                headers.insert(CONTENT_TYPE, body.content_type.clone());
                *http_request.body_mut() = Some(reqwest::Body::from(body.bytes.clone()));
            }
            Body::Multipart(parts) => {
                http_request = self.with_form(request.meta.operation_id, http_request, parts)?;
            }
        }
        Ok(http_request)
    }

    /// `http_request` carrying the multipart form of `parts`. Out of line: few operations
    /// upload, and every request's path stays shorter without it.
    #[cold]
    pub(super) fn with_form(
        &self,
        operation: &'static str,
        http_request: reqwest::Request,
        parts: &[MultipartPart],
    ) -> Result<reqwest::Request, Error> {
        // The form sets its own boundary in the content type.
        reqwest::RequestBuilder::from_parts(self.inner.http.clone(), http_request)
            .multipart(multipart_form(operation, parts)?)
            .build()
            .map_err(|e| Error::transport(operation, e))
    }
}

pub(super) fn trimmed(url: &Url) -> &str {
    url.as_str().trim_end_matches('/')
}

/// The whole body of `response`, or [`Error::ResponseTooLarge`] as soon as what arrived
/// exceeds `limit` (a body that announced no length can be endless).
///
/// Read chunk by chunk, and from a borrowed response, rather than with `Response::bytes`,
/// whose future keeps the response twice: every call awaits this one.
async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
    operation: &'static str,
) -> Result<Bytes, Error> {
    // Most bodies arrive in one chunk, which is returned as it came: no copy then.
    let mut first: Option<Bytes> = None;
    let mut joined = bytes::BytesMut::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::transport(operation, e))?
    {
        if first.as_ref().map_or(0, Bytes::len) + joined.len() + chunk.len() > limit {
            return Err(Error::ResponseTooLarge { operation, limit });
        }
        if first.is_none() && joined.is_empty() {
            first = Some(chunk);
            continue;
        }
        if let Some(earlier) = first.take() {
            joined.extend_from_slice(&earlier);
        }
        joined.extend_from_slice(&chunk);
    }
    Ok(first.unwrap_or_else(|| joined.freeze()))
}

/// Builds the multipart form anew for each attempt (reqwest's form is not reusable).
fn multipart_form(
    operation: &'static str,
    parts: &[MultipartPart],
) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let value = match &part.value {
            MultipartValue::Text(text) => reqwest::multipart::Part::text(text.clone()),
            MultipartValue::File {
                file_name,
                content_type,
                bytes,
            } => {
                let file = reqwest::multipart::Part::stream_with_length(
                    reqwest::Body::from(bytes.clone()),
                    bytes.len() as u64,
                )
                .file_name(file_name.clone());
                match content_type {
                    Some(content_type) => {
                        file.mime_str(content_type).map_err(|e| Error::Validation {
                            operation,
                            field: part.name.clone(),
                            message: format!("invalid content type `{content_type}`: {e}"),
                        })?
                    }
                    None => file,
                }
            }
        };
        form = form.part(part.name.clone(), value);
    }
    Ok(form)
}

/// The response of `pending` with its whole body, or [`Error::ResponseTooLarge`] once the
/// body is known to exceed the client's limit.
pub(super) async fn receive(
    pending: impl Future<Output = reqwest::Result<reqwest::Response>>,
    reading: &Reading,
    operation: &'static str,
) -> Result<RawResponse, Error> {
    let mut response = pending.await.map_err(|e| Error::transport(operation, e))?;
    let limit = reading.max_bytes;
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(Error::ResponseTooLarge { operation, limit });
    }
    let body = read_body(&mut response, reading.max_bytes, operation).await?;
    Ok(RawResponse {
        status: response.status().as_u16(),
        // Moved out rather than cloned: the response ends here.
        headers: std::mem::take(response.headers_mut()),
        body,
        operation,
        vendor: reading.vendor,
    })
}

/// How a client reads responses.
#[derive(Debug)]
pub(super) struct Reading {
    /// The largest body read into memory.
    pub(super) max_bytes: usize,
    /// Whose API answers: where its request id and rate-limit headers are.
    pub(super) vendor: &'static Vendor,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Credentials;
    use crate::meta::{HttpMethod, OperationMeta};
    use crate::request::PathEncoding;

    static RECORDINGS: OperationMeta = OperationMeta {
        operation_id: "recordingGet",
        method: HttpMethod::Get,
        path_template: "/meetings/{meetingId}/recordings",
        rate_limit: None,
        scopes: &[],
        granular_scopes: &[],
    };

    /// Setting path and query on the parsed base gives the URL a full parse of the joined
    /// text gives, for bases with and without a path or a trailing slash.
    #[test]
    fn request_urls_match_a_full_parse() {
        let values = ["123", "/ajXp112QmuoKj4854875==", "a//b", "ä ö?#&", "%2F"];
        for base in [
            "https://api.example.com/v2",
            "https://api.example.com/v2/",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "https://api.example.org/v1/sub",
        ] {
            let client = ApiClient::new(base, Credentials::none()).unwrap();
            for value in values {
                for query in [None, Some(value), Some("x y")] {
                    let mut request = Request::new(&RECORDINGS);
                    request.path_param("meetingId", &value, PathEncoding::DoubleWhenSlashes);
                    if let Some(query) = query {
                        request.query("include_fields", &query);
                        request.query("ttl", &5);
                    }
                    let mut joined = format!(
                        "{}{}",
                        base.trim_end_matches('/'),
                        request.path_parts().concat()
                    );
                    if !request.query.is_empty() {
                        joined = format!("{joined}?{}", request.query);
                    }
                    assert_eq!(
                        client.url(&request).unwrap(),
                        Url::parse(&joined).unwrap(),
                        "{base} {value} {query:?}"
                    );
                }
            }
        }
    }
}
