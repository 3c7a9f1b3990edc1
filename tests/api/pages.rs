//! The pre-rendered public pages: visitors get the home page, the catalogue and search
//! results as complete HTML without the app's wasm, in the language they chose (else
//! their browser's), with the data of the API; a signed-in browser gets the app.

use onewindow_tests::cases::applicant;
use onewindow_tests::TestServer;

/// A plain HTTP client: no cookie store, so each request says what it carries.
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(url: &str, headers: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, String) {
    let mut req = http().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let (status, h) = (res.status().as_u16(), res.headers().clone());
    (status, h, res.text().await.unwrap())
}

#[tokio::test]
async fn visitors_get_complete_pages_without_the_app() {
    let server = TestServer::shared(onewindow_tests::Backend::Sqlite);
    let base = &server.base_url;
    let api = server.client();

    // Home: the hero, the search form, every theme and department, no wasm.
    let (status, h, home) = get(
        &format!("{base}/"),
        &[("accept-language", "zh-CN,zh;q=0.9")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(home.contains("<html lang=\"zh-CN\">"));
    assert!(home.contains("data-prerendered"));
    assert!(!home.contains("onewindow_bg.wasm"), "no wasm for a visitor");
    assert!(home.contains("action=\"/search\""));
    for theme in api.themes().await.unwrap() {
        assert!(
            home.contains(&format!("/services?theme={}", theme.code)),
            "{}",
            theme.code
        );
    }
    for d in api.departments().await.unwrap() {
        assert!(home.contains(&d.name.zh), "{}", d.name.zh);
    }

    // The browser's language, else a choice that is remembered.
    let (_, _, en) = get(
        &format!("{base}/"),
        &[("accept-language", "en-GB,en;q=0.9")],
    )
    .await;
    assert!(en.contains("<html lang=\"en\">"));
    let (_, h, chosen) = get(
        &format!("{base}/services?lang=zh-CN"),
        &[("accept-language", "en")],
    )
    .await;
    assert!(chosen.contains("<html lang=\"zh-CN\">"));
    let cookie = h["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("ow_lang=zh-CN;"), "{cookie}");
    let (_, _, remembered) = get(
        &format!("{base}/services"),
        &[("accept-language", "en"), ("cookie", "ow_lang=zh-CN")],
    )
    .await;
    assert!(remembered.contains("<html lang=\"zh-CN\">"));

    // The catalogue: the API's first page, filtered by the URL, with its page links.
    let q = onewindow_api::query::ServiceQuery {
        department: Some("PSB".into()),
        ..Default::default()
    };
    let expected = api.services(&q).await.unwrap();
    let (_, _, list) = get(&format!("{base}/services?department=PSB&lang=en"), &[]).await;
    let cards = list.matches("data-testid=\"service-card\"").count();
    assert_eq!(cards, expected.items.len());
    assert_eq!(list.matches("data-department=\"PSB\"").count(), cards);
    for item in &expected.items {
        assert!(list.contains(&format!("href=\"/services/{}\"", item.code)));
    }
    if expected.total > u64::from(expected.per_page) {
        assert!(
            list.contains("href=\"/services?department=PSB&amp;page=2\""),
            "page links"
        );
    }
    assert!(list.contains("<option value=\"PSB\" selected>"));

    // Search: the ranked hits of the API; an empty query and markup are handled.
    let hits = api
        .search(&onewindow_api::query::SearchQuery {
            q: "护照".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let (_, _, found) = get(&format!("{base}/search?q=%E6%8A%A4%E7%85%A7"), &[]).await;
    assert_eq!(
        found.matches("data-testid=\"service-card\"").count(),
        hits.hits.len()
    );
    assert!(found.contains(&format!("href=\"/services/{}\"", hits.hits[0].item.code)));
    let (_, _, empty) = get(&format!("{base}/search?q="), &[("accept-language", "en")]).await;
    assert!(empty.contains("Type what you want to do"));
    let (status, _, hostile) = get(
        &format!("{base}/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
        &[],
    )
    .await;
    assert_eq!(status, 200);
    assert!(!hostile.contains("<script>alert(1)"));
    assert!(hostile.contains("&lt;script&gt;alert(1)"));

    // Signing in marks the browser; then the same addresses give the app.
    let (c, _, phone) = applicant(server, None).await;
    drop(c);
    let res = http()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"login": phone, "password": "apply now 123"}))
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("ow_session=")),
        "{cookies:?}"
    );
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("ow_signed_in=1; Path=/;")),
        "{cookies:?}"
    );
    // A browser signed in before the mark existed gets it from `/me`, once.
    let session = cookies
        .iter()
        .find_map(|c| c.strip_prefix("ow_session="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let me = |cookie: String| {
        http()
            .get(format!("{base}/api/v1/me"))
            .header("cookie", cookie)
            .send()
    };
    let res = me(format!("ow_session={session}")).await.unwrap();
    assert_eq!(res.status(), 200);
    let mark = res
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned());
    assert!(mark.is_some_and(|m| m.starts_with("ow_signed_in=1;")));
    let res = me(format!("ow_session={session}; ow_signed_in=1"))
        .await
        .unwrap();
    assert!(res.headers().get("set-cookie").is_none(), "marked already");
    for path in ["/", "/services", "/search?q=x"] {
        let (status, _, app) = get(&format!("{base}{path}"), &[("cookie", "ow_signed_in=1")]).await;
        assert_eq!(status, 200);
        assert!(
            app.contains("onewindow_bg.wasm"),
            "{path}: the app for a signed-in browser"
        );
        assert!(!app.contains("data-prerendered"));
    }
    // A guide: every section, every material of every case, the flow chart, the
    // actions; sub-items link their main item.
    let item = api.service("PSB-0101").await.unwrap();
    let (status, _, guide) = get(&format!("{base}/services/PSB-0101?lang=zh-CN"), &[]).await;
    assert_eq!(status, 200);
    assert!(!guide.contains("onewindow_bg.wasm"));
    assert!(guide.contains(&format!(
        "<h1 data-testid=\"guide-title\">{}</h1>",
        item.name.zh
    )));
    for id in [
        "basic",
        "conditions",
        "materials",
        "fees",
        "process",
        "result",
        "venues",
        "rights",
        "channels",
        "legal-basis",
    ] {
        assert!(
            guide.contains(&format!("<section id=\"{id}\"")),
            "section {id}"
        );
    }
    let materials: usize = item.cases.iter().map(|c| c.materials.len()).sum();
    assert_eq!(guide.matches("data-testid=\"material\"").count(), materials);
    assert_eq!(
        guide.matches("class=\"flow-box\"").count(),
        item.process.len()
    );
    for v in &item.venues {
        assert!(guide.contains(&v.floor.zh), "venue floor {}", v.floor.zh);
    }
    if item.online.appointment {
        assert!(guide.contains("href=\"/services/PSB-0101/book\""));
    }
    let sub = api
        .services(&onewindow_api::query::ServiceQuery {
            per_page: Some(100),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|s| s.code.as_str().matches('-').count() == 2)
        .expect("a sub-item in the demo catalogue");
    let sub = api.service(sub.code.as_str()).await.unwrap();
    let parent = sub.parent.clone().expect("a sub-item has its main item");
    let (_, _, sub_page) = get(&format!("{base}/services/{}", sub.code), &[]).await;
    assert!(sub_page.contains(&format!("href=\"/services/{parent}\"")));

    // Unknown items and the app's own pages are the app's, for everyone.
    for path in ["/services/NOPE-9999", "/services/PSB-0101/apply", "/login"] {
        let (_, _, app) = get(&format!("{base}{path}"), &[]).await;
        assert!(app.contains("onewindow_bg.wasm"), "{path}");
    }
}
