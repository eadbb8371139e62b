//! The file host of downloads, a server of its own on 127.0.0.1 (wiremock answers with whole
//! bodies, and a cut needs a body that stops short of its length): `Range: bytes=N-` (or
//! `N-M`) answered with 206 and its `Content-Range`, and a download cut on request, the
//! connection closed after some of the bytes it announced.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use futures_util::{StreamExt, stream};
use http::header::{ACCEPT_RANGES, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, RANGE};
use http::{HeaderMap, HeaderValue, Response, StatusCode};
use http_body_util::StreamBody;
use http_body_util::combinators::BoxBody;
use hyper::body::Frame;
use hyper_util::rt::TokioIo;

/// A body of the file host: frames of bytes, ending in an error when the download is cut.
type FileBody = BoxBody<Bytes, std::io::Error>;

/// The frames of a [`FileBody`].
type FileFrames = std::pin::Pin<
    Box<dyn futures_core::Stream<Item = Result<Frame<Bytes>, std::io::Error>> + Send + Sync>,
>;

/// How long a cut body waits after its last bytes before the connection closes.
const CUT_AFTER: std::time::Duration = std::time::Duration::from_millis(50);

/// The files, the cuts to make and the requests received, shared with the server's task.
#[derive(Default)]
struct Shelf {
    files: HashMap<String, Bytes>,
    /// The next download of each path is cut after this many body bytes.
    cuts: HashMap<String, u64>,
    received: Vec<(String, HeaderMap)>,
}

/// The file host, stopped when dropped.
pub(super) struct FileHost {
    url: String,
    shelf: Arc<Mutex<Shelf>>,
    server: tokio::task::JoinHandle<()>,
}

impl FileHost {
    pub(super) async fn start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let shelf = Arc::new(Mutex::new(Shelf::default()));
        let serving = Arc::clone(&shelf);
        let server = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shelf = Arc::clone(&serving);
                let service = hyper::service::service_fn(move |request| {
                    let shelf = Arc::clone(&shelf);
                    async move { Ok::<_, Infallible>(answer(&shelf, &request)) }
                });
                tokio::spawn(
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service),
                );
            }
        });
        Ok(Self { url, shelf, server })
    }

    fn shelf(&self) -> std::sync::MutexGuard<'_, Shelf> {
        // Every change is one insertion: a panic while it was held left nothing half-done.
        self.shelf.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Serves `bytes` at `path`; the file's URL.
    pub(super) fn put(&self, path: &str, bytes: Bytes) -> String {
        self.shelf().files.insert(path.to_owned(), bytes);
        format!("{}{path}", self.url)
    }

    pub(super) fn cut_next(&self, path: &str, bytes: u64) {
        self.shelf().cuts.insert(path.to_owned(), bytes);
    }

    /// Every request the host received: its path and headers.
    pub(super) fn received(&self) -> Vec<(String, HeaderMap)> {
        self.shelf().received.clone()
    }
}

impl Drop for FileHost {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The answer to one download request.
fn answer<B>(shelf: &Mutex<Shelf>, request: &http::Request<B>) -> Response<FileBody> {
    let path = request.uri().path().to_owned();
    let mut shelf = shelf.lock().unwrap_or_else(PoisonError::into_inner);
    shelf
        .received
        .push((path.clone(), request.headers().clone()));
    let Some(file) = shelf.files.get(&path).cloned() else {
        return empty(StatusCode::NOT_FOUND);
    };
    let len = file.len() as u64;
    let range = request
        .headers()
        .get(RANGE)
        .and_then(|value| value.to_str().ok());
    let (status, start, end) = match requested_range(range, len) {
        Ok(None) => (StatusCode::OK, 0, len),
        Ok(Some((start, last))) => (StatusCode::PARTIAL_CONTENT, start, last + 1),
        Err(()) => {
            let mut response = empty(StatusCode::RANGE_NOT_SATISFIABLE);
            insert(
                response.headers_mut(),
                CONTENT_RANGE,
                format!("bytes */{len}"),
            );
            return response;
        }
    };
    // Within the file: `requested_range` keeps both ends below `len`.
    let body = file.slice(start as usize..end as usize);
    let announced = body.len();
    let frames: FileFrames = match shelf.cuts.remove(&path) {
        // The length stays announced; the connection closes short of it, once what was sent
        // has left (an error at once would drop the bytes hyper has not written yet).
        Some(cut) => {
            let sent = body.slice(..(cut.min(announced as u64) as usize));
            let cut = async {
                tokio::time::sleep(CUT_AFTER).await;
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "cut by the mock",
                ))
            };
            Box::pin(stream::iter([Ok(Frame::data(sent))]).chain(stream::once(cut)))
        }
        None => Box::pin(stream::iter([Ok(Frame::data(body))])),
    };
    let mut response = Response::new(BoxBody::new(StreamBody::new(frames)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    insert(headers, CONTENT_LENGTH, announced.to_string());
    insert(headers, ACCEPT_RANGES, "bytes".to_owned());
    insert(headers, CONTENT_TYPE, "application/octet-stream".to_owned());
    if status == StatusCode::PARTIAL_CONTENT {
        insert(
            headers,
            CONTENT_RANGE,
            format!("bytes {start}-{}/{len}", end - 1),
        );
    }
    response
}

fn empty(status: StatusCode) -> Response<FileBody> {
    let frames: FileFrames = Box::pin(stream::empty());
    let mut response = Response::new(BoxBody::new(StreamBody::new(frames)));
    *response.status_mut() = status;
    response
}

/// Sets a header this module writes (digits, `bytes`, a media type: always valid).
fn insert(headers: &mut HeaderMap, name: http::header::HeaderName, value: String) {
    if let Ok(value) = HeaderValue::from_str(&value) {
        headers.insert(name, value);
    }
}

/// The byte range `header` asks for in a file of `len` bytes, both ends inclusive: `Ok(None)`
/// for the whole file, `Err(())` for a range the file does not have.
fn requested_range(header: Option<&str>, len: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(header) = header else {
        return Ok(None);
    };
    let (start, end) = header
        .trim()
        .strip_prefix("bytes=")
        .and_then(|range| range.split_once('-'))
        .ok_or(())?;
    let start: u64 = start.parse().map_err(|_| ())?;
    let last = len.checked_sub(1).ok_or(())?;
    let end = match end {
        "" => last,
        end => end.parse::<u64>().map_err(|_| ())?.min(last),
    };
    if start > end {
        return Err(());
    }
    Ok(Some((start, end)))
}

#[cfg(test)]
mod tests {
    use super::requested_range;

    #[test]
    fn ranges_are_read_as_the_download_asks() {
        assert_eq!(requested_range(None, 10), Ok(None));
        assert_eq!(requested_range(Some("bytes=4-"), 10), Ok(Some((4, 9))));
        assert_eq!(requested_range(Some("bytes=2-5"), 10), Ok(Some((2, 5))));
        assert_eq!(requested_range(Some("bytes=2-50"), 10), Ok(Some((2, 9))));
        assert_eq!(requested_range(Some("bytes=10-"), 10), Err(()));
        assert_eq!(requested_range(Some("bytes=0-"), 0), Err(()));
        assert_eq!(requested_range(Some("lines=1-"), 10), Err(()));
    }
}
