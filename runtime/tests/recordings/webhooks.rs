//! Verifying Zoom's signed webhook requests and answering its endpoint validation.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;
use zoomgen_runtime::vendor::zoom::webhook::{
    Incoming, WebhookError, WebhookVerifier, url_validation_response,
};

const SECRET: &str = "wh-secret-token";
const NOW: u64 = 1_700_000_000;

fn fixed_now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::new(SECRET).unwrap().clock(fixed_now)
}

fn signed(body: &[u8], timestamp: u64) -> HeaderMap {
    let timestamp = timestamp.to_string();
    let mut headers = HeaderMap::new();
    let signature = verifier().sign(&timestamp, body);
    headers.insert("x-zm-signature", signature.parse().unwrap());
    headers.insert("x-zm-request-timestamp", timestamp.parse().unwrap());
    headers
}

const EVENT: &[u8] =
    br#"{"event":"recording.completed","event_ts":1700000000123,"payload":{"account_id":"a"}}"#;

#[test]
fn a_valid_signature_over_the_raw_body_passes() {
    let headers = signed(EVENT, NOW - 30);
    assert_eq!(verifier().verify(&headers, EVENT), Ok(()));
    assert_eq!(
        verifier().handle(&headers, EVENT),
        Ok(Incoming::Event(EVENT))
    );
}

#[test]
fn the_signature_matches_an_independent_computation() {
    // HMAC-SHA256("wh-secret-token", "v0:1700000000:{}"), computed with Python's hmac module.
    let expected = "v0=598c5a579f5df3f8203286d5b9ed738fb66357fc8645ba871d8e9b02d97b2b8f";
    assert_eq!(verifier().sign("1700000000", b"{}"), expected);
}

#[test]
fn a_tampered_body_or_signature_is_rejected() {
    let headers = signed(EVENT, NOW);
    let tampered = String::from_utf8(EVENT.to_vec())
        .unwrap()
        .replace("\"a\"", "\"b\"");
    assert_eq!(
        verifier().verify(&headers, tampered.as_bytes()),
        Err(WebhookError::BadSignature)
    );
    let mut wrong = headers.clone();
    wrong.insert("x-zm-signature", "v0=00ff".parse().unwrap());
    assert_eq!(
        verifier().verify(&wrong, EVENT),
        Err(WebhookError::BadSignature)
    );
    let mut unprefixed = headers.clone();
    let bare = verifier().sign(&NOW.to_string(), EVENT).replace("v0=", "");
    unprefixed.insert("x-zm-signature", bare.parse().unwrap());
    assert_eq!(
        verifier().verify(&unprefixed, EVENT),
        Err(WebhookError::BadSignature)
    );
    let other_secret = WebhookVerifier::new("another").unwrap().clock(fixed_now);
    assert_eq!(
        other_secret.verify(&headers, EVENT),
        Err(WebhookError::BadSignature)
    );
}

#[test]
fn stale_and_future_timestamps_are_rejected_outside_the_window() {
    let stale = signed(EVENT, NOW - 301);
    assert_eq!(
        verifier().verify(&stale, EVENT),
        Err(WebhookError::Stale {
            skew_secs: 301,
            tolerance_secs: 300
        })
    );
    let future = signed(EVENT, NOW + 400);
    assert!(matches!(
        verifier().verify(&future, EVENT),
        Err(WebhookError::Stale { .. })
    ));
    let wide = verifier().tolerance(Duration::from_secs(600));
    assert_eq!(wide.verify(&future, EVENT), Ok(()));
    let mut headers = signed(EVENT, NOW);
    headers.insert("x-zm-request-timestamp", "yesterday".parse().unwrap());
    assert_eq!(
        verifier().verify(&headers, EVENT),
        Err(WebhookError::BadTimestamp)
    );
    headers.remove("x-zm-signature");
    assert_eq!(
        verifier().verify(&headers, EVENT),
        Err(WebhookError::MissingHeader("x-zm-signature"))
    );
}

#[test]
fn url_validation_is_answered_with_the_hmac_of_the_plain_token() {
    let body = br#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#;
    let answer = verifier().handle(&signed(body, NOW), body).unwrap();
    let expected = url_validation_response("qgg8vlvZRS6UYooatFL8Aw", SECRET);
    assert_eq!(answer, Incoming::UrlValidation(expected.clone()));
    // The HMAC computed with Python's hmac module.
    assert_eq!(
        expected,
        serde_json::json!({
            "plainToken": "qgg8vlvZRS6UYooatFL8Aw",
            "encryptedToken": "9dbafdf952c044c97cc19d736a036a378e7b25b648e921528557c5afca0cc906",
        })
    );
    // An unsigned validation request gets no answer.
    assert!(verifier().handle(&HeaderMap::new(), body).is_err());
}

#[test]
fn an_empty_or_blank_secret_token_is_refused() {
    for blank in ["", " ", "\n", "\0", " \t\r\n"] {
        assert!(
            matches!(WebhookVerifier::new(blank), Err(WebhookError::EmptySecret)),
            "{blank:?}"
        );
    }
    assert!(WebhookVerifier::new(String::from("s")).is_ok());
    assert!(WebhookVerifier::new(" s ").is_ok());
}
