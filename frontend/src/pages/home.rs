//! `/`: the search box first, then themes in three groups, departments and the catalogue.

use crate::api;
use crate::app::set_title;
use crate::components::search_box::SearchBox;
use crate::fetched::{listed, Fetched};
use crate::i18n::{self, item_count, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::catalogue::{Department, Theme, ThemeKind};

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title("", i18n.lang()));
    let themes = Fetched::new(api::themes);
    let departments = Fetched::new(api::departments);

    view! {
        <div class="page home">
            <section class="hero" aria-labelledby="home-title">
                <h1 id="home-title">
                    <span lang="zh-CN">"一窗通办"</span>
                    " "
                    <span lang="en" class="hero-en">"OneWindow"</span>
                </h1>
                <p class="tagline">{i18n.t(Key::Tagline)}</p>
                <p class="intro">{i18n.t(Key::HomeIntro)}</p>
                <SearchBox initial=Signal::stored(String::new()) prominent=true/>
            </section>
            {listed(themes, move |themes| view! {
                {[ThemeKind::Individual, ThemeKind::Business, ThemeKind::LifeEvent]
                    .map(|kind| view! { <ThemeGroup kind themes=themes.clone()/> })
                    .collect_view()}
            }.into_any())}
            <section class="home-section" aria-labelledby="home-departments">
                <h2 id="home-departments">{i18n.t(Key::ByDepartment)}</h2>
                {listed(departments, move |list| view! { <DepartmentList departments=list/> }.into_any())}
                <p class="more">
                    <a class="button" href="/services">{i18n.t(Key::FullCatalogue)}</a>
                </p>
            </section>
        </div>
    }
}

/// One group of theme shortcuts, each a link to the catalogue filtered by the theme.
#[component]
fn ThemeGroup(kind: ThemeKind, themes: Vec<Theme>) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!(
        "themes-{}",
        match kind {
            ThemeKind::Individual => "individual",
            ThemeKind::Business => "business",
            ThemeKind::LifeEvent => "life-event",
        }
    );
    let labelledby = id.clone();
    let items = themes
        .into_iter()
        .filter(|t| t.kind == kind)
        .map(|t| {
            let href = format!("/services?theme={}", t.code);
            view! {
                <li>
                    <a class="tile" href=href title=i18n.text(&t.description)>
                        <span class="tile-name">{i18n.text(&t.name)}</span>
                        <span class="tile-count">{move || item_count(i18n.lang(), t.item_count)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="home-section" aria-labelledby=labelledby>
            <h2 id=id>{i18n.t(i18n::theme_kind(kind))}</h2>
            <ul class="tiles" data-testid=format!("themes-{kind:?}").to_lowercase()>{items}</ul>
        </section>
    }
}

#[component]
fn DepartmentList(departments: Vec<Department>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="chips">
            {departments.into_iter().map(|d| {
                let href = format!("/services?department={}", d.code);
                view! {
                    <li>
                        <a class="chip" href=href>
                            {i18n.text(&d.name)}
                            <span class="chip-count">{move || item_count(i18n.lang(), d.item_count)}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
