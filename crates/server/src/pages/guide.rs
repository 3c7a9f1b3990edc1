//! `/services/{code}` for a visitor: the complete service guide (办事指南), every element
//! in its own section as in the app, with its actions as links (applying, booking and
//! asking a question lead through sign-in to the app). Where the app shows one handling
//! case at a time with a chooser, this page lists every case's conditions and materials;
//! the materials are a checklist to tick as in the app.

use super::html::{badges, esc, k, tx};
use super::Visitor;
use crate::state::AppState;
use onewindow_api::catalogue::{
    Channel, ChannelKind, Hall, HandlingCase, Material, Promise, ServiceItem,
};
use onewindow_api::check::is_safe_link;
use onewindow_api::{Lang, Text};
use onewindow_ui::chart::{self, WIDTH};
use onewindow_ui::text::{
    self, copies, file_format, max_size, opening_lines, step_days, t, visits, working_days, yuan,
    Key, GUIDE_SECTIONS,
};
use std::fmt::Write as _;

pub async fn render(
    state: &AppState,
    v: &Visitor,
    code: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    if !onewindow_api::ids::is_valid_code(code) {
        return Ok(None);
    }
    let Some(item) = state.item(code).await? else {
        return Ok(None);
    };
    let lang = v.lang;
    let parent = match &item.parent {
        Some(p) => state
            .item(p.as_str())
            .await?
            .map(|p| (p.code.to_string(), p.name.clone())),
        None => None,
    };
    let department = state
        .snapshot()
        .departments
        .iter()
        .find(|d| d.code == item.department)
        .map(|d| d.name.get(lang).to_owned())
        .unwrap_or_else(|| item.department.to_string());
    let halls = state.snapshot().halls.clone();

    let mut main = String::from("<div class=\"page guide\"><article class=\"guide-article\">");
    main += &head(lang, &item, parent);
    main += &toc(lang, &item);
    main += &basic(lang, &item, &department);
    main += &cases(lang, &item.cases);
    main += &fees(lang, &item);
    main += &process(lang, &item);
    main += &result(lang, &item);
    main += &venues(lang, &item, &halls);
    main += &rights(lang, &item);
    main += &channels(lang, &item);
    main += &legal_basis(lang, &item);
    main += &faq(lang, &item);
    main += "</article></div>";
    Ok(Some((item.name.get(lang).to_owned(), main)))
}

/// A section of the guide with its `h2`; `id` is the anchor of the table of contents.
fn section(lang: Lang, id: &str, title: Key, body: &str) -> String {
    format!(
        "<section id=\"{id}\" class=\"guide-section\" aria-labelledby=\"{id}-heading\" data-testid=\"{id}\"><h2 id=\"{id}-heading\">{}</h2>{body}</section>",
        k(lang, title)
    )
}

/// One row of a definition list.
fn row(lang: Lang, label: Key, value: &str) -> String {
    format!(
        "<div class=\"row\"><dt>{}</dt><dd>{value}</dd></div>",
        k(lang, label)
    )
}

/// A bulleted list of bilingual texts.
fn text_list(lang: Lang, texts: &[Text]) -> String {
    let items: String = texts
        .iter()
        .map(|t| format!("<li>{}</li>", tx(t, lang)))
        .collect();
    format!("<ul>{items}</ul>")
}

