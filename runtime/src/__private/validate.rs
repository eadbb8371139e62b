//! Checks generated code runs before sending, so a value the API document forbids fails
//! locally with the field and the limit named, instead of costing a request and a vaguer 400.

use crate::Error;
use crate::OperationMeta;

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
