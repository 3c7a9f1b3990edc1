//! Application storage: the case row, its append-only event history (the timeline and
//! audit trail), and its files. State changes are conditional updates, so that two
//! concurrent transitions cannot both succeed.

use super::notifications::NewNotification;
use super::{now_ms, Store};
use onewindow_api::application::{
    AskedCorrection, FileInfo, FileKind, FormValues, Notice, ResultDelivery,
};
use onewindow_api::case::{CaseAction, CaseState};
use onewindow_api::ids::{CaseId, FileId, UserId};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A stored application.
#[derive(Debug, Clone)]
pub struct AppRow {
    pub id: CaseId,
    pub number: Option<String>,
    pub item: String,
    pub case_code: String,
    pub department: String,
    pub applicant: UserId,
    pub company: Option<String>,
    pub state: CaseState,
    pub form: FormValues,
    pub notice: Notice,
    pub submit_key: Option<String>,
    pub promised_days: u32,
    pub accepted_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub delivery: Option<ResultDelivery>,
    pub decided_at: Option<i64>,
    /// The agent (代办) who applied on the applicant's behalf.
    pub agent: Option<UserId>,
    /// The legal time limit in working days, from the guide on acceptance.
    pub legal_days: Option<u32>,
}

/// One event of the history.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub at: i64,
    pub actor: Option<UserId>,
    pub state: CaseState,
    pub action: Option<CaseAction>,
    pub note: String,
    /// For a correction notice, each point it asked for.
    pub asked: Vec<AskedCorrection>,
}

/// What a new application starts from.
#[derive(Debug)]
pub struct NewApplication<'a> {
    pub item: &'a str,
    pub case_code: &'a str,
    pub department: &'a str,
    pub applicant: UserId,
    pub company: Option<&'a str>,
    pub agent: Option<UserId>,
    pub form: &'a FormValues,
    pub promised_days: u32,
    /// Drafts the applicant may have at a time, this one included.
    pub max_drafts: u32,
}

/// A transition to record: from one state to another, by whom and why.
#[derive(Debug)]
pub struct Transition<'a> {
    pub from: CaseState,
    pub to: CaseState,
    pub action: CaseAction,
    pub actor: UserId,
    pub note: &'a str,
    /// For a correction notice, each point it asks for, kept with the event.
    pub asked: &'a [AskedCorrection],
    pub submit_key: Option<&'a str>,
    /// The public application number, given on acceptance.
    pub number: Option<&'a str>,
    /// The promised time limit in working days, as the guide says on acceptance (the
    /// promise in effect when the case is accepted binds it, not the one when its
    /// draft was started).
    pub promised_days: Option<u32>,
    /// The legal time limit in working days, from the guide on acceptance.
    pub legal_days: Option<u32>,
    pub delivery: Option<&'a ResultDelivery>,
    /// Departments consulted in parallel, with `start_review`.
    pub consult: &'a [String],
    /// Notifications the change causes, written to the outbox with it.
    pub notify: &'a [NewNotification],
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, sqlx::Error> {
    serde_json::to_string(v).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

fn state(s: &str) -> Result<CaseState, sqlx::Error> {
    CaseState::parse(s).ok_or_else(|| sqlx::Error::Decode(format!("unknown state {s}").into()))
}

const APP_COLUMNS: &str =
    "id, number, item, case_code, department, applicant, company, state, form, notice,
    submit_key, promised_days, accepted_at, created_at, updated_at, delivery, decided_at, agent,
    legal_days";

fn app_from_row(r: &AnyRow) -> Result<AppRow, sqlx::Error> {
    Ok(AppRow {
        id: CaseId(r.try_get(0)?),
        number: r.try_get(1)?,
        item: r.try_get(2)?,
        case_code: r.try_get(3)?,
        department: r.try_get(4)?,
        applicant: UserId(r.try_get(5)?),
        company: r.try_get(6)?,
        state: state(&r.try_get::<String, _>(7)?)?,
        form: parse(&r.try_get::<String, _>(8)?)?,
        notice: parse(&r.try_get::<String, _>(9)?)?,
        submit_key: r.try_get(10)?,
        promised_days: r.try_get::<i64, _>(11)?.clamp(0, i64::from(u32::MAX)) as u32,
        accepted_at: r.try_get(12)?,
        created_at: r.try_get(13)?,
        updated_at: r.try_get(14)?,
        delivery: r
            .try_get::<Option<String>, _>(15)?
            .map(|d| parse(&d))
            .transpose()?,
        decided_at: r.try_get(16)?,
        agent: r.try_get::<Option<i64>, _>(17)?.map(UserId),
        legal_days: r
            .try_get::<Option<i64>, _>(18)?
            .map(|d| d.clamp(0, i64::from(u32::MAX)) as u32),
    })
}

/// An event from the columns at, actor, state, action, note, detail starting at `first`.
fn event_from_row(r: &AnyRow, first: usize) -> Result<EventRow, sqlx::Error> {
    let action: Option<String> = r.try_get(first + 3)?;
    Ok(EventRow {
        at: r.try_get(first)?,
        actor: r.try_get::<Option<i64>, _>(first + 1)?.map(UserId),
        state: state(&r.try_get::<String, _>(first + 2)?)?,
        action: action.as_deref().and_then(CaseAction::parse),
        note: r.try_get(first + 4)?,
        asked: r
            .try_get::<Option<String>, _>(first + 5)?
            .map(|d| parse(&d))
            .transpose()?
            .unwrap_or_default(),
    })
}

/// Whose applications a list shows.
#[derive(Debug, Clone)]
pub enum Owner {
    /// A citizen's own, and those they filed as an agent while still authorised.
    Applicant(UserId),
    Company(String),
}

/// The filters of an application list that SQL applies.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub item: Option<String>,
    pub state: Option<CaseState>,
    /// Only cases whose clock has started and not yet stopped for good.
    pub running_only: bool,
}

