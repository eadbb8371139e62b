//! Date windows over a listing: each keyed item once.

use std::sync::{Arc, Mutex};

use chrono::{Datelike as _, NaiveDate};
use futures_util::{StreamExt, stream};
use zoomgen_runtime::windows::{items_between, month_windows};
use zoomgen_runtime::{Error, HttpMethod, OperationMeta, PageStream};

static LIST: OperationMeta = OperationMeta {
    operation_id: "recordingsList",
    method: HttpMethod::Get,
    path_template: "/users/{userId}/recordings",
    rate_limit: None,
    scopes: &[],
    granular_scopes: &[],
};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn windows_yield_each_keyed_item_once_and_stop_at_the_first_error() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let log = calls.clone();
    let items: Vec<_> = items_between(
        &LIST,
        date("2024-01-20"),
        date("2024-03-05"),
        move |first, last| -> PageStream<'static, (Option<String>, u32)> {
            log.lock().unwrap().push((first, last));
            // Each window returns its own item, the edge item "e", and an item without a key.
            let own = (Some(first.to_string()), 1);
            let edge = (Some("e".to_owned()), 2);
            Box::pin(stream::iter([Ok(own), Ok(edge), Ok((None, 3))]))
        },
        |item| item.0.clone(),
    )
    .collect()
    .await;
    let keys: Vec<_> = items
        .iter()
        .map(|i| i.as_ref().unwrap().0.clone())
        .collect();
    assert_eq!(
        keys,
        vec![
            Some("2024-01-20".to_owned()),
            Some("e".to_owned()),
            None,
            Some("2024-02-01".to_owned()),
            None,
            Some("2024-03-01".to_owned()),
            None,
        ]
    );
    assert_eq!(
        *calls.lock().unwrap(),
        month_windows(date("2024-01-20"), date("2024-03-05"))
    );

    let failing: Vec<_> = items_between(
        &LIST,
        date("2024-01-01"),
        date("2024-03-31"),
        |first, _| -> PageStream<'static, u32> {
            if first.month0() == 1 {
                Box::pin(stream::iter([Err(Error::Config {
                    message: "boom".into(),
                })]))
            } else {
                Box::pin(stream::iter([Ok(first.month0())]))
            }
        },
        |_| None,
    )
    .collect()
    .await;
    assert_eq!(failing.len(), 2);
    assert!(failing[1].is_err());

    let reversed: Vec<_> = items_between(
        &LIST,
        date("2024-02-01"),
        date("2024-01-01"),
        |_, _| -> PageStream<'static, u32> { Box::pin(stream::empty()) },
        |_| None,
    )
    .collect()
    .await;
    assert!(matches!(
        reversed.as_slice(),
        [Err(Error::Validation { .. })]
    ));
}
