//! Applications (办件): the wire types of drafts, materials, the one-time notice
//! (一次性告知), the status timeline and the deadline.

use crate::case::{CaseAction, CaseState};
use crate::catalogue::FileFormat;
use crate::ids::{CaseId, DepartmentCode, FileId, ItemCode, UserId};
use crate::text::Text;
use crate::workdays::{Light, Pause, WorkCalendar};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The values of an item's form fields, by field key.
pub type FormValues = BTreeMap<String, String>;

/// Longest accepted form value, in characters, whatever the field says.
pub const MAX_FIELD_CHARS: usize = 2000;

/// `details.reason` of the 409 that refuses a new draft while the applicant already has
/// as many unsubmitted drafts as the deployment allows (`applications.max_drafts`).
pub const TOO_MANY_DRAFTS: &str = "too_many_drafts";

/// `POST /api/v1/applications`: starts a draft for one handling case of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApplicationRequest {
    pub item: ItemCode,
    /// The handling case (业务办理项) code of the item.
    pub case: String,
    #[serde(default)]
    pub form: FormValues,
    /// An agent (代办) applies for the citizen who authorised them; the case is then that
    /// citizen's, and the agent can follow it while the authorisation lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<UserId>,
}

/// `PUT /api/v1/applications/{id}/form`: saves the draft's form values as the user goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateFormRequest {
    pub form: FormValues,
}

/// What a file of a case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// A material the applicant handed in.
    #[default]
    Material,
    /// A result document (licence, certificate, decision) the department issued.
    Result,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Material => "material",
            FileKind::Result => "result",
        }
    }

    pub fn parse(s: &str) -> Option<FileKind> {
        match s {
            "material" => Some(FileKind::Material),
            "result" => Some(FileKind::Result),
            _ => None,
        }
    }
}

/// The slot name of result documents, which is never a material code (codes have no `@`).
pub const RESULT_SLOT: &str = "@result";

/// An uploaded file in a material slot, or a result document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileInfo {
    pub id: FileId,
    #[serde(default)]
    pub kind: FileKind,
    /// The material slot (`Material::code`) it fills.
    pub slot: String,
    /// The name the user gave it, for display only (never used as a path).
    pub name: String,
    /// The format sniffed from its bytes.
    pub format: FileFormat,
    pub size: u64,
    pub sha256: String,
    pub uploaded_at: String,
}

/// What a notice problem is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum NoticeTarget {
    /// A form field, by key.
    Field(String),
    /// A material slot, by code.
    Material(String),
    /// The application as a whole (e.g. an unknown handling case).
    Application,
}

/// Who found a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeSource {
    /// The automatic pre-review (机器预审).
    Automatic,
    /// Staff pre-review (人工预审).
    Staff,
}

/// One problem of the one-time notice: what, and in plain words why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeProblem {
    pub target: NoticeTarget,
    /// A stable reason code, e.g. `missing`, `format`, `too_large`, `check_digit`.
    pub reason: String,
    pub message: Text,
    pub source: NoticeSource,
}

/// The one-time notice (一次性告知): every problem at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub problems: Vec<NoticeProblem>,
}

impl Notice {
    pub fn is_clear(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One step of the status timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// RFC 3339.
    pub at: String,
    pub state: CaseState,
    #[serde(default)]
    pub action: Option<CaseAction>,
    /// The reason or note given with the action.
    #[serde(default)]
    pub note: String,
    /// What a correction notice (补正通知) asked for, point by point, kept for good
    /// (the live notice goes once the applicant resubmits). Empty for other entries, and
    /// for notices recorded before it existed, whose points are in `note`, in Chinese.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asked: Vec<AskedCorrection>,
}

/// One point of a correction notice as the timeline keeps it: the field or material it
/// named, and what to fix in it, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AskedCorrection {
    pub name: Text,
    pub message: Text,
}

/// The promised deadline of an accepted case, in working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadline {
    /// The date by which the case must be decided (YYYY-MM-DD), with the time spent in
    /// special procedures and in corrections added back.
    pub due: String,
    /// Working days left from today (negative when overdue).
    pub working_days_left: i64,
    pub light: Light,
    /// The clock is stopped: a correction is pending, or a special procedure goes on.
    pub paused: bool,
    /// The legal time limit's end (法定期限, YYYY-MM-DD), with the same stops added: the
    /// latest the law allows for the decision, usually after `due`. Absent for a case
    /// accepted before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_due: Option<String>,
}

