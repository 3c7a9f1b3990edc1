//! The one typed client of the OneWindow API. Every endpoint is written once here, over
//! the `Transport` trait: reqwest natively (`native`), fetch in the browser (`fetch`),
//! and Tauri's invoke inside the app shell.

pub mod transport;

#[cfg(feature = "fetch")]
mod fetch;
#[cfg(feature = "invoke")]
pub mod invoke;
#[cfg(feature = "native")]
mod native;

#[cfg(feature = "fetch")]
pub use fetch::FetchTransport;
#[cfg(feature = "invoke")]
pub use invoke::InvokeTransport;
#[cfg(feature = "native")]
pub use native::ReqwestTransport;

use onewindow_api::account::{
    Account, CompanyMember, LoginRequest, RegisterRequest, SessionResponse,
};
use onewindow_api::application::{
    ActionRequest, Application, ApplicationSummary, CreateApplicationRequest, FormValues,
    SubmitRequest, UpdateFormRequest,
};
use onewindow_api::application::{
    FileInfo, LookupRequest, LookupResponse, OpinionRequest, TransitionRequest,
};
use onewindow_api::booking::{
    BlockRequest, Booking, BookingRequest, CheckInRequest, DayList, DayQuery, OpenSlot,
    RescheduleRequest, SlotQuery,
};
use onewindow_api::case::CaseState;
use onewindow_api::catalogue::{Department, Hall, ServiceItem, ServiceSummary, Theme};
use onewindow_api::ids::{
    AuthorisationId, BookingId, CaseId, DocumentId, FileId, NotificationId, RatingId, ThreadId,
    UserId,
};
use onewindow_api::notification::{
    Delivery, DeviceRegistration, NotificationList, NotificationQuery, NotificationSettings,
    PushSubscription, VapidKey,
};
use onewindow_api::query::{
    ApplicationQuery, CorpusEntry, Health, Page, SearchQuery, SearchResponse, ServiceQuery,
    SupervisionQuery,
};
use onewindow_api::rating::{
    AnswerRequest, Rating, RatingRequest, RectificationQuery, VerdictRequest,
};
use onewindow_api::stats::{Stats, StatsQuery};
use onewindow_api::thread::{
    MessageRequest, NewThreadRequest, Thread, ThreadAttachment, ThreadQuery,
};
use onewindow_api::wallet::{AttachRequest, Authorisation, GrantRequest, WalletDocument};
use onewindow_api::{ErrorBody, ErrorCode, API_PREFIX};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::RwLock;
use transport::{HttpRequest, Method, Transport, TransportError};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error body.
    #[error("{body} (HTTP {status})")]
    Api { status: u16, body: ErrorBody },
    /// No answer: offline, unreachable, aborted.
    #[error("network: {0}")]
    Network(#[from] TransportError),
    /// An answer that is not what the contract says.
    #[error("unexpected response (HTTP {status}): {message}")]
    Unexpected { status: u16, message: String },
}

impl ClientError {
    /// The stable error code, when the server sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { body, .. } => Some(body.code),
            _ => None,
        }
    }

    /// Which of several refusals with one code this is (`details.reason`), if the server said.
    pub fn reason(&self) -> Option<&str> {
        match self {
            ClientError::Api { body, .. } => body.details.reason.as_deref(),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } | ClientError::Unexpected { status, .. } => {
                Some(*status)
            }
            ClientError::Network(_) => None,
        }
    }
}

pub type ClientResult<T> = Result<T, ClientError>;

/// The API client. Holds the session token after register or login (not used inside
/// the Tauri shell, where the Rust side keeps the token in the OS keychain).
#[derive(Debug)]
pub struct Client<T: Transport> {
    transport: T,
    token: RwLock<Option<String>>,
    /// The session lives in a cookie the transport carries (the browser front-end): the
    /// client never keeps the token that login returns.
    cookie_session: bool,
}

