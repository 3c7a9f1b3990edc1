//! Where the app keeps its session token: the OS keychain (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows), one entry per server, never the
//! webview. A machine without a keychain gets a clear error; only an explicit opt-in
//! (`ONEWINDOW_INSECURE_TOKEN_FILE=1`) keeps the token in a file readable by the user's
//! account alone.

use crate::error::IpcError;
use std::path::PathBuf;

/// The keychain service name of the app's entries.
pub const SERVICE: &str = "org.onewindow.app";

/// Where the token of one server is kept.
pub trait TokenStore: Send + Sync {
    fn load(&self) -> Result<Option<String>, IpcError>;
    fn save(&self, token: &str) -> Result<(), IpcError>;
    /// Forgets the token; no error when there was none.
    fn clear(&self) -> Result<(), IpcError>;
}

/// The OS keychain entry of one server (its URL is the entry's account name).
pub struct Keychain {
    entry: keyring::Entry,
}

impl Keychain {
    pub fn new(server: &str) -> Result<Keychain, IpcError> {
        Ok(Keychain {
            entry: keyring::Entry::new(SERVICE, server).map_err(unavailable)?,
        })
    }
}

fn unavailable(e: keyring::Error) -> IpcError {
    IpcError::Keychain(format!(
        "the system keychain cannot be used ({e}); install and unlock one (for example \
         GNOME Keyring), or start the app with ONEWINDOW_INSECURE_TOKEN_FILE=1 to keep \
         the session in a file only your account can read"
    ))
}

impl TokenStore for Keychain {
    fn load(&self) -> Result<Option<String>, IpcError> {
        match self.entry.get_password() {
            Ok(t) => Ok(Some(t)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn save(&self, token: &str) -> Result<(), IpcError> {
        self.entry.set_password(token).map_err(unavailable)
    }

    fn clear(&self) -> Result<(), IpcError> {
        match self.entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// The opt-in fallback: a file in the app's data directory, created readable and
/// writable by the owner only.
pub struct TokenFile {
    pub path: PathBuf,
}

impl TokenStore for TokenFile {
    fn load(&self) -> Result<Option<String>, IpcError> {
        match std::fs::read_to_string(&self.path) {
            Ok(t) if !t.trim().is_empty() => Ok(Some(t.trim().to_owned())),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(IpcError::Keychain(format!(
                "cannot read the session file: {e}"
            ))),
        }
    }

    fn save(&self, token: &str) -> Result<(), IpcError> {
        let fail =
            |e: std::io::Error| IpcError::Keychain(format!("cannot write the session file: {e}"));
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        use std::io::Write;
        options
            .open(&self.path)
            .and_then(|mut f| f.write_all(token.as_bytes()))
            .map_err(fail)
    }

    fn clear(&self) -> Result<(), IpcError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(IpcError::Keychain(format!(
                "cannot remove the session file: {e}"
            ))),
        }
    }
}

/// The fallback file of `server`'s token: one per server, like the keychain's entries,
/// so that switching servers never sends one server's token to another.
pub fn token_file_name(server: &str) -> String {
    format!("session-{}.token", crate::cache::server_key(server))
}

/// The store for `server`: the keychain, or the file when the user opted in.
pub fn store_for(server: &str, data_dir: Option<PathBuf>) -> Result<Box<dyn TokenStore>, IpcError> {
    let opted_in = std::env::var("ONEWINDOW_INSECURE_TOKEN_FILE").is_ok_and(|v| v == "1");
    Ok(match (opted_in, data_dir) {
        (true, Some(dir)) => Box::new(TokenFile {
            path: dir.join(token_file_name(server)),
        }),
        _ => Box::new(Keychain::new(server)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keychain_keeps_replaces_and_forgets_the_token() {
        // The keyring's mock store, in unit tests only.
        keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
        let a = Keychain::new("https://gov.example.cn").unwrap();
        assert_eq!(a.load().unwrap(), None);
        a.save("token-1").unwrap();
        assert_eq!(a.load().unwrap().as_deref(), Some("token-1"));
        a.save("token-2").unwrap();
        assert_eq!(a.load().unwrap().as_deref(), Some("token-2"));
        a.clear().unwrap();
        assert_eq!(a.load().unwrap(), None);
        a.clear().unwrap();
    }

    #[test]
    fn the_file_fallback_is_private_and_forgets() {
        let dir = std::env::temp_dir().join(format!("ow-session-{}", std::process::id()));
        let f = TokenFile {
            path: dir.join("session-token"),
        };
        assert_eq!(f.load().unwrap(), None);
        f.save("secret-token").unwrap();
        assert_eq!(f.load().unwrap().as_deref(), Some("secret-token"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&f.path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        f.clear().unwrap();
        f.clear().unwrap();
        assert_ne!(
            token_file_name("https://gov-example.cn"),
            token_file_name("https://gov.example.cn"),
            "one file per server"
        );
        assert_eq!(f.load().unwrap(), None);
        let _ = std::fs::remove_dir_all(dir);
    }
}
