//! Application routes for applicants: start a draft, save its form, delete it, submit it
//! (idempotently, after the automatic pre-review), withdraw it, and list and read cases.

use crate::applications::{self as service, as_applicant, load, next_state};
use crate::auth::CurrentUser;
use crate::db::applications::{NewApplication, Owner, Transition};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use onewindow_api::account::Role;
use onewindow_api::application::{
    ActionRequest, Application, ApplicationSummary, CreateApplicationRequest, FormValues,
    NoticeTarget, SubmitRequest, UpdateFormRequest, MAX_FIELD_CHARS, MAX_NOTE_CHARS,
    TOO_MANY_DRAFTS,
};
use onewindow_api::case::{CaseAction, CaseState};
use onewindow_api::ids::{is_valid_code, CaseId};
use onewindow_api::prereview::{self, find_case};
use onewindow_api::query::{paging, ApplicationQuery, Page};
use onewindow_api::{ErrorBody, ErrorCode};

/// At most this many form fields are stored, whatever the client sends.
const MAX_FIELDS: usize = 100;

fn check_form(form: &FormValues) -> ApiResult<()> {
    if form.len() > MAX_FIELDS {
        return Err(ApiError::field("form", "too_many", "too many form fields"));
    }
    if let Some((k, _)) = form
        .iter()
        .find(|(k, v)| k.len() > 64 || v.chars().count() > MAX_FIELD_CHARS)
    {
        return Err(ApiError::field(
            &format!("form.{}", k.chars().take(64).collect::<String>()),
            "too_long",
            "this value is too long",
        ));
    }
    Ok(())
}

fn applicant_only(me: &CurrentUser) -> ApiResult<()> {
    match me.user.role {
        Role::Citizen | Role::BusinessMember => Ok(()),
        _ => Err(ApiError::forbidden(
            "only citizens and business members apply",
        )),
    }
}

/// Starts a draft application for a handling case of an item. An applicant with
/// `applications.max_drafts` unsubmitted drafts gets 409 with `details.reason`
/// `too_many_drafts`.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applications", security(("bearer" = [])),
    request_body = CreateApplicationRequest,
    responses((status = 201, body = Application), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<CreateApplicationRequest>,
) -> ApiResult<(StatusCode, ApiJson<Application>)> {
    applicant_only(&me)?;
    check_form(&req.form)?;
    if !is_valid_code(req.item.as_str()) {
        return Err(ApiError::not_found("no such service item"));
    }
    let item = state
        .store
        .service(req.item.as_str())
        .await?
        .ok_or_else(|| ApiError::not_found("no such service item"))?;
    if !item.online.apply_online {
        return Err(ApiError::field(
            "item",
            "not_online",
            "this item cannot be applied for online; book an appointment instead",
        ));
    }
    // An agent (代办) applies for the citizen who authorised them: the case is theirs.
    let (applicant, agent, company) = match req.on_behalf_of {
        Some(principal) if principal != me.user.id => {
            if !state.store.is_agent_of(me.user.id, principal).await? {
                return Err(ApiError::forbidden(
                    "this citizen has not authorised you to apply for them",
                ));
            }
            (principal, Some(me.user.id), None)
        }
        _ => (
            me.user.id,
            None,
            me.user.company.as_ref().map(|c| c.credit_code.as_str()),
        ),
    };
    if find_case(&item, &req.case).is_none() {
        return Err(ApiError::field(
            "case",
            "unknown",
            "this item has no such handling case",
        ));
    }
    let id = state
        .store
        .create_application(&NewApplication {
            item: item.code.as_str(),
            case_code: &req.case,
            department: item.department.as_str(),
            applicant,
            company,
            agent,
            form: &req.form,
            promised_days: item.time_limit.promised_working_days,
            max_drafts: state.config.applications.max_drafts,
        })
        .await?
        .ok_or_else(|| {
            ApiError::Refused(
                ErrorCode::Conflict,
                TOO_MANY_DRAFTS,
                format!(
                    "the applicant already has {} unsubmitted drafts; submit or delete one first",
                    state.config.applications.max_drafts
                ),
            )
        })?;
    let (app, actor) = load(&state, &me, id).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(service::view(&state, app, actor).await?),
    ))
}

