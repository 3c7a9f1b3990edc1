//! Labels of the contract's enums: which interface text names each level, kind,
//! audience, material form, delivery method, channel, weekday, case state, case action,
//! deadline light, booking state, thread kind and state, rectification state and step,
//! notification kind, and what to tell the user for each error code.

use super::Key;
use onewindow_api::case::{CaseAction, CaseState};
use onewindow_api::catalogue::{
    Audience, ChannelKind, Delivery, FileFormat, ItemKind, Level, MaterialForm, ThemeKind,
};
use onewindow_api::workdays::Light;

pub fn level(l: Level) -> Key {
    match l {
        Level::National => Key::LevelNational,
        Level::Provincial => Key::LevelProvincial,
        Level::City => Key::LevelCity,
        Level::County => Key::LevelCounty,
        Level::Township => Key::LevelTownship,
        Level::Village => Key::LevelVillage,
    }
}

pub fn audience(a: Audience) -> Key {
    match a {
        Audience::Individual => Key::AudienceIndividual,
        Audience::Business => Key::AudienceBusiness,
    }
}

pub fn kind(k: ItemKind) -> Key {
    match k {
        ItemKind::AdministrativeLicence => Key::KindLicence,
        ItemKind::AdministrativeConfirmation => Key::KindConfirmation,
        ItemKind::AdministrativePayment => Key::KindPayment,
        ItemKind::AdministrativeAdjudication => Key::KindAdjudication,
        ItemKind::AdministrativeReward => Key::KindReward,
        ItemKind::PublicService => Key::KindPublicService,
        ItemKind::OtherAdministrativePower => Key::KindOther,
    }
}

pub fn theme_kind(k: ThemeKind) -> Key {
    match k {
        ThemeKind::Individual => Key::ThemesIndividual,
        ThemeKind::Business => Key::ThemesBusiness,
        ThemeKind::LifeEvent => Key::ThemesLifeEvent,
    }
}

pub fn material_form(f: MaterialForm) -> Key {
    match f {
        MaterialForm::Original => Key::FormOriginal,
        MaterialForm::Copy => Key::FormCopy,
        MaterialForm::OriginalAndCopy => Key::FormOriginalAndCopy,
        MaterialForm::Electronic => Key::FormElectronic,
    }
}

/// File formats are technical names, the same in both languages.
pub fn file_format(f: FileFormat) -> &'static str {
    match f {
        FileFormat::Pdf => "PDF",
        FileFormat::Jpeg => "JPEG",
        FileFormat::Png => "PNG",
        FileFormat::Ofd => "OFD",
    }
}

pub fn delivery(d: Delivery) -> Key {
    match d {
        Delivery::WindowPickup => Key::DeliveryPickup,
        Delivery::Mail => Key::DeliveryMail,
        Delivery::Electronic => Key::DeliveryElectronic,
    }
}

pub fn channel(c: ChannelKind) -> Key {
    match c {
        ChannelKind::Phone => Key::ChannelPhone,
        ChannelKind::Online => Key::ChannelOnline,
        ChannelKind::OnSite => Key::ChannelOnSite,
        ChannelKind::Email => Key::ChannelEmail,
        ChannelKind::Mail => Key::ChannelMail,
    }
}

/// ISO weekday (1 = Monday) to its short name.
pub fn weekday(n: u8) -> Key {
    match n {
        1 => Key::Mon,
        2 => Key::Tue,
        3 => Key::Wed,
        4 => Key::Thu,
        5 => Key::Fri,
        6 => Key::Sat,
        _ => Key::Sun,
    }
}

pub fn case_state(s: CaseState) -> Key {
    match s {
        CaseState::Draft => Key::StateDraft,
        CaseState::Submitted => Key::StateSubmitted,
        CaseState::CorrectionRequired => Key::StateCorrection,
        CaseState::Accepted => Key::StateAccepted,
        CaseState::UnderReview => Key::StateUnderReview,
        CaseState::Suspended => Key::StateSuspended,
        CaseState::Approved => Key::StateApproved,
        CaseState::Rejected => Key::StateRejected,
        CaseState::NotAccepted => Key::StateNotAccepted,
        CaseState::ResultReady => Key::StateResultReady,
        CaseState::Mailed => Key::StateMailed,
        CaseState::Completed => Key::StateCompleted,
        CaseState::Withdrawn => Key::StateWithdrawn,
    }
}

/// What the applicant can expect next in each state (the "what to do next" text).
pub fn next_step(s: CaseState) -> Key {
    match s {
        CaseState::Draft => Key::NextDraft,
        CaseState::Submitted => Key::NextSubmitted,
        CaseState::CorrectionRequired => Key::NextCorrection,
        CaseState::Accepted => Key::NextAccepted,
        CaseState::UnderReview => Key::NextUnderReview,
        CaseState::Suspended => Key::NextSuspended,
        CaseState::Approved => Key::NextApproved,
        CaseState::Rejected => Key::NextRejected,
        CaseState::NotAccepted => Key::NextNotAccepted,
        CaseState::ResultReady => Key::NextResultReady,
        CaseState::Mailed => Key::NextMailed,
        CaseState::Completed => Key::NextCompleted,
        CaseState::Withdrawn => Key::NextWithdrawn,
    }
}

