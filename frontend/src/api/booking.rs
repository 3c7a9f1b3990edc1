//! Appointments (预约): open slots, the citizen's bookings, and the hall desk's calls.

use super::{client, ApiResult};
use onewindow_api::booking::{
    BlockRequest, Booking, BookingRequest, DayList, DayQuery, OpenSlot, RescheduleRequest,
    SlotQuery,
};
use onewindow_api::ids::{BookingId, HallCode};

/// `GET /api/v1/services/{code}/slots`: one hall's, or without a hall the earliest anywhere.
pub async fn slots(item: String, hall: Option<HallCode>) -> ApiResult<Vec<OpenSlot>> {
    client().await.slots(&item, &SlotQuery { hall }).await
}

/// `POST /api/v1/bookings`
pub async fn book(req: BookingRequest) -> ApiResult<Booking> {
    client().await.book(&req).await
}

/// `GET /api/v1/bookings`
pub async fn bookings() -> ApiResult<Vec<Booking>> {
    client().await.bookings().await
}

/// `GET /api/v1/bookings/{id}`
pub async fn booking(id: BookingId) -> ApiResult<Booking> {
    client().await.booking(id).await
}

/// `POST /api/v1/bookings/{id}/cancel`
pub async fn cancel_booking(id: BookingId) -> ApiResult<Booking> {
    client().await.cancel_booking(id).await
}

/// `POST /api/v1/bookings/{id}/reschedule`
pub async fn reschedule_booking(id: BookingId, req: RescheduleRequest) -> ApiResult<Booking> {
    client().await.reschedule_booking(id, &req).await
}

/// `GET /api/v1/bookings/{id}/calendar.ics`, as a link: the cookie authorises it.
pub fn calendar_url(id: BookingId) -> String {
    format!("{}/bookings/{id}/calendar.ics", onewindow_api::API_PREFIX)
}

/// `POST /api/v1/staff/check-in`
pub async fn check_in(code: String) -> ApiResult<Booking> {
    client().await.check_in(&code).await
}

/// `GET /api/v1/staff/bookings`
pub async fn staff_day(query: DayQuery) -> ApiResult<DayList> {
    client().await.staff_day(&query).await
}

/// `POST /api/v1/staff/bookings/{id}/no-show`
pub async fn mark_no_show(id: BookingId) -> ApiResult<Booking> {
    client().await.mark_no_show(id).await
}

/// `POST /api/v1/staff/blocks`
pub async fn block_period(req: BlockRequest) -> ApiResult<()> {
    client().await.block_period(&req).await
}
