//! The reqwest transport, used by the app shell and the tests.

use crate::transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};

/// The largest answer a `ReqwestTransport` reads by default: 256 MiB, well above any file
/// the server takes (50 MB unless its operator sets more), so that a server sending
/// without end cannot make the client's memory grow without end.
pub const MAX_BODY_BYTES: usize = 256 << 20;

/// Sends requests to `base_url` (e.g. `http://127.0.0.1:8080`) with reqwest.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    base_url: String,
    http: reqwest::Client,
    /// The most bytes of one answer's body it reads; beyond that the call fails.
    max_body: usize,
}

impl ReqwestTransport {
    pub fn new(base_url: impl Into<String>) -> ReqwestTransport {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            // A server that is down answers at once; an unreachable network would
            // otherwise hold every call for the whole timeout.
            .connect_timeout(std::time::Duration::from_secs(10))
            // The API never redirects; a redirect would carry the session to wherever
            // it points (reqwest keeps the header on the same host and port).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        ReqwestTransport {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            http,
            max_body: MAX_BODY_BYTES,
        }
    }

    /// The same transport reading answers of at most `bytes` bytes.
    pub fn with_max_body(mut self, bytes: usize) -> ReqwestTransport {
        self.max_body = bytes;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let url = format!("{}{}", self.base_url, request.path);
        let attempt = || {
            let mut builder = self.http.request(method.clone(), &url);
            if let Some(token) = &request.token {
                builder = builder.bearer_auth(token);
            }
            if let Some(body) = &request.body {
                builder = builder
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        request.content_type.unwrap_or("application/json"),
                    )
                    .body(body.clone());
            }
            builder.send()
        };
        let mut response = match attempt().await {
            Ok(r) => r,
            // A kept-alive connection the server closed (it restarted, or an idle timeout
            // in between) fails before any answer: a GET or a PUT (which replaces the
            // whole resource) is safe to send once more, on a fresh connection.
            Err(e)
                if matches!(request.method, Method::Get | Method::Put)
                    && !e.is_timeout()
                    && (e.is_request() || e.is_connect()) =>
            {
                attempt().await.map_err(|e| TransportError(e.to_string()))?
            }
            Err(e) => return Err(TransportError(e.to_string())),
        };
        let status = response.status().as_u16();
        let too_large = || {
            TransportError(format!(
                "the server's answer is larger than {} bytes",
                self.max_body
            ))
        };
        // Read as it comes, never more than the limit (a length the server announces
        // may be absent, or untrue).
        let announced = response.content_length().unwrap_or(0);
        if announced > self.max_body as u64 {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| TransportError(e.to_string()))?
        {
            if body.len() + chunk.len() > self.max_body {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse { status, body })
    }
}
