//! The authenticated API bridge: the webview never holds the session token. It asks the
//! Rust side to sign in (the token goes to the keychain), to sign out (revoked on the
//! server, then forgotten), and to forward API calls, to which the token is added here.
//! Only paths of the API are forwarded, to the configured server only. The keychain is
//! read and written by the commands, off the async runtime.

use crate::cache::{Cache, Cached};
use crate::error::IpcError;
use onewindow_api::account::{Account, LoginRequest, RegisterRequest};
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
    /// Set when the server could not be reached and this is the offline copy: when it was
    /// fetched (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cached_at: Option<String>,
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Whether `path` is a plain API path: `/api/v1/…` (or `/healthz`) whose path part has
/// only letters, digits and `-_.` in non-empty segments, none of them `.` or `..`, so
/// that no URL normalisation downstream (dot segments, percent-encoded dots, stripped
/// tabs) can turn it into another path; the query may hold anything but spaces and
/// control characters (it is percent-encoded).
pub fn is_api_path(path: &str) -> bool {
    let (plain, query) = path.split_once('?').unwrap_or((path, ""));
    let segments_ok = plain.strip_prefix('/').is_some_and(|rest| {
        rest.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
    });
    let query_ok = query.bytes().all(|b| b > b' ' && b != 0x7f && b != b'#');
    segments_ok && query_ok && (plain.starts_with("/api/v1/") || plain == "/healthz")
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
    if !is_api_path(path) {
        return Err(IpcError::Refused(format!("{path} is not an API path")));
    }
    // Their answers carry a session token, which must not reach the webview: signing
    // in, registering and signing out have commands of their own.
    if path.starts_with("/api/v1/auth/") {
        return Err(IpcError::Refused(format!(
            "{path} goes through the app's own sign-in commands"
        )));
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
        cached_at: None,
    }
}

/// Forwards a call with the token (read from the store by the caller). Successful GETs
/// of what the cache keeps are kept; when the server cannot be reached, a GET is
/// answered from the cache, marked with its age.
pub async fn forward(
    http: &ReqwestTransport,
    token: Option<String>,
    call: &ApiCall,
    cache: Option<&Cache>,
) -> Result<ApiAnswer, IpcError> {
    let request = prepare(call, token)?;
    let get = request.method == Method::Get;
    let path = request.path.clone();
    // Private copies are kept per session: never another user's, never without one.
    let session = request.token.clone();
    match http.send(request).await {
        Ok(r) => {
            if let (true, 200, Some(cache)) = (get, r.status, cache) {
                cache.put(&path, session.as_deref(), &r.body, &now());
            }
            Ok(answer(r))
        }
        Err(e) => match cache
            .filter(|_| get)
            .and_then(|c| c.get(&path, session.as_deref()))
        {
            Some(hit) => Ok(offline(hit)),
            None => Err(IpcError::Unreachable(e.to_string())),
        },
    }
}

/// The offline copy as an answer.
pub fn offline(hit: Cached) -> ApiAnswer {
    use base64::Engine;
    ApiAnswer {
        status: 200,
        body: b64().encode(hit.body),
        cached_at: Some(hit.fetched_at),
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
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

/// Registers and signs in: the account for the webview and the token for the store.
pub async fn register(server: &str, req: &RegisterRequest) -> Result<(Account, String), IpcError> {
    let client = Client::new(ReqwestTransport::new(server));
    let session = client.register(req).await.map_err(api_error)?;
    Ok((session.account, session.token))
}

/// Checks that a OneWindow server answers at `server` before the app switches to it.
pub async fn probe(server: &str) -> Result<(), IpcError> {
    let client = Client::new(ReqwestTransport::new(server));
    client.health().await.map(|_| ()).map_err(|e| {
        // The detail goes to the log only: the page learns no more than "no answer".
        eprintln!("onewindow: probing {server}: {e}");
        IpcError::Unreachable(format!("no OneWindow server answers at {server}"))
    })
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
            "/api/v1/auth/login",
            "/api/v1/auth/register",
            "/api/v1/auth/logout",
            "/api/v1/./auth/login",
            "/api/v1/%2e%2e/v1/auth/login",
            "/api/v1/%2e%2e/%2e%2e/admin",
            "/api/v1/au\tth/login",
            "/api/v1/me/../auth/login",
            "/api/v1//auth/login",
            "/api/v1/me?x=1 2",
            "/api/v1/me#frag",
        ] {
            let e = prepare(&call("GET", bad), Some("t0k".into())).unwrap_err();
            assert_eq!(e.code(), "refused", "{bad}");
        }
        // A file name with dots travels in the query.
        assert!(prepare(
            &call("POST", "/api/v1/threads/1/attachments?name=report..v2.pdf"),
            None
        )
        .is_ok());
        assert!(prepare(&call("GET", "/api/v1/services/330100-GA-001.v2"), None).is_ok());
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

    /// Answers one HTTP request on a port of this machine with `body`, then closes.
    fn serve_once(body: &'static str) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            conn.write_all(reply.as_bytes()).unwrap();
        });
        url
    }

    #[test]
    fn offline_a_get_is_answered_from_the_cache_with_its_age() {
        use base64::Engine;
        let dir = std::env::temp_dir().join(format!("ow-bridge-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let server = serve_once(r#"{"items":[1]}"#);
        let cache = Cache::new(&dir, &server);
        let http = ReqwestTransport::new(&server);
        let get = call("GET", "/api/v1/services?page=1");
        tauri::async_runtime::block_on(async {
            let live = forward(&http, None, &get, Some(&cache)).await.unwrap();
            assert_eq!(live.status, 200);
            assert_eq!(live.cached_at, None);
            // The one-shot server has gone: the same GET comes from the cache.
            let kept = forward(&http, None, &get, Some(&cache)).await.unwrap();
            assert_eq!(kept.body, b64().encode(r#"{"items":[1]}"#));
            assert!(kept.cached_at.is_some(), "marked as the offline copy");
            // What was never fetched, and any write, fail as unreachable.
            let other = call("GET", "/api/v1/services?page=2");
            let e = forward(&http, None, &other, Some(&cache))
                .await
                .unwrap_err();
            assert_eq!(e.code(), "unreachable");
            let e = forward(
                &http,
                None,
                &call("POST", "/api/v1/services?page=1"),
                Some(&cache),
            )
            .await
            .unwrap_err();
            assert_eq!(e.code(), "unreachable");
        });
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
