//! Applications as a service: who may see and act on a case, and the view of a case
//! (timeline, live automatic notice of a draft, deadline with its light). Handlers call
//! this; the rules themselves come from the contract crate.

use crate::auth::CurrentUser;
use crate::db::applications::{AppRow, EventRow, ListFilter, Owner};
use crate::db::rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use onewindow_api::account::Role;
use onewindow_api::application::{
    deadline, Application, ApplicationSummary, Notice, NoticeTarget, ReviewOpinion, TimelineEntry,
};
use onewindow_api::case::{Actor, CaseAction, CaseState};
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::idnum::mask_id_number;
use onewindow_api::ids::CaseId;
use onewindow_api::ids::DepartmentCode;
use onewindow_api::ids::UserId;
use onewindow_api::prereview::{self, find_case, UploadedFile};
use onewindow_api::query::{ApplicationQuery, Page};
use onewindow_api::workdays::Light;
use onewindow_api::workdays::Pause;
use onewindow_api::ErrorCode;
use onewindow_api::Text;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

/// The UTC offset of a time zone (the contract's `utc_offset_seconds`). The calendar and
/// every hall are checked to name a zone it knows when they are loaded, so the UTC
/// fallback is only for a hall stored before that check.
pub fn offset_of(timezone: &str) -> FixedOffset {
    onewindow_api::workdays::utc_offset_seconds(timezone)
        .and_then(FixedOffset::east_opt)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

/// The local date of a timestamp in the deployment's time zone.
pub fn local_date(state: &AppState, ms: i64) -> NaiveDate {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&offset_of(&state.timezone))
        .date_naive()
}

/// How a viewer relates to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The applicant themself.
    Applicant,
    /// A member of the applicant's company, or the agent they authorised: they act on the
    /// case as the applicant does, except with what is the applicant's own (their wallet,
    /// their rating).
    OnBehalf,
    /// Staff of the department that handles the case.
    Lead,
    /// Staff of a department consulted in a parallel review: they see the case and give
    /// their opinion, nothing else.
    Consulted,
    /// A supervisor (admin): sees any submitted case, as the supervision list shows it,
    /// and does nothing to it.
    Supervisor,
}

impl Viewer {
    /// The actor of the contract's state machine.
    pub fn actor(self) -> Actor {
        match self {
            Viewer::Applicant | Viewer::OnBehalf => Actor::Applicant,
            Viewer::Lead | Viewer::Consulted | Viewer::Supervisor => Actor::Staff,
        }
    }

    /// Whether the viewer is on the applicant's side of the case.
    pub fn applies(self) -> bool {
        self.actor() == Actor::Applicant
    }
}

/// How the viewer relates to a case; `None` means they may not see it at all.
pub async fn relation(
    state: &AppState,
    me: &CurrentUser,
    app: &AppRow,
) -> ApiResult<Option<Viewer>> {
    let u = &me.user;
    Ok(match u.role {
        Role::Citizen | Role::BusinessMember => {
            let same_company = u.role == Role::BusinessMember
                && matches!((&app.company, &u.company), (Some(a), Some(c)) if *a == c.credit_code);
            let agent =
                app.agent == Some(u.id) && state.store.is_agent_of(u.id, app.applicant).await?;
            if app.applicant == u.id {
                Some(Viewer::Applicant)
            } else {
                (same_company || agent).then_some(Viewer::OnBehalf)
            }
        }
        // Staff see their department's cases once submitted, never drafts, and the cases
        // their department was consulted on.
        Role::Staff => match u.department.as_deref() {
            _ if app.state == CaseState::Draft => None,
            Some(d) if d == app.department => Some(Viewer::Lead),
            Some(d) if state.store.is_consulted(app.id, d).await? => Some(Viewer::Consulted),
            _ => None,
        },
        Role::Admin => (app.state != CaseState::Draft).then_some(Viewer::Supervisor),
    })
}

/// Refuses what only the applicant (or their company, or their agent) may do.
pub fn as_applicant(viewer: Viewer) -> ApiResult<()> {
    match viewer {
        Viewer::Applicant | Viewer::OnBehalf => Ok(()),
        _ => Err(ApiError::forbidden("only the applicant can do this")),
    }
}