fn query_string<Q: Serialize>(q: &Q) -> String {
    match serde_urlencoded::to_string(q) {
        Ok(s) if !s.is_empty() => format!("?{s}"),
        _ => String::new(),
    }
}

/// A JSON answer; an empty body reads as `null` (for `()`).
fn json_of<R: DeserializeOwned>(bytes: &[u8]) -> ClientResult<R> {
    let bytes = if bytes.is_empty() { b"null" } else { bytes };
    serde_json::from_slice(bytes).map_err(|e| ClientError::Unexpected {
        status: 200,
        message: e.to_string(),
    })
}

/// Path segments are codes, but encode them anyway so that no input can change the path.
fn segment(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e[1..].to_owned())
        .unwrap_or_default()
}

impl<T: Transport> Client<T> {
    pub fn new(transport: T) -> Client<T> {
        Client {
            transport,
            token: RwLock::new(None),
            cookie_session: false,
        }
    }

    /// A client whose session is the server's HttpOnly cookie, which the browser sends by
    /// itself: login and register never keep the token in page memory.
    pub fn with_cookie_session(transport: T) -> Client<T> {
        Client {
            cookie_session: true,
            ..Client::new(transport)
        }
    }

    /// Keeps the token of a new session, unless the session is a cookie.
    fn keep(&self, s: &SessionResponse) {
        if !self.cookie_session {
            self.set_token(Some(s.token.clone()));
        }
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn token(&self) -> Option<String> {
        self.token.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set_token(&self, token: Option<String>) {
        *self.token.write().unwrap_or_else(|e| e.into_inner()) = token;
    }

    async fn call<B: Serialize, R: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> ClientResult<R> {
        let bytes = self.call_raw(method, path, body).await?;
        json_of(&bytes)
    }

    async fn call_raw<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> ClientResult<Vec<u8>> {
        let body = match body {
            Some(b) => Some(serde_json::to_vec(b).map_err(|e| ClientError::Unexpected {
                status: 0,
                message: e.to_string(),
            })?),
            None => None,
        };
        let request = HttpRequest {
            method,
            path: path.to_owned(),
            body,
            content_type: None,
            token: self.token(),
        };
        self.exchange(request).await
    }

    async fn exchange(&self, request: HttpRequest) -> ClientResult<Vec<u8>> {
        let response = self.transport.send(request).await?;
        if (200..300).contains(&response.status) {
            return Ok(response.body);
        }
        match serde_json::from_slice::<ErrorBody>(&response.body) {
            Ok(body) => Err(ClientError::Api {
                status: response.status,
                body,
            }),
            Err(_) => Err(ClientError::Unexpected {
                status: response.status,
                message: response.text().chars().take(200).collect(),
            }),
        }
    }

    /// Uploads a file's bytes to `path` and reads the answer (what was stored).
    async fn upload<R: DeserializeOwned>(&self, path: String, bytes: Vec<u8>) -> ClientResult<R> {
        let request = HttpRequest {
            method: Method::Post,
            path,
            body: Some(bytes),
            content_type: Some("application/octet-stream"),
            token: self.token(),
        };
        json_of(&self.exchange(request).await?)
    }

    /// Downloads bytes (a file, a CSV export).
    async fn download(&self, path: String) -> ClientResult<Vec<u8>> {
        self.call_raw::<()>(Method::Get, &path, None).await
    }

    async fn get<R: DeserializeOwned>(&self, path: &str) -> ClientResult<R> {
        self.call::<(), R>(Method::Get, path, None).await
    }

    /// `GET /healthz`
    pub async fn health(&self) -> ClientResult<Health> {
        self.get("/healthz").await
    }

    /// `GET /api/v1/services`
    pub async fn services(&self, q: &ServiceQuery) -> ClientResult<Page<ServiceSummary>> {
        self.get(&format!("{API_PREFIX}/services{}", query_string(q)))
            .await
    }

    /// `GET /api/v1/services/{code}`
    pub async fn service(&self, code: &str) -> ClientResult<ServiceItem> {
        self.get(&format!("{API_PREFIX}/services/{}", segment(code)))
            .await
    }

    /// `GET /api/v1/departments`
    pub async fn departments(&self) -> ClientResult<Vec<Department>> {
        self.get(&format!("{API_PREFIX}/departments")).await
    }

    /// `GET /api/v1/themes`
    pub async fn themes(&self) -> ClientResult<Vec<Theme>> {
        self.get(&format!("{API_PREFIX}/themes")).await
    }

    /// `GET /api/v1/halls`
    pub async fn halls(&self) -> ClientResult<Vec<Hall>> {
        self.get(&format!("{API_PREFIX}/halls")).await
    }

    /// `GET /api/v1/search`
    pub async fn search(&self, q: &SearchQuery) -> ClientResult<SearchResponse> {
        self.get(&format!("{API_PREFIX}/search{}", query_string(q)))
            .await
    }

    /// `GET /api/v1/search/corpus`: every item with its keywords, for offline search.
    pub async fn search_corpus(&self) -> ClientResult<Vec<CorpusEntry>> {
        self.get(&format!("{API_PREFIX}/search/corpus")).await
    }

    /// `POST /api/v1/auth/register`; keeps the new session's token.
    pub async fn register(&self, req: &RegisterRequest) -> ClientResult<SessionResponse> {
        let s: SessionResponse = self
            .call(
                Method::Post,
                &format!("{API_PREFIX}/auth/register"),
                Some(req),
            )
            .await?;
        self.keep(&s);
        Ok(s)
    }

    /// `POST /api/v1/auth/login`; keeps the new session's token.
    pub async fn login(&self, req: &LoginRequest) -> ClientResult<SessionResponse> {
        let s: SessionResponse = self
            .call(Method::Post, &format!("{API_PREFIX}/auth/login"), Some(req))
            .await?;
        self.keep(&s);
        Ok(s)
    }

    /// `POST /api/v1/auth/logout`; forgets the token.
    pub async fn logout(&self) -> ClientResult<()> {
        self.call_raw::<()>(Method::Post, &format!("{API_PREFIX}/auth/logout"), None)
            .await?;
        self.set_token(None);
        Ok(())
    }

    /// `GET /api/v1/me`
    pub async fn me(&self) -> ClientResult<Account> {
        self.get(&format!("{API_PREFIX}/me")).await
    }

    /// `POST /api/v1/applications`
    pub async fn create_application(
        &self,
        req: &CreateApplicationRequest,
    ) -> ClientResult<Application> {
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/applications"),
            Some(req),
        )
        .await
    }

    /// `GET /api/v1/applications`: one page, unfiltered.
    pub async fn applications(
        &self,
        page: u32,
        per_page: u32,
    ) -> ClientResult<Page<ApplicationSummary>> {
        self.applications_filtered(&ApplicationQuery {
            page: Some(page),
            per_page: Some(per_page),
            ..Default::default()
        })
        .await
    }

    /// `GET /api/v1/applications/{id}`
    pub async fn application(&self, id: CaseId) -> ClientResult<Application> {
        self.get(&format!("{API_PREFIX}/applications/{id}")).await
    }

    /// `PUT /api/v1/applications/{id}/form`
    pub async fn update_form(&self, id: CaseId, form: &FormValues) -> ClientResult<Application> {
        let body = UpdateFormRequest { form: form.clone() };
        self.call(
            Method::Put,
            &format!("{API_PREFIX}/applications/{id}/form"),
            Some(&body),
        )
        .await
    }

    /// `DELETE /api/v1/applications/{id}`
    pub async fn delete_application(&self, id: CaseId) -> ClientResult<()> {
        self.call_raw::<()>(
            Method::Delete,
            &format!("{API_PREFIX}/applications/{id}"),
            None,
        )
        .await
        .map(|_| ())
    }

    /// `POST /api/v1/applications/{id}/submit`; retry with the same key after a lost answer.
    pub async fn submit_application(
        &self,
        id: CaseId,
        idempotency_key: &str,
    ) -> ClientResult<Application> {
        let body = SubmitRequest {
            idempotency_key: idempotency_key.to_owned(),
        };
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/applications/{id}/submit"),
            Some(&body),
        )
        .await
    }

