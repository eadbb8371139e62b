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
    /// A settings file (or a setting about a document) that cannot be followed.
    #[error("{path}: {message}")]
    Settings { path: PathBuf, message: String },
    /// Several independent problems of one document, each with its location, as a compiler
    /// lists errors: fixing a document should not take one run per mistake.
    #[error("{}", list(.0))]
    Many(Vec<Error>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The most problems of one document reported at once.
pub const MAX_PROBLEMS: usize = 20;

fn list(errors: &[Error]) -> String {
    let mut out = format!("{} problems:", errors.len());
    for error in errors {
        out.push_str("\n  ");
        out.push_str(&error.to_string().replace('\n', "\n  "));
    }
    if errors.len() >= MAX_PROBLEMS {
        out.push_str(&format!("\n  (stopped after {MAX_PROBLEMS})"));
    }
    out
}

/// Errors gathered across the independent parts of a document (operations, webhooks).
#[derive(Debug, Default)]
pub struct Problems(Vec<Error>);

impl Problems {
    pub fn push(&mut self, error: Error) {
        match error {
            Error::Many(errors) => self.0.extend(errors),
            other => self.0.push(other),
        }
        self.0.truncate(MAX_PROBLEMS);
    }

    /// Whether no more are worth collecting.
    pub fn full(&self) -> bool {
        self.0.len() >= MAX_PROBLEMS
    }

    /// `value` when there was no problem; the one problem, or all of them.
    pub fn into_result<T>(mut self, value: T) -> Result<T> {
        match self.0.len() {
            0 => Ok(value),
            1 => Err(self.0.remove(0)),
            _ => Err(Error::Many(self.0)),
        }
    }
}

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
