//! The one-time notice (一次性告知): every problem of an application at once, each
//! naming its field or material slot and linking to it, so that the applicant can go
//! straight to what must change.

use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::application::{NoticeProblem, NoticeSource, NoticeTarget};
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::prereview::find_case;
use onewindow_api::Text;
use wasm_bindgen::JsCast;

/// The element id of a problem's target on the application page: the input of a field,
/// the section of a material slot.
pub fn target_anchor(target: &NoticeTarget) -> Option<String> {
    match target {
        NoticeTarget::Field(key) => Some(format!("field-{key}")),
        NoticeTarget::Material(code) => Some(format!("slot-{code}")),
        NoticeTarget::Application => None,
    }
}

/// `field:key`, `material:code` or `application`, for tests and styling.
pub fn target_name(target: &NoticeTarget) -> String {
    match target {
        NoticeTarget::Field(key) => format!("field:{key}"),
        NoticeTarget::Material(code) => format!("material:{code}"),
        NoticeTarget::Application => "application".to_owned(),
    }
}

/// The name of a target as the applicant knows it: the field's label or the material's.
pub fn target_label(item: &ServiceItem, case: &str, target: &NoticeTarget) -> Option<Text> {
    match target {
        NoticeTarget::Field(key) => item
            .form
            .iter()
            .find(|f| &f.key == key)
            .map(|f| f.label.clone()),
        NoticeTarget::Material(code) => find_case(item, case)
            .and_then(|c| c.materials.iter().find(|m| &m.code == code))
            .map(|m| m.name.clone()),
        NoticeTarget::Application => None,
    }
}

/// Moves the focus to a target (and so scrolls to it).
fn go_to(anchor: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(el) = doc
        .get_element_by_id(anchor)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.scroll_into_view();
        let _ = el.focus();
    }
}

/// The list of problems; `title` heads it. Nothing is hidden: an empty list says so.
#[component]
pub fn NoticeList(
    #[prop(into)] problems: Signal<Vec<NoticeProblem>>,
    item: StoredValue<ServiceItem>,
    case: String,
    title: Key,
    #[prop(optional)] intro: Option<Key>,
    #[prop(optional)] clear: Option<Key>,
) -> impl IntoView {
    let i18n = use_i18n();
    let case = StoredValue::new(case);
    let rows = move || {
        problems
            .get()
            .into_iter()
            .map(|p| {
                let label = item.with_value(|item| {
                    case.with_value(|case| target_label(item, case, &p.target))
                });
                let target = match label {
                    Some(l) => view! { <strong class="problem-target">{i18n.text(&l)}</strong> }.into_any(),
                    None => view! { <strong class="problem-target">{i18n.t(Key::WholeApplication)}</strong> }.into_any(),
                };
                let source = match p.source {
                    NoticeSource::Automatic => Key::SourceAutomatic,
                    NoticeSource::Staff => Key::SourceStaff,
                };
                let link = target_anchor(&p.target).map(|anchor| {
                    let href = format!("#{anchor}");
                    view! {
                        <a class="problem-link" href=href on:click=move |ev| {
                            ev.prevent_default();
                            go_to(&anchor);
                        }>{i18n.t(Key::GoFix)}</a>
                    }
                });
                view! {
                    <li class="problem" data-testid="notice-problem" data-target=target_name(&p.target)
                        data-reason=p.reason.clone()>
                        {target}
                        <span class="badge badge-neutral">{i18n.t(source)}</span>
                        <span class="problem-message">{i18n.text(&p.message)}</span>
                        {link}
                    </li>
                }
            })
            .collect_view()
    };
    let count = move || problems.with(Vec::len);
    view! {
        <section class="notice" class:notice-clear=move || count() == 0 aria-labelledby="notice-heading"
            data-testid="notice" data-count=move || count().to_string()>
            <h2 id="notice-heading">
                {i18n.t(title)}
                {move || (count() > 0).then(|| view! {
                    <span class="notice-count">" · " {crate::i18n::problem_count(i18n.lang(), count())}</span>
                })}
            </h2>
            <div aria-live="polite">
                {move || if count() == 0 {
                    clear.map(|k| view! { <p class="notice-ok" data-testid="notice-clear">"✓ " {i18n.t(k)}</p> })
                        .into_any()
                } else {
                    view! {
                        {intro.map(|k| view! { <p>{i18n.t(k)}</p> })}
                        <ol class="problems">{rows}</ol>
                    }
                    .into_any()
                }}
            </div>
        </section>
    }
}
