//! Ratings (好差评): after a case has ended or an appointment was attended the citizen rates
//! once, on five levels, with the online dimensions and a comment. A bad rating opens a
//! rectification (整改) that the department must answer; the citizen then says whether
//! it solved the problem. Ratings are never edited or deleted.

use crate::case::CaseState;
use crate::error::FieldError;
use crate::ids::{BookingId, CaseId, DepartmentCode, ItemCode, RatingId};
use crate::text::Text;
use serde::{Deserialize, Serialize};

/// The five levels, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// 非常满意
    VerySatisfied,
    /// 满意
    Satisfied,
    /// 基本满意
    Basic,
    /// 不满意
    Dissatisfied,
    /// 非常不满意
    VeryDissatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 5] = [
        Satisfaction::VerySatisfied,
        Satisfaction::Satisfied,
        Satisfaction::Basic,
        Satisfaction::Dissatisfied,
        Satisfaction::VeryDissatisfied,
    ];

    /// 5 (非常满意) down to 1 (非常不满意).
    pub fn score(self) -> u8 {
        match self {
            Satisfaction::VerySatisfied => 5,
            Satisfaction::Satisfied => 4,
            Satisfaction::Basic => 3,
            Satisfaction::Dissatisfied => 2,
            Satisfaction::VeryDissatisfied => 1,
        }
    }

    pub fn from_score(score: i64) -> Option<Satisfaction> {
        Self::ALL
            .into_iter()
            .find(|s| i64::from(s.score()) == score)
    }

    /// 不满意 and 非常不满意 are bad ratings: they open a rectification.
    pub fn is_bad(self) -> bool {
        self.score() <= 2
    }

    /// Counted as satisfied in the satisfaction rate (满意率): the three upper levels.
    pub fn is_satisfied(self) -> bool {
        self.score() >= 3
    }

    pub fn label(self) -> Text {
        match self {
            Satisfaction::VerySatisfied => Text::new("非常满意", "Very satisfied"),
            Satisfaction::Satisfied => Text::new("满意", "Satisfied"),
            Satisfaction::Basic => Text::new("基本满意", "Fairly satisfied"),
            Satisfaction::Dissatisfied => Text::new("不满意", "Dissatisfied"),
            Satisfaction::VeryDissatisfied => Text::new("非常不满意", "Very dissatisfied"),
        }
    }
}

/// The online dimensions rated besides the overall level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// 办事效率
    Efficiency,
    /// 办事指南准确性
    GuideAccuracy,
    /// 便捷程度
    Convenience,
    /// 易用性
    EaseOfUse,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Efficiency,
        Dimension::GuideAccuracy,
        Dimension::Convenience,
        Dimension::EaseOfUse,
    ];

    pub fn label(self) -> Text {
        match self {
            Dimension::Efficiency => Text::new("办事效率", "Efficiency"),
            Dimension::GuideAccuracy => Text::new("办事指南准确性", "Accuracy of the guide"),
            Dimension::Convenience => Text::new("便捷程度", "Convenience"),
            Dimension::EaseOfUse => Text::new("易用性", "Ease of use"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionScore {
    pub dimension: Dimension,
    pub level: Satisfaction,
}

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 500;

/// A case can be rated once it has ended, whatever the outcome (a rating after every
/// case): completed, rejected, not accepted or withdrawn. A refusal is rated too, or the
/// worst experiences would never be heard.
pub fn case_can_be_rated(state: CaseState) -> bool {
    state.is_final()
}

/// `POST /api/v1/applications/{id}/rating` and `POST /api/v1/bookings/{id}/rating`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingRequest {
    /// The overall level.
    pub level: Satisfaction,
    #[serde(default)]
    pub dimensions: Vec<DimensionScore>,
    /// Required with a bad rating: what went wrong, so that it can be put right.
    #[serde(default)]
    pub comment: String,
}

impl RatingRequest {
    /// Everything wrong with the request, at once.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let comment = self.comment.trim();
        if comment.chars().count() > MAX_COMMENT_CHARS {
            out.push(FieldError::new(
                "comment",
                "too_long",
                "use at most 500 characters",
            ));
        }
        if self.level.is_bad() && comment.is_empty() {
            out.push(FieldError::new(
                "comment",
                "required",
                "say what went wrong, so that the department can put it right",
            ));
        }
        for (i, d) in self.dimensions.iter().enumerate() {
            if self.dimensions[..i]
                .iter()
                .any(|e| e.dimension == d.dimension)
            {
                out.push(FieldError::new(
                    "dimensions",
                    "duplicate",
                    "rate each dimension at most once",
                ));
                break;
            }
        }
        out
    }
}

/// What was rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RatingSubject {
    Case(CaseId),
    Booking(BookingId),
}