    /// `POST /api/v1/applications/{id}/withdraw`
    pub async fn withdraw_application(&self, id: CaseId, note: &str) -> ClientResult<Application> {
        let body = ActionRequest {
            note: note.to_owned(),
        };
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/applications/{id}/withdraw"),
            Some(&body),
        )
        .await
    }

    /// `POST /api/v1/applications/{id}/materials/{slot}`: uploads one file's bytes; the
    /// server tells its type from the bytes, `name` is for display only.
    pub async fn upload_material(
        &self,
        id: CaseId,
        slot: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> ClientResult<FileInfo> {
        let query = serde_urlencoded::to_string([("name", name)]).unwrap_or_default();
        let path = format!(
            "{API_PREFIX}/applications/{id}/materials/{}?{query}",
            segment(slot)
        );
        self.upload(path, bytes).await
    }

    /// `GET /api/v1/applications/{id}/files/{file}`: a file's bytes.
    pub async fn download_file(&self, id: CaseId, file: FileId) -> ClientResult<Vec<u8>> {
        self.download(format!("{API_PREFIX}/applications/{id}/files/{file}"))
            .await
    }

    /// `POST /api/v1/applications/{id}/result`: staff issue a result document.
    pub async fn upload_result(
        &self,
        id: CaseId,
        name: &str,
        bytes: Vec<u8>,
    ) -> ClientResult<FileInfo> {
        let query = serde_urlencoded::to_string([("name", name)]).unwrap_or_default();
        self.upload(
            format!("{API_PREFIX}/applications/{id}/result?{query}"),
            bytes,
        )
        .await
    }

    /// `POST /api/v1/applications/{id}/confirm-receipt`: a mailed result arrived.
    pub async fn confirm_receipt(&self, id: CaseId) -> ClientResult<Application> {
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/applications/{id}/confirm-receipt"),
            Some(&ActionRequest::default()),
        )
        .await
    }

    /// `GET /api/v1/applications` with filters (the business dashboard).
    pub async fn applications_filtered(
        &self,
        q: &ApplicationQuery,
    ) -> ClientResult<Page<ApplicationSummary>> {
        self.get(&format!("{API_PREFIX}/applications{}", query_string(q)))
            .await
    }

    /// `GET /api/v1/applications/export.csv`: the filtered list as CSV.
    pub async fn export_applications(&self, q: &ApplicationQuery) -> ClientResult<Vec<u8>> {
        let mut q = q.clone();
        q.page = None;
        q.per_page = None;
        self.download(format!(
            "{API_PREFIX}/applications/export.csv{}",
            query_string(&q)
        ))
        .await
    }

    /// `POST /api/v1/applications/{id}/opinions`: a consulted department's opinion.
    pub async fn give_opinion(
        &self,
        id: CaseId,
        req: &OpinionRequest,
    ) -> ClientResult<Application> {
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/applications/{id}/opinions"),
            Some(req),
        )
        .await
    }

    /// `GET /api/v1/staff/applications?consulted=true`: cases other departments consult
    /// this one on.
    pub async fn consulted_queue(
        &self,
        page: u32,
        per_page: u32,
    ) -> ClientResult<Page<ApplicationSummary>> {
        self.get(&format!(
            "{API_PREFIX}/staff/applications?consulted=true&page={page}&per_page={per_page}"
        ))
        .await
    }

    /// `GET /api/v1/staff/supervision`: yellow and red cases, most urgent first.
    pub async fn supervision(&self, q: &SupervisionQuery) -> ClientResult<Vec<ApplicationSummary>> {
        self.get(&format!(
            "{API_PREFIX}/staff/supervision{}",
            query_string(q)
        ))
        .await
    }

    /// `GET /api/v1/me/documents`: the wallet.
    pub async fn documents(&self) -> ClientResult<Vec<WalletDocument>> {
        self.get(&format!("{API_PREFIX}/me/documents")).await
    }

    /// `GET /api/v1/me/documents/{doc}`: a kept document's bytes.
    pub async fn download_document(&self, doc: DocumentId) -> ClientResult<Vec<u8>> {
        self.download(format!("{API_PREFIX}/me/documents/{doc}"))
            .await
    }

    /// `DELETE /api/v1/me/documents/{doc}`
    pub async fn delete_document(&self, doc: DocumentId) -> ClientResult<()> {
        self.call_raw::<()>(
            Method::Delete,
            &format!("{API_PREFIX}/me/documents/{doc}"),
            None,
        )
        .await
        .map(|_| ())
    }

    /// `POST /api/v1/applications/{id}/materials/{slot}/from-wallet`
    pub async fn attach_document(
        &self,
        id: CaseId,
        slot: &str,
        document: DocumentId,
    ) -> ClientResult<FileInfo> {
        self.call(
            Method::Post,
            &format!(
                "{API_PREFIX}/applications/{id}/materials/{}/from-wallet",
                segment(slot)
            ),
            Some(&AttachRequest { document }),
        )
        .await
    }

    /// `GET /api/v1/me/agents`
    pub async fn authorisations(&self) -> ClientResult<Vec<Authorisation>> {
        self.get(&format!("{API_PREFIX}/me/agents")).await
    }

    /// `POST /api/v1/me/agents`: authorises the account with this phone number.
    pub async fn authorise_agent(&self, agent_phone: &str) -> ClientResult<Vec<Authorisation>> {
        let body = GrantRequest {
            agent_phone: agent_phone.to_owned(),
        };
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/me/agents"),
            Some(&body),
        )
        .await
    }

    /// `DELETE /api/v1/me/agents/{auth}`
    pub async fn revoke_agent(&self, auth: AuthorisationId) -> ClientResult<()> {
        self.call_raw::<()>(
            Method::Delete,
            &format!("{API_PREFIX}/me/agents/{auth}"),
            None,
        )
        .await
        .map(|_| ())
    }

    /// `GET /api/v1/me/company/members`: the company's members and those waiting to join.
    pub async fn company_members(&self) -> ClientResult<Vec<CompanyMember>> {
        self.get(&format!("{API_PREFIX}/me/company/members")).await
    }

    /// `POST /api/v1/me/company/members/{user}/confirm`, or with `confirm` false
    /// `DELETE /api/v1/me/company/members/{user}` (turned away).
    pub async fn decide_member(&self, user: UserId, confirm: bool) -> ClientResult<()> {
        let (method, path) = if confirm {
            (
                Method::Post,
                format!("{API_PREFIX}/me/company/members/{user}/confirm"),
            )
        } else {
            (
                Method::Delete,
                format!("{API_PREFIX}/me/company/members/{user}"),
            )
        };
        self.call_raw::<()>(method, &path, None).await.map(|_| ())
    }

    /// `DELETE /api/v1/applications/{id}/files/{file}`
    pub async fn remove_file(&self, id: CaseId, file: FileId) -> ClientResult<()> {
        self.call_raw::<()>(
            Method::Delete,
            &format!("{API_PREFIX}/applications/{id}/files/{file}"),
            None,
        )
        .await
        .map(|_| ())
    }

    /// `GET /api/v1/staff/applications`: the department's queue, optionally in one state.
    pub async fn staff_queue(
        &self,
        state: Option<CaseState>,
        page: u32,
        per_page: u32,
    ) -> ClientResult<Page<ApplicationSummary>> {
        let filter = state
            .map(|s| format!("&state={}", s.as_str()))
            .unwrap_or_default();
        self.get(&format!(
            "{API_PREFIX}/staff/applications?page={page}&per_page={per_page}{filter}"
        ))
        .await
    }

    /// `POST /api/v1/applications/{id}/transitions`: a staff action.
    pub async fn transition(
        &self,
        id: CaseId,
        req: &TransitionRequest,
    ) -> ClientResult<Application> {
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/applications/{id}/transitions"),
            Some(req),
        )
        .await
    }

    /// `POST /api/v1/lookup`: progress without an account.
    pub async fn lookup(&self, req: &LookupRequest) -> ClientResult<LookupResponse> {
        self.call(Method::Post, &format!("{API_PREFIX}/lookup"), Some(req))
            .await
    }

    /// `GET /api/v1/services/{code}/slots`: open slots at one hall or the earliest anywhere.
    pub async fn slots(&self, item: &str, q: &SlotQuery) -> ClientResult<Vec<OpenSlot>> {
        self.get(&format!(
            "{API_PREFIX}/services/{}/slots{}",
            segment(item),
            query_string(q)
        ))
        .await
    }

    /// `POST /api/v1/bookings`; retry with the same key after a lost answer.
    pub async fn book(&self, req: &BookingRequest) -> ClientResult<Booking> {
        self.call(Method::Post, &format!("{API_PREFIX}/bookings"), Some(req))
            .await
    }

    /// `GET /api/v1/bookings`
    pub async fn bookings(&self) -> ClientResult<Vec<Booking>> {
        self.get(&format!("{API_PREFIX}/bookings")).await
    }

    /// `GET /api/v1/bookings/{id}`
    pub async fn booking(&self, id: BookingId) -> ClientResult<Booking> {
        self.get(&format!("{API_PREFIX}/bookings/{id}")).await
    }

    /// `POST /api/v1/bookings/{id}/cancel`
    pub async fn cancel_booking(&self, id: BookingId) -> ClientResult<Booking> {
        self.call::<(), Booking>(
            Method::Post,
            &format!("{API_PREFIX}/bookings/{id}/cancel"),
            None,
        )
        .await
    }

    /// `GET /api/v1/bookings/{id}/calendar.ics`: the calendar file's bytes.
    pub async fn booking_calendar(&self, id: BookingId) -> ClientResult<Vec<u8>> {
        self.download(format!("{API_PREFIX}/bookings/{id}/calendar.ics"))
            .await
    }

    /// `POST /api/v1/bookings/{id}/reschedule`
    pub async fn reschedule_booking(
        &self,
        id: BookingId,
        req: &RescheduleRequest,
    ) -> ClientResult<Booking> {
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/bookings/{id}/reschedule"),
            Some(req),
        )
        .await
    }

    /// `POST /api/v1/staff/check-in`: gives the queue ticket.
    pub async fn check_in(&self, code: &str) -> ClientResult<Booking> {
        let body = CheckInRequest {
            code: code.to_owned(),
        };
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/staff/check-in"),
            Some(&body),
        )
        .await
    }

    /// `GET /api/v1/staff/bookings`: a hall's day at the staff member's windows.
    pub async fn staff_day(&self, q: &DayQuery) -> ClientResult<DayList> {
        self.get(&format!("{API_PREFIX}/staff/bookings{}", query_string(q)))
            .await
    }

    /// `POST /api/v1/staff/bookings/{id}/no-show`
    pub async fn mark_no_show(&self, id: BookingId) -> ClientResult<Booking> {
        self.call::<(), Booking>(
            Method::Post,
            &format!("{API_PREFIX}/staff/bookings/{id}/no-show"),
            None,
        )
        .await
    }

    /// `POST /api/v1/staff/blocks`: closes a period for booking.
    pub async fn block_period(&self, req: &BlockRequest) -> ClientResult<()> {
        self.call_raw(
            Method::Post,
            &format!("{API_PREFIX}/staff/blocks"),
            Some(req),
        )
        .await
        .map(|_| ())
    }

    /// `GET /api/v1/notifications`: newest first, with the unread count.
    pub async fn notifications(&self, q: &NotificationQuery) -> ClientResult<NotificationList> {
        self.get(&format!("{API_PREFIX}/notifications{}", query_string(q)))
            .await
    }

    /// `POST /api/v1/notifications/{id}/read`
    pub async fn mark_read(&self, id: NotificationId) -> ClientResult<()> {
        self.call_raw::<()>(
            Method::Post,
            &format!("{API_PREFIX}/notifications/{id}/read"),
            None,
        )
        .await
        .map(|_| ())
    }

    /// `POST /api/v1/notifications/read-all`
    pub async fn mark_all_read(&self) -> ClientResult<()> {
        self.call_raw::<()>(
            Method::Post,
            &format!("{API_PREFIX}/notifications/read-all"),
            None,
        )
        .await
        .map(|_| ())
    }

    /// `POST /api/v1/applications/{id}/rating`: rates a completed case.
    pub async fn rate_case(&self, id: CaseId, req: &RatingRequest) -> ClientResult<Rating> {
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/applications/{id}/rating"),
            Some(req),
        )
        .await
    }

    /// `POST /api/v1/bookings/{id}/rating`: rates an attended appointment.
    pub async fn rate_booking(&self, id: BookingId, req: &RatingRequest) -> ClientResult<Rating> {
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/bookings/{id}/rating"),
            Some(req),
        )
        .await
    }

    /// `GET /api/v1/me/ratings`
    pub async fn my_ratings(&self) -> ClientResult<Vec<Rating>> {
        self.get(&format!("{API_PREFIX}/me/ratings")).await
    }

    /// `GET /api/v1/ratings/{id}`
    pub async fn rating(&self, id: RatingId) -> ClientResult<Rating> {
        self.get(&format!("{API_PREFIX}/ratings/{id}")).await
    }

    /// `POST /api/v1/ratings/{id}/verdict`: whether the department's answer solved it.
    pub async fn rating_verdict(&self, id: RatingId, req: &VerdictRequest) -> ClientResult<Rating> {
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/ratings/{id}/verdict"),
            Some(req),
        )
        .await
    }

    /// `GET /api/v1/staff/rectifications`
    pub async fn rectifications(&self, q: &RectificationQuery) -> ClientResult<Page<Rating>> {
        self.get(&format!(
            "{API_PREFIX}/staff/rectifications{}",
            query_string(q)
        ))
        .await
    }

    /// `POST /api/v1/staff/rectifications/{id}/answer`
    pub async fn answer_rectification(
        &self,
        id: RatingId,
        req: &AnswerRequest,
    ) -> ClientResult<Rating> {
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/staff/rectifications/{id}/answer"),
            Some(req),
        )
        .await
    }

    /// `GET /api/v1/stats`: public statistics over a period.
    pub async fn stats(&self, q: &StatsQuery) -> ClientResult<Stats> {
        self.get(&format!("{API_PREFIX}/stats{}", query_string(q)))
            .await
    }

    /// `POST /api/v1/threads`: asks a question or files a complaint.
    pub async fn open_thread(&self, req: &NewThreadRequest) -> ClientResult<Thread> {
        self.call(Method::Post, &format!("{API_PREFIX}/threads"), Some(req))
            .await
    }

    /// `GET /api/v1/me/threads`
    pub async fn my_threads(&self, q: &ThreadQuery) -> ClientResult<Page<Thread>> {
        self.get(&format!("{API_PREFIX}/me/threads{}", query_string(q)))
            .await
    }

    /// `GET /api/v1/threads/{id}`
    pub async fn thread(&self, id: ThreadId) -> ClientResult<Thread> {
        self.get(&format!("{API_PREFIX}/threads/{id}")).await
    }

    /// `POST /api/v1/threads/{id}/messages`
    pub async fn post_message(&self, id: ThreadId, text: &str) -> ClientResult<Thread> {
        let req = MessageRequest { text: text.into() };
        self.call(
            Method::Post,
            &format!("{API_PREFIX}/threads/{id}/messages"),
            Some(&req),
        )
        .await
    }

    /// `POST /api/v1/threads/{id}/close`
    pub async fn close_thread(&self, id: ThreadId) -> ClientResult<Thread> {
        self.call::<(), Thread>(
            Method::Post,
            &format!("{API_PREFIX}/threads/{id}/close"),
            None,
        )
        .await
    }

    /// `POST /api/v1/threads/{id}/attachments`: attaches a file's bytes.
    pub async fn attach_to_thread(
        &self,
        id: ThreadId,
        name: &str,
        bytes: Vec<u8>,
    ) -> ClientResult<ThreadAttachment> {
        let query = serde_urlencoded::to_string([("name", name)]).unwrap_or_default();
        self.upload(
            format!("{API_PREFIX}/threads/{id}/attachments?{query}"),
            bytes,
        )
        .await
    }

    /// `GET /api/v1/threads/{id}/attachments/{file}`: an attachment's bytes.
    pub async fn thread_attachment(&self, id: ThreadId, file: FileId) -> ClientResult<Vec<u8>> {
        self.download(format!("{API_PREFIX}/threads/{id}/attachments/{file}"))
            .await
    }

    /// `GET /api/v1/staff/threads`
    pub async fn staff_threads(&self, q: &ThreadQuery) -> ClientResult<Page<Thread>> {
        self.get(&format!("{API_PREFIX}/staff/threads{}", query_string(q)))
            .await
    }

    /// `GET /api/v1/push/vapid-public-key`
    pub async fn vapid_public_key(&self) -> ClientResult<VapidKey> {
        self.get(&format!("{API_PREFIX}/push/vapid-public-key"))
            .await
    }

    /// `POST /api/v1/me/push-subscriptions`
    pub async fn push_subscribe(&self, s: &PushSubscription) -> ClientResult<()> {
        self.call_raw(
            Method::Post,
            &format!("{API_PREFIX}/me/push-subscriptions"),
            Some(s),
        )
        .await
        .map(|_| ())
    }

    /// `POST /api/v1/me/devices`: the app's token at a mobile push gateway.
    pub async fn register_device(&self, d: &DeviceRegistration) -> ClientResult<()> {
        self.call_raw(Method::Post, &format!("{API_PREFIX}/me/devices"), Some(d))
            .await
            .map(|_| ())
    }

    /// `GET /api/v1/me/notification-settings`
    pub async fn notification_settings(&self) -> ClientResult<NotificationSettings> {
        self.get(&format!("{API_PREFIX}/me/notification-settings"))
            .await
    }

    /// `PUT /api/v1/me/notification-settings`
    pub async fn set_notification_settings(
        &self,
        s: &NotificationSettings,
    ) -> ClientResult<NotificationSettings> {
        self.call(
            Method::Put,
            &format!("{API_PREFIX}/me/notification-settings"),
            Some(s),
        )
        .await
    }

    /// `GET /api/v1/notifications/{id}/deliveries`
    pub async fn deliveries(&self, id: NotificationId) -> ClientResult<Vec<Delivery>> {
        self.get(&format!("{API_PREFIX}/notifications/{id}/deliveries"))
            .await
    }

    /// Sends a raw request, for tests of malformed input.
    pub async fn raw(&self, request: HttpRequest) -> ClientResult<transport::HttpResponse> {
        Ok(self.transport.send(request).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_and_segments() {
        let q = ServiceQuery {
            department: Some("PSB".into()),
            page: Some(2),
            ..Default::default()
        };
        assert_eq!(query_string(&q), "?department=PSB&page=2");
        assert_eq!(query_string(&ServiceQuery::default()), "");
        assert_eq!(segment("a/b?c"), "a%2Fb%3Fc");
    }
}
