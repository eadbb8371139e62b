//! Checks generated code runs before sending, so a value the API document forbids fails
//! locally with the field and the limit named, instead of costing a request and a vaguer 400.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use regex_lite::Regex;

use crate::Error;
use crate::OperationMeta;
use crate::wire::{Date, DateTime};

/// `value` must match `pattern` (the document's, anchored as JSON Schema reads it: anywhere
/// in the string unless the pattern anchors itself). Patterns are compiled once per process.
pub fn pattern(
    meta: &OperationMeta,
    field: &str,
    value: &str,
    pattern: &'static str,
) -> Result<(), Error> {
    static COMPILED: OnceLock<Mutex<HashMap<&'static str, Option<Regex>>>> = OnceLock::new();
    let matched = {
        let mut compiled = COMPILED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let regex = compiled
            .entry(pattern)
            .or_insert_with(|| Regex::new(pattern).ok());
        // The generator emits only patterns this engine reads.
        regex.as_ref().is_none_or(|regex| regex.is_match(value))
    };
    check(meta, field, matched, || {
        format!("must match the pattern `{pattern}`, got {value:?}")
    })
}

/// `value` must be a `yyyy-mm-dd` date.
pub fn date(meta: &OperationMeta, field: &str, value: &Date) -> Result<(), Error> {
    check(meta, field, value.parse().is_some(), || {
        format!("must be a date (yyyy-mm-dd), got {:?}", value.as_str())
    })
}

/// `value` must be an RFC 3339 date-time.
pub fn date_time(meta: &OperationMeta, field: &str, value: &DateTime) -> Result<(), Error> {
    check(meta, field, value.parse().is_some(), || {
        format!(
            "must be a date-time (RFC 3339, e.g. 2024-05-01T09:30:00Z), got {:?}",
            value.as_str()
        )
    })
}

/// `Ok` when `ok`, else the validation error `message()` describes.
fn check(
    meta: &OperationMeta,
    field: &str,
    ok: bool,
    message: impl FnOnce() -> String,
) -> Result<(), Error> {
    if ok {
        return Ok(());
    }
    Err(Error::Validation {
        operation: meta.operation_id,
        field: field.to_owned(),
        message: message(),
    })
}

/// `value` must not exceed `max` (or reach it, when `exclusive`).
pub fn maximum(
    meta: &OperationMeta,
    field: &str,
    value: f64,
    max: f64,
    exclusive: bool,
) -> Result<(), Error> {
    let (ok, relation) = if exclusive {
        (value < max, "less than")
    } else {
        (value <= max, "at most")
    };
    check(meta, field, ok, || {
        format!("must be {relation} {max}, got {value}")
    })
}

/// `value` must not be below `min` (or equal it, when `exclusive`).
pub fn minimum(
    meta: &OperationMeta,
    field: &str,
    value: f64,
    min: f64,
    exclusive: bool,
) -> Result<(), Error> {
    let (ok, relation) = if exclusive {
        (value > min, "greater than")
    } else {
        (value >= min, "at least")
    };
    check(meta, field, ok, || {
        format!("must be {relation} {min}, got {value}")
    })
}

/// `value` must have at most `max` characters (Unicode scalar values, as JSON Schema counts).
pub fn max_length(meta: &OperationMeta, field: &str, value: &str, max: usize) -> Result<(), Error> {
    let len = value.chars().count();
    check(meta, field, len <= max, || {
        format!("must be at most {max} characters long, got {len}")
    })
}

/// `value` must have at least `min` characters.
pub fn min_length(meta: &OperationMeta, field: &str, value: &str, min: usize) -> Result<(), Error> {
    let len = value.chars().count();
    check(meta, field, len >= min, || {
        format!("must be at least {min} characters long, got {len}")
    })
}

/// A list must have at most `max` items.
pub fn max_items(meta: &OperationMeta, field: &str, len: usize, max: usize) -> Result<(), Error> {
    check(meta, field, len <= max, || {
        format!("must have at most {max} items, got {len}")
    })
}

/// A list must have at least `min` items.
pub fn min_items(meta: &OperationMeta, field: &str, len: usize, min: usize) -> Result<(), Error> {
    check(meta, field, len >= min, || {
        format!("must have at least {min} items, got {len}")
    })
}
