//! Ratings (好差评): the citizen rates a completed case or an attended appointment once;
//! a bad rating opens a rectification that staff of the department answer, and the
//! citizen says whether the answer solved it. Nobody edits or deletes a rating.

use crate::applications::{load, Viewer};
use crate::auth::CurrentUser;
use crate::db::notifications::NewNotification;
use crate::db::ratings::{NewRating, RatingRow};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use onewindow_api::account::Role;
use onewindow_api::booking::BookingState;
use onewindow_api::ids::{BookingId, CaseId, DepartmentCode, RatingId};
use onewindow_api::notification::NotificationKind;
use onewindow_api::query::{paging, Page};
use onewindow_api::rating::{
    case_can_be_rated, AnswerRequest, Rating, RatingRequest, RatingSubject, RectificationQuery,
    RectificationState, RectificationStep, VerdictRequest, MAX_COMMENT_CHARS,
};
use onewindow_api::{ErrorBody, ErrorCode, Text};

/// The longest answer of a department, in characters.
const MAX_ANSWER_CHARS: usize = 1000;

async fn view(state: &AppState, r: RatingRow) -> ApiResult<Rating> {
    let item = state.item(&r.item).await?;
    Ok(Rating {
        id: r.id,
        subject: r.subject,
        item: r.item.as_str().into(),
        item_name: item.map(|i| i.name.clone()).unwrap_or_default(),
        department: DepartmentCode::from(r.department.as_str()),
        level: r.level,
        dimensions: r.dimensions,
        comment: r.comment,
        created_at: crate::db::rfc3339(r.created_at),
        rectification: state.store.rectification(r.id).await?,
    })
}

/// Checks the request and records the rating; 409 if the subject was rated before.
async fn record(
    state: &AppState,
    me: &CurrentUser,
    subject: RatingSubject,
    (department, item): (&str, &str),
    req: &RatingRequest,
) -> ApiResult<(StatusCode, ApiJson<Rating>)> {
    let problems = req.problems();
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let made = state
        .store
        .rate(&NewRating {
            subject,
            citizen: me.user.id,
            department,
            item,
            level: req.level,
            dimensions: &req.dimensions,
            comment: req.comment.trim(),
        })
        .await?
        .ok_or_else(|| ApiError::conflict("this has been rated already; a rating is given once"))?;
    let row = state
        .store
        .rating(made)
        .await?
        .ok_or_else(|| anyhow::anyhow!("rating {made} vanished"))?;
    Ok((StatusCode::CREATED, ApiJson(view(state, row).await?)))
}

