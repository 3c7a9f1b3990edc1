//! Question and complaint threads. A message and the thread's new state are written in
//! one transaction, the state moved with a conditional update from the state the writer
//! saw; a staff reply also writes the citizen's notification.

use super::notifications::{self, NewNotification};
use super::{now_ms, rfc3339, Arg, Store};
use onewindow_api::catalogue::FileFormat;
use onewindow_api::ids::{CaseId, FileId, HallCode, ItemCode, ThreadId, UserId};
use onewindow_api::thread::{
    ThreadAttachment, ThreadKind, ThreadMessage, ThreadState, ThreadSubject,
};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A stored thread, without its messages.
#[derive(Debug, Clone)]
pub struct ThreadRow {
    pub id: ThreadId,
    pub kind: ThreadKind,
    pub subject: ThreadSubject,
    pub citizen: UserId,
    pub department: Option<String>,
    pub title: String,
    pub state: ThreadState,
    pub created_at: i64,
    pub updated_at: i64,
}

fn subject_key(s: &ThreadSubject) -> (&'static str, String) {
    match s {
        ThreadSubject::Item(c) => ("item", c.0.clone()),
        ThreadSubject::Case(id) => ("case", id.0.to_string()),
        ThreadSubject::Hall(h) => ("hall", h.0.clone()),
    }
}

const COLUMNS: &str =
    "id, kind, subject_kind, subject_id, citizen, department, title, state, created_at, updated_at";

fn from_row(r: &AnyRow) -> Result<ThreadRow, sqlx::Error> {
    let bad = |what: String| sqlx::Error::Decode(what.into());
    let kind: String = r.try_get(1)?;
    let subject_kind: String = r.try_get(2)?;
    let subject_id: String = r.try_get(3)?;
    let subject = match subject_kind.as_str() {
        "item" => ThreadSubject::Item(ItemCode(subject_id)),
        "hall" => ThreadSubject::Hall(HallCode(subject_id)),
        "case" => ThreadSubject::Case(CaseId(
            subject_id
                .parse()
                .map_err(|_| bad(format!("case id {subject_id}")))?,
        )),
        other => return Err(bad(format!("subject {other}"))),
    };
    let state: String = r.try_get(7)?;
    Ok(ThreadRow {
        id: ThreadId(r.try_get(0)?),
        kind: ThreadKind::parse(&kind).ok_or_else(|| bad(format!("kind {kind}")))?,
        subject,
        citizen: UserId(r.try_get(4)?),
        department: r.try_get(5)?,
        title: r.try_get(6)?,
        state: ThreadState::parse(&state).ok_or_else(|| bad(format!("state {state}")))?,
        created_at: r.try_get(8)?,
        updated_at: r.try_get(9)?,
    })
}

/// A thread to open with its first message.
#[derive(Debug)]
pub struct NewThread<'a> {
    pub kind: ThreadKind,
    pub subject: &'a ThreadSubject,
    pub citizen: UserId,
    pub department: Option<&'a str>,
    pub title: &'a str,
    pub text: &'a str,
}

/// A message to add, moving the thread from `from` to `to`.
#[derive(Debug)]
pub struct NewMessage<'a> {
    pub author: UserId,
    pub from_staff: bool,
    pub text: &'a str,
    pub from: ThreadState,
    pub to: ThreadState,
}

async fn add_message(
    conn: &mut sqlx::AnyConnection,
    thread: ThreadId,
    author: UserId,
    from_staff: bool,
    text: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO thread_messages (thread, author, from_staff, text, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(thread.0)
    .bind(author.0)
    .bind(i64::from(from_staff))
    .bind(text)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ())
}

