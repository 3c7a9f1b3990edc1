//! Questions (问) and complaints (诉): a citizen opens a thread about an item, one of
//! their cases or a hall; staff of the responsible department (supervisors, for halls)
//! answer; the citizen replies (reopening it) or closes it. Nobody else sees a thread.

use crate::applications::load;
use crate::auth::CurrentUser;
use crate::db::notifications::NewNotification;
use crate::db::threads::{NewAttachment, NewMessage, NewThread, ThreadRow, ThreadScope};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::routes::uploads::{receive, stream_object, UploadQuery};
use crate::state::AppState;
use crate::storage::display_name;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use onewindow_api::account::Role;
use onewindow_api::ids::{DepartmentCode, ThreadId};
use onewindow_api::notification::NotificationKind;
use onewindow_api::query::{paging, Page};
use onewindow_api::thread::{
    message_problem, MessageRequest, NewThreadRequest, Thread, ThreadAttachment, ThreadKind,
    ThreadQuery, ThreadState, ThreadSubject, ATTACHMENT_FORMATS, MAX_ATTACHMENTS,
    MAX_ATTACHMENT_MB,
};
use onewindow_api::{ErrorBody, ErrorCode, Text};

async fn view(state: &AppState, t: ThreadRow) -> ApiResult<Thread> {
    Ok(Thread {
        messages: state.store.thread_messages(t.id).await?,
        attachments: state
            .store
            .attachments(t.id)
            .await?
            .into_iter()
            .map(|a| a.info)
            .collect(),
        id: t.id,
        kind: t.kind,
        subject: t.subject,
        department: t.department.as_deref().map(DepartmentCode::from),
        title: t.title,
        state: t.state,
        created_at: crate::db::rfc3339(t.created_at),
        updated_at: crate::db::rfc3339(t.updated_at),
    })
}

