//! Completeness and consistency rules of the catalogue: a guide leaves nothing to guess
//! (every element of the 办事指南 present, in both languages, no catch-all clauses), and
//! an import document refers only to departments, themes, halls and windows that exist.

use crate::catalogue::{CatalogueDocument, Hall, Promise, ServiceItem, Theme};
use crate::ids::is_valid_code;
use crate::text::Text;
use std::collections::{HashMap, HashSet};

/// Phrases that stand for unnamed materials or conditions (兜底条款); a guide must name
/// every material instead.
const CATCH_ALL: [&str; 8] = [
    "其他材料",
    "其它材料",
    "规定的其他",
    "等材料",
    "other materials",
    "other documents required",
    "required by law and regulations",
    "and so on",
];

/// What a catch-all names when it is worded around: "其他相关证明", "等有关文件",
/// "other relevant documents".
const UNNAMED_ZH: [&str; 4] = ["材料", "证明", "文件", "资料"];
const VAGUE_ZH: [&str; 6] = [
    "其他相关",
    "其它相关",
    "其他有关",
    "其它有关",
    "等相关",
    "等有关",
];
const VAGUE_EN: [&str; 7] = [
    "relevant",
    "related",
    "necessary",
    "required",
    "supporting",
    "additional",
    "further",
];
const UNNAMED_EN: [&str; 5] = ["documents", "materials", "papers", "certificates", "proof"];

fn has_catch_all(t: &Text) -> bool {
    let en = t.en.to_lowercase();
    if CATCH_ALL.iter().any(|p| t.zh.contains(p) || en.contains(p)) {
        return true;
    }
    // 其他/等 + 相关/有关, then within a few characters 材料/证明/文件/资料.
    let vague_zh = VAGUE_ZH.iter().any(|v| {
        t.zh.match_indices(v).any(|(at, _)| {
            let rest: String = t.zh[at + v.len()..].chars().take(6).collect();
            UNNAMED_ZH.iter().any(|u| rest.contains(u))
        })
    });
    // "other" (and at most one word such as "relevant") then "documents" and the like.
    let words: Vec<&str> = en
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // ("other proof of death" names what it is: a following "of" says which.)
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    let vague_en = (0..words.len()).any(|i| {
        word(i) == "other"
            && ((UNNAMED_EN.contains(&word(i + 1)) && word(i + 2) != "of")
                || (VAGUE_EN.contains(&word(i + 1))
                    && UNNAMED_EN.contains(&word(i + 2))
                    && word(i + 3) != "of"))
    });
    vague_zh || vague_en
}

/// One problem of a record, with a path such as `cases[0].materials[2].name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub reason: String,
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            reason: reason.into(),
        });
    }

    fn text(&mut self, path: &str, t: &Text) {
        if !t.is_complete() {
            self.fail(path, "needs text in both zh and en");
        } else if has_catch_all(t) {
            self.fail(
                path,
                "contains a catch-all clause; name every material instead",
            );
        }
    }

    fn texts(&mut self, path: &str, ts: &[Text], at_least: usize) {
        if ts.len() < at_least {
            self.fail(path, format!("needs at least {at_least} entries"));
        }
        for (i, t) in ts.iter().enumerate() {
            self.text(&format!("{path}[{i}]"), t);
        }
    }
}

