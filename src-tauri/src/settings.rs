//! The server the app talks to, a setting kept in the app's data dir (`settings.json`)
//! and chosen on the first-run screen or the settings page; `ONEWINDOW_SERVER_URL`
//! overrides it for deployments and tests. Validated so that only loopback may use plain
//! HTTP.

use crate::error::IpcError;

use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file of the settings in the app's data dir.
pub const SETTINGS_FILE: &str = "settings.json";

/// What the user chose, as kept on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_url: Option<String>,
}

/// Reads the settings; none yet (first run) or an unreadable file gives the defaults,
/// the latter with a warning, so that a damaged file leads to the first-run screen
/// instead of an app that does not start.
pub fn load(dir: &Path) -> Settings {
    let path = dir.join(SETTINGS_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            eprintln!(
                "onewindow: {} is not valid ({e}); starting afresh",
                path.display()
            );
            Settings::default()
        }),
        Err(_) => Settings::default(),
    }
}

/// Writes the settings whole (a temporary file renamed over the old one).
pub fn save(dir: &Path, settings: &Settings) -> Result<(), IpcError> {
    let fail = |e: std::io::Error| IpcError::Storage(format!("the settings were not saved: {e}"));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let tmp = dir.join(format!("{SETTINGS_FILE}.tmp"));
    let json = serde_json::to_vec_pretty(settings)
        .map_err(|e| IpcError::Storage(format!("the settings were not saved: {e}")))?;
    std::fs::write(&tmp, json).map_err(fail)?;
    std::fs::rename(&tmp, dir.join(SETTINGS_FILE)).map_err(fail)
}

/// The server at start: `ONEWINDOW_SERVER_URL` when set and valid, else the saved
/// choice, else none (the first-run screen asks).
pub fn initial_server(saved: &Settings) -> Option<String> {
    std::env::var("ONEWINDOW_SERVER_URL")
        .ok()
        .and_then(|u| validate_server_url(&u).ok())
        .or_else(|| {
            saved
                .server_url
                .as_deref()
                .and_then(|u| validate_server_url(u).ok())
        })
}

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
    // Only a loopback address or `localhost` itself: `127.evil.example` is a remote name.
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
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
        assert!(validate_server_url("http://127.evil.example").is_err());
        assert!(validate_server_url("http://127.0.0.1.evil.example:80").is_err());
        assert!(validate_server_url("http://127.0.0.2:8080").is_ok());
        assert!(validate_server_url("ftp://gov.example.cn").is_err());
        assert!(validate_server_url("gov.example.cn").is_err());
        assert!(validate_server_url("https://user@evil.example").is_err());
        assert!(validate_server_url("https://").is_err());
    }

    #[test]
    fn settings_survive_a_restart_and_a_damaged_file_starts_afresh() {
        let dir = std::env::temp_dir().join(format!("onewindow-settings-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(load(&dir), Settings::default(), "first run");
        let chosen = Settings {
            server_url: Some("https://gov.example.cn".into()),
        };
        save(&dir, &chosen).unwrap();
        assert_eq!(load(&dir), chosen);
        std::fs::write(dir.join(SETTINGS_FILE), b"{not json").unwrap();
        assert_eq!(load(&dir), Settings::default());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
