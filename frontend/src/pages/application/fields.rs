//! The form of an application, rendered from the item's field definitions: each kind
//! gets its input type, required fields are marked in words, and each value is checked
//! with the contract's `check_field` as the user types.

use super::editor::{Editor, SaveState};
use crate::components::states::error_message;
use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::application::{NoticeSource, NoticeTarget};
use onewindow_api::catalogue::{FieldKind, FormField};
use onewindow_api::prereview::check_field;

#[component]
pub fn FormFields(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card form-section" aria-labelledby="form-heading" data-testid="form-section">
            <div class="section-head">
                <h2 id="form-heading">{i18n.t(Key::FormSection)}</h2>
                <SaveStatus editor/>
            </div>
            {editor.fields().into_iter().map(|field| view! { <FieldInput field editor/> }).collect_view()}
        </section>
    }
}

/// "Saving…", "All changes saved", or the failure with a way to try again.
#[component]
fn SaveStatus(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let state = move || match editor.save.get() {
        SaveState::Idle => "idle",
        SaveState::Dirty => "dirty",
        SaveState::Saving => "saving",
        SaveState::Saved => "saved",
        SaveState::Failed(_) => "failed",
    };
    view! {
        <p class="save-status" role="status" data-testid="save-status" data-state=state>
            {move || match editor.save.get() {
                SaveState::Idle | SaveState::Dirty => i18n.t(Key::SaveIdle)().to_owned().into_any(),
                SaveState::Saving => i18n.t(Key::SaveSaving)().to_owned().into_any(),
                SaveState::Saved => format!("✓ {}", i18n.t(Key::SaveSaved)()).into_any(),
                SaveState::Failed(e) => view! {
                    <span class="inline-error">{i18n.t(Key::SaveFailed)} " " {error_message(i18n.lang(), &e)}</span>
                    " "
                    <button type="button" class="secondary small" on:click=move |_| {
                        leptos::task::spawn_local(async move { let _ = editor.flush().await; });
                    }>{i18n.t(Key::SaveNow)}</button>
                }.into_any(),
            }}
        </p>
    }
}

#[component]
fn FieldInput(field: FormField, editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let key = field.key.clone();
    let key_attr = key.clone();
    let error_testid = format!("field-error-{key}");
    let id = format!("field-{key}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let target = NoticeTarget::Field(key.clone());
    let editable = {
        let target = target.clone();
        Memo::new(move |_| editor.can_edit(&target))
    };
    let field = StoredValue::new(field);
    let value = {
        let key = key.clone();
        Memo::new(move |_| {
            editor
                .form
                .with(|f| f.get(&key).cloned().unwrap_or_default())
        })
    };
    let error = {
        let key = key.clone();
        Memo::new(move |_| {
            let shown = editor.show_all.get() || editor.touched.with(|t| t.contains(&key));
            if !shown {
                return None;
            }
            let v = value.get();
            field
                .with_value(|f| check_field(f, Some(&v), crate::i18n::today()))
                .map(|p| p.message)
        })
    };
    // What the staff said about this field, in a correction.
    let staff_note = {
        let target = target.clone();
        move || {
            editor.app.with(|a| {
                a.notice
                    .problems
                    .iter()
                    .find(|p| p.source == NoticeSource::Staff && p.target == target)
                    .map(|p| p.message.clone())
            })
        }
    };
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = vec![hint_id.clone()];
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    let on_input = {
        let key = key.clone();
        move |ev: leptos::ev::Event| editor.set_field(key.clone(), event_target_value(&ev))
    };
    let on_blur = {
        let key = key.clone();
        move |_| {
            if editable.get_untracked() {
                editor.leave_field(key.clone());
            }
        }
    };
    let (kind, required, max_length, help, options) = field.with_value(|f| {
        (
            f.kind,
            f.required,
            f.max_length,
            f.help.clone(),
            f.options.clone(),
        )
    });
    let input = match kind {
        FieldKind::Textarea => view! {
            <textarea id=id.clone() data-testid=id.clone() rows="3" maxlength=max_length
                readonly=move || !editable.get()
                aria-required=required.then_some("true")
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described.clone()
                prop:value=move || value.get()
                on:input=on_input on:blur=on_blur></textarea>
        }
        .into_any(),
        FieldKind::Select => {
            let options = options
                .into_iter()
                .map(|o| {
                    let v = o.value.clone();
                    view! { <option value=o.value.clone() selected=move || value.get() == v>{i18n.text(&o.label)}</option> }
                })
                .collect_view();
            view! {
                <select id=id.clone() data-testid=id.clone()
                    disabled=move || !editable.get()
                    aria-required=required.then_some("true")
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=described.clone()
                    on:change=on_input on:blur=on_blur>
                    <option value="" selected=move || value.get().is_empty()>{i18n.t(Key::ChooseOption)}</option>
                    {options}
                </select>
            }
            .into_any()
        }
        _ => {
            let (kind_attr, inputmode, autocomplete) = match kind {
                FieldKind::Number => ("text", Some("decimal"), None),
                FieldKind::Date => ("date", None, None),
                FieldKind::Phone => ("tel", Some("numeric"), Some("tel")),
                FieldKind::Email => ("email", None, Some("email")),
                FieldKind::IdNumber | FieldKind::CreditCode => ("text", None, Some("off")),
                _ => ("text", None, None),
            };
            view! {
                <input id=id.clone() data-testid=id.clone() type=kind_attr inputmode=inputmode
                    autocomplete=autocomplete maxlength=max_length
                    readonly=move || !editable.get()
                    aria-required=required.then_some("true")
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=described.clone()
                    prop:value=move || value.get()
                    on:input=on_input on:blur=on_blur/>
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some) class:locked=move || !editable.get()
            data-testid="form-field" data-key=key_attr>
            <label for=id.clone()>
                {field.with_value(|f| i18n.text(&f.label))}
                {required.then(|| view! { <span class="required-mark">" (" {i18n.t(Key::RequiredMark)} ")"</span> })}
            </label>
            <div id=hint_id class="field-hint">
                {help.map(|h| view! { <span>{i18n.text(&h)}</span> })}
                {move || (!editable.get()).then(|| view! { <span class="locked-note">{i18n.t(Key::NotFlagged)}</span> })}
                {move || staff_note().map(|m| view! {
                    <span class="staff-note" data-testid="staff-note">{i18n.t(Key::SourceStaff)} {i18n.t(Key::Colon)} {i18n.text(&m)}</span>
                })}
            </div>
            {input}
            {move || error.get().map(|m| view! {
                <p class="field-error" id=error_id.clone() data-testid=error_testid.clone()>{i18n.text(&m)}</p>
            })}
        </div>
    }
}
