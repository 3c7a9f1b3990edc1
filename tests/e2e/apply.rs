//! The applications pages end to end, with two people in two browsers: a citizen
//! registers, applies online (an instant field error, the one-time notice naming the
//! missing materials, a PDF upload) and submits; a staff member of the item's department
//! asks for a correction of one field; the citizen fixes only that and resubmits; staff
//! accept (a number appears), approve and issue the result for pickup; the citizen sees
//! the whole timeline, the number and the pickup code, finds the accepted materials in
//! the wallet and filters the list by state; the staff console's supervision and
//! consulted views render; and anyone can look the progress up with the number and the
//! ID number.

use anyhow::{anyhow, ensure, Context, Result};
use fantoccini::{Client, Locator};
use onewindow_api::account::Role;
use onewindow_api::catalogue::{Audience, FieldKind, FileFormat, FormField, ServiceItem};
use onewindow_api::query::ServiceQuery;
use onewindow_server::db::accounts::NewUser;
use onewindow_server::db::Store;
use onewindow_tests::webdriver::{eventually, wait_for};
use onewindow_tests::{unique_id_number, unique_phone, TestServer};

pub(crate) const STAFF_PASSWORD: &str = "counter pass 9";

#[tokio::test]
async fn apply_correct_accept_and_pick_up() {
    crate::browser::run_two(scenario).await;
}

/// Field kinds the test can type plainly (a date input's typing depends on the locale).
fn simple(f: &FormField) -> bool {
    matches!(
        f.kind,
        FieldKind::Text
            | FieldKind::Textarea
            | FieldKind::IdNumber
            | FieldKind::Phone
            | FieldKind::Select
            | FieldKind::Number
    )
}

/// An item for individuals that can be applied for online, whose first handling case
/// takes PDFs for every material and has at least one required material, and whose form
/// has only simple fields, a phone field (for the instant error) and a required text
/// field (for the correction). Of those, the one with the fewest required materials.
pub(crate) async fn choose_item(server: &TestServer) -> Result<ServiceItem> {
    let api = server.client();
    let q = ServiceQuery {
        online: Some(true),
        audience: Some(Audience::Individual),
        per_page: Some(100),
        ..Default::default()
    };
    let mut best: Option<(usize, ServiceItem)> = None;
    for s in api.services(&q).await?.items {
        let item = api.service(s.code.as_str()).await?;
        let Some(case) = item.cases.first() else {
            continue;
        };
        let required = case.materials.iter().filter(|m| m.required).count();
        let fits = item.online.apply_online
            && required > 0
            && case
                .materials
                .iter()
                .all(|m| m.formats.contains(&FileFormat::Pdf))
            && item.form.iter().all(simple)
            && item.form.iter().any(|f| f.kind == FieldKind::Phone)
            && item
                .form
                .iter()
                .any(|f| f.required && f.kind == FieldKind::Text);
        if fits && best.as_ref().is_none_or(|(n, _)| required < *n) {
            best = Some((required, item));
        }
    }
    best.map(|(_, item)| item)
        .ok_or_else(|| anyhow!("no demo item fits the scenario"))
}

/// A staff account of `department`, created as the command line does.
pub(crate) async fn create_staff(server: &TestServer, department: &str) -> Result<String> {
    let store = Store::connect(&server.database_url, 2).await?;
    let phone = unique_phone();
    let hash = onewindow_server::auth::hash_password(STAFF_PASSWORD.into()).await?;
    store
        .create_user(&NewUser {
            role: Role::Staff,
            name: "窗口人员",
            id_number: None,
            phone: &phone,
            password_hash: &hash,
            department: Some(department),
            company: None,
            lang: Default::default(),
        })
        .await?;
    Ok(phone)
}

pub(crate) async fn type_into(c: &Client, css: &str, text: &str) -> Result<()> {
    let e = wait_for(c, css).await?;
    e.clear().await?;
    e.send_keys(text).await?;
    Ok(())
}

pub(crate) async fn click(c: &Client, css: &str) -> Result<()> {
    wait_for(c, css).await?.click().await?;
    Ok(())
}

/// Signs in on the login page and waits for the header to say so.
pub(crate) async fn sign_in(c: &Client, base: &str, login: &str, password: &str) -> Result<()> {
    c.goto(&format!("{base}/login")).await?;
    type_into(c, "[data-testid=login-id]", login).await?;
    type_into(c, "[data-testid=login-password]", password).await?;
    click(c, "[data-testid=login-submit]").await?;
    wait_for(c, "[data-testid=logout]").await?;
    Ok(())
}

