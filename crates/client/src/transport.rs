//! The transport trait: one HTTP exchange, as plain data, so that the client's endpoints
//! are written once and run over reqwest, the browser's fetch, or Tauri's invoke.

use std::future::Future;

/// HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One request: `path` starts with `/` and includes the query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub path: String,
    /// The body: JSON, or a file's bytes.
    pub body: Option<Vec<u8>>,
    /// The body's media type; `application/json` when unset.
    pub content_type: Option<&'static str>,
    /// The session token, added as `Authorization: Bearer`.
    pub token: Option<String>,
}

/// The status and body of a response. The body is bytes: JSON, or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The body as text (invalid UTF-8 replaced), for messages and tests.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The request never got an answer (network down, server unreachable, aborted).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(pub String);

/// Sends one request and returns the response, whatever its status.
pub trait Transport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
}
