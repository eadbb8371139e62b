//! The per-call settings every generated operation builder offers, written once here: each
//! builder has an `options: CallOptions` field and invokes [`call_options!`](crate::__private::call_options)
//! in its `impl` block.

/// `retry(…)` and `timeouts(…)` for a builder with an `options: CallOptions` field.
#[macro_export]
#[doc(hidden)]
macro_rules! __call_options {
    () => {
        /// Retries of this call instead of the client's.
        pub fn retry(mut self, retry: $crate::RetryConfig) -> Self {
            self.options.retry = Some(retry);
            self
        }

        /// Per-attempt and total time limits of this call instead of the client's.
        pub fn timeouts(mut self, timeouts: $crate::Timeouts) -> Self {
            self.options.timeouts = Some(timeouts);
            self
        }
    };
}
