//! Checks generated code runs before sending, so a value the API document forbids fails
//! locally with the field and the limit named, instead of costing a request and a vaguer 400.

use std::fmt::Display;

use crate::error::Error;
use crate::meta::OperationMeta;

fn check(
    meta: &OperationMeta,
    field: &str,
    ok: bool,
    message: impl FnOnce() -> String,
) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(Error::Validation {
            operation: meta.operation_id,
            field: field.to_owned(),
            message: message(),
        })
    }
}

fn bound(
    meta: &OperationMeta,
    field: &str,
    value: f64,
    limit: f64,
    within: bool,
    relation: &str,
) -> Result<(), Error> {
    check(meta, field, within, || {
        format!("must be {relation} {limit}, got {value}")
    })
}

fn count(
    meta: &OperationMeta,
    field: &str,
    actual: usize,
    ok: bool,
    rule: impl Display,
) -> Result<(), Error> {
    check(meta, field, ok, || format!("{rule}, got {actual}"))
}

/// `value` must not exceed `max` (or reach it, when `exclusive`).
pub fn maximum(
    meta: &OperationMeta,
    field: &str,
    value: f64,
    max: f64,
    exclusive: bool,
) -> Result<(), Error> {
    match exclusive {
        true => bound(meta, field, value, max, value < max, "less than"),
        false => bound(meta, field, value, max, value <= max, "at most"),
    }
}

/// `value` must not be below `min` (or equal it, when `exclusive`).
pub fn minimum(
    meta: &OperationMeta,
    field: &str,
    value: f64,
    min: f64,
    exclusive: bool,
) -> Result<(), Error> {
    match exclusive {
        true => bound(meta, field, value, min, value > min, "greater than"),
        false => bound(meta, field, value, min, value >= min, "at least"),
    }
}

/// `value` must have at most `max` characters.
pub fn max_length(meta: &OperationMeta, field: &str, value: &str, max: usize) -> Result<(), Error> {
    let len = value.chars().count();
    count(
        meta,
        field,
        len,
        len <= max,
        format_args!("must be at most {max} characters long"),
    )
}

/// `value` must have at least `min` characters.
pub fn min_length(meta: &OperationMeta, field: &str, value: &str, min: usize) -> Result<(), Error> {
    let len = value.chars().count();
    count(
        meta,
        field,
        len,
        len >= min,
        format_args!("must be at least {min} characters long"),
    )
}

/// A list must have at most `max` items.
pub fn max_items(meta: &OperationMeta, field: &str, len: usize, max: usize) -> Result<(), Error> {
    count(
        meta,
        field,
        len,
        len <= max,
        format_args!("must have at most {max} items"),
    )
}

/// A list must have at least `min` items.
pub fn min_items(meta: &OperationMeta, field: &str, len: usize, min: usize) -> Result<(), Error> {
    count(
        meta,
        field,
        len,
        len >= min,
        format_args!("must have at least {min} items"),
    )
}
