//! What `tracing` writes while a test runs, captured into memory so the test can read it.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

/// The text every event and span (with its fields at close) wrote so far.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Everything written so far.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// While the returned guard lives, this thread's `tracing` output at every level, span
/// openings and closings included, goes to the returned [`Logs`].
pub fn capture() -> (Logs, Capturing) {
    // While a single dispatcher is registered, tracing-core rebuilds its callsite cache from
    // the default of whichever thread meets a new callsite: a test beside this one, with no
    // subscriber, would switch this thread's spans off. With a second one registered, every
    // rebuild asks all of them.
    let second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (
        logs,
        Capturing {
            _guard: guard,
            _second: second,
        },
    )
}

/// Keeps [`capture`]'s subscriber in place until dropped.
pub struct Capturing {
    _guard: tracing::subscriber::DefaultGuard,
    _second: tracing::Dispatch,
}
