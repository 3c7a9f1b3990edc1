//! Gram encodings of the index: a CJK character, a pair of characters, three Latin
//! characters, or the first character of a key, each packed into one `u64`; and the
//! intersection of posting lists.

use crate::normalize;

/// Gram encodings: a pair of characters, one CJK character, or the first character of
/// a key (so that a one-letter query finds initials).
pub(crate) fn bigram(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 21) | u64::from(b as u32)
}
pub(crate) fn unigram(c: char) -> u64 {
    (1 << 62) | u64::from(c as u32)
}
pub(crate) fn first_char(c: char) -> u64 {
    (1 << 61) | u64::from(c as u32)
}
/// Three ASCII characters (English words, pinyin), which make long Latin terms selective.
pub(crate) fn trigram(a: char, b: char, c: char) -> Option<u64> {
    (a.is_ascii() && b.is_ascii() && c.is_ascii()).then(|| {
        (1 << 60) | (u64::from(a as u32) << 16) | (u64::from(b as u32) << 8) | u64::from(c as u32)
    })
}

/// The grams a query term is looked up by: its CJK character or first letter when it is
/// one character long, its bigram when two, its trigrams (Latin) or bigrams when longer.
pub(crate) fn query_grams(chars: &[char]) -> Vec<u64> {
    match chars.len() {
        0 => Vec::new(),
        1 if normalize::is_cjk(chars[0]) => vec![unigram(chars[0])],
        1 => vec![first_char(chars[0])],
        2 => vec![bigram(chars[0], chars[1])],
        _ => match chars
            .windows(3)
            .map(|w| trigram(w[0], w[1], w[2]))
            .collect::<Option<Vec<_>>>()
        {
            Some(tri) => tri,
            None => chars.windows(2).map(|w| bigram(w[0], w[1])).collect(),
        },
    }
}

/// The intersection of two ascending lists, galloping through the longer one.
pub(crate) fn intersect(short: &[u32], long: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(short.len().min(long.len()));
    let mut rest = long;
    for &x in short {
        match rest.binary_search(&x) {
            Ok(i) => {
                out.push(x);
                rest = &rest[i + 1..];
            }
            Err(i) => rest = &rest[i..],
        }
        if rest.is_empty() {
            break;
        }
    }
    out
}
