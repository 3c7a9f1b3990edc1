//! Back-office routes (role-gated): a department's queue, and the staff actions on a
//! case — accept (assigning the public application number), request a correction with a
//! notice, refuse, start the review, approve or reject with a reason, and hand out the
//! result at a window or by courier. Every action goes through the contract's state
//! machine; an illegal one is a 409.

use crate::applications::{self as service, as_lead, load, next_state, Viewer};
use crate::auth::CurrentUser;
use crate::db::applications::Transition;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::notify;
use crate::state::AppState;
use axum::extract::State;
use chrono::Utc;
use onewindow_api::account::Role;
use onewindow_api::application::{
    Application, ApplicationSummary, AskedCorrection, FileKind, Notice, NoticeProblem,
    NoticeSource, Opinion, OpinionRequest, ResultDelivery, TransitionRequest, MAX_NOTE_CHARS,
};
use onewindow_api::case::{CaseAction, CaseState};
use onewindow_api::catalogue::{Hall, ServiceItem, Window};
use onewindow_api::ids::{CaseId, DepartmentCode};
use onewindow_api::notification::NotificationKind;
use onewindow_api::prereview;
use onewindow_api::query::{paging, Page, SupervisionQuery};
use onewindow_api::{ErrorBody, Text};
use rand::Rng;
use serde::Deserialize;

/// Filters of the department queue.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    pub state: Option<CaseState>,
    /// `true`: the cases other departments consulted this one on (awaiting its opinion
    /// first) instead of its own.
    pub consulted: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

fn department_of(me: &CurrentUser) -> ApiResult<&str> {
    match (me.user.role, me.user.department.as_deref()) {
        (Role::Staff, Some(d)) => Ok(d),
        _ => Err(ApiError::forbidden(
            "only staff of a department see its queue",
        )),
    }
}

/// The department's submitted cases, oldest first, optionally in one state.
#[utoipa::path(get, path = "/api/v1/staff/applications", tag = "staff", security(("bearer" = [])), params(QueueQuery),
    responses((status = 200, body = Page<ApplicationSummary>), (status = 403, body = ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<ApiJson<Page<ApplicationSummary>>> {
    let department = department_of(&me)?;
    let (page, per_page) = paging(q.page, q.per_page);
    if q.consulted == Some(true) {
        let (ids, total) = state
            .store
            .consulted_cases(department, page, per_page)
            .await?;
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            rows.extend(state.store.application(id).await?);
        }
        return Ok(ApiJson(
            service::summary_page(&state, rows, total, page, per_page).await?,
        ));
    }
    let (rows, total) = state
        .store
        .department_queue(department, q.state, page, per_page)
        .await?;
    Ok(ApiJson(
        service::summary_page(&state, rows, total, page, per_page).await?,
    ))
}

fn required(value: &Option<String>, field: &str, what: &str) -> ApiResult<String> {
    match value.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() && v.chars().count() <= 100 => Ok(v.to_owned()),
        _ => Err(ApiError::field(field, "required", what)),
    }
}

/// A six-digit pickup code (取件码).
fn pickup_code() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000))
}