/// The states in which a case has a deadline.
pub const RUNNING_STATES: &str = "('accepted', 'under_review', 'correction_required', 'suspended')";

impl Store {
    /// A page of a department's submitted cases (never drafts), oldest first so that the
    /// queue is worked in order; optionally only those in `state`.
    pub async fn department_queue(
        &self,
        department: &str,
        state: Option<CaseState>,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<AppRow>, u64), sqlx::Error> {
        let filter = "department = $1 AND state <> 'draft' AND ($2 = '' OR state = $3)";
        let wanted = state.map(CaseState::as_str).unwrap_or("");
        let total: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM applications WHERE {filter}"))
            .bind(department)
            .bind(wanted)
            .bind(wanted)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let sql = format!(
            "SELECT {APP_COLUMNS} FROM applications WHERE {filter} ORDER BY id LIMIT {per_page} OFFSET {}",
            i64::from(page.saturating_sub(1)) * i64::from(per_page)
        );
        let rows = sqlx::query(&sql)
            .bind(department)
            .bind(wanted)
            .bind(wanted)
            .fetch_all(&self.pool)
            .await?;
        Ok((
            rows.iter().map(app_from_row).collect::<Result<_, _>>()?,
            total.max(0) as u64,
        ))
    }

    /// Starts a draft; `None` when the applicant already has `max_drafts` of them.
    pub async fn create_application(
        &self,
        a: &NewApplication<'_>,
    ) -> Result<Option<CaseId>, sqlx::Error> {
        let mut tx = self.write().await?;
        if self.backend == super::Backend::Postgres {
            // One start at a time per applicant, so two at once cannot both pass the
            // count (SQLite's writes are one at a time anyway).
            sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                .bind(a.applicant.0)
                .execute(&mut *tx)
                .await?;
        }
        let drafts: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM applications WHERE applicant = $1 AND state = $2",
        )
        .bind(a.applicant.0)
        .bind(CaseState::Draft.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if drafts >= i64::from(a.max_drafts) {
            return Ok(None);
        }
        let now = now_ms();
        let row = sqlx::query(
            "INSERT INTO applications (item, case_code, department, applicant, company, state, form,
               notice, promised_days, created_at, updated_at, agent)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(a.item)
        .bind(a.case_code)
        .bind(a.department)
        .bind(a.applicant.0)
        .bind(a.company)
        .bind(CaseState::Draft.as_str())
        .bind(json(a.form)?)
        .bind(json(&Notice::default())?)
        .bind(i64::from(a.promised_days))
        .bind(now)
        .bind(now)
        .bind(a.agent.map(|u| u.0))
        .fetch_one(&mut *tx)
        .await?;
        let id = CaseId(row.try_get(0)?);
        sqlx::query("INSERT INTO application_events (application, at, actor, state, action, note) VALUES ($1, $2, $3, $4, NULL, '')")
            .bind(id.0)
            .bind(now)
            .bind(a.agent.unwrap_or(a.applicant).0)
            .bind(CaseState::Draft.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    pub async fn application_by_number(&self, number: &str) -> Result<Option<AppRow>, sqlx::Error> {
        let sql = format!("SELECT {APP_COLUMNS} FROM applications WHERE number = $1");
        let row = sqlx::query(&sql)
            .bind(number)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(app_from_row).transpose()
    }

    pub async fn application(&self, id: CaseId) -> Result<Option<AppRow>, sqlx::Error> {
        let sql = format!("SELECT {APP_COLUMNS} FROM applications WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(app_from_row).transpose()
    }

    /// A page of an applicant's or a company's applications, newest first; `per_page`
    /// 0 means all of them (for exports and in-memory filters).
    pub async fn applications(
        &self,
        owner: &Owner,
        filter: &ListFilter,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<AppRow>, u64), sqlx::Error> {
        let who = match owner {
            Owner::Applicant(_) => {
                "(applicant = $1 OR (agent = $2 AND EXISTS (SELECT 1 FROM authorisations z
                   WHERE z.agent = $3 AND z.principal = applications.applicant AND z.revoked_at IS NULL)))"
            }
            Owner::Company(_) => "(company = $1 AND $2 = $3)",
        };
        let running = if filter.running_only {
            format!(" AND state IN {RUNNING_STATES}")
        } else {
            String::new()
        };
        let where_ =
            format!("{who} AND ($4 = '' OR item = $5) AND ($6 = '' OR state = $7){running}");
        let count_sql = format!("SELECT COUNT(*) FROM applications WHERE {where_}");
        let limit = if per_page == 0 {
            String::new()
        } else {
            format!(
                " LIMIT {per_page} OFFSET {}",
                i64::from(page.saturating_sub(1)) * i64::from(per_page)
            )
        };
        let list_sql = format!(
            "SELECT {APP_COLUMNS} FROM applications WHERE {where_} ORDER BY id DESC{limit}"
        );
        let item = filter.item.as_deref().unwrap_or("");
        let state = filter.state.map(CaseState::as_str).unwrap_or("");
        // Bind user ids as numbers: PostgreSQL does not compare BIGINT with TEXT.
        macro_rules! bound {
            ($sql:expr) => {{
                let q = sqlx::query($sql);
                let q = match owner {
                    Owner::Applicant(u) => q.bind(u.0).bind(u.0).bind(u.0),
                    Owner::Company(c) => q.bind(c.clone()).bind(0i64).bind(0i64),
                };
                q.bind(item).bind(item).bind(state).bind(state)
            }};
        }
        let total: i64 = bound!(&count_sql).fetch_one(&self.pool).await?.try_get(0)?;
        let rows = bound!(&list_sql).fetch_all(&self.pool).await?;
        Ok((
            rows.iter().map(app_from_row).collect::<Result<_, _>>()?,
            total.max(0) as u64,
        ))
    }

