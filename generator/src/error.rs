//! Errors of the generator: every one names the document and the JSON pointer it is about.

use std::path::PathBuf;

/// Where in which document something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// RFC 6901 JSON pointer into the document (`""` for the whole document).
    pub pointer: String,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.file.display(), self.pointer)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not JSON or YAML: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("{at}: {message}")]
    Invalid { at: Location, message: String },
    #[error("{at}: unsupported: {message}")]
    Unsupported { at: Location, message: String },
    #[error("{at}: dangling $ref {reference:?}")]
    DanglingRef { at: Location, reference: String },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("emitted code for {what} does not parse as Rust: {message}")]
    Emit { what: String, message: String },
    #[error("{0}")]
    Config(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Appends a key to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer_push(pointer: &str, key: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + key.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}
