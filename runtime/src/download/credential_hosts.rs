//! Where a client's credentials may go: the API's host and, for a vendor whose files share
//! its domain, its registrable domain (by the public suffix list); the download hosts the
//! builder allows; over https (plain http only to loopback addresses) — and no redirect that
//! drops a credentialed request to plain http. A download URL can come from a webhook body,
//! which anyone can post.

use url::Url;

use crate::error::Error;
use crate::vendor::CredentialHosts;

/// The API's host and, when `rule` says so and it is a subdomain, its registrable domain
/// (`api.example.com` → `example.com`), by the public suffix list: `my-proxy.herokuapp.com` is
/// a registrable domain of its own, so it trusts no other `*.herokuapp.com`.
pub(crate) fn default_credential_hosts(rule: CredentialHosts, base: &Url) -> Vec<String> {
    let Some(url::Host::Domain(host)) = base.host() else {
        return base.host_str().map(str::to_owned).into_iter().collect();
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host).to_owned();
    let registrable = psl::domain_str(&host)
        .filter(|domain| *domain != host && rule == CredentialHosts::RegistrableDomain)
        .map(str::to_owned);
    std::iter::once(host).chain(registrable).collect()
}

/// A [`ClientBuilder::download_hosts`](crate::ClientBuilder::download_hosts) entry, checked: a host name or IP address (no scheme,
/// port or path), and not a public suffix, which would trust every site under it.
pub(crate) fn allowed_download_host(entry: &str) -> Result<String, Error> {
    let refuse = |why: &str| Error::config(format!("download host `{entry}` {why}"));
    let malformed = entry.is_empty()
        || entry.starts_with('.')
        || entry.ends_with('.')
        || entry.contains(['/', ':', '@', '?', '#', '*']) && !entry.starts_with('[')
        || entry.chars().any(|c| c.is_whitespace() || c.is_control());
    if malformed {
        return Err(refuse(
            "is not a host name: write it as `example.com` or `files.example.com` (it covers \
             its subdomains)",
        ));
    }
    match url::Host::parse(entry) {
        Ok(url::Host::Domain(domain)) => {
            let domain = domain.to_ascii_lowercase();
            let public_suffix = psl::suffix(domain.as_bytes())
                .is_some_and(|suffix| suffix.is_known() && suffix.as_bytes() == domain.as_bytes());
            if public_suffix {
                return Err(refuse(
                    "is a public suffix: it would trust every site registered under it",
                ));
            }
            Ok(domain)
        }
        Ok(ip) => Ok(ip.to_string()),
        Err(error) => Err(refuse(&format!("is not a host name: {error}"))),
    }
}

/// Follows up to 10 redirects, as reqwest does by default, but refuses a hop that keeps the
/// host and port and drops from https to plain http: reqwest keeps `Authorization` on such a
/// hop (it strips it only when the host or port changes), so the token would cross the
/// network in the clear.
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let Some(previous) = attempt.previous().last() else {
            return attempt.follow();
        };
        if downgrades_credentials(previous, attempt.url()) {
            let reason = format!(
                "a redirect from https to plain http ({}) was refused",
                attempt.url()
            );
            attempt.error(reason)
        } else if attempt.previous().len() > 10 {
            attempt.error("too many redirects (more than 10)")
        } else {
            attempt.follow()
        }
    })
}

/// Whether a redirect from `previous` to `next` would carry `Authorization` over plain http:
/// the same host and port (so reqwest keeps the header), https before and http after, to a
/// host that is not loopback.
fn downgrades_credentials(previous: &Url, next: &Url) -> bool {
    previous.scheme() == "https"
        && next.scheme() == "http"
        && next.host_str() == previous.host_str()
        && next.port_or_known_default() == previous.port_or_known_default()
        && !is_loopback(next)
}