/// Refuses what only the handling department may do.
pub fn as_lead(viewer: Viewer) -> ApiResult<()> {
    match viewer {
        Viewer::Lead => Ok(()),
        _ => Err(ApiError::forbidden(
            "this action is for the handling department's staff",
        )),
    }
}

/// Loads a case the viewer may see, or 404 (never 403: existence is not revealed).
pub async fn load(state: &AppState, me: &CurrentUser, id: CaseId) -> ApiResult<(AppRow, Viewer)> {
    let app = state
        .store
        .application(id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such application"))?;
    let viewer = relation(state, me, &app)
        .await?
        .ok_or_else(|| ApiError::not_found("no such application"))?;
    Ok((app, viewer))
}

/// The item of a case; it exists because applications reference items.
pub async fn item_of(state: &AppState, app: &AppRow) -> ApiResult<ServiceItem> {
    let item = state.item(&app.item).await?.ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "item {} of application {} is gone",
            app.item,
            app.id
        ))
    })?;
    Ok(Arc::unwrap_or_clone(item))
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
        problems: prereview::review(item, &app.case_code, &app.form, &files, today(state)),
    })
}

/// In a correction (补正), refuses a change to any of `targets` that the notice does not
/// open (the contract's `correctable`, the rule the app locks its fields by); in a draft
/// anything may change. True when the case is in a correction: the change then goes
/// into the audit trail.
pub async fn check_correctable(
    state: &AppState,
    app: &AppRow,
    targets: &[NoticeTarget],
) -> ApiResult<bool> {
    if app.state != CaseState::CorrectionRequired {
        return Ok(false);
    }
    let item = item_of(state, app).await?;
    let automatic = automatic_notice(state, app, &item).await?;
    match targets
        .iter()
        .find(|t| !prereview::correctable(&app.notice.problems, &automatic.problems, t))
    {
        None => Ok(true),
        Some(refused) => Err(ApiError::field(
            &match refused {
                NoticeTarget::Field(key) => format!("form.{key}"),
                NoticeTarget::Material(_) => "slot".to_owned(),
                NoticeTarget::Application => "application".to_owned(),
            },
            "not_in_notice",
            "the correction notice does not name this; what was already checked stays as it was",
        )),
    }
}

/// A case's actions with their local dates, oldest first.
fn history<'a>(
    state: &'a AppState,
    events: &'a [EventRow],
) -> impl Iterator<Item = (CaseAction, NaiveDate)> + 'a {
    events
        .iter()
        .filter_map(|e| Some((e.action?, local_date(state, e.at))))
}

/// The periods after acceptance in which the case's clock stood still (the contract's
/// `case::pauses`), in the deployment's local dates.
pub fn pauses(state: &AppState, events: &[EventRow]) -> Vec<Pause> {
    onewindow_api::case::pauses(history(state, events))
}

/// The due date of an accepted case as it will stand once `action` is taken today (for
/// the notification that goes with the action: the end of a special procedure moves it
/// out by the procedure's working days). `None` before acceptance.
pub async fn due_once(
    state: &AppState,
    app: &AppRow,
    action: CaseAction,
) -> ApiResult<Option<NaiveDate>> {
    let Some(accepted) = app.accepted_at else {
        return Ok(None);
    };
    let events = state.store.events(app.id).await?;
    let today = today(state);
    let stops = onewindow_api::case::pauses(history(state, &events).chain([(action, today)]));
    Ok(Some(state.calendar.due_date(
        local_date(state, accepted),
        app.promised_days,
        &stops,
        today,
    )))
}

/// Today in the deployment's time zone.
pub fn today(state: &AppState) -> NaiveDate {
    Utc::now()
        .with_timezone(&offset_of(&state.timezone))
        .date_naive()
}

pub fn deadline_of(
    state: &AppState,
    app: &AppRow,
    events: &[EventRow],
) -> Option<onewindow_api::application::Deadline> {
    let running = app.state.is_pending_decision();
    let accepted = app.accepted_at?;
    running.then(|| {
        deadline(
            &state.calendar,
            local_date(state, accepted),
            app.promised_days,
            app.legal_days,
            &pauses(state, events),
            today(state),
        )
    })
}