pub fn case_action(a: CaseAction) -> Key {
    match a {
        CaseAction::Submit => Key::ActSubmit,
        CaseAction::RequestCorrection => Key::ActRequestCorrection,
        CaseAction::Resubmit => Key::ActResubmit,
        CaseAction::Accept => Key::ActAccept,
        CaseAction::RefuseAcceptance => Key::ActRefuse,
        CaseAction::StartReview => Key::ActStartReview,
        CaseAction::Suspend => Key::ActSuspend,
        CaseAction::Resume => Key::ActResume,
        CaseAction::Approve => Key::ActApprove,
        CaseAction::Reject => Key::ActReject,
        CaseAction::IssueForPickup => Key::ActIssue,
        CaseAction::Mail => Key::ActMail,
        CaseAction::ConfirmPickup => Key::ActConfirmPickup,
        CaseAction::ConfirmDelivery => Key::ActConfirmDelivery,
        CaseAction::Withdraw => Key::ActWithdraw,
    }
}

pub fn light(l: Light) -> Key {
    match l {
        Light::Green => Key::LightGreen,
        Light::Yellow => Key::LightYellow,
        Light::Red => Key::LightRed,
    }
}

pub fn booking_state(s: onewindow_api::booking::BookingState) -> Key {
    use onewindow_api::booking::BookingState;
    match s {
        BookingState::Active => Key::BookingActive,
        BookingState::Cancelled => Key::BookingCancelled,
        BookingState::CheckedIn => Key::BookingCheckedIn,
        BookingState::NoShow => Key::BookingNoShow,
    }
}

pub fn thread_kind(k: onewindow_api::thread::ThreadKind) -> Key {
    use onewindow_api::thread::ThreadKind;
    match k {
        ThreadKind::Question => Key::KindQuestion,
        ThreadKind::Complaint => Key::KindComplaint,
    }
}

pub fn thread_state(s: onewindow_api::thread::ThreadState) -> Key {
    use onewindow_api::thread::ThreadState;
    match s {
        ThreadState::Open => Key::ThreadOpen,
        ThreadState::Answered => Key::ThreadAnswered,
        ThreadState::Closed => Key::ThreadClosed,
    }
}

pub fn rectification_state(s: onewindow_api::rating::RectificationState) -> Key {
    use onewindow_api::rating::RectificationState;
    match s {
        RectificationState::Open => Key::RectOpen,
        RectificationState::Answered => Key::RectAnswered,
        RectificationState::Closed => Key::RectClosed,
    }
}

pub fn rectification_step(s: onewindow_api::rating::RectificationStep) -> Key {
    use onewindow_api::rating::RectificationStep;
    match s {
        RectificationStep::Answered => Key::StepAnswered,
        RectificationStep::Solved => Key::StepSolved,
        RectificationStep::NotSolved => Key::StepNotSolved,
    }
}

pub fn notification_kind(k: onewindow_api::notification::NotificationKind) -> Key {
    use onewindow_api::notification::NotificationKind as N;
    match k {
        N::BookingConfirmed => Key::NkBookingConfirmed,
        N::BookingRescheduled => Key::NkBookingRescheduled,
        N::BookingCancelled => Key::NkBookingCancelled,
        N::BookingReminderDay => Key::NkBookingReminderDay,
        N::BookingReminderHour => Key::NkBookingReminderHour,
        N::CaseAccepted => Key::NkCaseAccepted,
        N::CaseCorrectionRequired => Key::NkCaseCorrection,
        N::CaseCorrectionDueSoon => Key::NkCaseCorrectionDueSoon,
        N::CaseNotAccepted => Key::NkCaseNotAccepted,
        N::CaseSuspended => Key::NkCaseSuspended,
        N::CaseResumed => Key::NkCaseResumed,
        N::CaseApproved => Key::NkCaseApproved,
        N::CaseRejected => Key::NkCaseRejected,
        N::CaseReadyForPickup => Key::NkCaseReady,
        N::CaseMailed => Key::NkCaseMailed,
        N::RectificationAnswered => Key::NkRectification,
        N::ThreadAnswered => Key::NkThreadAnswered,
        N::CompanyMemberWaiting => Key::NkCompanyMemberWaiting,
    }
}

/// What an error of the server means for the user and what to do, by its code (the
/// server's own message follows it).
pub fn error_advice(code: onewindow_api::ErrorCode) -> Key {
    use onewindow_api::ErrorCode as C;
    match code {
        C::ValidationFailed => Key::ErrorInput,
        C::Unauthenticated | C::InvalidCredentials => Key::ErrorSignIn,
        C::Forbidden => Key::ErrorForbidden,
        C::NotFound => Key::ErrorNotFound,
        C::Conflict | C::InvalidTransition => Key::ErrorChanged,
        C::PreReviewFailed => Key::ErrorPreReview,
        C::RateLimited => Key::ErrorTooMany,
        C::PayloadTooLarge => Key::ErrorFileTooLarge,
        C::UnsupportedMediaType => Key::ErrorFileType,
        C::Unavailable | C::Internal => Key::ErrorServer,
        C::MalformedRequest | C::MethodNotAllowed => Key::ErrorUnexpected,
    }
}
