//! Accessibility: axe-core (from npm) runs on every page of the front-end, as a visitor,
//! a citizen with a case, a draft, a booking and a question, and staff, in Chinese, in
//! English and in elder mode at a phone's width; any WCAG 2.2 A/AA or best-practice
//! violation fails the test with the rule, the elements and what is wrong. The same run
//! takes the screenshots of docs/UX.md, at phone and desktop width in both languages.

use crate::apply::{create_staff, sign_in, STAFF_PASSWORD};
use crate::booking::bookable_item;
use anyhow::{anyhow, bail, ensure, Context, Result};
use fantoccini::Client;
use onewindow_api::booking::{BookingRequest, SlotQuery};
use onewindow_api::catalogue::Audience;
use onewindow_api::thread::{NewThreadRequest, ThreadKind, ThreadSubject};
use onewindow_tests::cases::{applicant, empty_draft, pick_item, submitted};
use onewindow_tests::webdriver::eventually;
use onewindow_tests::{repo_root, TestServer};
use std::path::PathBuf;

/// The axe-core rule sets every page must pass.
const TAGS: &str = r#"["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]"#;

/// A phone's viewport and a laptop's.
const PHONE: (u32, u32) = (390, 844);
const DESKTOP: (u32, u32) = (1280, 900);

/// How a page is looked at.
#[derive(Clone, Copy, Debug)]
struct Mode {
    lang: &'static str,
    elder: bool,
    size: (u32, u32),
}

const MODES: [Mode; 3] = [
    Mode {
        lang: "zh-CN",
        elder: false,
        size: DESKTOP,
    },
    Mode {
        lang: "en",
        elder: false,
        size: DESKTOP,
    },
    Mode {
        lang: "zh-CN",
        elder: true,
        size: PHONE,
    },
];

/// The pages of one person, and the ones of them that docs/UX.md shows.
struct Tour {
    pages: Vec<String>,
    pictured: Vec<(&'static str, String)>,
}

#[tokio::test]
async fn every_page_passes_axe_in_both_languages_and_elder_mode() {
    crate::browser::run(scenario).await;
}

async fn scenario(server: &TestServer, c: &Client) -> Result<()> {
    let base = server.base_url.trim_end_matches('/');
    let axe = std::fs::read_to_string(repo_root().join("node_modules/axe-core/axe.min.js"))
        .context("axe-core is missing: cargo xtask test installs it (npm ci)")?;

    // Through the API: a citizen with a submitted case, a draft, a booking and a
    // question, and staff of the case's department.
    let (api, id_number, phone) = applicant(server, None).await;
    let item = pick_item(&api, Audience::Individual).await;
    let case = submitted(&api, &item, &id_number).await;
    let draft = empty_draft(&api, &item).await;
    let bookable = bookable_item(&api).await?;
    let hall = (!bookable.online.city_wide).then(|| bookable.venues[0].hall.clone());
    let slot = api
        .slots(bookable.code.as_str(), &SlotQuery { hall })
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("no open slot"))?;
    let booking = api
        .book(&BookingRequest {
            item: bookable.code.clone(),
            hall: slot.hall,
            window: slot.window,
            start: slot.start,
            idempotency_key: "a11y-booking-0001".into(),
            application: None,
        })
        .await?;
    let thread = api
        .open_thread(&NewThreadRequest {
            kind: ThreadKind::Question,
            subject: ThreadSubject::Item(item.code.clone()),
            title: "营业执照复印件要盖章吗".into(),
            text: "请问复印件是否需要加盖公章？".into(),
        })
        .await?;
    let staff_phone = create_staff(server, item.department.as_str()).await?;

    let code = &item.code;
    let visitor = Tour {
        pages: [
            "/".to_owned(),
            "/services".into(),
            format!("/services/{code}"),
            "/search?q=%E6%8A%A4%E7%85%A7".into(),
            "/login".into(),
            "/register".into(),
            "/lookup".into(),
            "/stats".into(),
            "/me".into(),
            "/no-such-page".into(),
        ]
        .into(),
        pictured: vec![
            ("catalogue", "/services".into()),
            ("guide", format!("/services/{code}")),
        ],
    };
    let citizen = Tour {
        pages: [
            "/".to_owned(),
            format!("/services/{code}/apply"),
            format!("/services/{}/book", bookable.code),
            "/applications".into(),
            format!("/applications/{}", case.id),
            format!("/applications/{}", draft.id),
            "/bookings".into(),
            format!("/bookings/{}", booking.id),
            "/notifications".into(),
            "/settings/notifications".into(),
            "/threads".into(),
            format!("/threads/{}", thread.id),
            "/wallet".into(),
            "/agents".into(),
            "/me".into(),
        ]
        .into(),
        pictured: vec![
            ("home", "/".into()),
            ("case", format!("/applications/{}", case.id)),
            ("booking", format!("/bookings/{}", booking.id)),
        ],
    };
    let staff = Tour {
        pages: [
            "/staff".to_owned(),
            "/staff/hall".into(),
            format!("/applications/{}", case.id),
            format!("/threads/{}", thread.id),
            "/me".into(),
        ]
        .into(),
        pictured: vec![("staff", "/staff".into())],
    };

