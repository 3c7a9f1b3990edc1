//! Building the pre-rendered pages' HTML: escaping, and the frame every page shares
//! with the app (skip link, header, navigation, footer), with the same classes, so that
//! the one style sheet draws both.

use onewindow_api::catalogue::{OnlineService, Promise, ServiceSummary};
use onewindow_api::query::Page;
use onewindow_api::{Lang, Text};
use onewindow_ui::nav::{current, destinations};
use onewindow_ui::text::{self, level, page_of, promised_in, t, Key};
use std::fmt::Write as _;

/// Text made safe for HTML content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A catalogue text in `lang`, escaped.
pub fn tx(text: &Text, lang: Lang) -> String {
    esc(text.get(lang))
}

/// An interface text in `lang`, escaped.
pub fn k(lang: Lang, key: Key) -> String {
    esc(t(lang, key))
}

/// Applies elder mode remembered by the app before the page paints, and keeps the
/// page's language and the app's in step: a language just chosen here (`?lang=`) becomes
/// the app's; a different one the app remembers (its localStorage) becomes the page's,
/// through the cookie and one reload (at most once a browser session, and only if the
/// cookie was kept, so that it can never loop). The switch toggles elder mode in place.
const PREFS_SCRIPT: &str = "<script>try{var s=localStorage,r=document.documentElement,\
l=s.getItem('onewindow.lang');if(s.getItem('onewindow.elder')==='1')r.setAttribute('data-elder','');\
if(/[?&]lang=/.test(location.search))s.setItem('onewindow.lang',r.lang);\
else if((l==='en'||l==='zh-CN')&&l!==r.lang&&!sessionStorage.getItem('ow_lang_sync')){\
sessionStorage.setItem('ow_lang_sync','1');\
document.cookie='ow_lang='+l+'; Path=/; Max-Age=31536000; SameSite=Lax';\
if(document.cookie.indexOf('ow_lang='+l)>=0)location.reload();}}catch(e){}\
function owElder(b){var r=document.documentElement,on=!r.hasAttribute('data-elder');\
if(on)r.setAttribute('data-elder','');else r.removeAttribute('data-elder');\
try{localStorage.setItem('onewindow.elder',on?'1':'0');}catch(e){}\
b.setAttribute('aria-pressed',on?'true':'false');}</script>";

