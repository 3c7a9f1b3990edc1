//! Unit tests of the index: Chinese, pinyin, English, typos, ranking, filters.

use super::*;

fn doc(zh: &str, en: &str, kw: &[&str], code: &str) -> SearchDoc {
    SearchDoc {
        name_zh: zh.into(),
        name_en: en.into(),
        keywords: kw.iter().map(|s| s.to_string()).collect(),
        code: code.into(),
    }
}

fn index() -> SearchIndex {
    SearchIndex::build(&[
        doc(
            "居民身份证首次申领",
            "Resident ID card: first application",
            &["身份证", "ID card"],
            "PSB-0101",
        ),
        doc(
            "普通护照签发",
            "Ordinary passport issuance",
            &["护照", "出国"],
            "PSB-0301",
        ),
        doc("结婚登记", "Marriage registration", &["领证"], "CAB-0101"),
        doc(
            "食品经营许可",
            "Food business licence",
            &["餐馆", "restaurant"],
            "AMR-0201",
        ),
        doc(
            "身份证遗失补领",
            "Resident ID card: replacement",
            &["身份证"],
            "PSB-0103",
        ),
    ])
}

fn codes(index: &SearchIndex, q: &str) -> Vec<u32> {
    index
        .search(q, |_| true, 100)
        .hits
        .iter()
        .map(|h| h.doc)
        .collect()
}

#[test]
fn one_and_two_character_chinese() {
    let i = index();
    assert_eq!(codes(&i, "护照"), [1]);
    assert_eq!(codes(&i, "婚"), [2]);
    let hits = codes(&i, "证");
    assert!(hits.contains(&0) && hits.contains(&4) && hits.contains(&2));
}

#[test]
fn pinyin_full_and_initials() {
    let i = index();
    let full = codes(&i, "shenfenzheng");
    assert!(full.contains(&0) && full.contains(&4), "{full:?}");
    let init = codes(&i, "sfz");
    assert!(init.contains(&0) && init.contains(&4), "{init:?}");
    assert_eq!(codes(&i, "huzhao"), [1]);
}

#[test]
fn english_words_in_any_order_and_typos() {
    let i = index();
    assert_eq!(codes(&i, "passport"), [1]);
    let id = codes(&i, "card ID");
    assert!(id.contains(&0) && id.contains(&4));
    let hits = i.search("pasport", |_| true, 10).hits;
    assert_eq!(hits.len(), 1);
    assert!(hits[0].fuzzy);
    assert_eq!(codes(&i, "Restaurant"), [3]);
}

#[test]
fn ranking_prefers_names_and_exact_matches() {
    let i = index();
    // Both are ID card items; the one whose keyword is exactly the query ranks high,
    // ties resolve by document order.
    let hits = i.search("身份证", |_| true, 10).hits;
    assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [4, 0]);
}

#[test]
fn nothing_found_and_filters() {
    let i = index();
    assert!(codes(&i, "火箭发射").is_empty());
    assert!(codes(&i, "   ").is_empty());
    assert!(codes(&i, "xyzzyq").is_empty());
    assert_eq!(i.search("证", |d| d == 2, 10).total, 1);
    let top = i.search("证", |_| true, 2);
    assert_eq!((top.total, top.hits.len()), (3, 2));
    assert_eq!(top.hits[..], i.search("证", |_| true, 10).hits[..2]);
}

#[test]
fn codes_are_searchable() {
    assert_eq!(codes(&index(), "psb-0301"), [1]);
}
