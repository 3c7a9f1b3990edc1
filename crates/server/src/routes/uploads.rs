//! Material uploads: streamed to storage with the size limit checked while streaming,
//! the real type sniffed from the bytes, SHA-256 recorded, and a random storage key (the
//! user's file name is kept for display only). Also removing and downloading a file.

use crate::applications::{as_applicant, as_lead, check_correctable, item_of, load};
use crate::auth::CurrentUser;
use crate::db::applications::{AppRow, NewFile, StoredFile, MAX_FILES_PER_SLOT};
use crate::error::{ApiError, ApiPath, ApiQuery, ApiResult};
use crate::state::AppState;
use crate::storage::{display_name, Storage};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, WriteMultipart};
use onewindow_api::application::{FileInfo, FileKind, NoticeTarget, RESULT_SLOT};
use onewindow_api::case::CaseState;
use onewindow_api::catalogue::FileFormat;
use onewindow_api::ids::{CaseId, FileId, UserId};
use onewindow_api::prereview::find_case;
use onewindow_api::sniff::{check_head, check_size, UploadRefusal, SNIFF_LEN};
use onewindow_api::{ErrorBody, ErrorCode};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The display name of an upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct UploadQuery {
    /// The file's name on the user's device, for display only.
    #[serde(default)]
    pub name: String,
}

fn too_large(limit_mb: u64) -> ApiError {
    ApiError::Coded(
        ErrorCode::PayloadTooLarge,
        format!("a file of this material may be at most {limit_mb} MB"),
    )
}

/// Uploads one file into a material slot of a draft (or of a case awaiting correction).
/// The body is the file's bytes.
#[utoipa::path(post, path = "/api/v1/applications/{id}/materials/{slot}", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), ("slot" = String, Path, description = "Material code"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = FileInfo), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((id, slot)): ApiPath<(i64, String)>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, axum::Json<FileInfo>)> {
    let (app, actor) = load(&state, &me, CaseId(id)).await?;
    as_applicant(actor)?;
    if !matches!(app.state, CaseState::Draft | CaseState::CorrectionRequired) {
        return Err(ApiError::Coded(
            ErrorCode::InvalidTransition,
            "materials can be changed only in a draft or a correction".into(),
        ));
    }
    let item = item_of(&state, &app).await?;
    let material = find_case(&item, &app.case_code)
        .and_then(|c| c.materials.iter().find(|m| m.code == slot))
        .ok_or_else(|| ApiError::not_found("this application has no such material"))?;
    check_correctable(&state, &app, &[NoticeTarget::Material(slot.clone())]).await?;
    let limit_mb = u64::from(material.max_size_mb).min(state.config.storage.max_upload_mb);
    let got = receive(
        &state,
        &format!("uploads/{id}"),
        &headers,
        body,
        &material.formats,
        limit_mb,
    )
    .await?;
    let fallback = format!("{slot}.{}", got.format.extension());
    let name = display_name(&q.name, &fallback);
    let info = record(
        &state,
        &app,
        FileKind::Material,
        me.user.id,
        &slot,
        &name,
        got,
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(info)))
}

/// Uploads a result document (licence, certificate, decision) of an approved case: staff
/// of the handling department only. It also goes to the applicant's wallet.
#[utoipa::path(post, path = "/api/v1/applications/{id}/result", tag = "staff", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = FileInfo), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub async fn upload_result(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, axum::Json<FileInfo>)> {
    let (app, viewer) = load(&state, &me, CaseId(id)).await?;
    as_lead(viewer)?;
    if !matches!(
        app.state,
        CaseState::Approved | CaseState::ResultReady | CaseState::Mailed
    ) {
        return Err(ApiError::Coded(
            ErrorCode::InvalidTransition,
            "a result document is issued once the case is approved".into(),
        ));
    }
    let formats = [
        FileFormat::Pdf,
        FileFormat::Ofd,
        FileFormat::Jpeg,
        FileFormat::Png,
    ];
    let limit_mb = state.config.storage.max_upload_mb;
    let got = receive(
        &state,
        &format!("results/{id}"),
        &headers,
        body,
        &formats,
        limit_mb,
    )
    .await?;
    let name = display_name(&q.name, &format!("result.{}", got.format.extension()));
    let info = record(
        &state,
        &app,
        FileKind::Result,
        me.user.id,
        RESULT_SLOT,
        &name,
        got,
    )
    .await?;
    crate::wallet::keep_case_files(&state, &app, FileKind::Result).await;
    Ok((StatusCode::CREATED, axum::Json(info)))
}