/// Checks that an item's guide is complete. Returns every problem found.
pub fn check_item(item: &ServiceItem) -> Vec<Problem> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    if !is_valid_code(item.code.as_str()) {
        c.fail(
            "code",
            "must be 2–40 characters of A–Z, a–z, 0–9, '-', '_' or '.'",
        );
    }
    c.text("name", &item.name);
    c.text("implementing_body", &item.implementing_body);
    c.text("summary", &item.summary);
    if item.audiences.is_empty() {
        c.fail("audiences", "needs at least one audience");
    }
    if item.legal_basis.is_empty() {
        c.fail("legal_basis", "needs at least one legal basis");
    }
    for (i, b) in item.legal_basis.iter().enumerate() {
        c.text(&format!("legal_basis[{i}].title"), &b.title);
        c.text(&format!("legal_basis[{i}].article"), &b.article);
    }
    if item.cases.is_empty() {
        c.fail("cases", "needs at least one handling case");
    }
    let mut case_codes = HashSet::new();
    for (i, case) in item.cases.iter().enumerate() {
        let p = format!("cases[{i}]");
        if !case_codes.insert(case.code.as_str()) || !is_valid_code(&case.code) {
            c.fail(
                format!("{p}.code"),
                "must be a valid code, unique within the item",
            );
        }
        c.text(&format!("{p}.name"), &case.name);
        c.texts(&format!("{p}.conditions"), &case.conditions, 1);
        if case.materials.is_empty() {
            c.fail(format!("{p}.materials"), "needs at least one material");
        }
        let mut slots = HashSet::new();
        for (j, m) in case.materials.iter().enumerate() {
            let mp = format!("{p}.materials[{j}]");
            if !slots.insert(m.code.as_str()) || !is_valid_code(&m.code) {
                c.fail(
                    format!("{mp}.code"),
                    "must be a valid code, unique within the case",
                );
            }
            c.text(&format!("{mp}.name"), &m.name);
            c.text(&format!("{mp}.requirements"), &m.requirements);
            if m.count == 0 {
                c.fail(format!("{mp}.count"), "must be at least 1");
            }
            if m.formats.is_empty() {
                c.fail(
                    format!("{mp}.formats"),
                    "needs at least one accepted format",
                );
            }
            if !(1..=100).contains(&m.max_size_mb) {
                c.fail(format!("{mp}.max_size_mb"), "must be between 1 and 100");
            }
            for (field, a) in [("blank_form", &m.blank_form), ("sample", &m.sample)] {
                if a.as_ref().is_some_and(|a| !is_safe_link(&a.url)) {
                    c.fail(format!("{mp}.{field}.url"), LINK_RULE);
                }
            }
        }
    }
    if !item.fees.free && item.fees.items.is_empty() {
        c.fail("fees.items", "a paid item needs its fees listed");
    }
    for (i, f) in item.fees.items.iter().enumerate() {
        c.text(&format!("fees.items[{i}].name"), &f.name);
        c.text(&format!("fees.items[{i}].basis"), &f.basis);
        if f.amount_fen < 0 {
            c.fail(
                format!("fees.items[{i}].amount_fen"),
                "must not be negative",
            );
        }
    }
    let t = &item.time_limit;
    if t.promised_working_days > t.legal_working_days {
        c.fail(
            "time_limit",
            "the promised limit must not exceed the legal limit",
        );
    }
    match t.promise {
        Promise::Instant if t.promised_working_days != 0 => c.fail(
            "time_limit.promised_working_days",
            "is 0 for an instant item",
        ),
        Promise::Promised if t.promised_working_days == 0 => c.fail(
            "time_limit.promised_working_days",
            "must be at least 1 for a promised item",
        ),
        _ => {}
    }
    if item.process.len() < 2 {
        c.fail("process", "needs at least two steps");
    }
    for (i, s) in item.process.iter().enumerate() {
        c.text(&format!("process[{i}].name"), &s.name);
        c.text(&format!("process[{i}].actor"), &s.actor);
        c.text(&format!("process[{i}].description"), &s.description);
    }
    c.text("result.name", &item.result.name);
    if item
        .result
        .sample
        .as_ref()
        .is_some_and(|s| !is_safe_link(&s.url))
    {
        c.fail("result.sample.url", LINK_RULE);
    }
    if item.result.delivery.is_empty() {
        c.fail("result.delivery", "needs at least one delivery method");
    }
    c.texts("rights", &item.rights, 1);
    c.texts("duties", &item.duties, 1);
    for (name, channels) in [
        ("consultation", &item.consultation),
        ("complaint", &item.complaint),
    ] {
        if channels.is_empty() {
            c.fail(name, "needs at least one channel");
        }
        for (i, ch) in channels.iter().enumerate() {
            if ch.value.trim().is_empty() {
                c.fail(format!("{name}[{i}].value"), "is required");
            }
            c.text(&format!("{name}[{i}].note"), &ch.note);
        }
    }
    if item.venues.is_empty() {
        c.fail("venues", "needs at least one hall");
    }
    for (i, v) in item.venues.iter().enumerate() {
        c.text(&format!("venues[{i}].floor"), &v.floor);
        if v.windows.is_empty() {
            c.fail(format!("venues[{i}].windows"), "needs at least one window");
        }
    }
    if item.faq.is_empty() {
        c.fail("faq", "needs at least one question");
    }
    for (i, f) in item.faq.iter().enumerate() {
        c.text(&format!("faq[{i}].question"), &f.question);
        c.text(&format!("faq[{i}].answer"), &f.answer);
    }
    let mut keys = HashSet::new();
    for (i, f) in item.form.iter().enumerate() {
        if !keys.insert(f.key.as_str()) || !is_valid_code(&f.key) {
            c.fail(
                format!("form[{i}].key"),
                "must be a valid key, unique within the form",
            );
        }
        c.text(&format!("form[{i}].label"), &f.label);
    }
    c.problems
}

