//! Search: one and two Chinese characters, pinyin full and initials, English, typos,
//! nothing found, and bad queries; the corpus the app keeps searches like the server.

use onewindow_api::catalogue::Audience;
use onewindow_api::query::SearchQuery;
use onewindow_api::ErrorCode;
use onewindow_tests::{backends, TestServer};

fn q(s: &str) -> SearchQuery {
    SearchQuery {
        q: s.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn chinese_pinyin_and_english_find_the_id_card() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        for query in ["身份证", "shenfenzheng", "sfz", "ID card", "resident id"] {
            let r = c.search(&q(query)).await.unwrap();
            assert!(r.total > 0, "{backend:?}: {query} found nothing");
            let top = &r.hits[0].item;
            assert!(
                top.name.zh.contains("身份证") || top.name.en.to_lowercase().contains("id card"),
                "{backend:?}: {query} ranked {} first",
                top.name.zh
            );
        }
    }
}

#[tokio::test]
async fn one_and_two_character_queries() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        let r = c.search(&q("护照")).await.unwrap();
        assert!(r.total > 0);
        assert!(
            r.hits[0].item.name.zh.contains("护照"),
            "{}",
            r.hits[0].item.name.zh
        );
        let r = c.search(&q("婚")).await.unwrap();
        assert!(r.total > 0);
        assert!(r.hits.iter().take(3).all(|h| h.item.name.zh.contains('婚')));
        // Scores never increase down the list.
        assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score));
    }
}

#[tokio::test]
async fn english_typos_are_tolerated_and_flagged() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        let exact = c.search(&q("passport")).await.unwrap();
        assert!(exact.total > 0 && !exact.hits[0].fuzzy);
        let typo = c.search(&q("pasport")).await.unwrap();
        assert!(typo.total > 0, "no fuzzy hits");
        assert!(typo.hits[0].fuzzy);
        assert_eq!(typo.hits[0].item.code, exact.hits[0].item.code);
    }
}

#[tokio::test]
async fn nothing_found_paging_and_filters() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        let none = c.search(&q("量子火箭发射许可")).await.unwrap();
        assert_eq!(none.total, 0);
        assert!(none.hits.is_empty());

        let all = c
            .search(&SearchQuery {
                q: "证".into(),
                per_page: Some(100),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(all.total > 5);
        let p2 = c
            .search(&SearchQuery {
                q: "证".into(),
                page: Some(2),
                per_page: Some(3),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            p2.hits.iter().map(|h| &h.item.code).collect::<Vec<_>>(),
            all.hits[3..6]
                .iter()
                .map(|h| &h.item.code)
                .collect::<Vec<_>>()
        );

        let biz = c
            .search(&SearchQuery {
                q: "许可".into(),
                audience: Some(Audience::Business),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(biz.total > 0);
        assert!(biz
            .hits
            .iter()
            .all(|h| h.item.audiences.contains(&Audience::Business)));
    }
}

#[tokio::test]
async fn empty_and_overlong_queries_are_422() {
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        for bad in ["", "   ", &"长".repeat(101)] {
            let e = c.search(&q(bad)).await.unwrap_err();
            assert_eq!(e.code(), Some(ErrorCode::ValidationFailed), "{bad:?}");
            assert_eq!(e.status(), Some(422));
        }
    }
}

#[tokio::test]
async fn the_corpus_searched_offline_answers_like_the_server() {
    use onewindow_search::catalogue::Catalogue;
    for backend in backends() {
        let c = TestServer::shared(backend).client();
        let corpus = c.search_corpus().await.unwrap();
        let all = c
            .services(&onewindow_api::query::ServiceQuery {
                per_page: Some(1),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(corpus.len() as u64, all.total, "{backend:?}: every item");
        assert!(corpus.iter().any(|e| !e.keywords.is_empty()));
        assert!(corpus
            .windows(2)
            .all(|w| w[0].item.code.0 < w[1].item.code.0));
        let offline = Catalogue::build(corpus);
        for query in ["身份证", "sfz", "passport", "婚"] {
            let mut sq = q(query);
            sq.audience = Some(Audience::Individual);
            let online = c.search(&sq).await.unwrap();
            assert_eq!(offline.search(&sq).unwrap(), online, "{backend:?}: {query}");
        }
    }
}
