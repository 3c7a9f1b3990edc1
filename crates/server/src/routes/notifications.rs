//! The notification centre: a user's notifications, newest first, with the unread count;
//! marking one or all read; the live stream (Server-Sent Events) with resume. Nobody sees
//! or marks another's.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::live::LATE_COMMIT_MS;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use onewindow_api::ids::{NotificationId, UserId};
use onewindow_api::notification::{
    Delivery, DeviceRegistration, Notification, NotificationList, NotificationQuery,
    NotificationSettings, PushPlatform, PushSubscription, StreamQuery, VapidKey, STREAM_EVENT,
    STREAM_READY,
};
use onewindow_api::query::paging;
use onewindow_api::ErrorBody;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

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

/// What one live stream has sent and is waiting for.
struct Feed {
    state: AppState,
    user: UserId,
    /// The session the stream was opened with: when it is revoked (sign-out) or expires,
    /// the stream ends at its next look.
    token_hash: String,
    /// The resume point: everything up to it the client had before connecting.
    floor: i64,
    /// The highest id sent.
    last: i64,
    /// Ids sent, with when, to skip late commits already sent.
    sent: HashMap<i64, i64>,
    queue: VecDeque<Notification>,
    /// Whether to look in the outbox before waiting again.
    due: bool,
    ready: bool,
    wake: broadcast::Receiver<UserId>,
    closing: watch::Receiver<bool>,
}

impl Feed {
    /// The next event, or None when the server shuts down or the session has ended.
    async fn next(&mut self) -> Option<Event> {
        if !self.ready {
            self.ready = true;
            return Some(
                Event::default()
                    .event(STREAM_READY)
                    .data(self.last.to_string()),
            );
        }
        loop {
            if let Some(n) = self.queue.pop_front() {
                let data = serde_json::to_string(&n).unwrap_or_default();
                return Some(
                    Event::default()
                        .id(n.id.0.to_string())
                        .event(STREAM_EVENT)
                        .data(data),
                );
            }
            if *self.closing.borrow() {
                return None;
            }
            if self.due {
                self.due = false;
                match self.state.store.session_user(&self.token_hash).await {
                    Ok(Some(_)) => {}
                    Ok(None) => return None,
                    Err(e) => {
                        tracing::warn!(error = %e, "checking a live stream's session failed");
                    }
                }
                let now = crate::db::now_ms();
                let since = now - LATE_COMMIT_MS;
                match self
                    .state
                    .store
                    .notifications_after(self.user, self.floor, self.last, since)
                    .await
                {
                    Ok(found) => {
                        for n in found {
                            if self.sent.insert(n.id.0, now).is_none() {
                                self.last = self.last.max(n.id.0);
                                self.queue.push_back(n);
                            }
                        }
                        self.sent.retain(|_, at| *at > since - LATE_COMMIT_MS);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "reading notifications for a live stream failed");
                    }
                }
                continue;
            }
            tokio::select! {
                woke = self.wake.recv() => match woke {
                    Ok(user) => self.due = user == self.user,
                    Err(broadcast::error::RecvError::Lagged(_)) => self.due = true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = self.closing.changed() => return None,
                // Look anyway now and then: nothing waits for a missed wake-up.
                _ = tokio::time::sleep(Duration::from_secs(15)) => self.due = true,
            }
        }
    }
}

