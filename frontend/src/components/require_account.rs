//! A gate for pages that need an account: anonymous visitors are sent to
//! `/login?next=<this page>`, and a page for one kind of account says so to the others.

use crate::components::states::Loading;
use crate::i18n::{use_i18n, Key};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use onewindow_api::account::Role;

/// Which accounts a page serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Need {
    /// Any signed-in account.
    #[default]
    Any,
    /// Applicants: citizens and business members.
    Applicant,
    /// Staff of a department, and supervisors (admin), who see the supervision view.
    Staff,
}

impl Need {
    fn allows(self, role: Role) -> bool {
        match self {
            Need::Any => true,
            Need::Applicant => matches!(role, Role::Citizen | Role::BusinessMember),
            Need::Staff => matches!(role, Role::Staff | Role::Admin),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Waiting,
    Anonymous,
    Allowed,
    Refused,
}

#[component]
pub fn RequireAccount(#[prop(optional)] need: Need, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    let gate = Memo::new(move |_| {
        if !session.ready.get() {
            return Gate::Waiting;
        }
        session.account.with(|a| match a {
            None => Gate::Anonymous,
            Some(a) if need.allows(a.role) => Gate::Allowed,
            Some(_) => Gate::Refused,
        })
    });
    Effect::new(move |_| {
        if gate.get() == Gate::Anonymous {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.query.get_untracked().to_query_string()
            );
            let mut q = ParamsMap::new();
            q.insert("next", here);
            navigate(
                &format!("/login{}", q.to_query_string()),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let refused = match need {
        Need::Staff => Key::StaffOnly,
        _ => Key::ApplicantsOnly,
    };
    move || match gate.get() {
        Gate::Waiting | Gate::Anonymous => view! { <Loading/> }.into_any(),
        Gate::Refused => {
            view! { <p class="note" role="alert" data-testid="refused">{i18n.t(refused)}</p> }
                .into_any()
        }
        Gate::Allowed => children().into_any(),
    }
}
