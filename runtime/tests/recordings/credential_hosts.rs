//! Which hosts a download sends credentials to.

use zoomgen_runtime::{ApiClient, Credentials, Error};

use super::*;

/// Zoom's client with the default credential hosts only.
fn zoom_client() -> ApiClient {
    ApiClient::builder(
        "https://api.zoom.us/v2",
        Credentials::bearer("client-token"),
    )
    .vendor(&zoomgen_runtime::vendor::zoom::ZOOM)
    .build()
    .unwrap()
}

#[tokio::test]
async fn credentials_never_go_to_a_host_the_client_does_not_trust() {
    // A download URL from a forged webhook, on a host that is not Zoom's.
    let attacker = MockServer::start().await;
    Mock::given(path("/steal"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(BODY))
        .mount(&attacker)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/steal", attacker.uri());
    let message = refusal(
        zoom_client()
            .download(&url)
            .to_path(dir.path().join("a"))
            .await,
    );
    assert!(
        message.contains("refusing to send credentials"),
        "{message}"
    );
    assert!(message.contains("127.0.0.1"), "{message}");
    let message = refusal(
        zoom_client()
            .download(&url)
            .access_token("webhook-download-token")
            .to_path(dir.path().join("b"))
            .await,
    );
    assert!(message.contains("not the API's"), "{message}");
    assert!(
        requests(&attacker).await.is_empty(),
        "nothing reached the host"
    );
    assert!(!dir.path().join("a").exists() && !part_path(&dir.path().join("a")).exists());

    // Asked for explicitly, the same link downloads without any credentials.
    zoom_client()
        .download(&url)
        .without_credentials()
        .to_path(dir.path().join("c"))
        .await
        .unwrap();
    let sent = requests(&attacker).await;
    assert_eq!((sent.len(), authorization(&sent[0])), (1, None));
}

#[tokio::test]
async fn credentials_go_over_https_to_the_api_domain_and_allowed_hosts_only() {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("f");
    // Zoom's download hosts sit under the API's parent domain: accepted as hosts, but not
    // over plain http. None of these URLs is fetched.
    let message = refusal(
        zoom_client()
            .download("http://us06web.zoom.us/rec/download/abc")
            .to_path(&to)
            .await,
    );
    assert!(message.contains("is not https"), "{message}");
    for hostile in [
        "https://evil.example./rec/download/abc",
        "https://zoom.us.evil.example/rec/download/abc",
        "https://evilzoom.us/rec/download/abc",
        "https://api.zoom.us.example/x",
    ] {
        let message = refusal(zoom_client().download(hostile).to_path(&to).await);
        assert!(message.contains("not the API's"), "{hostile}: {message}");
    }
    let allowed = ApiClient::builder("https://api.zoom.us/v2", Credentials::bearer("t"))
        .download_hosts(["files.example.com"])
        .build()
        .unwrap();
    let message = refusal(
        allowed
            .download("http://files.example.com/x")
            .to_path(&to)
            .await,
    );
    assert!(message.contains("is not https"), "{message}");

    // A proxy on a shared hosting domain trusts itself, not its neighbours.
    let proxy = ApiClient::builder(
        "https://my-proxy.herokuapp.com/v2",
        Credentials::bearer("t"),
    )
    .build()
    .unwrap();
    let message = refusal(
        proxy
            .download("https://attacker.herokuapp.com/x")
            .to_path(&to)
            .await,
    );
    assert!(message.contains("not the API's"), "{message}");
    // An allow-list that would trust everything is refused when the client is built.
    for everything in ["", "com", "herokuapp.com"] {
        let built = ApiClient::builder("https://api.zoom.us/v2", Credentials::bearer("t"))
            .download_hosts([everything])
            .build();
        assert!(
            matches!(built, Err(Error::Config { .. })),
            "{everything:?}: {built:?}"
        );
    }
}
