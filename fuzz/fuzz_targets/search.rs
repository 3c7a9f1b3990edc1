//! Fuzz target: the search query parser and ranking over the demo catalogue, as
//! `GET /api/v1/search` and the app's offline search run them. Any text, audience and
//! paging: never a panic; empty and over-long queries are refused; a page never holds
//! more than asked, never more than the total, and only items of the asked audience.

#![no_main]

use libfuzzer_sys::fuzz_target;
use onewindow_api::catalogue::{Audience, CatalogueDocument};
use onewindow_api::query::{CorpusEntry, SearchQuery, MAX_QUERY_CHARS};
use onewindow_search::catalogue::Catalogue;
use std::sync::OnceLock;

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/demo");
        let mut doc = CatalogueDocument::default();
        for entry in std::fs::read_dir(dir).expect("data/demo") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("file");
            let part: CatalogueDocument = serde_json::from_str(&text).expect("document");
            doc.departments.extend(part.departments);
            doc.items.extend(part.items);
        }
        let entries = doc
            .items
            .iter()
            .map(|item| {
                let department = doc
                    .departments
                    .iter()
                    .find(|d| d.code == item.department)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                CorpusEntry {
                    item: item.summary_with(department),
                    keywords: item.keywords.clone(),
                }
            })
            .collect();
        Catalogue::build(entries)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, text)) = data.split_first() else {
        return;
    };
    let audience = match control % 3 {
        0 => None,
        1 => Some(Audience::Individual),
        _ => Some(Audience::Business),
    };
    let query = SearchQuery {
        q: String::from_utf8_lossy(text).into_owned(),
        audience,
        page: (control & 0x10 != 0).then_some(u32::from(control >> 5)),
        per_page: (control & 0x08 != 0).then_some(u32::from(control)),
    };
    let trimmed = query.q.trim();
    match catalogue().search(&query) {
        Ok(page) => {
            assert!(!trimmed.is_empty() && trimmed.chars().count() <= MAX_QUERY_CHARS);
            assert!(page.hits.len() <= page.per_page as usize);
            assert!(page.hits.len() as u64 <= page.total);
            for hit in &page.hits {
                assert!(hit.score.is_finite());
                if let Some(a) = audience {
                    assert!(hit.item.audiences.contains(&a));
                }
            }
        }
        Err(_) => assert!(trimmed.is_empty() || trimmed.chars().count() > MAX_QUERY_CHARS),
    }
});