/// Where a rectification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RectificationState {
    /// Waiting for the department's answer (again, if the last did not solve it).
    Open,
    /// Answered; waiting for the citizen to say whether it solved the problem.
    Answered,
    /// The citizen said it is solved.
    Closed,
}

impl RectificationState {
    pub fn as_str(self) -> &'static str {
        match self {
            RectificationState::Open => "open",
            RectificationState::Answered => "answered",
            RectificationState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<RectificationState> {
        [
            RectificationState::Open,
            RectificationState::Answered,
            RectificationState::Closed,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// One step of a rectification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RectificationStep {
    /// The department answered.
    Answered,
    /// The citizen said the answer solved the problem.
    Solved,
    /// The citizen said it did not; the department must answer again.
    NotSolved,
}

impl RectificationStep {
    pub fn as_str(self) -> &'static str {
        match self {
            RectificationStep::Answered => "answered",
            RectificationStep::Solved => "solved",
            RectificationStep::NotSolved => "not_solved",
        }
    }

    pub fn parse(s: &str) -> Option<RectificationStep> {
        [
            RectificationStep::Answered,
            RectificationStep::Solved,
            RectificationStep::NotSolved,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationEntry {
    pub step: RectificationStep,
    pub text: String,
    /// RFC 3339 (UTC).
    pub at: String,
}

/// The rectification a bad rating opened, with its thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rectification {
    pub state: RectificationState,
    pub entries: Vec<RectificationEntry>,
}

/// A rating as its citizen and the department see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    pub id: RatingId,
    pub subject: RatingSubject,
    pub item: ItemCode,
    pub item_name: Text,
    pub department: DepartmentCode,
    pub level: Satisfaction,
    pub dimensions: Vec<DimensionScore>,
    pub comment: String,
    /// RFC 3339 (UTC).
    pub created_at: String,
    /// Present for bad ratings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rectification: Option<Rectification>,
}

/// `POST /api/v1/staff/rectifications/{id}/answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerRequest {
    /// What the department did about it (1–1000 characters); the citizen sees it.
    pub answer: String,
}

/// `POST /api/v1/ratings/{id}/verdict`: whether the answer solved the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerdictRequest {
    pub solved: bool,
    /// Optional: what is still wrong (at most 500 characters).
    #[serde(default)]
    pub comment: String,
}

/// `GET /api/v1/staff/rectifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct RectificationQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<RectificationState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(level: Satisfaction, comment: &str) -> RatingRequest {
        RatingRequest {
            level,
            dimensions: Vec::new(),
            comment: comment.into(),
        }
    }

    #[test]
    fn levels_score_five_to_one_and_the_lower_two_are_bad() {
        let scores: Vec<u8> = Satisfaction::ALL.iter().map(|s| s.score()).collect();
        assert_eq!(scores, [5, 4, 3, 2, 1]);
        for s in Satisfaction::ALL {
            assert_eq!(Satisfaction::from_score(i64::from(s.score())), Some(s));
            assert_eq!(s.is_bad(), !s.is_satisfied());
        }
        assert!(Satisfaction::Dissatisfied.is_bad() && !Satisfaction::Basic.is_bad());
        assert_eq!(Satisfaction::from_score(0), None);
    }

    #[test]
    fn a_bad_rating_needs_its_reason_and_dimensions_count_once() {
        assert!(req(Satisfaction::Satisfied, "").problems().is_empty());
        assert_eq!(
            req(Satisfaction::VeryDissatisfied, "  ").problems()[0].reason,
            "required"
        );
        assert!(req(Satisfaction::Dissatisfied, "窗口排队太久")
            .problems()
            .is_empty());
        let long = "长".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(
            req(Satisfaction::Satisfied, &long).problems()[0].reason,
            "too_long"
        );
        let mut twice = req(Satisfaction::Satisfied, "");
        let d = DimensionScore {
            dimension: Dimension::Efficiency,
            level: Satisfaction::Basic,
        };
        twice.dimensions = vec![d, d];
        assert_eq!(twice.problems()[0].reason, "duplicate");
    }

    #[test]
    fn subjects_are_tagged_on_the_wire() {
        let json = serde_json::to_string(&RatingSubject::Case(CaseId(7))).unwrap();
        assert_eq!(json, r#"{"kind":"case","id":7}"#);
    }
}