/// An application as its applicant (or their company, or the department's staff) sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub id: CaseId,
    /// The public application number (受理编号), once accepted.
    #[serde(default)]
    pub number: Option<String>,
    pub item: ItemCode,
    pub item_name: Text,
    pub case: String,
    pub case_name: Text,
    pub state: CaseState,
    pub applicant_name: String,
    /// Always masked, also for the applicant.
    pub applicant_id_masked: String,
    #[serde(default)]
    pub company_name: Option<String>,
    pub form: FormValues,
    pub files: Vec<FileInfo>,
    /// The current notice: the automatic pre-review while a draft, then the correction
    /// notice when one is open.
    pub notice: Notice,
    pub timeline: Vec<TimelineEntry>,
    #[serde(default)]
    pub deadline: Option<Deadline>,
    /// While a correction notice is open: the date by which the applicant should hand in
    /// the correction (YYYY-MM-DD), the deployment's number of working days after the
    /// notice. Past it, the department may refuse the case.
    #[serde(default)]
    pub correction_due: Option<String>,
    /// Pickup code and window, or courier and tracking number, once the result is out.
    #[serde(default)]
    pub delivery: Option<ResultDelivery>,
    /// What the viewer can do now.
    pub actions: Vec<CaseAction>,
    /// The departments consulted in a parallel review (并联审批) and their opinions.
    #[serde(default)]
    pub opinions: Vec<ReviewOpinion>,
    /// The agent (代办) who applied on the applicant's behalf.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// When a running case will probably be decided (YYYY-MM-DD), from how long this
    /// item's recent cases took; absent until there are enough of them.
    #[serde(default)]
    pub predicted: Option<String>,
    /// Whether the viewer is the applicant themself, not a colleague or an agent acting
    /// on the case: only they attach documents from their wallet, and only they rate it.
    #[serde(default)]
    pub viewer_is_applicant: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A consulted department's opinion in a parallel review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Opinion {
    /// 同意
    Agree,
    /// 不同意 (the note says why)
    Disagree,
}

impl Opinion {
    pub fn as_str(self) -> &'static str {
        match self {
            Opinion::Agree => "agree",
            Opinion::Disagree => "disagree",
        }
    }

    pub fn parse(s: &str) -> Option<Opinion> {
        match s {
            "agree" => Some(Opinion::Agree),
            "disagree" => Some(Opinion::Disagree),
            _ => None,
        }
    }
}

/// One consulted department of a parallel review (并联审批).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewOpinion {
    pub department: DepartmentCode,
    pub department_name: Text,
    /// `None` while the department has not answered.
    #[serde(default)]
    pub opinion: Option<Opinion>,
    /// The reasoning; shown to staff only (empty for the applicant).
    #[serde(default)]
    pub note: String,
    pub requested_at: String,
    #[serde(default)]
    pub answered_at: Option<String>,
}

/// `POST /api/v1/applications/{id}/opinions`: a consulted department's opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpinionRequest {
    pub opinion: Opinion,
    /// Required when disagreeing.
    #[serde(default)]
    pub note: String,
}

/// A row of an application list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationSummary {
    pub id: CaseId,
    #[serde(default)]
    pub number: Option<String>,
    pub item: ItemCode,
    pub item_name: Text,
    pub state: CaseState,
    pub department: DepartmentCode,
    pub applicant_name: String,
    #[serde(default)]
    pub deadline: Option<Deadline>,
    /// While a correction notice is open: the date it is due by (YYYY-MM-DD), as on the
    /// case, so that a list shows which corrections are late.
    #[serde(default)]
    pub correction_due: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Working days before the due date from which a case shows yellow (红黄灯预警).
pub const YELLOW_WORKING_DAYS: u32 = 2;

/// Whether the last day `day` (YYYY-MM-DD, as the wire carries due dates) has passed by
/// `today`: a due day itself is still in time. False for a day that does not parse.
pub fn day_passed(day: &str, today: NaiveDate) -> bool {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok_and(|d| d < today)
}

impl Deadline {
    /// Whether the legal time limit has passed by `today` (法定超期): more serious than a
    /// red light, which only says the promise is broken. False when it is unknown.
    pub fn past_legal(&self, today: NaiveDate) -> bool {
        self.legal_due
            .as_deref()
            .is_some_and(|d| day_passed(d, today))
    }
}

