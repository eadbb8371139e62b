//! [`Credentials::from_env`]: every sign-in kind from its documented environment variables.

use std::sync::Arc;

use crate::auth::Credentials;
use crate::error::Error;
use crate::grant::{FileStore, Grant, MemoryStore, Seeded, TokenStore};
use crate::oauth::OAuthApp;

/// One sign-in kind: the variable that selects it, and all it reads.
struct Kind {
    name: &'static str,
    selector: &'static str,
    needs: &'static [&'static str],
}

const KINDS: &[Kind] = &[
    Kind {
        name: "Zoom Server-to-Server OAuth",
        selector: "ZOOM_ACCOUNT_ID",
        needs: &["ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"],
    },
    Kind {
        name: "Zoom user OAuth",
        selector: "ZOOM_GRANT_STORE",
        needs: &[
            "ZOOM_GRANT_STORE",
            "ZOOM_GRANT",
            "ZOOM_CLIENT_ID",
            "ZOOM_CLIENT_SECRET",
        ],
    },
    Kind {
        name: "Zoom Video SDK",
        selector: "ZOOM_VIDEO_SDK_KEY",
        needs: &["ZOOM_VIDEO_SDK_KEY", "ZOOM_VIDEO_SDK_SECRET"],
    },
    Kind {
        name: "Webex integration",
        selector: "WEBEX_REFRESH_TOKEN",
        needs: &[
            "WEBEX_REFRESH_TOKEN",
            "WEBEX_CLIENT_ID",
            "WEBEX_CLIENT_SECRET",
        ],
    },
    Kind {
        name: "Webex bot or personal access token",
        selector: "WEBEX_TOKEN",
        needs: &["WEBEX_TOKEN"],
    },
];

