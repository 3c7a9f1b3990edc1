//! The HTTP surface: the router, the OpenAPI document and the fallbacks. Handlers are
//! glue between the contract types and the store.

pub mod applications;
pub mod auth;
pub mod bookings;
pub mod catalogue;
pub mod company;
pub mod health;
pub mod lookup;
pub mod notifications;
pub mod ratings;
pub mod staff;
pub mod stats;
pub mod threads;
pub mod uploads;
pub mod wallet;

use crate::error::ApiError;
use crate::state::AppState;
use axum::routing::{get, post, put};
use axum::Router;
use onewindow_api::ErrorCode;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "OneWindow API",
        description = "One-window government services: catalogue, service guides, search, accounts, applications and the back office.",
        license(name = "Apache-2.0")
    ),
    paths(
        health::healthz,
        health::readyz,
        catalogue::list_services,
        catalogue::get_service,
        catalogue::departments,
        catalogue::themes,
        catalogue::halls,
        catalogue::search,
        catalogue::corpus,
        auth::register,
        auth::login,
        auth::logout,
        auth::me,
        applications::create,
        applications::list,
        applications::get,
        applications::update_form,
        applications::delete,
        applications::submit,
        applications::withdraw,
        uploads::upload,
        uploads::remove,
        uploads::download,
        staff::queue,
        lookup::lookup,
        staff::transition,
        applications::confirm_receipt,
        applications::export_csv,
        staff::opinion,
        staff::supervision,
        uploads::upload_result,
        wallet::list,
        wallet::download,
        wallet::delete,
        wallet::attach,
        wallet::agents,
        company::members,
        company::confirm,
        company::turn_away,
        wallet::grant,
        wallet::revoke,
        bookings::slots,
        bookings::book,
        bookings::mine,
        bookings::get,
        bookings::cancel,
        bookings::calendar,
        bookings::reschedule,
        bookings::check_in,
        bookings::day,
        bookings::no_show,
        bookings::block,
        notifications::list,
        notifications::read,
        notifications::read_all,
        notifications::stream,
        notifications::vapid_public_key,
        notifications::subscribe,
        notifications::unsubscribe,
        notifications::settings,
        notifications::set_settings,
        notifications::deliveries,
        notifications::register_device,
        notifications::unregister_device,
        ratings::rate_case,
        ratings::rate_booking,
        ratings::mine,
        ratings::get,
        ratings::verdict,
        ratings::rectifications,
        ratings::answer,
        stats::stats,
        threads::open,
        threads::mine,
        threads::get,
        threads::message,
        threads::close,
        threads::queue,
        threads::attach,
        threads::attachment,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "catalogue", description = "Service items and their guides"),
        (name = "auth", description = "Accounts and sessions"),
        (name = "applications", description = "Applications (办件): drafts, pre-review, submission, progress"),
        (name = "staff", description = "Back office: queues, actions on cases, parallel review, supervision"),
        (name = "appointments", description = "Appointments at hall windows: open slots, bookings, calendar files"),
        (name = "notifications", description = "The notification centre"),
        (name = "threads", description = "Questions (问) and complaints (诉)"),
        (name = "statistics", description = "Public statistics of departments and the city"),
        (name = "ratings", description = "Ratings (好差评) and the rectification of bad ones"),
        (name = "wallet", description = "Document wallet (电子证照库) and agents (代办)"),
        (name = "ops", description = "Operations"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes, under `/api/v1`.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/services", get(catalogue::list_services))
        .route("/services/{code}", get(catalogue::get_service))
        .route("/departments", get(catalogue::departments))
        .route("/themes", get(catalogue::themes))
        .route("/halls", get(catalogue::halls))
        .route("/search", get(catalogue::search))
        .route("/search/corpus", get(catalogue::corpus))
        .route("/auth/register", post(auth::register))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route(
            "/applications",
            get(applications::list).post(applications::create),
        )
        .route(
            "/applications/{id}",
            get(applications::get).delete(applications::delete),
        )
        .route("/applications/{id}/form", put(applications::update_form))
        .route("/applications/{id}/submit", post(applications::submit))
        .route("/applications/{id}/withdraw", post(applications::withdraw))
        .route(
            "/applications/{id}/confirm-receipt",
            post(applications::confirm_receipt),
        )
        .route("/applications/export.csv", get(applications::export_csv))
        .route("/applications/{id}/opinions", post(staff::opinion))
        .route("/applications/{id}/result", post(uploads::upload_result))
        .route("/staff/supervision", get(staff::supervision))
        .route("/me/documents", get(wallet::list))
        .route(
            "/me/documents/{doc}",
            get(wallet::download).delete(wallet::delete),
        )
        .route(
            "/applications/{id}/materials/{slot}/from-wallet",
            post(wallet::attach),
        )
        .route("/me/agents", get(wallet::agents).post(wallet::grant))
        .route("/me/company/members", get(company::members))
        .route("/me/company/members/{user}/confirm", post(company::confirm))
        .route(
            "/me/company/members/{user}",
            axum::routing::delete(company::turn_away),
        )
        .route("/me/agents/{auth}", axum::routing::delete(wallet::revoke))
        .route("/applications/{id}/transitions", post(staff::transition))
        .route("/staff/applications", get(staff::queue))
        .route("/lookup", post(lookup::lookup))
        .route("/services/{code}/slots", get(bookings::slots))
        .route("/bookings", get(bookings::mine).post(bookings::book))
        .route("/bookings/{id}", get(bookings::get))
        .route("/bookings/{id}/cancel", post(bookings::cancel))
        .route("/bookings/{id}/calendar.ics", get(bookings::calendar))
        .route("/bookings/{id}/reschedule", post(bookings::reschedule))
        .route("/staff/check-in", post(bookings::check_in))
        .route("/staff/bookings", get(bookings::day))
        .route("/staff/bookings/{id}/no-show", post(bookings::no_show))
        .route("/staff/blocks", post(bookings::block))
        .route("/notifications", get(notifications::list))
        .route("/notifications/read-all", post(notifications::read_all))
        .route("/notifications/stream", get(notifications::stream))
        .route(
            "/notifications/{id}/deliveries",
            get(notifications::deliveries),
        )
        .route(
            "/push/vapid-public-key",
            get(notifications::vapid_public_key),
        )
        .route(
            "/me/push-subscriptions",
            post(notifications::subscribe).delete(notifications::unsubscribe),
        )
        .route(
            "/me/devices",
            post(notifications::register_device).delete(notifications::unregister_device),
        )
        .route(
            "/me/notification-settings",
            get(notifications::settings).put(notifications::set_settings),
        )
        .route("/applications/{id}/rating", post(ratings::rate_case))
        .route("/bookings/{id}/rating", post(ratings::rate_booking))
        .route("/me/ratings", get(ratings::mine))
        .route("/ratings/{id}", get(ratings::get))
        .route("/ratings/{id}/verdict", post(ratings::verdict))
        .route("/staff/rectifications", get(ratings::rectifications))
        .route("/staff/rectifications/{id}/answer", post(ratings::answer))
        .route("/stats", get(stats::stats))
        .route("/threads", post(threads::open))
        .route("/me/threads", get(threads::mine))
        .route("/threads/{id}", get(threads::get))
        .route("/threads/{id}/messages", post(threads::message))
        .route("/threads/{id}/close", post(threads::close))
        .route("/staff/threads", get(threads::queue))
        .route("/threads/{id}/attachments", post(threads::attach))
        .route("/threads/{id}/attachments/{file}", get(threads::attachment))
        .route("/notifications/{id}/read", post(notifications::read))
        .route("/applications/{id}/materials/{slot}", post(uploads::upload))
        .route(
            "/applications/{id}/files/{file}",
            get(uploads::download).delete(uploads::remove),
        )
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn api_not_found() -> ApiError {
    ApiError::not_found("no such API route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::Coded(
        ErrorCode::MethodNotAllowed,
        "this method is not allowed on this route".into(),
    )
}
