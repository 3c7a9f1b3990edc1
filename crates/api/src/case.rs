//! The case state machine (办件状态): every state an application can be in, the actions
//! that move it, and who may take them. The server enforces it; the app uses it to show
//! only the actions that are possible.

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
    pub const ALL: [CaseState; 12] = [
        CaseState::Draft,
        CaseState::Submitted,
        CaseState::CorrectionRequired,
        CaseState::Accepted,
        CaseState::UnderReview,
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
    /// while a correction is pending.
    pub fn clock_runs(self) -> bool {
        matches!(self, CaseState::Accepted | CaseState::UnderReview)
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
            // Instant items (即办件) are decided at acceptance, without a separate review.
            (S::Accepted | S::UnderReview, A::Approve) => S::Approved,
            (S::Accepted | S::UnderReview, A::Reject) => S::Rejected,
            (S::Approved, A::IssueForPickup) => S::ResultReady,
            (S::Approved, A::Mail) => S::Mailed,
            (S::ResultReady, A::ConfirmPickup) => S::Completed,
            (S::Mailed, A::ConfirmDelivery) => S::Completed,
            (S::Submitted | S::CorrectionRequired | S::Accepted | S::UnderReview, A::Withdraw) => {
                S::Withdrawn
            }
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
    pub const ALL: [CaseAction; 13] = [
        CaseAction::Submit,
        CaseAction::RequestCorrection,
        CaseAction::Resubmit,
        CaseAction::Accept,
        CaseAction::RefuseAcceptance,
        CaseAction::StartReview,
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
