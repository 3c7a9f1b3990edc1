//! A company's members (企业成员): anyone may register with a company's credit code, which
//! is public, so a member of the company confirms each newcomer before they act on its
//! cases, or turns them away.

use crate::auth::CurrentUser;
use crate::db::rfc3339;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use onewindow_api::account::CompanyMember;
use onewindow_api::ids::UserId;
use onewindow_api::wallet::mask_phone;
use onewindow_api::ErrorBody;

/// The credit code of the signed-in member's company; only confirmed members manage it.
fn my_company(me: &CurrentUser) -> ApiResult<&str> {
    me.user
        .company
        .as_ref()
        .map(|c| c.credit_code.as_str())
        .ok_or_else(|| ApiError::forbidden("only confirmed members of a company see its members"))
}

/// The members of the signed-in member's company and those waiting to join it.
#[utoipa::path(get, path = "/api/v1/me/company/members", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Vec<CompanyMember>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn members(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<ApiJson<Vec<CompanyMember>>> {
    let code = my_company(&me)?;
    let rows = state.store.company_members(code).await?;
    Ok(ApiJson(
        rows.into_iter()
            .map(|m| CompanyMember {
                id: m.id,
                name: m.name,
                phone_masked: mask_phone(&m.phone),
                pending: m.pending,
                since: rfc3339(m.created_at),
            })
            .collect(),
    ))
}

async fn decide(state: &AppState, me: &CurrentUser, user: i64, confirm: bool) -> ApiResult<()> {
    let code = my_company(me)?;
    if !state
        .store
        .decide_member(code, UserId(user), me.user.id, confirm)
        .await?
    {
        return Err(ApiError::not_found(
            "nobody with this id is waiting to join your company",
        ));
    }
    Ok(())
}

/// Confirms someone waiting to join the signed-in member's company.
#[utoipa::path(post, path = "/api/v1/me/company/members/{user}/confirm", tag = "auth", security(("bearer" = [])),
    params(("user" = i64, Path, description = "The waiting user's id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(user): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    decide(&state, &me, user, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Turns away someone waiting to join: they keep their account, without the company.
#[utoipa::path(delete, path = "/api/v1/me/company/members/{user}", tag = "auth", security(("bearer" = [])),
    params(("user" = i64, Path, description = "The waiting user's id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn turn_away(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(user): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    decide(&state, &me, user, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
