//! Wallet and agent routes: list, download and delete kept documents, attach one to a
//! material slot of a new application, and authorise (or stop authorising) an agent.

use crate::applications::{as_applicant, check_correctable, item_of, load};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::routes::uploads::{record, Received};
use crate::state::AppState;
use crate::wallet::copy_object;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;
use onewindow_api::account::Role;
use onewindow_api::application::{FileInfo, FileKind, NoticeTarget};
use onewindow_api::case::CaseState;
use onewindow_api::ids::{AuthorisationId, CaseId, DocumentId};
use onewindow_api::prereview::find_case;
use onewindow_api::wallet::{AttachRequest, Authorisation, GrantRequest, WalletDocument};
use onewindow_api::{ErrorBody, ErrorCode};

fn citizen_or_member(me: &CurrentUser) -> ApiResult<()> {
    match me.user.role {
        Role::Citizen | Role::BusinessMember => Ok(()),
        _ => Err(ApiError::forbidden("the wallet belongs to applicants")),
    }
}

/// Everything kept in the signed-in user's wallet, newest first.
#[utoipa::path(get, path = "/api/v1/me/documents", tag = "wallet", security(("bearer" = [])),
    responses((status = 200, body = Vec<WalletDocument>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<ApiJson<Vec<WalletDocument>>> {
    citizen_or_member(&me)?;
    Ok(ApiJson(state.store.documents(me.user.id).await?))
}

/// Downloads a kept document.
#[utoipa::path(get, path = "/api/v1/me/documents/{doc}", tag = "wallet", security(("bearer" = [])),
    params(("doc" = i64, Path, description = "Document id")),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(doc): ApiPath<i64>,
) -> ApiResult<Response> {
    let stored = state
        .store
        .document(DocumentId(doc), me.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such document"))?;
    let object = state
        .storage
        .store
        .get(&ObjectPath::from(stored.storage_key))
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let format = stored.doc.format;
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"document-{doc}.{}\"",
                    format.extension()
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        Body::from_stream(object.into_stream()),
    )
        .into_response())
}

