//! Progress lookup without an account (办件进度查询): application number plus the
//! applicant's ID number, rate-limited per client address, revealing only the status
//! and its dates.

use crate::applications::{deadline_of, item_of};
use crate::client_addr::ClientAddr;
use crate::db::rfc3339;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use onewindow_api::application::{LookupRequest, LookupResponse, LookupStep};
use onewindow_api::ErrorBody;

/// Looks up the progress of a case by its number and the applicant's ID number. A wrong
/// number and a wrong ID number give the same answer, and repeated misses are refused.
#[utoipa::path(post, path = "/api/v1/lookup", tag = "applications", request_body = LookupRequest,
    responses((status = 200, body = LookupResponse), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn lookup(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<LookupRequest>,
) -> ApiResult<ApiJson<LookupResponse>> {
    let number = req.number.trim();
    // Misses are counted per client and per application number: guesses at one case's
    // ID number from many addresses are bounded too.
    let key = format!("lookup:{}", client.limit_key());
    let number_key = format!(
        "lookup-number:{}",
        number.chars().take(64).collect::<String>()
    );
    for k in [&key, &number_key] {
        state
            .lookup_limiter
            .check(k, 1)
            .await?
            .map_err(|s| ApiError::RateLimited {
                retry_after_seconds: s,
            })?;
    }
    let id_number = req.id_number.trim().to_ascii_uppercase();
    let found = if number.is_empty() || number.len() > 64 || id_number.len() != 18 {
        None
    } else {
        state.store.application_by_number(number).await?
    };
    let owner_id = match &found {
        Some(app) => {
            state
                .store
                .user_brief(app.applicant)
                .await?
                .unwrap_or_default()
                .1
        }
        None => None,
    };
    let app = match found {
        Some(app) if owner_id.as_deref() == Some(id_number.as_str()) => app,
        _ => {
            state.lookup_limiter.fail(&key).await;
            if !number.is_empty() {
                state.lookup_limiter.fail(&number_key).await;
            }
            return Err(ApiError::not_found(
                "no application matches this number and ID number",
            ));
        }
    };
    let item = item_of(&state, &app).await?;
    let events = state.store.events(app.id).await?;
    Ok(ApiJson(LookupResponse {
        number: number.to_owned(),
        item_name: item.name,
        state: app.state,
        steps: events
            .iter()
            .map(|e| LookupStep {
                at: rfc3339(e.at),
                state: e.state,
            })
            .collect(),
        deadline: deadline_of(&state, &app, &events),
    }))
}
