//! The back office in the browser, with the case set up through the API: a business
//! member's case is accepted, and the lead department's staff start its review with
//! another department consulted; that department's staff find it under "consulted on", must give a reason to disagree,
//! and their opinion shows on the case; the business member sees the opinion without
//! the note; the lead's staff issue a result document the member then sees; a new
//! draft takes a material from the wallet; and the company dashboard's state filter
//! lands in the URL and in the CSV export link. Last, a citizen authorises an agent by
//! phone number, the agent applies for them, and the citizen revokes it.

use crate::apply::{
    click, create_staff, open_in_chinese, sign_in, text_of, type_into, wait_state, STAFF_PASSWORD,
};
use crate::browser::wait_diagnosed;
use anyhow::{ensure, Context, Result};
use fantoccini::{Client, Locator};
use onewindow_api::case::CaseAction;
use onewindow_api::catalogue::Audience;
use onewindow_tests::cases::{
    act, applicant, empty_draft, pick_item, staff, submitted, unique_credit_code,
};
use onewindow_tests::webdriver::{eventually, wait_for};
use onewindow_tests::TestServer;

#[tokio::test]
async fn consulted_opinion_and_company_dashboard() {
    crate::browser::run(scenario).await;
}

async fn scenario(server: &TestServer, c: &Client) -> Result<()> {
    let base = server.base_url.trim_end_matches('/');

    // Through the API: a company's case, accepted.
    let company = unique_credit_code();
    let (member, id_number, member_phone) = applicant(server, Some(&company)).await;
    let item = pick_item(&member, Audience::Business).await;
    let app = submitted(&member, &item, &id_number).await;
    let lead = staff(server, item.department.as_str()).await;
    lead.transition(app.id, &act(CaseAction::Accept)).await?;
    let other = lead
        .departments()
        .await?
        .into_iter()
        .map(|d| d.code)
        .find(|d| *d != item.department)
        .context("a second department")?;
    // The lead department's staff start the review in the browser, consulting it.
    open_in_chinese(c, base).await?;
    let lead_phone = create_staff(server, item.department.as_str()).await?;
    sign_in(c, base, &lead_phone, STAFF_PASSWORD).await?;
    c.goto(&format!("{base}/applications/{}", app.id)).await?;
    wait_state(c, "accepted").await?;
    click(c, "[data-testid=action-start_review]").await?;
    click(
        c,
        &format!("[data-testid=consult-department][value='{other}']"),
    )
    .await?;
    click(c, "[data-testid=action-confirm]").await?;
    wait_state(c, "under_review").await?;
    let asked = wait_for(c, "[data-testid=opinion]").await?;
    ensure!(asked.attr("data-department").await?.as_deref() == Some(other.as_str()));
    ensure!(asked.attr("data-opinion").await?.as_deref() == Some("pending"));
    click(c, "[data-testid=logout]").await?;
    wait_for(c, "[data-testid=nav-login]").await?;

    // The consulted department's staff find it under "consulted on" and give a reason
    // to disagree; the page asks for one first.
    let phone = create_staff(server, other.as_str()).await?;
    sign_in(c, base, &phone, STAFF_PASSWORD).await?;
    c.goto(&format!("{base}/staff?view=consulted")).await?;
    let row = format!(
        "[data-testid=consulted-queue] [data-testid=app-row][data-id='{}'] [data-testid=app-row-link]",
        app.id
    );
    click(c, &row).await?;
    wait_state(c, "under_review").await?;
    wait_for(c, "[data-testid=opinion-form]").await?;
    ensure!(
        c.find_all(Locator::Css("[data-testid=staff-panel]"))
            .await?
            .is_empty(),
        "a consulted department has no case actions"
    );
    let pending = wait_for(c, "[data-testid=opinion]").await?;
    ensure!(pending.attr("data-opinion").await?.as_deref() == Some("pending"));
    click(c, "[data-testid=opinion-disagree]").await?;
    click(c, "[data-testid=opinion-send]").await?;
    wait_for(c, "[data-testid=opinion-form] .field-error").await?;
    type_into(c, "[data-testid=opinion-note]", "用地性质不符。").await?;
    click(c, "[data-testid=opinion-send]").await?;
    eventually("the disagreement on the case", || async move {
        let o = c.find(Locator::Css("[data-testid=opinion]")).await?;
        Ok((o.attr("data-opinion").await?.as_deref() == Some("disagree")).then_some(()))
    })
    .await?;
    ensure!(text_of(c, "[data-testid=opinion] .note").await? == "用地性质不符。");
    ensure!(
        c.find_all(Locator::Css("[data-testid=opinion-form]"))
            .await?
            .is_empty(),
        "the form goes once answered"
    );
    click(c, "[data-testid=logout]").await?;
    wait_for(c, "[data-testid=nav-login]").await?;

    // Every department has answered, so the lead approves; its staff issue the result
    // document in the browser, listed apart from the materials.
    lead.transition(app.id, &act(CaseAction::Approve)).await?;
    sign_in(c, base, &lead_phone, STAFF_PASSWORD).await?;
    c.goto(&format!("{base}/applications/{}", app.id)).await?;
    wait_state(c, "approved").await?;
    let dir = tempfile::tempdir()?;
    let result_pdf = dir.path().join("许可证.pdf");
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(2000, b' ');
    std::fs::write(&result_pdf, bytes)?;
    wait_for(c, "[data-testid=result-input]")
        .await?
        .send_keys(&result_pdf.display().to_string())
        .await?;
    ensure!(text_of(c, "[data-testid=result-file] a").await? == "许可证.pdf");
    click(c, "[data-testid=logout]").await?;
    wait_for(c, "[data-testid=nav-login]").await?;

    // The business member sees the opinion without its note, and the result document.
    sign_in(c, base, &member_phone, "apply now 123").await?;
    c.goto(&format!("{base}/applications/{}", app.id)).await?;
    let o = wait_for(c, "[data-testid=opinion]").await?;
    ensure!(o.attr("data-opinion").await?.as_deref() == Some("disagree"));
    ensure!(
        c.find_all(Locator::Css("[data-testid=opinion] .note"))
            .await?
            .is_empty(),
        "the applicant sees no note"
    );
    let result = wait_for(c, "[data-testid=result-file] a").await?;
    ensure!(result.attr("download").await?.as_deref() == Some("许可证.pdf"));

    // A new draft takes a material from the wallet instead of an upload.
    let draft = empty_draft(&member, &item).await;
    let slot = &item.cases[0].materials[0].code;
    c.goto(&format!("{base}/applications/{}", draft.id)).await?;
    let in_slot =
        |what: &str| format!("[data-testid=slot][data-slot='{slot}'] [data-testid={what}]");
    wait_diagnosed(c, &in_slot("from-wallet"), "the draft's slots").await?;
    click(c, &in_slot("from-wallet")).await?;
    click(c, &in_slot("wallet-use")).await?;
    wait_for(c, &in_slot("uploaded-file")).await?;

    // The company dashboard: the state filter lands in the URL and in the export link.
    c.goto(&format!("{base}/applications")).await?;
    wait_for(c, "[data-testid=dashboard-filters]").await?;
    // An empty list first, so that the row seen next is the filtered list's.
    c.find(Locator::Css("[data-testid=state-filter]"))
        .await?
        .select_by_value("completed")
        .await?;
    wait_diagnosed(c, "[data-testid=no-applications]", "the filtered list").await?;
    c.find(Locator::Css("[data-testid=state-filter]"))
        .await?
        .select_by_value("approved")
        .await?;
    wait_for(c, &format!("[data-testid=app-row][data-id='{}']", app.id)).await?;
    ensure!(c.current_url().await?.query() == Some("state=approved"));
    ensure!(
        c.find_all(Locator::Css("[data-testid=app-row]"))
            .await?
            .len()
            == 1,
        "only the approved case"
    );
    let export = wait_for(c, "[data-testid=export-csv]").await?;
    let href = export.attr("href").await?.unwrap_or_default();
    ensure!(
        href.ends_with("/api/v1/applications/export.csv?state=approved"),
        "export link {href:?}"
    );

    // Someone registers with the company's credit code: the member confirms them on
    // the Me page, and only then do they see the company's cases.
    let (newcomer, _, _) = applicant(server, Some(&company)).await;
    ensure!(
        newcomer.applications(1, 50).await?.items.is_empty(),
        "an unconfirmed newcomer sees the company's cases"
    );
    c.goto(&format!("{base}/me")).await?;
    let waiting = "[data-testid=company-member][data-pending=true]";
    wait_diagnosed(c, waiting, "the newcomer waiting").await?;
    click(c, &format!("{waiting} [data-testid=member-confirm]")).await?;
    eventually("the newcomer confirmed", || async move {
        Ok(c.find_all(Locator::Css(waiting))
            .await?
            .is_empty()
            .then_some(()))
    })
    .await?;
    ensure!(
        newcomer.application(app.id).await?.id == app.id,
        "the confirmed newcomer cannot open the company's case"
    );
    click(c, "[data-testid=logout]").await?;
    wait_for(c, "[data-testid=nav-login]").await?;

    // A citizen authorises another by phone number, who can then be revoked.
    let (_, _, principal_phone) = applicant(server, None).await;
    let (agent, _, agent_phone) = applicant(server, None).await;
    sign_in(c, base, &principal_phone, "apply now 123").await?;
    click(c, "[data-testid=nav-agents]").await?;
    type_into(c, "[data-testid=agent-phone]", &agent_phone).await?;
    click(c, "[data-testid=agent-authorise]").await?;
    wait_for(c, "[data-testid=agent-given]").await?;
    ensure!(
        agent.authorisations().await?.len() == 1,
        "the agent sees it"
    );

    // The agent applies for the citizen; the case names the agent.
    click(c, "[data-testid=logout]").await?;
    wait_for(c, "[data-testid=nav-login]").await?;
    let personal = pick_item(&agent, Audience::Individual).await;
    sign_in(c, base, &agent_phone, "apply now 123").await?;
    c.goto(&format!("{base}/services/{}/apply", personal.code))
        .await?;
    let select = "[data-testid=apply-for] option:nth-child(2)";
    let principal = wait_diagnosed(c, select, "the agent's principals").await?;
    let value = principal.attr("value").await?.unwrap_or_default();
    c.find(Locator::Css("[data-testid=apply-for]"))
        .await?
        .select_by_value(&value)
        .await?;
    click(c, "[data-testid=start-application]").await?;
    wait_for(c, "[data-testid=draft-editor]").await?;
    ensure!(!text_of(c, "[data-testid=agent-name]").await?.is_empty());
    click(c, "[data-testid=logout]").await?;
    wait_for(c, "[data-testid=nav-login]").await?;

    sign_in(c, base, &principal_phone, "apply now 123").await?;
    click(c, "[data-testid=nav-agents]").await?;
    click(c, "[data-testid=agent-revoke]").await?;
    eventually("the authorisation revoked", || async move {
        let left = c
            .find_all(Locator::Css("[data-testid=agent-given]"))
            .await?;
        Ok(left.is_empty().then_some(()))
    })
    .await?;
    ensure!(agent.authorisations().await?.is_empty());
    Ok(())
}