/// Deletes a kept document and its bytes. The cases it came from keep their own copy,
/// which belongs to the department's record.
#[utoipa::path(delete, path = "/api/v1/me/documents/{doc}", tag = "wallet", security(("bearer" = [])),
    params(("doc" = i64, Path, description = "Document id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(doc): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let key = state
        .store
        .delete_document(DocumentId(doc), me.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such document"))?;
    if let Err(e) = state.storage.store.delete(&ObjectPath::from(key)).await {
        tracing::warn!(error = %e, doc, "the record is gone but the object could not be deleted");
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Attaches a copy of a kept document to a material slot of a draft (or of a case
/// awaiting correction), instead of uploading it again. The slot's formats and size limit
/// apply as to an upload.
#[utoipa::path(post, path = "/api/v1/applications/{id}/materials/{slot}/from-wallet", tag = "wallet", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), ("slot" = String, Path, description = "Material code")),
    request_body = AttachRequest,
    responses((status = 201, body = FileInfo), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub async fn attach(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((id, slot)): ApiPath<(i64, String)>,
    ApiJson(req): ApiJson<AttachRequest>,
) -> ApiResult<(StatusCode, ApiJson<FileInfo>)> {
    let (app, viewer) = load(&state, &me, CaseId(id)).await?;
    as_applicant(viewer)?;
    if !matches!(app.state, CaseState::Draft | CaseState::CorrectionRequired) {
        return Err(ApiError::Coded(
            ErrorCode::InvalidTransition,
            "materials can be changed only in a draft or a correction".into(),
        ));
    }
    // The wallet is its owner's: an agent or a colleague would put their own documents
    // into someone else's case, and from there into that applicant's wallet.
    if app.applicant != me.user.id {
        return Err(ApiError::forbidden(
            "only the applicant attaches documents from their own wallet; upload the file instead",
        ));
    }
    let item = item_of(&state, &app).await?;
    let material = find_case(&item, &app.case_code)
        .and_then(|c| c.materials.iter().find(|m| m.code == slot))
        .ok_or_else(|| ApiError::not_found("this application has no such material"))?;
    check_correctable(&state, &app, &[NoticeTarget::Material(slot.clone())]).await?;
    let stored = state
        .store
        .document(req.document, me.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such document"))?;
    if !material.formats.contains(&stored.doc.format) {
        return Err(ApiError::Coded(
            ErrorCode::UnsupportedMediaType,
            "this material does not accept the document's format".into(),
        ));
    }
    let limit_mb = u64::from(material.max_size_mb).min(state.config.storage.max_upload_mb);
    if stored.doc.size > limit_mb * 1024 * 1024 {
        return Err(ApiError::Coded(
            ErrorCode::PayloadTooLarge,
            format!("a file of this material may be at most {limit_mb} MB"),
        ));
    }
    let key = copy_object(&state, &stored.storage_key, &format!("uploads/{id}")).await?;
    let got = Received {
        key,
        format: stored.doc.format,
        size: stored.doc.size,
        sha256: stored.doc.sha256.clone(),
    };
    let info = record(
        &state,
        &app,
        FileKind::Material,
        me.user.id,
        &slot,
        &stored.doc.name,
        got,
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(info)))
}

/// The agents the signed-in citizen authorised, and the citizens who authorised them.
#[utoipa::path(get, path = "/api/v1/me/agents", tag = "wallet", security(("bearer" = [])),
    responses((status = 200, body = Vec<Authorisation>), (status = 401, body = ErrorBody)))]
pub async fn agents(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<ApiJson<Vec<Authorisation>>> {
    citizen_or_member(&me)?;
    Ok(ApiJson(state.store.authorisations(me.user.id).await?))
}

/// Authorises another applicant account, named by its phone number, to apply on the
/// signed-in citizen's behalf (代办授权).
#[utoipa::path(post, path = "/api/v1/me/agents", tag = "wallet", security(("bearer" = [])),
    request_body = GrantRequest,
    responses((status = 201, body = Vec<Authorisation>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn grant(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<GrantRequest>,
) -> ApiResult<(StatusCode, ApiJson<Vec<Authorisation>>)> {
    if me.user.role != Role::Citizen {
        return Err(ApiError::forbidden("only citizens authorise agents"));
    }
    // Each attempt counts: trying numbers one after another must not map who has an
    // account (the answer names the agent, masked).
    let key = format!("grant:{}", me.user.id);
    state
        .login_limiter
        .check(&key, 4)
        .await?
        .map_err(|s| ApiError::RateLimited {
            retry_after_seconds: s,
        })?;
    state.login_limiter.fail(&key).await;
    let phone = req.agent_phone.trim();
    if !onewindow_api::account::is_mobile_number(phone) {
        return Err(ApiError::field(
            "agent_phone",
            "format",
            "give the agent's 11-digit mobile number",
        ));
    }
    let agent = state
        .store
        .user_by_login(phone)
        .await?
        .filter(|u| matches!(u.role, Role::Citizen | Role::BusinessMember) && u.phone == phone)
        .ok_or_else(|| ApiError::not_found("no applicant account has this phone number"))?;
    if agent.id == me.user.id {
        return Err(ApiError::field(
            "agent_phone",
            "self",
            "you cannot authorise yourself",
        ));
    }
    if !state.store.grant(me.user.id, agent.id).await? {
        return Err(ApiError::conflict("this agent is already authorised"));
    }
    Ok((
        StatusCode::CREATED,
        ApiJson(state.store.authorisations(me.user.id).await?),
    ))
}

/// Ends an authorisation (the citizen who gave it, or the agent who holds it).
#[utoipa::path(delete, path = "/api/v1/me/agents/{auth}", tag = "wallet", security(("bearer" = [])),
    params(("auth" = i64, Path, description = "Authorisation id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(auth): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    if !state
        .store
        .revoke_authorisation(AuthorisationId(auth), me.user.id)
        .await?
    {
        return Err(ApiError::not_found("no such authorisation"));
    }
    Ok(StatusCode::NO_CONTENT)
}
