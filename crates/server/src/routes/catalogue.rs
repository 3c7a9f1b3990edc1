//! Catalogue routes: the service list with filters, one guide, departments, themes,
//! halls, search, and the search corpus for the app's offline search.

use crate::error::{json_bytes, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use onewindow_api::catalogue::{Department, Hall, ServiceItem, ServiceSummary, Theme};
use onewindow_api::ids::is_valid_code;
use onewindow_api::query::{CorpusEntry, Page, SearchQuery, SearchResponse, ServiceQuery};
use onewindow_api::ErrorBody;

/// The catalogue, filtered and paginated, in item-code order.
#[utoipa::path(get, path = "/api/v1/services", tag = "catalogue", params(ServiceQuery),
    responses((status = 200, body = Page<ServiceSummary>), (status = 400, body = ErrorBody)))]
pub async fn list_services(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ServiceQuery>,
) -> ApiResult<Response> {
    Ok(json_bytes(state.services_page_json(&q).await?))
}

/// The complete service guide (办事指南) of one item.
#[utoipa::path(get, path = "/api/v1/services/{code}", tag = "catalogue",
    params(("code" = String, Path, description = "Item code, e.g. PSB-0101")),
    responses((status = 200, body = ServiceItem), (status = 404, body = ErrorBody)))]
pub async fn get_service(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Response> {
    if !is_valid_code(&code) {
        return Err(ApiError::not_found(format!(
            "no service item with code {code:?}"
        )));
    }
    state
        .guide_json(&code)
        .await?
        .map(json_bytes)
        .ok_or_else(|| ApiError::not_found(format!("no service item with code {code}")))
}

/// All departments with their item counts.
#[utoipa::path(get, path = "/api/v1/departments", tag = "catalogue",
    responses((status = 200, body = Vec<Department>)))]
pub async fn departments(State(state): State<AppState>) -> ApiResult<ApiJson<Vec<Department>>> {
    Ok(ApiJson(state.snapshot().departments.clone()))
}

/// Themes for individuals and businesses, and life events.
#[utoipa::path(get, path = "/api/v1/themes", tag = "catalogue",
    responses((status = 200, body = Vec<Theme>)))]
pub async fn themes(State(state): State<AppState>) -> ApiResult<ApiJson<Vec<Theme>>> {
    Ok(ApiJson(state.snapshot().themes.clone()))
}

/// Service halls with addresses, opening hours and windows.
#[utoipa::path(get, path = "/api/v1/halls", tag = "catalogue",
    responses((status = 200, body = Vec<Hall>)))]
pub async fn halls(State(state): State<AppState>) -> ApiResult<ApiJson<Vec<Hall>>> {
    Ok(ApiJson(state.store.halls().await?))
}

/// Ranked search over names, pinyin (full and initials), English names, keywords and
/// codes; one- and two-character Chinese queries work; English typos are tolerated.
#[utoipa::path(get, path = "/api/v1/search", tag = "catalogue", params(SearchQuery),
    responses((status = 200, body = SearchResponse), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<ApiJson<SearchResponse>> {
    state
        .snapshot()
        .search
        .search(&q)
        .map(ApiJson)
        .map_err(|p| ApiError::field("q", p.code, p.message))
}

/// Every item of the catalogue with its keywords, in code order: what the app keeps to
/// search the catalogue offline with the same search as `/api/v1/search`.
#[utoipa::path(get, path = "/api/v1/search/corpus", tag = "catalogue",
    responses((status = 200, body = Vec<CorpusEntry>)))]
pub async fn corpus(State(state): State<AppState>) -> ApiJson<Vec<CorpusEntry>> {
    ApiJson(state.snapshot().search.corpus().to_vec())
}
