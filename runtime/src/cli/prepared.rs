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

/// Sends an operation and writes its answer.
type Writer<'c, O> = fn(O, Output) -> BoxFuture<'c, Result<(), Error>>;

/// An operation and how its answer is written.
struct Call<'c, O> {
    operation: O,
    write: Writer<'c, O>,
}

impl<'c, O: Operation<'c> + 'c> Run<'c> for Call<'c, O> {
    fn request(&self) -> Result<Request, Error> {
        self.operation.request()
    }

    fn api(&self) -> &'c ApiClient {
        self.operation.api()
    }

    fn run(self: Box<Self>, output: Output) -> BoxFuture<'c, Result<(), Error>> {
        (self.write)(self.operation, output)
    }
}

impl<'c> Prepared<'c> {
    /// A call whose success is JSON.
    pub fn json<O>(operation: O) -> Self
    where
        O: Operation<'c> + 'c,
        O::Output: serde::Serialize,
    {
        Self::new(operation, |operation, _| {
            Box::pin(async move {
                let answer = operation.send_with_response().await?;
                print_json(answer.body())
            })
        })
    }

    /// A listing whose items `--all` streams.
    pub fn pages<O>(operation: O) -> Self
    where
        O: Paged<'c> + 'c,
        O::Output: serde::Serialize,
        O::Item: serde::Serialize,
    {
        Self::new(operation, |operation, output| {
            Box::pin(async move {
                if output.all {
                    print_items(operation.items()).await
                } else {
                    print_json(operation.send_with_response().await?.body())
                }
            })
        })
    }

    /// A call whose success body is written as it came.
    pub fn as_sent<O: Operation<'c> + 'c>(operation: O) -> Self {
        Self::new(operation, |operation, _| {
            Box::pin(async move {
                let answer = operation.api().execute(operation.request()?).await?;
                let mut out = std::io::stdout().lock();
                out.write_all(&answer.body).map_err(write_error)?;
                out.flush().map_err(write_error)
            })
        })
    }

    fn new<O: Operation<'c> + 'c>(operation: O, write: Writer<'c, O>) -> Self {
        Self {
            call: Box::new(Call { operation, write }),
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

/// Writes each item as one line of JSON.
async fn print_items<I: serde::Serialize>(
    mut items: crate::PageStream<'_, I>,
) -> Result<(), Error> {
    while let Some(item) = items.next().await {
        let item = item?;
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &item).map_err(|error| Error::Config {
            message: format!("an item does not encode as JSON: {error}"),
        })?;
        writeln!(out).map_err(write_error)?;
    }
    Ok(())
}
