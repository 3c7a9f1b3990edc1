//! The only module that talks to the outside: one `onewindow_client::Client` over the
//! browser's fetch, pointed at the page's own origin, or at the server the Tauri shell
//! names when the page runs inside the app.

use onewindow_api::catalogue::{Department, Hall, ServiceItem, ServiceSummary, Theme};
use onewindow_api::query::{Page, SearchQuery, SearchResponse, ServiceQuery};
use onewindow_client::{Client, ClientError, FetchTransport};
use std::sync::OnceLock;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub type ApiResult<T> = Result<T, ClientError>;

/// The client, built on first use: finding the server's address in the app shell is async.
static CLIENT: OnceLock<Client<FetchTransport>> = OnceLock::new();

async fn client() -> &'static Client<FetchTransport> {
    if let Some(client) = CLIENT.get() {
        return client;
    }
    let base = server_base_url().await;
    // Two first calls may race to here; the second client is simply dropped.
    let _ = CLIENT.set(Client::new(FetchTransport::new(base)));
    CLIENT.get().expect("the client was just set")
}

/// "" (same origin) in a browser, where the server serves this page. Inside the Tauri
/// shell the page comes from the app itself, so ask the shell where the server is.
async fn server_base_url() -> String {
    match tauri_server_url().await {
        Ok(Some(url)) => url,
        Ok(None) => String::new(),
        Err(e) => {
            web_sys::console::warn_1(
                &format!("server_url from the app shell failed: {e:?}").into(),
            );
            String::new()
        }
    }
}

/// Calls `window.__TAURI__.core.invoke("server_url")` when the shell injected `__TAURI__`;
/// `Ok(None)` in a plain browser. Every step is checked: the page must run in both.
async fn tauri_server_url() -> Result<Option<String>, JsValue> {
    let Some(window) = web_sys::window() else {
        return Ok(None);
    };
    let tauri = js_sys::Reflect::get(&window, &JsValue::from_str("__TAURI__"))?;
    if tauri.is_undefined() || tauri.is_null() {
        return Ok(None);
    }
    let core = js_sys::Reflect::get(&tauri, &JsValue::from_str("core"))?;
    let invoke = js_sys::Reflect::get(&core, &JsValue::from_str("invoke"))?;
    let invoke: js_sys::Function = invoke
        .dyn_into()
        .map_err(|_| JsValue::from_str("__TAURI__.core.invoke is not a function"))?;
    let promise = invoke.call1(&core, &JsValue::from_str("server_url"))?;
    let promise: js_sys::Promise = promise
        .dyn_into()
        .map_err(|_| JsValue::from_str("invoke did not return a promise"))?;
    let url = JsFuture::from(promise).await?;
    Ok(url.as_string().filter(|u| !u.is_empty()))
}

/// `GET /api/v1/services`
pub async fn services(query: ServiceQuery) -> ApiResult<Page<ServiceSummary>> {
    client().await.services(&query).await
}

/// `GET /api/v1/services/{code}`
pub async fn service(code: String) -> ApiResult<ServiceItem> {
    client().await.service(&code).await
}

/// `GET /api/v1/search`
pub async fn search(query: SearchQuery) -> ApiResult<SearchResponse> {
    client().await.search(&query).await
}

// The reference lists below change only when the catalogue is imported again, so one
// copy per page load is kept instead of fetching them on every route change.
static DEPARTMENTS: OnceLock<Vec<Department>> = OnceLock::new();
static THEMES: OnceLock<Vec<Theme>> = OnceLock::new();
static HALLS: OnceLock<Vec<Hall>> = OnceLock::new();

/// `GET /api/v1/departments`, cached.
pub async fn departments() -> ApiResult<Vec<Department>> {
    if let Some(d) = DEPARTMENTS.get() {
        return Ok(d.clone());
    }
    let d = client().await.departments().await?;
    let _ = DEPARTMENTS.set(d.clone());
    Ok(d)
}

/// `GET /api/v1/themes`, cached.
pub async fn themes() -> ApiResult<Vec<Theme>> {
    if let Some(t) = THEMES.get() {
        return Ok(t.clone());
    }
    let t = client().await.themes().await?;
    let _ = THEMES.set(t.clone());
    Ok(t)
}

/// `GET /api/v1/halls`, cached.
pub async fn halls() -> ApiResult<Vec<Hall>> {
    if let Some(h) = HALLS.get() {
        return Ok(h.clone());
    }
    let h = client().await.halls().await?;
    let _ = HALLS.set(h.clone());
    Ok(h)
}
