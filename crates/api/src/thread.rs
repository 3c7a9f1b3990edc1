//! Questions (问) and complaints (诉): a citizen asks about an item, or complains about a
//! case or a hall, and staff of the responsible department answer in a thread. States
//! open → answered → closed; a new message from the citizen reopens it.

use crate::catalogue::FileFormat;
use crate::error::FieldError;
use crate::ids::{CaseId, DepartmentCode, FileId, HallCode, ItemCode, ThreadId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThreadKind {
    /// 咨询: a question about an item.
    Question,
    /// 投诉: a complaint about a case or a hall.
    Complaint,
}

impl ThreadKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadKind::Question => "question",
            ThreadKind::Complaint => "complaint",
        }
    }

    pub fn parse(s: &str) -> Option<ThreadKind> {
        [ThreadKind::Question, ThreadKind::Complaint]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// What a thread is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ThreadSubject {
    Item(ItemCode),
    Case(CaseId),
    Hall(HallCode),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThreadState {
    /// Waiting for staff.
    Open,
    /// Staff answered; the citizen may reply (reopening it) or close it.
    Answered,
    /// Closed by the citizen.
    Closed,
}

impl ThreadState {
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadState::Open => "open",
            ThreadState::Answered => "answered",
            ThreadState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<ThreadState> {
        [
            ThreadState::Open,
            ThreadState::Answered,
            ThreadState::Closed,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The longest title and message, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// `POST /api/v1/threads`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewThreadRequest {
    pub kind: ThreadKind,
    pub subject: ThreadSubject,
    pub title: String,
    pub text: String,
}

impl NewThreadRequest {
    /// Everything wrong with it, at once: a question is about an item, a complaint about
    /// a case or a hall; title and text are required and bounded.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        match (self.kind, &self.subject) {
            (ThreadKind::Question, ThreadSubject::Item(_))
            | (ThreadKind::Complaint, ThreadSubject::Case(_) | ThreadSubject::Hall(_)) => {}
            (ThreadKind::Question, _) => out.push(FieldError::new(
                "subject",
                "kind",
                "a question is about a service item",
            )),
            (ThreadKind::Complaint, _) => out.push(FieldError::new(
                "subject",
                "kind",
                "a complaint is about one of your cases or a service hall",
            )),
        }
        let title = self.title.trim().chars().count();
        if title == 0 || title > MAX_TITLE_CHARS {
            out.push(FieldError::new(
                "title",
                "required",
                "give a title of at most 100 characters",
            ));
        }
        if let Some(p) = message_problem(&self.text) {
            out.push(p);
        }
        out
    }
}

/// What is wrong with a message's text, if anything.
pub fn message_problem(text: &str) -> Option<FieldError> {
    let n = text.trim().chars().count();
    (n == 0 || n > MAX_MESSAGE_CHARS).then(|| {
        FieldError::new(
            "text",
            "required",
            "write the message, in at most 2000 characters",
        )
    })
}

/// `POST /api/v1/threads/{id}/messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageRequest {
    pub text: String,
}

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadMessage {
    /// True when staff wrote it (staff are shown by role, not by name).
    pub from_staff: bool,
    pub text: String,
    /// RFC 3339 (UTC).
    pub at: String,
}

/// Attachments a thread may hold, their formats (checked by content) and size.
pub const MAX_ATTACHMENTS: u64 = 10;
pub const ATTACHMENT_FORMATS: [FileFormat; 4] = [
    FileFormat::Pdf,
    FileFormat::Ofd,
    FileFormat::Jpeg,
    FileFormat::Png,
];
pub const MAX_ATTACHMENT_MB: u64 = 10;

/// A file attached to a thread (a photo of the problem, a scan of a letter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadAttachment {
    pub id: FileId,
    /// The name the user gave it, for display only.
    pub name: String,
    pub format: FileFormat,
    pub size: u64,
    pub sha256: String,
    pub from_staff: bool,
    pub uploaded_at: String,
}

/// A thread as its citizen and the department see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Thread {
    pub id: ThreadId,
    pub kind: ThreadKind,
    pub subject: ThreadSubject,
    /// The department that answers; none for complaints about a hall, which supervisors
    /// answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentCode>,
    pub title: String,
    pub state: ThreadState,
    pub messages: Vec<ThreadMessage>,
    #[serde(default)]
    pub attachments: Vec<ThreadAttachment>,
    pub created_at: String,
    pub updated_at: String,
}

/// `GET /api/v1/staff/threads` and `GET /api/v1/me/threads`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct ThreadQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ThreadState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ThreadKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(kind: ThreadKind, subject: ThreadSubject, title: &str, text: &str) -> NewThreadRequest {
        NewThreadRequest {
            kind,
            subject,
            title: title.into(),
            text: text.into(),
        }
    }

    #[test]
    fn questions_are_about_items_and_complaints_about_cases_or_halls() {
        let item = ThreadSubject::Item(ItemCode::new("PSB-0101"));
        let case = ThreadSubject::Case(CaseId(3));
        let hall = ThreadSubject::Hall(HallCode::new("HALL-CITY"));
        assert!(req(ThreadKind::Question, item.clone(), "t", "x")
            .problems()
            .is_empty());
        assert!(req(ThreadKind::Complaint, case.clone(), "t", "x")
            .problems()
            .is_empty());
        assert!(req(ThreadKind::Complaint, hall, "t", "x")
            .problems()
            .is_empty());
        assert_eq!(
            req(ThreadKind::Question, case, "t", "x").problems()[0].reason,
            "kind"
        );
        assert_eq!(
            req(ThreadKind::Complaint, item.clone(), "t", "x").problems()[0].field,
            "subject"
        );
        let all = req(ThreadKind::Question, item, " ", &"长".repeat(2001)).problems();
        let fields: Vec<_> = all.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["title", "text"]);
    }
}
