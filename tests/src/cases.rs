//! Fixtures of application tests: accounts of every role, a suitable demo item with a
//! valid form, PDF bytes, staff actions and a submitted case, all through the real client
//! (staff accounts are created as the command line does, straight in the store).

use crate::{unique_id_number, unique_phone, Served, TestServer};
use onewindow_api::account::{CompanyInput, LoginRequest, RegisterRequest, Role};
use onewindow_api::application::{
    Application, CreateApplicationRequest, FormValues, TransitionRequest,
};
use onewindow_api::case::CaseAction;
use onewindow_api::catalogue::{Audience, FieldKind, FileFormat, ServiceItem};
use onewindow_api::idnum::credit_code_check_char;
use onewindow_api::query::ServiceQuery;
use onewindow_client::{Client, ReqwestTransport};
use onewindow_server::db::accounts::NewUser;
use onewindow_server::db::Store;

pub type TestClient = Client<ReqwestTransport>;

/// A signed-in applicant: a citizen, or with `company` a member of that company. Returns
/// the client, the ID number and the phone number.
pub async fn applicant(
    server: &impl Served,
    company: Option<&str>,
) -> (TestClient, String, String) {
    let c = server.client();
    let id = unique_id_number();
    let phone = unique_phone();
    c.register(&RegisterRequest {
        id_number: id.clone(),
        name: "赵一".into(),
        phone: phone.clone(),
        password: "apply now 123".into(),
        company: company.map(|code| CompanyInput {
            credit_code: code.into(),
            name: "临江测试有限公司".into(),
        }),
        lang: None,
    })
    .await
    .unwrap();
    (c, id, phone)
}

/// A colleague of `member` in `company`: registered with its credit code, then confirmed
/// by `member` (before that a newcomer acts on none of the company's cases).
pub async fn colleague(
    server: &impl Served,
    company: &str,
    member: &TestClient,
) -> (TestClient, String, String) {
    let (c, id, phone) = applicant(server, Some(company)).await;
    let me = c.me().await.unwrap();
    member.decide_member(me.id, true).await.unwrap();
    (c, id, phone)
}

/// A staff (or, with `Role::Admin`, supervisor) account, signed in.
pub async fn officer(server: &impl Served, role: Role, department: Option<&str>) -> TestClient {
    let store = Store::connect(server.database_url(), 2).await.unwrap();
    let phone = unique_phone();
    let hash = onewindow_server::auth::hash_password("counter pass 9".into())
        .await
        .unwrap();
    store
        .create_user(&NewUser {
            role,
            name: "窗口人员",
            id_number: None,
            phone: &phone,
            password_hash: &hash,
            department,
            company: None,
            lang: Default::default(),
        })
        .await
        .unwrap();
    let c = server.client();
    c.login(&LoginRequest {
        login: phone,
        password: "counter pass 9".into(),
    })
    .await
    .unwrap();
    c
}

/// A staff account of `department`, signed in.
pub async fn staff(server: &impl Served, department: &str) -> TestClient {
    officer(server, Role::Staff, Some(department)).await
}

/// A valid unified social credit code no other test of this process uses.
pub fn unique_credit_code() -> String {
    let body = format!("91330102MA2{:06}", crate::serial());
    format!("{body}{}", credit_code_check_char(&body).unwrap())
}

/// An online item for `audience` whose first case's materials all take PDF and at least
/// one is required, with a form and at least three promised working days.
pub async fn pick_item(c: &TestClient, audience: Audience) -> ServiceItem {
    let q = ServiceQuery {
        audience: Some(audience),
        online: Some(true),
        per_page: Some(100),
        ..Default::default()
    };
    for s in c.services(&q).await.unwrap().items {
        let item = c.service(s.code.as_str()).await.unwrap();
        let case = &item.cases[0];
        if !item.form.is_empty()
            && item.time_limit.promised_working_days >= 3
            && case.materials.iter().any(|m| m.required)
            && case
                .materials
                .iter()
                .all(|m| m.formats.contains(&FileFormat::Pdf))
        {
            return item;
        }
    }
    panic!("no suitable demo item");
}

