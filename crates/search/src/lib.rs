//! Catalogue search for OneWindow. An in-memory inverted index of character n-grams over
//! each item's names, pinyin (full syllables and initials), keywords and code, so that
//! one- and two-character Chinese queries (护照, 证), pinyin ("shenfenzheng", "sfz") and
//! English ("id card") all work, with a typo-tolerant fallback for English words.
//! Pure Rust with no I/O: the server uses it, and the app can run it offline.

mod fuzzy;
mod normalize;

pub use normalize::{compact, pinyin_keys, terms};

use std::collections::{BTreeSet, HashMap};

/// The searchable text of one item. `doc` ids are the positions in the build order.
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    pub name_zh: String,
    pub name_en: String,
    pub keywords: Vec<String>,
    pub code: String,
}

/// One hit, best first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
    /// The hit needed the typo-tolerant fallback for at least one term.
    pub fuzzy: bool,
}

/// How much a match in each kind of key counts.
#[derive(Debug, Clone, Copy)]
enum KeyKind {
    NameZh,
    NameEn,
    PinyinFull,
    PinyinInitials,
    Keyword,
    KeywordPinyin,
    Code,
}

impl KeyKind {
    fn weight(self) -> f32 {
        match self {
            KeyKind::NameZh => 10.0,
            KeyKind::NameEn => 8.0,
            KeyKind::PinyinFull | KeyKind::PinyinInitials => 7.0,
            KeyKind::Keyword => 6.0,
            KeyKind::KeywordPinyin => 5.0,
            KeyKind::Code => 5.0,
        }
    }
}

#[derive(Debug)]
struct Key {
    doc: u32,
    kind: KeyKind,
    text: String,
}

/// Gram encodings: a pair of characters, one CJK character, or the first character of
/// a key (so that a one-letter query finds initials).
fn bigram(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 21) | u64::from(b as u32)
}
fn unigram(c: char) -> u64 {
    (1 << 62) | u64::from(c as u32)
}
fn first_char(c: char) -> u64 {
    (1 << 61) | u64::from(c as u32)
}

/// The index. Build once per catalogue version; searching takes `&self` and never blocks.
#[derive(Debug, Default)]
pub struct SearchIndex {
    keys: Vec<Key>,
    postings: HashMap<u64, Vec<u32>>,
    /// English words of names and keywords, for the typo-tolerant fallback.
    vocabulary: BTreeSet<String>,
    docs: u32,
}

impl SearchIndex {
    pub fn build(docs: &[SearchDoc]) -> SearchIndex {
        let mut index = SearchIndex { docs: docs.len() as u32, ..Default::default() };
        for (i, d) in docs.iter().enumerate() {
            let doc = i as u32;
            let (full, initials) = pinyin_keys(&d.name_zh);
            index.add(doc, KeyKind::NameZh, compact(&d.name_zh));
            index.add(doc, KeyKind::NameEn, compact(&d.name_en));
            index.add(doc, KeyKind::PinyinFull, full);
            index.add(doc, KeyKind::PinyinInitials, initials);
            index.add(doc, KeyKind::Code, compact(&d.code));
            for k in &d.keywords {
                let (full, initials) = pinyin_keys(k);
                let c = compact(k);
                if full != c {
                    index.add(doc, KeyKind::KeywordPinyin, full);
                    index.add(doc, KeyKind::KeywordPinyin, initials);
                }
                index.add(doc, KeyKind::Keyword, c);
            }
            for word in d.name_en.split(|c: char| !c.is_ascii_alphanumeric()).chain(
                d.keywords.iter().flat_map(|k| k.split(|c: char| !c.is_ascii_alphanumeric())),
            ) {
                if word.len() >= 3 {
                    index.vocabulary.insert(word.to_ascii_lowercase());
                }
            }
        }
        for list in index.postings.values_mut() {
            list.dedup();
            list.shrink_to_fit();
        }
        index
    }

