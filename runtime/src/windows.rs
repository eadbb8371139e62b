//! Listing any date range from operations that accept at most a month per request.
//!
//! Recording listings (`GET /users/{userId}/recordings`) take `from` and `to` dates and
//! refuse a range longer than a month, so a caller who wants
//! half a year must split it. [`month_windows`] cuts a range at calendar-month boundaries, which
//! every such operation accepts, and [`items_between`] lists each window with the caller's
//! paginated stream and yields every item once: a meeting near a window edge (by date in UTC
//! on one side, in the account's timezone on the other) can be returned by both windows, so
//! items are de-duplicated by a key such as the meeting instance's `uuid`.

use std::collections::HashSet;
use std::future::ready;

use chrono::{Datelike, Months, NaiveDate};
use futures_util::{StreamExt, stream};

use crate::error::Error;
use crate::meta::OperationMeta;
use crate::paginate::PageStream;

/// The inclusive windows `(first, last)` that cover `from..=to`, in order, each within one
/// calendar month: `2024-01-15..=2024-03-10` gives `01-15..=01-31`, `02-01..=02-29` and
/// `03-01..=03-10`. Empty when `from` is after `to`.
pub fn month_windows(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut windows = Vec::new();
    let mut start = from;
    while start <= to {
        let end = last_of_month(start).min(to);
        windows.push((start, end));
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    windows
}

/// The last day of `date`'s month; `NaiveDate::MAX` in chrono's last representable month.
fn last_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1)
        .and_then(|first| first.checked_add_months(Months::new(1)))
        .and_then(|next_first| next_first.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// Every item from `from` to `to` (both inclusive) of an operation limited to a month per
/// request: `list_window(first, last)` is called for each of [`month_windows`] in turn and its
/// items are yielded, except those whose `key` was already seen (items without a key are
/// always yielded). The stream ends after the first error, so a listing with a hole in it is
/// never mistaken for a complete one; `from` after `to` is an [`Error::Validation`].
pub fn items_between<'a, I, F>(
    meta: &'static OperationMeta,
    from: NaiveDate,
    to: NaiveDate,
    mut list_window: F,
    key: fn(&I) -> Option<String>,
) -> PageStream<'a, I>
where
    I: Send + 'a,
    F: FnMut(NaiveDate, NaiveDate) -> PageStream<'a, I> + Send + 'a,
{
    if from > to {
        return Box::pin(stream::once(ready(Err(Error::Validation {
            operation: meta.operation_id,
            field: "from".to_owned(),
            message: format!("{from} is after `to` ({to})"),
        }))));
    }
    let items = stream::iter(month_windows(from, to))
        .flat_map(move |(first, last)| list_window(first, last));
    let state = (HashSet::new(), false);
    Box::pin(
        items
            .scan(state, move |(seen, failed), item| {
                if *failed {
                    return ready(None);
                }
                let next = match item {
                    Err(error) => {
                        *failed = true;
                        Some(Err(error))
                    }
                    Ok(item) => match key(&item) {
                        Some(key) if seen.contains(&key) => None,
                        Some(key) => {
                            seen.insert(key);
                            Some(Ok(item))
                        }
                        None => Some(Ok(item)),
                    },
                };
                ready(Some(next))
            })
            .filter_map(ready),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn windows_follow_calendar_months_and_cover_the_range() {
        let windows = month_windows(date("2024-01-15"), date("2024-03-10"));
        assert_eq!(
            windows,
            vec![
                (date("2024-01-15"), date("2024-01-31")),
                (date("2024-02-01"), date("2024-02-29")),
                (date("2024-03-01"), date("2024-03-10")),
            ]
        );
        let one_day = month_windows(date("2023-12-31"), date("2023-12-31"));
        assert_eq!(one_day, vec![(date("2023-12-31"), date("2023-12-31"))]);
        assert!(month_windows(date("2024-02-01"), date("2024-01-01")).is_empty());
    }

    #[test]
    fn windows_end_at_the_last_representable_day() {
        let windows = month_windows(NaiveDate::MAX, NaiveDate::MAX);
        assert_eq!(windows, vec![(NaiveDate::MAX, NaiveDate::MAX)]);
    }
}
