//! Text normalisation and pinyin keys shared by indexing and querying.

use pinyin::ToPinyin;

/// Lowercases, folds full-width ASCII (Ｓ, ａ, １) to half-width and drops everything that
/// is neither a letter nor a digit (spaces, punctuation, brackets), so that "居民身份证（首次）"
/// and "居民身份证首次" compare equal.
pub fn compact(s: &str) -> String {
    s.chars().filter_map(fold_char).collect()
}

/// Splits a query into terms at whitespace and punctuation, each term compacted.
pub fn terms(s: &str) -> Vec<String> {
    s.split(|c: char| {
        c.is_whitespace() || (c.is_ascii_punctuation() && c != '-') || "，。、；：（）".contains(c)
    })
    .map(compact)
    .filter(|t| !t.is_empty())
    .collect()
}

fn fold_char(c: char) -> Option<char> {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_alphanumeric() {
        Some(c.to_lowercase().next().unwrap_or(c))
    } else {
        None
    }
}

/// Pinyin of the Chinese characters of `s`: the full syllables joined (`shenfenzheng`)
/// and the initials (`sfz`). Latin letters and digits are kept as they are, so that
/// "C1驾驶证" gives `c1jiashizheng` and `c1jsz`.
pub fn pinyin_keys(s: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    for (c, p) in s.chars().zip(s.to_pinyin()) {
        match p {
            Some(p) => {
                full.push_str(p.plain());
                initials.push_str(p.first_letter());
            }
            None => {
                if let Some(c) = fold_char(c) {
                    full.push(c);
                    initials.push(c);
                }
            }
        }
    }
    (full, initials)
}

/// True for characters of the CJK blocks, which are indexed one by one.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacting() {
        assert_eq!(compact("居民身份证（首次申领）"), "居民身份证首次申领");
        assert_eq!(compact("ＩＤ Card"), "idcard");
    }

    #[test]
    fn pinyin() {
        assert_eq!(pinyin_keys("身份证"), ("shenfenzheng".into(), "sfz".into()));
        assert_eq!(
            pinyin_keys("C1驾驶证"),
            ("c1jiashizheng".into(), "c1jsz".into())
        );
    }

    #[test]
    fn query_terms() {
        assert_eq!(terms(" id  card "), ["id", "card"]);
        assert_eq!(terms("护照，签注"), ["护照", "签注"]);
    }
}