impl Store {
    pub async fn open_thread(&self, t: &NewThread<'_>) -> Result<ThreadId, sqlx::Error> {
        let (kind, id) = subject_key(t.subject);
        let now = now_ms();
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO threads (kind, subject_kind, subject_id, citizen, department, title, state, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id",
        )
        .bind(t.kind.as_str())
        .bind(kind)
        .bind(id)
        .bind(t.citizen.0)
        .bind(t.department)
        .bind(t.title)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let thread = ThreadId(row.try_get(0)?);
        add_message(&mut tx, thread, t.citizen, false, t.text, now).await?;
        super::audit::record(
            &mut *tx,
            Some(t.citizen),
            &format!("thread.open.{}", t.kind.as_str()),
            &format!("thread:{thread}"),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(thread)
    }

    pub async fn thread(&self, id: ThreadId) -> Result<Option<ThreadRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM threads WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn thread_messages(&self, id: ThreadId) -> Result<Vec<ThreadMessage>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT from_staff, text, at FROM thread_messages WHERE thread = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ThreadMessage {
                    from_staff: r.try_get::<i64, _>(0)? != 0,
                    text: r.try_get(1)?,
                    at: rfc3339(r.try_get(2)?),
                })
            })
            .collect()
    }

    /// Threads of a citizen, of a department, or (supervisors) all, filtered: newest
    /// activity first for citizens, the longest waiting first for staff.
    pub async fn threads(
        &self,
        scope: ThreadScope<'_>,
        state: Option<ThreadState>,
        kind: Option<ThreadKind>,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<ThreadRow>, u64), sqlx::Error> {
        let (who, order, first) = match scope {
            ThreadScope::Citizen(u) => ("citizen = $1", "updated_at DESC, id DESC", Arg::Int(u.0)),
            ThreadScope::Department(d) => ("department = $1", "updated_at, id", Arg::Text(d)),
            ThreadScope::Supervisor => ("$1 = ''", "updated_at, id", Arg::Text("")),
        };
        let filter = format!("{who} AND ($2 = '' OR state = $2) AND ($3 = '' OR kind = $3)");
        let args = [
            first,
            Arg::Text(state.map_or("", |s| s.as_str())),
            Arg::Text(kind.map_or("", |k| k.as_str())),
        ];
        self.page(
            COLUMNS,
            "threads",
            &filter,
            order,
            &args,
            (page, per_page),
            from_row,
        )
        .await
    }

    /// Adds a message and moves the thread, atomically; false if the thread was no
    /// longer in `m.from`.
    pub async fn post_message(
        &self,
        thread: ThreadId,
        m: &NewMessage<'_>,
        note: Option<&NewNotification>,
    ) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        let mut tx = self.write().await?;
        let moved = sqlx::query(
            "UPDATE threads SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
        )
        .bind(m.to.as_str())
        .bind(now)
        .bind(thread.0)
        .bind(m.from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !moved {
            return Ok(false);
        }
        if !m.text.is_empty() {
            add_message(&mut tx, thread, m.author, m.from_staff, m.text, now).await?;
        }
        super::audit::record(
            &mut *tx,
            Some(m.author),
            &format!("thread.{}", m.to.as_str()),
            &format!("thread:{thread}"),
            "",
        )
        .await?;
        if let Some(note) = note {
            notifications::write(&mut tx, note).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

/// Whose threads to list.
#[derive(Debug, Clone, Copy)]
pub enum ThreadScope<'a> {
    Citizen(UserId),
    Department(&'a str),
    /// Supervisors see every thread.
    Supervisor,
}

/// An attachment to record.
#[derive(Debug)]
pub struct NewAttachment<'a> {
    pub thread: ThreadId,
    pub author: UserId,
    pub from_staff: bool,
    pub name: &'a str,
    pub format: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    pub storage_key: &'a str,
}

/// A stored attachment.
#[derive(Debug, Clone)]
pub struct AttachmentRow {
    pub info: ThreadAttachment,
    pub storage_key: String,
}

impl Store {
    /// Records an attachment unless the thread is closed or full (one statement);
    /// None when refused.
    pub async fn add_attachment(
        &self,
        a: &NewAttachment<'_>,
        max: u64,
    ) -> Result<Option<FileId>, sqlx::Error> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO thread_attachments (thread, author, from_staff, name, format, size, sha256, storage_key, at)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (
               SELECT 1 FROM threads t WHERE t.id = $10 AND t.state <> 'closed'
                 AND (SELECT COUNT(*) FROM thread_attachments x WHERE x.thread = $11) < $12)
             RETURNING id",
        )
        .bind(a.thread.0)
        .bind(a.author.0)
        .bind(i64::from(a.from_staff))
        .bind(a.name)
        .bind(a.format)
        .bind(i64::try_from(a.size).unwrap_or(i64::MAX))
        .bind(a.sha256)
        .bind(a.storage_key)
        .bind(now_ms())
        .bind(a.thread.0)
        .bind(a.thread.0)
        .bind(i64::try_from(max).unwrap_or(i64::MAX))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id = FileId(row.try_get(0)?);
        super::audit::record(
            &mut *tx,
            Some(a.author),
            "thread.attach",
            &format!("thread:{}", a.thread),
            &format!("file:{id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    pub async fn attachments(&self, thread: ThreadId) -> Result<Vec<AttachmentRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, name, format, size, sha256, from_staff, at, storage_key
             FROM thread_attachments WHERE thread = $1 ORDER BY id",
        )
        .bind(thread.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let format: String = r.try_get(2)?;
                Ok(AttachmentRow {
                    info: ThreadAttachment {
                        id: FileId(r.try_get(0)?),
                        name: r.try_get(1)?,
                        format: FileFormat::parse(&format).ok_or_else(|| {
                            sqlx::Error::Decode(format!("format {format}").into())
                        })?,
                        size: r.try_get::<i64, _>(3)?.max(0) as u64,
                        sha256: r.try_get(4)?,
                        from_staff: r.try_get::<i64, _>(5)? != 0,
                        uploaded_at: rfc3339(r.try_get(6)?),
                    },
                    storage_key: r.try_get(7)?,
                })
            })
            .collect()
    }
}
