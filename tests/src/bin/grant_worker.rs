//! A second process for the user-grant tests of `tests/tests/clients/user_oauth.rs`:
//!
//! - `grant_worker calls REDIS_URL NAMESPACE API_BASE TOKEN_URL CLIENTS`: CLIENTS clients sign
//!   in with the grant `user-1` stored in Redis and each calls `GET /users/me` once, all at
//!   once; prints one line per call and fails when any call failed.
//! - `grant_worker save-loop DIR`: saves ever newer grants under `user-1` in a file store
//!   until it is killed.

use std::sync::Arc;

use zoomgen_runtime::{
    ApiClient, Credentials, FileStore, Grant, OAuthApp, RedisState, Secret, TokenStore,
};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("no runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let outcome = match args.first().map(String::as_str) {
        Some("calls") if args.len() == 6 => runtime.block_on(calls(&args[1..])),
        Some("save-loop") if args.len() == 2 => runtime.block_on(save_loop(&args[1])),
        _ => Err(format!("usage: see the module docs; got {args:?}")),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn calls(args: &[String]) -> Result<(), String> {
    let [redis, namespace, api_base, token_url, clients] = args else {
        return Err("calls takes five arguments".into());
    };
    let clients: usize = clients.parse().map_err(|e| format!("CLIENTS: {e}"))?;
    let app = OAuthApp::zoom("client-id", "client-secret")
        // Only the token endpoint is used here.
        .with_endpoints(token_url, token_url)
        .map_err(|e| e.to_string())?;
    let store = Arc::new(RedisState::new(redis, namespace).map_err(|e| e.to_string())?);
    let http = reqwest_client()?;
    let calls = (0..clients).map(|_| {
        let client = ApiClient::builder(
            api_base,
            Credentials::user_grant(app.clone(), store.clone(), "user-1"),
        )
        .vendor(&zoomgen_runtime::vendor::zoom::ZOOM)
        .http_client(http.clone())
        .build();
        async move {
            let client = client.map_err(|e| e.to_string())?;
            client
                .execute(zoomgen_tests::user_request())
                .await
                .map_err(|e| e.to_string())?;
            Ok::<(), String>(())
        }
    });
    let mut failed = 0;
    for outcome in futures_util::future::join_all(calls).await {
        match outcome {
            Ok(()) => println!("ok"),
            Err(error) => {
                failed += 1;
                println!("failed: {error}");
            }
        }
    }
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} call(s) failed"))
    }
}

fn reqwest_client() -> Result<zoomgen_runtime::reqwest::Client, String> {
    zoomgen_runtime::reqwest::Client::builder()
        .build()
        .map_err(|e| e.to_string())
}

async fn save_loop(dir: &str) -> Result<(), String> {
    let store = FileStore::new(dir);
    // A scope of 256 KiB makes each write long enough to be cut by a kill.
    let scope = "meeting:read ".repeat(20_000);
    for n in 0u64.. {
        let grant = Grant {
            access_token: Secret::new(format!("access-{n}")),
            refresh_token: Secret::new(format!("refresh-{n}")),
            expires_at: n,
            scope: Some(scope.clone()),
        };
        store
            .save("user-1", &grant)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
