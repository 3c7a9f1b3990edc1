//! `/services/:code`: the complete service guide (办事指南) of one item, every element
//! in its own section, with "ask a question" (我要咨询) under its actions.

mod basic;
mod cases;
mod process;
mod venues;

use crate::api;
use crate::app::set_title;
use crate::components::badges::StatusBadges;
use crate::components::thread_form::ThreadStarter;
use crate::fetched::{shown, Fetched};
use crate::i18n::{use_i18n, Key, GUIDE_SECTIONS};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::thread::{ThreadKind, ThreadSubject};

#[component]
pub fn Guide() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let item = Fetched::new(move || api::service(code.get()));
    view! {
        <div class="page guide">
            {shown(item, true, |item| view! { <GuideView item/> })}
        </div>
    }
}

#[component]
fn GuideView(item: ServiceItem) -> impl IntoView {
    let i18n = use_i18n();
    let name = item.name.clone();
    Effect::new(move |_| set_title(name.get(i18n.lang()), i18n.lang()));
    let parent = item
        .parent
        .clone()
        .map(|p| view! { <ParentLink code=p.to_string()/> });
    let toc = GUIDE_SECTIONS
        .iter()
        .filter(|(id, _)| *id != "faq" || !item.faq.is_empty())
        .map(|(id, key)| view! { <li><a href=format!("#{id}")>{i18n.t(*key)}</a></li> })
        .collect_view();
    view! {
        <article class="guide-article">
            <header class="guide-head">
                <p class="code">{item.code.to_string()}</p>
                <h1 data-testid="guide-title">{i18n.text(&item.name)}</h1>
                {parent}
                <p class="lead">{i18n.text(&item.summary)}</p>
                <StatusBadges
                    online=item.online.clone()
                    promise=item.time_limit.promise
                    promised_working_days=item.time_limit.promised_working_days
                    free=item.fees.free
                />
                <Actions item=item.clone()/>
                <ThreadStarter kind=ThreadKind::Question subject=ThreadSubject::Item(item.code.clone())/>
            </header>
            <nav class="toc" aria-labelledby="toc-heading">
                <h2 id="toc-heading">{i18n.t(Key::Contents)}</h2>
                <ol>{toc}</ol>
            </nav>
            <basic::BasicInfo item=item.clone()/>
            <cases::Cases cases=item.cases.clone()/>
            <basic::FeesSection fees=item.fees.clone()/>
            <process::ProcessSection steps=item.process.clone()/>
            <basic::ResultSection result=item.result.clone()/>
            <venues::Venues venues=item.venues.clone()/>
            <basic::RightsDuties rights=item.rights.clone() duties=item.duties.clone()/>
            <basic::Channels consultation=item.consultation.clone() complaint=item.complaint.clone()/>
            <basic::LegalBasisSection basis=item.legal_basis.clone()/>
            <basic::FaqSection faq=item.faq.clone()/>
        </article>
    }
}

/// The link to the main item (主项) of a sub-item, named once its guide has loaded.
#[component]
fn ParentLink(code: String) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/services/{code}");
    let fetch = code.clone();
    let parent = Fetched::new(move || api::service(fetch.clone()));
    let name = move || {
        let lang = i18n.lang();
        match parent.get() {
            Some(Ok(item)) => format!("{} ({code})", item.name.get(lang)),
            _ => code.clone(),
        }
    };
    view! {
        <p class="parent-link">
            {i18n.t(Key::ParentItem)} " " <a href=href>{name}</a>
        </p>
    }
}

/// "Apply online" (在线办理) and "Book an appointment" (预约办理), where the item offers
/// them, and printing the guide as the one-page slip of what to bring (see the print
/// style sheet: the materials, the fees and where to go with hall, floor and window).
#[component]
fn Actions(item: ServiceItem) -> impl IntoView {
    let i18n = use_i18n();
    let apply = format!("/services/{}/apply", item.code);
    let book = format!("/services/{}/book", item.code);
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="actions guide-actions">
            {(item.online.apply_online && !item.cases.is_empty()).then(|| view! {
                <a class="button" href=apply data-testid="apply-online">{i18n.t(Key::ApplyOnline)}</a>
            })}
            {item.online.appointment.then(|| view! {
                <a class="button secondary" href=book data-testid="book-appointment">
                    {i18n.t(Key::BookAppointment)}
                </a>
            })}
            <button type="button" class="secondary" data-testid="print-slip" on:click=print>
                {i18n.t(Key::PrintSlip)}
            </button>
        </div>
    }
}

/// A section of the guide with its `h2`; `id` is the anchor of the table of contents.
#[component]
fn Section(id: &'static str, title: Key, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let heading = format!("{id}-heading");
    let labelledby = heading.clone();
    view! {
        <section id=id class="guide-section" aria-labelledby=labelledby data-testid=id>
            <h2 id=heading>{i18n.t(title)}</h2>
            {children()}
        </section>
    }
}
