//! Drafts edited offline. When the server cannot be reached, saving a draft's form
//! (`PUT /api/v1/applications/{id}/form`) goes to an outbox on disk and is answered at
//! once from the offline copy of the application: the form changed, and the automatic
//! notice worked out by the contract crate's pre-review over the cached guide, as the
//! server would. Reading the application while a save waits shows the waiting form, so
//! a page never falls back to what the server still has.
//!
//! When the server answers again the outbox is replayed in order. A save replaces the
//! whole form, so replaying it twice does no harm, and only the latest save of a draft
//! is kept (last write wins). A save the server refuses (the draft was submitted or
//! deleted meanwhile, or the form breaks a rule) is dropped and reported to the page.
//!
//! Each save is kept with the account it belongs to and replayed only in that account's
//! session, so signing out loses nothing: it is sent when that account signs in again.
//! The file is readable by the user only.

use crate::cache::{private_dir, server_key, write_private};
use crate::error::IpcError;
use onewindow_api::application::{Application, FileKind, FormValues, Notice};
use onewindow_api::case::CaseState;
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::ids::{CaseId, UserId};
use onewindow_api::prereview::{self, UploadedFile};
use onewindow_api::ErrorCode;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One save that waits for the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    pub account: UserId,
    pub application: CaseId,
    pub form: FormValues,
    /// When it was made (RFC 3339, UTC).
    pub queued_at: String,
}

impl Queued {
    /// The request that sends it.
    pub fn path(&self) -> String {
        form_path(self.application)
    }
}

/// A replayed save the server refused, for the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub application: CaseId,
    pub code: String,
    pub message: String,
}

/// What one replay did, sent to the page as the `drafts_synced` event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Synced {
    pub sent: Vec<CaseId>,
    pub refused: Vec<Refusal>,
}

/// The outbox of one server.
#[derive(Debug)]
pub struct Outbox {
    file: PathBuf,
    /// One reader or writer of the file at a time.
    lock: Mutex<()>,
}

/// The path that saves the form of `id`.
pub fn form_path(id: CaseId) -> String {
    format!("/api/v1/applications/{id}/form")
}

/// `Some(id)` when `path` saves a draft's form.
pub fn saved_form(path: &str) -> Option<CaseId> {
    let id = path
        .strip_prefix("/api/v1/applications/")?
        .strip_suffix("/form")?;
    id.parse::<i64>().ok().map(CaseId)
}

/// `Some(id)` when `path` reads one application (without a query).
pub fn read_application(path: &str) -> Option<CaseId> {
    let id = path.strip_prefix("/api/v1/applications/")?;
    id.parse::<i64>().ok().map(CaseId)
}

impl Outbox {
    /// The outbox of `server` under `data_dir`.
    pub fn new(data_dir: &Path, server: &str) -> Outbox {
        Outbox {
            file: data_dir
                .join("outbox")
                .join(format!("{}.json", server_key(server))),
            lock: Mutex::new(()),
        }
    }

    fn guard(&self) -> std::sync::MutexGuard<'_, ()> {
        self.lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Everything waiting. A damaged file is kept aside (never silently overwritten)
    /// and counts as empty.
    fn load(&self) -> Vec<Queued> {
        let Ok(bytes) = std::fs::read(&self.file) else {
            return Vec::new();
        };
        match serde_json::from_slice(&bytes) {
            Ok(all) => all,
            Err(e) => {
                eprintln!("onewindow: the outbox is damaged ({e}); it is kept aside");
                let _ = std::fs::rename(&self.file, self.file.with_extension("damaged"));
                Vec::new()
            }
        }
    }

    fn store(&self, all: &[Queued]) -> Result<(), IpcError> {
        let written = self
            .file
            .parent()
            .map_or(Ok(()), private_dir)
            .and_then(|()| {
                let json = serde_json::to_vec(all).map_err(std::io::Error::other)?;
                write_private(&self.file, &json)
            });
        written.map_err(|e| IpcError::Storage(format!("the offline change was not kept: {e}")))
    }

    /// Keeps a save; an earlier save of the same draft by the same account is replaced.
    pub fn queue(&self, save: Queued) -> Result<(), IpcError> {
        let _g = self.guard();
        let mut all = self.load();
        all.retain(|q| !(q.account == save.account && q.application == save.application));
        all.push(save);
        self.store(&all)
    }

