//! The automatic pre-review (机器预审): the same rules in the app (instantly, before any
//! upload) and on the server (authoritatively). It returns ALL problems at once, so that
//! the one-time notice (一次性告知) names every field and material to fix.

use crate::account::is_mobile_number;
use crate::application::{FormValues, NoticeProblem, NoticeSource, NoticeTarget, MAX_FIELD_CHARS};
use crate::catalogue::{FieldKind, FileFormat, FormField, HandlingCase, ServiceItem};
use crate::idnum::{CreditCode, ResidentId};
use crate::text::Text;
use chrono::NaiveDate;

/// What the pre-review needs to know of an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    pub slot: String,
    pub format: FileFormat,
    pub size: u64,
}

fn problem(target: NoticeTarget, reason: &str, zh: String, en: String) -> NoticeProblem {
    NoticeProblem {
        target,
        reason: reason.to_owned(),
        message: Text::new(zh, en),
        source: NoticeSource::Automatic,
    }
}

/// The handling case `code` of `item`.
pub fn find_case<'a>(item: &'a ServiceItem, code: &str) -> Option<&'a HandlingCase> {
    item.cases.iter().find(|c| c.code == code)
}

/// Checks one form value against its field; `None` when it is fine. `today` is the
/// caller's date (an ID number's birth date may not be after it).
pub fn check_field(
    field: &FormField,
    value: Option<&str>,
    today: NaiveDate,
) -> Option<NoticeProblem> {
    let target = NoticeTarget::Field(field.key.clone());
    let label = &field.label;
    let value = value.map(str::trim).unwrap_or("");
    if value.is_empty() {
        return field.required.then(|| {
            problem(
                target,
                "missing",
                format!("请填写“{}”。", label.zh),
                format!("Fill in “{}”.", label.en),
            )
        });
    }
    let chars = value.chars().count();
    let max = field
        .max_length
        .map(|m| m as usize)
        .unwrap_or(MAX_FIELD_CHARS)
        .min(MAX_FIELD_CHARS);
    if chars > max {
        return Some(problem(
            target,
            "too_long",
            format!("“{}”最多{}个字。", label.zh, max),
            format!("“{}” takes at most {max} characters.", label.en),
        ));
    }
    let bad = |reason: &str, zh: &str, en: &str| {
        Some(problem(
            NoticeTarget::Field(field.key.clone()),
            reason,
            format!("“{}”{}", label.zh, zh),
            format!("“{}” {}", label.en, en),
        ))
    };
    match field.kind {
        FieldKind::Text | FieldKind::Textarea => None,
        FieldKind::Number if value.parse::<f64>().map(f64::is_finite) != Ok(true) => {
            bad("number", "应为数字。", "must be a number.")
        }
        FieldKind::Date if NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() => bad(
            "date",
            "应为日期，格式如 2026-05-01。",
            "must be a date such as 2026-05-01.",
        ),
        FieldKind::Select if !field.options.iter().any(|o| o.value == value) => {
            bad("option", "请从选项中选择。", "must be one of the choices.")
        }
        FieldKind::Phone if !is_mobile_number(value) => bad(
            "format",
            "应为11位手机号码。",
            "must be an 11-digit mobile number.",
        ),
        FieldKind::Email if !looks_like_email(value) => bad(
            "format",
            "不是有效的电子邮箱。",
            "is not a valid e-mail address.",
        ),
        FieldKind::IdNumber => ResidentId::parse_on(value, today).err().and_then(|e| {
            use crate::idnum::IdNumberError as E;
            // What is wrong, so the applicant knows which digits to look at.
            let (zh, en) = match e {
                E::Length if value.len() == 15 && value.bytes().all(|b| b.is_ascii_digit()) => (
                    "是旧的 15 位号码，请填写现行的 18 位身份证号码。",
                    "is an old 15-digit number; enter the current 18-character ID number.",
                ),
                E::Length => ("应为 18 位。", "must have 18 characters."),
                E::Charset => (
                    "只能包含数字，末位可以是 X。",
                    "may hold only digits, and an X as its last character.",
                ),
                E::Region => (
                    "的前两位不是有效的地区代码。",
                    "does not begin with a valid region code.",
                ),
                E::BirthDate => (
                    "中的出生日期不存在或晚于今天。",
                    "holds a birth date that does not exist or lies after today.",
                ),
                E::CheckDigit => (
                    "的末位校验码不符，请逐位核对。",
                    "does not end with the right check character; check each digit.",
                ),
            };
            bad(e.reason(), zh, en)
        }),
        FieldKind::CreditCode => CreditCode::parse(value).err().and_then(|e| {
            bad(
                e.reason(),
                "不是有效的统一社会信用代码。",
                "is not a valid unified social credit code.",
            )
        }),
        _ => None,
    }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// The automatic pre-review of an application: every problem of its form and its
/// materials, in the order of the guide (form fields first, then material slots).
pub fn review(
    item: &ServiceItem,
    case_code: &str,
    form: &FormValues,
    files: &[UploadedFile],
    today: NaiveDate,
) -> Vec<NoticeProblem> {
    let Some(case) = find_case(item, case_code) else {
        return vec![problem(
            NoticeTarget::Application,
            "unknown_case",
            "所选办理情形不存在，请重新选择。".into(),
            "The chosen handling case does not exist; choose again.".into(),
        )];
    };
    let mut out: Vec<NoticeProblem> = item
        .form
        .iter()
        .filter_map(|f| check_field(f, form.get(&f.key).map(String::as_str), today))
        .collect();
    for key in form
        .keys()
        .filter(|k| !item.form.iter().any(|f| &f.key == *k))
    {
        out.push(problem(
            NoticeTarget::Field(key.clone()),
            "unknown_field",
            format!("“{key}”不是本事项的表单项。"),
            format!("“{key}” is not a field of this form."),
        ));
    }
    for m in &case.materials {
        let target = || NoticeTarget::Material(m.code.clone());
        let mine: Vec<&UploadedFile> = files.iter().filter(|f| f.slot == m.code).collect();
        if mine.is_empty() && m.required {
            out.push(problem(
                target(),
                "missing",
                format!("缺少材料“{}”：{}", m.name.zh, m.requirements.zh),
                format!("Missing material “{}”: {}", m.name.en, m.requirements.en),
            ));
        }
        for f in mine {
            if !m.formats.contains(&f.format) {
                let allowed: Vec<&str> = m.formats.iter().map(|x| x.extension()).collect();
                out.push(problem(
                    target(),
                    "format",
                    format!("“{}”只接受 {} 格式。", m.name.zh, allowed.join("、")),
                    format!("“{}” accepts only {}.", m.name.en, allowed.join(", ")),
                ));
            }
            if f.size > u64::from(m.max_size_mb) * 1024 * 1024 {
                out.push(problem(
                    target(),
                    "too_large",
                    format!("“{}”的单个文件不能超过 {} MB。", m.name.zh, m.max_size_mb),
                    format!(
                        "Each file of “{}” must be at most {} MB.",
                        m.name.en, m.max_size_mb
                    ),
                ));
            }
        }
    }
    for f in files
        .iter()
        .filter(|f| !case.materials.iter().any(|m| m.code == f.slot))
    {
        out.push(problem(
            NoticeTarget::Material(f.slot.clone()),
            "unknown_slot",
            format!("“{}”不是本办理情形需要的材料，请删除。", f.slot),
            format!(
                "“{}” is not a material of this handling case; remove it.",
                f.slot
            ),
        ));
    }
    out
}

/// Whether the applicant may change `target` while a correction (补正) is open: only what
/// the staff's notice (`problems`, of either source) names, and whatever the automatic
/// pre-review of the case as stored (`automatic`) still refuses. Everything else was
/// checked and stays as it was. The app locks the other fields and slots; the server
/// refuses changes to them.
pub fn correctable(
    problems: &[NoticeProblem],
    automatic: &[NoticeProblem],
    target: &NoticeTarget,
) -> bool {
    problems
        .iter()
        .filter(|p| p.source == NoticeSource::Staff)
        .chain(automatic)
        .any(|p| &p.target == target)
}

/// What a staff correction notice may point at, by its name in the guide (in both
/// languages, as the timeline keeps it): a field of the item's form or a material of the
/// case's handling case; `None` for anything else, which the applicant could not fix
/// (an unknown field or slot, or the application as a whole).
pub fn notice_target_name<'a>(
    item: &'a ServiceItem,
    case_code: &str,
    target: &NoticeTarget,
) -> Option<&'a Text> {
    match target {
        NoticeTarget::Field(key) => item.form.iter().find(|f| &f.key == key).map(|f| &f.label),
        NoticeTarget::Material(code) => find_case(item, case_code)?
            .materials
            .iter()
            .find(|m| &m.code == code)
            .map(|m| &m.name),
        NoticeTarget::Application => None,
    }
}

