//! A small HTTP/1.1 file server on 127.0.0.1 for download tests: deterministic file bodies of
//! any size generated on the fly (constant memory), `Range: bytes=N-` answered with 206, and
//! the faults a download must survive: a connection cut after a number of body bytes, and a
//! slow body. Every request is logged with its `Range` and `Authorization` headers.
//!
//! wiremock cannot stream a body, cut a connection halfway or serve ranges of a 50 MB file
//! without holding it in memory, hence this server.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Body bytes written per socket write.
const CHUNK: usize = 64 * 1024;

/// The byte at `offset` of the file generated from `seed`: cheap, and different enough at
/// every offset that a misplaced range shows.
pub fn byte_at(seed: u64, offset: u64) -> u8 {
    let x = (offset ^ seed.rotate_left(17)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> 56) as u8
}

/// Fills `buf` with the bytes of file `seed` from `offset` on.
pub fn fill(seed: u64, offset: u64, buf: &mut [u8]) {
    for (i, byte) in buf.iter_mut().enumerate() {
        *byte = byte_at(seed, offset + i as u64);
    }
}

/// Whether the file at `path` holds exactly the `len` bytes of file `seed`; reads in chunks,
/// so checking a large file takes little memory.
pub fn holds(path: &std::path::Path, seed: u64, len: u64) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut actual = vec![0; CHUNK];
    let mut expected = vec![0; CHUNK];
    let mut offset = 0;
    loop {
        let read = match file.read(&mut actual) {
            Ok(0) => return offset == len,
            Ok(read) => read,
            Err(_) => return false,
        };
        fill(seed, offset, &mut expected[..read]);
        if actual[..read] != expected[..read] {
            return false;
        }
        offset += read as u64;
    }
}

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub path: String,
    pub range: Option<String>,
    pub authorization: Option<String>,
}

impl Logged {
    /// The offset an open range (`Range: bytes=N-`) asked to start at.
    pub fn range_start(&self) -> Option<u64> {
        range_start(self.range.as_deref())
    }
}

/// The `N` of a `bytes=N-` range.
fn range_start(range: Option<&str>) -> Option<u64> {
    range?
        .strip_prefix("bytes=")?
        .strip_suffix('-')?
        .parse()
        .ok()
}

#[derive(Debug, Clone, Copy)]
struct File {
    len: u64,
    seed: u64,
}

#[derive(Default)]
struct State {
    files: HashMap<String, File>,
    /// Path → body bytes after which the next response for it is cut off.
    cuts: HashMap<String, u64>,
    /// A pause after each chunk of body, to make a download slow enough to interrupt.
    pause: Option<Duration>,
    log: Vec<Logged>,
    /// Path → body bytes written to sockets so far.
    sent: HashMap<String, u64>,
}

/// The server; it stops when dropped.
pub struct FileServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl FileServer {
    /// Starts the server on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("no local address: {e}"));
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        Self { addr, state, task }
    }

    /// The URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Serves `len` deterministic bytes (see [`byte_at`]) at `path`.
    pub fn add_file(&self, path: &str, len: u64, seed: u64) {
        self.with(|s| s.files.insert(path.to_owned(), File { len, seed }));
    }

    /// Closes the connection of the next response for `path` after `bytes` of its body.
    pub fn cut_next_after(&self, path: &str, bytes: u64) {
        self.with(|s| s.cuts.insert(path.to_owned(), bytes));
    }

    /// Pauses after each 64 KiB of body (`None`: full speed).
    pub fn pause_per_chunk(&self, pause: Option<Duration>) {
        self.with(|s| s.pause = pause);
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Logged> {
        self.with(|s| s.log.clone())
    }

    /// The requests for `path`.
    pub fn requests_for(&self, path: &str) -> Vec<Logged> {
        self.with(|s| s.log.iter().filter(|r| r.path == path).cloned().collect())
    }

    /// Body bytes of `path` written to sockets so far.
    pub fn sent(&self, path: &str) -> u64 {
        self.with(|s| s.sent.get(path).copied().unwrap_or(0))
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Answers one request, then closes the connection.
async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let Some(head) = read_head(&mut stream).await else {
        return;
    };
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .unwrap_or("/")
        .to_owned();
    let mut headers = HashMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let range = headers.get("range").cloned();
    let (file, cut, pause) = {
        let mut state = lock(&state);
        state.log.push(Logged {
            path: path.clone(),
            range: range.clone(),
            authorization: headers.get("authorization").cloned(),
        });
        let cut = state.cuts.remove(&path);
        (state.files.get(&path).copied(), cut, state.pause)
    };
    let Some(file) = file else {
        let _ = stream
            .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await;
        return;
    };
    let start = range_start(range.as_deref());
    let head = match start {
        Some(start) if start >= file.len => {
            let head = format!(
                "HTTP/1.1 416 Range Not Satisfiable\r\ncontent-range: bytes */{}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                file.len
            );
            let _ = stream.write_all(head.as_bytes()).await;
            return;
        }
        Some(start) => format!(
            "HTTP/1.1 206 Partial Content\r\ncontent-range: bytes {start}-{}/{}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            file.len - 1,
            file.len,
            file.len - start
        ),
        None => format!(
            "HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            file.len
        ),
    };
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut offset = start.unwrap_or(0);
    let mut buf = vec![0; CHUNK];
    let mut written = 0;
    while offset < file.len {
        let mut n = (file.len - offset).min(CHUNK as u64) as usize;
        if let Some(cut) = cut {
            n = n.min((cut - written.min(cut)) as usize);
            if n == 0 {
                // Dropping the stream closes the connection with the body unfinished.
                return;
            }
        }
        fill(file.seed, offset, &mut buf[..n]);
        if stream.write_all(&buf[..n]).await.is_err() {
            return;
        }
        offset += n as u64;
        written += n as u64;
        *lock(&state).sent.entry(path.clone()).or_default() += n as u64;
        if let Some(pause) = pause {
            tokio::time::sleep(pause).await;
        }
    }
    let _ = stream.flush().await;
}

/// The request line and headers, up to the blank line.
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut buf).await.ok()?;
        if read == 0 || head.len() > 64 * 1024 {
            return None;
        }
        head.extend_from_slice(&buf[..read]);
    }
    String::from_utf8(head).ok()
}