fn head(lang: Lang, item: &ServiceItem, parent: Option<(String, Text)>) -> String {
    let code = esc(item.code.as_str());
    let mut out = format!(
        "<header class=\"guide-head\"><p class=\"code\">{code}</p><h1 data-testid=\"guide-title\">{}</h1>",
        tx(&item.name, lang)
    );
    if let Some((p, name)) = parent {
        let _ = write!(
            out,
            "<p class=\"parent-link\">{} <a href=\"/services/{}\">{} ({})</a></p>",
            k(lang, Key::ParentItem),
            esc(&p),
            tx(&name, lang),
            esc(&p)
        );
    }
    let _ = write!(
        out,
        "<p class=\"lead\">{}</p>{}<div class=\"actions guide-actions\">",
        tx(&item.summary, lang),
        badges(
            lang,
            &item.online,
            item.time_limit.promise,
            item.time_limit.promised_working_days,
            item.fees.free
        )
    );
    if item.online.apply_online && !item.cases.is_empty() {
        let _ = write!(
            out,
            "<a class=\"button\" href=\"/services/{code}/apply\" data-testid=\"apply-online\">{}</a>",
            k(lang, Key::ApplyOnline)
        );
    }
    if item.online.appointment {
        let _ = write!(
            out,
            "<a class=\"button secondary\" href=\"/services/{code}/book\" data-testid=\"book-appointment\">{}</a>",
            k(lang, Key::BookAppointment)
        );
    }
    let _ = write!(
        out,
        "<button type=\"button\" class=\"secondary\" data-testid=\"print-slip\" onclick=\"window.print()\">{}</button></div>\
<p class=\"thread-start\"><a class=\"button secondary\" href=\"/login?next=%2Fservices%2F{code}\" data-testid=\"ask-question-login\">{}</a></p></header>",
        k(lang, Key::PrintSlip),
        k(lang, Key::SignInToAsk)
    );
    out
}

fn toc(lang: Lang, item: &ServiceItem) -> String {
    let links: String = GUIDE_SECTIONS
        .iter()
        .filter(|(id, _)| *id != "faq" || !item.faq.is_empty())
        .map(|(id, key)| format!("<li><a href=\"#{id}\">{}</a></li>", k(lang, *key)))
        .collect();
    format!(
        "<nav class=\"toc\" aria-labelledby=\"toc-heading\"><h2 id=\"toc-heading\">{}</h2><ol>{links}</ol></nav>",
        k(lang, Key::Contents)
    )
}

fn basic(lang: Lang, item: &ServiceItem, department: &str) -> String {
    let tl = &item.time_limit;
    let yes_no = |b: bool| t(lang, if b { Key::Yes } else { Key::No });
    let audiences = item
        .audiences
        .iter()
        .map(|a| t(lang, text::audience(*a)))
        .collect::<Vec<_>>()
        .join(" · ");
    let colon = t(lang, Key::Colon);
    let online = format!(
        "<ul class=\"plain\"><li>{} {colon} {}</li><li>{} {colon} {}</li><li>{} {colon} {}</li></ul>",
        t(lang, Key::BadgeOnline),
        yes_no(item.online.apply_online),
        t(lang, Key::BadgeAppointment),
        yes_no(item.online.appointment),
        t(lang, Key::BadgeCityWide),
        yes_no(item.online.city_wide),
    );
    let promise = match tl.promise {
        Promise::Instant => (Key::PromiseInstant, t(lang, Key::OnTheSpot).to_owned()),
        Promise::Promised => (
            Key::PromisePromised,
            working_days(lang, tl.promised_working_days),
        ),
    };
    let rows = [
        row(
            lang,
            Key::ItemCode,
            &format!("<code>{}</code>", esc(item.code.as_str())),
        ),
        row(lang, Key::ItemKind, &k(lang, text::kind(item.kind))),
        row(lang, Key::ItemLevel, &k(lang, text::level(item.level))),
        row(
            lang,
            Key::ItemDepartment,
            &format!(
                "<a href=\"/services?department={}\">{}</a>",
                esc(item.department.as_str()),
                esc(department)
            ),
        ),
        row(
            lang,
            Key::ImplementingBody,
            &tx(&item.implementing_body, lang),
        ),
        row(lang, Key::ItemAudience, &esc(&audiences)),
        row(lang, Key::PromiseType, &k(lang, promise.0)),
        row(
            lang,
            Key::LegalLimit,
            &esc(&working_days(lang, tl.legal_working_days)),
        ),
        row(lang, Key::PromisedLimit, &esc(&promise.1)),
        row(
            lang,
            Key::VisitsOnSite,
            &esc(&visits(lang, item.visits_on_site)),
        ),
        row(lang, Key::OnlineServices, &online),
    ];
    section(
        lang,
        "basic",
        Key::GuideBasic,
        &format!("<dl class=\"facts\">{}</dl>", rows.concat()),
    )
}