/// Reference data a document may point at besides its own records (what the database
/// already holds), so that a file with only items can be imported.
#[derive(Debug, Default)]
pub struct KnownRefs {
    pub departments: HashSet<String>,
    pub themes: HashSet<String>,
    /// Hall code → window codes.
    pub halls: HashMap<String, HashSet<String>>,
    /// Item codes, for `parent` references.
    pub items: HashSet<String>,
}

/// A problem of one record of an import document, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    /// e.g. `items[12]`.
    pub record: String,
    /// The record's code when it has one.
    pub code: String,
    pub path: String,
    pub reason: String,
}

fn check_theme(t: &Theme) -> Vec<Problem> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    if !is_valid_code(t.code.as_str()) {
        c.fail("code", "is not a valid code");
    }
    c.text("name", &t.name);
    c.text("description", &t.description);
    c.problems
}

fn check_hall(h: &Hall) -> Vec<Problem> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    if !is_valid_code(h.code.as_str()) {
        c.fail("code", "is not a valid code");
    }
    c.text("name", &h.name);
    c.text("address", &h.address);
    if crate::workdays::utc_offset_seconds(&h.timezone).is_none() {
        c.fail(
            "timezone",
            "is not a time zone served (those of mainland China, Hong Kong, Macao and Taiwan, or UTC)",
        );
    }
    if h.hours.is_empty() {
        c.fail("hours", "needs opening hours");
    }
    for (i, p) in h.hours.iter().enumerate() {
        let ok = (1..=7).contains(&p.weekday)
            && matches!((parse_hhmm(&p.open), parse_hhmm(&p.close)), (Some(a), Some(b)) if a < b);
        if !ok {
            c.fail(
                format!("hours[{i}]"),
                "needs a weekday 1–7 and open < close as HH:MM",
            );
        }
    }
    if h.windows.is_empty() {
        c.fail("windows", "needs at least one window");
    }
    let mut codes = HashSet::new();
    for (i, w) in h.windows.iter().enumerate() {
        if !codes.insert(w.code.as_str()) {
            c.fail(format!("windows[{i}].code"), "is used twice in this hall");
        }
        c.text(&format!("windows[{i}].name"), &w.name);
    }
    c.problems
}

/// Whether a client's idempotency key is acceptable: 8 to 64 visible ASCII characters
/// (after trimming). Submitting an application and booking a slot both take one.
/// What a link of a guide (a blank form, a sample) may be.
const LINK_RULE: &str = "must be an http(s) address or a path on this site";

/// Whether a guide's link may be followed from a page: an http(s) address or a path on
/// the same site, never a `javascript:` or `data:` address.
pub fn is_safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (lower.starts_with('/') && !lower.starts_with("//"))
}

