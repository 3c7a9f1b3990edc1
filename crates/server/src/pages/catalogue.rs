//! `/services` and `/search` for a visitor: the catalogue with its filters as a plain
//! GET form (a changed filter applies at once, as in the app; without script, with its
//! button), and the ranked search results, both paged by links.

use super::html::{audience, cards, esc, k, query_string, search_box, service_card, tx};
use super::Visitor;
use crate::state::AppState;
use onewindow_api::catalogue::{Audience, Level};
use onewindow_api::query::{SearchQuery, ServiceQuery};
use onewindow_ui::text::{level, search_count, t, total_services, Key};
use std::fmt::Write as _;

/// The catalogue's filters from the query; unknown values are ignored, as in the app.
struct Filters {
    department: String,
    theme: String,
    audience: Option<Audience>,
    level: Option<Level>,
    online: bool,
    page: u32,
}

impl Filters {
    fn of(v: &Visitor) -> Filters {
        Filters {
            department: v.param("department"),
            theme: v.param("theme"),
            audience: Audience::parse(&v.param("audience")),
            level: Level::parse(&v.param("level")),
            online: v.param("online") == "true",
            page: v.param("page").parse().unwrap_or(1).max(1),
        }
    }

    fn query(&self) -> ServiceQuery {
        ServiceQuery {
            department: (!self.department.is_empty()).then(|| self.department.as_str().into()),
            theme: (!self.theme.is_empty()).then(|| self.theme.as_str().into()),
            audience: self.audience,
            level: self.level,
            online: self.online.then_some(true),
            page: Some(self.page),
            per_page: None,
        }
    }

    fn href(&self, page: u32) -> String {
        let pairs = [
            ("department", self.department.clone()),
            ("theme", self.theme.clone()),
            (
                "audience",
                self.audience
                    .map(|a| a.as_str().to_owned())
                    .unwrap_or_default(),
            ),
            (
                "level",
                self.level
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default(),
            ),
            (
                "online",
                if self.online {
                    "true".into()
                } else {
                    String::new()
                },
            ),
            (
                "page",
                if page > 1 {
                    page.to_string()
                } else {
                    String::new()
                },
            ),
        ];
        format!("/services{}", query_string(&pairs))
    }

    fn is_empty(&self) -> bool {
        self.department.is_empty()
            && self.theme.is_empty()
            && self.audience.is_none()
            && self.level.is_none()
            && !self.online
    }
}

pub async fn list(state: &AppState, v: &Visitor) -> Result<Option<(String, String)>, sqlx::Error> {
    let lang = v.lang;
    let f = Filters::of(v);
    let page = state.services_page(&f.query()).await?;
    let snapshot = state.snapshot();
    let (departments, themes) = (&snapshot.departments, &snapshot.themes);

    let option = |value: &str, label: String, selected: bool| {
        format!(
            "<option value=\"{}\"{}>{label}</option>",
            esc(value),
            if selected { " selected" } else { "" }
        )
    };
    let all = |none: bool| option("", k(lang, Key::FilterAll), none);
    let mut form = format!(
        "<form class=\"filter-bar\" action=\"/services\" method=\"get\" aria-labelledby=\"filters-heading\">\
<h2 id=\"filters-heading\" class=\"visually-hidden\">{}</h2>",
        k(lang, Key::Filters)
    );
    let mut select = |id: &str, name: &str, label: Key, testid: &str, options: String| {
        let testid = if testid.is_empty() {
            String::new()
        } else {
            format!(" data-testid=\"{testid}\"")
        };
        let _ = write!(
            form,
            "<div class=\"field\"><label for=\"{id}\">{}</label><select id=\"{id}\" name=\"{name}\"{testid} onchange=\"owFilter(this.form)\">{options}</select></div>",
            k(lang, label)
        );
    };
    let mut opts = all(f.department.is_empty());
    for d in departments {
        opts += &option(
            d.code.as_str(),
            tx(&d.name, lang),
            f.department == d.code.as_str(),
        );
    }
    select(
        "f-department",
        "department",
        Key::FilterDepartment,
        "filter-department",
        opts,
    );
    let mut opts = all(f.theme.is_empty());
    for th in themes {
        opts += &option(
            th.code.as_str(),
            tx(&th.name, lang),
            f.theme == th.code.as_str(),
        );
    }
    select("f-theme", "theme", Key::FilterTheme, "", opts);
    let mut opts = all(f.audience.is_none());
    for a in [Audience::Individual, Audience::Business] {
        opts += &option(a.as_str(), audience(lang, a), f.audience == Some(a));
    }
    select("f-audience", "audience", Key::FilterAudience, "", opts);
    let mut opts = all(f.level.is_none());
    for l in Level::ALL {
        opts += &option(l.as_str(), k(lang, level(l)), f.level == Some(l));
    }
    select("f-level", "level", Key::FilterLevel, "", opts);
    let _ = write!(
        form,
        "<div class=\"field checkbox\"><input id=\"f-online\" type=\"checkbox\" name=\"online\" value=\"true\"{} onchange=\"owFilter(this.form)\"><label for=\"f-online\">{}</label></div>\
<noscript><button type=\"submit\" class=\"button\">{}</button></noscript>",
        if f.online { " checked" } else { "" },
        k(lang, Key::FilterOnline),
        k(lang, Key::FilterApply)
    );
    if !f.is_empty() {
        let _ = write!(
            form,
            "<a class=\"button secondary reset\" href=\"/services\">{}</a>",
            k(lang, Key::FilterReset)
        );
    }
    // As in the app, a changed filter applies at once (without script: the button).
    form += "</form><script>function owFilter(f){for(var i=0;i<f.elements.length;i++){\
var e=f.elements[i];if(e.tagName==='SELECT'&&!e.value)e.disabled=true;}f.submit();}</script>";

    let title = t(lang, Key::CatalogueTitle);
    let mut main = format!(
        "<div class=\"page catalogue\"><h1>{}</h1>{form}<p class=\"count\" role=\"status\" data-testid=\"result-count\">{}</p>",
        esc(title),
        esc(&total_services(lang, page.total))
    );
    if page.items.is_empty() {
        let _ = write!(main, "<p class=\"empty\">{}</p>", k(lang, Key::NoItems));
    }
    main += &cards(
        lang,
        &page,
        |item| service_card(lang, item, false),
        |n| f.href(n),
    );
    main += "</div>";
    Ok(Some((title.to_owned(), main)))
}

