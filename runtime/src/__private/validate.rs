//! Checks generated code runs before sending, so a value the API document forbids fails
//! locally with the field and the limit named, instead of costing a request and a vaguer 400.

use std::collections::HashMap;
use std::ops::{Bound, RangeBounds};
use std::sync::{Mutex, OnceLock, PoisonError};

use regex_lite::Regex;

use crate::wire::{Date, DateTime};
use crate::{Error, Request};

/// `value` must match `pattern` (the document's, anchored as JSON Schema reads it: anywhere
/// in the string unless the pattern anchors itself). Patterns are compiled once per process.
pub fn pattern(
    request: &Request,
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
    check(request, field, matched, || {
        format!("must match the pattern `{pattern}`, got {value:?}")
    })
}

/// `value` must be a `yyyy-mm-dd` date.
pub fn date(request: &Request, field: &str, value: &Date) -> Result<(), Error> {
    check(request, field, value.parse().is_some(), || {
        format!("must be a date (yyyy-mm-dd), got {:?}", value.as_str())
    })
}

/// The first date must not be after the second (each given with its field's wire name).
pub fn date_order(
    request: &Request,
    (from_field, from): (&str, &Date),
    (to_field, to): (&str, &Date),
) -> Result<(), Error> {
    let ordered = match (from.parse(), to.parse()) {
        (Some(from), Some(to)) => from <= to,
        // An unreadable date is refused by its own check.
        _ => true,
    };
    check(request, from_field, ordered, || {
        format!(
            "{} is after `{to_field}` ({}): the range is reversed",
            from.as_str(),
            to.as_str()
        )
    })
}

/// `value` must be an RFC 3339 date-time.
pub fn date_time(request: &Request, field: &str, value: &DateTime) -> Result<(), Error> {
    check(request, field, value.parse().is_some(), || {
        format!(
            "must be a date-time (RFC 3339, e.g. 2024-05-01T09:30:00Z), got {:?}",
            value.as_str()
        )
    })
}

/// `Ok` when `ok`, else the validation error `message()` describes.
fn check(
    request: &Request,
    field: &str,
    ok: bool,
    message: impl FnOnce() -> String,
) -> Result<(), Error> {
    if ok {
        return Ok(());
    }
    Err(Error::Validation {
        operation: request.meta.operation_id,
        field: field.to_owned(),
        message: message(),
    })
}

/// A parameter value [`range`] compares with the document's limits, which JSON Schema states
/// as numbers.
pub trait Number {
    fn as_f64(&self) -> f64;
}

impl Number for i64 {
    fn as_f64(&self) -> f64 {
        *self as f64
    }
}

impl Number for i32 {
    fn as_f64(&self) -> f64 {
        f64::from(*self)
    }
}

impl Number for f64 {
    fn as_f64(&self) -> f64 {
        *self
    }
}

/// `value` must lie within `bounds` (the document's `minimum` and `maximum`, each inclusive
/// unless the document says `exclusiveMinimum` or `exclusiveMaximum`).
pub fn range(
    request: &Request,
    field: &str,
    value: &impl Number,
    bounds: impl RangeBounds<f64>,
) -> Result<(), Error> {
    let value = value.as_f64();
    let above = match bounds.end_bound() {
        Bound::Included(max) => (value > *max).then(|| format!("at most {max}")),
        Bound::Excluded(max) => (value >= *max).then(|| format!("less than {max}")),
        Bound::Unbounded => None,
    };
    let below = match bounds.start_bound() {
        Bound::Included(min) => (value < *min).then(|| format!("at least {min}")),
        Bound::Excluded(min) => (value <= *min).then(|| format!("greater than {min}")),
        Bound::Unbounded => None,
    };
    match above.or(below) {
        Some(limit) => check(request, field, false, || {
            format!("must be {limit}, got {value}")
        }),
        None => Ok(()),
    }
}

/// `value` must have at most `max` characters (Unicode scalar values, as JSON Schema counts).
pub fn max_length(request: &Request, field: &str, value: &str, max: usize) -> Result<(), Error> {
    let len = value.chars().count();
    check(request, field, len <= max, || {
        format!("must be at most {max} characters long, got {len}")
    })
}

/// `value` must have at least `min` characters.
pub fn min_length(request: &Request, field: &str, value: &str, min: usize) -> Result<(), Error> {
    let len = value.chars().count();
    check(request, field, len >= min, || {
        format!("must be at least {min} characters long, got {len}")
    })
}

/// A list must have at most `max` items.
pub fn max_items(request: &Request, field: &str, len: usize, max: usize) -> Result<(), Error> {
    check(request, field, len <= max, || {
        format!("must have at most {max} items, got {len}")
    })
}

/// A list must have at least `min` items.
pub fn min_items(request: &Request, field: &str, len: usize, min: usize) -> Result<(), Error> {
    check(request, field, len >= min, || {
        format!("must have at least {min} items, got {len}")
    })
}
