//! Catalogue search for OneWindow. An in-memory inverted index of character n-grams over
//! each item's names, pinyin (full syllables and initials), keywords and code, so that
//! one- and two-character Chinese queries (护照, 证), pinyin ("shenfenzheng", "sfz") and
//! English ("id card") all work, with a typo-tolerant fallback for English words.
//! Pure Rust with no I/O: the server uses it, and the app can run it offline.

pub mod catalogue;
mod fuzzy;
mod grams;
mod normalize;

pub use normalize::{compact, pinyin_keys, terms};

use grams::{bigram, first_char, intersect, query_grams, trigram, unigram};

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

/// What scoring needs of a key, kept apart from its text so that scoring the thousands
/// of keys a one- or two-character query matches reads one compact array in order.
#[derive(Debug, Clone, Copy)]
struct KeyMeta {
    doc: u32,
    kind: KeyKind,
    /// Length in characters.
    len: u16,
    /// The first two characters, encoded as a bigram (the second is 0 for a
    /// one-character key).
    prefix: u64,
}

/// The result of a search: how many documents matched, and the best `limit` of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResult {
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// Per-document accumulators reused across searches on the same thread, so that a
/// query touching tens of thousands of documents allocates nothing and only resets what
/// it touched.
#[derive(Default)]
struct Scratch {
    term_max: Vec<f32>,
    term_sum: Vec<f32>,
    total: Vec<f32>,
    matched: Vec<u16>,
    fuzzy: Vec<bool>,
    touched_term: Vec<u32>,
    touched: Vec<u32>,
}