/// Every handling case's conditions, then every case's materials as a checklist.
fn cases(lang: Lang, cases: &[HandlingCase]) -> String {
    let several = cases.len() > 1;
    let name = |c: &HandlingCase| {
        if several {
            format!("<h3 class=\"case-name\">{}</h3>", tx(&c.name, lang))
        } else {
            format!("<p class=\"case-name\">{}</p>", tx(&c.name, lang))
        }
    };
    let mut conditions = String::new();
    let mut materials = format!("<p class=\"hint\">{}</p>", k(lang, Key::MaterialsHint));
    for c in cases {
        conditions += &name(c);
        conditions += &text_list(lang, &c.conditions);
        materials += &name(c);
        materials += "<ul class=\"checklist\">";
        for m in &c.materials {
            materials += &material(lang, &c.code, m);
        }
        materials += "</ul>";
    }
    section(lang, "conditions", Key::Conditions, &conditions)
        + &section(lang, "materials", Key::Materials, &materials)
}

/// One material: a checkbox with its name, and every detail the applicant needs.
fn material(lang: Lang, case: &str, m: &Material) -> String {
    let id = esc(&format!("m-{case}-{}", m.code));
    let formats = m
        .formats
        .iter()
        .map(|f| file_format(*f))
        .collect::<Vec<_>>()
        .join(", ");
    let (required, class) = if m.required {
        (Key::Required, "badge badge-warn")
    } else {
        (Key::Optional, "badge badge-neutral")
    };
    let colon = k(lang, Key::Colon);
    let mut links = String::new();
    for (a, label) in [
        (&m.blank_form, Key::BlankForm),
        (&m.sample, Key::FilledSample),
    ] {
        if let Some(a) = a.as_ref().filter(|a| is_safe_link(&a.url)) {
            let _ = write!(
                links,
                "<li><a href=\"{}\" rel=\"external\">{} {colon} {}</a></li>",
                esc(&a.url),
                k(lang, label),
                tx(&a.title, lang)
            );
        }
    }
    if !links.is_empty() {
        links = format!("<ul class=\"plain links\">{links}</ul>");
    }
    let wallet = if m.wallet_kind.is_some() {
        format!("<p class=\"wallet\">{}</p>", k(lang, Key::WalletReuse))
    } else {
        String::new()
    };
    format!(
        "<li class=\"material\" data-testid=\"material\"><div class=\"material-head\"><input type=\"checkbox\" id=\"{id}\"><label for=\"{id}\" class=\"material-name\">{name}</label></div>\
<p class=\"badges\"><span class=\"{class}\">{required}</span><span class=\"badge badge-neutral\">{form}</span><span class=\"badge badge-neutral\">{copies}</span></p>\
<p class=\"requirements\">{requirements}</p><p class=\"formats\">{formats_label} {colon} {formats} · {size}</p>{wallet}{links}</li>",
        name = tx(&m.name, lang),
        required = k(lang, required),
        form = k(lang, text::material_form(m.form)),
        copies = esc(&copies(lang, m.count)),
        requirements = tx(&m.requirements, lang),
        formats_label = k(lang, Key::Formats),
        formats = esc(&formats),
        size = esc(&max_size(lang, m.max_size_mb)),
    )
}

fn fees(lang: Lang, item: &ServiceItem) -> String {
    let fees = &item.fees;
    let body = if fees.free || fees.items.is_empty() {
        format!("<p class=\"free\">{}</p>", k(lang, Key::FeeFree))
    } else {
        let items: String = fees
            .items
            .iter()
            .map(|f| {
                format!(
                    "<li class=\"fee\"><p class=\"fee-line\"><span class=\"fee-name\">{}</span><span class=\"fee-amount\">{}</span></p><p class=\"fee-basis\">{} {} {}</p></li>",
                    tx(&f.name, lang),
                    esc(&yuan(f.amount_fen)),
                    k(lang, Key::FeeBasis),
                    k(lang, Key::Colon),
                    tx(&f.basis, lang)
                )
            })
            .collect();
        format!("<ul class=\"plain fees\">{items}</ul>")
    };
    section(lang, "fees", Key::Fees, &body)
}

