//! The browser's fetch transport, used by the web front-end.

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Sends requests with `fetch` to `base_url`; an empty base means the page's own origin.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    base_url: String,
}

impl FetchTransport {
    pub fn new(base_url: impl Into<String>) -> FetchTransport {
        FetchTransport {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
        }
    }
}

fn js_error(e: JsValue) -> TransportError {
    TransportError(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

impl Transport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let init = web_sys::RequestInit::new();
        init.set_method(request.method.as_str());
        let headers = web_sys::Headers::new().map_err(js_error)?;
        headers
            .set("Accept", "application/json")
            .map_err(js_error)?;
        if let Some(token) = &request.token {
            headers
                .set("Authorization", &format!("Bearer {token}"))
                .map_err(js_error)?;
        }
        if let Some(body) = &request.body {
            let content_type = request.content_type.unwrap_or("application/json");
            headers
                .set("Content-Type", content_type)
                .map_err(js_error)?;
            init.set_body(&js_sys::Uint8Array::from(&body[..]));
        }
        init.set_headers(&headers);
        let url = format!("{}{}", self.base_url, request.path);
        let req = web_sys::Request::new_with_str_and_init(&url, &init).map_err(js_error)?;
        let window = web_sys::window().ok_or_else(|| TransportError("no window".into()))?;
        let resp = JsFuture::from(window.fetch_with_request(&req))
            .await
            .map_err(|_| TransportError("the server could not be reached".into()))?;
        let resp: web_sys::Response = resp.dyn_into().map_err(js_error)?;
        let buffer = JsFuture::from(resp.array_buffer().map_err(js_error)?)
            .await
            .map_err(js_error)?;
        Ok(HttpResponse {
            status: resp.status(),
            body: js_sys::Uint8Array::new(&buffer).to_vec(),
        })
    }
}