impl Scratch {
    fn fit(&mut self, docs: usize) {
        if self.total.len() < docs {
            self.term_max.resize(docs, 0.0);
            self.term_sum.resize(docs, 0.0);
            self.total.resize(docs, 0.0);
            self.matched.resize(docs, 0);
            self.fuzzy.resize(docs, false);
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The index. Build once per catalogue version; searching takes `&self` and never blocks.
#[derive(Debug, Default)]
pub struct SearchIndex {
    keys: Vec<KeyMeta>,
    /// All key texts back to back, in key order, so that verifying candidates (which
    /// come in ascending key order) reads memory forwards.
    text: String,
    /// Start of each key's text in `text`, plus one end offset.
    text_starts: Vec<u32>,
    postings: HashMap<u64, Vec<u32>>,
    /// English words of names and keywords, for the typo-tolerant fallback.
    vocabulary: BTreeSet<String>,
    docs: u32,
}

impl SearchIndex {
    pub fn build(docs: &[SearchDoc]) -> SearchIndex {
        let mut index = SearchIndex {
            docs: docs.len() as u32,
            ..Default::default()
        };
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
                d.keywords
                    .iter()
                    .flat_map(|k| k.split(|c: char| !c.is_ascii_alphanumeric())),
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
        grams.extend(chars.windows(3).filter_map(|w| trigram(w[0], w[1], w[2])));
        grams.extend(
            chars
                .iter()
                .filter(|c| normalize::is_cjk(**c))
                .map(|c| unigram(*c)),
        );
        for g in grams {
            let list = self.postings.entry(g).or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
        let len = chars.len().min(usize::from(u16::MAX)) as u16;
        let prefix = bigram(chars[0], chars.get(1).copied().unwrap_or('\0'));
        self.keys.push(KeyMeta {
            doc,
            kind,
            len,
            prefix,
        });
        if self.text_starts.is_empty() {
            self.text_starts.push(0);
        }
        self.text.push_str(&text);
        self.text_starts.push(self.text.len() as u32);
    }

    fn key_text(&self, id: u32) -> &str {
        let i = id as usize;
        &self.text[self.text_starts[i] as usize..self.text_starts[i + 1] as usize]
    }

    /// Number of documents indexed.
    pub fn len(&self) -> usize {
        self.docs as usize
    }

    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// Calls `f` with every key that contains `term` (compacted): the postings of its
    /// grams intersected, then verified by substring.
    fn keys_with(&self, term: &str, mut f: impl FnMut(u32)) {
        let chars: Vec<char> = term.chars().collect();
        let grams = query_grams(&chars);
        if grams.is_empty() {
            return;
        }
        let mut lists: Vec<&[u32]> = Vec::with_capacity(grams.len());
        for g in &grams {
            match self.postings.get(g) {
                Some(l) => lists.push(l),
                None => return,
            }
        }
        lists.sort_by_key(|l| l.len());
        lists.dedup_by(|a, b| std::ptr::eq(*a, *b));
        // One or two characters, or three Latin ones, are proven by their one gram.
        let exact_gram = chars.len() <= 2 || (chars.len() == 3 && term.is_ascii());
        if lists.len() == 1 && exact_gram {
            lists[0].iter().for_each(|id| f(*id));
            return;
        }
        let mut result: Vec<u32> = lists[0].to_vec();
        for l in &lists[1..] {
            result = intersect(&result, l);
            if result.is_empty() {
                return;
            }
        }
        // Grams present in a key do not prove the term is a substring of it ("abca"
        // holds "ab", "bc" and "ca" but not "abcab"): check the text.
        for id in result {
            if self.key_text(id).contains(term) {
                f(id);
            }
        }
    }

    /// Adds the score of `term` (times `factor`) to each matching document's term
    /// accumulators, recording first touches.
    fn score_term(&self, term: &str, factor: f32, s: &mut Scratch) {
        let chars: Vec<char> = term.chars().collect();
        let n_chars = chars.len();
        let n = n_chars as f32;
        let prefix = bigram(chars[0], chars.get(1).copied().unwrap_or('\0'));
        self.keys_with(term, |id| {
            let key = self.keys[id as usize];
            let len = f32::from(key.len);
            // Short terms are placed from the key's prefix alone, without its text.
            let starts = match n_chars {
                1 => key.prefix >> 21 == prefix >> 21,
                2 => key.prefix == prefix,
                _ => self.key_text(id).starts_with(term),
            };
            let place = if starts && usize::from(key.len) == n_chars {
                2.0
            } else if starts {
                1.5
            } else {
                1.0
            };
            let score = factor * key.kind.weight() * place * (0.5 + 0.5 * n / len.max(n));
            let d = key.doc as usize;
            if s.term_sum[d] == 0.0 {
                s.touched_term.push(key.doc);
            }
            s.term_max[d] = s.term_max[d].max(score);
            s.term_sum[d] += score;
        });
    }

    /// Searches for `query`; every term must match (AND). An English term that matches
    /// nothing is replaced by the closest words of the vocabulary. `keep` filters
    /// documents (e.g. by audience). Per term, the best matching key of a document counts
    /// fully and every other matching key a quarter, so that an item matching in its name
    /// and its keywords ranks above one matching in its keywords only. Returns the count
    /// of all matches and the best `limit`, ordered by score, then by document id.
    pub fn search(&self, query: &str, keep: impl Fn(u32) -> bool, limit: usize) -> SearchResult {
        let terms = terms(query);
        if terms.is_empty() || self.docs == 0 || terms.len() > usize::from(u16::MAX) {
            return SearchResult::default();
        }
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let s = &mut *guard;
            s.fit(self.docs as usize);
            for (ti, term) in terms.iter().enumerate() {
                self.score_term(term, 1.0, s);
                let fuzzy = s.touched_term.is_empty() && term.is_ascii();
                if fuzzy {
                    for alt in self.corrections(term) {
                        self.score_term(&alt, 0.7, s);
                    }
                }
                let ti = ti as u16;
                for &doc in &s.touched_term {
                    let d = doc as usize;
                    // Only documents that matched every earlier term stay in the race.
                    if s.matched[d] == ti {
                        s.total[d] += s.term_max[d] + 0.25 * (s.term_sum[d] - s.term_max[d]);
                        s.matched[d] = ti + 1;
                        s.fuzzy[d] |= fuzzy;
                        if ti == 0 {
                            s.touched.push(doc);
                        }
                    }
                    s.term_max[d] = 0.0;
                    s.term_sum[d] = 0.0;
                }
                s.touched_term.clear();
            }
            let all = terms.len() as u16;
            let mut hits = Vec::new();
            for &doc in &s.touched {
                let d = doc as usize;
                if s.matched[d] == all && keep(doc) {
                    hits.push(Hit {
                        doc,
                        score: s.total[d],
                        fuzzy: s.fuzzy[d],
                    });
                }
                s.total[d] = 0.0;
                s.matched[d] = 0;
                s.fuzzy[d] = false;
            }
            s.touched.clear();
            let total = hits.len();
            let order = |a: &Hit, b: &Hit| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc));
            if limit < hits.len() {
                if limit == 0 {
                    hits.clear();
                } else {
                    hits.select_nth_unstable_by(limit - 1, order);
                    hits.truncate(limit);
                }
            }
            hits.sort_by(order);
            SearchResult { total, hits }
        })
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
        found
            .into_iter()
            .take_while(|(d, _)| *d == best)
            .take(5)
            .map(|(_, w)| w.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests;
