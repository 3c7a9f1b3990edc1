//! Assembles the router: API routes, OpenAPI, the offline docs page, the static front-end
//! (with SPA fallback to index.html) and the middleware stack.

use crate::routes::{self, ApiDoc};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use onewindow_api::{ErrorBody, ErrorCode};
use std::any::Any;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

/// Origins of the Tauri shell's webview on the different platforms.
const TAURI_ORIGINS: [&str; 3] = [
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
];

pub fn app(state: AppState) -> Router {
    let config = state.config.clone();
    let mut origins: Vec<HeaderValue> = TAURI_ORIGINS
        .iter()
        .map(|o| HeaderValue::from_static(o))
        .collect();
    origins.extend(
        config
            .server
            .cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok()),
    );
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT_LANGUAGE,
        ]);

    let static_dir = config.server.static_dir.clone();
    let index = static_dir.join("index.html");
    // The front-end build writes .br and .gz files beside the originals.
    let frontend = ServeDir::new(&static_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(&index)
                .precompressed_br()
                .precompressed_gzip(),
        );
    let frontend_missing = !index.exists();

    let mut router = Router::new()
        .nest("/api/v1", routes::api_router())
        .route("/healthz", get(routes::health::healthz))
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()));
    router = if frontend_missing {
        router.fallback(get(no_frontend))
    } else {
        router.fallback_service(frontend)
    };
    router
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.server.json_body_limit))
        .layer(cors)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(panic_response))
}

async fn no_frontend() -> (StatusCode, Html<&'static str>) {
    (
        StatusCode::NOT_FOUND,
        Html("<!doctype html><meta charset=utf-8><title>OneWindow</title><p>The web front-end is not built. Run <code>cargo xtask run</code>, which builds it. The API is at <a href=/api/docs/>/api/docs/</a>."),
    )
}

/// A panic in a handler is a bug: answer with the generic 500 body, never the message.
fn panic_response(_err: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(ErrorBody::new(
            ErrorCode::Internal,
            "an unexpected error occurred",
        )),
    )
        .into_response()
}