/// A file received into storage, not yet recorded.
pub struct Received {
    pub key: ObjectPath,
    pub format: FileFormat,
    pub size: u64,
    pub sha256: String,
}

/// Records a received file of a case; deletes the object if the record surely failed, so
/// that no orphan is left behind (when the outcome is unknown, the sweep decides later).
#[allow(clippy::too_many_arguments)]
pub async fn record(
    state: &AppState,
    app: &AppRow,
    kind: FileKind,
    owner: UserId,
    slot: &str,
    name: &str,
    got: Received,
) -> ApiResult<FileInfo> {
    let new = NewFile {
        kind,
        owner,
        application: app.id,
        slot,
        name,
        format: got.format.as_str(),
        size: got.size,
        sha256: &got.sha256,
        storage_key: got.key.as_ref(),
    };
    let id = match state.store.insert_file(&new).await {
        Ok(Some(id)) => id,
        Ok(None) => {
            // Submitted while the file was on its way, or the slot is full: the file
            // was not recorded, so its object goes too.
            let _ = state.storage.store.delete(&got.key).await;
            let still_open = state.store.application(app.id).await?.is_some_and(|a| {
                matches!(a.state, CaseState::Draft | CaseState::CorrectionRequired)
            });
            return Err(ApiError::Coded(
                ErrorCode::InvalidTransition,
                if still_open {
                    format!("a material takes at most {MAX_FILES_PER_SLOT} files; remove one first")
                } else {
                    "materials can be changed only in a draft or a correction".to_owned()
                },
            ));
        }
        Err(e) => {
            if crate::db::surely_undone(&e) {
                let _ = state.storage.store.delete(&got.key).await;
            }
            return Err(e.into());
        }
    };
    Ok(FileInfo {
        id,
        kind,
        slot: slot.to_owned(),
        name: name.to_owned(),
        format: got.format,
        size: got.size,
        sha256: got.sha256,
        uploaded_at: crate::db::rfc3339(crate::db::now_ms()),
    })
}