/// Valid values for every field of the item's form.
pub fn filled_form(item: &ServiceItem, id_number: &str) -> FormValues {
    item.form
        .iter()
        .map(|f| {
            let v = match f.kind {
                FieldKind::Number => "3".to_owned(),
                FieldKind::Date => "2026-03-02".to_owned(),
                FieldKind::Select => f.options[0].value.clone(),
                FieldKind::Phone => "13800138000".to_owned(),
                FieldKind::Email => "applicant@example.cn".to_owned(),
                FieldKind::IdNumber => id_number.to_owned(),
                FieldKind::CreditCode => unique_credit_code(),
                FieldKind::Text | FieldKind::Textarea => "测试".to_owned(),
            };
            (f.key.clone(), v)
        })
        .collect()
}

/// `len` bytes that sniff as PDF.
pub fn pdf(len: usize) -> Vec<u8> {
    let mut v = b"%PDF-1.7\n".to_vec();
    v.resize(len, b' ');
    v
}

/// A staff action with no details.
pub fn act(action: CaseAction) -> TransitionRequest {
    TransitionRequest {
        action,
        note: String::new(),
        problems: vec![],
        window: None,
        courier: None,
        tracking_number: None,
        consult: vec![],
    }
}

/// An empty draft of `item`'s first case: no form values, no materials.
pub async fn empty_draft(c: &TestClient, item: &ServiceItem) -> Application {
    c.create_application(&CreateApplicationRequest {
        item: item.code.clone(),
        case: item.cases[0].code.clone(),
        form: Default::default(),
        on_behalf_of: None,
    })
    .await
    .unwrap()
}

/// A complete draft of `item`'s first case with every material uploaded.
pub async fn complete_draft(c: &TestClient, item: &ServiceItem, id_number: &str) -> Application {
    let case = &item.cases[0];
    let app = c
        .create_application(&CreateApplicationRequest {
            item: item.code.clone(),
            case: case.code.clone(),
            form: filled_form(item, id_number),
            on_behalf_of: None,
        })
        .await
        .unwrap();
    for m in &case.materials {
        c.upload_material(app.id, &m.code, "scan.pdf", pdf(1500))
            .await
            .unwrap();
    }
    c.application(app.id).await.unwrap()
}

/// A complete application of `item`, submitted.
pub async fn submitted(c: &TestClient, item: &ServiceItem, id_number: &str) -> Application {
    let app = complete_draft(c, item, id_number).await;
    c.submit_application(app.id, &format!("submit-{}", app.id))
        .await
        .unwrap()
}

/// Takes a submitted case of the department of `lead` (its staff) to completed: accepted,
/// reviewed, approved, issued for pickup at window A05 and picked up.
pub async fn completed(lead: &TestClient, id: onewindow_api::ids::CaseId) {
    for action in [
        CaseAction::Accept,
        CaseAction::StartReview,
        CaseAction::Approve,
    ] {
        lead.transition(id, &act(action)).await.unwrap();
    }
    let pickup = TransitionRequest {
        window: Some("A05".into()),
        ..act(CaseAction::IssueForPickup)
    };
    lead.transition(id, &pickup).await.unwrap();
    lead.transition(id, &act(CaseAction::ConfirmPickup))
        .await
        .unwrap();
}

/// The demo city's working-day calendar, as the server loads it.
pub fn calendar() -> onewindow_api::workdays::WorkCalendar {
    let path = crate::repo_root().join("data/holidays/linjiang.json");
    let text = std::fs::read_to_string(path).unwrap();
    let cal: onewindow_api::workdays::HolidayCalendar = serde_json::from_str(&text).unwrap();
    onewindow_api::workdays::WorkCalendar::new(&cal).unwrap()
}

/// Today in the demo city (UTC+8).
pub fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// Milliseconds of 10:00 in the demo city on `date`.
pub fn ms_of(date: chrono::NaiveDate) -> i64 {
    date.and_hms_opt(2, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

/// Moves a case's acceptance (and, if given, decision) to other days, as if it had
/// happened then: the clock rules are tested on real stored cases.
pub async fn backdate(
    server: &TestServer,
    id: onewindow_api::ids::CaseId,
    accepted: chrono::NaiveDate,
    decided: Option<chrono::NaiveDate>,
) {
    let store = Store::connect(&server.database_url, 1).await.unwrap();
    sqlx::query("UPDATE applications SET accepted_at = $1, decided_at = COALESCE($2, decided_at) WHERE id = $3")
        .bind(ms_of(accepted))
        .bind(decided.map(ms_of))
        .bind(id.0)
        .execute(&store.pool)
        .await
        .unwrap();
    store.pool.close().await;
}