/// The deadline of a case accepted on `accepted` with `promised` working days (and
/// `legal` by law, when known), seen on `today`, given the periods its clock was
/// stopped; `paused` tells whether one is open.
pub fn deadline(
    calendar: &WorkCalendar,
    accepted: NaiveDate,
    promised: u32,
    legal: Option<u32>,
    pauses: &[Pause],
    today: NaiveDate,
) -> Deadline {
    let due = calendar.due_date(accepted, promised, pauses, today);
    Deadline {
        due: due.format("%Y-%m-%d").to_string(),
        working_days_left: calendar.working_days_left(today, due),
        light: calendar.light(today, due, YELLOW_WORKING_DAYS),
        paused: pauses.iter().any(|p| p.end.is_none()),
        legal_due: legal.map(|days| {
            calendar
                .due_date(accepted, days, pauses, today)
                .format("%Y-%m-%d")
                .to_string()
        }),
    }
}

/// `POST /api/v1/applications/{id}/submit`: the key makes a retried submit (after a lost
/// response) a no-op instead of a second submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitRequest {
    /// A random key the client chose for this submit, 8–64 characters.
    pub idempotency_key: String,
}

/// `POST /api/v1/applications/{id}/withdraw` and other actions that take a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionRequest {
    #[serde(default)]
    pub note: String,
}

/// Longest note or reason of an action, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// One problem staff add to a correction notice (补正通知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectionItem {
    pub target: NoticeTarget,
    /// What to fix, in plain words; an empty `en` is filled from `zh`.
    pub message: Text,
}

/// `POST /api/v1/applications/{id}/transitions`: a staff action on a case. Which fields
/// are needed depends on the action: `problems` for `request_correction`, a `note` (the
/// reason) for `reject` and `refuse_acceptance`, `window` for `issue_for_pickup`,
/// `courier` and `tracking_number` for `mail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransitionRequest {
    pub action: crate::case::CaseAction,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub problems: Vec<CorrectionItem>,
    #[serde(default)]
    pub window: Option<String>,
    #[serde(default)]
    pub courier: Option<String>,
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// With `start_review`: other departments to consult in parallel (并联审批); the case
    /// cannot be approved until each has given its opinion.
    #[serde(default)]
    pub consult: Vec<DepartmentCode>,
}

/// How the result reaches the applicant: a pickup code at a window, or a parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultDelivery {
    #[serde(default)]
    pub pickup_code: Option<String>,
    #[serde(default)]
    pub window: Option<String>,
    #[serde(default)]
    pub courier: Option<String>,
    #[serde(default)]
    pub tracking_number: Option<String>,
}

/// `POST /api/v1/lookup`: progress lookup without an account (办件进度查询). A POST, so
/// that the ID number never appears in a URL or an access log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupRequest {
    /// The public application number (受理编号).
    pub number: String,
    /// The applicant's resident ID number.
    pub id_number: String,
}

/// What an anonymous lookup reveals: the status and its dates, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupResponse {
    pub number: String,
    pub item_name: Text,
    pub state: CaseState,
    /// Every state change with its time (RFC 3339), without notes.
    pub steps: Vec<LookupStep>,
    #[serde(default)]
    pub deadline: Option<Deadline>,
}

/// One state change as the lookup shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupStep {
    pub at: String,
    pub state: CaseState,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workdays::HolidayCalendar;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_legal_limit_moves_out_with_the_same_stops_as_the_promise() {
        let cal = WorkCalendar::new(&HolidayCalendar {
            name: Text::new("测试", "test"),
            timezone: "Asia/Shanghai".into(),
            holidays: Vec::new(),
            workdays: Vec::new(),
        })
        .unwrap();
        // Accepted Monday 2 November with 5 working days promised and 20 by law; a
        // correction stopped the clock from Wednesday 4 to Friday 6 (2 working days).
        let stop = [Pause {
            start: d("2026-11-04"),
            end: Some(d("2026-11-06")),
        }];
        let seen = deadline(&cal, d("2026-11-02"), 5, Some(20), &stop, d("2026-11-10"));
        assert_eq!(seen.due, "2026-11-11");
        assert_eq!(seen.legal_due.as_deref(), Some("2026-12-02"));
        assert!(!seen.paused);
        // Unknown for a case accepted before the legal limit was recorded.
        let old = deadline(&cal, d("2026-11-02"), 5, None, &[], d("2026-11-10"));
        assert!(!old.past_legal(d("2027-01-01")), "unknown");
        assert_eq!((old.due.as_str(), old.legal_due), ("2026-11-09", None));
        // Past the legal limit only after its last day.
        assert!(!seen.past_legal(d("2026-12-02")));
        assert!(seen.past_legal(d("2026-12-03")));
        // A correction's due day the same way; nonsense is never late.
        assert!(!day_passed("2026-12-02", d("2026-12-02")));
        assert!(day_passed("2026-12-02", d("2026-12-03")));
        assert!(!day_passed("12/02/2026", d("2027-01-01")));
    }
}
