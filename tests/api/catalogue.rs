//! Catalogue: filters, pagination, stable order, every demo guide complete.

use onewindow_api::catalogue::{Audience, Level};
use onewindow_api::check::check_item;
use onewindow_api::query::ServiceQuery;
use onewindow_tests::{backends, TestServer};
use std::collections::HashSet;

#[tokio::test]
async fn filters_and_pagination() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        let all = c
            .services(&ServiceQuery {
                per_page: Some(100),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(all.total >= 300, "{backend:?}: only {} items", all.total);
        assert_eq!(all.items.len(), 100);

        // Walking every page yields each item once, in code order.
        let mut seen = Vec::new();
        let mut page = 1;
        loop {
            let p = c
                .services(&ServiceQuery {
                    page: Some(page),
                    per_page: Some(50),
                    ..Default::default()
                })
                .await
                .unwrap();
            if p.items.is_empty() {
                break;
            }
            seen.extend(p.items.into_iter().map(|i| i.code.0));
            page += 1;
        }
        assert_eq!(seen.len() as u64, all.total);
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted, "{backend:?}: order is not stable");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len());

        let psb = c
            .services(&ServiceQuery {
                department: Some("PSB".into()),
                per_page: Some(100),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(psb.total > 0 && psb.items.iter().all(|i| i.department.as_str() == "PSB"));

        for level in [Level::City, Level::County, Level::Township, Level::Village] {
            let p = c
                .services(&ServiceQuery {
                    level: Some(level),
                    ..Default::default()
                })
                .await
                .unwrap();
            assert!(p.total > 0, "{backend:?}: no {level:?} items");
            assert!(p.items.iter().all(|i| i.level == level));
        }
        for audience in [Audience::Individual, Audience::Business] {
            let p = c
                .services(&ServiceQuery {
                    audience: Some(audience),
                    ..Default::default()
                })
                .await
                .unwrap();
            assert!(p.total > 0 && p.items.iter().all(|i| i.audiences.contains(&audience)));
        }
        let online = c
            .services(&ServiceQuery {
                online: Some(true),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(online.total > 0 && online.total < all.total);
        assert!(online.items.iter().all(|i| i.online.apply_online));

        let themes = c.themes().await.unwrap();
        let theme = themes
            .iter()
            .find(|t| t.item_count > 0)
            .expect("a theme with items");
        let p = c
            .services(&ServiceQuery {
                theme: Some(theme.code.clone()),
                per_page: Some(100),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(p.total, u64::from(theme.item_count));

        // Filters combine.
        let both = c
            .services(&ServiceQuery {
                department: Some("PSB".into()),
                audience: Some(Audience::Individual),
                online: Some(true),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(both
            .items
            .iter()
            .all(|i| i.department.as_str() == "PSB" && i.online.apply_online));

        // Beyond the last page: empty, not an error.
        let far = c
            .services(&ServiceQuery {
                page: Some(10_000),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(far.items.is_empty() && far.total == all.total);
    }
}

#[tokio::test]
async fn every_demo_guide_is_complete() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        let departments = c.departments().await.unwrap();
        assert!(departments.len() >= 12, "{} departments", departments.len());
        let halls = c.halls().await.unwrap();
        assert!(halls.len() >= 3);
        assert!(halls
            .iter()
            .all(|h| !h.windows.is_empty() && !h.hours.is_empty()));
        let themes = c.themes().await.unwrap();
        assert!(themes
            .iter()
            .any(|t| t.kind == onewindow_api::catalogue::ThemeKind::LifeEvent));

        let mut page = 1;
        let mut checked = 0;
        loop {
            let p = c
                .services(&ServiceQuery {
                    page: Some(page),
                    per_page: Some(100),
                    ..Default::default()
                })
                .await
                .unwrap();
            if p.items.is_empty() {
                break;
            }
            for summary in p.items {
                let guide = c.service(summary.code.as_str()).await.unwrap();
                let problems = check_item(&guide);
                assert!(problems.is_empty(), "{}: {problems:?}", guide.code);
                assert_eq!(guide.name, summary.name);
                for v in &guide.venues {
                    let hall = halls
                        .iter()
                        .find(|h| h.code == v.hall)
                        .expect("venue hall exists");
                    assert!(v
                        .windows
                        .iter()
                        .all(|w| hall.windows.iter().any(|hw| &hw.code == w)));
                }
                checked += 1;
            }
            page += 1;
        }
        assert!(checked >= 300);
    }
}

#[tokio::test]
async fn unknown_service_is_a_404_with_its_code() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        for code in ["NOPE-0000", "../../etc/passwd", "x"] {
            let e = c.service(code).await.unwrap_err();
            assert_eq!(e.status(), Some(404), "{code}");
            assert_eq!(e.code(), Some(onewindow_api::ErrorCode::NotFound));
        }
    }
}