/// Rates a case that has ended; only its applicant, once.
#[utoipa::path(post, path = "/api/v1/applications/{id}/rating", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")), request_body = RatingRequest,
    responses((status = 201, body = Rating), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate_case(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<RatingRequest>,
) -> ApiResult<(StatusCode, ApiJson<Rating>)> {
    let (app, viewer) = load(&state, &me, CaseId(id)).await?;
    if viewer != Viewer::Applicant {
        return Err(ApiError::forbidden("only the applicant rates a case"));
    }
    if !case_can_be_rated(app.state) {
        return Err(ApiError::Coded(
            ErrorCode::InvalidTransition,
            "a case is rated once it has ended".into(),
        ));
    }
    let subject = RatingSubject::Case(app.id);
    record(&state, &me, subject, (&app.department, &app.item), &req).await
}

/// Rates an attended appointment; only its citizen, once.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/rating", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Booking id")), request_body = RatingRequest,
    responses((status = 201, body = Rating), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate_booking(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<RatingRequest>,
) -> ApiResult<(StatusCode, ApiJson<Rating>)> {
    let b = state
        .store
        .booking(BookingId(id))
        .await?
        .filter(|b| b.citizen == me.user.id)
        .ok_or_else(|| ApiError::not_found("no such booking"))?;
    if b.state != BookingState::CheckedIn {
        return Err(ApiError::Coded(
            ErrorCode::InvalidTransition,
            "an appointment is rated after the visit".into(),
        ));
    }
    let item = state
        .item(&b.item)
        .await?
        .ok_or_else(|| anyhow::anyhow!("item {} of booking {} is gone", b.item, b.id))?;
    let department = item.department.as_str();
    let subject = RatingSubject::Booking(b.id);
    record(&state, &me, subject, (department, &b.item), &req).await
}

/// The signed-in citizen's ratings, newest first, with their rectifications.
#[utoipa::path(get, path = "/api/v1/me/ratings", tag = "ratings", security(("bearer" = [])),
    responses((status = 200, body = Vec<Rating>), (status = 401, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<ApiJson<Vec<Rating>>> {
    let mut out = Vec::new();
    for r in state.store.ratings_of(me.user.id).await? {
        out.push(view(&state, r).await?);
    }
    Ok(ApiJson(out))
}

/// Whether the user is staff of the rating's department (or a supervisor).
fn answers_for(me: &CurrentUser, r: &RatingRow) -> bool {
    match me.user.role {
        Role::Admin => true,
        Role::Staff => me.user.department.as_deref() == Some(r.department.as_str()),
        _ => false,
    }
}

/// A rating its citizen or the department may see; 404 for anyone else.
async fn visible(state: &AppState, me: &CurrentUser, id: i64) -> ApiResult<RatingRow> {
    state
        .store
        .rating(RatingId(id))
        .await?
        .filter(|r| r.citizen == me.user.id || answers_for(me, r))
        .ok_or_else(|| ApiError::not_found("no such rating"))
}

#[utoipa::path(get, path = "/api/v1/ratings/{id}", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Rating id")),
    responses((status = 200, body = Rating), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Rating>> {
    let r = visible(&state, &me, id).await?;
    Ok(ApiJson(view(&state, r).await?))
}

fn not_now(what: &str) -> ApiError {
    ApiError::Coded(ErrorCode::InvalidTransition, what.into())
}

/// The citizen says whether the department's answer solved the problem: solved closes
/// the rectification, not solved sends it back to the department.
#[utoipa::path(post, path = "/api/v1/ratings/{id}/verdict", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Rating id")), request_body = VerdictRequest,
    responses((status = 200, body = Rating), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn verdict(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<VerdictRequest>,
) -> ApiResult<ApiJson<Rating>> {
    let r = visible(&state, &me, id).await?;
    if r.citizen != me.user.id {
        return Err(ApiError::forbidden("only the citizen who rated says this"));
    }
    let comment = req.comment.trim();
    if comment.chars().count() > MAX_COMMENT_CHARS {
        return Err(ApiError::field(
            "comment",
            "too_long",
            "use at most 500 characters",
        ));
    }
    let change = if req.solved {
        (
            RectificationState::Answered,
            RectificationState::Closed,
            RectificationStep::Solved,
        )
    } else {
        (
            RectificationState::Answered,
            RectificationState::Open,
            RectificationStep::NotSolved,
        )
    };
    if !state
        .store
        .rectify(r.id, change, me.user.id, comment, None)
        .await?
    {
        return Err(not_now(
            "there is no answer waiting for your verdict on this rating",
        ));
    }
    Ok(ApiJson(view(&state, r).await?))
}

/// The rectifications of the staff member's department (a supervisor's: all), the
/// longest waiting first.
#[utoipa::path(get, path = "/api/v1/staff/rectifications", tag = "ratings", security(("bearer" = [])), params(RectificationQuery),
    responses((status = 200, body = Page<Rating>), (status = 403, body = ErrorBody)))]
pub async fn rectifications(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<RectificationQuery>,
) -> ApiResult<ApiJson<Page<Rating>>> {
    let department = match (me.user.role, me.user.department.as_deref()) {
        (Role::Admin, _) => None,
        (Role::Staff, Some(d)) => Some(d),
        _ => return Err(ApiError::forbidden("for staff only")),
    };
    let (page, per_page) = paging(q.page, q.per_page);
    let (rows, total) = state
        .store
        .rectifications(department, q.state, page, per_page)
        .await?;
    let mut items = Vec::new();
    for r in rows {
        items.push(view(&state, r).await?);
    }
    Ok(ApiJson(Page {
        items,
        total,
        page,
        per_page,
    }))
}

/// Staff of the department answer a bad rating: what they did about it. The citizen is
/// notified and sees the answer.
#[utoipa::path(post, path = "/api/v1/staff/rectifications/{id}/answer", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Rating id")), request_body = AnswerRequest,
    responses((status = 200, body = Rating), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<AnswerRequest>,
) -> ApiResult<ApiJson<Rating>> {
    if !matches!(me.user.role, Role::Staff | Role::Admin) {
        return Err(ApiError::forbidden("for staff only"));
    }
    let r = visible(&state, &me, id).await?;
    if !answers_for(&me, &r) {
        return Err(ApiError::not_found("no such rating"));
    }
    let text = req.answer.trim();
    if text.is_empty() || text.chars().count() > MAX_ANSWER_CHARS {
        return Err(ApiError::field(
            "answer",
            "required",
            "say what was done about it, in at most 1000 characters",
        ));
    }
    let item = state.item(&r.item).await?;
    let name = item.map(|i| i.name.clone()).unwrap_or_default();
    let link = match r.subject {
        RatingSubject::Case(c) => format!("/applications/{c}"),
        RatingSubject::Booking(b) => format!("/bookings/{b}"),
    };
    let note = NewNotification {
        user: r.citizen,
        kind: NotificationKind::RectificationAnswered,
        title: Text::new("您的评价已得到答复", "Your rating was answered"),
        body: Text::new(
            format!("关于“{}”的评价，部门答复：{text}\n问题解决了吗？请在应用中告诉我们。", name.zh),
            format!("About your rating of {}, the department says: {text}\nDid this solve it? Tell us in the app.", name.en),
        ),
        link,
    };
    let change = (
        RectificationState::Open,
        RectificationState::Answered,
        RectificationStep::Answered,
    );
    if !state
        .store
        .rectify(r.id, change, me.user.id, text, Some(&note))
        .await?
    {
        return Err(not_now(
            "this rating has no open rectification (it may have been answered already)",
        ));
    }
    Ok(ApiJson(view(&state, r).await?))
}
