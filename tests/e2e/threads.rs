//! Questions and the public statistics end to end. A citizen asks a question from a
//! service guide in the browser; staff of the item's department answer through the API
//! client; the citizen reads the answer on the thread page, finds its notification in
//! the notification centre (which opens the thread) and closes the thread. An anonymous
//! visitor follows the footer's link to the statistics and finds the city's figures,
//! the bar charts as inline SVG and the table with a row per department.

use crate::apply::{click, open_in_chinese, text_of, type_into};
use anyhow::{anyhow, ensure, Result};
use fantoccini::{Client, Locator};
use onewindow_api::ids::ThreadId;
use onewindow_api::notification::NotificationKind;
use onewindow_api::query::ServiceQuery;
use onewindow_api::thread::{ThreadKind, ThreadState, ThreadSubject};
use onewindow_tests::cases::{applicant, staff};
use onewindow_tests::webdriver::{eventually, wait_for};
use onewindow_tests::TestServer;

const TITLE: &str = "家属可以代办吗？";
const QUESTION: &str = "我行动不便，家属能否带材料替我到窗口办理？";
const ANSWER: &str = "可以：请家属携带您的身份证原件和授权委托书办理。";

#[tokio::test]
async fn ask_from_the_guide_read_the_answer_and_see_the_statistics() {
    crate::browser::run_two(async |server, citizen, visitor| {
        question(server, citizen).await?;
        statistics(server, visitor).await
    })
    .await;
}

/// The `data-from` of the messages the thread page lists now, with their texts.
async fn messages(c: &Client) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for m in c.find_all(Locator::Css("[data-testid=message]")).await? {
        let from = m.attr("data-from").await?.unwrap_or_default();
        out.push((from, m.text().await?));
    }
    Ok(out)
}

async fn wait_thread_state(c: &Client, state: &str) -> Result<()> {
    eventually(&format!("the thread in state {state}"), || async move {
        let e = c.find(Locator::Css("[data-testid=thread-state]")).await?;
        Ok((e.attr("data-state").await?.as_deref() == Some(state)).then_some(()))
    })
    .await
}

