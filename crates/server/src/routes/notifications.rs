//! The notification centre: a user's notifications, newest first, with the unread count;
//! marking one or all read. Nobody sees or marks another's.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use onewindow_api::ids::NotificationId;
use onewindow_api::notification::{NotificationList, NotificationQuery};
use onewindow_api::query::paging;
use onewindow_api::ErrorBody;

#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])), params(NotificationQuery),
    responses((status = 200, body = NotificationList), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<NotificationQuery>,
) -> ApiResult<ApiJson<NotificationList>> {
    let (page, per_page) = paging(q.page, q.per_page);
    let (items, total) = state
        .store
        .notifications(me.user.id, q.unread.unwrap_or(false), page, per_page)
        .await?;
    let unread = state.store.unread_count(me.user.id).await?;
    Ok(ApiJson(NotificationList {
        items,
        total,
        unread,
        page,
        per_page,
    }))
}

#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Notification id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    if !state
        .store
        .mark_read(me.user.id, NotificationId(id))
        .await?
    {
        return Err(ApiError::not_found("no such notification"));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn read_all(State(state): State<AppState>, me: CurrentUser) -> ApiResult<StatusCode> {
    state.store.mark_all_read(me.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
