//! The case state machine (办件状态): every state an application can be in, the actions
//! that move it, and who may take them. The server enforces it; the app uses it to show
//! only the actions that are possible.

use crate::workdays::Pause;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The state of an application (办件).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Being filled in by the applicant; saved on the server, not yet submitted.
    Draft,
    /// Submitted, waiting for the staff pre-review (预审).
    Submitted,
    /// A correction notice (补正通知) is open; the time-limit clock is stopped.
    CorrectionRequired,
    /// Accepted (受理): the case has its application number and the clock runs.
    Accepted,
    /// The back office reviews it (审查).
    UnderReview,
    /// A special procedure (特别程序: an expert review, a hearing, testing, an on-site
    /// inspection) that the time limit does not count: the clock is stopped until staff
    /// resume the review.
    Suspended,
    /// Decided: approved (准予).
    Approved,
    /// Decided: rejected (不予许可), with reasons. Final.
    Rejected,
    /// Not accepted (不予受理), with reasons. Final.
    NotAccepted,
    /// The result waits at a window (待取件).
    ResultReady,
    /// The result was sent by courier (已寄出).
    Mailed,
    /// Completed (办结): picked up or delivered. Final.
    Completed,
    /// Withdrawn by the applicant before a decision (撤回). Final.
    Withdrawn,
}

/// An action on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    Submit,
    RequestCorrection,
    Resubmit,
    Accept,
    RefuseAcceptance,
    StartReview,
    /// Starts a special procedure (特别程序) during the review, with its reason; the clock
    /// stops.
    Suspend,
    /// Ends the special procedure: the review goes on and the clock runs again.
    Resume,
    Approve,
    Reject,
    IssueForPickup,
    Mail,
    ConfirmPickup,
    ConfirmDelivery,
    Withdraw,
}

/// Who takes an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The applicant (or an agent acting for them).
    Applicant,
    /// Staff of the item's department.
    Staff,
}

/// Why a transition was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("{action:?} is not possible while the case is {state:?}")]
    NotAllowed {
        state: CaseState,
        action: CaseAction,
    },
    #[error("{action:?} is for {expected:?}, not {actor:?}")]
    WrongActor {
        action: CaseAction,
        actor: Actor,
        expected: Actor,
    },
}

impl CaseAction {
    /// The only actor who may take this action.
    pub fn actor(self) -> Actor {
        match self {
            CaseAction::Submit
            | CaseAction::Resubmit
            | CaseAction::Withdraw
            | CaseAction::ConfirmDelivery => Actor::Applicant,
            _ => Actor::Staff,
        }
    }
}

impl CaseState {
    pub const ALL: [CaseState; 13] = [
        CaseState::Draft,
        CaseState::Submitted,
        CaseState::CorrectionRequired,
        CaseState::Accepted,
        CaseState::UnderReview,
        CaseState::Suspended,
        CaseState::Approved,
        CaseState::Rejected,
        CaseState::NotAccepted,
        CaseState::ResultReady,
        CaseState::Mailed,
        CaseState::Completed,
        CaseState::Withdrawn,
    ];

