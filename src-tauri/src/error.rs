//! The IPC error enum: every failure of a Tauri command reaches the front-end as
//! `{code, message}` with a stable code.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    #[error("{0}")]
    InvalidServerUrl(String),
}

impl IpcError {
    pub fn code(&self) -> &'static str {
        match self {
            IpcError::InvalidServerUrl(_) => "invalid_server_url",
        }
    }
}

impl Serialize for IpcError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("IpcError", 2)?;
        s.serialize_field("code", self.code())?;
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
