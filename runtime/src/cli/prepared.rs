//! A command's call, prepared from its flags: described for `--dry-run`, or sent and its
//! answer written out (JSON, NDJSON items for `--all`, or the body as it came).

use std::io::Write;

use futures_util::StreamExt;

use crate::client::ApiClient;
use crate::error::Error;
use crate::future::BoxFuture;
use crate::operation::{Description, Operation, Paged};
use crate::request::Request;

/// How a command's answer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Output {
    /// Every item of every page, one JSON document per line.
    pub(super) all: bool,
}

/// One call of a generated operation, ready to describe or send.
pub struct Prepared<'c> {
    call: Box<dyn Run<'c> + 'c>,
}

impl std::fmt::Debug for Prepared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").finish_non_exhaustive()
    }
}

/// What running a call needs, whatever its output type.
trait Run<'c>: Send {
    fn request(&self) -> Result<Request, Error>;
    fn api(&self) -> &'c ApiClient;
    fn run(self: Box<Self>, output: Output) -> BoxFuture<'c, Result<(), Error>>;
}

/// A call whose answer is JSON, written back as typed (so a body that does not fit the
/// document fails here as it would in a program).
struct Json<O>(O);

/// A listing: one page as JSON, or with `--all` every item as NDJSON.
struct Pages<O>(O);

/// A call whose answer is written as it came (bytes, text, or statuses of several kinds).
struct AsSent<O>(O);

impl<'c> Prepared<'c> {
    /// A call whose success is JSON.
    pub fn json<O>(operation: O) -> Self
    where
        O: Operation<'c> + 'c,
        O::Output: serde::Serialize,
    {
        Self {
            call: Box::new(Json(operation)),
        }
    }

    /// A listing whose items `--all` streams.
    pub fn pages<O>(operation: O) -> Self
    where
        O: Paged<'c> + 'c,
        O::Output: serde::Serialize,
        O::Item: serde::Serialize,
    {
        Self {
            call: Box::new(Pages(operation)),
        }
    }

    /// A call whose success body is written as it came.
    pub fn as_sent<O: Operation<'c> + 'c>(operation: O) -> Self {
        Self {
            call: Box::new(AsSent(operation)),
        }
    }

    /// The request as it would be sent, the token redacted; a request that cannot be sent
    /// is its validation error.
    pub(super) fn describe(&self) -> Result<Description, Error> {
        self.call.api().describe(&self.call.request()?)
    }

    pub(super) async fn run(self, output: Output) -> Result<(), Error> {
        self.call.run(output).await
    }
}

fn write_error(error: std::io::Error) -> Error {
    Error::Config {
        message: format!("standard output cannot be written: {error}"),
    }
}

/// Writes `value` as pretty JSON and a newline.
fn print_json(value: &impl serde::Serialize) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(|error| Error::Config {
        message: format!("the answer does not encode as JSON: {error}"),
    })?;
    writeln!(out).map_err(write_error)
}

impl<'c, O> Run<'c> for Json<O>
where
    O: Operation<'c> + 'c,
    O::Output: serde::Serialize,
{
    fn request(&self) -> Result<Request, Error> {
        self.0.request()
    }

    fn api(&self) -> &'c ApiClient {
        self.0.api()
    }

    fn run(self: Box<Self>, _: Output) -> BoxFuture<'c, Result<(), Error>> {
        Box::pin(async move {
            let answer = self.0.send_with_response().await?;
            print_json(answer.body())
        })
    }
}

impl<'c, O> Run<'c> for Pages<O>
where
    O: Paged<'c> + 'c,
    O::Output: serde::Serialize,
    O::Item: serde::Serialize,
{
    fn request(&self) -> Result<Request, Error> {
        self.0.request()
    }

    fn api(&self) -> &'c ApiClient {
        self.0.api()
    }

    fn run(self: Box<Self>, output: Output) -> BoxFuture<'c, Result<(), Error>> {
        Box::pin(async move {
            if !output.all {
                let answer = self.0.send_with_response().await?;
                return print_json(answer.body());
            }
            let mut items = self.0.items();
            while let Some(item) = items.next().await {
                let item = item?;
                let mut out = std::io::stdout().lock();
                serde_json::to_writer(&mut out, &item).map_err(|error| Error::Config {
                    message: format!("an item does not encode as JSON: {error}"),
                })?;
                writeln!(out).map_err(write_error)?;
            }
            Ok(())
        })
    }
}

impl<'c, O: Operation<'c> + 'c> Run<'c> for AsSent<O> {
    fn request(&self) -> Result<Request, Error> {
        self.0.request()
    }

    fn api(&self) -> &'c ApiClient {
        self.0.api()
    }

    fn run(self: Box<Self>, _: Output) -> BoxFuture<'c, Result<(), Error>> {
        Box::pin(async move {
            let request = self.0.request()?;
            let answer = self.0.api().execute(request).await?;
            let mut out = std::io::stdout().lock();
            out.write_all(&answer.body).map_err(write_error)?;
            out.flush().map_err(write_error)
        })
    }
}
