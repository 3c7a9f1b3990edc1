//! One item in a list (catalogue or search results): name, department, level and badges.

use crate::components::badges::StatusBadges;
use crate::i18n::{self, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::catalogue::ServiceSummary;

/// `fuzzy` marks a hit of the typo-tolerant fallback of the search.
#[component]
pub fn ServiceCard(item: ServiceSummary, #[prop(optional)] fuzzy: bool) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/services/{}", item.code);
    let code = item.code.to_string();
    let department = item.department.to_string();
    let code_attr = code.clone();
    view! {
        <li class="card service-card" data-testid="service-card" data-code=code_attr data-department=department>
            <h2>
                <a href=href data-testid="service-card-link">{i18n.text(&item.name)}</a>
            </h2>
            {fuzzy.then(|| view! { <span class="badge badge-warn fuzzy">{i18n.t(Key::SearchFuzzyBadge)}</span> })}
            <p class="meta">
                <span>{i18n.text(&item.department_name)}</span>
                " · "
                <span>{i18n.t(i18n::level(item.level))}</span>
                " · "
                <span class="code">{code}</span>
            </p>
            <p class="summary">{i18n.text(&item.summary)}</p>
            <StatusBadges
                online=item.online.clone()
                promise=item.promise
                promised_working_days=item.promised_working_days
                free=item.free
            />
        </li>
    }
}
