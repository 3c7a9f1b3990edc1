//! The state badge of a case and its deadline light (红黄灯). The light is always a
//! shape and a word, never colour alone.

use crate::i18n::{self, days_left, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::application::Deadline;
use onewindow_api::case::CaseState;
use onewindow_api::workdays::Light;

/// The tone of a state: finished well, finished badly, waiting for the applicant, or
/// in progress.
fn tone(state: CaseState) -> &'static str {
    match state {
        CaseState::Approved | CaseState::ResultReady | CaseState::Mailed | CaseState::Completed => {
            "good"
        }
        CaseState::Rejected | CaseState::NotAccepted => "bad",
        CaseState::CorrectionRequired | CaseState::Draft => "warn",
        CaseState::Withdrawn => "neutral",
        _ => "info",
    }
}

#[component]
pub fn StateBadge(state: CaseState) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge badge-{} state-badge", tone(state)) data-state=state.as_str()>
            {i18n.t(i18n::case_state(state))}
        </span>
    }
}

/// The light of a running case: "● On time · 5 working days left", or "clock stopped"
/// while a correction is pending or a special procedure goes on.
#[component]
pub fn LightBadge(deadline: Deadline) -> impl IntoView {
    let i18n = use_i18n();
    let (class, symbol) = if deadline.paused {
        ("light light-paused", "⏸")
    } else {
        match deadline.light {
            Light::Green => ("light light-green", "●"),
            Light::Yellow => ("light light-yellow", "▲"),
            Light::Red => ("light light-red", "■"),
        }
    };
    let light = deadline.light;
    let paused = deadline.paused;
    let left = deadline.working_days_left;
    let name = light.as_str();
    view! {
        <span class=class data-testid="light" data-light=name data-paused=paused.to_string()>
            <span aria-hidden="true">{symbol}</span>
            " "
            {move || if paused {
                i18n.t(Key::LightPaused)().to_owned()
            } else {
                format!("{} · {}", i18n.t(i18n::light(light))(), days_left(i18n.lang(), left))
            }}
        </span>
    }
}
