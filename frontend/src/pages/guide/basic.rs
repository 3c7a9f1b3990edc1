//! The plain sections of the guide: basic information, fees, result, rights and duties,
//! consultation and complaint channels, legal basis and FAQ.

use super::Section;
use crate::api;
use crate::components::channels::ChannelList;
use crate::fetched::Fetched;
use crate::i18n::{self, use_i18n, working_days, yuan, Key};
use leptos::prelude::*;
use onewindow_api::catalogue::{Channel, Faq, Fees, LegalBasis, Promise, ResultInfo, ServiceItem};
use onewindow_api::Text;

/// One row of a definition list.
#[component]
fn Row(label: Key, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="row">
            <dt>{i18n.t(label)}</dt>
            <dd>{children()}</dd>
        </div>
    }
}

#[component]
pub fn BasicInfo(item: ServiceItem) -> impl IntoView {
    let i18n = use_i18n();
    let tl = item.time_limit.clone();
    let yes_no = move |b: bool| i18n.t(if b { Key::Yes } else { Key::No });
    let audiences = item.audiences.clone();
    let department = format!("/services?department={}", item.department);
    let code = item.department.to_string();
    let departments = Fetched::new(api::departments);
    // The item carries only the department's code; the (cached) list has its name.
    let department_name = move || {
        let lang = i18n.lang();
        departments
            .get()
            .and_then(Result::ok)
            .and_then(|ds| ds.into_iter().find(|d| d.code.as_str() == code))
            .map(|d| d.name.get(lang).to_owned())
            .unwrap_or_else(|| code.clone())
    };
    view! {
        <Section id="basic" title=Key::GuideBasic>
            <dl class="facts">
                <Row label=Key::ItemCode><code>{item.code.to_string()}</code></Row>
                <Row label=Key::ItemKind>{i18n.t(i18n::kind(item.kind))}</Row>
                <Row label=Key::ItemLevel>{i18n.t(i18n::level(item.level))}</Row>
                <Row label=Key::ItemDepartment>
                    <a href=department>{department_name}</a>
                </Row>
                <Row label=Key::ImplementingBody>{i18n.text(&item.implementing_body)}</Row>
                <Row label=Key::ItemAudience>
                    {move || audiences.iter().map(|a| i18n::t(i18n.lang(), i18n::audience(*a))).collect::<Vec<_>>().join(" · ")}
                </Row>
                <Row label=Key::PromiseType>
                    {i18n.t(match tl.promise {
                        Promise::Instant => Key::PromiseInstant,
                        Promise::Promised => Key::PromisePromised,
                    })}
                </Row>
                <Row label=Key::LegalLimit>{move || working_days(i18n.lang(), tl.legal_working_days)}</Row>
                <Row label=Key::PromisedLimit>
                    {move || match tl.promise {
                        Promise::Instant => i18n::t(i18n.lang(), Key::OnTheSpot).to_owned(),
                        Promise::Promised => working_days(i18n.lang(), tl.promised_working_days),
                    }}
                </Row>
                <Row label=Key::VisitsOnSite>{move || i18n::visits(i18n.lang(), item.visits_on_site)}</Row>
                <Row label=Key::OnlineServices>
                    <ul class="plain">
                        <li>{i18n.t(Key::BadgeOnline)} {i18n.t(Key::Colon)} {yes_no(item.online.apply_online)}</li>
                        <li>{i18n.t(Key::BadgeAppointment)} {i18n.t(Key::Colon)} {yes_no(item.online.appointment)}</li>
                        <li>{i18n.t(Key::BadgeCityWide)} {i18n.t(Key::Colon)} {yes_no(item.online.city_wide)}</li>
                    </ul>
                </Row>
            </dl>
        </Section>
    }
}

#[component]
pub fn FeesSection(fees: Fees) -> impl IntoView {
    let i18n = use_i18n();
    let body = if fees.free || fees.items.is_empty() {
        view! { <p class="free">{i18n.t(Key::FeeFree)}</p> }.into_any()
    } else {
        // A list rather than a table: the legal basis is long and a phone has no room
        // for three columns.
        view! {
            <ul class="plain fees">
                {fees.items.into_iter().map(|f| view! {
                    <li class="fee">
                        <p class="fee-line">
                            <span class="fee-name">{i18n.text(&f.name)}</span>
                            <span class="fee-amount">{yuan(f.amount_fen)}</span>
                        </p>
                        <p class="fee-basis">{i18n.t(Key::FeeBasis)} {i18n.t(Key::Colon)} {i18n.text(&f.basis)}</p>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! { <Section id="fees" title=Key::Fees>{body}</Section> }
}

#[component]
pub fn ResultSection(result: ResultInfo) -> impl IntoView {
    let i18n = use_i18n();
    let delivery = result.delivery.clone();
    view! {
        <Section id="result" title=Key::ResultTitle>
            <dl class="facts">
                <Row label=Key::ResultName>{i18n.text(&result.name)}</Row>
                <Row label=Key::Delivery>
                    <ul class="plain">
                        {delivery.into_iter().map(|d| view! { <li>{i18n.t(i18n::delivery(d))}</li> }).collect_view()}
                    </ul>
                </Row>
                {result.sample.filter(|s| onewindow_api::check::is_safe_link(&s.url)).map(|s| view! {
                    <Row label=Key::ResultSample>
                        <a href=s.url rel="external">{i18n.text(&s.title)}</a>
                    </Row>
                })}
            </dl>
        </Section>
    }
}

/// A bulleted list of bilingual texts.
fn text_list(texts: Vec<Text>) -> impl IntoView {
    let i18n = use_i18n();
    view! { <ul>{texts.into_iter().map(|t| view! { <li>{i18n.text(&t)}</li> }).collect_view()}</ul> }
}

#[component]
pub fn RightsDuties(rights: Vec<Text>, duties: Vec<Text>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Section id="rights" title=Key::RightsDuties>
            <h3>{i18n.t(Key::Rights)}</h3>
            {text_list(rights)}
            <h3>{i18n.t(Key::Duties)}</h3>
            {text_list(duties)}
        </Section>
    }
}

#[component]
pub fn Channels(consultation: Vec<Channel>, complaint: Vec<Channel>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Section id="channels" title=Key::Channels>
            <h3 id="consultation">{i18n.t(Key::Consultation)}</h3>
            <ChannelList channels=consultation/>
            <h3 id="complaint">{i18n.t(Key::Complaint)}</h3>
            <ChannelList channels=complaint/>
        </Section>
    }
}

#[component]
pub fn LegalBasisSection(basis: Vec<LegalBasis>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Section id="legal-basis" title=Key::LegalBasis>
            <ul>
                {basis.into_iter().map(|b| view! {
                    <li><cite>{i18n.text(&b.title)}</cite> " " {i18n.text(&b.article)}</li>
                }).collect_view()}
            </ul>
        </Section>
    }
}

#[component]
pub fn FaqSection(faq: Vec<Faq>) -> impl IntoView {
    let i18n = use_i18n();
    (!faq.is_empty()).then(|| {
        view! {
            <Section id="faq" title=Key::Faq>
                {faq.into_iter().map(|f| view! {
                    <details class="faq">
                        <summary>{i18n.text(&f.question)}</summary>
                        <p>{i18n.text(&f.answer)}</p>
                    </details>
                }).collect_view()}
            </Section>
        }
    })
}
