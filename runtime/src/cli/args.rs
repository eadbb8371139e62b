//! A command's flags, read into the generated builders' own types.

use std::io::Read;

use clap::ArgMatches;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;

/// The flag of a command's body: a JSON file, or `-` for standard input.
pub(super) const BODY_FLAG: &str = "body";

/// The flags given to one command, for its generated `prepare` function.
#[derive(Debug)]
pub struct Args<'m> {
    command: &'static str,
    matches: &'m ArgMatches,
}

impl<'m> Args<'m> {
    pub(super) fn new(command: &'static str, matches: &'m ArgMatches) -> Self {
        Self { command, matches }
    }

    /// The value of `flag` as `T`, when given: its text read as JSON (a number, `true`, a
    /// list), else as a string, else as a list of that one value.
    pub fn value<T: DeserializeOwned>(&self, flag: &str) -> Result<Option<T>, Error> {
        let Some(given) = self.matches.get_many::<String>(flag) else {
            return Ok(None);
        };
        let given: Vec<&String> = given.collect();
        let candidates: Vec<Value> = match given.as_slice() {
            [one] => {
                let text = Value::String((*one).clone());
                let mut candidates: Vec<Value> =
                    serde_json::from_str(one).ok().into_iter().collect();
                candidates.push(text.clone());
                candidates.push(Value::Array(vec![text]));
                candidates
            }
            many => vec![Value::Array(many.iter().map(|one| as_json(one)).collect())],
        };
        let mut last = None;
        for candidate in candidates {
            match serde_json::from_value(candidate) {
                Ok(value) => return Ok(Some(value)),
                Err(error) => last = Some(error),
            }
        }
        let reason = last.map_or_else(String::new, |error| error.to_string());
        Err(self.invalid(
            flag,
            format!(
                "`{}` does not fit: {reason}",
                given
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ))
    }

    /// The value of the required `flag` as `T`.
    pub fn required<T: DeserializeOwned>(&self, flag: &str) -> Result<T, Error> {
        self.value(flag)?
            .ok_or_else(|| self.invalid(flag, "is required".to_owned()))
    }

    /// The body, when `--body` was given: JSON read from its file (or standard input for
    /// `-`) into `T`; a mismatch names the file and the JSON path.
    pub fn body<T: DeserializeOwned>(&self) -> Result<Option<T>, Error> {
        let Some((source, bytes)) = self.body_bytes()? else {
            return Ok(None);
        };
        let mut json = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut json)
            .map(Some)
            .map_err(|error| {
                self.invalid(
                    BODY_FLAG,
                    format!("{source} at `{}`: {}", error.path(), error.inner()),
                )
            })
    }

    /// The required body (see [`body`](Self::body)).
    pub fn required_body<T: DeserializeOwned>(&self) -> Result<T, Error> {
        self.body()?
            .ok_or_else(|| self.invalid(BODY_FLAG, "is required".to_owned()))
    }

    /// The body's bytes as they are (a binary or text body).
    pub fn raw_body(&self) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.body_bytes()?.map(|(_, bytes)| bytes))
    }

    /// The required body's bytes as they are.
    pub fn required_raw_body(&self) -> Result<Vec<u8>, Error> {
        self.raw_body()?
            .ok_or_else(|| self.invalid(BODY_FLAG, "is required".to_owned()))
    }

    /// The required text body.
    pub fn required_text_body(&self) -> Result<String, Error> {
        String::from_utf8(self.required_raw_body()?)
            .map_err(|_| self.invalid(BODY_FLAG, "is not UTF-8 text".to_owned()))
    }

    /// The text body, when given.
    pub fn text_body(&self) -> Result<Option<String>, Error> {
        match self.raw_body()? {
            None => Ok(None),
            Some(bytes) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| self.invalid(BODY_FLAG, "is not UTF-8 text".to_owned())),
        }
    }

    /// Where the body comes from (for messages) and its bytes.
    fn body_bytes(&self) -> Result<Option<(String, Vec<u8>)>, Error> {
        let Some(path) = self.matches.get_one::<String>(BODY_FLAG) else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        let (source, read) = if path == "-" {
            (
                "standard input".to_owned(),
                std::io::stdin().read_to_end(&mut bytes),
            )
        } else {
            (
                format!("`{path}`"),
                std::fs::File::open(path).and_then(|mut file| file.read_to_end(&mut bytes)),
            )
        };
        read.map_err(|error| self.invalid(BODY_FLAG, format!("{source} cannot be read: {error}")))?;
        Ok(Some((source, bytes)))
    }

    fn invalid(&self, flag: &str, message: String) -> Error {
        Error::Validation {
            operation: self.command,
            field: format!("--{flag}"),
            message,
        }
    }
}

/// `text` as JSON when it is JSON, else as a string.
fn as_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}
