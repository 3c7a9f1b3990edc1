//! The IPC error enum: every failure of a Tauri command reaches the front-end as
//! `{code, message}` with a stable code.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    #[error("{0}")]
    InvalidServerUrl(String),
    /// No server chosen yet: the first-run screen asks for one.
    #[error("choose the OneWindow server first")]
    NoServer,
    /// The app's own files (settings) could not be written.
    #[error("{0}")]
    Storage(String),
    /// No usable keychain (and no opt-in to the file fallback).
    #[error("{0}")]
    Keychain(String),
    /// Not signed in (no token kept).
    #[error("sign in first")]
    SignedOut,
    /// The webview asked for something the bridge does not forward.
    #[error("{0}")]
    Refused(String),
    /// The server could not be reached.
    #[error("{0}")]
    Unreachable(String),
    /// The server answered with an error body: its code passes through.
    #[error("{1}")]
    Api(onewindow_api::ErrorCode, String),
}

impl IpcError {
    pub fn code(&self) -> &'static str {
        match self {
            IpcError::InvalidServerUrl(_) => "invalid_server_url",
            IpcError::NoServer => "no_server",
            IpcError::Storage(_) => "storage",
            IpcError::Keychain(_) => "keychain_unavailable",
            IpcError::SignedOut => "unauthenticated",
            IpcError::Refused(_) => "refused",
            IpcError::Unreachable(_) => "unreachable",
            IpcError::Api(..) => "api_error",
        }
    }
}

impl Serialize for IpcError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("IpcError", 2)?;
        match self {
            IpcError::Api(code, _) => s.serialize_field("code", code)?,
            _ => s.serialize_field("code", self.code())?,
        }
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_code_and_message() {
        let e = IpcError::InvalidServerUrl("use https".into());
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "invalid_server_url", "message": "use https"})
        );
    }
}