/// Waits until the page shows the case in `state`.
pub(crate) async fn wait_state(c: &Client, state: &str) -> Result<()> {
    eventually(&format!("the case in state {state}"), || async move {
        let e = c.find(Locator::Css("[data-testid=app-state]")).await?;
        Ok((e.attr("data-state").await?.as_deref() == Some(state)).then_some(()))
    })
    .await
}

/// The `data-target`s of the problems the notice lists now.
async fn notice_targets(c: &Client) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for p in c
        .find_all(Locator::Css("[data-testid=notice-problem]"))
        .await?
    {
        out.push(p.attr("data-target").await?.unwrap_or_default());
    }
    Ok(out)
}

/// The attribute `name` of the first element matching `css`, once it is there.
pub(crate) async fn attr_of(c: &Client, css: &str, name: &str) -> Result<Option<String>> {
    Ok(wait_for(c, css).await?.attr(name).await?)
}

pub(crate) async fn text_of(c: &Client, css: &str) -> Result<String> {
    Ok(wait_for(c, css).await?.text().await?.trim().to_owned())
}

/// Opens the site in Chinese, whatever the browser's language.
pub(crate) async fn open_in_chinese(c: &Client, base: &str) -> Result<()> {
    c.goto(&format!("{base}/")).await?;
    c.execute(&crate::browser::remember_lang("zh-CN"), vec![])
        .await?;
    Ok(())
}

/// A case of `item`, through the API, accepted so long ago that its promised and its
/// legal time limits have both passed.
async fn late_case(server: &TestServer, item: &ServiceItem) -> onewindow_api::ids::CaseId {
    use onewindow_tests::cases;
    let (citizen, id_number, _) = cases::applicant(server, None).await;
    let app = cases::submitted(&citizen, item, &id_number).await;
    cases::staff(server, item.department.as_str())
        .await
        .transition(app.id, &cases::act(onewindow_api::case::CaseAction::Accept))
        .await
        .unwrap();
    let long_ago = cases::today() - chrono::Days::new(400);
    cases::backdate(server, app.id, long_ago, None).await;
    app.id
}

