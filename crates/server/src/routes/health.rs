//! `GET /healthz` (liveness: the process answers) and `GET /readyz` (readiness: the
//! database and the object store answer too).

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use onewindow_api::query::Health;

fn ok() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// Liveness: answers while the process serves requests, whatever its dependencies do,
/// so that an orchestrator does not restart instances for a database outage.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    ok()
}

/// Readiness: the database and the object store answer; else `503 unavailable` (the
/// log names the one that did not), so that a load balancer sends no traffic here
/// meanwhile.
#[utoipa::path(get, path = "/readyz", tag = "ops",
    responses((status = 200, body = Health), (status = 503, body = onewindow_api::ErrorBody)))]
pub async fn readyz(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    let unavailable = |what: &str, e: &dyn std::fmt::Display| {
        ApiError::Unavailable(format!("the {what} does not answer: {e}"))
    };
    // A probe must answer soon: a store that retries for minutes is not ready.
    let database = tokio::time::timeout(PROBE_TIMEOUT, state.store.ping()).await;
    match database {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(unavailable("database", &e)),
        Err(e) => return Err(unavailable("database", &e)),
    }
    let storage = tokio::time::timeout(PROBE_TIMEOUT, state.storage.probe()).await;
    match storage {
        Ok(Ok(())) => Ok(ok()),
        Ok(Err(e)) => Err(unavailable("file store", &e)),
        Err(e) => Err(unavailable("file store", &e)),
    }
}

/// How long readiness waits for each dependency.
const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);
