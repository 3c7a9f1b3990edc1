//! The status timeline of a case: every state it went through, when, by which action,
//! the note that came with it (a reason, a pickup window), and what a correction notice
//! asked for, in the reader's language.

use crate::components::case_badges::StateBadge;
use crate::i18n::{self, correction_points, datetime, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::application::TimelineEntry;

#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline" data-testid="timeline">
            {entries.into_iter().map(|e| {
                let action = e.action.map(|a| view! {
                    <span class="timeline-action">{i18n.t(i18n::case_action(a))}</span>
                });
                let note = (!e.note.is_empty()).then(|| view! {
                    <p class="timeline-note">{i18n.t(Key::NoteShown)} {i18n.t(Key::Colon)} {e.note.clone()}</p>
                });
                let n = e.asked.len();
                let asked = (n > 0).then(|| view! {
                    <div class="timeline-asked" data-testid="timeline-asked">
                        <p class="timeline-note">{move || correction_points(i18n.lang(), n)}</p>
                        <ul>
                            {e.asked.iter().map(|a| view! {
                                <li>{i18n.text(&a.name)} {i18n.t(Key::Colon)} {i18n.text(&a.message)}</li>
                            }).collect_view()}
                        </ul>
                    </div>
                });
                view! {
                    <li class="timeline-entry" data-testid="timeline-entry" data-state=e.state.as_str()
                        data-action=e.action.map(|a| a.as_str())>
                        <time datetime=e.at.clone()>{datetime(&e.at)}</time>
                        <div class="timeline-body">
                            <StateBadge state=e.state/>
                            " "
                            {action}
                            {note}
                            {asked}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