/// Whether `url` names a loopback host (`127.0.0.0/8`, `::1`, `localhost`).
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Why credentials must not go to `url`, or `None` when they may: https to one of `allowed`
/// (each with its subdomains; plain http only to loopback addresses).
pub(crate) fn refusal(allowed: &[String], url: &Url) -> Option<String> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    // `example.com.` is `example.com`, as DNS reads it; an empty host matches nothing.
    let host = host.strip_suffix('.').unwrap_or(&host);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let trusted = allowed.iter().any(|allowed| {
        let allowed = allowed.trim_start_matches('[').trim_end_matches(']');
        !host.is_empty()
            && (host == allowed
                || host
                    .strip_suffix(allowed)
                    .is_some_and(|prefix| prefix.ends_with('.')))
    });
    if !trusted {
        return Some(format!(
            "the host `{host}` is not the API's ({}) nor an allowed download host \
             (ClientBuilder::download_hosts)",
            allowed.join(", ")
        ));
    }
    if url.scheme() != "https" && !is_loopback(url) {
        return Some(format!(
            "`{}` is not https: credentials go over plain http only to loopback addresses",
            url.scheme()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_that_keeps_the_host_but_drops_to_http_is_a_downgrade() {
        let url = |text: &str| Url::parse(text).unwrap();
        let from = url("https://files.example.com/rec/download/a");
        for (to, downgrade) in [
            ("http://files.example.com:443/rec/a", true),
            ("http://files.example.com:80/rec/a", false),
            ("https://files.example.com/rec/a", false),
            ("http://storage.example/rec/a", false),
        ] {
            assert_eq!(downgrades_credentials(&from, &url(to)), downgrade, "{to}");
        }
        let local = url("https://127.0.0.1:8443/a");
        assert!(!downgrades_credentials(
            &local,
            &url("http://127.0.0.1:8443/b")
        ));
    }

    fn credential_hosts(base: &str) -> Vec<String> {
        default_credential_hosts(
            CredentialHosts::RegistrableDomain,
            &Url::parse(base).unwrap(),
        )
    }

    #[test]
    fn the_api_trusts_its_registrable_domain_and_never_a_public_suffix() {
        assert_eq!(
            credential_hosts("https://api.example.com/v2"),
            ["api.example.com", "example.com"]
        );
        assert_eq!(
            credential_hosts("https://a.b.example.com/v2"),
            ["a.b.example.com", "example.com"]
        );
        assert_eq!(credential_hosts("https://example.com/v2"), ["example.com"]);
        assert_eq!(
            credential_hosts("https://my-proxy.herokuapp.com/v2"),
            ["my-proxy.herokuapp.com"]
        );
        assert_eq!(
            credential_hosts("https://api.example.com./v2"),
            ["api.example.com", "example.com"]
        );
        assert_eq!(credential_hosts("http://127.0.0.1:8080"), ["127.0.0.1"]);
        assert_eq!(credential_hosts("http://localhost:8080"), ["localhost"]);
        // A vendor whose files are elsewhere trusts the API's host only.
        let api_only = default_credential_hosts(
            CredentialHosts::ApiHost,
            &Url::parse("https://api.example.com/v2").unwrap(),
        );
        assert_eq!(api_only, ["api.example.com"]);
    }

    #[test]
    fn download_hosts_must_be_bare_host_names_below_a_public_suffix() {
        for good in [
            "example.com",
            "files.example.com",
            "127.0.0.1",
            "[::1]",
            "localhost",
        ] {
            assert!(allowed_download_host(good).is_ok(), "{good}");
        }
        for (bad, why) in [
            ("", "not a host name"),
            (" ", "not a host name"),
            (".example.com", "not a host name"),
            ("example.com.", "not a host name"),
            ("https://example.com", "not a host name"),
            ("example.com/x", "not a host name"),
            ("example.com:443", "not a host name"),
            ("*.example.com", "not a host name"),
            ("com", "public suffix"),
            ("herokuapp.com", "public suffix"),
            ("co.uk", "public suffix"),
        ] {
            let error = allowed_download_host(bad).unwrap_err().to_string();
            assert!(error.contains(why), "{bad:?}: {error}");
        }
    }
}
