//! The authenticated API bridge: the webview never holds the session token. It asks the
//! Rust side to sign in (the token goes to the keychain), to sign out (revoked on the
//! server, then forgotten), and to forward API calls, to which the token is added here.
//! Only paths of the API are forwarded, to the configured server only. The keychain is
//! read and written by the commands, off the async runtime.

use crate::error::IpcError;
use onewindow_api::account::{Account, LoginRequest};
use onewindow_client::transport::{HttpRequest, HttpResponse, Method, Transport};
use onewindow_client::{Client, ReqwestTransport};
use serde::{Deserialize, Serialize};

/// An API call from the webview: `body` and the answer's `body` are base64 (standard).
#[derive(Debug, Clone, Deserialize)]
pub struct ApiCall {
    pub method: String,
    /// Starts with `/api/v1/` (or is `/healthz`), with its query string.
    pub path: String,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiAnswer {
    pub status: u16,
    pub body: String,
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Checks a call and makes the request, with the token when there is one.
pub fn prepare(call: &ApiCall, token: Option<String>) -> Result<HttpRequest, IpcError> {
    use base64::Engine;
    let method = match call.method.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        other => {
            return Err(IpcError::Refused(format!(
                "method {other} is not forwarded"
            )))
        }
    };
    let path = call.path.as_str();
    let api = path.starts_with("/api/v1/") || path == "/healthz";
    if !api || path.contains("..") || path.contains("://") || path.contains('\\') {
        return Err(IpcError::Refused(format!("{path} is not an API path")));
    }
    let content_type = match call.content_type.as_deref() {
        None | Some("application/json") => None,
        Some("application/octet-stream") => Some("application/octet-stream"),
        Some(other) => {
            return Err(IpcError::Refused(format!(
                "content type {other} is not forwarded"
            )))
        }
    };
    let body = call
        .body
        .as_deref()
        .map(|b| b64().decode(b))
        .transpose()
        .map_err(|_| IpcError::Refused("the body is not base64".into()))?;
    Ok(HttpRequest {
        method,
        path: path.to_owned(),
        body,
        content_type,
        token,
    })
}

/// The answer for the webview.
pub fn answer(r: HttpResponse) -> ApiAnswer {
    use base64::Engine;
    ApiAnswer {
        status: r.status,
        body: b64().encode(r.body),
    }
}

/// Forwards a call with the token (read from the store by the caller).
pub async fn forward(
    server: &str,
    token: Option<String>,
    call: &ApiCall,
) -> Result<ApiAnswer, IpcError> {
    let request = prepare(call, token)?;
    ReqwestTransport::new(server)
        .send(request)
        .await
        .map(answer)
        .map_err(|e| IpcError::Unreachable(e.to_string()))
}

fn api_error(e: onewindow_client::ClientError) -> IpcError {
    match e.code() {
        Some(code) => IpcError::Api(code, e.to_string()),
        None => IpcError::Unreachable(e.to_string()),
    }
}

/// Signs in: the account for the webview and the token for the store.
pub async fn login(server: &str, req: &LoginRequest) -> Result<(Account, String), IpcError> {
    let client = Client::new(ReqwestTransport::new(server));
    let session = client.login(req).await.map_err(api_error)?;
    Ok((session.account, session.token))
}

/// Revokes a session on the server; a server that cannot be reached is told nothing, and
/// the token is forgotten anyway by the caller.
pub async fn revoke(server: &str, token: String) {
    let client = Client::new(ReqwestTransport::new(server));
    client.set_token(Some(token));
    if let Err(e) = client.logout().await {
        eprintln!("onewindow: the server did not revoke the session: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(method: &str, path: &str) -> ApiCall {
        ApiCall {
            method: method.into(),
            path: path.into(),
            content_type: None,
            body: None,
        }
    }

    #[test]
    fn only_api_paths_are_forwarded_with_the_token() {
        let r = prepare(&call("get", "/api/v1/me"), Some("t0k".into())).unwrap();
        assert_eq!((r.method, r.path.as_str()), (Method::Get, "/api/v1/me"));
        assert_eq!(r.token.as_deref(), Some("t0k"));
        for bad in [
            "/etc/passwd",
            "https://evil.example/api/v1/me",
            "/api/v1/../../admin",
            "//evil.example/api/v1/me",
            "/api/v2/me",
        ] {
            let e = prepare(&call("GET", bad), Some("t0k".into())).unwrap_err();
            assert_eq!(e.code(), "refused", "{bad}");
        }
        assert_eq!(
            prepare(&call("TRACE", "/api/v1/me"), None)
                .unwrap_err()
                .code(),
            "refused"
        );
    }

    #[test]
    fn bodies_travel_as_base64_both_ways() {
        use base64::Engine;
        let mut c = call("POST", "/api/v1/threads/1/attachments?name=a.pdf");
        c.content_type = Some("application/octet-stream".into());
        c.body = Some(b64().encode(b"%PDF-1.7"));
        let r = prepare(&c, None).unwrap();
        assert_eq!(r.body.as_deref(), Some(&b"%PDF-1.7"[..]));
        assert_eq!(r.content_type, Some("application/octet-stream"));
        c.body = Some("not base64!".into());
        assert!(prepare(&c, None).is_err());
        c.content_type = Some("text/html".into());
        assert!(prepare(&c, None).is_err());
        let a = answer(HttpResponse {
            status: 201,
            body: b"{}".to_vec(),
        });
        assert_eq!(a.body, b64().encode(b"{}"));
    }
}