/// The steps as a list, and the same drawn as a flow chart whose `<title>` names every
/// step.
fn process(lang: Lang, item: &ServiceItem) -> String {
    let steps = &item.process;
    let list: String = steps
        .iter()
        .map(|s| {
            format!(
                "<li class=\"step\"><h3>{}</h3><p class=\"meta\">{} · {}</p><p>{}</p></li>",
                tx(&s.name, lang),
                tx(&s.actor, lang),
                esc(&step_days(lang, s.working_days)),
                tx(&s.description, lang)
            )
        })
        .collect();
    let names = steps
        .iter()
        .map(|s| s.name.get(lang))
        .collect::<Vec<_>>()
        .join(" → ");
    let height = chart::height(steps.len());
    let mut svg = format!(
        "<figure class=\"flow-chart\"><svg role=\"img\" aria-labelledby=\"flow-title\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" data-testid=\"flow-chart\"><title id=\"flow-title\">{}{}{}</title>",
        k(lang, Key::FlowChart),
        k(lang, Key::Colon),
        esc(&names)
    );
    for (n, (s, b)) in steps.iter().zip(chart::boxes(steps.len())).enumerate() {
        let _ = write!(
            svg,
            "<rect class=\"flow-box\" x=\"2\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\"></rect>\
<text class=\"flow-name\" x=\"{mid}\" y=\"{}\" text-anchor=\"middle\">{}. {}</text>\
<text class=\"flow-sub\" x=\"{mid}\" y=\"{}\" text-anchor=\"middle\">{} · {}</text>",
            b.y,
            WIDTH - 4,
            chart::BOX_H,
            b.name_y,
            n + 1,
            tx(&s.name, lang),
            b.sub_y,
            tx(&s.actor, lang),
            esc(&step_days(lang, s.working_days)),
            mid = WIDTH / 2,
        );
        if let Some(a) = b.arrow {
            let _ = write!(
                svg,
                "<line class=\"flow-line\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"></line><polygon class=\"flow-head\" points=\"{}\"></polygon>",
                a.y1,
                a.y2 - 6,
                a.head(),
                x = a.x
            );
        }
    }
    svg += "</svg></figure>";
    section(
        lang,
        "process",
        Key::Process,
        &format!("<div class=\"process\"><ol class=\"steps\">{list}</ol>{svg}</div>"),
    )
}

fn result(lang: Lang, item: &ServiceItem) -> String {
    let r = &item.result;
    let delivery: String = r
        .delivery
        .iter()
        .map(|d| format!("<li>{}</li>", k(lang, text::delivery(*d))))
        .collect();
    let mut rows = row(lang, Key::ResultName, &tx(&r.name, lang))
        + &row(
            lang,
            Key::Delivery,
            &format!("<ul class=\"plain\">{delivery}</ul>"),
        );
    if let Some(s) = r.sample.as_ref().filter(|s| is_safe_link(&s.url)) {
        rows += &row(
            lang,
            Key::ResultSample,
            &format!(
                "<a href=\"{}\" rel=\"external\">{}</a>",
                esc(&s.url),
                tx(&s.title, lang)
            ),
        );
    }
    section(
        lang,
        "result",
        Key::ResultTitle,
        &format!("<dl class=\"facts\">{rows}</dl>"),
    )
}

