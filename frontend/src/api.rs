//! The only module that talks to the outside: one `onewindow_client::Client` over the
//! browser's fetch, pointed at the page's own origin, or at the server the Tauri shell
//! names when the page runs inside the app.
//!
//! Sessions: the server keeps the browser's session in an HttpOnly cookie that this
//! code never sees; the page only learns who is signed in from `GET /api/v1/me`.

mod booking;
mod feedback;
mod notifications;
mod push;
mod upload;

pub use booking::*;
pub use feedback::*;
pub use notifications::*;
pub use push::*;

pub use upload::{read_head, upload_attachment, upload_material, upload_result};

use onewindow_api::account::{Account, LoginRequest, RegisterRequest};
use onewindow_api::application::{
    Application, ApplicationSummary, CreateApplicationRequest, FileInfo, FormValues, LookupRequest,
    LookupResponse, OpinionRequest, TransitionRequest,
};
use onewindow_api::case::CaseState;
use onewindow_api::catalogue::{Department, Hall, ServiceItem, ServiceSummary, Theme};
use onewindow_api::ids::{AuthorisationId, CaseId, DocumentId, FileId};
use onewindow_api::query::{
    ApplicationQuery, Page, SearchQuery, SearchResponse, ServiceQuery, SupervisionQuery,
};
use onewindow_api::wallet::{Authorisation, WalletDocument};
use onewindow_client::{Client, ClientError, FetchTransport};
use std::sync::OnceLock;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub type ApiResult<T> = Result<T, ClientError>;

/// The client, built on first use: finding the server's address in the app shell is async.
static CLIENT: OnceLock<Client<FetchTransport>> = OnceLock::new();
/// The server's base URL the client uses ("" for the page's own origin), for the few
/// requests made without the client (uploads with progress, file links).
static BASE_URL: OnceLock<String> = OnceLock::new();

async fn client() -> &'static Client<FetchTransport> {
    if let Some(client) = CLIENT.get() {
        return client;
    }
    let base = server_base_url().await.trim_end_matches('/').to_owned();
    // Two first calls may race to here; the second client is simply dropped.
    let _ = BASE_URL.set(base.clone());
    let _ = CLIENT.set(Client::with_cookie_session(FetchTransport::new(base)));
    CLIENT.get().expect("the client was just set")
}

/// The base URL once the client exists (it does once any page has loaded data).
fn base_url() -> &'static str {
    BASE_URL.get().map(String::as_str).unwrap_or("")
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

/// True inside the Tauri shell, which injects `__TAURI_INTERNALS__` into its webview.
pub fn in_app_shell() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("__TAURI_INTERNALS__")).ok())
        .is_some_and(|v| !v.is_undefined() && !v.is_null())
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

