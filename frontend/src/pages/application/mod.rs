//! `/applications/:id`: one application. A draft is the apply flow (form, materials,
//! one-time notice, submit); a submitted case shows its status, deadline, delivery and
//! timeline, the correction to make when one is asked, and, for the department's
//! staff, the actions they can take now.

mod case_view;
mod draft;
pub(super) mod editor;
mod fields;
mod from_wallet;
mod materials;
mod review;
mod staff;
mod submit;

use crate::api;
use crate::app::set_title;
use crate::components::case_badges::StateBadge;
use crate::components::require_account::RequireAccount;
use crate::fetched::{shown, Fetched};
use crate::i18n::{datetime, use_i18n, Key};
use crate::session::use_session;
use case_view::CaseView;
use draft::EditView;
use leptos::prelude::*;
use onewindow_api::application::Application;
use onewindow_api::case::CaseState;
use onewindow_api::catalogue::ServiceItem;
use onewindow_api::ids::CaseId;
use onewindow_api::{ErrorBody, ErrorCode};
use onewindow_client::ClientError;

#[component]
pub fn ApplicationPage() -> impl IntoView {
    view! {
        <div class="page application">
            <RequireAccount>
                <Loader/>
            </RequireAccount>
        </div>
    }
}

#[component]
fn Loader() -> impl IntoView {
    let path = crate::components::route::path_id();
    let id = Memo::new(move |_| path.get().map(CaseId));
    let data = Fetched::new(move || {
        let id = id.get();
        async move {
            let Some(id) = id else {
                return Err(ClientError::Api {
                    status: 404,
                    body: ErrorBody::new(ErrorCode::NotFound, "no such application"),
                });
            };
            let app = api::application(id).await?;
            let item = api::service(app.item.to_string()).await?;
            Ok((app, item))
        }
    });
    shown(
        data,
        true,
        |(app, item)| view! { <ApplicationView app item/> },
    )
}

#[component]
fn ApplicationView(app: Application, item: ServiceItem) -> impl IntoView {
    let i18n = use_i18n();
    let staff = use_session().is_staff();
    let name = item.name.clone();
    Effect::new(move |_| set_title(name.get(i18n.lang()), i18n.lang()));
    let id = app.id;
    let app = RwSignal::new(app);
    crate::live::refresh_on_live(format!("/applications/{id}"), app, move || {
        api::application(id)
    });
    let item = StoredValue::new(item);
    // The body is rebuilt only when the state changes (after submit or a staff action),
    // never while the user types.
    let state = Memo::new(move |_| app.with(|a| a.state));
    let back = if staff { "/staff" } else { "/applications" };
    let back_label = if staff {
        Key::StaffTitle
    } else {
        Key::MyApplications
    };
    view! {
        <p class="breadcrumb"><a href=back>{i18n.t(back_label)}</a></p>
        <header class="application-head">
            <p class="code">{move || app.with(|a| a.item.to_string())}</p>
            <h1 data-testid="application-title">{move || app.with(|a| a.item_name.get(i18n.lang()).to_owned())}</h1>
            <p class="case-name">{i18n.t(Key::CaseName)} {i18n.t(Key::Colon)} {move || app.with(|a| a.case_name.get(i18n.lang()).to_owned())}</p>
            <p class="badges" data-testid="app-state" data-state=move || state.get().as_str()>
                {move || view! { <StateBadge state=state.get()/> }}
            </p>
            <dl class="facts">
                <div class="row">
                    <dt>{i18n.t(Key::ApplicationNumber)}</dt>
                    <dd>{move || match app.with(|a| a.number.clone()) {
                        Some(n) => view! { <strong class="code" data-testid="app-number">{n}</strong> }.into_any(),
                        None => view! { <span class="hint">{i18n.t(Key::NumberPending)}</span> }.into_any(),
                    }}</dd>
                </div>
                <div class="row">
                    <dt>{i18n.t(Key::Applicant)}</dt>
                    <dd>{move || app.with(|a| format!("{} {}", a.applicant_name, a.applicant_id_masked))}</dd>
                </div>
                {move || app.with(|a| a.company_name.clone()).map(|c| view! {
                    <div class="row"><dt>{i18n.t(Key::Company)}</dt><dd>{c}</dd></div>
                })}
                {move || app.with(|a| a.agent_name.clone()).map(|n| view! {
                    <div class="row"><dt>{i18n.t(Key::AgentLabel)}</dt><dd data-testid="agent-name">{n}</dd></div>
                })}
                {move || app.with(|a| a.predicted.clone()).map(|d| view! {
                    <div class="row"><dt>{i18n.t(Key::Predicted)}</dt><dd data-testid="predicted">{d}</dd></div>
                })}
                <div class="row">
                    <dt>{i18n.t(Key::UpdatedAt)}</dt>
                    <dd>{move || app.with(|a| datetime(&a.updated_at))}</dd>
                </div>
            </dl>
        </header>
        {move || match state.get() {
            CaseState::Draft => view! { <EditView app item/> }.into_any(),
            _ => view! { <CaseView app item/> }.into_any(),
        }}
    }
}