    /// No action leaves a final state.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            CaseState::Rejected
                | CaseState::NotAccepted
                | CaseState::Completed
                | CaseState::Withdrawn
        )
    }

    /// The time-limit clock runs only between acceptance and decision; it is stopped
    /// while a correction is pending and during a special procedure.
    pub fn clock_runs(self) -> bool {
        matches!(self, CaseState::Accepted | CaseState::UnderReview)
    }

    /// Whether an accepted case in this state is still being handled, so that it has a
    /// deadline (its clock running or stopped) and counts for supervision.
    pub fn is_pending_decision(self) -> bool {
        matches!(
            self,
            CaseState::Accepted
                | CaseState::UnderReview
                | CaseState::CorrectionRequired
                | CaseState::Suspended
        )
    }

    /// The state reached by `action`. `accepted` tells whether the case already has an
    /// application number: a resubmitted correction returns to pre-review before
    /// acceptance and to the back-office review after it.
    pub fn next(
        self,
        action: CaseAction,
        actor: Actor,
        accepted: bool,
    ) -> Result<CaseState, TransitionError> {
        if action.actor() != actor {
            return Err(TransitionError::WrongActor {
                action,
                actor,
                expected: action.actor(),
            });
        }
        use CaseAction as A;
        use CaseState as S;
        let next = match (self, action) {
            (S::Draft, A::Submit) => S::Submitted,
            (S::Submitted | S::UnderReview, A::RequestCorrection) => S::CorrectionRequired,
            (S::CorrectionRequired, A::Resubmit) if accepted => S::UnderReview,
            (S::CorrectionRequired, A::Resubmit) => S::Submitted,
            (S::Submitted, A::Accept) => S::Accepted,
            (S::Submitted, A::RefuseAcceptance) => S::NotAccepted,
            // A correction the applicant never makes does not keep the case open for
            // ever: before acceptance staff refuse to accept it, after it they reject
            // it, with the reason, like any other refusal.
            (S::CorrectionRequired, A::RefuseAcceptance) if !accepted => S::NotAccepted,
            (S::CorrectionRequired, A::Reject) if accepted => S::Rejected,
            (S::Accepted, A::StartReview) => S::UnderReview,
            // A special procedure: during the review (after its start, where departments
            // are consulted); it ends in the review, whatever its outcome, and the
            // decision follows from there.
            (S::UnderReview, A::Suspend) => S::Suspended,
            (S::Suspended, A::Resume) => S::UnderReview,
            // Instant items (即办件) are decided at acceptance, without a separate review.
            (S::Accepted | S::UnderReview, A::Approve) => S::Approved,
            (S::Accepted | S::UnderReview, A::Reject) => S::Rejected,
            (S::Approved, A::IssueForPickup) => S::ResultReady,
            (S::Approved, A::Mail) => S::Mailed,
            (S::ResultReady, A::ConfirmPickup) => S::Completed,
            (S::Mailed, A::ConfirmDelivery) => S::Completed,
            (
                S::Submitted | S::CorrectionRequired | S::Accepted | S::UnderReview | S::Suspended,
                A::Withdraw,
            ) => S::Withdrawn,
            (state, action) => return Err(TransitionError::NotAllowed { state, action }),
        };
        Ok(next)
    }

    /// The actions `actor` can take now, for showing buttons.
    pub fn available_actions(self, actor: Actor, accepted: bool) -> Vec<CaseAction> {
        CaseAction::ALL
            .into_iter()
            .filter(|a| self.next(*a, actor, accepted).is_ok())
            .collect()
    }
}

impl CaseAction {
    /// Every action, in the order buttons show them.
    pub const ALL: [CaseAction; 15] = [
        CaseAction::Submit,
        CaseAction::RequestCorrection,
        CaseAction::Resubmit,
        CaseAction::Accept,
        CaseAction::RefuseAcceptance,
        CaseAction::StartReview,
        CaseAction::Suspend,
        CaseAction::Resume,
        CaseAction::Approve,
        CaseAction::Reject,
        CaseAction::IssueForPickup,
        CaseAction::Mail,
        CaseAction::ConfirmPickup,
        CaseAction::ConfirmDelivery,
        CaseAction::Withdraw,
    ];
}