/// Who hears of a case's events: its applicant, and the agent who applied for them while
/// the applicant's authorisation stands (as for reading the case: a former agent hears
/// nothing more, pickup codes included).
pub async fn recipients(state: &AppState, app: &AppRow) -> ApiResult<Vec<UserId>> {
    let mut to = vec![app.applicant];
    if let Some(agent) = app.agent.filter(|a| *a != app.applicant) {
        if state.store.is_agent_of(agent, app.applicant).await? {
            to.push(agent);
        }
    }
    Ok(to)
}

/// The day a correction notice sent on `sent_on` should be answered by: the
/// deployment's `applications.correction_working_days` later, in working days.
pub fn correction_due_after(state: &AppState, sent_on: NaiveDate) -> NaiveDate {
    state
        .calendar
        .add_working_days(sent_on, state.config.applications.correction_working_days)
}

/// While a correction notice is open, the day it should be answered by.
fn correction_due(state: &AppState, app: &AppRow, events: &[EventRow]) -> Option<NaiveDate> {
    if app.state != CaseState::CorrectionRequired {
        return None;
    }
    let sent = events
        .iter()
        .rev()
        .find(|e| e.action == Some(CaseAction::RequestCorrection))?;
    Some(correction_due_after(state, local_date(state, sent.at)))
}

/// The full view of a case for `viewer`.
pub async fn view(state: &AppState, app: AppRow, viewer: Viewer) -> ApiResult<Application> {
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
        // The applicant's side gets the numbers it typed while it may still edit them;
        // everyone else, and every later view, gets them masked.
        form: if viewer.applies()
            && matches!(app.state, CaseState::Draft | CaseState::CorrectionRequired)
        {
            app.form.clone()
        } else {
            prereview::masked_form(&item, &app.form)
        },
        files,
        notice,
        timeline: events
            .iter()
            .map(|e| TimelineEntry {
                at: rfc3339(e.at),
                state: e.state,
                action: e.action,
                note: e.note.clone(),
                asked: e.asked.clone(),
            })
            .collect(),
        deadline: deadline_of(state, &app, &events),
        correction_due: correction_due(state, &app, &events)
            .map(|d| d.format("%Y-%m-%d").to_string()),
        delivery: app.delivery.clone(),
        actions: match viewer {
            Viewer::Consulted | Viewer::Supervisor => Vec::new(),
            _ => app
                .state
                .available_actions(viewer.actor(), app.accepted_at.is_some()),
        },
        opinions: opinions_of(state, &app, viewer).await?,
        agent_name: match app.agent {
            Some(agent) => state.store.user_brief(agent).await?.map(|(name, _)| name),
            None => None,
        },
        predicted: predicted(state, &app, &events).await?,
        viewer_is_applicant: viewer == Viewer::Applicant,
        created_at: rfc3339(app.created_at),
        updated_at: rfc3339(app.updated_at),
    })
}

/// The list rows of cases, in the order given; `events` holds the histories of accepted
/// cases when the caller already loaded them. Item and applicant names are looked up once
/// per distinct value.
pub async fn summaries(
    state: &AppState,
    rows: Vec<AppRow>,
    events: Option<HashMap<CaseId, Vec<EventRow>>>,
) -> ApiResult<Vec<ApplicationSummary>> {
    let events = match events {
        Some(e) => e,
        None => {
            // Those with a deadline, and those with a correction due.
            let accepted: Vec<CaseId> = rows
                .iter()
                .filter(|r| r.accepted_at.is_some() || r.state == CaseState::CorrectionRequired)
                .map(|r| r.id)
                .collect();
            state.store.events_of(&accepted).await?
        }
    };
    let mut items: HashMap<String, ServiceItem> = HashMap::new();
    let mut names: HashMap<UserId, String> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for app in rows {
        if !items.contains_key(&app.item) {
            items.insert(app.item.clone(), item_of(state, &app).await?);
        }
        if let Entry::Vacant(slot) = names.entry(app.applicant) {
            let (name, _) = state
                .store
                .user_brief(app.applicant)
                .await?
                .unwrap_or_default();
            slot.insert(name);
        }
        let item = &items[&app.item];
        let history = events.get(&app.id).map(Vec::as_slice).unwrap_or(&[]);
        out.push(ApplicationSummary {
            deadline: deadline_of(state, &app, history),
            correction_due: correction_due(state, &app, history)
                .map(|d| d.format("%Y-%m-%d").to_string()),
            id: app.id,
            number: app.number.clone(),
            item: item.code.clone(),
            item_name: item.name.clone(),
            state: app.state,
            department: DepartmentCode::from(app.department.as_str()),
            applicant_name: names[&app.applicant].clone(),
            created_at: rfc3339(app.created_at),
            updated_at: rfc3339(app.updated_at),
        });
    }
    Ok(out)
}