/// The fields a save of `new` over `old` changes (a value set, changed or cleared), in
/// key order: what a correction must allow, and what its audit record names.
pub fn changed_fields<'a>(old: &'a FormValues, new: &'a FormValues) -> Vec<&'a str> {
    old.keys()
        .chain(new.keys())
        .filter(|k| old.get(*k) != new.get(*k))
        .map(String::as_str)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// `form` with every resident ID number masked (`1101**********1234`), for everyone who
/// only reads a case: DOMAIN keeps the number in clear on its owner's profile and in the
/// form its applicant is still editing, and nowhere else.
pub fn masked_form(item: &ServiceItem, form: &FormValues) -> FormValues {
    form.iter()
        .map(|(key, value)| {
            let id = item
                .form
                .iter()
                .any(|f| &f.key == key && f.kind == FieldKind::IdNumber);
            let shown = if id {
                crate::idnum::mask_id_number(value)
            } else {
                value.clone()
            };
            (key.clone(), shown)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The day the tests are "run" on.
    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }
    use crate::catalogue::{FieldOption, Material, MaterialForm};

    #[test]
    fn a_notice_names_only_what_the_applicant_can_fix() {
        let item = item();
        let case = item.cases[0].code.clone();
        let field_target = NoticeTarget::Field("name".into());
        assert_eq!(
            notice_target_name(&item, &case, &field_target),
            Some(&item.form[0].label)
        );
        let slot = NoticeTarget::Material("id-card".into());
        assert_eq!(
            notice_target_name(&item, &case, &slot),
            Some(&item.cases[0].materials[0].name)
        );
        for wrong in [
            NoticeTarget::Field("nope".into()),
            NoticeTarget::Material("nope".into()),
            NoticeTarget::Application,
        ] {
            assert_eq!(notice_target_name(&item, &case, &wrong), None, "{wrong:?}");
        }
        assert_eq!(notice_target_name(&item, "no-such-case", &slot), None);
    }

    #[test]
    fn an_id_number_problem_says_what_is_wrong() {
        let f = field("id", FieldKind::IdNumber, true);
        let said = |v: &str| {
            let p = check_field(&f, Some(v), day()).unwrap();
            (p.reason, p.message.en)
        };
        let (reason, en) = said("110105491231002");
        assert_eq!(reason, "length");
        assert!(en.contains("old 15-digit"), "{en}");
        assert!(said("1101054912310").1.contains("18 characters"));
        let first17 = "11010520991231001";
        let future = format!(
            "{first17}{}",
            crate::idnum::resident_id_check_char(first17).unwrap()
        );
        let (reason, en) = said(&future);
        assert_eq!(reason, "birth_date");
        assert!(en.contains("after today"), "{en}");
        assert!(said("110105194912310021").1.contains("check character"));
    }

    #[test]
    fn changed_fields_are_set_changed_or_cleared_ones() {
        let form = |pairs: &[(&str, &str)]| -> FormValues {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let old = form(&[("name", "李晓梅"), ("phone", "13800000000"), ("note", "x")]);
        let new = form(&[
            ("name", "李晓梅"),
            ("phone", "13900000000"),
            ("addr", "临江"),
        ]);
        assert_eq!(changed_fields(&old, &new), ["addr", "note", "phone"]);
        assert!(changed_fields(&old, &old).is_empty());
        // Clearing a value to an empty string is a change too.
        let emptied = form(&[("name", ""), ("phone", "13800000000"), ("note", "x")]);
        assert_eq!(changed_fields(&old, &emptied), ["name"]);
    }

    fn field(key: &str, kind: FieldKind, required: bool) -> FormField {
        FormField {
            key: key.into(),
            label: Text::new(key, key),
            kind,
            required,
            help: None,
            options: vec![FieldOption {
                value: "a".into(),
                label: Text::new("甲", "A"),
            }],
            max_length: Some(20),
        }
    }

    fn material(code: &str, required: bool) -> Material {
        Material {
            code: code.into(),
            name: Text::new("身份证", "ID card"),
            form: MaterialForm::Electronic,
            count: 1,
            required,
            requirements: Text::new("正反面", "both sides"),
            formats: vec![FileFormat::Pdf, FileFormat::Jpeg],
            max_size_mb: 5,
            blank_form: None,
            sample: None,
            wallet_kind: None,
        }
    }

    fn item() -> ServiceItem {
        let json = include_str!("../tests/fixtures/item.json");
        let mut item: ServiceItem = serde_json::from_str(json).unwrap();
        item.form = vec![
            field("name", FieldKind::Text, true),
            field("id", FieldKind::IdNumber, true),
            field("phone", FieldKind::Phone, false),
            field("kind", FieldKind::Select, true),
            field("born", FieldKind::Date, false),
        ];
        item.cases[0].materials = vec![material("id-card", true), material("photo", false)];
        item
    }

    #[test]
    fn a_complete_application_passes() {
        let item = item();
        let form = FormValues::from([
            ("name".into(), "王小明".into()),
            ("id".into(), "11010519491231002X".into()),
            ("kind".into(), "a".into()),
        ]);
        let files = [UploadedFile {
            slot: "id-card".into(),
            format: FileFormat::Pdf,
            size: 1000,
        }];
        assert_eq!(
            review(&item, &item.cases[0].code, &form, &files, day()),
            vec![]
        );
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let item = item();
        let form = FormValues::from([
            ("id".into(), "110105194912310021".into()),
            ("phone".into(), "123".into()),
            ("kind".into(), "z".into()),
            ("born".into(), "2026-02-30".into()),
            ("extra".into(), "x".into()),
        ]);
        let files = [
            UploadedFile {
                slot: "photo".into(),
                format: FileFormat::Png,
                size: 6 * 1024 * 1024,
            },
            UploadedFile {
                slot: "nope".into(),
                format: FileFormat::Pdf,
                size: 1,
            },
        ];
        let problems = review(&item, &item.cases[0].code, &form, &files, day());
        let got: Vec<(NoticeTarget, &str)> = problems
            .iter()
            .map(|p| (p.target.clone(), p.reason.as_str()))
            .collect();
        use NoticeTarget::{Field as F, Material as M};
        assert_eq!(
            got,
            vec![
                (F("name".into()), "missing"),
                (F("id".into()), "check_digit"),
                (F("phone".into()), "format"),
                (F("kind".into()), "option"),
                (F("born".into()), "date"),
                (F("extra".into()), "unknown_field"),
                (M("id-card".into()), "missing"),
                (M("photo".into()), "format"),
                (M("photo".into()), "too_large"),
                (M("nope".into()), "unknown_slot"),
            ]
        );
        assert!(problems.iter().all(|p| p.message.is_complete()));
    }

    #[test]
    fn an_unknown_case_is_one_problem() {
        let item = item();
        let p = review(&item, "no-such-case", &FormValues::new(), &[], day());
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].reason, "unknown_case");
    }

    #[test]
    fn emails_and_lengths() {
        assert!(looks_like_email("a@b.cn"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("a b@c.cn"));
        let f = field("t", FieldKind::Text, false);
        assert_eq!(
            check_field(&f, Some(&"长".repeat(21)), day())
                .unwrap()
                .reason,
            "too_long"
        );
        assert!(check_field(&f, Some("  "), day()).is_none());
    }
    #[test]
    fn only_id_number_fields_are_masked() {
        let item = item();
        let form = FormValues::from([
            ("name".into(), "王小明".into()),
            ("id".into(), "11010519491231002X".into()),
            ("phone".into(), "13800138000".into()),
            ("extra".into(), "11010519491231002X".into()),
        ]);
        let shown = masked_form(&item, &form);
        assert_eq!(shown["id"], "1101**********002X");
        assert_eq!(shown["name"], "王小明");
        assert_eq!(shown["phone"], "13800138000");
        // A key the guide does not know is no ID field: it is shown as typed.
        assert_eq!(shown["extra"], form["extra"]);
        assert_eq!(shown.len(), form.len());
    }

    #[test]
    fn a_correction_opens_only_what_its_notice_names() {
        let staff = |target| NoticeProblem {
            source: NoticeSource::Staff,
            ..problem(target, "unclear", "不清晰".into(), "unclear".into())
        };
        let field = |k: &str| NoticeTarget::Field(k.into());
        let slot = |k: &str| NoticeTarget::Material(k.into());
        let notice = [
            staff(slot("id-card")),
            staff(field("phone")),
            // The automatic problems stored with the notice open nothing by themselves.
            problem(field("name"), "missing", "缺".into(), "missing".into()),
        ];
        let automatic = [problem(
            slot("photo"),
            "format",
            "格式".into(),
            "format".into(),
        )];
        assert!(correctable(&notice, &automatic, &slot("id-card")));
        assert!(correctable(&notice, &automatic, &field("phone")));
        assert!(correctable(&notice, &automatic, &slot("photo")));
        assert!(!correctable(&notice, &automatic, &field("name")));
        assert!(!correctable(&notice, &automatic, &field("id")));
        assert!(!correctable(&notice, &[], &slot("photo")));
    }
}
