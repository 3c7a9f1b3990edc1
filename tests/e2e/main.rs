//! Browser end-to-end tests: the real server serving the built front-end, driven in
//! headless Chromium through chromedriver and WebDriver (fantoccini).

mod a11y;
mod apply;
mod booking;
mod browser;
mod live;
mod review;
mod tasks;
mod threads;
mod views;

use anyhow::{anyhow, ensure, Result};
use fantoccini::{Client, Locator};
use onewindow_tests::webdriver::{eventually, wait_for};
use onewindow_tests::{repo_root, Backend, TestServer};
use serde_json::json;

#[tokio::test]
async fn search_guide_language_and_filter() {
    browser::run(async |server, c| scenario(c, server).await).await;
}

async fn scenario(c: &Client, server: &TestServer) -> Result<()> {
    let base = &server.base_url;

    // Start in Chinese whatever the browser's language is.
    c.goto(&format!("{base}/")).await?;
    c.execute(&browser::remember_lang("zh-CN"), vec![]).await?;
    c.goto(&format!("{base}/")).await?;

    // Search from the home page.
    let input = wait_for(c, "[data-testid=search-input]").await?;
    input.send_keys("护照").await?;
    c.find(Locator::Css("[data-testid=search-submit]"))
        .await?
        .click()
        .await?;
    eventually("the search URL", || async move {
        Ok(c.current_url().await?.path().eq("/search").then_some(()))
    })
    .await?;
    let first = wait_for(
        c,
        "[data-testid=service-card] [data-testid=service-card-link]",
    )
    .await?;
    first.click().await?;

    // The guide of the first hit.
    let title = wait_for(c, "[data-testid=guide-title]").await?;
    let zh_title = title.text().await?;
    ensure!(
        zh_title.contains("护照"),
        "the guide title {zh_title:?} does not contain 护照"
    );
    let materials = c
        .find_all(Locator::Css(
            "[data-testid=materials] [data-testid=material]",
        ))
        .await?;
    ensure!(
        !materials.is_empty(),
        "the materials section lists no material"
    );
    let code = c
        .current_url()
        .await?
        .path()
        .strip_prefix("/services/")
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("not on a guide page"))?;
    let item = server.client().service(&code).await?;
    ensure!(
        zh_title == item.name.zh,
        "title {zh_title:?} is not the item's name {:?}",
        item.name.zh
    );

    // Switch to English: the same guide, now with the English name.
    c.find(Locator::Css("[data-testid=lang-switch]"))
        .await?
        .click()
        .await?;
    let en_name = &item.name.en;
    eventually("the English guide title", || async move {
        let text = c
            .find(Locator::Css("[data-testid=guide-title]"))
            .await?
            .text()
            .await?;
        Ok((&text == en_name).then_some(()))
    })
    .await?;
    let lang = c
        .execute("return document.documentElement.lang", vec![])
        .await?;
    ensure!(lang == json!("en"), "<html lang> is {lang}, not en");

    // A filtered catalogue opened directly by its URL lists only that department.
    c.goto(&format!("{base}/services?department=PSB")).await?;
    wait_for(c, "[data-testid=service-card]").await?;
    let cards = c
        .find_all(Locator::Css("[data-testid=service-card]"))
        .await?;
    ensure!(!cards.is_empty(), "no cards for department PSB");
    for card in cards {
        let department = card.attr("data-department").await?;
        let code = card.attr("data-code").await?;
        ensure!(
            department.as_deref() == Some("PSB"),
            "card {code:?} is of department {department:?}"
        );
    }

    // A filter changed in the page lands in the URL, and Back returns to the former list.
    c.find(Locator::Css("#f-level"))
        .await?
        .select_by_value("county")
        .await?;
    eventually("level=county in the URL", || async move {
        let url = c.current_url().await?;
        let query = url.query().unwrap_or_default().to_owned();
        Ok((query.contains("level=county") && query.contains("department=PSB")).then_some(()))
    })
    .await?;
    c.back().await?;
    eventually("the URL without the level filter", || async move {
        let url = c.current_url().await?;
        Ok((url.query() == Some("department=PSB")).then_some(()))
    })
    .await?;
    Ok(())
}

/// The built front-end is served precompressed (brotli, else gzip), and deep links fall
/// back to the page, so a reload on /services/PSB-0101/book works.
#[tokio::test]
async fn the_front_end_is_served_precompressed_with_deep_links() {
    let dist = repo_root().join("frontend/dist");
    assert!(
        dist.join("index.html").exists(),
        "build the front-end first: cargo xtask frontend"
    );
    let server = TestServer::shared(Backend::Sqlite);
    let http = reqwest::Client::new();
    let wasm = format!("{}/onewindow_bg.wasm", server.base_url);
    for (accept, encoding, file) in [
        ("br, gzip", "br", "onewindow_bg.wasm.br"),
        ("gzip", "gzip", "onewindow_bg.wasm.gz"),
    ] {
        let r = http
            .get(&wasm)
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-encoding"], encoding);
        let body = r.bytes().await.unwrap();
        assert_eq!(
            body.len() as u64,
            std::fs::metadata(dist.join(file)).unwrap().len()
        );
    }
    // A page of the app itself (a guide is pre-rendered for visitors: tests/api/pages.rs).
    let page = http
        .get(format!("{}/services/PSB-0101/book", server.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("onewindow.js"));
}