pub fn search(state: &AppState, v: &Visitor) -> Result<Option<(String, String)>, sqlx::Error> {
    let lang = v.lang;
    let q = v.param("q");
    let title = t(lang, Key::SearchTitle);
    let mut main = format!(
        "<div class=\"page search\"><h1>{}</h1>{}",
        esc(title),
        search_box(lang, &q, false)
    );
    let query = SearchQuery {
        q: q.clone(),
        page: v.param("page").parse().ok(),
        ..Default::default()
    };
    match state.snapshot().search.search(&query) {
        _ if q.is_empty() => {
            let _ = write!(
                main,
                "<p class=\"empty\">{}</p>",
                k(lang, Key::SearchEmptyQuery)
            );
        }
        Err(problem) => {
            let _ = write!(
                main,
                "<p class=\"error\" role=\"alert\">{}</p>",
                esc(problem.message)
            );
        }
        Ok(r) if r.hits.is_empty() => {
            let _ = write!(
                main,
                "<div class=\"nothing-found\" data-testid=\"nothing-found\"><h2>{}</h2><p>{}</p>\
<p class=\"actions\"><a class=\"button\" href=\"/services\">{}</a><a class=\"button secondary\" href=\"/\">{}</a></p></div>",
                k(lang, Key::SearchNothing),
                k(lang, Key::SearchNothingHint),
                k(lang, Key::BrowseCatalogue),
                k(lang, Key::GoHome)
            );
        }
        Ok(r) => {
            let _ = write!(
                main,
                "<p class=\"count\" role=\"status\" data-testid=\"result-count\">{}</p>",
                esc(&search_count(lang, &r.query, r.total))
            );
            if r.hits.iter().any(|h| h.fuzzy) {
                let _ = write!(
                    main,
                    "<p class=\"note\" data-testid=\"fuzzy-note\">{}</p>",
                    k(lang, Key::SearchFuzzyNote)
                );
            }
            let page = onewindow_api::query::Page {
                items: r.hits,
                total: r.total,
                page: r.page,
                per_page: r.per_page,
            };
            let href = |n: u32| {
                let page = if n > 1 { n.to_string() } else { String::new() };
                format!(
                    "/search{}",
                    query_string(&[("q", q.clone()), ("page", page)])
                )
            };
            main += &cards(lang, &page, |h| service_card(lang, &h.item, h.fuzzy), href);
        }
    }
    main += "</div>";
    Ok(Some((title.to_owned(), main)))
}
