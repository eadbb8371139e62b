//! Round trips for conformance checks: decode a body into a generated type and encode it again.
//!
//! The `conformance` module that generated crates emit behind their `conformance` cargo feature
//! calls [`roundtrip`] once per type, so that `cargo xtask verify` and `cargo xtask conformance`
//! can tell, for a body the API sent, whether the client reads it, and what it would write
//! back. Decoding goes through `serde_path_to_error`, like [`crate::RawResponse::json`], so a
//! failure names the JSON path of the field that did not decode.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Decodes `body` as `T` and encodes the result as a JSON value. A failure reads
/// `$.path.to[2].field: what went wrong` (`$` alone when the body as a whole did not decode).
pub fn roundtrip<T: DeserializeOwned + Serialize>(
    body: &[u8],
) -> Result<serde_json::Value, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let decoded: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| format!("{}: {}", json_path(&e.path().to_string()), e.inner()))?;
    deserializer
        .end()
        .map_err(|e| format!("$: trailing characters after the body: {e}"))?;
    serde_json::to_value(&decoded).map_err(|e| format!("$: does not encode again: {e}"))
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
