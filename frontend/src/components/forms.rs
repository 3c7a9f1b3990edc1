//! Form pieces shared by the sign-in, registration, lookup and staff forms: a labelled
//! input with its hint and error, and the server's field errors (`details.fields`).

use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::FieldError;
use onewindow_client::ClientError;

/// The field errors of a failed request, if the server named fields.
pub fn server_field_errors(e: &ClientError) -> Vec<FieldError> {
    match e {
        ClientError::Api { body, .. } => body.details.fields.clone(),
        _ => Vec::new(),
    }
}

/// A labelled text input. `testid` is also its `id`; the error, when there is one, is
/// announced and tied to the input with `aria-describedby`.
#[component]
pub fn TextField(
    testid: &'static str,
    label: Key,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{testid}-hint");
    let error_id = format!("{testid}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=testid>
                {i18n.t(label)}
                {required.then(|| view! { <span class="required-mark">" (" {i18n.t(Key::RequiredMark)} ")"</span> })}
            </label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{i18n.t(h)}</p> })}
            <input
                id=testid
                data-testid=testid
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                aria-required=required.then_some("true")
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {move || error.get().map(|e| view! {
                <p class="field-error" id=error_id.clone() data-testid=format!("error-{testid}")>{e}</p>
            })}
        </div>
    }
}