async fn page_of(
    state: &AppState,
    rows: Vec<ThreadRow>,
    total: u64,
    (page, per_page): (u32, u32),
) -> ApiResult<Page<Thread>> {
    let mut items = Vec::new();
    for t in rows {
        items.push(view(state, t).await?);
    }
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// The department that answers a thread about `subject`; None for a hall
/// (supervisors answer). 422 for an unknown item or hall, 404 for a case the citizen
/// does not hold.
async fn responsible(
    state: &AppState,
    me: &CurrentUser,
    subject: &ThreadSubject,
) -> ApiResult<Option<String>> {
    match subject {
        ThreadSubject::Item(code) => {
            let item = state.item(code.as_str()).await?.ok_or_else(|| {
                ApiError::field(
                    "subject",
                    "unknown",
                    "there is no service item with this code",
                )
            })?;
            Ok(Some(item.department.as_str().to_owned()))
        }
        ThreadSubject::Case(id) => {
            let (app, viewer) = load(state, me, *id).await?;
            if !viewer.applies() {
                return Err(ApiError::not_found("no such application"));
            }
            Ok(Some(app.department))
        }
        ThreadSubject::Hall(code) => {
            if !state.snapshot().halls.iter().any(|h| &h.code == code) {
                return Err(ApiError::field(
                    "subject",
                    "unknown",
                    "there is no such hall",
                ));
            }
            Ok(None)
        }
    }
}

/// Opens a question or complaint with its first message.
#[utoipa::path(post, path = "/api/v1/threads", tag = "threads", security(("bearer" = [])), request_body = NewThreadRequest,
    responses((status = 201, body = Thread), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<NewThreadRequest>,
) -> ApiResult<(StatusCode, ApiJson<Thread>)> {
    if !matches!(me.user.role, Role::Citizen | Role::BusinessMember) {
        return Err(ApiError::forbidden(
            "questions and complaints are for citizens and businesses",
        ));
    }
    let problems = req.problems();
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let department = responsible(&state, &me, &req.subject).await?;
    let id = state
        .store
        .open_thread(&NewThread {
            kind: req.kind,
            subject: &req.subject,
            citizen: me.user.id,
            department: department.as_deref(),
            title: req.title.trim(),
            text: req.text.trim(),
        })
        .await?;
    let t = state
        .store
        .thread(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("thread {id} vanished"))?;
    Ok((StatusCode::CREATED, ApiJson(view(&state, t).await?)))
}

/// The signed-in citizen's threads, latest activity first.
#[utoipa::path(get, path = "/api/v1/me/threads", tag = "threads", security(("bearer" = [])), params(ThreadQuery),
    responses((status = 200, body = Page<Thread>), (status = 401, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<ThreadQuery>,
) -> ApiResult<ApiJson<Page<Thread>>> {
    let paged = paging(q.page, q.per_page);
    let (rows, total) = state
        .store
        .threads(
            ThreadScope::Citizen(me.user.id),
            q.state,
            q.kind,
            paged.0,
            paged.1,
        )
        .await?;
    Ok(ApiJson(page_of(&state, rows, total, paged).await?))
}

/// Whether the user answers this thread: staff of its department, or a supervisor.
fn answers(me: &CurrentUser, t: &ThreadRow) -> bool {
    match me.user.role {
        Role::Admin => true,
        Role::Staff => {
            t.department.is_some() && me.user.department.as_deref() == t.department.as_deref()
        }
        _ => false,
    }
}

async fn visible(state: &AppState, me: &CurrentUser, id: i64) -> ApiResult<ThreadRow> {
    state
        .store
        .thread(ThreadId(id))
        .await?
        .filter(|t| t.citizen == me.user.id || answers(me, t))
        .ok_or_else(|| ApiError::not_found("no such question or complaint"))
}

#[utoipa::path(get, path = "/api/v1/threads/{id}", tag = "threads", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Thread id")),
    responses((status = 200, body = Thread), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Thread>> {
    let t = visible(&state, &me, id).await?;
    Ok(ApiJson(view(&state, t).await?))
}

fn changed() -> ApiError {
    ApiError::Coded(
        ErrorCode::InvalidTransition,
        "the thread changed meanwhile; reload it".into(),
    )
}

/// Adds a message: from the citizen (reopening an answered or closed thread) or from
/// staff (answering it; the citizen is notified).
#[utoipa::path(post, path = "/api/v1/threads/{id}/messages", tag = "threads", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Thread id")), request_body = MessageRequest,
    responses((status = 200, body = Thread), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn message(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<MessageRequest>,
) -> ApiResult<ApiJson<Thread>> {
    let t = visible(&state, &me, id).await?;
    if let Some(p) = message_problem(&req.text) {
        return Err(ApiError::Validation(vec![p]));
    }
    let text = req.text.trim();
    let from_staff = t.citizen != me.user.id;
    let (to, note) = if from_staff {
        if t.state == ThreadState::Closed {
            return Err(ApiError::Coded(
                ErrorCode::InvalidTransition,
                "the citizen closed this thread".into(),
            ));
        }
        let what = match t.kind {
            ThreadKind::Question => Text::new("咨询", "question"),
            ThreadKind::Complaint => Text::new("投诉", "complaint"),
        };
        let note = NewNotification {
            user: t.citizen,
            kind: NotificationKind::ThreadAnswered,
            title: Text::new(
                format!("您的{}有了答复", what.zh),
                format!("Your {} was answered", what.en),
            ),
            body: Text::new(
                format!("“{}”：{text}", t.title),
                format!("“{}”: {text}", t.title),
            ),
            link: format!("/threads/{}", t.id),
        };
        (ThreadState::Answered, Some(note))
    } else {
        (ThreadState::Open, None)
    };
    let m = NewMessage {
        author: me.user.id,
        from_staff,
        text,
        from: t.state,
        to,
    };
    if !state.store.post_message(t.id, &m, note.as_ref()).await? {
        return Err(changed());
    }
    let t = visible(&state, &me, id).await?;
    Ok(ApiJson(view(&state, t).await?))
}

/// The citizen closes their thread.
#[utoipa::path(post, path = "/api/v1/threads/{id}/close", tag = "threads", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Thread id")),
    responses((status = 200, body = Thread), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ApiJson<Thread>> {
    let t = visible(&state, &me, id).await?;
    if t.citizen != me.user.id {
        return Err(ApiError::forbidden(
            "only the citizen who asked closes a thread",
        ));
    }
    if t.state == ThreadState::Closed {
        return Err(ApiError::Coded(
            ErrorCode::InvalidTransition,
            "this thread is closed already".into(),
        ));
    }
    let m = NewMessage {
        author: me.user.id,
        from_staff: false,
        text: "",
        from: t.state,
        to: ThreadState::Closed,
    };
    if !state.store.post_message(t.id, &m, None).await? {
        return Err(changed());
    }
    let t = visible(&state, &me, id).await?;
    Ok(ApiJson(view(&state, t).await?))
}

/// The threads staff answer: their department's (a supervisor's: all, hall complaints
/// included), the longest waiting first.
#[utoipa::path(get, path = "/api/v1/staff/threads", tag = "threads", security(("bearer" = [])), params(ThreadQuery),
    responses((status = 200, body = Page<Thread>), (status = 403, body = ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<ThreadQuery>,
) -> ApiResult<ApiJson<Page<Thread>>> {
    let scope = match (me.user.role, me.user.department.as_deref()) {
        (Role::Admin, _) => ThreadScope::Supervisor,
        (Role::Staff, Some(d)) => ThreadScope::Department(d),
        _ => return Err(ApiError::forbidden("for staff only")),
    };
    let paged = paging(q.page, q.per_page);
    let (rows, total) = state
        .store
        .threads(scope, q.state, q.kind, paged.0, paged.1)
        .await?;
    Ok(ApiJson(page_of(&state, rows, total, paged).await?))
}

/// Attaches a file (the body's bytes) to a thread that is not closed: PDF, OFD, JPEG or
/// PNG by content, at most 10 MB, at most 10 per thread.
#[utoipa::path(post, path = "/api/v1/threads/{id}/attachments", tag = "threads", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Thread id"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = ThreadAttachment), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub async fn attach(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, ApiJson<ThreadAttachment>)> {
    let t = visible(&state, &me, id).await?;
    let refused = || {
        ApiError::Coded(
            ErrorCode::InvalidTransition,
            format!("a closed thread, or one with {MAX_ATTACHMENTS} files, takes no more"),
        )
    };
    if t.state == ThreadState::Closed {
        return Err(refused());
    }
    let limit = MAX_ATTACHMENT_MB.min(state.config.storage.max_upload_mb);
    let got = receive(
        &state,
        &format!("threads/{id}"),
        &headers,
        body,
        &ATTACHMENT_FORMATS,
        limit,
    )
    .await?;
    let name = display_name(&q.name, &format!("attachment.{}", got.format.extension()));
    let new = NewAttachment {
        thread: t.id,
        author: me.user.id,
        from_staff: t.citizen != me.user.id,
        name: &name,
        format: got.format.as_str(),
        size: got.size,
        sha256: &got.sha256,
        storage_key: got.key.as_ref(),
    };
    let recorded = state.store.add_attachment(&new, MAX_ATTACHMENTS).await;
    let file = match recorded {
        Ok(Some(file)) => file,
        Ok(None) => {
            // Refused: no orphan object stays behind.
            let _ = state.storage.store.delete(&got.key).await;
            return Err(refused());
        }
        Err(e) => {
            // Surely not recorded: drop the object too (when the outcome is unknown,
            // the orphan sweep decides later, after checking the records).
            if crate::db::surely_undone(&e) {
                let _ = state.storage.store.delete(&got.key).await;
            }
            return Err(e.into());
        }
    };
    let info = state
        .store
        .attachments(t.id)
        .await?
        .into_iter()
        .find(|a| a.info.id == file)
        .map(|a| a.info)
        .ok_or_else(|| anyhow::anyhow!("attachment {file} vanished"))?;
    Ok((StatusCode::CREATED, ApiJson(info)))
}

/// Downloads an attachment of a thread the user may see.
#[utoipa::path(get, path = "/api/v1/threads/{id}/attachments/{file}", tag = "threads", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Thread id"), ("file" = i64, Path, description = "Attachment id")),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn attachment(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((id, file)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    let t = visible(&state, &me, id).await?;
    let a = state
        .store
        .attachments(t.id)
        .await?
        .into_iter()
        .find(|a| a.info.id.0 == file)
        .ok_or_else(|| ApiError::not_found("no such attachment"))?;
    stream_object(
        &state,
        a.storage_key,
        a.info.format,
        &format!("attachment-{file}"),
    )
    .await
}
