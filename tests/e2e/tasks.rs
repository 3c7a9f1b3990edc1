//! Task lengths from the home screen, counted in interactions (a tap, or typing into
//! one field), against the goals of docs/UX.md: an item's guide in at most 2 taps (or
//! one search and a tap); the earliest slot booked in at most 5; a case's status in at
//! most 2 taps; a correction notice answered in at most 3 after opening the case. Each
//! count is printed for docs/UX.md.

use crate::apply::{choose_item, click, open_in_chinese, sign_in, type_into, wait_state};
use crate::booking::with_open_slots;
use anyhow::{anyhow, ensure, Result};
use fantoccini::Client;
use onewindow_api::application::{CorrectionItem, NoticeTarget};
use onewindow_api::case::CaseAction;
use onewindow_api::catalogue::{FieldKind, ServiceItem};
use onewindow_api::ids::ThemeCode;
use onewindow_api::query::ServiceQuery;
use onewindow_api::Text;
use onewindow_tests::cases::{act, applicant, staff, submitted, TestClient};
use onewindow_tests::webdriver::{eventually, wait_for};
use onewindow_tests::TestServer;
use std::io::Write;

/// Interactions so far of one task.
struct Count(u32);

impl Count {
    async fn tap(&mut self, c: &Client, css: &str) -> Result<()> {
        click(c, css).await?;
        self.0 += 1;
        Ok(())
    }

    async fn type_into(&mut self, c: &Client, css: &str, text: &str) -> Result<()> {
        type_into(c, css, text).await?;
        self.0 += 1;
        Ok(())
    }

    /// Fails if the task took more than `goal`; prints the count either way.
    fn check(self, task: &str, goal: u32) -> Result<()> {
        let _ = writeln!(
            std::io::stderr(),
            "task length: {task}: {} interactions (goal ≤ {goal})",
            self.0
        );
        ensure!(
            self.0 <= goal,
            "{task} took {} interactions, more than {goal}",
            self.0
        );
        Ok(())
    }
}

#[tokio::test]
async fn the_main_tasks_are_short_from_the_home_screen() {
    crate::browser::run(scenario).await;
}

/// A theme and a bookable item with open slots listed on the theme's first page.
async fn theme_with_bookable_item(api: &TestClient) -> Result<(ThemeCode, ServiceItem)> {
    for theme in api.themes().await? {
        let q = ServiceQuery {
            theme: Some(theme.code.clone()),
            ..Default::default()
        };
        for s in api.services(&q).await?.items {
            if let Some(item) = with_open_slots(api, &s).await? {
                return Ok((theme.code, item));
            }
        }
    }
    Err(anyhow!("no theme lists a bookable item on its first page"))
}

async fn scenario(server: &TestServer, c: &Client) -> Result<()> {
    let base = server.base_url.trim_end_matches('/');
    let (api, id_number, phone) = applicant(server, None).await;
    let (theme, bookable) = theme_with_bookable_item(&api).await?;
    let tile = format!("a.tile[href='/services?theme={theme}']");
    let card = |code: &str| {
        format!("[data-testid=service-card][data-code='{code}'] [data-testid=service-card-link]")
    };

    open_in_chinese(c, base).await?;
    sign_in(c, base, &phone, "apply now 123").await?;

    // An item's guide: a theme on the home screen, then the item.
    c.goto(&format!("{base}/")).await?;
    let mut n = Count(0);
    n.tap(c, &tile).await?;
    n.tap(c, &card(bookable.code.as_str())).await?;
    wait_for(c, "[data-testid=guide-title]").await?;
    n.check("guide by taps", 2)?;

    // The same by one search: type the name, submit, and the first hit.
    c.goto(&format!("{base}/")).await?;
    let mut n = Count(0);
    n.type_into(c, "[data-testid=search-input]", &bookable.name.zh)
        .await?;
    n.tap(c, "[data-testid=search-submit]").await?;
    n.tap(
        c,
        "[data-testid=service-card] [data-testid=service-card-link]",
    )
    .await?;
    wait_for(c, "[data-testid=guide-title]").await?;
    n.check("guide by search (typing, search, first hit)", 3)?;

    // The earliest slot: the theme, the item, book, the first slot, confirm.
    c.goto(&format!("{base}/")).await?;
    let mut n = Count(0);
    n.tap(c, &tile).await?;
    n.tap(c, &card(bookable.code.as_str())).await?;
    n.tap(c, "[data-testid=book-appointment]").await?;
    n.tap(c, "[data-testid=slot]").await?;
    n.tap(c, "[data-testid=confirm-booking]").await?;
    eventually("the booking confirmation", || async move {
        Ok(c.current_url()
            .await?
            .path()
            .starts_with("/bookings/")
            .then_some(()))
    })
    .await?;
    n.check("earliest slot booked", 5)?;

    // A case's status: it is on the home screen while it runs.
    let item = choose_item(server).await?;
    let case = submitted(&api, &item, &id_number).await;
    c.goto(&format!("{base}/")).await?;
    let row = format!(
        "[data-testid=home-cases] [data-testid=app-row][data-id='{}'] [data-testid=app-row-link]",
        case.id
    );
    let mut n = Count(0);
    n.tap(c, &row).await?;
    wait_state(c, "submitted").await?;
    n.check("case status", 2)?;

    // The same through the navigation: My cases, then the case.
    c.goto(&format!("{base}/")).await?;
    let mut n = Count(0);
    n.tap(c, "[data-testid=nav-applications]").await?;
    n.tap(
        c,
        &format!(
            "[data-testid=app-row][data-id='{}'] [data-testid=app-row-link]",
            case.id
        ),
    )
    .await?;
    wait_state(c, "submitted").await?;
    n.check("case status through My cases", 2)?;

    // A correction notice on one field, answered once the case is open.
    let field = item
        .form
        .iter()
        .find(|f| f.required && f.kind == FieldKind::Text)
        .ok_or_else(|| anyhow!("no required text field"))?;
    let mut correction = act(CaseAction::RequestCorrection);
    correction.problems = vec![CorrectionItem {
        target: NoticeTarget::Field(field.key.clone()),
        message: Text::new("请填写完整。", "Please complete it."),
    }];
    staff(server, item.department.as_str())
        .await
        .transition(case.id, &correction)
        .await?;
    c.goto(&format!("{base}/")).await?;
    click(c, &row).await?;
    wait_state(c, "correction_required").await?;
    let mut n = Count(0);
    n.type_into(c, &format!("#field-{}", field.key), "更正后的完整内容")
        .await?;
    eventually("the correction saved", || async move {
        let s = wait_for(c, "[data-testid=save-status]").await?;
        Ok((s.attr("data-state").await?.as_deref() == Some("saved")).then_some(()))
    })
    .await?;
    n.tap(c, "[data-testid=resubmit]").await?;
    wait_state(c, "submitted").await?;
    n.check("correction answered", 3)?;
    Ok(())
}