impl CaseState {
    /// The state's name on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Draft => "draft",
            CaseState::Submitted => "submitted",
            CaseState::CorrectionRequired => "correction_required",
            CaseState::Accepted => "accepted",
            CaseState::UnderReview => "under_review",
            CaseState::Suspended => "suspended",
            CaseState::Approved => "approved",
            CaseState::Rejected => "rejected",
            CaseState::NotAccepted => "not_accepted",
            CaseState::ResultReady => "result_ready",
            CaseState::Mailed => "mailed",
            CaseState::Completed => "completed",
            CaseState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<CaseState> {
        CaseState::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl CaseAction {
    /// The action's name on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseAction::Submit => "submit",
            CaseAction::RequestCorrection => "request_correction",
            CaseAction::Resubmit => "resubmit",
            CaseAction::Accept => "accept",
            CaseAction::RefuseAcceptance => "refuse_acceptance",
            CaseAction::StartReview => "start_review",
            CaseAction::Suspend => "suspend",
            CaseAction::Resume => "resume",
            CaseAction::Approve => "approve",
            CaseAction::Reject => "reject",
            CaseAction::IssueForPickup => "issue_for_pickup",
            CaseAction::Mail => "mail",
            CaseAction::ConfirmPickup => "confirm_pickup",
            CaseAction::ConfirmDelivery => "confirm_delivery",
            CaseAction::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<CaseAction> {
        CaseAction::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The periods after acceptance in which a case's time-limit clock stood still, from
/// its history (each action with its local date, oldest first): a correction notice
/// sent after acceptance, or a special procedure, stops it from its day until the day
/// of whatever action comes next (the resubmission or the resumption, or a withdrawal
/// or refusal); a pause still open has no end.
pub fn pauses(history: impl IntoIterator<Item = (CaseAction, NaiveDate)>) -> Vec<Pause> {
    let mut out: Vec<Pause> = Vec::new();
    let mut accepted = false;
    for (action, day) in history {
        if let Some(open) = out.last_mut().filter(|p| p.end.is_none()) {
            open.end = Some(day);
        }
        match action {
            CaseAction::Accept => accepted = true,
            CaseAction::RequestCorrection if accepted => out.push(Pause {
                start: day,
                end: None,
            }),
            CaseAction::Suspend => out.push(Pause {
                start: day,
                end: None,
            }),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseAction as A;
    use CaseState as S;

    #[test]
    fn the_happy_path_with_a_correction() {
        let s = S::Draft.next(A::Submit, Actor::Applicant, false).unwrap();
        let s = s.next(A::RequestCorrection, Actor::Staff, false).unwrap();
        assert!(!s.clock_runs());
        let s = s.next(A::Resubmit, Actor::Applicant, false).unwrap();
        assert_eq!(s, S::Submitted);
        let s = s.next(A::Accept, Actor::Staff, false).unwrap();
        assert!(s.clock_runs());
        let s = s.next(A::StartReview, Actor::Staff, true).unwrap();
        let s = s.next(A::RequestCorrection, Actor::Staff, true).unwrap();
        let s = s.next(A::Resubmit, Actor::Applicant, true).unwrap();
        assert_eq!(s, S::UnderReview);
        let s = s.next(A::Approve, Actor::Staff, true).unwrap();
        let s = s.next(A::IssueForPickup, Actor::Staff, true).unwrap();
        let s = s.next(A::ConfirmPickup, Actor::Staff, true).unwrap();
        assert_eq!(s, S::Completed);
        assert!(s.is_final());
    }

    #[test]
    fn a_special_procedure_stops_the_clock_until_the_review_resumes() {
        assert_eq!(
            S::UnderReview.next(A::Suspend, Actor::Staff, true),
            Ok(S::Suspended)
        );
        let s = S::Suspended;
        assert!(!s.clock_runs());
        assert!(s.is_pending_decision());
        // Only resuming (by staff) or withdrawing (by the applicant) leaves it; the
        // decision comes after the review resumes.
        assert_eq!(s.available_actions(Actor::Staff, true), [A::Resume]);
        assert_eq!(s.available_actions(Actor::Applicant, true), [A::Withdraw]);
        assert_eq!(s.next(A::Resume, Actor::Staff, true), Ok(S::UnderReview));
        assert!(s.next(A::Resume, Actor::Applicant, true).is_err());
        // Not before the review starts, nor during a correction or after a decision.
        for not in [
            S::Submitted,
            S::Accepted,
            S::CorrectionRequired,
            S::Approved,
            S::Suspended,
        ] {
            assert!(not.next(A::Suspend, Actor::Staff, true).is_err(), "{not:?}");
        }
    }

    #[test]
    fn pauses_are_corrections_after_acceptance_and_special_procedures() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let history = [
            (A::Submit, d("2026-11-02")),
            // Before acceptance a correction stops nothing: the clock has not started.
            (A::RequestCorrection, d("2026-11-02")),
            (A::Resubmit, d("2026-11-03")),
            (A::Accept, d("2026-11-04")),
            (A::StartReview, d("2026-11-04")),
            (A::Suspend, d("2026-11-05")),
            (A::Resume, d("2026-11-12")),
            (A::RequestCorrection, d("2026-11-13")),
            (A::Resubmit, d("2026-11-16")),
            (A::Suspend, d("2026-11-17")),
        ];
        let pause = |start: &str, end: Option<&str>| Pause {
            start: d(start),
            end: end.map(d),
        };
        assert_eq!(
            pauses(history),
            vec![
                pause("2026-11-05", Some("2026-11-12")),
                pause("2026-11-13", Some("2026-11-16")),
                pause("2026-11-17", None),
            ]
        );
        // Whatever follows closes the open one: here a withdrawal.
        let withdrawn = history.into_iter().chain([(A::Withdraw, d("2026-11-18"))]);
        assert_eq!(
            pauses(withdrawn).last(),
            Some(&pause("2026-11-17", Some("2026-11-18")))
        );
    }

    #[test]
    fn a_correction_never_made_ends_in_a_refusal() {
        let waiting = S::CorrectionRequired;
        // Before acceptance: not accepted; after it: rejected. Never the other way.
        assert_eq!(
            waiting.next(A::RefuseAcceptance, Actor::Staff, false),
            Ok(S::NotAccepted)
        );
        assert!(waiting.next(A::Reject, Actor::Staff, false).is_err());
        assert_eq!(waiting.next(A::Reject, Actor::Staff, true), Ok(S::Rejected));
        assert!(waiting
            .next(A::RefuseAcceptance, Actor::Staff, true)
            .is_err());
        assert_eq!(waiting.available_actions(Actor::Staff, true), [A::Reject]);
    }

    #[test]
    fn names_match_serde_and_parse_back() {
        for st in S::ALL {
            assert_eq!(
                serde_json::to_string(&st).unwrap(),
                format!("\"{}\"", st.as_str())
            );
            assert_eq!(S::parse(st.as_str()), Some(st));
        }
        for a in CaseAction::ALL {
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.as_str())
            );
            assert_eq!(A::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn final_states_have_no_way_out() {
        for s in S::ALL.into_iter().filter(|s| s.is_final()) {
            assert!(
                s.available_actions(Actor::Applicant, true).is_empty(),
                "{s:?}"
            );
            assert!(s.available_actions(Actor::Staff, true).is_empty(), "{s:?}");
        }
    }

    #[test]
    fn actors_are_checked() {
        assert!(matches!(
            S::Submitted.next(A::Accept, Actor::Applicant, false),
            Err(TransitionError::WrongActor { .. })
        ));
        assert!(matches!(
            S::Draft.next(A::Submit, Actor::Staff, false),
            Err(TransitionError::WrongActor { .. })
        ));
    }

    #[test]
    fn no_withdrawal_after_a_decision() {
        for s in [S::Approved, S::ResultReady, S::Mailed] {
            assert!(s.next(A::Withdraw, Actor::Applicant, true).is_err());
        }
        assert_eq!(
            S::UnderReview.next(A::Withdraw, Actor::Applicant, true),
            Ok(S::Withdrawn)
        );
    }

    #[test]
    fn every_non_final_state_is_reachable_and_can_end() {
        // Breadth-first from Draft over all actions and both actors.
        let mut seen = vec![S::Draft];
        let mut i = 0;
        while i < seen.len() {
            for actor in [Actor::Applicant, Actor::Staff] {
                for accepted in [false, true] {
                    for a in seen[i].available_actions(actor, accepted) {
                        let n = seen[i].next(a, actor, accepted).unwrap();
                        if !seen.contains(&n) {
                            seen.push(n);
                        }
                    }
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), S::ALL.len(), "unreachable states: {seen:?}");
    }
}