/// The whole document of a page: `path` is where it is (for the current navigation
/// link and the language switch), `query` its query string without `lang`.
pub fn document(lang: Lang, path: &str, query: &str, title: &str, main: &str) -> String {
    let app = t(lang, Key::AppName);
    let full_title = if title.is_empty() {
        format!("{app} {}", t(Lang::En, Key::AppName))
    } else {
        format!("{title} · {app}")
    };
    let other = match lang {
        Lang::ZhCn => Lang::En,
        Lang::En => Lang::ZhCn,
    };
    let switch_href = if query.is_empty() {
        format!("{path}?lang={}", other.tag())
    } else {
        format!("{path}?{query}&lang={}", other.tag())
    };
    let mut nav = String::new();
    let list = destinations(None);
    let here = current(&list, path);
    for d in &list {
        let aria = if here == Some(d.href) {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            nav,
            "<li class=\"{}\"><a href=\"{}\" data-testid=\"{}\"{aria}><svg class=\"nav-icon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\"><path d=\"{}\"/></svg><span class=\"nav-label\">{}</span></a></li>",
            if d.bottom { "bottom" } else { "side" },
            d.href,
            d.testid,
            d.icon.path(),
            k(lang, d.key)
        );
    }
    format!(
        "<!doctype html>\n<html lang=\"{tag}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"theme-color\" content=\"#0b5cad\">\n<title>{title}</title>\n\
<link rel=\"stylesheet\" href=\"/style.css\">\n{PREFS_SCRIPT}\n</head>\n<body data-prerendered>\n\
<a class=\"skip-link\" href=\"#main\">{skip}</a>\n\
<header class=\"site-header\"><a class=\"brand\" href=\"/\"><span class=\"brand-mark\" aria-hidden=\"true\">窗</span><span class=\"brand-name\">{app}</span></a>\
<div class=\"account\"><a class=\"header-link\" href=\"/login\" data-testid=\"nav-login\">{login}</a><a class=\"header-link\" href=\"/register\">{register}</a></div>\
<button type=\"button\" class=\"lang-switch elder-switch\" data-testid=\"elder-switch\" aria-pressed=\"false\" onclick=\"owElder(this)\">{elder}</button>\
<a class=\"lang-switch\" data-testid=\"lang-switch\" href=\"{switch}\" title=\"{switch_label}\" hreflang=\"{other_tag}\"><span lang=\"{other_tag}\">{switch_to}</span></a></header>\n\
<div class=\"layout\"><nav class=\"app-nav\" aria-label=\"{nav_label}\"><ul>{nav}</ul></nav>\n\
<main id=\"main\" tabindex=\"-1\">{main}</main></div>\n\
<footer class=\"site-footer\"><p>{footer}</p><p><a href=\"/stats\" data-testid=\"footer-stats\">{stats}</a></p></footer>\n\
<script>try{{var b=document.querySelector('.elder-switch');if(document.documentElement.hasAttribute('data-elder'))b.setAttribute('aria-pressed','true');}}catch(e){{}}</script>\n\
</body>\n</html>\n",
        tag = lang.tag(),
        title = esc(&full_title),
        skip = k(lang, Key::SkipToContent),
        app = esc(app),
        login = k(lang, Key::NavLogin),
        register = k(lang, Key::NavRegister),
        elder = k(lang, Key::ElderMode),
        switch = esc(&switch_href),
        switch_label = k(lang, Key::SwitchLabel),
        other_tag = other.tag(),
        switch_to = k(lang, Key::SwitchTo),
        nav_label = k(lang, Key::MainNav),
        footer = k(lang, Key::FooterNote),
        stats = k(lang, Key::NavStats),
    )
}

/// The search form, as on the app's home and results pages (a plain GET form here).
pub fn search_box(lang: Lang, initial: &str, prominent: bool) -> String {
    let (id, class) = if prominent {
        ("search-home", "search-box prominent")
    } else {
        ("search-page", "search-box")
    };
    format!(
        "<form role=\"search\" class=\"{class}\" action=\"/search\" method=\"get\">\
<label for=\"{id}\">{label}</label><div class=\"search-row\">\
<input id=\"{id}\" type=\"search\" name=\"q\" data-testid=\"search-input\" maxlength=\"100\" autocomplete=\"off\" enterkeyhint=\"search\" placeholder=\"{placeholder}\" value=\"{value}\">\
<button type=\"submit\" data-testid=\"search-submit\">{submit}</button></div></form>",
        label = k(lang, Key::SearchLabel),
        placeholder = k(lang, Key::SearchPlaceholder),
        value = esc(initial),
        submit = k(lang, Key::SearchSubmit),
    )
}

/// The status badges of an item, as on the app's cards and guides.
pub fn badges(
    lang: Lang,
    online: &OnlineService,
    promise: Promise,
    days: u32,
    free: bool,
) -> String {
    let badge = |tone: &str, label: &str| {
        format!("<span class=\"badge badge-{tone}\">{}</span>", esc(label))
    };
    let mut out = String::from("<p class=\"badges\">");
    if online.apply_online {
        out += &badge("info", t(lang, Key::BadgeOnline));
    }
    if online.appointment {
        out += &badge("info", t(lang, Key::BadgeAppointment));
    }
    if online.city_wide {
        out += &badge("info", t(lang, Key::BadgeCityWide));
    }
    out += &match promise {
        Promise::Instant => badge("good", t(lang, Key::BadgeInstant)),
        Promise::Promised => badge("neutral", &promised_in(lang, days)),
    };
    out += &if free {
        badge("good", t(lang, Key::BadgeFree))
    } else {
        badge("warn", t(lang, Key::BadgePaid))
    };
    out + "</p>"
}

