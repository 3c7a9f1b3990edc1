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
use onewindow_api::{ErrorBody, ErrorCode};
use onewindow_client::invoke::invoke;
pub use onewindow_client::invoke::InvokeError;
use onewindow_client::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use onewindow_client::{Client, ClientError, FetchTransport, InvokeTransport};
use std::sync::OnceLock;

pub use onewindow_client::invoke::in_app_shell;

pub type ApiResult<T> = Result<T, ClientError>;

/// How the page reaches the server: in a browser, fetch to the page's own origin (the
/// server serves the page; the session is its HttpOnly cookie); inside the app shell,
/// the shell's `api` command, which adds the session token from the OS keychain.
#[derive(Debug, Clone)]
pub enum Wire {
    Fetch(FetchTransport),
    Shell(InvokeTransport),
}

impl Transport for Wire {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        match self {
            Wire::Fetch(t) => t.send(request).await,
            Wire::Shell(t) => t.send(request).await,
        }
    }
}

static CLIENT: OnceLock<Client<Wire>> = OnceLock::new();

/// The one client of the page. Neither wire lets the page hold a session token.
async fn client() -> &'static Client<Wire> {
    CLIENT.get_or_init(|| {
        let wire = if in_app_shell() {
            Wire::Shell(InvokeTransport)
        } else {
            Wire::Fetch(FetchTransport::new(""))
        };
        Client::with_cookie_session(wire)
    })
}

/// A failed shell command as the pages' error type: the server's own codes pass through
/// (a wrong password reads the same as in the browser); the rest is a network failure.
fn shell_error(e: InvokeError) -> ClientError {
    match serde_json::from_value::<ErrorCode>(serde_json::Value::String(e.code.clone())) {
        Ok(code) => ClientError::Api {
            status: code.http_status(),
            body: ErrorBody::new(code, e.message),
        },
        Err(_) => ClientError::Network(TransportError(e.message)),
    }
}

/// The server the app shell talks to: `Ok(None)` before the first run has chosen one.
pub async fn shell_server() -> ApiResult<Option<String>> {
    invoke("server_url", &serde_json::json!({}))
        .await
        .map_err(shell_error)
}

/// Chooses the app shell's server (checked there: HTTPS except loopback, and a OneWindow
/// server must answer); returns the address as kept. The error's code says which check
/// failed (`invalid_server_url`, `unreachable`).
pub async fn set_shell_server(url: String) -> Result<String, InvokeError> {
    invoke("set_server_url", &serde_json::json!({ "url": url })).await
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

/// Signs in. In a browser the server answers with the session cookie and the client
/// (a cookie-session client) keeps no token; inside the app the shell signs in and
/// keeps the token in the OS keychain.
pub async fn login(req: LoginRequest) -> ApiResult<Account> {
    if in_app_shell() {
        return invoke("login", &serde_json::json!({ "request": req }))
            .await
            .map_err(shell_error);
    }
    Ok(client().await.login(&req).await?.account)
}

/// Registers and signs in, like `login`.
pub async fn register(req: RegisterRequest) -> ApiResult<Account> {
    if in_app_shell() {
        return invoke("register", &serde_json::json!({ "request": req }))
            .await
            .map_err(shell_error);
    }
    Ok(client().await.register(&req).await?.account)
}

/// Signs out: the server revokes the session (and clears the cookie, or the shell
/// deletes the token from the keychain).
pub async fn logout() -> ApiResult<()> {
    if in_app_shell() {
        return invoke("logout", &serde_json::json!({}))
            .await
            .map_err(shell_error);
    }
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
        "{}/applications/export.csv{query}",
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
        "{}/applications/{id}/files/{file}",
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
    format!("{}/me/documents/{doc}", onewindow_api::API_PREFIX)
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

/// `GET /api/v1/me/company/members`
pub async fn company_members() -> ApiResult<Vec<onewindow_api::account::CompanyMember>> {
    client().await.company_members().await
}

/// Confirms (or, with `confirm` false, turns away) someone waiting to join the company.
pub async fn decide_member(user: onewindow_api::ids::UserId, confirm: bool) -> ApiResult<()> {
    client().await.decide_member(user, confirm).await
}
