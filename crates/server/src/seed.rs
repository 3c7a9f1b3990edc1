//! Demo data: the bilingual demo catalogue from data files, and `--synthetic N`, which
//! derives N realistic extra items from it for benchmarks.

use onewindow_api::catalogue::{CatalogueDocument, ServiceItem};
use onewindow_api::ids::ItemCode;
use onewindow_api::Text;

/// Fictional places of the demo city: a synthetic item is a demo item offered by one of
/// them, the way counties and townships each list their own copy of an item.
const PLACES: [(&str, &str); 24] = [
    ("滨江区", "Binjiang District"),
    ("青山县", "Qingshan County"),
    ("白鹭镇", "Bailu Town"),
    ("桃源村", "Taoyuan Village"),
    ("临江新区", "Linjiang New Area"),
    ("东湖街道", "Donghu Subdistrict"),
    ("西岭乡", "Xiling Township"),
    ("南浦镇", "Nanpu Town"),
    ("北川县", "Beichuan County"),
    ("柳溪村", "Liuxi Village"),
    ("清河街道", "Qinghe Subdistrict"),
    ("石门镇", "Shimen Town"),
    ("云岭县", "Yunling County"),
    ("梅园社区", "Meiyuan Community"),
    ("江心洲", "Jiangxinzhou"),
    ("凤凰镇", "Fenghuang Town"),
    ("金沙乡", "Jinsha Township"),
    ("长乐街道", "Changle Subdistrict"),
    ("秀水村", "Xiushui Village"),
    ("龙泉县", "Longquan County"),
    ("望江区", "Wangjiang District"),
    ("松林镇", "Songlin Town"),
    ("翠湖社区", "Cuihu Community"),
    ("新桥乡", "Xinqiao Township"),
];

/// `n` items derived from the demo items of `base`, each with its own code.
pub fn synthetic(base: &CatalogueDocument, n: usize) -> Vec<ServiceItem> {
    let templates: Vec<&ServiceItem> = base.items.iter().filter(|i| i.parent.is_none()).collect();
    if templates.is_empty() {
        return Vec::new();
    }
    (0..n)
        .map(|k| {
            let t = templates[k % templates.len()];
            let round = k / templates.len();
            let (zh, en) = PLACES[round % PLACES.len()];
            let batch = round / PLACES.len();
            let mut item = t.clone();
            item.code = ItemCode(format!("SYN-{k:06}"));
            item.parent = None;
            item.name = if batch == 0 {
                Text::new(
                    format!("{zh}{}", t.name.zh),
                    format!("{} ({en})", t.name.en),
                )
            } else {
                Text::new(
                    format!("{zh}第{}服务点{}", batch + 1, t.name.zh),
                    format!("{} ({en}, service point {})", t.name.en, batch + 1),
                )
            };
            item
        })
        .collect()
}

/// The password of every demo account. Demo accounts exist only where someone asked for
/// them (`onewindow-server demo-accounts`, which `cargo xtask run` calls for local use).
pub const DEMO_PASSWORD: &str = "onewindow demo 2026";

/// One demo account: who it is and how to sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub role: onewindow_api::account::Role,
    pub name: String,
    pub phone: String,
    pub department: Option<String>,
    /// False when it already existed.
    pub created: bool,
}

/// Creates the demo accounts that do not exist yet: a citizen (13800000001), a business
/// member (13800000002), staff of every department (139000000NN, in department order) and
/// a supervisor (13900009999), all with `DEMO_PASSWORD`.
pub async fn demo_accounts(store: &crate::db::Store) -> anyhow::Result<Vec<DemoAccount>> {
    use crate::db::accounts::NewUser;
    use onewindow_api::account::Role;
    use onewindow_api::idnum::{credit_code_check_char, resident_id_check_char};

    let hash = crate::auth::hash_password(DEMO_PASSWORD.to_owned()).await?;
    let id_body = "33010219850315002";
    let id_number = format!(
        "{id_body}{}",
        resident_id_check_char(id_body).unwrap_or('0')
    );
    let code_body = "91330100MA2DEMO01";
    let credit = format!(
        "{code_body}{}",
        credit_code_check_char(code_body).unwrap_or('0')
    );
    let member_body = "33010219900620003";
    let member_id = format!(
        "{member_body}{}",
        resident_id_check_char(member_body).unwrap_or('0')
    );
    // Role, name, phone, department, ID number.
    type Wanted = (Role, String, String, Option<String>, Option<String>);
    let mut wanted: Vec<Wanted> = vec![
        (
            Role::Citizen,
            "林小满".into(),
            "13800000001".into(),
            None,
            Some(id_number),
        ),
        (
            Role::BusinessMember,
            "周启航".into(),
            "13800000002".into(),
            None,
            Some(member_id),
        ),
    ];
    for (i, d) in store.departments().await?.iter().enumerate() {
        wanted.push((
            Role::Staff,
            format!("{}窗口", d.name.zh),
            format!("139000000{:02}", i + 1),
            Some(d.code.as_str().to_owned()),
            None,
        ));
    }
    wanted.push((
        Role::Admin,
        "效能督查".into(),
        "13900009999".into(),
        None,
        None,
    ));
    let mut out = Vec::new();
    for (role, name, phone, department, id) in wanted {
        let exists = store.user_by_login(&phone).await?.is_some();
        if !exists {
            store
                .create_user(&NewUser {
                    role,
                    name: &name,
                    id_number: id.as_deref(),
                    phone: &phone,
                    password_hash: &hash,
                    department: department.as_deref(),
                    company: (role == Role::BusinessMember)
                        .then_some((credit.as_str(), "临江示例科技有限公司")),
                    lang: Default::default(),
                })
                .await?;
        }
        out.push(DemoAccount {
            role,
            name,
            phone,
            department,
            created: !exists,
        });
    }
    Ok(out)
}
