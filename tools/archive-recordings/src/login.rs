//! `archive-recordings login`: authorizes the tool as a Zoom user. It prints the authorization
//! URL (with `state` and a PKCE challenge), waits for the browser's redirect on 127.0.0.1,
//! checks its `state`, exchanges the code and saves the grant into the folder of grants, from
//! where later runs refresh it.

use std::collections::HashMap;

use axum::extract::Query;
use axum::routing::get;
use tokio::sync::mpsc;
use zoomgen_runtime::{FileStore, OAuthApp, TokenStore};

use crate::Result;
use crate::cli::LoginArgs;

/// The Zoom app of these arguments, its endpoints under `oauth_base`.
pub fn zoom_app(client_id: &str, client_secret: &str, oauth_base: &str) -> Result<OAuthApp> {
    let base = oauth_base.trim_end_matches('/');
    Ok(OAuthApp::zoom(client_id, client_secret).with_endpoints(
        &format!("{base}/oauth/authorize"),
        &format!("{base}/oauth/token"),
    )?)
}

pub async fn run(args: &LoginArgs) -> Result<()> {
    let app = zoom_app(
        &args.zoom_client_id,
        &args.zoom_client_secret,
        &args.oauth_base,
    )?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await?;
    let redirect_uri = format!("http://{}/callback", listener.local_addr()?);
    let scopes: Vec<&str> = args.scopes.split_whitespace().collect();
    let request = app.authorization_request(&redirect_uri, &scopes)?;
    println!(
        "Open this URL to authorize the archive as a Zoom user:\n{}",
        request.url
    );
    println!("Waiting for the redirect to {redirect_uri} …");

    let (sender, mut received) = mpsc::channel::<HashMap<String, String>>(1);
    let router = axum::Router::new().route(
        "/callback",
        get(move |Query(query): Query<HashMap<String, String>>| {
            let sender = sender.clone();
            async move {
                let _ = sender.send(query).await;
                "zoomgen: the archive is authorized; you can close this window."
            }
        }),
    );
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let query = received.recv().await.ok_or("the redirect server stopped")?;
    server.abort();

    if let Some(error) = query.get("error") {
        return Err(format!("Zoom refused the authorization: {error}").into());
    }
    // A redirect with another `state` was not started here: someone else's code.
    if query.get("state") != Some(&request.state) {
        return Err("the redirect's state does not match: refusing its code".into());
    }
    let code = query.get("code").ok_or("the redirect has no code")?;
    let http = zoomgen_runtime::reqwest::Client::new();
    let grant = app.exchange_code(&http, &request, code).await?;
    let store = FileStore::new(&args.grants);
    store.save(&args.grant, &grant).await?;
    println!(
        "Saved the grant `{}` in {}; runs with --grants {} --grant {} use it.",
        args.grant,
        args.grants.display(),
        args.grants.display(),
        args.grant
    );
    Ok(())
}
