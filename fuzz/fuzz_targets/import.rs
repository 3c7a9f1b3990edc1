//! Fuzz target: the catalogue importer as `onewindow-server import` runs it, parsing a
//! document and checking it against the references of the demo catalogue. It never
//! panics, and a document that passes the checks survives a round trip unchanged (what
//! the importer stores is what it read).

#![no_main]

use libfuzzer_sys::fuzz_target;
use onewindow_api::catalogue::CatalogueDocument;
use onewindow_api::check::{check_document, KnownRefs};
use std::sync::OnceLock;

/// The departments, themes, halls and items of the demo catalogue, as the store knows
/// them after the demo import.
fn known() -> &'static KnownRefs {
    static KNOWN: OnceLock<KnownRefs> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut refs = KnownRefs::default();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/demo");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("data/demo")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("demo file");
            let doc: CatalogueDocument = serde_json::from_str(&text).expect("demo document");
            refs.departments
                .extend(doc.departments.iter().map(|d| d.code.0.clone()));
            refs.themes
                .extend(doc.themes.iter().map(|t| t.code.0.clone()));
            for hall in doc.halls {
                refs.halls.insert(
                    hall.code.0,
                    hall.windows.into_iter().map(|w| w.code).collect(),
                );
            }
            refs.items
                .extend(doc.items.iter().map(|i| i.code.0.clone()));
        }
        refs
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<CatalogueDocument>(data) else {
        return;
    };
    if !check_document(&doc, known()).is_empty() {
        return;
    }
    let text = serde_json::to_string(&doc).expect("a checked document serialises");
    let again: CatalogueDocument = serde_json::from_str(&text).expect("and parses back");
    assert_eq!(doc, again);
});