    /// The saves of `account` waiting, oldest first.
    pub fn pending(&self, account: UserId) -> Vec<Queued> {
        let _g = self.guard();
        self.load()
            .into_iter()
            .filter(|q| q.account == account)
            .collect()
    }

    /// The waiting save of one draft, if any.
    pub fn waiting(&self, account: UserId, application: CaseId) -> Option<Queued> {
        self.pending(account)
            .into_iter()
            .find(|q| q.application == application)
    }

    /// Whether anything waits, for any account (cheap: no parsing when there is no file).
    pub fn is_empty(&self) -> bool {
        !self.file.exists() || {
            let _g = self.guard();
            self.load().is_empty()
        }
    }

    /// Removes `save` once the server has it (or refused it). A newer save of the same
    /// draft, queued meanwhile, stays.
    pub fn done(&self, save: &Queued) -> Result<(), IpcError> {
        let _g = self.guard();
        let mut all = self.load();
        let before = all.len();
        all.retain(|q| q != save);
        if all.len() == before {
            return Ok(());
        }
        self.store(&all)
    }

    /// Forgets the waiting saves of one draft of `account` (the server took a newer one).
    pub fn superseded(&self, account: UserId, application: CaseId) -> Result<(), IpcError> {
        if let Some(q) = self.waiting(account, application) {
            self.done(&q)?;
        }
        Ok(())
    }
}

/// How long the outbox waits after `failures` replays in a row that the server did not
/// take (it was away, or failing): 3 s, doubling, at most 30 s. Any answer of the server
/// meanwhile (a page's call, the live stream connecting) sends the outbox at once.
pub fn retry_after(failures: u32) -> std::time::Duration {
    let secs = 3u64 << failures.saturating_sub(1).min(4);
    std::time::Duration::from_secs(secs.min(30))
}

/// The states in which the server lets the applicant change the form.
fn editable(state: CaseState) -> bool {
    matches!(state, CaseState::Draft | CaseState::CorrectionRequired)
}

/// The application as it will be once `form` is saved: the form replaced and, for a
/// draft, the automatic notice worked out again over `item` (the guide), as the server
/// does. Refused, as by the server, when the case no longer takes a new form.
pub fn with_form(
    mut app: Application,
    item: Option<&ServiceItem>,
    form: FormValues,
) -> Result<Application, IpcError> {
    if !editable(app.state) {
        return Err(IpcError::Api(
            ErrorCode::InvalidTransition,
            "the form can be changed only in a draft or a correction".into(),
        ));
    }
    app.form = form;
    if let (CaseState::Draft, Some(item)) = (app.state, item) {
        let files: Vec<UploadedFile> = app
            .files
            .iter()
            .filter(|f| f.kind == FileKind::Material)
            .map(|f| UploadedFile {
                slot: f.slot.clone(),
                format: f.format,
                size: f.size,
            })
            .collect();
        app.notice = Notice {
            problems: prereview::review(
                item,
                &app.case,
                &app.form,
                &files,
                chrono::Local::now().date_naive(),
            ),
        };
    }
    Ok(app)
}

/// A guide and one of its applications, for the tests of the offline parts.
#[cfg(test)]
pub(crate) mod fixtures {
    use onewindow_api::application::Application;
    use onewindow_api::catalogue::ServiceItem;

    pub fn item() -> ServiceItem {
        serde_json::from_str(include_str!("../../crates/api/tests/fixtures/item.json")).unwrap()
    }