    fn add(&mut self, doc: u32, kind: KeyKind, text: String) {
        if text.is_empty() {
            return;
        }
        let id = self.keys.len() as u32;
        let chars: Vec<char> = text.chars().collect();
        let mut grams = vec![first_char(chars[0])];
        grams.extend(chars.windows(2).map(|w| bigram(w[0], w[1])));
        grams.extend(chars.iter().filter(|c| normalize::is_cjk(**c)).map(|c| unigram(*c)));
        for g in grams {
            let list = self.postings.entry(g).or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
        self.keys.push(Key { doc, kind, text });
    }

    /// Number of documents indexed.
    pub fn len(&self) -> usize {
        self.docs as usize
    }

    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// Keys that contain `term` (compacted), from the postings, verified by substring.
    fn keys_with(&self, term: &str) -> Vec<u32> {
        let chars: Vec<char> = term.chars().collect();
        let grams: Vec<u64> = match chars.len() {
            0 => return Vec::new(),
            1 if normalize::is_cjk(chars[0]) => vec![unigram(chars[0])],
            1 => vec![first_char(chars[0])],
            _ => chars.windows(2).map(|w| bigram(w[0], w[1])).collect(),
        };
        let mut lists: Vec<&Vec<u32>> = Vec::with_capacity(grams.len());
        for g in &grams {
            match self.postings.get(g) {
                Some(l) => lists.push(l),
                None => return Vec::new(),
            }
        }
        lists.sort_by_key(|l| l.len());
        let mut result: Vec<u32> = lists[0].clone();
        for l in &lists[1..] {
            result.retain(|id| l.binary_search(id).is_ok());
            if result.is_empty() {
                break;
            }
        }
        // Bigrams present in a key do not prove the term is a substring once it has more
        // than two characters ("abca" holds "ab", "bc", "ca" but not "abcab").
        if chars.len() > 2 {
            result.retain(|id| self.keys[*id as usize].text.contains(term));
        }
        result
    }

    /// Per-document score of one term: the best matching key counts fully, every other
    /// matching key a quarter, so that an item matching in its name and its keywords
    /// ranks above one matching in its keywords only.
    fn score_term(&self, term: &str) -> HashMap<u32, f32> {
        let n = term.chars().count() as f32;
        let mut best: HashMap<u32, (f32, f32)> = HashMap::new();
        for id in self.keys_with(term) {
            let key = &self.keys[id as usize];
            let len = key.text.chars().count() as f32;
            let place = if key.text == term {
                2.0
            } else if key.text.starts_with(term) {
                1.5
            } else {
                1.0
            };
            let s = key.kind.weight() * place * (0.5 + 0.5 * n / len.max(n));
            let (max, sum) = best.entry(key.doc).or_insert((0.0, 0.0));
            *max = max.max(s);
            *sum += s;
        }
        best.into_iter().map(|(d, (max, sum))| (d, max + 0.25 * (sum - max))).collect()
    }

    /// Searches for `query`; every term must match (AND). An English term that matches
    /// nothing is replaced by the closest words of the vocabulary. `keep` filters
    /// documents (e.g. by audience). Hits are ordered by score, then by document id.
    pub fn search(&self, query: &str, keep: impl Fn(u32) -> bool) -> Vec<Hit> {
        let terms = terms(query);
        if terms.is_empty() {
            return Vec::new();
        }
        let mut total: Option<HashMap<u32, (f32, bool)>> = None;
        for term in &terms {
            let mut scores = self.score_term(term);
            let mut fuzzy = false;
            if scores.is_empty() && term.is_ascii() {
                fuzzy = true;
                for alt in self.corrections(term) {
                    for (doc, s) in self.score_term(&alt) {
                        let e = scores.entry(doc).or_insert(0.0);
                        *e = e.max(s * 0.7);
                    }
                }
            }
            total = Some(match total {
                None => scores.into_iter().map(|(d, s)| (d, (s, fuzzy))).collect(),
                Some(mut acc) => {
                    acc.retain(|d, _| scores.contains_key(d));
                    for (d, v) in acc.iter_mut() {
                        v.0 += scores[d];
                        v.1 |= fuzzy;
                    }
                    acc
                }
            });
        }
        let mut hits: Vec<Hit> = total
            .unwrap_or_default()
            .into_iter()
            .filter(|(d, _)| keep(*d))
            .map(|(doc, (score, fuzzy))| Hit { doc, score, fuzzy })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits
    }

    /// The vocabulary words closest to `term`, within the typos its length allows.
    fn corrections(&self, term: &str) -> Vec<String> {
        let max = fuzzy::allowed_typos(term);
        if max == 0 {
            return Vec::new();
        }
        let mut found: Vec<(usize, &String)> = self
            .vocabulary
            .iter()
            .filter_map(|w| fuzzy::distance_within(term, w, max).map(|d| (d, w)))
            .collect();
        found.sort();
        let best = found.first().map(|(d, _)| *d).unwrap_or(0);
        found.into_iter().take_while(|(d, _)| *d == best).take(5).map(|(_, w)| w.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
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
            doc("居民身份证首次申领", "Resident ID card: first application", &["身份证", "ID card"], "PSB-0101"),
            doc("普通护照签发", "Ordinary passport issuance", &["护照", "出国"], "PSB-0301"),
            doc("结婚登记", "Marriage registration", &["领证"], "CAB-0101"),
            doc("食品经营许可", "Food business licence", &["餐馆", "restaurant"], "AMR-0201"),
            doc("身份证遗失补领", "Resident ID card: replacement", &["身份证"], "PSB-0103"),
        ])
    }

    fn codes(index: &SearchIndex, q: &str) -> Vec<u32> {
        index.search(q, |_| true).iter().map(|h| h.doc).collect()
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
        let hits = i.search("pasport", |_| true);
        assert_eq!(hits.len(), 1);
        assert!(hits[0].fuzzy);
        assert_eq!(codes(&i, "Restaurant"), [3]);
    }

    #[test]
    fn ranking_prefers_names_and_exact_matches() {
        let i = index();
        // Both are ID card items; the one whose keyword is exactly the query ranks high,
        // ties resolve by document order.
        let hits = i.search("身份证", |_| true);
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [4, 0]);
    }

    #[test]
    fn nothing_found_and_filters() {
        let i = index();
        assert!(codes(&i, "火箭发射").is_empty());
        assert!(codes(&i, "   ").is_empty());
        assert!(codes(&i, "xyzzyq").is_empty());
        assert_eq!(i.search("证", |d| d == 2).len(), 1);
    }

    #[test]
    fn codes_are_searchable() {
        assert_eq!(codes(&index(), "psb-0301"), [1]);
    }
}