/// A page of list rows.
pub async fn summary_page(
    state: &AppState,
    rows: Vec<AppRow>,
    total: u64,
    page: u32,
    per_page: u32,
) -> ApiResult<Page<ApplicationSummary>> {
    Ok(Page {
        items: summaries(state, rows, None).await?,
        total,
        page,
        per_page,
    })
}

/// An applicant's or a company's applications with the filters of `q`; `per_page` 0
/// returns every match (at most `MAX_EXPORT_ROWS`). Item and state filter in SQL; light
/// and deadline filter the running cases after their deadlines are computed, since the
/// working-day rules live in the contract crate.
pub async fn filtered_list(
    state: &AppState,
    owner: &Owner,
    q: &ApplicationQuery,
    page: u32,
    per_page: u32,
) -> ApiResult<Page<ApplicationSummary>> {
    let due_before =
        match q.due_before.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                ApiError::field("due_before", "format", "give a date as YYYY-MM-DD")
            })?),
        };
    let filter = ListFilter {
        item: q.item.as_ref().map(|i| i.as_str().to_owned()),
        state: q.state,
        running_only: q.light.is_some() || due_before.is_some(),
    };
    if !filter.running_only {
        let (rows, total) = state
            .store
            .applications(
                owner,
                &filter,
                page,
                per_page.max(if per_page == 0 { 0 } else { 1 }),
            )
            .await?;
        let rows: Vec<AppRow> = rows.into_iter().take(MAX_EXPORT_ROWS).collect();
        return Ok(Page {
            items: summaries(state, rows, None).await?,
            total,
            page,
            per_page,
        });
    }
    let (rows, _) = state.store.applications(owner, &filter, 1, 0).await?;
    let ids: Vec<CaseId> = rows.iter().map(|r| r.id).collect();
    let events = state.store.events_of(&ids).await?;
    let keep: Vec<AppRow> = rows
        .into_iter()
        .filter(|app| {
            let history = events.get(&app.id).map(Vec::as_slice).unwrap_or(&[]);
            let Some(d) = deadline_of(state, app, history) else {
                return false;
            };
            let due = NaiveDate::parse_from_str(&d.due, "%Y-%m-%d").ok();
            q.light.is_none_or(|l| l == d.light)
                && due_before.is_none_or(|limit| due.is_some_and(|due| due <= limit))
        })
        .collect();
    let total = keep.len() as u64;
    let window: Vec<AppRow> = if per_page == 0 {
        keep.into_iter().take(MAX_EXPORT_ROWS).collect()
    } else {
        keep.into_iter()
            .skip(page.saturating_sub(1) as usize * per_page as usize)
            .take(per_page as usize)
            .collect()
    };
    Ok(Page {
        items: summaries(state, window, Some(events)).await?,
        total,
        page,
        per_page,
    })
}

/// The most rows an export holds.
pub const MAX_EXPORT_ROWS: usize = 50_000;

/// Application rows as CSV (RFC 4180) with a byte order mark. Cells that a spreadsheet
/// would run as a formula are prefixed with an apostrophe.
pub fn to_csv(rows: &[ApplicationSummary]) -> String {
    fn cell(out: &mut String, value: &str) {
        let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
        let value = if risky {
            format!("'{value}")
        } else {
            value.to_owned()
        };
        if value.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&value.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&value);
        }
    }
    let mut out = String::from("\u{feff}");
    out.push_str("number,item,item_name,state,applicant,created_at,updated_at,due,working_days_left,light,legal_due\r\n");
    for r in rows {
        let (due, left, light, legal_due) = match &r.deadline {
            Some(d) => (
                d.due.clone(),
                d.working_days_left.to_string(),
                format!("{:?}", d.light).to_lowercase(),
                d.legal_due.clone().unwrap_or_default(),
            ),
            None => Default::default(),
        };
        let values = [
            r.number.clone().unwrap_or_default(),
            r.item.as_str().to_owned(),
            r.item_name.zh.clone(),
            r.state.as_str().to_owned(),
            r.applicant_name.clone(),
            r.created_at.clone(),
            r.updated_at.clone(),
            due,
            left,
            light,
            legal_due,
        ];
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            cell(&mut out, v);
        }
        out.push_str("\r\n");
    }
    out
}