    /// The running cases of a department (or of all departments), for supervision.
    pub async fn running_cases(
        &self,
        department: Option<&str>,
    ) -> Result<Vec<AppRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {APP_COLUMNS} FROM applications WHERE state IN {RUNNING_STATES} AND ($1 = '' OR department = $2) ORDER BY id"
        );
        let d = department.unwrap_or("");
        let rows = sqlx::query(&sql)
            .bind(d)
            .bind(d)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(app_from_row).collect()
    }

    /// The histories of several applications at once, by application id.
    pub async fn events_of(
        &self,
        ids: &[CaseId],
    ) -> Result<std::collections::HashMap<CaseId, Vec<EventRow>>, sqlx::Error> {
        let mut out: std::collections::HashMap<CaseId, Vec<EventRow>> = Default::default();
        // Ids are integers from the database, so inlining them is safe; chunks keep each
        // statement small.
        for chunk in ids.chunks(500) {
            let list = chunk
                .iter()
                .map(|i| i.0.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let sql = format!(
                "SELECT application, at, actor, state, action, note, detail FROM application_events WHERE application IN ({list}) ORDER BY id"
            );
            for r in sqlx::query(&sql).fetch_all(&self.pool).await? {
                let id = CaseId(r.try_get(0)?);
                out.entry(id).or_default().push(event_from_row(&r, 1)?);
            }
        }
        Ok(out)
    }

    /// How long this item's recently decided cases took: (accepted, decided) times of
    /// at most `limit` cases, newest first.
    pub async fn decided_durations(
        &self,
        item: &str,
        limit: u32,
    ) -> Result<Vec<(CaseId, i64, i64)>, sqlx::Error> {
        let sql = format!(
            "SELECT id, accepted_at, decided_at FROM applications WHERE item = $1 AND decided_at IS NOT NULL
               AND accepted_at IS NOT NULL ORDER BY decided_at DESC LIMIT {limit}"
        );
        sqlx::query(&sql)
            .bind(item)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((CaseId(r.try_get(0)?), r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }

    /// Saves the form of an application that is a draft or awaiting a correction. A
    /// correction's change is audited (`audit`: who, and which fields; never values).
    pub async fn update_form(
        &self,
        id: CaseId,
        form: &FormValues,
        audit: Option<(UserId, &str)>,
    ) -> Result<bool, sqlx::Error> {
        let save = sqlx::query(
            "UPDATE applications SET form = $1, updated_at = $2 WHERE id = $3 AND state IN ('draft', 'correction_required')",
        )
        .bind(json(form)?)
        .bind(now_ms())
        .bind(id.0);
        let Some((actor, detail)) = audit else {
            return Ok(save.execute(&self.pool).await?.rows_affected() > 0);
        };
        let mut tx = self.write().await?;
        let done = save.execute(&mut *tx).await?.rows_affected() > 0;
        if done {
            super::audit::record(
                &mut *tx,
                Some(actor),
                "application.correct_form",
                &format!("application:{id}"),
                detail,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Deletes a draft with its files' records; false when it is no longer a draft.
    pub async fn delete_draft(&self, id: CaseId, actor: UserId) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM files WHERE application = $1 AND EXISTS (SELECT 1 FROM applications a WHERE a.id = $2 AND a.state = 'draft')")
            .bind(id.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM application_events WHERE application = $1 AND EXISTS (SELECT 1 FROM applications a WHERE a.id = $2 AND a.state = 'draft')")
            .bind(id.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM applications WHERE id = $1 AND state = 'draft'")
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if done {
            super::audit::record(
                &mut *tx,
                Some(actor),
                "application.delete_draft",
                &format!("application:{id}"),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Moves an application from `t.from` to `t.to` and records the event, atomically;
    /// false when it was no longer in `t.from` (someone else moved it first).
    pub async fn transition(
        &self,
        id: CaseId,
        t: &Transition<'_>,
        notice: Option<&Notice>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let now = now_ms();
        let accepted_at = (t.to == CaseState::Accepted).then_some(now);
        let decided_at = matches!(t.to, CaseState::Approved | CaseState::Rejected).then_some(now);
        let changed = sqlx::query(
            "UPDATE applications SET state = $1, updated_at = $2,
               submit_key = COALESCE($3, submit_key),
               accepted_at = COALESCE($4, accepted_at),
               notice = COALESCE($5, notice),
               number = COALESCE($8, number),
               delivery = COALESCE($9, delivery),
               decided_at = COALESCE($10, decided_at),
               promised_days = COALESCE($11, promised_days),
               legal_days = COALESCE($12, legal_days)
             WHERE id = $6 AND state = $7",
        )
        .bind(t.to.as_str())
        .bind(now)
        .bind(t.submit_key)
        .bind(accepted_at)
        .bind(notice.map(json).transpose()?)
        .bind(id.0)
        .bind(t.from.as_str())
        .bind(t.number)
        .bind(t.delivery.map(json).transpose()?)
        .bind(decided_at)
        .bind(t.promised_days.map(i64::from))
        .bind(t.legal_days.map(i64::from))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !changed {
            return Ok(false);
        }
        sqlx::query("INSERT INTO application_events (application, at, actor, state, action, note, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id.0)
            .bind(now)
            .bind(t.actor.0)
            .bind(t.to.as_str())
            .bind(t.action.as_str())
            .bind(t.note)
            .bind((!t.asked.is_empty()).then(|| json(&t.asked)).transpose()?)
            .execute(&mut *tx)
            .await?;
        for department in t.consult {
            sqlx::query(
                "INSERT INTO review_opinions (application, department, requested_by, requested_at)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id.0)
            .bind(department.as_str())
            .bind(t.actor.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for n in t.notify {
            super::notifications::write(&mut tx, n).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The cases waiting for a correction whose current notice has not been reminded of
    /// yet (补正到期提醒), each with that notice's event id and time.
    pub async fn corrections_to_remind(&self) -> Result<Vec<(AppRow, i64, i64)>, sqlx::Error> {
        let latest = |column: &str| {
            format!(
                "(SELECT e.{column} FROM application_events e WHERE e.application = applications.id
                    AND e.action = 'request_correction' ORDER BY e.id DESC LIMIT 1)"
            )
        };
        let (notice, at) = (latest("id"), latest("at"));
        let sql = format!(
            "SELECT {APP_COLUMNS}, {notice} AS notice_id, {at} AS notice_at FROM applications
              WHERE state = 'correction_required'
                AND (correction_reminded_for IS NULL OR correction_reminded_for <> {notice})
              ORDER BY applications.id"
        );
        let n = APP_COLUMNS.split(',').count();
        let mut out = Vec::new();
        for r in sqlx::query(&sql).fetch_all(&self.pool).await? {
            if let (Some(notice), Some(at)) = (
                r.try_get::<Option<i64>, _>(n)?,
                r.try_get::<Option<i64>, _>(n + 1)?,
            ) {
                out.push((app_from_row(&r)?, notice, at));
            }
        }
        Ok(out)
    }

    /// Claims the reminder of correction notice `notice` of case `id` and writes `notes`
    /// with it, in one transaction; false (and nothing written) when it was claimed
    /// before, or the case has moved on or has a newer notice.
    pub async fn remind_correction(
        &self,
        id: CaseId,
        notice: i64,
        notes: &[NewNotification],
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        // The claim takes the case's row first, so that no new notice can be written
        // meanwhile; the newest notice is read after it, as committed by then (on
        // PostgreSQL a subquery of the UPDATE would see the statement's older snapshot).
        let claimed = sqlx::query(
            "UPDATE applications SET correction_reminded_for = $1
              WHERE id = $2 AND state = 'correction_required'
                AND (correction_reminded_for IS NULL OR correction_reminded_for <> $3)",
        )
        .bind(notice)
        .bind(id.0)
        .bind(notice)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !claimed {
            return Ok(false);
        }
        let newest: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(id) FROM application_events WHERE application = $1 AND action = 'request_correction'",
        )
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await?;
        if newest != Some(notice) {
            // Dropped without a commit: the claim is rolled back.
            return Ok(false);
        }
        for n in notes {
            super::notifications::write(&mut tx, n).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The history of an application, oldest first.
    pub async fn events(&self, id: CaseId) -> Result<Vec<EventRow>, sqlx::Error> {
        let rows = sqlx::query("SELECT at, actor, state, action, note, detail FROM application_events WHERE application = $1 ORDER BY id")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| event_from_row(r, 0)).collect()
    }

    /// The files of an application, in upload order.
    pub async fn application_files(&self, id: CaseId) -> Result<Vec<FileInfo>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, slot, name, format, size, sha256, created_at, kind FROM files WHERE application = $1 ORDER BY id")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let format: String = r.try_get(3)?;
                let format =
                    onewindow_api::catalogue::FileFormat::parse(&format).ok_or_else(|| {
                        sqlx::Error::Decode(format!("unknown format {format}").into())
                    })?;
                let kind: String = r.try_get(7)?;
                Ok(FileInfo {
                    id: FileId(r.try_get(0)?),
                    kind: FileKind::parse(&kind).unwrap_or_default(),
                    slot: r.try_get(1)?,
                    name: r.try_get(2)?,
                    format,
                    size: r.try_get::<i64, _>(4)?.max(0) as u64,
                    sha256: r.try_get(5)?,
                    uploaded_at: super::rfc3339(r.try_get(6)?),
                })
            })
            .collect()
    }

    /// The ID number of a user, for masking in views of their applications.
    pub async fn user_brief(
        &self,
        id: UserId,
    ) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
        let row = sqlx::query("SELECT name, id_number FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }
}

/// A file to record after its bytes are stored.
#[derive(Debug)]
pub struct NewFile<'a> {
    pub kind: FileKind,
    pub owner: UserId,
    pub application: CaseId,
    pub slot: &'a str,
    pub name: &'a str,
    pub format: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    pub storage_key: &'a str,
}

/// The most files one material slot of a case holds (a few pages or photos each).
pub const MAX_FILES_PER_SLOT: i64 = 20;

/// Where a file's bytes are, and what they are.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub application: Option<CaseId>,
    pub format: String,
    pub storage_key: String,
    /// The material slot (or result or attachment label) it was filed under.
    pub slot: String,
}

impl Store {
    /// Records a file. A material is recorded only while its case may still change (a
    /// draft or a correction) and its slot holds fewer than `MAX_FILES_PER_SLOT`, checked
    /// in the same statement: an upload that ends after the case was submitted adds
    /// nothing (`None`). A material added during a correction, and every result document,
    /// go into the audit trail.
    pub async fn insert_file(&self, f: &NewFile<'_>) -> Result<Option<FileId>, sqlx::Error> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO files (owner, application, slot, name, format, size, sha256, storage_key, created_at, kind)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
             WHERE $11 <> 'material' OR (EXISTS (SELECT 1 FROM applications
                 WHERE id = $12 AND state IN ('draft', 'correction_required'))
               AND (SELECT COUNT(*) FROM files WHERE application = $13 AND slot = $14 AND kind = 'material') < $15)
             RETURNING id",
        )
        .bind(f.owner.0)
        .bind(f.application.0)
        .bind(f.slot)
        .bind(f.name)
        .bind(f.format)
        .bind(i64::try_from(f.size).unwrap_or(i64::MAX))
        .bind(f.sha256)
        .bind(f.storage_key)
        .bind(now_ms())
        .bind(f.kind.as_str())
        .bind(f.kind.as_str())
        .bind(f.application.0)
        .bind(f.application.0)
        .bind(f.slot)
        .bind(MAX_FILES_PER_SLOT)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id = FileId(row.try_get(0)?);
        let detail = format!("slot: {}, file: {id}", f.slot);
        match f.kind {
            FileKind::Material => {
                super::audit::record_if_correcting(
                    &mut *tx,
                    f.owner,
                    "application.add_file",
                    f.application,
                    &detail,
                )
                .await?
            }
            FileKind::Result => {
                super::audit::record(
                    &mut *tx,
                    Some(f.owner),
                    "application.add_result",
                    &format!("application:{}", f.application),
                    &detail,
                )
                .await?
            }
        }
        tx.commit().await?;
        Ok(Some(id))
    }

    pub async fn stored_file(&self, id: FileId) -> Result<Option<StoredFile>, sqlx::Error> {
        let row =
            sqlx::query("SELECT application, format, storage_key, slot FROM files WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(StoredFile {
                application: r.try_get::<Option<i64>, _>(0)?.map(CaseId),
                format: r.try_get(1)?,
                storage_key: r.try_get(2)?,
                slot: r.try_get(3)?,
            })
        })
        .transpose()
    }

    /// Deletes the record of a material of an editable application; false otherwise. A
    /// removal during a correction goes into the audit trail.
    pub async fn delete_file(
        &self,
        id: FileId,
        application: CaseId,
        actor: UserId,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.write().await?;
        let slot: Option<String> = sqlx::query_scalar(
            "DELETE FROM files WHERE id = $1 AND application = $2 AND kind = 'material' AND EXISTS (SELECT 1 FROM applications a
               WHERE a.id = $3 AND a.state IN ('draft', 'correction_required')) RETURNING slot",
        )
        .bind(id.0)
        .bind(application.0)
        .bind(application.0)
        .fetch_optional(&mut *tx)
        .await?;
        let done = slot.is_some();
        if let Some(slot) = slot {
            super::audit::record_if_correcting(
                &mut *tx,
                actor,
                "application.remove_file",
                application,
                &format!("slot: {slot}, file: {id}"),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }
}

/// A file of a case with everything needed to copy it.
#[derive(Debug, Clone)]
pub struct FileCopy {
    pub kind: FileKind,
    pub slot: String,
    pub name: String,
    pub format: String,
    pub size: u64,
    pub sha256: String,
    pub storage_key: String,
}

impl Store {
    /// Every file of a case, for copying into the wallet.
    pub async fn file_copies(&self, id: CaseId) -> Result<Vec<FileCopy>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT kind, slot, name, format, size, sha256, storage_key FROM files WHERE application = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FileCopy {
                    kind: FileKind::parse(&r.try_get::<String, _>(0)?).unwrap_or_default(),
                    slot: r.try_get(1)?,
                    name: r.try_get(2)?,
                    format: r.try_get(3)?,
                    size: r.try_get::<i64, _>(4)?.max(0) as u64,
                    sha256: r.try_get(5)?,
                    storage_key: r.try_get(6)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use onewindow_api::case::CaseState;

    #[test]
    fn the_running_states_are_the_contracts() {
        let mut listed: Vec<&str> = super::RUNNING_STATES
            .trim_matches(|c| c == '(' || c == ')')
            .split(", ")
            .map(|s| s.trim_matches('\''))
            .collect();
        let mut expected: Vec<&str> = CaseState::ALL
            .into_iter()
            .filter(|s| s.is_pending_decision())
            .map(CaseState::as_str)
            .collect();
        listed.sort_unstable();
        expected.sort_unstable();
        assert_eq!(listed, expected);
    }
}