/// Streams a request body into storage under `prefix`: the size limit checked while
/// streaming, the type sniffed from the first bytes and checked against `formats`, the
/// SHA-256 computed on the way.
pub async fn receive(
    state: &AppState,
    prefix: &str,
    headers: &HeaderMap,
    body: Body,
    formats: &[FileFormat],
    limit_mb: u64,
) -> ApiResult<Received> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut stream = body.into_data_stream();
    if declared.is_some_and(|n| check_size(n, limit_mb) == Err(UploadRefusal::TooLarge(limit_mb))) {
        drain(&mut stream).await;
        return Err(too_large(limit_mb));
    }

    // Read until the type can be told, then stream the rest straight to storage.
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_LEN);
    let mut pending: Option<bytes::Bytes> = None;
    while head.len() < SNIFF_LEN {
        match stream.next().await {
            Some(Ok(chunk)) => {
                let take = (SNIFF_LEN - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
                if take < chunk.len() {
                    pending = Some(chunk.slice(take..));
                }
            }
            Some(Err(_)) => {
                return Err(ApiError::malformed(
                    "the upload was interrupted; please retry",
                ))
            }
            None => break,
        }
    }
    let format = match check_head(&head, formats) {
        Ok(format) => format,
        Err(UploadRefusal::Format) => {
            let allowed: Vec<&str> = formats.iter().map(|f| f.extension()).collect();
            return Err(ApiError::Coded(
                ErrorCode::UnsupportedMediaType,
                format!(
                    "this material accepts only {} files (checked by content, not by name)",
                    allowed.join(", ")
                ),
            ));
        }
        Err(_) => return Err(ApiError::field("body", "empty", "the file is empty")),
    };

    let key = Storage::new_key(prefix);
    let upload = state
        .storage
        .store
        .put_multipart(&key)
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let mut writer = WriteMultipart::new(upload);
    let mut hasher = Sha256::new();
    let mut size = head.len() as u64;
    hasher.update(&head);
    writer.write(&head);
    let mut next = pending.map(Ok);
    loop {
        let chunk = match next.take() {
            Some(c) => Some(c),
            None => stream.next().await,
        };
        let chunk = match chunk {
            None => break,
            Some(Ok(c)) => c,
            Some(Err(_)) => {
                let _ = writer.abort().await;
                return Err(ApiError::malformed(
                    "the upload was interrupted; please retry",
                ));
            }
        };
        size += chunk.len() as u64;
        if check_size(size, limit_mb).is_err() {
            let _ = writer.abort().await;
            drain(&mut stream).await;
            return Err(too_large(limit_mb));
        }
        hasher.update(&chunk);
        writer.write(&chunk);
        // Keeps memory flat: wait while more than two parts are in flight. A store that
        // fails (a full disk) ends the upload and removes what it had written.
        if let Err(e) = writer.wait_for_capacity(2).await {
            let _ = writer.abort().await;
            drain(&mut stream).await;
            return Err(ApiError::Unavailable(e.to_string()));
        }
    }
    writer
        .finish()
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;

    Ok(Received {
        key,
        format,
        size,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// Reads and discards what is left of a refused upload (up to `DRAIN_CAP`), so that the
/// client, still sending, receives the 413 instead of a reset connection.
async fn drain(stream: &mut axum::body::BodyDataStream) {
    let mut drained = 0u64;
    while let Some(Ok(chunk)) = stream.next().await {
        drained += chunk.len() as u64;
        if drained > DRAIN_CAP {
            break;
        }
    }
}

/// Past this a refused upload is cut off rather than read to its end.
const DRAIN_CAP: u64 = 256 * 1024 * 1024;

/// The stored file `file` if it belongs to application `app`, else 404.
async fn file_of(state: &AppState, app: CaseId, file: i64) -> ApiResult<StoredFile> {
    state
        .store
        .stored_file(FileId(file))
        .await?
        .filter(|f| f.application == Some(app))
        .ok_or_else(|| ApiError::not_found("no such file"))
}

/// Removes a file from a draft (or from a case awaiting correction).
#[utoipa::path(delete, path = "/api/v1/applications/{id}/files/{file}", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), ("file" = i64, Path, description = "File id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((id, file)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    let (app, actor) = load(&state, &me, CaseId(id)).await?;
    as_applicant(actor)?;
    let stored = file_of(&state, app.id, file).await?;
    check_correctable(&state, &app, &[NoticeTarget::Material(stored.slot.clone())]).await?;
    if !state
        .store
        .delete_file(FileId(file), app.id, me.user.id)
        .await?
    {
        return Err(ApiError::Coded(
            ErrorCode::InvalidTransition,
            "materials can be changed only in a draft or a correction".into(),
        ));
    }
    if let Err(e) = state
        .storage
        .store
        .delete(&ObjectPath::from(stored.storage_key))
        .await
    {
        tracing::warn!(error = %e, file, "the record is gone but the object could not be deleted");
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Downloads a file of an application the viewer may see.
#[utoipa::path(get, path = "/api/v1/applications/{id}/files/{file}", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), ("file" = i64, Path, description = "File id")),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((id, file)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    let (app, _) = load(&state, &me, CaseId(id)).await?;
    let stored = file_of(&state, app.id, file).await?;
    let format = FileFormat::parse(&stored.format)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("file {file} has an unknown format")))?;
    stream_object(&state, stored.storage_key, format, &file.to_string()).await
}

/// A stored object as a download, streamed, typed by its sniffed format and named
/// `{stem}.{extension}` (never by the user's file name).
pub async fn stream_object(
    state: &AppState,
    storage_key: String,
    format: FileFormat,
    stem: &str,
) -> ApiResult<Response> {
    let object = state
        .storage
        .store
        .get(&ObjectPath::from(storage_key))
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let body = Body::from_stream(object.into_stream());
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{stem}.{}\"", format.extension()),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        body,
    )
        .into_response())
}
