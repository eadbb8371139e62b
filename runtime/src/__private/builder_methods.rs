//! The methods every generated operation builder offers beside its parameters, written once
//! here: each builder has `client` and `options: CallOptions` fields and a `request()` method,
//! and is named in a [`builder_methods!`](crate::__private::builder_methods) invocation after
//! its `impl<'a>` block, with its output type and decoder.

/// `retry(…)`, `timeouts(…)`, `send()` and `send_with_response()` for the builder `$builder`
/// whose response decodes into `$output` with `$decode` (one of `__private::decode`), and
/// its [`Operation`](crate::Operation) implementation.
#[macro_export]
#[doc(hidden)]
macro_rules! __builder_methods {
    ($builder:ident, $output:ty, $decode:expr) => {
        impl<'a> $builder<'a> {
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

            /// Validates the parameters, sends the request (with the client's auth, retries and
            /// limits) and decodes the response.
            pub fn send(self) -> $crate::Call<'a, $output> {
                self.send_with_response().into()
            }

            /// Like `send`, with the response's status and headers: its request id and
            /// rate-limit state.
            pub fn send_with_response(self) -> $crate::CallWithResponse<'a, $output> {
                self.client.api.send(self.request(), $decode)
            }
        }

        impl<'a> $crate::Operation<'a> for $builder<'a> {
            type Output = $output;

            fn request(&self) -> ::std::result::Result<$crate::Request, $crate::Error> {
                $builder::request(self)
            }

            fn api(&self) -> &'a $crate::ApiClient {
                &self.client.api
            }

            fn send_with_response(self) -> $crate::CallWithResponse<'a, $output> {
                $builder::send_with_response(self)
            }
        }
    };
}