/// Takes a staff action on a case of the department.
#[utoipa::path(post, path = "/api/v1/applications/{id}/transitions", tag = "staff", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")), request_body = TransitionRequest,
    responses((status = 200, body = Application), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transition(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<TransitionRequest>,
) -> ApiResult<ApiJson<Application>> {
    let (app, viewer) = load(&state, &me, CaseId(id)).await?;
    as_lead(viewer)?;
    let note = req.note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::field(
            "note",
            "too_long",
            "use at most 1000 characters",
        ));
    }
    let to = next_state(&app, req.action, viewer)?;
    let mut consult: Vec<String> = Vec::new();
    let mut notice = None;
    // What the timeline keeps beside the staff's note: a correction notice's points.
    let mut asked = Vec::new();
    let mut number = None;
    let mut delivery = None;
    let mut promised_days = None;
    let mut legal_days = None;
    match req.action {
        CaseAction::RequestCorrection => {
            if req.problems.is_empty() || req.problems.len() > 100 {
                return Err(ApiError::field(
                    "problems",
                    "required",
                    "list every problem the applicant must fix",
                ));
            }
            let item = service::item_of(&state, &app).await?;
            let mut named = Vec::with_capacity(req.problems.len());
            for p in &req.problems {
                let Some(name) = prereview::notice_target_name(&item, &app.case_code, &p.target)
                else {
                    return Err(ApiError::field(
                        "problems.target",
                        "unknown",
                        "name a field of the form or a material of this case",
                    ));
                };
                if req.problems.iter().filter(|q| q.target == p.target).count() > 1 {
                    return Err(ApiError::field(
                        "problems.target",
                        "duplicate",
                        "name each field or material once, with everything to fix in it",
                    ));
                }
                named.push(name.clone());
            }
            let problems = req
                .problems
                .iter()
                .map(|p| {
                    let zh = p.message.zh.trim();
                    let en = if p.message.en.trim().is_empty() {
                        zh
                    } else {
                        p.message.en.trim()
                    };
                    if zh.is_empty() || zh.chars().count() > MAX_NOTE_CHARS {
                        return Err(ApiError::field(
                            "problems.message",
                            "required",
                            "say what to fix, in at most 1000 characters",
                        ));
                    }
                    Ok(NoticeProblem {
                        target: p.target.clone(),
                        reason: "staff".into(),
                        message: Text::new(zh, en),
                        source: NoticeSource::Staff,
                    })
                })
                .collect::<ApiResult<Vec<_>>>()?;
            // The notice itself is replaced by the next pre-review once the applicant
            // resubmits; the timeline keeps what it asked for, for good.
            asked = named
                .into_iter()
                .zip(&problems)
                .map(|(name, p)| AskedCorrection {
                    name,
                    message: p.message.clone(),
                })
                .collect();
            notice = Some(Notice { problems });
        }
        CaseAction::Reject | CaseAction::RefuseAcceptance | CaseAction::Suspend
            if note.is_empty() =>
        {
            return Err(ApiError::field(
                "note",
                "required",
                "give the reason; the applicant sees it",
            ));
        }
        CaseAction::StartReview if !req.consult.is_empty() => {
            consult = consulted_departments(&state, &app.department, &req.consult).await?;
        }
        CaseAction::Approve if state.store.pending_opinions(app.id).await? > 0 => {
            return Err(ApiError::Coded(
                onewindow_api::ErrorCode::InvalidTransition,
                "consulted departments have not all given their opinion yet".into(),
            ));
        }
        CaseAction::Accept => {
            // 受理编号: date, department and the case id, unique because the id is.
            let date = Utc::now()
                .with_timezone(&service::offset_of(&state.timezone))
                .format("%Y%m%d");
            number = Some(format!("{date}-{}-{:06}", app.department, app.id.0));
            let item = service::item_of(&state, &app).await?;
            promised_days = Some(item.time_limit.promised_working_days);
            legal_days = Some(item.time_limit.legal_working_days);
        }
        CaseAction::IssueForPickup => {
            let window = required(
                &req.window,
                "window",
                "name the window where the result is picked up",
            )?;
            delivery = Some(ResultDelivery {
                pickup_code: Some(pickup_code()),
                window: Some(window),
                ..Default::default()
            });
        }
        CaseAction::Mail => {
            let courier = required(&req.courier, "courier", "name the courier")?;
            let tracking = required(
                &req.tracking_number,
                "tracking_number",
                "give the tracking number",
            )?;
            delivery = Some(ResultDelivery {
                courier: Some(courier),
                tracking_number: Some(tracking),
                ..Default::default()
            });
        }
        _ => {}
    }
    let notify = match NotificationKind::of_case_action(req.action) {
        Some(kind) => {
            let item = service::item_of(&state, &app).await?;
            let snapshot = state.snapshot();
            let window = delivery.as_ref().and_then(|d| d.window.as_deref());
            let pickup = window.and_then(|w| pickup_place(&item, &snapshot.halls, w));
            let event = notify::CaseEvent {
                kind,
                case: app.id,
                item_name: &item.name,
                number: number.as_deref().or(app.number.as_deref()),
                reason: note,
                due: match req.action {
                    CaseAction::Resume => service::due_once(&state, &app, req.action).await?,
                    CaseAction::RequestCorrection => Some(service::correction_due_after(
                        &state,
                        service::today(&state),
                    )),
                    _ => None,
                },
                problems: notice.as_ref().map(|n| &n.problems[..]).unwrap_or(&[]),
                delivery: delivery.as_ref(),
                pickup,
            };
            notify::case(&event, &service::recipients(&state, &app).await?)
        }
        None => Vec::new(),
    };
    let t = Transition {
        from: app.state,
        to,
        action: req.action,
        actor: me.user.id,
        note,
        asked: &asked,
        submit_key: None,
        number: number.as_deref(),
        promised_days,
        legal_days,
        delivery: delivery.as_ref(),
        consult: &consult,
        notify: &notify,
    };
    if !state.store.transition(app.id, &t, notice.as_ref()).await? {
        return Err(ApiError::Coded(
            onewindow_api::ErrorCode::InvalidTransition,
            "the case changed meanwhile; reload it".into(),
        ));
    }
    let (app, viewer) = load(&state, &me, CaseId(id)).await?;
    if req.action == CaseAction::Accept {
        // Accepted materials go to the applicant's wallet for reuse (电子证照库).
        crate::wallet::keep_case_files(&state, &app, FileKind::Material).await;
    }
    Ok(ApiJson(service::view(&state, app, viewer).await?))
}

