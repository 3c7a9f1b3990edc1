//! `/settings/notifications`: how notifications reach the user beyond the notification
//! centre: quiet hours (免打扰), which kinds are pushed (checkboxes), and browser
//! notifications for this browser (a service worker and a push subscription).

use crate::api::{self, PushError};
use crate::app::set_title;
use crate::components::require_account::RequireAccount;
use crate::components::states::{error_message, InlineError};
use crate::fetched::{listed, Fetched};
use crate::i18n::{self, t, use_i18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::notification::{NotificationKind, NotificationSettings, QuietHours};
use onewindow_client::ClientError;

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t(i18n.lang(), Key::NotificationSettings), i18n.lang()));
    let settings = Fetched::new(api::notification_settings);
    view! {
        <div class="page narrow notification-settings">
            <p class="breadcrumb"><a href="/notifications">{i18n.t(Key::NotificationsTitle)}</a></p>
            <h1>{i18n.t(Key::NotificationSettings)}</h1>
            <RequireAccount>
                {listed(settings, move |s| view! { <SettingsForm s/> }.into_any())}
                <BrowserPush/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn SettingsForm(s: NotificationSettings) -> impl IntoView {
    let i18n = use_i18n();
    let quiet = RwSignal::new(s.quiet_hours.is_some());
    let (start, end) = s
        .quiet_hours
        .map(|q| (q.start, q.end))
        .unwrap_or_else(|| ("22:00".to_owned(), "07:00".to_owned()));
    let start = RwSignal::new(start);
    let end = RwSignal::new(end);
    let muted = RwSignal::new(s.push_muted);
    let invalid = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let quiet_hours = quiet.get_untracked().then(|| QuietHours {
            start: start.get_untracked(),
            end: end.get_untracked(),
        });
        let bad = quiet_hours.as_ref().is_some_and(|q| !q.is_valid());
        invalid.set(bad);
        if bad || busy.get_untracked() {
            return;
        }
        let settings = NotificationSettings {
            quiet_hours,
            push_muted: muted.get_untracked(),
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::set_notification_settings(settings).await {
                Ok(s) => {
                    muted.set(s.push_muted);
                    saved.set(true);
                }
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let kinds = NotificationKind::ALL
        .iter()
        .map(|&k| {
            let id = format!("push-{}", k.as_str());
            view! {
                <div class="field checkbox">
                    <input type="checkbox" id=id.clone() data-testid=id.clone()
                        prop:checked=move || muted.with(|m| !m.contains(&k))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            muted.update(|m| {
                                m.retain(|x| *x != k);
                                if !on {
                                    m.push(k);
                                }
                            });
                        }/>
                    <label for=id>
                        {i18n.t(i18n::notification_kind(k))}
                        {k.is_urgent().then(|| view! { " (" {i18n.t(Key::UrgentKind)} ")" })}
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <form class="card form" on:submit=submit novalidate data-testid="settings-form">
            <fieldset class="choices">
                <legend>{i18n.t(Key::QuietHours)}</legend>
                <p class="field-hint" id="quiet-hint">{i18n.t(Key::QuietHoursHint)}</p>
                <div class="field checkbox">
                    <input type="checkbox" id="quiet-enabled" data-testid="quiet-enabled" aria-describedby="quiet-hint"
                        prop:checked=move || quiet.get() on:change=move |ev| quiet.set(event_target_checked(&ev))/>
                    <label for="quiet-enabled">{i18n.t(Key::QuietEnabled)}</label>
                </div>
                <div class="time-row">
                    <div class="field" class:has-error=move || invalid.get()>
                        <label for="quiet-start">{i18n.t(Key::QuietStart)}</label>
                        <input type="time" id="quiet-start" data-testid="quiet-start" disabled=move || !quiet.get()
                            aria-invalid=move || invalid.get().then_some("true")
                            prop:value=move || start.get() on:input=move |ev| start.set(event_target_value(&ev))/>
                    </div>
                    <div class="field" class:has-error=move || invalid.get()>
                        <label for="quiet-end">{i18n.t(Key::QuietEnd)}</label>
                        <input type="time" id="quiet-end" data-testid="quiet-end" disabled=move || !quiet.get()
                            aria-invalid=move || invalid.get().then_some("true")
                            prop:value=move || end.get() on:input=move |ev| end.set(event_target_value(&ev))/>
                    </div>
                </div>
                {move || invalid.get().then(|| view! { <p class="field-error" role="alert">{i18n.t(Key::ErrQuietHours)}</p> })}
            </fieldset>
            <fieldset class="choices">
                <legend>{i18n.t(Key::PushKinds)}</legend>
                <p class="field-hint">{i18n.t(Key::PushKindsHint)}</p>
                {kinds}
            </fieldset>
            <InlineError error=failure/>
            <p class="actions">
                <button type="submit" data-testid="save-settings" disabled=move || busy.get()>{i18n.t(Key::SaveSettings)}</button>
            </p>
            <p role="status" aria-live="polite">
                {move || saved.get().then(|| view! { <span class="success" data-testid="settings-saved">{i18n.t(Key::SettingsSaved)}</span> })}
            </p>
        </form>
    }
}

/// "Turn on browser notifications": the permission, the service worker and the push
/// subscription, with the outcome said in words.
#[component]
fn BrowserPush() -> impl IntoView {
    let i18n = use_i18n();
    let supported = api::push_supported();
    let busy = RwSignal::new(false);
    // A browser that already refused says so before anyone presses the button.
    let refused = api::notification_permission().as_deref() == Some("denied");
    let outcome = RwSignal::new(refused.then_some(Err::<(), PushError>(PushError::Denied)));
    let enable = move |_| {
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            outcome.set(Some(api::enable_push().await));
            busy.set(false);
        });
    };
    let message = move || {
        let lang = i18n.lang();
        outcome.get().map(|o| match o {
            Ok(()) => view! { <p class="success" data-testid="push-enabled">{t(lang, Key::PushEnabled)}</p> }.into_any(),
            Err(e) => {
                let text = match e {
                    PushError::Unsupported => t(lang, Key::PushUnsupported).to_owned(),
                    PushError::Denied => t(lang, Key::PushDenied).to_owned(),
                    PushError::Browser(m) => format!("{} {m}", t(lang, Key::PushFailed)),
                    PushError::Api(e) => format!("{} {}", t(lang, Key::PushFailed), error_message(lang, &e)),
                };
                view! { <p class="inline-error" data-testid="push-error">{text}</p> }.into_any()
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="push-heading">
            <h2 id="push-heading">{i18n.t(Key::BrowserPush)}</h2>
            <p class="hint">{i18n.t(Key::BrowserPushHint)}</p>
            {if supported {
                view! {
                    <p class="actions">
                        <button type="button" data-testid="enable-push" disabled=move || busy.get() on:click=enable>
                            {i18n.t(Key::EnablePush)}
                        </button>
                    </p>
                }.into_any()
            } else {
                view! { <p class="note" data-testid="push-unsupported">{i18n.t(Key::PushUnsupported)}</p> }.into_any()
            }}
            <div role="status" aria-live="polite">{message}</div>
        </section>
    }
}
