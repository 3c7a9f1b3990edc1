//! Rating a completed case or an attended appointment (好差评): until it is rated, the
//! form (five levels as radio buttons, the four dimensions optional, a comment that a
//! bad rating requires); afterwards the rating and, for a bad one, its rectification
//! with "solved / not solved" once the department has answered.

use crate::api;
use crate::components::states::InlineError;
use crate::fetched::{listed, Fetched};
use crate::i18n::{self, datetime, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::rating::{
    Dimension, DimensionScore, Rating, RatingRequest, RatingSubject, Rectification,
    RectificationState, RectificationStep, Satisfaction, MAX_COMMENT_CHARS,
};
use onewindow_client::ClientError;

#[component]
pub fn RatingPanel(subject: RatingSubject) -> impl IntoView {
    let i18n = use_i18n();
    let ratings = Fetched::new(api::my_ratings);
    view! {
        <section class="card rating" aria-labelledby="rating-heading" data-testid="rating-panel">
            <h2 id="rating-heading">{i18n.t(Key::RateTitle)}</h2>
            {listed(ratings, move |list| {
                let found = list.into_iter().find(|r| r.subject == subject);
                view! { <RatingBox subject found/> }.into_any()
            })}
        </section>
    }
}

#[component]
fn RatingBox(subject: RatingSubject, found: Option<Rating>) -> impl IntoView {
    let rating = RwSignal::new(found);
    let rated = Memo::new(move |_| rating.with(Option::is_some));
    move || {
        if rated.get() {
            view! { <RatingShown rating/> }.into_any()
        } else {
            view! { <RatingForm subject rating/> }.into_any()
        }
    }
}

fn level_label(level: Satisfaction) -> impl Fn() -> String + Copy {
    let i18n = use_i18n();
    move || level.label().get(i18n.lang()).to_owned()
}

#[component]
fn RatingForm(subject: RatingSubject, rating: RwSignal<Option<Rating>>) -> impl IntoView {
    let i18n = use_i18n();
    let level = RwSignal::new(None::<Satisfaction>);
    let dimensions = RwSignal::new(Vec::<DimensionScore>::new());
    let comment = RwSignal::new(String::new());
    let level_missing = RwSignal::new(false);
    let comment_missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let bad = move || level.get().is_some_and(Satisfaction::is_bad);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = level.get_untracked() else {
            level_missing.set(true);
            return;
        };
        level_missing.set(false);
        let req = RatingRequest {
            level: chosen,
            dimensions: dimensions.get_untracked(),
            comment: comment.get_untracked().trim().to_owned(),
        };
        comment_missing.set(!req.problems().is_empty());
        if comment_missing.get_untracked() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let sent = match subject {
                RatingSubject::Case(id) => api::rate_case(id, req).await,
                RatingSubject::Booking(id) => api::rate_booking(id, req).await,
            };
            match sent {
                Ok(r) => rating.set(Some(r)),
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let levels = Satisfaction::ALL
        .iter()
        .map(|&l| {
            let id = format!("level-{}", l.score());
            view! {
                <div class="choice">
                    <input type="radio" name="rating-level" id=id.clone() data-testid=id.clone()
                        value=l.score().to_string() prop:checked=move || level.get() == Some(l)
                        on:change=move |_| level.set(Some(l))/>
                    <label for=id><span class="choice-name">{level_label(l)}</span></label>
                </div>
            }
        })
        .collect_view();
    let dimension_fields = Dimension::ALL
        .iter()
        .map(|&d| {
            let id = format!(
                "dimension-{}",
                Dimension::ALL.iter().position(|x| *x == d).unwrap_or(0)
            );
            let label = d.label();
            let on_change = move |ev: leptos::ev::Event| {
                let score = event_target_value(&ev).parse::<i64>().ok();
                dimensions.update(|list| {
                    list.retain(|s| s.dimension != d);
                    if let Some(level) = score.and_then(Satisfaction::from_score) {
                        list.push(DimensionScore {
                            dimension: d,
                            level,
                        });
                    }
                });
            };
            view! {
                <div class="field">
                    <label for=id.clone()>{i18n.text(&label)}</label>
                    <select id=id.clone() data-testid=id on:change=on_change>
                        <option value="">{i18n.t(Key::NotRated)}</option>
                        {Satisfaction::ALL.iter().map(|&l| view! {
                            <option value=l.score().to_string()>{level_label(l)}</option>
                        }).collect_view()}
                    </select>
                </div>
            }
        })
        .collect_view();
    view! {
        <p class="hint">{i18n.t(Key::RateIntro)}</p>
        <form class="form rating-form" on:submit=submit novalidate data-testid="rating-form">
            <fieldset class="choices" aria-describedby="level-error" aria-required="true">
                <legend>{i18n.t(Key::OverallLevel)} <span class="required-mark">" (" {i18n.t(Key::RequiredMark)} ")"</span></legend>
                {levels}
                <p id="level-error" class="field-error" hidden=move || !level_missing.get()>{i18n.t(Key::ChooseLevel)}</p>
            </fieldset>
            <fieldset class="choices">
                <legend>{i18n.t(Key::DimensionsOptional)}</legend>
                {dimension_fields}
            </fieldset>
            <div class="field" class:has-error=move || comment_missing.get()>
                <label for="rating-comment">{i18n.t(Key::CommentLabel)}
                    {move || bad().then(|| view! { <span class="required-mark">" (" {i18n.t(Key::CommentRequiredBad)} ")"</span> })}
                </label>
                <textarea id="rating-comment" data-testid="rating-comment" rows="3" maxlength=MAX_COMMENT_CHARS.to_string()
                    aria-required=move || bad().then_some("true") aria-invalid=move || comment_missing.get().then_some("true")
                    aria-describedby=move || comment_missing.get().then_some("rating-comment-error")
                    prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                {move || comment_missing.get().then(|| view! { <p class="field-error" id="rating-comment-error" role="alert">{i18n.t(Key::CommentNeeded)}</p> })}
            </div>
            <InlineError error=failure/>
            <p class="actions">
                <button type="submit" data-testid="rating-submit" disabled=move || busy.get()>{i18n.t(Key::SubmitRating)}</button>
            </p>
        </form>
    }
}

#[component]
fn RatingShown(rating: RwSignal<Option<Rating>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        rating.get().map(|r| {
            let tone = if r.level.is_bad() { "badge badge-bad" } else { "badge badge-good" };
            let dims = r
                .dimensions
                .iter()
                .map(|d| view! {
                    <div class="row"><dt>{i18n.text(&d.dimension.label())}</dt><dd>{level_label(d.level)}</dd></div>
                })
                .collect_view();
            view! {
                <h3>{i18n.t(Key::YourRating)}</h3>
                <p><span class=tone data-testid="rating-level" data-level=r.level.score().to_string()>{level_label(r.level)}</span></p>
                <dl class="facts">
                    {dims}
                    {(!r.comment.is_empty()).then(|| view! {
                        <div class="row"><dt>{i18n.t(Key::CommentLabel)}</dt><dd class="message-text">{r.comment.clone()}</dd></div>
                    })}
                    <div class="row"><dt>{i18n.t(Key::RatedAt)}</dt><dd>{datetime(&r.created_at)}</dd></div>
                </dl>
                {r.rectification.clone().map(|rect| view! { <RectificationView rating rect/> })}
            }
        })
    }
}

/// A bad rating's rectification: where it stands, the department's answers and the
/// citizen's verdicts, and the verdict buttons while an answer waits for one.
#[component]
fn RectificationView(rating: RwSignal<Option<Rating>>, rect: Rectification) -> impl IntoView {
    let i18n = use_i18n();
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let id = rating.with_untracked(|r| r.as_ref().map(|r| r.id));
    let verdict = move |solved: bool| {
        let Some(id) = id else {
            return;
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::rating_verdict(id, solved, comment.get_untracked().trim().to_owned()).await {
                Ok(r) => rating.set(Some(r)),
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let entries = rect
        .entries
        .iter()
        .map(|e| {
            let from_staff = e.step == RectificationStep::Answered;
            view! {
            <li class="message" class:from-staff=from_staff
                data-testid="rectification-entry" data-step=e.step.as_str()>
                <p class="message-meta"><strong>{i18n.t(i18n::rectification_step(e.step))}</strong> " · "
                    <time datetime=e.at.clone()>{datetime(&e.at)}</time></p>
                {(!e.text.is_empty()).then(|| view! { <p class="message-text">{e.text.clone()}</p> })}
            </li>
            }
        })
        .collect_view();
    let answered = rect.state == RectificationState::Answered;
    view! {
        <section class="rectification" aria-labelledby="rectification-heading" data-testid="rectification">
            <h3 id="rectification-heading">{i18n.t(Key::RectificationTitle)}</h3>
            <p><span class="badge badge-info" data-testid="rectification-state" data-state=rect.state.as_str()>
                {i18n.t(i18n::rectification_state(rect.state))}
            </span></p>
            <ol class="messages">{entries}</ol>
            {answered.then(|| view! {
                <div class="form verdict">
                    <div class="field">
                        <label for="verdict-comment">{i18n.t(Key::VerdictComment)}</label>
                        <textarea id="verdict-comment" rows="2" maxlength=MAX_COMMENT_CHARS.to_string()
                            prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    </div>
                    <p class="actions">
                        <button type="button" data-testid="verdict-solved" disabled=move || busy.get()
                            on:click=move |_| verdict(true)>{i18n.t(Key::Solved)}</button>
                        <button type="button" class="secondary" data-testid="verdict-not-solved" disabled=move || busy.get()
                            on:click=move |_| verdict(false)>{i18n.t(Key::NotSolved)}</button>
                    </p>
                    <InlineError error=failure/>
                </div>
            })}
        </section>
    }
}