/// Each venue's hall with address, phone, opening hours, floor and windows.
fn venues(lang: Lang, item: &ServiceItem, halls: &[Hall]) -> String {
    let mut cards = String::new();
    for v in &item.venues {
        let hall = halls.iter().find(|h| h.code == v.hall);
        let name = hall.map_or_else(|| esc(v.hall.as_str()), |h| tx(&h.name, lang));
        let mut rows = String::new();
        if let Some(h) = hall {
            let tel = h.phone.replace([' ', '-'], "");
            let hours: String = opening_lines(lang, &h.hours)
                .iter()
                .map(|l| format!("<li>{}</li>", esc(l)))
                .collect();
            let notes = if h.notes.is_complete() {
                format!("<p class=\"hall-note\">{}</p>", tx(&h.notes, lang))
            } else {
                String::new()
            };
            rows += &row(lang, Key::Address, &tx(&h.address, lang));
            rows += &row(
                lang,
                Key::Phone,
                &format!(
                    "<a href=\"tel:{}\" rel=\"external\">{}</a>",
                    esc(&tel),
                    esc(&h.phone)
                ),
            );
            rows += &row(
                lang,
                Key::Hours,
                &format!("<ul class=\"plain\">{hours}</ul>{notes}"),
            );
        }
        let windows: String = v
            .windows
            .iter()
            .map(|code| {
                let label = hall
                    .and_then(|h| h.windows.iter().find(|w| &w.code == code))
                    .map(|w| tx(&w.name, lang))
                    .unwrap_or_default();
                format!("<li><strong>{}</strong> {label}</li>", esc(code))
            })
            .collect();
        rows += &row(lang, Key::Floor, &tx(&v.floor, lang));
        rows += &row(
            lang,
            Key::Windows,
            &format!("<ul class=\"plain\">{windows}</ul>"),
        );
        let _ = write!(
            cards,
            "<li class=\"card venue\"><h3>{name}</h3><dl class=\"facts\">{rows}</dl></li>"
        );
    }
    section(
        lang,
        "venues",
        Key::WhereToGo,
        &format!("<ul class=\"plain venues\">{cards}</ul>"),
    )
}

fn rights(lang: Lang, item: &ServiceItem) -> String {
    let body = format!(
        "<h3>{}</h3>{}<h3>{}</h3>{}",
        k(lang, Key::Rights),
        text_list(lang, &item.rights),
        k(lang, Key::Duties),
        text_list(lang, &item.duties)
    );
    section(lang, "rights", Key::RightsDuties, &body)
}

/// A channel's value, as a link where its kind allows one.
fn channel(lang: Lang, c: &Channel) -> String {
    let value = esc(&c.value);
    let link = match c.kind {
        ChannelKind::Phone => Some(format!("tel:{}", c.value.replace([' ', '-'], ""))),
        ChannelKind::Email => Some(format!("mailto:{}", c.value)),
        ChannelKind::Online if c.value.starts_with("http") => Some(c.value.clone()),
        _ => None,
    };
    let value = match link {
        Some(href) => format!("<a href=\"{}\" rel=\"external\">{value}</a>", esc(&href)),
        None => format!("<span>{value}</span>"),
    };
    let note = if c.note.is_complete() {
        format!("<span class=\"channel-note\">{}</span>", tx(&c.note, lang))
    } else {
        String::new()
    };
    format!(
        "<li class=\"channel\"><span class=\"badge badge-neutral\">{}</span> <span class=\"channel-value\">{value}</span>{note}</li>",
        k(lang, text::channel(c.kind))
    )
}

fn channels(lang: Lang, item: &ServiceItem) -> String {
    let list = |cs: &[Channel]| -> String { cs.iter().map(|c| channel(lang, c)).collect() };
    let body = format!(
        "<h3 id=\"consultation\">{}</h3><ul class=\"plain channels\">{}</ul><h3 id=\"complaint\">{}</h3><ul class=\"plain channels\">{}</ul>",
        k(lang, Key::Consultation),
        list(&item.consultation),
        k(lang, Key::Complaint),
        list(&item.complaint)
    );
    section(lang, "channels", Key::Channels, &body)
}

fn legal_basis(lang: Lang, item: &ServiceItem) -> String {
    let items: String = item
        .legal_basis
        .iter()
        .map(|b| {
            format!(
                "<li><cite>{}</cite> {}</li>",
                tx(&b.title, lang),
                tx(&b.article, lang)
            )
        })
        .collect();
    section(
        lang,
        "legal-basis",
        Key::LegalBasis,
        &format!("<ul>{items}</ul>"),
    )
}

fn faq(lang: Lang, item: &ServiceItem) -> String {
    if item.faq.is_empty() {
        return String::new();
    }
    let body: String = item
        .faq
        .iter()
        .map(|f| {
            format!(
                "<details class=\"faq\"><summary>{}</summary><p>{}</p></details>",
                tx(&f.question, lang),
                tx(&f.answer, lang)
            )
        })
        .collect();
    section(lang, "faq", Key::Faq, &body)
}
