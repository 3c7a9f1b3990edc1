//! `/me` (我的): who is signed in (name, role, masked ID number, company or
//! department), for a company's members who else is in it and who waits to be
//! confirmed, every destination that the phone's bottom bar has no room for, the
//! settings, and signing out; signed out, the way to sign in or register.

use crate::api;
use crate::app::set_title;
use crate::components::states::InlineError;
use crate::fetched::{listed, Fetched};
use crate::i18n::{t, use_i18n, I18n, Key};
use crate::session::{use_session, use_sign_out};
use crate::shell::use_shell;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_api::account::{Account, Role};
use onewindow_api::wallet::mask_phone;
use onewindow_client::ClientError;
use onewindow_ui::nav::destinations;

#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let shell = use_shell();
    Effect::new(move |_| set_title(t(i18n.lang(), Key::NavMe), i18n.lang()));
    let role = move || session.account.with(|a| a.as_ref().map(|a| a.role));
    let links = move || {
        let mut list: Vec<(&'static str, Key)> = destinations(role())
            .into_iter()
            .filter(|d| !d.bottom)
            .map(|d| (d.href, d.key))
            .collect();
        if role().is_some() {
            list.push(("/settings/notifications", Key::NotificationSettings));
        }
        list.push(("/stats", Key::NavStats));
        if shell.in_app {
            list.push(("/settings/server", Key::NavServer));
        }
        list.into_iter()
            .map(|(href, key)| view! { <li><a class="chip" href=href>{i18n.t(key)}</a></li> })
            .collect_view()
    };
    view! {
        <div class="page narrow me">
            <h1>{i18n.t(Key::NavMe)}</h1>
            {move || session.ready.get().then(|| match session.account.get() {
                Some(a) => view! { <Profile a/> }.into_any(),
                None => view! {
                    <section class="card">
                        <p>{i18n.t(Key::MeSignedOut)}</p>
                        <p class="actions">
                            <a class="button" href="/login" data-testid="me-login">{i18n.t(Key::NavLogin)}</a>
                            <a class="button secondary" href="/register">{i18n.t(Key::NavRegister)}</a>
                        </p>
                    </section>
                }.into_any(),
            })}
            <section class="home-section" aria-labelledby="me-more">
                <h2 id="me-more">{i18n.t(Key::MeMore)}</h2>
                <ul class="chips">{links}</ul>
            </section>
        </div>
    }
}

/// The signed-in account, with its sign-out button.
#[component]
fn Profile(a: Account) -> impl IntoView {
    let i18n = use_i18n();
    let sign_out = use_sign_out();
    let role = match a.role {
        Role::Citizen => Key::RoleCitizen,
        Role::BusinessMember => Key::RoleBusinessMember,
        Role::Staff => Key::RoleStaff,
        Role::Admin => Key::RoleAdmin,
    };
    view! {
        <section class="card profile" data-testid="profile">
            <h2>{a.name.clone()}</h2>
            <dl class="facts">
                {row(i18n, Key::AccountRole, i18n.t(role))}
                {a.id_number_masked.clone().map(|id| row(i18n, Key::IdNumber, id))}
                {row(i18n, Key::MobilePhone, mask_phone(&a.phone))}
                {a.company.clone().map(|c| row(i18n, Key::Company, c.name))}
                {a.department.clone().map(|d| row(i18n, Key::FilterDepartment, d.to_string()))}
            </dl>
            {a.company_pending.clone().map(|c| view! {
                <p class="notice" data-testid="company-pending">
                    {i18n.t(Key::CompanyPending)} " " <strong>{c.name}</strong>
                </p>
            })}
            <p class="actions">
                <button type="button" class="secondary" data-testid="me-logout" on:click=move |_| sign_out()>
                    {i18n.t(Key::NavLogout)}
                </button>
            </p>
        </section>
        {a.company.is_some().then(|| view! { <CompanyMembers/> })}
    }
}

/// The company's members, and those who registered with its credit code and wait for a
/// member to confirm them (or turn them away).
#[component]
fn CompanyMembers() -> impl IntoView {
    let i18n = use_i18n();
    let list = Fetched::new(api::company_members);
    let failure = RwSignal::new(None::<ClientError>);
    let decide = move |user, confirm| {
        failure.set(None);
        spawn_local(async move {
            match api::decide_member(user, confirm).await {
                Ok(()) => list.refetch(),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="members-heading" data-testid="company-members">
            <h2 id="members-heading">{i18n.t(Key::CompanyMembers)}</h2>
            <p class="hint">{i18n.t(Key::CompanyMembersHint)}</p>
            <InlineError error=failure/>
            {listed(list, move |members| view! {
                <ul class="plain">
                    {members.into_iter().map(|m| {
                        let (id, name) = (m.id, m.name.clone());
                        let label = |key| {
                            let name = name.clone();
                            move || format!("{} {name}", i18n.t(key)())
                        };
                        view! {
                            <li data-testid="company-member" data-pending=m.pending.to_string()>
                                <strong>{m.name.clone()}</strong> " · " {m.phone_masked.clone()}
                                {m.pending.then(|| view! {
                                    " " <span class="badge">{i18n.t(Key::MemberWaiting)}</span>
                                    <span class="actions">
                                        <button type="button" data-testid="member-confirm"
                                            aria-label=label(Key::MemberConfirm) on:click=move |_| decide(id, true)>
                                            {i18n.t(Key::MemberConfirm)}
                                        </button>
                                        <button type="button" class="secondary" data-testid="member-turn-away"
                                            aria-label=label(Key::MemberTurnAway) on:click=move |_| decide(id, false)>
                                            {i18n.t(Key::MemberTurnAway)}
                                        </button>
                                    </span>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any())}
        </section>
    }
}

/// One fact of the profile.
fn row(i18n: I18n, key: Key, value: impl IntoView + 'static) -> impl IntoView {
    view! { <div class="row"><dt>{i18n.t(key)}</dt><dd>{value}</dd></div> }
}
