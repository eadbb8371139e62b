//! Every kind of constraint a document states on a parameter is checked before anything is
//! sent: the error names the parameter, and the server never sees the request.

use fixtures_client::parameters::Client;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zoom_client::{Credentials, Error};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::new(&server.uri(), fixtures_client::Credentials::bearer("t")).unwrap()
}

#[track_caller]
fn assert_invalid(result: Result<(), Error>, field: &str, says: &str) {
    match result {
        Err(Error::Validation {
            field: named,
            message,
            ..
        }) => {
            assert_eq!(named, field);
            assert!(message.contains(says), "{field}: {message}");
        }
        other => panic!("{field}: expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn each_constraint_kind_fails_locally_naming_the_parameter() {
    let server = server().await;
    let client = client(&server);
    let search = |q: &str| client.meeting_search(q);
    assert_invalid(search("a").send().await, "q", "at least 2");
    assert_invalid(search(&"a".repeat(21)).send().await, "q", "at most 20");
    assert_invalid(search("Zoom").send().await, "q", "pattern");
    assert_invalid(search("ok").count(0).send().await, "count", "at least 1");
    assert_invalid(search("ok").count(51).send().await, "count", "at most 50");
    assert_invalid(
        search("ok").since("yesterday").send().await,
        "since",
        "date-time",
    );
    assert_invalid(search("ok").on("2024-13-01").send().await, "on", "date");
    assert_invalid(
        search("ok")
            .host(vec!["a".into(), "b".into(), "c".into(), "d".into()])
            .send()
            .await,
        "host",
        "at most 3",
    );
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent"
    );

    // Values within every limit go out.
    search("ok")
        .count(50)
        .since("2024-05-01T09:30:00Z")
        .on("2024-05-01")
        .host(vec!["a".into()])
        .send()
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_page_size_of_zero_is_caught_before_zoom_answers_400() {
    let server = server().await;
    let client =
        zoom_client::meetings::Client::new(&server.uri(), Credentials::bearer("t")).unwrap();
    let page_size = client.recordings_list("me").page_size(0).send().await;
    let from = client.recordings_list("me").from("not-a-date").send().await;
    for (result, parameter) in [(page_size.map(drop), "page_size"), (from.map(drop), "from")] {
        assert!(
            matches!(&result, Err(Error::Validation { field, .. }) if field == parameter),
            "{result:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
