//! The apply flow of a draft: the form, the material slots, the live one-time notice and
//! the submit bar. A correction uses the same pieces with only the flagged targets open.

use super::editor::Editor;
use super::fields::FormFields;
use super::materials::MaterialSlots;
use super::submit::SubmitBar;
use crate::components::notice::NoticeList;
use crate::i18n::Key;
use leptos::prelude::*;
use onewindow_api::application::Application;
use onewindow_api::catalogue::ServiceItem;

#[component]
pub fn EditView(app: RwSignal<Application>, item: StoredValue<ServiceItem>) -> impl IntoView {
    let editor = Editor::new(app, item);
    let case = app.with_untracked(|a| a.case.clone());
    let correction = editor.is_correction();
    let (title, intro) = if correction {
        (Key::CorrectionTitle, Key::CorrectionIntro)
    } else {
        (Key::NoticeTitle, Key::NoticeIntro)
    };
    view! {
        <div class="edit-layout" data-testid=if correction { "correction-editor" } else { "draft-editor" }>
            <div class="edit-main">
                <FormFields editor/>
                <MaterialSlots editor/>
            </div>
            <aside class="edit-side">
                <NoticeList problems=Signal::derive(move || editor.notice()) item case title intro=intro clear=Key::NoticeClear/>
                <SubmitBar editor/>
            </aside>
        </div>
    }
}
