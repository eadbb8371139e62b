//! Downloading recording files to disk: streamed, resumable, size-checked and atomic.
//!
//! Recording files run to several gigabytes and connections drop, so a download is written
//! chunk by chunk to `<path>.part` (memory use does not grow with the file), continued with
//! `Range: bytes=N-` from what that file already holds, checked against the expected size,
//! and only then renamed to `<path>`: a file at `<path>` is always complete, and a `.part`
//! left by a crash or a kill is picked up by the next download of the same file.
//!
//! The token goes in the `Authorization` header, never in the query, where proxies and server
//! logs would keep it, and only to hosts the client trusts with it
//! ([`ClientBuilder::download_hosts`](crate::ClientBuilder::download_hosts)): a download URL
//! can come from a webhook body, which anyone can post. Redirects (to a vendor's storage
//! hosts) are followed by the HTTP client the builder makes, up to 10: it drops
//! `Authorization` when a hop changes the host or port, and refuses a hop that keeps them but
//! drops from https to plain http. A client given to
//! [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) follows its own redirect
//! policy; one configured without redirects makes a redirect an error. The whole download is held to
//! [`Timeouts::total`](crate::Timeouts::total) when it is set, besides the idle limit of each
//! read, so a body trickling a byte at a time cannot keep it alive forever.

use std::path::{Path, PathBuf};
use std::time::Duration;

use http::StatusCode;
use http::header::{CONTENT_RANGE, RANGE, USER_AGENT};
use tokio::io::{AsyncWriteExt, BufWriter};
use tokio::time::Instant;
use url::Url;

use crate::client::{ApiClient, call_span, traced};
use crate::error::{ApiError, Error, TimeoutKind};
use crate::hooks::{DOWNLOAD_REQUEST, send_observed};
use crate::retry::{RetryConfig, RetryStrategy};
use crate::secret::Secret;
use crate::timeouts::Timeouts;
use crate::vendor::Vendor;

pub(crate) mod credential_hosts;
mod part_file;

pub use part_file::part_path;
use part_file::{file_len, io, open, remove, sync_parent};

/// The operation name that errors and logs give downloads.
const OPERATION: &str = "download";

/// Bytes buffered before a write to the `.part` file.
const WRITE_BUFFER: usize = 256 * 1024;

/// The most of an error response's body kept for [`ApiError`].
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// What a download authenticates with.
enum Credentials {
    /// The client's own token.
    Client,
    /// A token given for this download (a webhook's `download_token`).
    Token(Secret),
    /// Nothing: a pre-signed or public link.
    None,
}

/// A progress callback: bytes in the file so far, and the total when known.
type Progress<'a> = Box<dyn FnMut(u64, Option<u64>) + Send + 'a>;

/// A download being configured; finish with [`Download::to_path`].
#[must_use = "a download does nothing until `.to_path(..).await`"]
pub struct Download<'a> {
    client: &'a ApiClient,
    url: String,
    credentials: Credentials,
    expected_size: Option<u64>,
    /// Why the expected size given cannot be a size (a negative number).
    invalid_size: Option<String>,
    /// Download again even when a complete file is in place.
    replace_existing: bool,
    progress: Option<Progress<'a>>,
    /// This download's retries, when not the client's.
    retry: Option<RetryConfig>,
    /// This download's time limits, when not the client's.
    timeouts: Option<Timeouts>,
}

/// What a finished download did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// The complete file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// How many bytes a `.part` file already held when the download started.
    pub resumed_from: u64,
    /// How many HTTP requests it took (0 when the `.part` file was already complete).
    pub requests: u32,
    /// The file was already in place with the expected size, so nothing was fetched.
    pub already_complete: bool,
}

impl ApiClient {
    /// Starts a download of `url` (a recording file's `download_url`), authenticated with the
    /// client's credentials unless [`Download::access_token`] gives another token.
    pub fn download(&self, url: &str) -> Download<'_> {
        Download {
            client: self,
            url: url.to_owned(),
            credentials: Credentials::Client,
            expected_size: None,
            invalid_size: None,
            replace_existing: false,
            progress: None,
            retry: None,
            timeouts: None,
        }
    }
}