/// One item in a list, as the app's service card.
pub fn service_card(lang: Lang, item: &ServiceSummary, fuzzy: bool) -> String {
    let fuzzy = if fuzzy {
        format!(
            "<span class=\"badge badge-warn fuzzy\">{}</span>",
            k(lang, Key::SearchFuzzyBadge)
        )
    } else {
        String::new()
    };
    format!(
        "<li class=\"card service-card\" data-testid=\"service-card\" data-code=\"{code}\" data-department=\"{dept}\">\
<h2><a href=\"/services/{code}\" data-testid=\"service-card-link\">{name}</a></h2>{fuzzy}\
<p class=\"meta\"><span>{dept_name}</span> · <span>{level}</span> · <span class=\"code\">{code}</span></p>\
<p class=\"summary\">{summary}</p>{badges}</li>",
        code = esc(item.code.as_str()),
        dept = esc(item.department.as_str()),
        name = tx(&item.name, lang),
        dept_name = tx(&item.department_name, lang),
        level = k(lang, level(item.level)),
        summary = tx(&item.summary, lang),
        badges = badges(
            lang,
            &item.online,
            item.promise,
            item.promised_working_days,
            item.free
        ),
    )
}

/// A page of cards with its pagination; `href(n)` is the URL of page `n`.
pub fn cards<T>(
    lang: Lang,
    page: &Page<T>,
    card: impl Fn(&T) -> String,
    href: impl Fn(u32) -> String,
) -> String {
    let mut out = String::from("<ul class=\"cards\" data-testid=\"service-list\">");
    for item in &page.items {
        out += &card(item);
    }
    out += "</ul>";
    out + &pagination(lang, page.page, page.per_page, page.total, href)
}

/// Previous / next links with "page X of Y", as the app's; nothing when one page holds
/// everything.
pub fn pagination(
    lang: Lang,
    page: u32,
    per_page: u32,
    total: u64,
    href: impl Fn(u32) -> String,
) -> String {
    let pages = total.div_ceil(u64::from(per_page.max(1))).max(1) as u32;
    if pages <= 1 {
        return String::new();
    }
    let page = page.clamp(1, pages);
    let link = |to: Option<u32>, rel: &str, key: Key| match to {
        Some(n) => format!(
            "<a class=\"button secondary\" rel=\"{rel}\" href=\"{}\">{}</a>",
            esc(&href(n)),
            k(lang, key)
        ),
        None => format!(
            "<span class=\"button secondary disabled\">{}</span>",
            k(lang, key)
        ),
    };
    format!(
        "<nav class=\"pagination\" aria-label=\"{}\">{}<span class=\"page-of\" aria-current=\"page\">{}</span>{}</nav>",
        k(lang, Key::Pagination),
        link((page > 1).then(|| page - 1), "prev", Key::PagePrev),
        esc(&page_of(lang, page, pages)),
        link((page < pages).then(|| page + 1), "next", Key::PageNext),
    )
}

/// A URL query string (with `?`) of the pairs whose values are not empty.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    if kept.is_empty() {
        return String::new();
    }
    format!("?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
}

/// The label of an audience, escaped.
pub fn audience(lang: Lang, a: onewindow_api::catalogue::Audience) -> String {
    k(lang, text::audience(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_html_reads() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn the_frame_switches_language_keeping_the_query() {
        let html = document(
            Lang::ZhCn,
            "/services",
            "department=PSB",
            "目录",
            "<p>x</p>",
        );
        assert!(
            html.contains("href=\"/services?department=PSB&amp;lang=en\""),
            "{html}"
        );
        assert!(html.contains("<html lang=\"zh-CN\">"));
        assert!(html.contains("aria-current=\"page\""));
        let html = document(Lang::En, "/", "", "", "");
        assert!(html.contains("href=\"/?lang=zh-CN\""), "{html}");
    }

    #[test]
    fn query_strings_leave_out_empty_values() {
        assert_eq!(
            query_string(&[("q", "护照".into()), ("page", String::new())]),
            "?q=%E6%8A%A4%E7%85%A7"
        );
        assert_eq!(query_string(&[("q", String::new())]), "");
    }
}