/// `GET /api/v1/me`: the signed-in account, `None` when nobody is (401).
pub async fn me() -> ApiResult<Option<Account>> {
    match client().await.me().await {
        Ok(account) => Ok(Some(account)),
        Err(e) if e.status() == Some(401) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `POST /api/v1/auth/login`. The server answers with the session cookie; the client is
/// a cookie-session client, so it keeps no token in page memory.
pub async fn login(req: LoginRequest) -> ApiResult<Account> {
    Ok(client().await.login(&req).await?.account)
}

/// `POST /api/v1/auth/register`; signs in like `login`, through the cookie only.
pub async fn register(req: RegisterRequest) -> ApiResult<Account> {
    Ok(client().await.register(&req).await?.account)
}

/// `POST /api/v1/auth/logout`: the server revokes the session and clears the cookie.
pub async fn logout() -> ApiResult<()> {
    client().await.logout().await
}

/// `POST /api/v1/applications`
pub async fn create_application(req: CreateApplicationRequest) -> ApiResult<Application> {
    client().await.create_application(&req).await
}

/// `GET /api/v1/applications` with the dashboard's filters.
pub async fn applications(query: ApplicationQuery) -> ApiResult<Page<ApplicationSummary>> {
    client().await.applications_filtered(&query).await
}

/// `GET /api/v1/applications/export.csv?…`, as a link: the cookie authorises it, and
/// the browser saves the file without the bytes passing through the page. `query` is
/// the dashboard's query string ("" or "?state=…").
pub fn export_url(query: &str) -> String {
    format!(
        "{}{}/applications/export.csv{query}",
        base_url(),
        onewindow_api::API_PREFIX
    )
}

/// `GET /api/v1/applications/{id}`
pub async fn application(id: CaseId) -> ApiResult<Application> {
    client().await.application(id).await
}

/// `PUT /api/v1/applications/{id}/form`
pub async fn update_form(id: CaseId, form: FormValues) -> ApiResult<Application> {
    client().await.update_form(id, &form).await
}

/// `DELETE /api/v1/applications/{id}`
pub async fn delete_application(id: CaseId) -> ApiResult<()> {
    client().await.delete_application(id).await
}

/// `POST /api/v1/applications/{id}/submit`, also the resubmission after a correction.
pub async fn submit_application(id: CaseId, idempotency_key: String) -> ApiResult<Application> {
    client()
        .await
        .submit_application(id, &idempotency_key)
        .await
}

/// `POST /api/v1/applications/{id}/withdraw`
pub async fn withdraw_application(id: CaseId, note: String) -> ApiResult<Application> {
    client().await.withdraw_application(id, &note).await
}

/// `POST /api/v1/applications/{id}/confirm-receipt`: the mailed result arrived.
pub async fn confirm_receipt(id: CaseId) -> ApiResult<Application> {
    client().await.confirm_receipt(id).await
}

/// `DELETE /api/v1/applications/{id}/files/{file}`
pub async fn remove_file(id: CaseId, file: FileId) -> ApiResult<()> {
    client().await.remove_file(id, file).await
}

/// `GET /api/v1/applications/{id}/files/{file}`, as a link: the cookie authorises it.
pub fn file_url(id: CaseId, file: FileId) -> String {
    format!(
        "{}{}/applications/{id}/files/{file}",
        base_url(),
        onewindow_api::API_PREFIX
    )
}

/// `GET /api/v1/staff/applications`
pub async fn staff_queue(
    state: Option<CaseState>,
    page: u32,
    per_page: u32,
) -> ApiResult<Page<ApplicationSummary>> {
    client().await.staff_queue(state, page, per_page).await
}

/// `POST /api/v1/applications/{id}/transitions`
pub async fn transition(id: CaseId, req: TransitionRequest) -> ApiResult<Application> {
    client().await.transition(id, &req).await
}

/// `POST /api/v1/lookup`
pub async fn lookup(req: LookupRequest) -> ApiResult<LookupResponse> {
    client().await.lookup(&req).await
}

/// `POST /api/v1/applications/{id}/opinions`: a consulted department's answer.
pub async fn give_opinion(id: CaseId, req: OpinionRequest) -> ApiResult<Application> {
    client().await.give_opinion(id, &req).await
}

/// `GET /api/v1/staff/applications?consulted=true`: cases other departments consult this one on.
pub async fn consulted_queue(page: u32, per_page: u32) -> ApiResult<Page<ApplicationSummary>> {
    client().await.consulted_queue(page, per_page).await
}

/// `GET /api/v1/staff/supervision`: yellow and red cases, most urgent first.
pub async fn supervision(query: SupervisionQuery) -> ApiResult<Vec<ApplicationSummary>> {
    client().await.supervision(&query).await
}

/// `GET /api/v1/me/documents`
pub async fn documents() -> ApiResult<Vec<WalletDocument>> {
    client().await.documents().await
}

/// `GET /api/v1/me/documents/{doc}`, as a link: the cookie authorises it.
pub fn document_url(doc: DocumentId) -> String {
    format!(
        "{}{}/me/documents/{doc}",
        base_url(),
        onewindow_api::API_PREFIX
    )
}

/// `DELETE /api/v1/me/documents/{doc}`
pub async fn delete_document(doc: DocumentId) -> ApiResult<()> {
    client().await.delete_document(doc).await
}

/// `POST /api/v1/applications/{id}/materials/{slot}/from-wallet`
pub async fn attach_document(id: CaseId, slot: String, doc: DocumentId) -> ApiResult<FileInfo> {
    client().await.attach_document(id, &slot, doc).await
}

/// `GET /api/v1/me/agents`: authorisations given and received.
pub async fn authorisations() -> ApiResult<Vec<Authorisation>> {
    client().await.authorisations().await
}

/// `POST /api/v1/me/agents`
pub async fn authorise_agent(phone: String) -> ApiResult<Vec<Authorisation>> {
    client().await.authorise_agent(&phone).await
}

/// `DELETE /api/v1/me/agents/{id}`
pub async fn revoke_agent(id: AuthorisationId) -> ApiResult<()> {
    client().await.revoke_agent(id).await
}
