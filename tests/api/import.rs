//! The catalogue importer: every bad record reported with its position and reason, and
//! a failed import changes nothing.

use onewindow_api::catalogue::CatalogueDocument;
use onewindow_server::db::Store;
use onewindow_server::import::{self, ImportError};
use onewindow_tests::{backends, fresh_postgres_database, postgres_admin_url, repo_root, Backend};

async fn store(backend: Backend, dir: &tempfile::TempDir) -> Store {
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}/import.db?mode=rwc", dir.path().display()),
        Backend::Postgres => fresh_postgres_database(&postgres_admin_url().unwrap(), "imp"),
    };
    Store::connect(&url, 4).await.unwrap()
}

#[tokio::test]
async fn a_bad_document_is_reported_whole_and_changes_nothing() {
    for backend in backends() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(backend, &dir).await;
        let demo = import::read_dir(&repo_root().join("data/demo")).unwrap();
        let base = CatalogueDocument {
            departments: demo.departments.clone(),
            themes: demo.themes.clone(),
            halls: demo.halls.clone(),
            items: vec![],
        };
        import::import(&store, &base).await.unwrap();
        assert_eq!(store.item_count().await.unwrap(), 0);

        let mut bad = CatalogueDocument {
            items: demo.items[..3].to_vec(),
            ..Default::default()
        };
        bad.items[1].department = "NO-SUCH-DEPT".into();
        bad.items[2].cases[0].materials[0].name.zh = "法律法规规定的其他材料".into();
        bad.items[2].name.en = String::new();
        // A hall in a time zone whose offset the server does not know: its opening
        // hours would silently be read as UTC.
        let mut hall = demo.halls[0].clone();
        hall.timezone = "Europe/Berlin".into();
        bad.halls = vec![hall];
        let err = import::import(&store, &bad).await.unwrap_err();
        let ImportError::Invalid(problems) = &err else {
            panic!("{err}")
        };
        let at: Vec<_> = problems
            .iter()
            .map(|p| (p.record.as_str(), p.path.as_str()))
            .collect();
        assert!(at.contains(&("items[1]", "department")), "{at:?}");
        assert!(
            at.contains(&("items[2]", "cases[0].materials[0].name")),
            "{at:?}"
        );
        assert!(at.contains(&("items[2]", "name")), "{at:?}");
        assert!(at.contains(&("halls[0]", "timezone")), "{at:?}");
        assert!(!at.iter().any(|(r, _)| *r == "items[0]"));
        assert!(err.to_string().contains("nothing was imported"));
        assert_eq!(
            store.item_count().await.unwrap(),
            0,
            "{backend:?}: a failed import stored something"
        );

        // The good records alone import, and importing again updates in place.
        let good = CatalogueDocument {
            items: demo.items[..1].to_vec(),
            ..Default::default()
        };
        import::import(&store, &good).await.unwrap();
        import::import(&store, &good).await.unwrap();
        assert_eq!(store.item_count().await.unwrap(), 1);
    }
}

#[test]
fn parse_errors_name_the_position() {
    let text = "{\n  \"items\": [\n    {\"code\": 5}\n  ]\n}";
    let err = import::parse_document(std::path::Path::new("x.json"), text).unwrap_err();
    let ImportError::Parse { at, line, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(at, "items[0].code");
    assert_eq!(*line, 3);
}
