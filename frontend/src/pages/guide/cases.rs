//! Handling cases (业务办理项): the chooser, the acceptance conditions and the materials
//! of the chosen case as a checklist the applicant can tick while gathering papers.

use super::Section;
use crate::i18n::{self, copies, materials_ready, max_size, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::catalogue::{HandlingCase, Material};
use std::collections::HashSet;

#[component]
pub fn Cases(cases: Vec<HandlingCase>) -> impl IntoView {
    let i18n = use_i18n();
    let selected = RwSignal::new(0usize);
    // Ticks are kept per case and material, so switching cases and back keeps them.
    let ticked = RwSignal::new(HashSet::<String>::new());
    let cases = StoredValue::new(cases);
    let current = move || cases.with_value(|c| c.get(selected.get()).cloned());

    let chooser = (cases.with_value(Vec::len) > 1).then(|| {
        let buttons = cases.with_value(|cs| {
            cs.iter()
                .enumerate()
                .map(|(n, c)| {
                    view! {
                        <button
                            type="button"
                            class="case-option"
                            aria-pressed=move || (selected.get() == n).to_string()
                            on:click=move |_| selected.set(n)
                        >
                            {i18n.text(&c.name)}
                        </button>
                    }
                })
                .collect_view()
        });
        view! {
            <section id="cases" class="guide-section" aria-labelledby="cases-heading">
                <h2 id="cases-heading">{i18n.t(Key::HandlingCases)}</h2>
                <p id="cases-hint">{i18n.t(Key::ChooseCase)}</p>
                <div class="case-options" role="group" aria-labelledby="cases-heading" aria-describedby="cases-hint" data-testid="case-options">
                    {buttons}
                </div>
            </section>
        }
    });

    let conditions = move || {
        current().map(|c| {
            view! {
                <p class="case-name">{i18n.text(&c.name)}</p>
                <ul>{c.conditions.iter().map(|t| view! { <li>{i18n.text(t)}</li> }).collect_view()}</ul>
            }
        })
    };
    let materials = move || {
        current().map(|c| {
            let total = c.materials.len();
            let keys: Vec<String> = c.materials.iter().map(|m| format!("{}/{}", c.code, m.code)).collect();
            let ready = move || {
                let n = ticked.with(|t| keys.iter().filter(|k| t.contains(*k)).count());
                materials_ready(i18n.lang(), n, total)
            };
            let case = c.code.clone();
            view! {
                <p class="hint">{i18n.t(Key::MaterialsHint)}</p>
                <p class="ready" aria-live="polite">{ready}</p>
                <ul class="checklist">
                    {c.materials.into_iter().map(|m| view! { <MaterialItem case=case.clone() material=m ticked/> }).collect_view()}
                </ul>
            }
        })
    };

    view! {
        {chooser}
        <Section id="conditions" title=Key::Conditions>{conditions}</Section>
        <Section id="materials" title=Key::Materials>{materials}</Section>
    }
}

/// One material: a checkbox with its name, and every detail the applicant needs.
#[component]
fn MaterialItem(
    case: String,
    material: Material,
    ticked: RwSignal<HashSet<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = format!("{case}/{}", material.code);
    let id = format!("m-{case}-{}", material.code);
    let checked = {
        let key = key.clone();
        move || ticked.with(|t| t.contains(&key))
    };
    let toggle = move |ev| {
        let on = event_target_checked(&ev);
        ticked.update(|t| {
            if on {
                t.insert(key.clone());
            } else {
                t.remove(&key);
            }
        });
    };
    let formats = material
        .formats
        .iter()
        .map(|f| i18n::file_format(*f))
        .collect::<Vec<_>>()
        .join(", ");
    let (required_key, required_class) = if material.required {
        (Key::Required, "badge badge-warn")
    } else {
        (Key::Optional, "badge badge-neutral")
    };
    let count = material.count;
    let mb = material.max_size_mb;
    let attachment = |a: Option<onewindow_api::catalogue::Attachment>, label: Key| {
        a.filter(|a| onewindow_api::check::is_safe_link(&a.url)).map(|a| view! {
            <li><a href=a.url rel="external">{i18n.t(label)} {i18n.t(Key::Colon)} {i18n.text(&a.title)}</a></li>
        })
    };
    let links = (material.blank_form.is_some() || material.sample.is_some()).then(|| {
        view! {
            <ul class="plain links">
                {attachment(material.blank_form.clone(), Key::BlankForm)}
                {attachment(material.sample.clone(), Key::FilledSample)}
            </ul>
        }
    });
    view! {
        <li class="material" data-testid="material">
            <div class="material-head">
                <input type="checkbox" id=id.clone() prop:checked=checked on:change=toggle/>
                <label for=id class="material-name">{i18n.text(&material.name)}</label>
            </div>
            <p class="badges">
                <span class=required_class>{i18n.t(required_key)}</span>
                <span class="badge badge-neutral">{i18n.t(i18n::material_form(material.form))}</span>
                <span class="badge badge-neutral">{move || copies(i18n.lang(), count)}</span>
            </p>
            <p class="requirements">{i18n.text(&material.requirements)}</p>
            <p class="formats">
                {i18n.t(Key::Formats)} {i18n.t(Key::Colon)} {formats} " · " {move || max_size(i18n.lang(), mb)}
            </p>
            {material.wallet_kind.is_some().then(|| view! { <p class="wallet">{i18n.t(Key::WalletReuse)}</p> })}
            {links}
        </li>
    }
}