/// The applicant's applications (a business member: the company's — the business
/// dashboard), newest first, with optional filters by item, state, light and deadline.
#[utoipa::path(get, path = "/api/v1/applications", tag = "applications", security(("bearer" = [])), params(ApplicationQuery),
    responses((status = 200, body = Page<ApplicationSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<ApplicationQuery>,
) -> ApiResult<ApiJson<Page<ApplicationSummary>>> {
    applicant_only(&me)?;
    let (page, per_page) = paging(q.page, q.per_page);
    Ok(ApiJson(
        service::filtered_list(&state, &owner_of(&me), &q, page, per_page).await?,
    ))
}

/// Whose applications a signed-in applicant lists.
fn owner_of(me: &CurrentUser) -> Owner {
    match &me.user.company {
        Some(c) if me.user.role == Role::BusinessMember => Owner::Company(c.credit_code.clone()),
        _ => Owner::Applicant(me.user.id),
    }
}

/// The same list as CSV (UTF-8 with a byte order mark, so that spreadsheet programs
/// read the Chinese text), all pages, at most 50,000 rows.
#[utoipa::path(get, path = "/api/v1/applications/export.csv", tag = "applications", security(("bearer" = [])), params(ApplicationQuery),
    responses((status = 200, content_type = "text/csv"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export_csv(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<ApplicationQuery>,
) -> ApiResult<impl axum::response::IntoResponse> {
    applicant_only(&me)?;
    let rows = service::filtered_list(&state, &owner_of(&me), &q, 1, 0).await?;
    let csv = service::to_csv(&rows.items);
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"applications.csv\"".to_owned(),
            ),
        ],
        csv,
    ))
}

/// One application with its timeline, notice, deadline and possible actions.
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = Application), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Application>> {
    let (app, actor) = load(&state, &me, CaseId(id)).await?;
    Ok(ApiJson(service::view(&state, app, actor).await?))
}

/// Saves the form of a draft (or of a case awaiting correction).
#[utoipa::path(put, path = "/api/v1/applications/{id}/form", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")), request_body = UpdateFormRequest,
    responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_form(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<UpdateFormRequest>,
) -> ApiResult<ApiJson<Application>> {
    check_form(&req.form)?;
    let (app, actor) = load(&state, &me, CaseId(id)).await?;
    as_applicant(actor)?;
    let changed = prereview::changed_fields(&app.form, &req.form);
    let targets: Vec<NoticeTarget> = changed
        .iter()
        .map(|k| NoticeTarget::Field((*k).to_owned()))
        .collect();
    let audited = service::check_correctable(&state, &app, &targets).await?;
    // A correction's change is audited by the fields it names, never their values.
    let audit = (audited && !changed.is_empty()).then(|| format!("fields: {}", changed.join(", ")));
    if !state
        .store
        .update_form(
            CaseId(id),
            &req.form,
            audit.as_deref().map(|d| (me.user.id, d)),
        )
        .await?
    {
        return Err(ApiError::Coded(
            ErrorCode::InvalidTransition,
            "the form can be changed only in a draft or a correction".into(),
        ));
    }
    let (app, actor) = load(&state, &me, CaseId(id)).await?;
    Ok(ApiJson(service::view(&state, app, actor).await?))
}