impl Credentials {
    /// Credentials from the environment: the first of these kinds whose first variable is set,
    /// with an error naming any variable of it that is missing (or, when none is set, listing
    /// them all).
    ///
    /// | kind | variables |
    /// |---|---|
    /// | Zoom Server-to-Server OAuth | `ZOOM_ACCOUNT_ID`, `ZOOM_CLIENT_ID`, `ZOOM_CLIENT_SECRET` |
    /// | Zoom user OAuth | `ZOOM_GRANT_STORE` (a [`FileStore`] folder), `ZOOM_GRANT` (the user's key in it), `ZOOM_CLIENT_ID`, `ZOOM_CLIENT_SECRET` |
    /// | Zoom Video SDK (feature `jwt`) | `ZOOM_VIDEO_SDK_KEY`, `ZOOM_VIDEO_SDK_SECRET` |
    /// | Webex integration | `WEBEX_REFRESH_TOKEN`, `WEBEX_CLIENT_ID`, `WEBEX_CLIENT_SECRET`; `WEBEX_GRANT_STORE` (a folder) keeps the refreshed grant across runs |
    /// | Webex bot or personal access token | `WEBEX_TOKEN` |
    pub fn from_env() -> Result<Self, Error> {
        from_lookup(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
    }
}

/// Every sign-in kind [`Credentials::from_env`] reads, with its variables: `name (A, B); …`.
pub(crate) fn kinds() -> String {
    let kinds: Vec<String> = KINDS
        .iter()
        .map(|kind| format!("{} ({})", kind.name, kind.needs.join(", ")))
        .collect();
    kinds.join("; ")
}

fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Credentials, Error> {
    let Some(kind) = KINDS.iter().find(|kind| var(kind.selector).is_some()) else {
        return Err(Error::Config {
            message: format!("no credentials in the environment; set one of: {}", kinds()),
        });
    };
    let get = |name: &str| {
        var(name).ok_or_else(|| Error::Config {
            message: format!(
                "{name} is not set: {} sign-in needs {}",
                kind.name,
                kind.needs.join(", ")
            ),
        })
    };
    let values = kind
        .needs
        .iter()
        .map(|name| get(name))
        .collect::<Result<Vec<String>, Error>>()?;
    match (kind.selector, values.as_slice()) {
        ("ZOOM_ACCOUNT_ID", [account, id, secret]) => {
            Ok(Credentials::server_to_server(account, id, secret))
        }
        ("ZOOM_GRANT_STORE", [dir, key, id, secret]) => Ok(Credentials::user_grant(
            OAuthApp::zoom(id, secret),
            Arc::new(FileStore::new(dir)),
            key,
        )),
        #[cfg(feature = "jwt")]
        ("ZOOM_VIDEO_SDK_KEY", [key, secret]) => Ok(Credentials::video_sdk(key, secret)),
        ("WEBEX_REFRESH_TOKEN", [refresh, id, secret]) => {
            let key = "webex";
            let seeded = Grant::from_refresh_token(refresh);
            let store: Arc<dyn TokenStore> = match var("WEBEX_GRANT_STORE") {
                Some(dir) => Arc::new(Seeded::new(FileStore::new(dir), seeded)),
                None => Arc::new(MemoryStore::with_grant(key, seeded)),
            };
            Ok(Credentials::user_grant(
                OAuthApp::webex(id, secret),
                store,
                key,
            ))
        }
        ("WEBEX_TOKEN", [token]) => Ok(Credentials::bearer(token)),
        _ => Err(Error::Config {
            message: format!("{} sign-in needs the runtime's `jwt` feature", kind.name),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<Credentials, Error> {
        from_lookup(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn each_kind_is_read_from_its_variables() {
        let s2s = from(&[
            ("ZOOM_ACCOUNT_ID", "a"),
            ("ZOOM_CLIENT_ID", "c"),
            ("ZOOM_CLIENT_SECRET", "s"),
        ]);
        assert!(
            matches!(s2s, Ok(Credentials::ServerToServer { account_id, .. }) if account_id == "a")
        );
        let user = from(&[
            ("ZOOM_GRANT_STORE", "/tmp/grants"),
            ("ZOOM_GRANT", "ana"),
            ("ZOOM_CLIENT_ID", "c"),
            ("ZOOM_CLIENT_SECRET", "s"),
        ]);
        assert!(matches!(user, Ok(Credentials::UserGrant(grant)) if grant.key == "ana"));
        let webex = from(&[
            ("WEBEX_REFRESH_TOKEN", "r"),
            ("WEBEX_CLIENT_ID", "c"),
            ("WEBEX_CLIENT_SECRET", "s"),
        ]);
        assert!(matches!(webex, Ok(Credentials::UserGrant(_))));
        assert!(matches!(
            from(&[("WEBEX_TOKEN", "t")]),
            Ok(Credentials::Bearer(_))
        ));
        #[cfg(feature = "jwt")]
        assert!(matches!(
            from(&[("ZOOM_VIDEO_SDK_KEY", "k"), ("ZOOM_VIDEO_SDK_SECRET", "s")]),
            Ok(Credentials::Minted(_))
        ));
    }

    #[test]
    fn a_missing_variable_is_named() {
        let error = from(&[("ZOOM_ACCOUNT_ID", "a"), ("ZOOM_CLIENT_ID", "c")]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("ZOOM_CLIENT_SECRET is not set: Zoom Server-to-Server OAuth"),
            "{error}"
        );
        let error = from(&[("WEBEX_REFRESH_TOKEN", "r")]).unwrap_err();
        assert!(
            error.to_string().contains("WEBEX_CLIENT_ID is not set"),
            "{error}"
        );
        let error = from(&[]).unwrap_err().to_string();
        for name in [
            "ZOOM_ACCOUNT_ID",
            "ZOOM_GRANT_STORE",
            "ZOOM_VIDEO_SDK_KEY",
            "WEBEX_REFRESH_TOKEN",
            "WEBEX_TOKEN",
        ] {
            assert!(error.contains(name), "{error}");
        }
    }
}
