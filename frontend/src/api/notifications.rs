//! The notification centre (消息通知): the user's notifications, newest first, marking
//! them read, and the settings of push (quiet hours, muted kinds).

use super::{client, ApiResult};
use onewindow_api::ids::NotificationId;
use onewindow_api::notification::{NotificationList, NotificationQuery, NotificationSettings};

/// `GET /api/v1/notifications`: a page, newest first, with the user's unread count.
pub async fn notifications(query: NotificationQuery) -> ApiResult<NotificationList> {
    client().await.notifications(&query).await
}

/// `POST /api/v1/notifications/{id}/read`
pub async fn mark_read(id: NotificationId) -> ApiResult<()> {
    client().await.mark_read(id).await
}

/// `POST /api/v1/notifications/read-all`
pub async fn mark_all_read() -> ApiResult<()> {
    client().await.mark_all_read().await
}

/// `GET /api/v1/me/notification-settings`
pub async fn notification_settings() -> ApiResult<NotificationSettings> {
    client().await.notification_settings().await
}

/// `PUT /api/v1/me/notification-settings`
pub async fn set_notification_settings(
    settings: NotificationSettings,
) -> ApiResult<NotificationSettings> {
    client().await.set_notification_settings(&settings).await
}
