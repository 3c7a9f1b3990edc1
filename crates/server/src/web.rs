//! Assembles the router: API routes, OpenAPI, the offline docs page, the pre-rendered
//! public pages, the static front-end (with SPA fallback to index.html) and the
//! middleware stack.

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
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
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
        .route("/readyz", get(routes::health::readyz))
        .route("/metrics", get(crate::metrics::metrics))
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()));
    router = if frontend_missing {
        router.fallback(get(no_frontend))
    } else {
        // The public pages, pre-rendered for visitors (the app for a signed-in browser).
        router
            .route("/", get(crate::pages::home))
            .route("/services", get(crate::pages::services))
            .route("/search", get(crate::pages::search))
            .route("/services/{code}", get(crate::pages::guide))
            .fallback_service(frontend)
    };
    router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::track,
        ))
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.server.json_body_limit))
        .layer(cors)
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(CatchPanicLayer::custom(panic_response))
        // Outermost: every request has an id (the caller's `x-request-id`, else a new
        // UUID) before anything logs, and the answer carries it back.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
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

/// The span of one request, which its log lines carry: method, the route's template
/// (never the concrete path or the query, which may hold personal data such as an ID
/// number) and the request id.
fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("static", |m| m.as_str());
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", method = %req.method(), route, request_id = id)
}
