//! The server the app talks to: from `ONEWINDOW_SERVER_URL`, else the local default;
//! validated so that only loopback may use plain HTTP.

use crate::error::IpcError;

pub const DEFAULT_SERVER_URL: &str = "http://127.0.0.1:8080";

/// Checks a server URL: `https://host[:port]`, or `http://` only for loopback hosts.
/// Returns it without a trailing slash.
pub fn validate_server_url(url: &str) -> Result<String, IpcError> {
    let url = url.trim().trim_end_matches('/');
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| IpcError::InvalidServerUrl("the address must start with https://".into()))?;
    let host_port = rest.split('/').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.is_empty() || rest.contains(['?', '#', '@', ' ']) {
        return Err(IpcError::InvalidServerUrl(
            "the address has no valid host".into(),
        ));
    }
    let loopback = host == "localhost" || host == "::1" || host.starts_with("127.");
    match scheme {
        "https" => Ok(url.to_owned()),
        "http" if loopback => Ok(url.to_owned()),
        "http" => Err(IpcError::InvalidServerUrl(
            "plain http is allowed only for this computer (localhost); use https".into(),
        )),
        _ => Err(IpcError::InvalidServerUrl(
            "the address must start with https://".into(),
        )),
    }
}

/// The configured server URL, falling back to the default when unset or invalid.
pub fn server_url_from_env() -> String {
    std::env::var("ONEWINDOW_SERVER_URL")
        .ok()
        .and_then(|u| validate_server_url(&u).ok())
        .unwrap_or_else(|| DEFAULT_SERVER_URL.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert_eq!(
            validate_server_url("https://gov.example.cn/").unwrap(),
            "https://gov.example.cn"
        );
        assert!(validate_server_url("http://127.0.0.1:8080").is_ok());
        assert!(validate_server_url("http://localhost:8080").is_ok());
        assert!(validate_server_url("http://[::1]:8080").is_ok());
        assert!(validate_server_url("http://gov.example.cn").is_err());
        assert!(validate_server_url("ftp://gov.example.cn").is_err());
        assert!(validate_server_url("gov.example.cn").is_err());
        assert!(validate_server_url("https://user@evil.example").is_err());
        assert!(validate_server_url("https://").is_err());
    }
}