/// Running cases of one department (or all) near or past their deadline, most urgent
/// first: the supervision view (红黄灯督办).
pub async fn supervision(
    state: &AppState,
    department: Option<&str>,
    light: Option<Light>,
) -> ApiResult<Vec<ApplicationSummary>> {
    let rows = state.store.running_cases(department).await?;
    let ids: Vec<CaseId> = rows.iter().map(|r| r.id).collect();
    let events = state.store.events_of(&ids).await?;
    let mut out: Vec<ApplicationSummary> = summaries(state, rows, Some(events))
        .await?
        .into_iter()
        .filter(|s| {
            s.deadline.as_ref().is_some_and(|d| match light {
                Some(l) => d.light == l,
                None => d.light != Light::Green,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |s: &ApplicationSummary| {
            s.deadline
                .as_ref()
                .map(|d| (d.due.clone(), d.working_days_left))
        };
        key(a).cmp(&key(b)).then(a.id.0.cmp(&b.id.0))
    });
    Ok(out)
}

/// The consulted departments of a case; the applicant sees who answered, not the notes.
async fn opinions_of(
    state: &AppState,
    app: &AppRow,
    viewer: Viewer,
) -> ApiResult<Vec<ReviewOpinion>> {
    let rows = state.store.opinions(app.id).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let names = state.store.departments().await?;
    Ok(rows
        .into_iter()
        .map(|o| ReviewOpinion {
            department_name: names
                .iter()
                .find(|d| d.code.as_str() == o.department)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| Text::new(&o.department, &o.department)),
            department: DepartmentCode::from(o.department.as_str()),
            opinion: o.opinion,
            note: if viewer.applies() {
                String::new()
            } else {
                o.note
            },
            requested_at: rfc3339(o.requested_at),
            answered_at: o.answered_at.map(rfc3339),
        })
        .collect())
}

/// Fewest decided cases of an item before a completion date is predicted.
const MIN_SAMPLES: usize = 5;

/// When a running case will probably be decided: the median working days this item's
/// last 100 decided cases took from acceptance with their clocks running (their
/// corrections and special procedures left out), moved out by the time this case's
/// clock stood still; never before today.
async fn predicted(
    state: &AppState,
    app: &AppRow,
    events: &[EventRow],
) -> ApiResult<Option<String>> {
    let Some(accepted) = app.accepted_at else {
        return Ok(None);
    };
    if !app.state.is_pending_decision() {
        return Ok(None);
    }
    let samples = state.store.decided_durations(&app.item, 100).await?;
    if samples.len() < MIN_SAMPLES {
        return Ok(None);
    }
    let ids: Vec<CaseId> = samples.iter().map(|(id, _, _)| *id).collect();
    let histories = state.store.events_of(&ids).await?;
    let mut days: Vec<u32> = samples
        .iter()
        .map(|(id, a, d)| {
            let stops = pauses(state, histories.get(id).map_or(&[][..], |e| &e[..]));
            state.calendar.working_days_running(
                local_date(state, *a),
                local_date(state, *d),
                &stops,
            )
        })
        .collect();
    days.sort_unstable();
    let median = days[days.len() / 2];
    let today = today(state);
    let date = state.calendar.due_date(
        local_date(state, accepted),
        median,
        &pauses(state, events),
        today,
    );
    Ok(Some(date.max(today).format("%Y-%m-%d").to_string()))
}

/// Checks an action against the state machine: 409 with its code when it is not allowed.
pub fn next_state(app: &AppRow, action: CaseAction, viewer: Viewer) -> ApiResult<CaseState> {
    app.state
        .next(action, viewer.actor(), app.accepted_at.is_some())
        .map_err(|e| ApiError::Coded(ErrorCode::InvalidTransition, e.to_string()))
}
