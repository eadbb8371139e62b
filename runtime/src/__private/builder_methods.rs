//! The methods every generated operation builder offers beside its parameters, written once
//! here: each builder has `client` and `options: CallOptions` fields and a `request()` method,
//! and invokes [`builder_methods!`](crate::__private::builder_methods) in its `impl<'a>`
//! block with its output type and decoder. After the block, it is named in an
//! [`operation!`](crate::__private::operation) invocation, and a listing's builder in a
//! [`paged!`](crate::__private::paged) one.
//!
//! The [`Operation`](crate::Operation) and [`Paged`](crate::Paged) implementations, which
//! only the test kit (`mock`) and the command line (`cli`) use, are written only when one of
//! those features is on: otherwise `operation!` and `paged!` expand to nothing, and a crate
//! built without them compiles what it compiled before they existed.

/// `retry(…)`, `timeouts(…)`, `send()` and `send_with_response()` for a builder whose
/// response decodes into `$output` with `$decode` (one of `__private::decode`).
#[macro_export]
#[doc(hidden)]
macro_rules! __builder_methods {
    ($output:ty, $decode:expr) => {
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
    };
}

/// The [`Operation`](crate::Operation) implementation of the builder `$builder`, whose
/// response decodes into `$output`.
#[cfg(any(feature = "mock", feature = "cli"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __operation {
    ($builder:ident, $output:ty) => {
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

/// Nothing: no test kit or command line to implement `Operation` for.
#[cfg(not(any(feature = "mock", feature = "cli")))]
#[macro_export]
#[doc(hidden)]
macro_rules! __operation {
    ($builder:ident, $output:ty) => {};
}

/// The [`Paged`](crate::Paged) implementation of the listing builder `$builder`, whose pages
/// hold `$item`s in the field `$items` and name the next page with a token (the page's field
/// `$field`, sent back as the parameter `$param`) or a `Link` header.
#[cfg(any(feature = "mock", feature = "cli"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __paged {
    ($builder:ident, $item:ty, token($items:literal, $field:literal, $param:literal)) => {
        $crate::__paged!(@impl $builder, $item, $crate::PageShape::Token {
            items: $items,
            response_field: $field,
            request_param: $param,
        });
    };
    ($builder:ident, $item:ty, link($items:literal)) => {
        $crate::__paged!(@impl $builder, $item, $crate::PageShape::Link { items: $items });
    };
    (@impl $builder:ident, $item:ty, $shape:expr) => {
        impl<'a> $crate::Paged<'a> for $builder<'a> {
            type Item = $item;

            const PAGES: $crate::PageShape = $shape;

            fn items(self) -> $crate::PageStream<'a, $item> {
                $builder::items(self)
            }
        }
    };
}

/// Nothing: no test kit or command line to implement `Paged` for.
#[cfg(not(any(feature = "mock", feature = "cli")))]
#[macro_export]
#[doc(hidden)]
macro_rules! __paged {
    ($builder:ident, $item:ty, $($shape:tt)*) => {};
}