    /// Application 7 of `item`'s first case in `state`, with nothing filled in.
    pub fn application(item: &ServiceItem, state: &str) -> Application {
        serde_json::from_value(serde_json::json!({
            "id": 7, "item": item.code, "item_name": item.name, "case": item.cases[0].code,
            "case_name": item.cases[0].name, "state": state, "applicant_name": "赵一",
            "applicant_id_masked": "1101**********002X", "form": {}, "files": [],
            "notice": {"problems": []}, "timeline": [], "actions": [],
            "created_at": "2026-11-23T08:00:00Z", "updated_at": "2026-11-23T08:00:00Z"
        }))
        .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{application, item};
    use super::*;

    fn temp(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("onewindow-outbox-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn save(account: i64, app: i64, value: &str, at: &str) -> Queued {
        Queued {
            account: UserId(account),
            application: CaseId(app),
            form: FormValues::from([("phone".to_owned(), value.to_owned())]),
            queued_at: at.to_owned(),
        }
    }

    #[test]
    fn replays_the_server_did_not_take_back_off_up_to_half_a_minute() {
        let secs: Vec<u64> = (0..8).map(|n| retry_after(n).as_secs()).collect();
        assert_eq!(secs, vec![3, 3, 6, 12, 24, 30, 30, 30]);
        assert_eq!(retry_after(u32::MAX).as_secs(), 30);
    }

    #[test]
    fn paths() {
        assert_eq!(saved_form("/api/v1/applications/12/form"), Some(CaseId(12)));
        assert_eq!(saved_form("/api/v1/applications/12/files"), None);
        assert_eq!(saved_form("/api/v1/applications/x/form"), None);
        assert_eq!(
            read_application("/api/v1/applications/12"),
            Some(CaseId(12))
        );
        assert_eq!(read_application("/api/v1/applications/12/form"), None);
        assert_eq!(read_application("/api/v1/applications?state=draft"), None);
        assert_eq!(save(1, 12, "", "").path(), "/api/v1/applications/12/form");
    }

    #[test]
    fn keeps_the_latest_save_per_draft_and_account_in_order() {
        let dir = temp("order");
        let outbox = Outbox::new(&dir, "http://127.0.0.1:8080");
        assert!(outbox.is_empty());
        outbox.queue(save(1, 10, "a", "t1")).unwrap();
        outbox.queue(save(1, 11, "b", "t2")).unwrap();
        outbox.queue(save(2, 10, "other", "t3")).unwrap();
        outbox.queue(save(1, 10, "c", "t4")).unwrap();
        let mine = outbox.pending(UserId(1));
        assert_eq!(mine, vec![save(1, 11, "b", "t2"), save(1, 10, "c", "t4")]);
        assert_eq!(outbox.pending(UserId(2)), vec![save(2, 10, "other", "t3")]);
        // Another server's outbox is another file.
        assert!(Outbox::new(&dir, "https://gov.example").is_empty());

        // A save sent while a newer one was queued leaves the newer one.
        outbox.done(&save(1, 11, "stale", "t0")).unwrap();
        assert_eq!(outbox.pending(UserId(1)).len(), 2);
        outbox.done(&mine[0]).unwrap();
        outbox.superseded(UserId(1), CaseId(10)).unwrap();
        assert!(outbox.pending(UserId(1)).is_empty());
        assert!(!outbox.is_empty(), "the other account's save stays");

        // It survives a restart, readable by the user only.
        let again = Outbox::new(&dir, "http://127.0.0.1:8080");
        assert_eq!(again.pending(UserId(2)).len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&again.file).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "mode {mode:o}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_offline_save_changes_the_form_and_works_out_the_notice_as_the_server_does() {
        let item = item();
        let form = FormValues::from([("unknown".to_owned(), "x".to_owned())]);
        let saved = with_form(application(&item, "draft"), Some(&item), form.clone()).unwrap();
        assert_eq!(saved.form, form);
        let expected = prereview::review(
            &item,
            &item.cases[0].code,
            &form,
            &[],
            chrono::Local::now().date_naive(),
        );
        assert!(!expected.is_empty());
        assert_eq!(saved.notice.problems, expected);
        // Without the guide the form still changes; the notice stays as it was.
        let blind = with_form(application(&item, "draft"), None, form.clone()).unwrap();
        assert_eq!(blind.form, form);
        assert!(blind.notice.problems.is_empty());
        // A correction keeps the department's notice.
        let corr = with_form(
            application(&item, "correction_required"),
            Some(&item),
            form.clone(),
        );
        assert!(corr.unwrap().notice.problems.is_empty());
        // A submitted case takes no new form, as on the server.
        let refused = with_form(application(&item, "submitted"), Some(&item), form).unwrap_err();
        assert!(matches!(
            refused,
            IpcError::Api(ErrorCode::InvalidTransition, _)
        ));
    }

    #[test]
    fn a_damaged_outbox_is_kept_aside() {
        let dir = temp("damaged");
        let outbox = Outbox::new(&dir, "http://127.0.0.1:8080");
        std::fs::create_dir_all(outbox.file.parent().unwrap()).unwrap();
        std::fs::write(&outbox.file, b"{not json").unwrap();
        assert!(outbox.pending(UserId(1)).is_empty());
        assert!(outbox.file.with_extension("damaged").exists());
        outbox.queue(save(1, 10, "a", "t1")).unwrap();
        assert_eq!(outbox.pending(UserId(1)).len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
