//! The editing state of an application the applicant may change: a draft, or a case
//! awaiting correction (补正). Form values are kept in the page and saved to the server
//! as the user goes (debounced); the automatic pre-review runs in the page on every
//! change with the contract's own rules, so the one-time notice is always current.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::application::{
    Application, FormValues, NoticeProblem, NoticeSource, NoticeTarget,
};
use onewindow_api::catalogue::{FormField, Material, ServiceItem};
use onewindow_api::prereview::{correctable, find_case, review, UploadedFile};
use onewindow_client::ClientError;
use std::collections::HashSet;
use std::time::Duration;

/// How long typing must pause before the form is saved.
const SAVE_DELAY: Duration = Duration::from_millis(700);

/// Where the saving of the form stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// Nothing changed since the page loaded.
    Idle,
    /// Changed, a save is scheduled.
    Dirty,
    Saving,
    Saved,
    Failed(ClientError),
}

#[derive(Debug, Clone, Copy)]
pub struct Editor {
    pub app: RwSignal<Application>,
    pub item: StoredValue<ServiceItem>,
    pub form: RwSignal<FormValues>,
    pub save: RwSignal<SaveState>,
    /// Fields whose errors are shown: left once, or paused in while typing.
    pub touched: RwSignal<HashSet<String>>,
    /// After a submit attempt, every error shows.
    pub show_all: RwSignal<bool>,
    /// The automatic pre-review of what is on screen now.
    pub local: Memo<Vec<NoticeProblem>>,
    /// Whether the server's notice was computed from what is on screen now (nothing
    /// changed since it came).
    pub server_fresh: RwSignal<bool>,
    /// In a correction, the notice that says what may change; `None` in a draft.
    correction: StoredValue<Option<Vec<NoticeProblem>>>,
    generation: StoredValue<u64>,
    saved_generation: StoredValue<u64>,
    in_flight: StoredValue<bool>,
}

impl Editor {
    pub fn new(app: RwSignal<Application>, item: StoredValue<ServiceItem>) -> Editor {
        let current = app.get_untracked();
        let correction = (current.state != onewindow_api::case::CaseState::Draft)
            .then(|| current.notice.problems.clone());
        let form = RwSignal::new(current.form.clone());
        let local = Memo::new(move |_| {
            let files: Vec<UploadedFile> = app.with(|a| {
                a.files
                    .iter()
                    .map(|f| UploadedFile {
                        slot: f.slot.clone(),
                        format: f.format,
                        size: f.size,
                    })
                    .collect()
            });
            let case = app.with(|a| a.case.clone());
            form.with(|form| {
                item.with_value(|item| review(item, &case, form, &files, crate::i18n::today()))
            })
        });
        Editor {
            app,
            item,
            form,
            save: RwSignal::new(SaveState::Idle),
            server_fresh: RwSignal::new(true),
            touched: RwSignal::new(HashSet::new()),
            show_all: RwSignal::new(false),
            local,
            correction: StoredValue::new(correction),
            generation: StoredValue::new(0),
            saved_generation: StoredValue::new(0),
            in_flight: StoredValue::new(false),
        }
    }

    pub fn is_correction(self) -> bool {
        self.correction.with_value(Option::is_some)
    }

    /// The form fields of the item.
    pub fn fields(self) -> Vec<FormField> {
        self.item.with_value(|i| i.form.clone())
    }

    /// The material slots of the chosen handling case.
    pub fn materials(self) -> Vec<Material> {
        let case = self.app.with_untracked(|a| a.case.clone());
        self.item.with_value(|i| {
            find_case(i, &case)
                .map(|c| c.materials.clone())
                .unwrap_or_default()
        })
    }

    /// Whether the user may change `target` now: anything in a draft; in a correction,
    /// what the contract's rule opens (the server refuses the rest).
    pub fn can_edit(self, target: &NoticeTarget) -> bool {
        self.correction.with_value(|c| match c {
            None => true,
            Some(notice) => self.local.with(|local| correctable(notice, local, target)),
        })
    }

    /// The whole notice: the local pre-review (the same rules as the server, on what is
    /// on screen now), the staff's problems, and, while it is current, anything else the
    /// server's own pre-review found (it would differ only if the page's copy of the
    /// guide were older than the server's).
    pub fn notice(self) -> Vec<NoticeProblem> {
        let mut all = self.local.get();
        let fresh = self.server_fresh.get();
        self.app.with(|a| {
            for p in &a.notice.problems {
                let known = all
                    .iter()
                    .any(|l| l.target == p.target && l.reason == p.reason);
                if !known && (p.source == NoticeSource::Staff || fresh) {
                    all.push(p.clone());
                }
            }
        });
        all
    }

    /// Adds a file the server has just accepted.
    pub fn add_file(self, file: onewindow_api::application::FileInfo) {
        self.server_fresh.set(false);
        self.app.update(|a| a.files.push(file));
    }

    /// Forgets a file the server has just removed.
    pub fn forget_file(self, file: onewindow_api::ids::FileId) {
        self.server_fresh.set(false);
        self.app.update(|a| a.files.retain(|f| f.id != file));
    }

    /// Records a typed value and schedules a save once typing pauses.
    pub fn set_field(self, key: String, value: String) {
        self.form.update(|f| {
            if value.is_empty() {
                f.remove(&key);
            } else {
                f.insert(key.clone(), value);
            }
        });
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.save.set(SaveState::Dirty);
        self.server_fresh.set(false);
        set_timeout(
            move || {
                if self.generation.get_value() == generation {
                    self.touched.update(|t| {
                        t.insert(key);
                    });
                    spawn_local(async move {
                        let _ = self.flush().await;
                    });
                }
            },
            SAVE_DELAY,
        );
    }

    /// Marks a field as left by the user and saves now.
    pub fn leave_field(self, key: String) {
        self.touched.update(|t| {
            t.insert(key);
        });
        spawn_local(async move {
            let _ = self.flush().await;
        });
    }

    /// Saves until the server has the latest values. One save at a time, so that an
    /// older form never lands after a newer one.
    pub async fn flush(self) -> Result<(), ClientError> {
        loop {
            if self.in_flight.get_value() {
                sleep(100).await;
                continue;
            }
            let generation = self.generation.get_value();
            if generation == self.saved_generation.get_value() {
                if matches!(
                    self.save.get_untracked(),
                    SaveState::Dirty | SaveState::Saving | SaveState::Failed(_)
                ) {
                    self.save.set(SaveState::Saved);
                }
                return Ok(());
            }
            self.in_flight.set_value(true);
            self.save.set(SaveState::Saving);
            let (id, files) = self.app.with_untracked(|a| (a.id, a.files.len()));
            let result = api::update_form(id, self.form.get_untracked()).await;
            self.in_flight.set_value(false);
            match result {
                Ok(saved) => {
                    self.saved_generation.set_value(generation);
                    // Keep the form on screen (the user may have typed meanwhile) and the
                    // files (an upload may have finished meanwhile); take the notice.
                    self.app.update(|a| {
                        a.notice = saved.notice;
                        a.updated_at = saved.updated_at;
                    });
                    let unchanged = self.generation.get_value() == generation
                        && self.app.with_untracked(|a| a.files.len()) == files;
                    self.server_fresh.set(unchanged);
                }
                Err(e) => {
                    self.save.set(SaveState::Failed(e.clone()));
                    return Err(e);
                }
            }
        }
    }
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A random key for one submit attempt, kept across retries of that attempt.
pub fn random_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Without Web Crypto a weaker source still makes a collision very unlikely;
        // the key only has to differ from this user's other submits.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
