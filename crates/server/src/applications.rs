//! Applications as a service: who may see and act on a case, and the view of a case
//! (timeline, live automatic notice of a draft, deadline with its light). Handlers call
//! this; the rules themselves come from the contract crate.

use crate::auth::CurrentUser;
use crate::db::applications::{AppRow, EventRow};
use crate::db::rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use onewindow_api::account::Role;
use onewindow_api::application::{
    deadline, Application, ApplicationSummary, Notice, TimelineEntry,
};
use onewindow_api::case::{Actor, CaseAction, CaseState};
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::idnum::mask_id_number;
use onewindow_api::ids::CaseId;
use onewindow_api::prereview::{self, find_case, UploadedFile};
use onewindow_api::workdays::Pause;
use onewindow_api::ErrorCode;

/// The UTC offset of the deployment's time zone. The zones of mainland China, Hong Kong,
/// Macau and Taiwan have no daylight saving time, so a fixed offset is exact.
pub fn offset_of(timezone: &str) -> FixedOffset {
    let hours = match timezone {
        "Asia/Shanghai" | "Asia/Chongqing" | "Asia/Harbin" | "Asia/Hong_Kong" | "Asia/Macau"
        | "Asia/Taipei" | "PRC" => 8,
        "Asia/Urumqi" | "Asia/Kashgar" => 6,
        _ => 0,
    };
    FixedOffset::east_opt(hours * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

/// The local date of a timestamp in the deployment's time zone.
pub fn local_date(state: &AppState, ms: i64) -> NaiveDate {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&offset_of(&state.timezone))
        .date_naive()
}

/// How the viewer relates to a case; `None` means they may not see it at all.
pub fn relation(me: &CurrentUser, app: &AppRow) -> Option<Actor> {
    let u = &me.user;
    match u.role {
        Role::Citizen => (app.applicant == u.id).then_some(Actor::Applicant),
        Role::BusinessMember => {
            let same_company =
                matches!((&app.company, &u.company), (Some(a), Some(c)) if *a == c.credit_code);
            (app.applicant == u.id || same_company).then_some(Actor::Applicant)
        }
        // Staff see their department's cases once submitted, never drafts.
        Role::Staff => (u.department.as_deref() == Some(app.department.as_str())
            && app.state != CaseState::Draft)
            .then_some(Actor::Staff),
        Role::Admin => None,
    }
}

/// Refuses what only the applicant (or their company) may do.
pub fn as_applicant(actor: Actor) -> ApiResult<()> {
    match actor {
        Actor::Applicant => Ok(()),
        Actor::Staff => Err(ApiError::forbidden("only the applicant can do this")),
    }
}

/// Loads a case the viewer may see, or 404 (never 403: existence is not revealed).
pub async fn load(state: &AppState, me: &CurrentUser, id: CaseId) -> ApiResult<(AppRow, Actor)> {
    let app = state
        .store
        .application(id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such application"))?;
    let actor = relation(me, &app).ok_or_else(|| ApiError::not_found("no such application"))?;
    Ok((app, actor))
}

/// The item of a case; it exists because applications reference items.
pub async fn item_of(state: &AppState, app: &AppRow) -> ApiResult<ServiceItem> {
    state.store.service(&app.item).await?.ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "item {} of application {} is gone",
            app.item,
            app.id
        ))
    })
}

/// The automatic pre-review of a case as stored now.
pub async fn automatic_notice(
    state: &AppState,
    app: &AppRow,
    item: &ServiceItem,
) -> ApiResult<Notice> {
    let files: Vec<UploadedFile> = state
        .store
        .application_files(app.id)
        .await?
        .into_iter()
        .map(|f| UploadedFile {
            slot: f.slot,
            format: f.format,
            size: f.size,
        })
        .collect();
    Ok(Notice {
        problems: prereview::review(item, &app.case_code, &app.form, &files),
    })
}

