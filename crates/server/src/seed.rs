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
