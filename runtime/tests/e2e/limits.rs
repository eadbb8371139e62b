//! The optional client-side limiter per rate-limit class.

use std::time::{Duration, Instant};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoomgen_runtime::{
    ApiClient, Credentials, Error, HttpMethod, OperationMeta, RateLimits, Request,
};

use crate::common::*;

static HEAVY_REPORT: OperationMeta = OperationMeta {
    operation_id: "reportDaily",
    method: HttpMethod::Get,
    path_template: "/report/daily",
    rate_limit: Some(HEAVY),
    scopes: &[],
    granular_scopes: &[],
};

#[tokio::test]
async fn requests_of_a_limited_label_are_spaced() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = builder(&server, Credentials::none())
        .rate_limits(RateLimits::default().with_rate(LIGHT, 20.0))
        .build()
        .unwrap();

    let started = Instant::now();
    let calls = (0..5).map(|_| client.execute(user_request("me")));
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );

    // Heavy is not limited, so it does not queue behind Light.
    let started = Instant::now();
    client.execute(Request::new(&HEAVY_REPORT)).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(100));
}

#[test]
fn rates_must_be_positive() {
    for rate in [0.0, -1.0, f64::NAN] {
        let error = ApiClient::builder("https://api.zoom.us/v2", Credentials::none())
            .rate_limits(RateLimits::default().with_rate(HEAVY, rate))
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Config { .. }), "{rate}: {error:?}");
    }
}