/// Periods after acceptance in which a correction notice was open.
fn pauses(state: &AppState, events: &[EventRow]) -> Vec<Pause> {
    let mut out: Vec<Pause> = Vec::new();
    let mut accepted = false;
    for e in events {
        match e.action {
            Some(CaseAction::Accept) => accepted = true,
            Some(CaseAction::RequestCorrection) if accepted => out.push(Pause {
                start: local_date(state, e.at),
                end: None,
            }),
            Some(CaseAction::Resubmit) => {
                if let Some(open) = out.last_mut().filter(|p| p.end.is_none()) {
                    open.end = Some(local_date(state, e.at));
                }
            }
            _ => {}
        }
    }
    out
}

fn today(state: &AppState) -> NaiveDate {
    Utc::now()
        .with_timezone(&offset_of(&state.timezone))
        .date_naive()
}

pub fn deadline_of(
    state: &AppState,
    app: &AppRow,
    events: &[EventRow],
) -> Option<onewindow_api::application::Deadline> {
    let running = matches!(
        app.state,
        CaseState::Accepted | CaseState::UnderReview | CaseState::CorrectionRequired
    );
    let accepted = app.accepted_at?;
    running.then(|| {
        deadline(
            &state.calendar,
            local_date(state, accepted),
            app.promised_days,
            &pauses(state, events),
            today(state),
        )
    })
}

/// The full view of a case for a viewer in the relation `actor`.
pub async fn view(state: &AppState, app: AppRow, actor: Actor) -> ApiResult<Application> {
    let item = item_of(state, &app).await?;
    let events = state.store.events(app.id).await?;
    let files = state.store.application_files(app.id).await?;
    let notice = if app.state == CaseState::Draft {
        automatic_notice(state, &app, &item).await?
    } else {
        app.notice.clone()
    };
    let (applicant_name, id_number) = state
        .store
        .user_brief(app.applicant)
        .await?
        .unwrap_or_default();
    let company_name = match &app.company {
        Some(code) => state.store.company_name(code).await?,
        None => None,
    };
    let case_name = find_case(&item, &app.case_code)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    Ok(Application {
        id: app.id,
        number: app.number.clone(),
        item: item.code.clone(),
        item_name: item.name.clone(),
        case: app.case_code.clone(),
        case_name,
        state: app.state,
        applicant_name,
        applicant_id_masked: id_number.as_deref().map(mask_id_number).unwrap_or_default(),
        company_name,
        form: app.form.clone(),
        files,
        notice,
        timeline: events
            .iter()
            .map(|e| TimelineEntry {
                at: rfc3339(e.at),
                state: e.state,
                action: e.action,
                note: e.note.clone(),
            })
            .collect(),
        deadline: deadline_of(state, &app, &events),
        delivery: app.delivery.clone(),
        actions: app
            .state
            .available_actions(actor, app.accepted_at.is_some()),
        created_at: rfc3339(app.created_at),
        updated_at: rfc3339(app.updated_at),
    })
}

/// The list row of a case.
pub async fn summary(state: &AppState, app: AppRow) -> ApiResult<ApplicationSummary> {
    let item = item_of(state, &app).await?;
    let events = if app.accepted_at.is_some() {
        state.store.events(app.id).await?
    } else {
        Vec::new()
    };
    let (applicant_name, _) = state
        .store
        .user_brief(app.applicant)
        .await?
        .unwrap_or_default();
    Ok(ApplicationSummary {
        deadline: deadline_of(state, &app, &events),
        id: app.id,
        number: app.number,
        item: item.code,
        item_name: item.name,
        state: app.state,
        applicant_name,
        updated_at: rfc3339(app.updated_at),
    })
}

/// A page of list rows.
pub async fn summary_page(
    state: &AppState,
    rows: Vec<AppRow>,
    total: u64,
    page: u32,
    per_page: u32,
) -> ApiResult<onewindow_api::query::Page<ApplicationSummary>> {
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(summary(state, row).await?);
    }
    Ok(onewindow_api::query::Page {
        items,
        total,
        page,
        per_page,
    })
}

/// Checks an action against the state machine: 409 with its code when it is not allowed.
pub fn next_state(app: &AppRow, action: CaseAction, actor: Actor) -> ApiResult<CaseState> {
    app.state
        .next(action, actor, app.accepted_at.is_some())
        .map_err(|e| ApiError::Coded(ErrorCode::InvalidTransition, e.to_string()))
}