pub fn is_valid_idempotency_key(key: &str) -> bool {
    (8..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Minutes after midnight of an `HH:MM` time.
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Checks a whole import document against itself and `known`. Returns every problem of
/// every record, each with its position, so that the importer can report them all.
pub fn check_document(doc: &CatalogueDocument, known: &KnownRefs) -> Vec<RecordProblem> {
    let mut out = Vec::new();
    let mut push = |record: String, code: &str, problems: Vec<Problem>| {
        out.extend(problems.into_iter().map(|p| RecordProblem {
            record: record.clone(),
            code: code.to_owned(),
            path: p.path,
            reason: p.reason,
        }));
    };
    let mut departments = known.departments.clone();
    let mut seen = HashSet::new();
    for (i, d) in doc.departments.iter().enumerate() {
        let mut c = Checker {
            problems: Vec::new(),
        };
        if !is_valid_code(d.code.as_str()) || !seen.insert(d.code.as_str()) {
            c.fail("code", "must be a valid code, unique in the file");
        }
        c.text("name", &d.name);
        c.text("address", &d.address);
        push(format!("departments[{i}]"), d.code.as_str(), c.problems);
        departments.insert(d.code.0.clone());
    }
    let mut themes = known.themes.clone();
    let mut seen = HashSet::new();
    for (i, t) in doc.themes.iter().enumerate() {
        let mut problems = check_theme(t);
        if !seen.insert(t.code.as_str()) {
            problems.push(Problem {
                path: "code".into(),
                reason: "is used twice in the file".into(),
            });
        }
        push(format!("themes[{i}]"), t.code.as_str(), problems);
        themes.insert(t.code.0.clone());
    }
    let mut halls = known.halls.clone();
    let mut seen = HashSet::new();
    for (i, h) in doc.halls.iter().enumerate() {
        let mut problems = check_hall(h);
        if !seen.insert(h.code.as_str()) {
            problems.push(Problem {
                path: "code".into(),
                reason: "is used twice in the file".into(),
            });
        }
        for (j, w) in h.windows.iter().enumerate() {
            for d in &w.departments {
                if !departments.contains(d.as_str()) {
                    problems.push(Problem {
                        path: format!("windows[{j}].departments"),
                        reason: format!("unknown department {d}"),
                    });
                }
            }
        }
        push(format!("halls[{i}]"), h.code.as_str(), problems);
        halls.insert(
            h.code.0.clone(),
            h.windows.iter().map(|w| w.code.clone()).collect(),
        );
    }
    let codes: HashSet<&str> = doc.items.iter().map(|i| i.code.as_str()).collect();
    let mut seen = HashSet::new();
    for (i, item) in doc.items.iter().enumerate() {
        let mut problems = check_item(item);
        let mut fail = |path: &str, reason: String| {
            problems.push(Problem {
                path: path.to_owned(),
                reason,
            })
        };
        if !seen.insert(item.code.as_str()) {
            fail("code", "is used twice in the file".into());
        }
        if !departments.contains(item.department.as_str()) {
            fail(
                "department",
                format!("unknown department {}", item.department),
            );
        }
        for t in &item.themes {
            if !themes.contains(t.as_str()) {
                fail("themes", format!("unknown theme {t}"));
            }
        }
        if let Some(parent) = &item.parent {
            let exists = codes.contains(parent.as_str()) || known.items.contains(parent.as_str());
            if parent == &item.code || !exists {
                fail("parent", format!("unknown parent item {parent}"));
            }
        }
        for (j, v) in item.venues.iter().enumerate() {
            match halls.get(v.hall.as_str()) {
                None => fail(
                    &format!("venues[{j}].hall"),
                    format!("unknown hall {}", v.hall),
                ),
                Some(windows) => {
                    for w in v.windows.iter().filter(|w| !windows.contains(*w)) {
                        fail(
                            &format!("venues[{j}].windows"),
                            format!("hall {} has no window {w}", v.hall),
                        );
                    }
                }
            }
        }
        push(format!("items[{i}]"), item.code.as_str(), problems);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_8_to_64_visible_ascii() {
        assert!(is_valid_idempotency_key("abcd1234"));
        assert!(is_valid_idempotency_key(&"k".repeat(64)));
        assert!(!is_valid_idempotency_key("short"));
        assert!(!is_valid_idempotency_key(&"k".repeat(65)));
        assert!(!is_valid_idempotency_key("with space"));
        assert!(!is_valid_idempotency_key("密钥密钥密钥密钥"));
    }

    #[test]
    fn catch_all_clauses_are_found_in_either_language() {
        assert!(has_catch_all(&Text::new("法律法规规定的其他材料", "x")));
        assert!(has_catch_all(&Text::new(
            "x",
            "Other materials as required"
        )));
        assert!(!has_catch_all(&Text::new(
            "居民户口簿",
            "Household register"
        )));
        // Worded around.
        for zh in [
            "其他相关材料",
            "其它有关证明文件",
            "营业执照等相关证明材料",
            "其他相关资料",
        ] {
            assert!(has_catch_all(&Text::new(zh, "x")), "{zh}");
        }
        for en in [
            "Other relevant documents",
            "any other supporting papers",
            "Other documents",
            "other required certificates",
        ] {
            assert!(has_catch_all(&Text::new("x", en)), "{en}");
        }
        // Named materials that merely contain the words.
        for (zh, en) in [
            ("初等教育毕业证明", "Certificate of primary education"),
            ("其他地区居住证", "Residence permit of another region"),
            ("相关方身份证明", "Identity document of the other party"),
            (
                "医学死亡证明",
                "A medical death certificate or other proof of death",
            ),
        ] {
            assert!(!has_catch_all(&Text::new(zh, en)), "{zh} / {en}");
        }
    }

    #[test]
    fn only_web_and_site_links() {
        for ok in [
            "/forms/AMR-0101.pdf",
            "https://example.gov.cn/a",
            "http://x.example/b",
        ] {
            assert!(is_safe_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "//evil.example/x",
            "forms/x.pdf",
        ] {
            assert!(!is_safe_link(bad), "{bad}");
        }
    }

    #[test]
    fn hhmm() {
        assert_eq!(parse_hhmm("09:30"), Some(570));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("9:30"), None);
    }
}
