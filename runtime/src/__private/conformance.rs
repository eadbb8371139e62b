//! Round trips for conformance checks: decode a body into a generated type and encode it again.
//!
//! The `conformance` module that generated crates emit behind their `conformance` cargo feature
//! calls [`roundtrip`] once per type, so that `cargo xtask verify` and `cargo xtask conformance`
//! can tell, for a body the API sent, whether the client reads it, and what it would write
//! back. Decoding goes through `serde_path_to_error`, like [`crate::RawResponse::json`], so a
//! failure names the JSON path of the field that did not decode.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The re-encoded body, or `$.path: error`.
pub type Outcome = Result<serde_json::Value, String>;

/// Decodes `body` as `T` and encodes the result as a JSON value. A failure reads
/// `$.path.to[2].field: what went wrong` (`$` alone when the body as a whole did not decode).
pub fn roundtrip<T: DeserializeOwned + Serialize>(body: &[u8]) -> Outcome {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let decoded: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| format!("{}: {}", json_path(&e.path().to_string()), e.inner()))?;
    deserializer
        .end()
        .map_err(|e| format!("$: trailing characters after the body: {e}"))?;
    serde_json::to_value(&decoded).map_err(|e| format!("$: does not encode again: {e}"))
}

crate::__object! {
    /// The error body of a non-2xx answer with every field a vendor's error bodies use (see
    /// `vendor::ErrorBody`): `{code, message, errors}`, an OAuth error's `{reason, error}`;
    /// anything else is kept.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ErrorBody {
        /// The numeric error code.
        pub code: Option<i64> = "code" as Lenient,
        /// What went wrong.
        pub message: Option<String> = "message",
        /// An OAuth error's text for what went wrong.
        pub reason: Option<String> = "reason",
        /// The validation failures, each as sent.
        pub errors: Option<Vec<serde_json::Value>> = "errors",
    }
}

/// Round-trips an error body the document does not describe through the shape the runtime
/// reads errors in. A body that is not JSON is kept by the error as raw text: it round-trips
/// as that text.
pub fn roundtrip_error(body: &[u8]) -> Outcome {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(_) => roundtrip::<ErrorBody>(body),
        Err(_) => Ok(serde_json::Value::String(
            String::from_utf8_lossy(body).into_owned(),
        )),
    }
}

/// A function that round-trips a body through the type its key names, `None` for a key it does
/// not know, from a table of keys and types:
///
/// ```ignore
/// roundtrips! {
///     /// A response body, by operationId and status.
///     pub fn roundtrip_response(operation_id, status) {
///         ("recordingGet", "200") => types::RecordingGetResponse,
///     }
/// }
/// ```
///
/// Each key is a `&str` argument, and the function takes the body last.
#[doc(hidden)]
#[macro_export]
macro_rules! __roundtrips {
    (
        $(#[$attr:meta])*
        pub fn $name:ident($key:ident) { $($pattern:pat => $ty:ty),* $(,)? }
    ) => {
        $(#[$attr])*
        pub fn $name($key: &str, body: &[u8]) -> ::core::option::Option<$crate::__private::conformance::Outcome> {
            $crate::__roundtrips!(@match $key, body, $($pattern => $ty),*)
        }
    };
    (
        $(#[$attr:meta])*
        pub fn $name:ident($first:ident, $second:ident) { $($pattern:pat => $ty:ty),* $(,)? }
    ) => {
        $(#[$attr])*
        pub fn $name(
            $first: &str,
            $second: &str,
            body: &[u8],
        ) -> ::core::option::Option<$crate::__private::conformance::Outcome> {
            $crate::__roundtrips!(@match ($first, $second), body, $($pattern => $ty),*)
        }
    };
    (@match $key:expr, $body:ident, $($pattern:pat => $ty:ty),*) => {
        match $key {
            $($pattern => ::core::option::Option::Some(
                $crate::__private::conformance::roundtrip::<$ty>($body),
            ),)*
            _ => {
                let _ = $body;
                ::core::option::Option::None
            }
        }
    };
}

/// `meetings[0].id` as `$.meetings[0].id`; serde_path_to_error writes the root as `.`.
fn json_path(path: &str) -> String {
    match path {
        "" | "." => "$".to_owned(),
        path if path.starts_with('[') => format!("${path}"),
        path => format!("$.{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Page {
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Item {
        id: i64,
    }

    #[test]
    fn a_body_that_fits_comes_back_as_json() {
        let value = roundtrip::<Page>(br#"{"items": [{"id": 1}], "extra": true}"#);
        assert_eq!(value, Ok(serde_json::json!({"items": [{"id": 1}]})));
    }

    #[test]
    fn a_failure_names_the_json_path() {
        let error = roundtrip::<Page>(br#"{"items": [{"id": 1}, {"id": "x"}]}"#).unwrap_err();
        assert!(error.starts_with("$.items[1].id: invalid type"), "{error}");
        let error = roundtrip::<Page>(b"\"text\"").unwrap_err();
        assert!(error.starts_with("$: invalid type"), "{error}");
        let error = roundtrip::<Page>(br#"{"items": []} x"#).unwrap_err();
        assert!(error.starts_with("$: trailing characters"), "{error}");
    }
}
