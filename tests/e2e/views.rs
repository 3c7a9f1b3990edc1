//! Views follow their data: the pages that load what they show must show the answer to
//! the latest question, every time. A citizen switches the state filter of their list
//! back and forth many times in a row and each time sees exactly the matching case;
//! opens the apply page again and again and each time gets the principals they may act
//! for; and opens a draft again and again and each time gets its material slots. A
//! stale or never-finished view fails the test (no reload is allowed). Last, with as many
//! drafts as allowed, starting another is refused with the way to them.

use crate::apply::{open_in_chinese, sign_in};
use crate::browser::diagnose;
use anyhow::{ensure, Context, Result};
use fantoccini::{Client, Locator};
use onewindow_api::catalogue::Audience;
use onewindow_tests::cases::{applicant, empty_draft, pick_item, submitted};
use onewindow_tests::webdriver::{eventually, wait_for};
use onewindow_tests::TestServer;

/// How many times each view is asked again.
const ROUNDS: usize = 8;

#[tokio::test]
async fn views_follow_their_data() {
    crate::browser::run(scenario).await;
}

/// The ids of the application rows shown now.
async fn rows(c: &Client) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for row in c.find_all(Locator::Css("[data-testid=app-row]")).await? {
        ids.push(row.attr("data-id").await?.unwrap_or_default());
    }
    Ok(ids)
}

async fn scenario(server: &TestServer, c: &Client) -> Result<()> {
    let outcome = rounds(server, c).await;
    match outcome {
        Ok(()) => Ok(()),
        Err(e) => Err(e.context(diagnose(c).await)),
    }
}

async fn rounds(server: &TestServer, c: &Client) -> Result<()> {
    let base = server.base_url.trim_end_matches('/');
    // A citizen with a submitted case and a draft, who may also act for another.
    let (citizen, id_number, phone) = applicant(server, None).await;
    let item = pick_item(&citizen, Audience::Individual).await;
    let sent = submitted(&citizen, &item, &id_number).await;
    let draft = empty_draft(&citizen, &item).await;
    let (principal, _, _) = applicant(server, None).await;
    principal.authorise_agent(&phone).await?;

    open_in_chinese(c, base).await?;
    sign_in(c, base, &phone, "apply now 123").await?;

    // The state filter, switched back and forth: each answer replaces the last.
    c.goto(&format!("{base}/applications")).await?;
    wait_for(c, "[data-testid=app-row]").await?;
    for round in 0..ROUNDS {
        for (state, id) in [("draft", draft.id), ("submitted", sent.id)] {
            c.find(Locator::Css("[data-testid=state-filter]"))
                .await?
                .select_by_value(state)
                .await?;
            let want = vec![id.to_string()];
            eventually(&format!("round {round}: only the {state} case"), || {
                let want = want.clone();
                async move { Ok((rows(c).await? == want).then_some(())) }
            })
            .await?;
            ensure!(
                c.current_url().await?.query() == Some(&format!("state={state}")),
                "the filter is in the URL"
            );
        }
    }

    // The apply page, opened again and again: the principals always arrive.
    for round in 0..ROUNDS {
        c.goto(&format!("{base}/services/{}/apply", item.code))
            .await?;
        wait_for(c, "[data-testid=apply-for] option:nth-child(2)")
            .await
            .with_context(|| format!("round {round}: the principals"))?;
    }

    // The draft, opened again and again: its material slots always arrive.
    let slot = &item.cases[0].materials[0].code;
    for round in 0..ROUNDS {
        c.goto(&format!("{base}/applications/{}", draft.id)).await?;
        wait_for(
            c,
            &format!("[data-testid=slot][data-slot='{slot}'] [data-testid=from-wallet]"),
        )
        .await
        .with_context(|| format!("round {round}: the draft's slots"))?;
    }

    // With as many drafts as allowed, starting another says so and leads to the drafts.
    let max = onewindow_server::config::Config::default()
        .applications
        .max_drafts;
    for _ in 1..max {
        empty_draft(&citizen, &item).await;
    }
    c.goto(&format!("{base}/services/{}/apply", item.code))
        .await?;
    wait_for(c, "[data-testid=start-application]")
        .await?
        .click()
        .await?;
    let refusal = wait_for(
        c,
        "[data-testid=inline-error] a[href='/applications?state=draft']",
    )
    .await
    .context("the refusal links to the drafts")?;
    let said = c
        .find(Locator::Css("[data-testid=inline-error]"))
        .await?
        .text()
        .await?;
    ensure!(
        said.contains("草稿已达上限"),
        "the refusal says why: {said}"
    );
    refusal.click().await?;
    // The list's first page (20 rows) of drafts only.
    let shown = (max as usize).min(20);
    eventually("the drafts are listed", || async move {
        Ok((rows(c).await?.len() == shown).then_some(()))
    })
    .await?;
    ensure!(c.current_url().await?.query() == Some("state=draft"));
    Ok(())
}