/// Deletes a draft.
#[utoipa::path(delete, path = "/api/v1/applications/{id}", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let (_, actor) = load(&state, &me, CaseId(id)).await?;
    as_applicant(actor)?;
    if !state.store.delete_draft(CaseId(id), me.user.id).await? {
        return Err(ApiError::Coded(
            ErrorCode::InvalidTransition,
            "only drafts can be deleted; withdraw a submitted application".into(),
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Submits a draft after the automatic pre-review; a retry with the same key returns the
/// submitted application instead of failing or submitting twice.
#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")), request_body = SubmitRequest,
    responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SubmitRequest>,
) -> ApiResult<ApiJson<Application>> {
    let key = req.idempotency_key.trim();
    if !onewindow_api::check::is_valid_idempotency_key(key) {
        return Err(ApiError::field(
            "idempotency_key",
            "format",
            "use 8 to 64 visible ASCII characters",
        ));
    }
    let (app, actor) = load(&state, &me, CaseId(id)).await?;
    as_applicant(actor)?;
    if app.submit_key.as_deref() == Some(key) {
        return Ok(ApiJson(service::view(&state, app, actor).await?));
    }
    // A draft is submitted; a case awaiting correction is resubmitted (补正后重新提交).
    let action = if app.state == CaseState::CorrectionRequired {
        CaseAction::Resubmit
    } else {
        CaseAction::Submit
    };
    let to = next_state(&app, action, actor)?;
    let item = service::item_of(&state, &app).await?;
    let notice = service::automatic_notice(&state, &app, &item).await?;
    if !notice.is_clear() {
        return Err(ApiError::Coded(
            ErrorCode::PreReviewFailed,
            format!(
                "the pre-review found {} problem(s); the application's notice lists them all",
                notice.problems.len()
            ),
        ));
    }
    let t = Transition {
        from: app.state,
        to,
        action,
        actor: me.user.id,
        note: "",
        asked: &[],
        submit_key: Some(key),
        number: None,
        promised_days: None,
        legal_days: None,
        delivery: None,
        consult: &[],
        notify: &[],
    };
    if !state.store.transition(app.id, &t, Some(&notice)).await? {
        // Someone moved it first: a concurrent retry with the same key is fine.
        let (app, actor) = load(&state, &me, CaseId(id)).await?;
        if app.submit_key.as_deref() != Some(key) {
            return Err(ApiError::Coded(
                ErrorCode::InvalidTransition,
                "the application was already submitted".into(),
            ));
        }
        return Ok(ApiJson(service::view(&state, app, actor).await?));
    }
    let (app, actor) = load(&state, &me, CaseId(id)).await?;
    Ok(ApiJson(service::view(&state, app, actor).await?))
}

/// Withdraws an application before a decision.
#[utoipa::path(post, path = "/api/v1/applications/{id}/withdraw", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")), request_body = ActionRequest,
    responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ActionRequest>,
) -> ApiResult<ApiJson<Application>> {
    applicant_action(&state, &me, CaseId(id), CaseAction::Withdraw, &req.note).await
}

/// Confirms that a mailed result arrived (签收), which completes the case.
#[utoipa::path(post, path = "/api/v1/applications/{id}/confirm-receipt", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")), request_body = ActionRequest,
    responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm_receipt(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ActionRequest>,
) -> ApiResult<ApiJson<Application>> {
    applicant_action(
        &state,
        &me,
        CaseId(id),
        CaseAction::ConfirmDelivery,
        &req.note,
    )
    .await
}

/// An applicant's action that needs nothing but an optional note.
async fn applicant_action(
    state: &AppState,
    me: &CurrentUser,
    id: CaseId,
    action: CaseAction,
    note: &str,
) -> ApiResult<ApiJson<Application>> {
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::field(
            "note",
            "too_long",
            "use at most 1000 characters",
        ));
    }
    let (app, viewer) = load(state, me, id).await?;
    as_applicant(viewer)?;
    let to = next_state(&app, action, viewer)?;
    let t = Transition {
        from: app.state,
        to,
        action,
        actor: me.user.id,
        note: note.trim(),
        asked: &[],
        submit_key: None,
        number: None,
        promised_days: None,
        legal_days: None,
        delivery: None,
        consult: &[],
        notify: &[],
    };
    if !state.store.transition(app.id, &t, None).await? {
        return Err(ApiError::Coded(
            ErrorCode::InvalidTransition,
            "the application changed meanwhile; reload it".into(),
        ));
    }
    let (app, viewer) = load(state, me, id).await?;
    Ok(ApiJson(service::view(state, app, viewer).await?))
}