impl<'a> Download<'a> {
    /// Sends this token instead of the client's: a recording's `download_access_token`
    /// (`include_fields=download_access_token`) or a webhook's `download_token`, which is what
    /// `webhook_download` URLs accept.
    ///
    /// The token is bound by the same rule as the client's: it goes only to hosts the client
    /// trusts with credentials.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Credentials::Token(token.into());
        self
    }

    /// Sends no credentials: for pre-signed or public links, on any host.
    pub fn without_credentials(mut self) -> Self {
        self.credentials = Credentials::None;
        self
    }

    /// The size the file must have (a recording file's `file_size`, as it decodes); anything
    /// else is an [`Error::Download`] and the file is not renamed into place. A file already at
    /// the target path with this size is complete: it is not fetched again (see
    /// [`replace_existing`](Self::replace_existing)).
    pub fn expected_size<N>(mut self, bytes: N) -> Self
    where
        N: TryInto<u64> + Copy + std::fmt::Display,
    {
        match bytes.try_into() {
            Ok(bytes) => self.expected_size = Some(bytes),
            Err(_) => self.invalid_size = Some(format!("{bytes} is not a file size")),
        }
        self
    }

    /// Downloads even when a file of the expected size is already at the target path.
    pub fn replace_existing(mut self) -> Self {
        self.replace_existing = true;
        self
    }

    /// Called after each chunk with the bytes in the file so far (resumed bytes included) and
    /// the total when the expected size or the response tells it.
    pub fn progress(mut self, progress: impl FnMut(u64, Option<u64>) + Send + 'a) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// Retries this download as `config` says instead of as the client's configuration does.
    pub fn retry(mut self, config: RetryConfig) -> Self {
        self.retry = Some(config);
        self
    }

    /// Holds this download to `limits` instead of the client's: `per_attempt` is the longest
    /// a read may stay idle, `total` the longest the whole download may take.
    pub fn timeouts(mut self, limits: Timeouts) -> Self {
        self.timeouts = Some(limits);
        self
    }

    /// Downloads to `path`, resuming from `<path>.part` if an earlier attempt left one.
    ///
    /// A dropped connection, an idle period longer than the per-attempt timeout, a 429 or a
    /// 5xx is retried as the [`RetryConfig`] says (the download's own, else the client's),
    /// resuming where the file stopped; an attempt that added bytes resets the retry count, so
    /// a long download on a flaky line keeps going as long as it makes progress. A 401 with
    /// the client's credentials is retried once with a fresh token. Each download is a
    /// `zoomgen.request` span, as an API call is, with the operation `download`.
    pub async fn to_path(self, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        let limits = self.timeouts.as_ref().unwrap_or(self.client.timeouts());
        let deadline = crate::timeouts::call_deadline(limits.total, Instant::now());
        let path = path.as_ref();
        match call_span(&DOWNLOAD_REQUEST) {
            Some(span) => {
                let run = self.run(path, Some(&span));
                traced(&span, crate::timeouts::until(deadline, OPERATION, run)).await
            }
            None => crate::timeouts::until(deadline, OPERATION, self.run(path, None)).await,
        }
    }

    async fn run(mut self, path: &Path, span: Option<&tracing::Span>) -> Result<Downloaded, Error> {
        if let Some(problem) = self.invalid_size.take() {
            return Err(self.protocol(problem));
        }
        if let (Some(expected), false) = (self.expected_size, self.replace_existing)
            && let Ok(existing) = tokio::fs::metadata(path).await
            && existing.is_file()
            && existing.len() == expected
        {
            return Ok(Downloaded {
                path: path.to_owned(),
                bytes: expected,
                resumed_from: expected,
                requests: 0,
                already_complete: true,
            });
        }
        // The folder is made: a download into a new folder is the common case.
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(parent)
                .await
                .map_err(io(parent))?;
        }
        let part = part_path(path);
        let url = Url::parse(&self.url)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| Error::Download {
                url: without_query(&self.url),
                message: "not an http(s) URL".to_owned(),
            })?;
        if !matches!(self.credentials, Credentials::None)
            && let Some(reason) = self.client.credentials_refused(&url)
        {
            return Err(self.protocol(format!(
                "refusing to send credentials: {reason}; download it \
                 `.without_credentials()` if the link needs none"
            )));
        }
        let resumed_from = file_len(&part).await?;
        let retry = match self.retry.take() {
            Some(config) => config,
            None => self.client.retry_config().clone(),
        };
        // A download is a GET: repeating it never acts twice.
        let mut strategy = RetryStrategy::new(&retry, true);
        let mut failures = 0;
        let mut since_progress = Instant::now();
        let mut token = match &self.credentials {
            Credentials::Client => self.client.token(None).await?,
            Credentials::Token(token) => Some(token.clone()),
            Credentials::None => None,
        };
        let mut refreshed = !matches!(self.credentials, Credentials::Client);
        let mut restarted = false;
        let mut requests = 0;
        loop {
            let before = file_len(&part).await?;
            let outcome = self
                .attempt(&url, &part, token.as_ref(), &mut requests, span)
                .await;
            let after = file_len(&part).await?;
            let error = match outcome {
                Ok(Step::Complete) => break,
                // Once: a second refusal to continue a fresh file is not a stale `.part`.
                Ok(Step::Restart) if !restarted => {
                    restarted = true;
                    continue;
                }
                Ok(Step::Restart) => {
                    return Err(self.protocol("the server refused the range twice".to_owned()));
                }
                // The body ended cleanly but short: resume at once while that adds bytes.
                Ok(Step::Short { .. }) if after > before => continue,
                Ok(Step::Short { written, total }) => {
                    return Err(self.protocol(format!(
                        "the response ended after {written} of {total} bytes"
                    )));
                }
                Err(Error::Api(api)) if api.status == 401 && !refreshed => {
                    refreshed = true;
                    let fresh = self.client.token(token.as_ref()).await?;
                    if fresh == token {
                        return Err(Error::Api(api));
                    }
                    token = fresh;
                    continue;
                }
                Err(error) => error,
            };
            if after > before {
                // The attempt made progress before it broke: resume at once (no backoff), as
                // a fresh start, when the error is one the configuration retries.
                failures = 0;
                strategy.restart();
                since_progress = Instant::now();
                if !strategy.retries(&error) {
                    return Err(error);
                }
                tracing::debug!(%error, bytes = after, "download interrupted after progress; resuming at once");
                continue;
            }
            failures += 1;
            let Some(delay) = strategy.delay(&error, failures, since_progress.elapsed()) else {
                return Err(error);
            };
            tracing::debug!(%error, delay_ms = delay.as_millis(), bytes = after, "download interrupted; resuming");
            tokio::time::sleep(delay).await;
        }
        let bytes = file_len(&part).await?;
        tokio::fs::rename(&part, path).await.map_err(io(&part))?;
        sync_parent(path).await;
        Ok(Downloaded {
            path: path.to_owned(),
            bytes,
            resumed_from,
            requests,
            already_complete: false,
        })
    }

    /// One request: continues `part` from its length, or starts it over when the server
    /// ignores the range.
    async fn attempt(
        &mut self,
        url: &Url,
        part: &Path,
        token: Option<&Secret>,
        requests: &mut u32,
        span: Option<&tracing::Span>,
    ) -> Result<Step, Error> {
        let mut have = file_len(part).await?;
        if let Some(expected) = self.expected_size {
            if have == expected {
                // Complete but not yet renamed: a crash between the last write and the rename.
                return Ok(Step::Complete);
            }
            if have > expected {
                remove(part).await?;
                have = 0;
            }
        }
        let idle = self
            .timeouts
            .as_ref()
            .unwrap_or(self.client.timeouts())
            .per_attempt;
        let mut request = self
            .client
            .http()
            .get(url.clone())
            .header(USER_AGENT, self.client.user_agent().clone());
        if let Some(token) = token {
            request = request.bearer_auth(token.expose());
        }
        if have > 0 {
            request = request.header(RANGE, format!("bytes={have}-"));
        }
        *requests += 1;
        if let Some(span) = span {
            span.record("attempt", *requests);
        }
        let sent = send_observed(
            self.client.http(),
            self.client.hooks(),
            (&DOWNLOAD_REQUEST, *requests),
            request,
        );
        let mut response =
            crate::timeouts::limit(idle, OPERATION, TimeoutKind::Attempt, sent).await?;
        let status = response.status();
        if let Some(span) = span {
            span.record("status", status.as_u16());
        }
        let (append, total) = match status {
            StatusCode::PARTIAL_CONTENT => {
                let range = content_range(&response).filter(|range| range.start == have);
                let Some(range) = range else {
                    return Err(self.protocol(format!(
                        "asked for bytes from {have}, the server sent `Content-Range: {}`",
                        header_text(&response, CONTENT_RANGE)
                    )));
                };
                (true, range.total)
            }
            StatusCode::OK => (false, response.content_length()),
            StatusCode::RANGE_NOT_SATISFIABLE if have > 0 => {
                let total = content_range(&response).and_then(|range| range.total);
                if total == Some(have) && self.expected_size.is_none_or(|e| e == have) {
                    return Ok(Step::Complete);
                }
                // The partial file does not belong to what the server has now: start over.
                remove(part).await?;
                return Ok(Step::Restart);
            }
            status if status.is_redirection() => {
                return Err(self.protocol(format!(
                    "HTTP {status} was not followed: the HTTP client is configured without redirects"
                )));
            }
            _ => {
                let vendor = self.client.vendor();
                return Err(Error::Api(Box::new(error_response(vendor, response).await)));
            }
        };
        let total = self.checked_total(total)?;
        let file = open(part, append).await?;
        let mut file = BufWriter::with_capacity(WRITE_BUFFER, file);
        let mut written = if append { have } else { 0 };
        if let Some(progress) = self.progress.as_mut() {
            progress(written, total);
        }
        let mut overflowed = false;
        let streamed = async {
            while let Some(chunk) = within(idle, response.chunk()).await? {
                // Never more than the size announced or expected: an endless body must not
                // fill the disk.
                if total.is_some_and(|total| written + chunk.len() as u64 > total) {
                    overflowed = true;
                    break;
                }
                file.write_all(&chunk).await.map_err(io(part))?;
                written += chunk.len() as u64;
                if let Some(progress) = self.progress.as_mut() {
                    progress(written, total);
                }
            }
            Ok(())
        }
        .await;
        // What arrived is kept even when the connection broke: the next attempt resumes it.
        file.flush().await.map_err(io(part))?;
        file.get_ref().sync_data().await.map_err(io(part))?;
        streamed?;
        if let (true, Some(total)) = (overflowed, total) {
            remove(part).await?;
            return Err(self.protocol(format!(
                "the server sent more than the {total} bytes of the file"
            )));
        }
        match total {
            Some(total) if written < total => Ok(Step::Short { written, total }),
            Some(total) if written > total => {
                remove(part).await?;
                Err(self.protocol(format!(
                    "the server sent {written} bytes, more than the {total} it announced"
                )))
            }
            _ => match self.expected_size {
                Some(expected) if expected != written => {
                    remove(part).await?;
                    Err(self.protocol(format!(
                        "the file has {written} bytes, {expected} were expected"
                    )))
                }
                _ => Ok(Step::Complete),
            },
        }
    }

    /// The file's total size: the server's and the expected one must agree.
    fn checked_total(&self, server: Option<u64>) -> Result<Option<u64>, Error> {
        match (server, self.expected_size) {
            (Some(server), Some(expected)) if server != expected => Err(self.protocol(format!(
                "the server has {server} bytes, {expected} were expected"
            ))),
            (server, expected) => Ok(server.or(expected)),
        }
    }

    fn protocol(&self, message: String) -> Error {
        Error::Download {
            url: without_query(&self.url),
            message,
        }
    }
}