async fn scenario(server: &TestServer, citizen: &Client, staff: &Client) -> Result<()> {
    let base = &server.base_url;
    let item = choose_item(server).await?;
    let case = &item.cases[0];
    let phone_field = item
        .form
        .iter()
        .find(|f| f.kind == FieldKind::Phone)
        .context("a phone field")?;
    let corrected = item
        .form
        .iter()
        .find(|f| f.required && f.kind == FieldKind::Text)
        .context("a required text field")?;
    let required: Vec<&str> = case
        .materials
        .iter()
        .filter(|m| m.required)
        .map(|m| m.code.as_str())
        .collect();

    // A page that needs an account sends the visitor to sign in, and back after; the
    // citizen registers from there and is signed in by the cookie.
    let c = citizen;
    open_in_chinese(c, base).await?;
    c.goto(&format!("{base}/applications")).await?;
    eventually("the sign-in page with next", || async move {
        let url = c.current_url().await?;
        Ok((url.path() == "/login" && url.query() == Some("next=%2Fapplications")).then_some(()))
    })
    .await?;
    click(c, "[data-testid=to-register]").await?;
    let id_number = unique_id_number();
    type_into(c, "[data-testid=reg-id-number]", &id_number).await?;
    type_into(c, "[data-testid=reg-name]", "孙小红").await?;
    type_into(c, "[data-testid=reg-phone]", &unique_phone()).await?;
    type_into(c, "[data-testid=reg-password]", "apply online 7").await?;
    click(c, "[data-testid=reg-submit]").await?;
    let name = text_of(c, "[data-testid=account-name]").await?;
    ensure!(name.contains("孙小红"), "the header shows {name:?}");
    wait_for(c, "[data-testid=no-applications]").await?;

    // From the guide: apply online, choose the handling case, get a draft.
    c.goto(&format!("{base}/services/{}", item.code)).await?;
    click(c, "[data-testid=apply-online]").await?;
    let choice = wait_for(c, "[data-testid=case-choice]").await?;
    choice.click().await?;
    click(c, "[data-testid=start-application]").await?;
    let id = eventually("the draft's page", || async move {
        let url = c.current_url().await?;
        Ok(url
            .path()
            .strip_prefix("/applications/")
            .filter(|id| !id.is_empty())
            .map(str::to_owned))
    })
    .await?;
    wait_for(c, "[data-testid=draft-editor]").await?;

    // The one-time notice lists every missing required material at once.
    let wanted: Vec<String> = required.iter().map(|m| format!("material:{m}")).collect();
    let wanted = &wanted;
    eventually("the notice listing the missing materials", || async move {
        let targets = notice_targets(c).await?;
        Ok(wanted.iter().all(|w| targets.contains(w)).then_some(()))
    })
    .await?;

    // An invalid phone number shows its error as the user types; a valid one clears it.
    let phone_css = format!("#field-{}", phone_field.key);
    let phone_error = format!("[data-testid=field-error-{}]", phone_field.key);
    type_into(c, &phone_css, "12345").await?;
    let error = text_of(c, &phone_error).await?;
    ensure!(error.contains("11"), "the phone error says {error:?}");
    type_into(c, &phone_css, "13800138000").await?;
    let phone_error = &phone_error;
    eventually("the phone error to go", || async move {
        Ok(c.find_all(Locator::Css(phone_error))
            .await?
            .is_empty()
            .then_some(()))
    })
    .await?;

    // Fill in the rest of the form.
    for f in &item.form {
        let css = format!("#field-{}", f.key);
        match f.kind {
            FieldKind::Phone => {}
            FieldKind::Select => {
                wait_for(c, &css)
                    .await?
                    .select_by_value(&f.options[0].value)
                    .await?
            }
            FieldKind::IdNumber => type_into(c, &css, &id_number).await?,
            FieldKind::Number => type_into(c, &css, "3").await?,
            _ => type_into(c, &css, "测试内容").await?,
        }
    }
    eventually("no field problem left in the notice", || async move {
        let targets = notice_targets(c).await?;
        Ok(
            (!targets.is_empty() && targets.iter().all(|t| t.starts_with("material:")))
                .then_some(()),
        )
    })
    .await?;

    // Upload a small PDF into each required slot; each ends as an uploaded file.
    let dir = tempfile::tempdir()?;
    let pdf = dir.path().join("scan.pdf");
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(3000, b' ');
    std::fs::write(&pdf, bytes)?;
    let path = pdf.display().to_string();
    for slot in &required {
        let limits = text_of(
            c,
            &format!("[data-testid=slot][data-slot='{slot}'] [data-testid=slot-limits]"),
        )
        .await?;
        ensure!(limits.contains("PDF"), "slot {slot} limits: {limits:?}");
        wait_for(c, &format!("[data-testid='file-input-{slot}']"))
            .await?
            .send_keys(&path)
            .await?;
        let done = wait_for(
            c,
            &format!("[data-testid=slot][data-slot='{slot}'] [data-testid=uploaded-file]"),
        )
        .await?;
        ensure!(done.text().await?.contains("已上传"), "slot {slot} upload");
    }
    wait_for(c, "[data-testid=notice-clear]").await?;
    eventually("the form saved", || async move {
        let s = c.find(Locator::Css("[data-testid=save-status]")).await?;
        Ok(matches!(
            s.attr("data-state").await?.as_deref(),
            Some("saved" | "idle")
        )
        .then_some(()))
    })
    .await?;
    click(c, "[data-testid=submit]").await?;
    wait_state(c, "submitted").await?;

    // Staff of the item's department sign in and find the case in their queue.
    let s = staff;
    let staff_phone = create_staff(server, item.department.as_str()).await?;
    open_in_chinese(s, base).await?;
    s.goto(&format!("{base}/login")).await?;
    type_into(s, "[data-testid=login-id]", &staff_phone).await?;
    type_into(s, "[data-testid=login-password]", STAFF_PASSWORD).await?;
    click(s, "[data-testid=login-submit]").await?;
    let row = format!("[data-testid=app-row][data-id='{id}'] [data-testid=app-row-link]");
    click(s, &row).await?;
    wait_state(s, "submitted").await?;

    // A correction notice aimed at one form field.
    click(s, "[data-testid=action-request_correction]").await?;
    wait_for(s, "[data-testid=correction-target]")
        .await?
        .select_by_value(&format!("field:{}", corrected.key))
        .await?;
    type_into(
        s,
        "[data-testid=correction-message]",
        "请填写完整、准确的内容。",
    )
    .await?;
    click(s, "[data-testid=correction-add]").await?;
    click(s, "[data-testid=correction-send]").await?;
    wait_state(s, "correction_required").await?;

    // The citizen sees it, fixes only that field, and submits again.
    c.refresh().await?;
    wait_state(c, "correction_required").await?;
    wait_for(c, "[data-testid=correction-editor]").await?;
    // By when, as a date, not yet overdue.
    let due = text_of(c, "[data-testid=correction-due-date]").await?;
    ensure!(
        chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d").is_ok(),
        "the correction is due by {due:?}"
    );
    ensure!(
        c.find(Locator::Css("[data-testid=correction-overdue]"))
            .await
            .is_err(),
        "not overdue on the day of the notice"
    );
    let target = format!("field:{}", corrected.key);
    let target = &target;
    eventually("the staff's problem in the notice", || async move {
        Ok(notice_targets(c).await?.contains(target).then_some(()))
    })
    .await?;
    let field_css = format!("#field-{}", corrected.key);
    ensure!(
        attr_of(c, &field_css, "readonly").await?.is_none(),
        "the flagged field is editable"
    );
    ensure!(
        attr_of(c, &phone_css, "readonly").await?.is_some(),
        "a field the staff did not flag stays as it is"
    );
    type_into(c, &field_css, "更正后的完整内容").await?;
    eventually("the correction saved", || async move {
        let s = c.find(Locator::Css("[data-testid=save-status]")).await?;
        Ok((s.attr("data-state").await?.as_deref() == Some("saved")).then_some(()))
    })
    .await?;
    click(c, "[data-testid=resubmit]").await?;
    wait_state(c, "submitted").await?;

    // Staff accept (the number appears), approve, and issue the result for pickup.
    let s = staff;
    s.refresh().await?;
    wait_state(s, "submitted").await?;
    click(s, "[data-testid=action-accept]").await?;
    let number = text_of(s, "[data-testid=app-number]").await?;
    ensure!(
        number.contains(item.department.as_str()),
        "application number {number:?}"
    );
    wait_state(s, "accepted").await?;
    // Beside the promised deadline, the legal one (法定期限), counted from today.
    let legal = text_of(s, "[data-testid=legal-due-date]").await?;
    let expected = onewindow_tests::cases::calendar()
        .add_working_days(
            onewindow_tests::cases::today(),
            item.time_limit.legal_working_days,
        )
        .format("%Y-%m-%d")
        .to_string();
    ensure!(
        legal == expected,
        "legal deadline {legal:?}, not {expected}"
    );
    // The review, with a special procedure (an on-site inspection) that stops the
    // clock: it takes its reason, then ends, and the review goes on.
    click(s, "[data-testid=action-start_review]").await?;
    click(s, "[data-testid=action-confirm]").await?;
    wait_state(s, "under_review").await?;
    click(s, "[data-testid=action-suspend]").await?;
    type_into(s, "[data-testid=action-note]", "现场勘验").await?;
    click(s, "[data-testid=action-confirm]").await?;
    wait_state(s, "suspended").await?;
    ensure!(
        attr_of(s, "[data-testid=light]", "data-paused")
            .await?
            .as_deref()
            == Some("true"),
        "the clock stopped"
    );
    click(s, "[data-testid=action-resume]").await?;
    wait_state(s, "under_review").await?;
    click(s, "[data-testid=action-approve]").await?;
    type_into(s, "[data-testid=action-note]", "材料齐全，准予许可。").await?;
    click(s, "[data-testid=action-confirm]").await?;
    wait_state(s, "approved").await?;
    click(s, "[data-testid=action-issue_for_pickup]").await?;
    type_into(s, "[data-testid=action-window]", "A05").await?;
    click(s, "[data-testid=action-confirm]").await?;
    wait_state(s, "result_ready").await?;
    let code = text_of(s, "[data-testid=pickup-code]").await?;
    ensure!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "pickup code {code:?}"
    );

    // The citizen sees the number, the pickup code and window, and every step.
    c.refresh().await?;
    wait_state(c, "result_ready").await?;
    ensure!(text_of(c, "[data-testid=app-number]").await? == number);
    ensure!(text_of(c, "[data-testid=pickup-code]").await? == code);
    ensure!(text_of(c, "[data-testid=pickup-window]").await? == "A05");
    let mut states = Vec::new();
    for e in c
        .find_all(Locator::Css("[data-testid=timeline-entry]"))
        .await?
    {
        states.push(e.attr("data-state").await?.unwrap_or_default());
    }
    ensure!(
        states
            == [
                "draft",
                "submitted",
                "correction_required",
                "submitted",
                "accepted",
                "under_review",
                "suspended",
                "under_review",
                "approved",
                "result_ready"
            ],
        "the timeline shows {states:?}"
    );
    // It keeps what the correction notice asked for, though the notice itself is gone.
    let asked = text_of(c, "[data-testid=timeline-asked]").await?;
    ensure!(
        asked.contains(&corrected.label.zh) && asked.contains("请填写完整、准确的内容。"),
        "the timeline keeps the notice: {asked:?}"
    );
    // Who to call about it: the item's consultation channels.
    let call = text_of(c, "[data-testid=case-channels] .channel-value").await?;
    ensure!(
        item.consultation.first().is_some_and(|ch| ch.value == call),
        "who to call: {call:?}"
    );

    // The accepted materials are kept in the citizen's wallet, with download links.
    c.goto(&format!("{base}/wallet")).await?;
    wait_for(c, "[data-testid=wallet-doc]").await?;
    let mut kept = Vec::new();
    for e in c.find_all(Locator::Css("[data-testid=wallet-doc]")).await? {
        ensure!(e.attr("data-kind").await?.as_deref() == Some("material"));
        kept.push(e.attr("data-slot").await?.unwrap_or_default());
    }
    for slot in &required {
        ensure!(
            kept.iter().any(|k| k.as_str() == *slot),
            "slot {slot} not in the wallet: {kept:?}"
        );
    }
    let href = attr_of(c, "[data-testid=wallet-download]", "href")
        .await?
        .unwrap_or_default();
    ensure!(
        href.contains("/api/v1/me/documents/"),
        "download link {href:?}"
    );

    // The state filter of the list lands in the URL and filters the list.
    c.goto(&format!("{base}/applications")).await?;
    wait_for(c, &format!("[data-testid=app-row][data-id='{id}']")).await?;
    c.find(Locator::Css("[data-testid=state-filter]"))
        .await?
        .select_by_value("draft")
        .await?;
    eventually("state=draft in the URL", || async move {
        let url = c.current_url().await?;
        Ok((url.query() == Some("state=draft")).then_some(()))
    })
    .await?;
    wait_for(c, "[data-testid=no-applications]").await?;
    c.find(Locator::Css("[data-testid=state-filter]"))
        .await?
        .select_by_value("result_ready")
        .await?;
    wait_for(c, &format!("[data-testid=app-row][data-id='{id}']")).await?;
    ensure!(c.current_url().await?.query() == Some("state=result_ready"));

    // The staff console's supervision view renders (nothing is late here); a case
    // accepted long ago shows there, red and marked past its legal time limit.
    let s = staff;
    s.goto(&format!("{base}/staff?view=supervision")).await?;
    wait_for(s, "[data-testid=supervision]").await?;
    wait_for(s, "[data-testid=supervision-empty]").await?;
    let late = late_case(server, &item).await;
    s.refresh().await?;
    let row = format!("[data-testid=app-row][data-id='{late}']");
    ensure!(
        attr_of(s, &format!("{row} [data-testid=light]"), "data-light")
            .await?
            .as_deref()
            == Some("red"),
        "the late case is red"
    );
    wait_for(s, &format!("{row} [data-testid=row-legal-overdue]")).await?;
    let tab = wait_for(s, "[data-testid=tab-supervision]").await?;
    ensure!(tab.attr("aria-current").await?.as_deref() == Some("page"));
    click(s, "[data-testid=tab-consulted]").await?;
    wait_for(s, "[data-testid=consulted-queue]").await?;

    // Anyone can look the progress up with the number and the ID number.
    click(s, "[data-testid=logout]").await?;
    wait_for(s, "[data-testid=nav-login]").await?;
    s.goto(&format!("{base}/lookup")).await?;
    type_into(s, "[data-testid=lookup-number]", &number).await?;
    type_into(s, "[data-testid=lookup-id]", &id_number).await?;
    click(s, "[data-testid=lookup-submit]").await?;
    let state = wait_for(s, "[data-testid=lookup-state]").await?;
    ensure!(state.attr("data-state").await?.as_deref() == Some("result_ready"));
    let steps = s
        .find_all(Locator::Css("[data-testid=lookup-step]"))
        .await?;
    ensure!(steps.len() == states.len(), "{} lookup steps", steps.len());
    Ok(())
}
