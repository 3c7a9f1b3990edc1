//! `/` for a visitor: the search box first, then the themes in three groups, the
//! departments and a way into the catalogue; in elder mode (the style sheet hides what
//! the app's elder home leaves out) big tiles for the common tasks and the life events.

use super::html::{esc, k, search_box, tx};
use super::Visitor;
use crate::state::AppState;
use onewindow_api::catalogue::{Theme, ThemeKind};
use onewindow_api::Lang;
use onewindow_ui::text::{item_count, theme_kind, Key};
use std::fmt::Write as _;

pub async fn render(
    state: &AppState,
    v: &Visitor,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let lang = v.lang;
    let snapshot = state.snapshot();
    let (themes, departments) = (&snapshot.themes, &snapshot.departments);
    let mut main = format!(
        "<div class=\"page home\"><section class=\"hero\" aria-labelledby=\"home-title\">\
<h1 id=\"home-title\"><span lang=\"zh-CN\">一窗通办</span> <span lang=\"en\" class=\"hero-en\">OneWindow</span></h1>\
<p class=\"tagline\">{}</p><p class=\"intro\">{}</p>{}</section>",
        k(lang, Key::Tagline),
        k(lang, Key::HomeIntro),
        search_box(lang, "", true)
    );
    // Elder mode's common tasks.
    let _ = write!(
        main,
        "<section class=\"home-section elder-only\" aria-labelledby=\"home-tasks\"><h2 id=\"home-tasks\">{}</h2><ul class=\"tiles big-tiles\" data-testid=\"common-tasks\">",
        k(lang, Key::HomeCommonTasks)
    );
    for (href, key) in [
        ("/services", Key::HomeTaskFind),
        ("/applications", Key::HomeTaskCases),
        ("/bookings", Key::HomeTaskBook),
        ("/lookup", Key::HomeTaskLookup),
    ] {
        let _ = write!(
            main,
            "<li><a class=\"tile\" href=\"{href}\"><span class=\"tile-name\">{}</span></a></li>",
            k(lang, key)
        );
    }
    main += "</ul></section>";
    for kind in [
        ThemeKind::Individual,
        ThemeKind::Business,
        ThemeKind::LifeEvent,
    ] {
        main += &theme_group(lang, kind, themes);
    }
    let _ = write!(
        main,
        "<section class=\"home-section not-elder\" aria-labelledby=\"home-departments\"><h2 id=\"home-departments\">{}</h2><ul class=\"chips\">",
        k(lang, Key::ByDepartment)
    );
    for d in departments {
        let _ = write!(
            main,
            "<li><a class=\"chip\" href=\"/services?department={}\">{}<span class=\"chip-count\">{}</span></a></li>",
            esc(d.code.as_str()),
            tx(&d.name, lang),
            esc(&item_count(lang, d.item_count))
        );
    }
    let _ = write!(
        main,
        "</ul></section><p class=\"more not-elder\"><a class=\"button\" href=\"/services\">{}</a></p></div>",
        k(lang, Key::FullCatalogue)
    );
    Ok(Some((String::new(), main)))
}

/// One group of theme shortcuts, each a link to the catalogue filtered by the theme;
/// only life events in elder mode.
fn theme_group(lang: Lang, kind: ThemeKind, themes: &[Theme]) -> String {
    let id = match kind {
        ThemeKind::Individual => "individual",
        ThemeKind::Business => "business",
        ThemeKind::LifeEvent => "life-event",
    };
    let class = if kind == ThemeKind::LifeEvent {
        "home-section"
    } else {
        "home-section not-elder"
    };
    let mut out = format!(
        "<section class=\"{class}\" aria-labelledby=\"themes-{id}\"><h2 id=\"themes-{id}\">{}</h2><ul class=\"tiles\" data-testid=\"{}\">",
        k(lang, theme_kind(kind)),
        format!("themes-{kind:?}").to_lowercase()
    );
    for t in themes.iter().filter(|t| t.kind == kind) {
        let _ = write!(
            out,
            "<li><a class=\"tile\" href=\"/services?theme={}\" title=\"{}\"><span class=\"tile-name\">{}</span><span class=\"tile-count\">{}</span></a></li>",
            esc(t.code.as_str()),
            tx(&t.description, lang),
            tx(&t.name, lang),
            esc(&item_count(lang, t.item_count))
        );
    }
    out + "</ul></section>"
}