/// The hall and window where a result is picked up: the item's venue with that window,
/// else any hall with a window of that code.
fn pickup_place<'a>(
    item: &ServiceItem,
    halls: &'a [Hall],
    window: &str,
) -> Option<(&'a Hall, &'a Window)> {
    let find = |hall: &'a Hall| {
        hall.windows
            .iter()
            .find(|w| w.code == window)
            .map(|w| (hall, w))
    };
    item.venues
        .iter()
        .filter(|v| v.windows.iter().any(|w| w == window))
        .find_map(|v| halls.iter().find(|h| h.code == v.hall).and_then(find))
        .or_else(|| halls.iter().find_map(find))
}

/// Checks the departments to consult: known, not the lead itself, at most ten, each once.
async fn consulted_departments(
    state: &AppState,
    lead: &str,
    wanted: &[DepartmentCode],
) -> ApiResult<Vec<String>> {
    if wanted.len() > 10 {
        return Err(ApiError::field(
            "consult",
            "too_many",
            "consult at most ten departments",
        ));
    }
    let known = state.store.departments().await?;
    let mut out: Vec<String> = Vec::new();
    for d in wanted {
        let code = d.as_str();
        if code == lead || !known.iter().any(|k| k.code.as_str() == code) {
            return Err(ApiError::field(
                "consult",
                "unknown",
                "name other existing departments to consult",
            ));
        }
        if !out.iter().any(|c| c == code) {
            out.push(code.to_owned());
        }
    }
    Ok(out)
}

/// A consulted department's opinion in a parallel review (并联审批), given once.
#[utoipa::path(post, path = "/api/v1/applications/{id}/opinions", tag = "staff", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")), request_body = OpinionRequest,
    responses((status = 200, body = Application), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn opinion(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<OpinionRequest>,
) -> ApiResult<ApiJson<Application>> {
    let (app, viewer) = load(&state, &me, CaseId(id)).await?;
    if viewer != Viewer::Consulted {
        return Err(ApiError::forbidden(
            "only a consulted department gives an opinion",
        ));
    }
    let note = req.note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::field(
            "note",
            "too_long",
            "use at most 1000 characters",
        ));
    }
    if req.opinion == Opinion::Disagree && note.is_empty() {
        return Err(ApiError::field(
            "note",
            "required",
            "say why the department disagrees",
        ));
    }
    let department = me.user.department.as_deref().unwrap_or_default();
    if !state
        .store
        .record_opinion(app.id, department, req.opinion, note, me.user.id)
        .await?
    {
        return Err(ApiError::Coded(
            onewindow_api::ErrorCode::InvalidTransition,
            "the opinion was already given, or the case is no longer under review".into(),
        ));
    }
    let (app, viewer) = load(&state, &me, CaseId(id)).await?;
    Ok(ApiJson(service::view(&state, app, viewer).await?))
}

/// Running cases near (yellow) or past (red) their deadline, most urgent first: staff see
/// their department's; supervisors (admin) any department's, or all.
#[utoipa::path(get, path = "/api/v1/staff/supervision", tag = "staff", security(("bearer" = [])), params(SupervisionQuery),
    responses((status = 200, body = Vec<ApplicationSummary>), (status = 403, body = ErrorBody)))]
pub async fn supervision(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<SupervisionQuery>,
) -> ApiResult<ApiJson<Vec<ApplicationSummary>>> {
    let department = match me.user.role {
        Role::Admin => q.department.as_ref().map(|d| d.as_str().to_owned()),
        _ => Some(department_of(&me)?.to_owned()),
    };
    Ok(ApiJson(
        service::supervision(&state, department.as_deref(), q.light).await?,
    ))
}
