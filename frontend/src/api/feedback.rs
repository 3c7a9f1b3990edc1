//! Feedback from the public: ratings (好差评) with their rectifications, questions and
//! complaints (咨询投诉) with their attachments, and the public statistics (办件统计).

use super::{client, ApiResult};
use onewindow_api::ids::{BookingId, CaseId, FileId, RatingId, ThreadId};
use onewindow_api::query::Page;
use onewindow_api::rating::{
    AnswerRequest, Rating, RatingRequest, RectificationQuery, RectificationState, VerdictRequest,
};
use onewindow_api::stats::{Stats, StatsQuery};
use onewindow_api::thread::{NewThreadRequest, Thread, ThreadQuery};

/// How many threads or rectifications one list shows.
const PER_PAGE: u32 = 50;

/// `GET /api/v1/stats`: no sign-in needed. Without dates the server takes the last 30
/// days.
pub async fn stats(from: Option<String>, to: Option<String>) -> ApiResult<Stats> {
    client().await.stats(&StatsQuery { from, to }).await
}

/// `POST /api/v1/applications/{id}/rating`
pub async fn rate_case(id: CaseId, req: RatingRequest) -> ApiResult<Rating> {
    client().await.rate_case(id, &req).await
}

/// `POST /api/v1/bookings/{id}/rating`
pub async fn rate_booking(id: BookingId, req: RatingRequest) -> ApiResult<Rating> {
    client().await.rate_booking(id, &req).await
}

/// `GET /api/v1/me/ratings`
pub async fn my_ratings() -> ApiResult<Vec<Rating>> {
    client().await.my_ratings().await
}

/// `POST /api/v1/ratings/{id}/verdict`
pub async fn rating_verdict(id: RatingId, solved: bool, comment: String) -> ApiResult<Rating> {
    client()
        .await
        .rating_verdict(id, &VerdictRequest { solved, comment })
        .await
}

/// `GET /api/v1/staff/rectifications`, the ones waiting for an answer or all.
pub async fn rectifications(state: Option<RectificationState>) -> ApiResult<Page<Rating>> {
    let q = RectificationQuery {
        state,
        page: Some(1),
        per_page: Some(PER_PAGE),
    };
    client().await.rectifications(&q).await
}

/// `POST /api/v1/staff/rectifications/{id}/answer`
pub async fn answer_rectification(id: RatingId, answer: String) -> ApiResult<Rating> {
    client()
        .await
        .answer_rectification(id, &AnswerRequest { answer })
        .await
}

/// `POST /api/v1/threads`
pub async fn open_thread(req: NewThreadRequest) -> ApiResult<Thread> {
    client().await.open_thread(&req).await
}

/// `GET /api/v1/me/threads`
pub async fn my_threads(page: u32) -> ApiResult<Page<Thread>> {
    let q = ThreadQuery {
        page: Some(page),
        per_page: Some(PER_PAGE),
        ..Default::default()
    };
    client().await.my_threads(&q).await
}

/// `GET /api/v1/staff/threads`
pub async fn staff_threads(page: u32) -> ApiResult<Page<Thread>> {
    let q = ThreadQuery {
        page: Some(page),
        per_page: Some(PER_PAGE),
        ..Default::default()
    };
    client().await.staff_threads(&q).await
}

/// `GET /api/v1/threads/{id}`
pub async fn thread(id: ThreadId) -> ApiResult<Thread> {
    client().await.thread(id).await
}

/// `POST /api/v1/threads/{id}/messages`: a reply, or from staff an answer.
pub async fn post_message(id: ThreadId, text: String) -> ApiResult<Thread> {
    client().await.post_message(id, &text).await
}

/// `POST /api/v1/threads/{id}/close`
pub async fn close_thread(id: ThreadId) -> ApiResult<Thread> {
    client().await.close_thread(id).await
}

/// `GET /api/v1/threads/{id}/attachments/{file}`, as a link: the cookie authorises it.
pub fn attachment_url(id: ThreadId, file: FileId) -> String {
    format!(
        "{}/threads/{id}/attachments/{file}",
        onewindow_api::API_PREFIX
    )
}