async fn question(server: &TestServer, c: &Client) -> Result<()> {
    let base = &server.base_url;
    let (api, _, phone) = applicant(server, None).await;
    let q = ServiceQuery {
        per_page: Some(1),
        ..Default::default()
    };
    let code = api
        .services(&q)
        .await?
        .items
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("the demo catalogue is empty"))?
        .code;
    let item = api.service(code.as_str()).await?;

    open_in_chinese(c, base).await?;
    c.goto(&format!("{base}/login")).await?;
    type_into(c, "[data-testid=login-id]", &phone).await?;
    type_into(c, "[data-testid=login-password]", "apply now 123").await?;
    click(c, "[data-testid=login-submit]").await?;
    text_of(c, "[data-testid=account-name]").await?;

    // From the guide: "ask a question" opens the small form; sending it opens the thread.
    c.goto(&format!("{base}/services/{}", item.code)).await?;
    wait_for(c, "[data-testid=guide-title]").await?;
    click(c, "[data-testid=ask-question]").await?;
    type_into(c, "[data-testid=new-thread-title]", TITLE).await?;
    type_into(c, "[data-testid=new-thread-text]", QUESTION).await?;
    click(c, "[data-testid=new-thread-submit]").await?;
    let id = eventually("the new thread's page", || async move {
        let url = c.current_url().await?;
        Ok(url
            .path()
            .strip_prefix("/threads/")
            .and_then(|id| id.parse::<i64>().ok()))
    })
    .await?;
    ensure!(
        text_of(c, "[data-testid=thread-title]").await? == TITLE,
        "the thread page has another title"
    );
    wait_thread_state(c, "open").await?;
    let listed = messages(c).await?;
    ensure!(
        listed.len() == 1 && listed[0].0 == "citizen" && listed[0].1.contains(QUESTION),
        "the thread page lists {listed:?}"
    );
    let thread = api.thread(ThreadId(id)).await?;
    ensure!(
        thread.kind == ThreadKind::Question
            && thread.subject == ThreadSubject::Item(item.code.clone())
            && thread.department.as_ref() == Some(&item.department),
        "the API has {thread:?}"
    );

    // Staff of the item's department answer through the API.
    let officer = staff(server, item.department.as_str()).await;
    officer.post_message(ThreadId(id), ANSWER).await?;

    // The citizen sees the answer, from department staff, and the thread answered.
    c.refresh().await?;
    wait_thread_state(c, "answered").await?;
    eventually("the answer on the thread page", || async move {
        let listed = messages(c).await?;
        Ok(listed
            .iter()
            .any(|(from, text)| from == "staff" && text.contains(ANSWER))
            .then_some(()))
    })
    .await?;

    // The notification centre has the answer; opening it goes back to the thread.
    click(c, "[data-testid=nav-notifications]").await?;
    let kind = NotificationKind::ThreadAnswered.as_str();
    let link = eventually("the answer's notification", || async move {
        for n in c
            .find_all(Locator::Css("[data-testid=notification]"))
            .await?
        {
            if n.attr("data-kind").await?.as_deref() == Some(kind) {
                return Ok(Some(
                    n.find(Locator::Css("[data-testid=notification-link]"))
                        .await?,
                ));
            }
        }
        Ok(None)
    })
    .await?;
    link.click().await?;
    eventually("the thread the notification is about", || async move {
        let url = c.current_url().await?;
        Ok((url.path() == format!("/threads/{id}")).then_some(()))
    })
    .await?;
    wait_thread_state(c, "answered").await?;

    // The citizen closes it; the API agrees, and "my questions" lists it closed.
    click(c, "[data-testid=close-thread]").await?;
    wait_thread_state(c, "closed").await?;
    ensure!(
        api.thread(ThreadId(id)).await?.state == ThreadState::Closed,
        "the API does not have the thread closed"
    );
    click(c, "[data-testid=nav-threads]").await?;
    eventually("the closed thread in my list", || async move {
        let rows = c.find_all(Locator::Css("[data-testid=thread-row]")).await?;
        match rows.first() {
            Some(r) => Ok((r.attr("data-state").await?.as_deref() == Some("closed")).then_some(())),
            None => Ok(None),
        }
    })
    .await?;
    Ok(())
}

async fn statistics(server: &TestServer, c: &Client) -> Result<()> {
    let base = &server.base_url;
    let departments = server.client().departments().await?.len();

    // Anonymous: from the home page's footer to the statistics.
    open_in_chinese(c, base).await?;
    c.goto(&format!("{base}/")).await?;
    click(c, "[data-testid=footer-stats]").await?;
    eventually("the statistics page", || async move {
        Ok((c.current_url().await?.path() == "/stats").then_some(()))
    })
    .await?;

    // The table: a row per department and the city's total, in a captioned table.
    wait_for(c, "[data-testid=stats-table] caption").await?;
    let rows = c
        .find_all(Locator::Css(
            "[data-testid=stats-table] [data-testid=stats-row]",
        ))
        .await?;
    ensure!(
        rows.len() == departments,
        "{} rows for {departments} departments",
        rows.len()
    );
    wait_for(c, "[data-testid=stats-table] [data-testid=stats-total]").await?;

    // The charts are inline SVG with a bar value per department, named for screen readers.
    for chart in ["chart-on-time", "chart-satisfaction", "rating-bar"] {
        let e = wait_for(c, &format!("[data-testid={chart}]")).await?;
        let tag = e.tag_name().await?;
        ensure!(tag == "svg", "{chart} is a <{tag}>, not an inline <svg>");
        let label = e.attr("aria-label").await?.unwrap_or_default();
        ensure!(!label.is_empty(), "{chart} has no accessible name");
    }
    let values = c
        .find_all(Locator::Css("[data-testid=chart-on-time] .bar-value"))
        .await?;
    ensure!(
        values.len() == departments,
        "{} on-time bars for {departments} departments",
        values.len()
    );

    // The period picker shows the default period, the last 30 days.
    let from = wait_for(c, "[data-testid=stats-from]")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    let to = wait_for(c, "[data-testid=stats-to]")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    let parse = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d");
    let days = (parse(&to)? - parse(&from)?).num_days();
    ensure!(days == 29, "the default period {from}–{to} is not 30 days");
    Ok(())
}