/// The live stream of the user's notifications (Server-Sent Events), resumable.
#[utoipa::path(get, path = "/api/v1/notifications/stream", tag = "notifications", security(("bearer" = [])), params(StreamQuery),
    responses((status = 200, content_type = "text/event-stream"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn stream(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<StreamQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let resume = match headers.get("last-event-id") {
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .ok_or_else(|| {
                    ApiError::field("Last-Event-ID", "format", "send the id of the last event")
                })?,
        ),
        None => q.after,
    };
    let after = match resume {
        Some(a) if a < 0 => {
            return Err(ApiError::field(
                "after",
                "range",
                "give a notification id (0 or more)",
            ))
        }
        Some(a) => a,
        None => state.store.last_notification_id(me.user.id).await?,
    };
    let feed = Feed {
        wake: state.hub.subscribe(),
        closing: state.hub.closing(),
        state,
        user: me.user.id,
        token_hash: me.token_hash,
        floor: after,
        last: after,
        sent: HashMap::new(),
        queue: VecDeque::new(),
        due: true,
        ready: false,
    };
    let events = futures_util::stream::unfold(feed, |mut feed| async move {
        feed.next().await.map(|e| (Ok(e), feed))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// The VAPID public key browsers pass to `pushManager.subscribe()`.
#[utoipa::path(get, path = "/api/v1/push/vapid-public-key", tag = "notifications",
    responses((status = 200, body = VapidKey)))]
pub async fn vapid_public_key(State(state): State<AppState>) -> ApiResult<ApiJson<VapidKey>> {
    let key = crate::push::vapid_key(&state).await?;
    Ok(ApiJson(VapidKey {
        public_key: crate::push::public_key(&key)?,
    }))
}

/// Registers this browser's push subscription for the signed-in user.
#[utoipa::path(post, path = "/api/v1/me/push-subscriptions", tag = "notifications", security(("bearer" = [])),
    request_body = PushSubscription,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn subscribe(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<PushSubscription>,
) -> ApiResult<StatusCode> {
    if let Some((field, message)) =
        crate::push::subscription_problem(&req, state.config.push.allow_local_endpoints)
    {
        return Err(ApiError::field(field, "invalid", message));
    }
    let req = PushSubscription {
        endpoint: req.endpoint.trim().to_owned(),
        ..req
    };
    state.store.subscribe(me.user.id, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/me/push-subscriptions` with the endpoint to drop.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct Unsubscribe {
    pub endpoint: String,
}

#[utoipa::path(delete, path = "/api/v1/me/push-subscriptions", tag = "notifications", security(("bearer" = [])),
    request_body = Unsubscribe,
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<Unsubscribe>,
) -> ApiResult<StatusCode> {
    if !state
        .store
        .unsubscribe(me.user.id, req.endpoint.trim())
        .await?
    {
        return Err(ApiError::not_found("no such subscription"));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me/notification-settings", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = NotificationSettings), (status = 401, body = ErrorBody)))]
pub async fn settings(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<ApiJson<NotificationSettings>> {
    Ok(ApiJson(
        state.store.notification_settings(me.user.id).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/me/notification-settings", tag = "notifications", security(("bearer" = [])),
    request_body = NotificationSettings,
    responses((status = 200, body = NotificationSettings), (status = 422, body = ErrorBody)))]
pub async fn set_settings(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(mut req): ApiJson<NotificationSettings>,
) -> ApiResult<ApiJson<NotificationSettings>> {
    if req.quiet_hours.as_ref().is_some_and(|q| !q.is_valid()) {
        return Err(ApiError::field(
            "quiet_hours",
            "format",
            "give two different times as HH:MM",
        ));
    }
    req.push_muted.sort_by_key(|k| k.as_str());
    req.push_muted.dedup();
    state
        .store
        .set_notification_settings(me.user.id, &req)
        .await?;
    Ok(ApiJson(req))
}

/// How one of the user's notifications was delivered to their push subscriptions.
#[utoipa::path(get, path = "/api/v1/notifications/{id}/deliveries", tag = "notifications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Notification id")),
    responses((status = 200, body = Vec<Delivery>), (status = 404, body = ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Vec<Delivery>>> {
    state
        .store
        .deliveries(me.user.id, NotificationId(id))
        .await?
        .map(ApiJson)
        .ok_or_else(|| ApiError::not_found("no such notification"))
}

/// Registers the app's device token at a mobile push gateway this server has.
#[utoipa::path(post, path = "/api/v1/me/devices", tag = "notifications", security(("bearer" = [])),
    request_body = DeviceRegistration,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register_device(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<DeviceRegistration>,
) -> ApiResult<StatusCode> {
    if !req.is_valid() {
        return Err(ApiError::field(
            "token",
            "format",
            "give the gateway's token (8 to 4096 visible characters)",
        ));
    }
    let cfg = &state.config.push;
    let configured = match req.platform {
        PushPlatform::Fcm => !cfg.fcm_project_id.is_empty(),
        PushPlatform::Apns => !cfg.apns_team_id.is_empty(),
    };
    if !configured {
        return Err(ApiError::field(
            "platform",
            "unavailable",
            "this server has no gateway for this platform; the app's live stream still works",
        ));
    }
    state.store.register_device(me.user.id, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the app's device token (on sign-out).
#[utoipa::path(delete, path = "/api/v1/me/devices", tag = "notifications", security(("bearer" = [])),
    request_body = DeviceRegistration,
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn unregister_device(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<DeviceRegistration>,
) -> ApiResult<StatusCode> {
    if !state
        .store
        .drop_device(Some(me.user.id), req.token.trim())
        .await?
    {
        return Err(ApiError::not_found("no such device"));
    }
    Ok(StatusCode::NO_CONTENT)
}