    let mut violations = Vec::new();
    for (who, login, tour) in [
        ("visitor", None, &visitor),
        ("citizen", Some((phone.as_str(), "apply now 123")), &citizen),
        (
            "staff",
            Some((staff_phone.as_str(), STAFF_PASSWORD)),
            &staff,
        ),
    ] {
        if let Some((login, password)) = login {
            c.set_window_size(DESKTOP.0, DESKTOP.1).await?;
            sign_in(c, base, login, password).await?;
        }
        for mode in MODES {
            set_mode(c, base, mode).await?;
            for path in &tour.pages {
                open(c, base, path).await?;
                let shown = c
                    .execute(
                        "return [document.documentElement.lang, document.documentElement.hasAttribute('data-elder')]",
                        vec![],
                    )
                    .await?;
                ensure!(
                    shown == serde_json::json!([mode.lang, mode.elder]),
                    "{path} in {mode:?} shows language and elder mode as {shown}"
                );
                for v in run_axe(c, &axe).await? {
                    violations.push(format!("{who} {path} {mode:?}: {v}"));
                }
            }
        }
        for (name, path) in &tour.pictured {
            for lang in ["zh-CN", "en"] {
                for (width, size) in [("phone", PHONE), ("desktop", DESKTOP)] {
                    set_mode(
                        c,
                        base,
                        Mode {
                            lang,
                            elder: false,
                            size,
                        },
                    )
                    .await?;
                    open(c, base, path).await?;
                    let png = c.screenshot().await?;
                    let file = screenshots().join(format!("{name}-{width}-{lang}.png"));
                    std::fs::write(&file, png).with_context(|| format!("writing {file:?}"))?;
                }
            }
        }
        if who == "citizen" {
            let elder = Mode {
                lang: "zh-CN",
                elder: true,
                size: PHONE,
            };
            set_mode(c, base, elder).await?;
            open(c, base, "/").await?;
            let file = screenshots().join("home-elder-phone-zh-CN.png");
            std::fs::write(&file, c.screenshot().await?)
                .with_context(|| format!("writing {file:?}"))?;
        }
        if login.is_some() {
            c.set_window_size(DESKTOP.0, DESKTOP.1).await?;
            c.goto(&format!("{base}/me")).await?;
            crate::apply::click(c, "[data-testid=me-logout]").await?;
            crate::apply::text_of(c, "[data-testid=nav-login]").await?;
        }
    }
    if !violations.is_empty() {
        bail!(
            "{} accessibility violations:\n{}",
            violations.len(),
            violations.join("\n")
        );
    }
    Ok(())
}

/// Where the screenshots go: `ONEWINDOW_SCREENSHOTS` (docs/ux to refresh the docs),
/// else target/screenshots.
fn screenshots() -> PathBuf {
    let dir = std::env::var_os("ONEWINDOW_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/screenshots"));
    std::fs::create_dir_all(&dir).expect("the screenshot directory");
    dir
}

/// Sets language, elder mode and window size for the pages opened next.
async fn set_mode(c: &Client, base: &str, mode: Mode) -> Result<()> {
    c.set_window_size(mode.size.0, mode.size.1).await?;
    c.goto(&format!("{base}/me")).await?;
    let script = format!(
        "{} localStorage.setItem('onewindow.elder', '{}');",
        crate::browser::remember_lang(mode.lang),
        if mode.elder { "1" } else { "0" }
    );
    c.execute(&script, vec![]).await?;
    Ok(())
}

/// Opens `path` and waits until it has its heading and nothing is loading any more.
async fn open(c: &Client, base: &str, path: &str) -> Result<()> {
    c.goto(&format!("{base}{path}")).await?;
    let check = "return !!document.querySelector('main h1') \
        && !document.querySelector('main .loading, main [aria-busy=true]')";
    let waited = eventually(&format!("{path} loaded"), || async move {
        Ok(c.execute(check, vec![])
            .await?
            .as_bool()
            .unwrap_or(false)
            .then_some(()))
    })
    .await;
    if let Err(e) = waited {
        let seen = crate::browser::diagnose(c).await;
        return Err(e.context(format!("the page shows: {seen}")));
    }
    Ok(())
}

/// Runs axe-core on the page; one line per violated rule.
async fn run_axe(c: &Client, axe: &str) -> Result<Vec<String>> {
    c.execute(axe, vec![]).await?;
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {TAGS} }}, resultTypes: ['violations'] }})
           .then(r => done(JSON.stringify(r.violations.map(v =>
               v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
               v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' [' + (n.failureSummary || '').replace(/\\s+/g, ' ') + ']').join('; ')))))
           .catch(e => done(JSON.stringify(['axe failed: ' + e])));"
    );
    let answer = c.execute_async(&script, vec![]).await?;
    let text = answer.as_str().unwrap_or("[]");
    Ok(serde_json::from_str(text)?)
}
