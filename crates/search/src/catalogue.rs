//! The catalogue search both sides run: the server over its catalogue snapshot, and the
//! app over the corpus it keeps (`GET /api/v1/search/corpus`) when the server cannot be
//! reached. Same checks of the query, same ranking, same paging and audience filter, so
//! an offline answer reads like the server's.

use crate::{SearchDoc, SearchIndex};
use onewindow_api::catalogue::{Audience, ServiceSummary};
use onewindow_api::query::{
    paging, CorpusEntry, SearchHit, SearchQuery, SearchResponse, MAX_QUERY_CHARS,
};

/// A query the search refuses, as a field error of `q`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryProblem {
    pub code: &'static str,
    pub message: &'static str,
}

/// The searchable catalogue: the corpus in code order and its index.
#[derive(Debug, Default)]
pub struct Catalogue {
    entries: Vec<CorpusEntry>,
    index: SearchIndex,
    /// Per document: bit 0 individual, bit 1 business; filters without touching entries.
    audiences: Vec<u8>,
}

fn audience_bit(a: Audience) -> u8 {
    match a {
        Audience::Individual => 1,
        Audience::Business => 2,
    }
}

impl Catalogue {
    pub fn build(entries: Vec<CorpusEntry>) -> Catalogue {
        let docs: Vec<SearchDoc> = entries
            .iter()
            .map(|e| SearchDoc {
                name_zh: e.item.name.zh.clone(),
                name_en: e.item.name.en.clone(),
                keywords: e.keywords.clone(),
                code: e.item.code.0.clone(),
            })
            .collect();
        let audiences = entries
            .iter()
            .map(|e| e.item.audiences.iter().fold(0, |m, a| m | audience_bit(*a)))
            .collect();
        Catalogue {
            index: SearchIndex::build(&docs),
            entries,
            audiences,
        }
    }

    /// Every item with its keywords, in code order.
    pub fn corpus(&self) -> &[CorpusEntry] {
        &self.entries
    }

    /// The list view of document `doc`.
    pub fn summary(&self, doc: u32) -> Option<&ServiceSummary> {
        self.entries.get(doc as usize).map(|e| &e.item)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether document `doc` serves `audience`.
    pub fn has_audience(&self, doc: u32, audience: Audience) -> bool {
        self.audiences
            .get(doc as usize)
            .is_some_and(|m| m & audience_bit(audience) != 0)
    }

    /// The index itself, for benchmarks that time the ranking alone.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// One page of the ranked hits of `q`: `GET /api/v1/search`.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResponse, QueryProblem> {
        let query = q.q.trim();
        if query.is_empty() {
            return Err(QueryProblem {
                code: "required",
                message: "type something to search for",
            });
        }
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryProblem {
                code: "too_long",
                message: "use at most 100 characters",
            });
        }
        let (page, per_page) = paging(q.page, q.per_page);
        let start = ((page - 1) as usize).saturating_mul(per_page as usize);
        let result = self.index.search(
            query,
            |doc| q.audience.is_none_or(|a| self.has_audience(doc, a)),
            start.saturating_add(per_page as usize),
        );
        let hits = result
            .hits
            .iter()
            .skip(start)
            .filter_map(|h| {
                self.summary(h.doc).map(|item| SearchHit {
                    item: item.clone(),
                    score: h.score,
                    fuzzy: h.fuzzy,
                })
            })
            .collect();
        Ok(SearchResponse {
            query: query.to_owned(),
            hits,
            total: result.total as u64,
            page,
            per_page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onewindow_api::catalogue::ServiceItem;
    use onewindow_api::ids::ItemCode;
    use onewindow_api::Text;

    fn entry(code: &str, zh: &str, en: &str, keywords: &[&str], audience: Audience) -> CorpusEntry {
        let item: ServiceItem =
            serde_json::from_str(include_str!("../../api/tests/fixtures/item.json")).unwrap();
        let mut summary = item.summary_with(Text::new("公安局", "Public Security"));
        summary.code = ItemCode(code.to_owned());
        summary.name = Text::new(zh, en);
        summary.audiences = vec![audience];
        CorpusEntry {
            item: summary,
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    fn query(q: &str) -> SearchQuery {
        SearchQuery {
            q: q.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn ranks_filters_and_pages_like_the_server() {
        let catalogue = Catalogue::build(vec![
            entry(
                "A-1",
                "普通护照签发",
                "Passport issue",
                &["护照", "出国"],
                Audience::Individual,
            ),
            entry(
                "A-2",
                "居民身份证",
                "Resident ID card",
                &["身份证"],
                Audience::Individual,
            ),
            entry(
                "B-1",
                "出国劳务备案",
                "Overseas labour filing",
                &["出国"],
                Audience::Business,
            ),
        ]);
        assert_eq!(catalogue.len(), 3);
        let r = catalogue.search(&query("护照")).unwrap();
        assert_eq!(r.total, 1);
        assert_eq!(r.hits[0].item.code.0, "A-1");
        // Pinyin initials, as on the server.
        assert_eq!(
            catalogue.search(&query("sfz")).unwrap().hits[0].item.code.0,
            "A-2"
        );
        // The audience filter and paging.
        let mut q = query("出国");
        assert_eq!(catalogue.search(&q).unwrap().total, 2);
        q.audience = Some(Audience::Business);
        let r = catalogue.search(&q).unwrap();
        assert_eq!((r.total, r.hits[0].item.code.0.as_str()), (1, "B-1"));
        let mut q = query("出国");
        q.per_page = Some(1);
        q.page = Some(2);
        let r = catalogue.search(&q).unwrap();
        assert_eq!((r.total, r.hits.len(), r.page, r.per_page), (2, 1, 2, 1));
        // What the server refuses, refused here too.
        assert_eq!(catalogue.search(&query("  ")).unwrap_err().code, "required");
        assert_eq!(
            catalogue
                .search(&query(&"证".repeat(101)))
                .unwrap_err()
                .code,
            "too_long"
        );
    }
}