/// How an attempt ended without an error.
enum Step {
    /// The `.part` file holds the whole file.
    Complete,
    /// The `.part` file did not match the server's file and was removed.
    Restart,
    /// The body ended cleanly before the announced size.
    Short { written: u64, total: u64 },
}

/// A parsed `Content-Range: bytes START-END/TOTAL` (`TOTAL` may be `*`), or `bytes */TOTAL`.
struct ContentRange {
    start: u64,
    total: Option<u64>,
}

fn content_range(response: &reqwest::Response) -> Option<ContentRange> {
    let value = response.headers().get(CONTENT_RANGE)?.to_str().ok()?;
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let total = match total.trim() {
        "*" => None,
        total => Some(total.parse().ok()?),
    };
    let start = match range.trim() {
        "*" => total?,
        range => range.split_once('-')?.0.trim().parse().ok()?,
    };
    Some(ContentRange { start, total })
}

fn header_text(response: &reqwest::Response, name: http::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("(none)")
        .to_owned()
}

/// A non-2xx answer as [`Error::Api`], keeping at most [`ERROR_BODY_LIMIT`] bytes of its body.
async fn error_response(vendor: &'static Vendor, mut response: reqwest::Response) -> ApiError {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(ERROR_BODY_LIMIT);
    ApiError::from_response(vendor, OPERATION, status, headers, body.into())
}

/// Runs one network step, failing as a per-attempt timeout when it is idle for `limit`.
async fn within<T>(
    limit: Option<Duration>,
    step: impl Future<Output = Result<T, reqwest::Error>>,
) -> Result<T, Error> {
    let step = async { step.await.map_err(|e| Error::transport(OPERATION, e)) };
    crate::timeouts::limit(limit, OPERATION, TimeoutKind::Attempt, step).await
}

/// The URL without query and fragment, for messages: download links can carry tokens.
fn without_query(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        Err(_) => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_file_sits_beside_the_target() {
        assert_eq!(
            part_path(Path::new("out/a/b.mp4")),
            PathBuf::from("out/a/b.mp4.part")
        );
    }

    #[test]
    fn messages_never_show_the_query() {
        assert_eq!(
            without_query("https://files.example.com/rec/download/abc?access_token=SECRET#x"),
            "https://files.example.com/rec/download/abc"
        );
        assert_eq!(without_query("not a url?token=1"), "not a url");
    }
}
