//! What notifications say: the title, body and link of each kind (bookings and case
//! events), in both languages, built from the record that causes it. The outbox rows are written by the store in
//! the causing change's transaction.

use crate::db::notifications::NewNotification;
use onewindow_api::application::{NoticeProblem, ResultDelivery};
use onewindow_api::booking::Booking;
use onewindow_api::catalogue::{Hall, Window};
use onewindow_api::ids::{CaseId, UserId};
use onewindow_api::notification::NotificationKind;
use onewindow_api::Text;

/// A notification about a booking, to its citizen.
pub fn booking(kind: NotificationKind, citizen: UserId, b: &Booking) -> NewNotification {
    let when = b.start.format("%Y-%m-%d %H:%M");
    let place_zh = format!(
        "{} {} {}（{}）",
        b.hall_name.zh, b.floor.zh, b.window_name.zh, b.window
    );
    let place_en = format!(
        "{}, {}, {} ({})",
        b.hall_name.en, b.floor.en, b.window_name.en, b.window
    );
    let (item_zh, item_en) = (&b.item_name.zh, &b.item_name.en);
    let visit_zh = format!("{item_zh}：{when}，{place_zh}。预约码 {}。", b.code);
    let visit_en = format!("{item_en}: {when} at {place_en}. Booking code {}.", b.code);
    let (title, body) = match kind {
        NotificationKind::BookingConfirmed => (
            Text::new("预约成功", "Appointment booked"),
            Text::new(visit_zh, visit_en),
        ),
        NotificationKind::BookingRescheduled => (
            Text::new("预约已改期", "Appointment moved"),
            Text::new(
                format!("新时间 {visit_zh}"),
                format!("New time: {visit_en}"),
            ),
        ),
        NotificationKind::BookingCancelled => (
            Text::new("预约已取消", "Appointment cancelled"),
            Text::new(
                format!("{item_zh} {when} 的预约已取消，名额已释放。"),
                format!("Your appointment for {item_en} on {when} is cancelled."),
            ),
        ),
        NotificationKind::BookingReminderDay => (
            Text::new("预约提醒", "Appointment reminder"),
            Text::new(
                format!("{visit_zh}请带齐所需材料原件。"),
                format!("{visit_en} Bring the original materials listed in the booking."),
            ),
        ),
        NotificationKind::BookingReminderHour => (
            Text::new("预约即将开始", "Your appointment is within the hour"),
            Text::new(
                format!("{visit_zh}到达后出示预约码取号。"),
                format!("{visit_en} Show the booking code at the hall to get your ticket."),
            ),
        ),
        // Not a booking kind: the appointment's details, plainly.
        _ => (
            Text::new("预约信息", "Appointment"),
            Text::new(visit_zh, visit_en),
        ),
    };
    NewNotification {
        user: citizen,
        kind,
        title,
        body,
        link: crate::db::bookings::page(b.id),
    }
}

/// What a staff action on a case tells its applicant.
#[derive(Debug)]
pub struct CaseEvent<'a> {
    pub kind: NotificationKind,
    pub case: CaseId,
    pub item_name: &'a Text,
    /// The application number (受理编号), once accepted.
    pub number: Option<&'a str>,
    /// The staff member's reason, for refusals, rejections and special procedures.
    pub reason: &'a str,
    /// The case's deadline as it now stands, for the end of a special procedure; the
    /// day to hand in the correction by, for a correction notice and its reminder.
    pub due: Option<chrono::NaiveDate>,
    /// The problems to fix, for a correction notice.
    pub problems: &'a [NoticeProblem],
    pub delivery: Option<&'a ResultDelivery>,
    /// Where a result is picked up: the hall and window.
    pub pickup: Option<(&'a Hall, &'a Window)>,
}

/// The hall's usual working-day hours (Monday's, or the first weekday's it opens), e.g.
/// `09:00–12:00, 13:30–17:00`.
fn working_day_hours(hall: &Hall) -> String {
    let weekday = onewindow_api::slots::usual_weekday(hall);
    hall.hours
        .iter()
        .filter(|p| Some(p.weekday) == weekday)
        .map(|p| format!("{}–{}", p.open, p.close))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The phrases of a date in both languages (YYYY-MM-DD put in by `zh` and `en`), or
/// nothing without one.
fn dated(
    date: Option<chrono::NaiveDate>,
    zh: impl Fn(&str) -> String,
    en: impl Fn(&str) -> String,
) -> (String, String) {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .map_or_else(Default::default, |d| (zh(&d), en(&d)))
}

/// The notification of a case event, to each of `recipients` (the applicant, and the
/// agent who applied for them).
pub fn case(e: &CaseEvent<'_>, recipients: &[UserId]) -> Vec<NewNotification> {
    let (item_zh, item_en) = (&e.item_name.zh, &e.item_name.en);
    let number = e.number.unwrap_or("");
    let (title, body) = match e.kind {
        NotificationKind::CaseAccepted => (
            Text::new("申请已受理", "Application accepted"),
            Text::new(
                format!("{item_zh} 已受理，受理编号 {number}。可凭编号查询进度。"),
                format!("{item_en} is accepted. Application number {number}; use it to follow progress."),
            ),
        ),
        NotificationKind::CaseCorrectionRequired => {
            let list = |zh: bool| {
                e.problems
                    .iter()
                    .enumerate()
                    .map(|(i, p)| format!("{}. {}", i + 1, if zh { &p.message.zh } else { &p.message.en }))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let (by_zh, by_en) = dated(e.due, |d| format!("请于 {d} 前"), |d| format!(" by {d}"));
            (
                Text::new("材料需要补正", "Corrections needed"),
                Text::new(
                    format!("{item_zh} 需要补正以下 {} 项，{by_zh}重新提交：\n{}", e.problems.len(), list(true)),
                    format!(
                        "{item_en}: fix these {} point(s) and submit again{by_en}:\n{}",
                        e.problems.len(),
                        list(false)
                    ),
                ),
            )
        }
        NotificationKind::CaseCorrectionDueSoon => {
            let (by_zh, by_en) = dated(e.due, |d| format!("请于 {d} 前"), |d| format!(" by {d}"));
            (
                Text::new("补正即将到期", "Correction due soon"),
                Text::new(
                    format!("{item_zh} 尚未收到补正材料，{by_zh}按补正通知修改后重新提交。逾期未补正，申请可能无法继续办理。"),
                    format!("{item_en}: the corrections have not been handed in yet. Fix the points of the notice and submit again{by_en}; without them the application may not go on."),
                ),
            )
        }
        NotificationKind::CaseNotAccepted => (
            Text::new("申请未予受理", "Application not accepted"),
            Text::new(
                format!("{item_zh} 未予受理。原因：{}", e.reason),
                format!("{item_en} was not accepted. Reason: {}", e.reason),
            ),
        ),
        NotificationKind::CaseSuspended => (
            Text::new("办件进入特别程序", "Special procedure started"),
            Text::new(
                format!("{item_zh}（{number}）进入特别程序：{}。特别程序所需时间不计入办理时限，结束后继续办理并通知您。", e.reason),
                format!("{item_en} ({number}) is in a special procedure: {}. Its time does not count toward the time limit; you will be told when handling resumes.", e.reason),
            ),
        ),
        NotificationKind::CaseResumed => {
            let (due_zh, due_en) = dated(
                e.due,
                |d| format!("办结期限为 {d}（特别程序所用时间已顺延）。"),
                |d| format!(" The deadline is {d}, with the time of the special procedure added."),
            );
            (
                Text::new("特别程序结束，继续办理", "Handling resumed"),
                Text::new(
                    format!("{item_zh}（{number}）的特别程序已结束，继续审查。{due_zh}"),
                    format!("The special procedure of {item_en} ({number}) has ended and the review goes on.{due_en}"),
                ),
            )
        }
        NotificationKind::CaseApproved => (
            Text::new("审批通过", "Application approved"),
            Text::new(
                format!("{item_zh}（{number}）已审批通过，办理结果将按您选择的方式送达。"),
                format!("{item_en} ({number}) is approved. The result will reach you as you chose."),
            ),
        ),
        NotificationKind::CaseRejected => (
            Text::new("审批未通过", "Application rejected"),
            Text::new(
                format!("{item_zh}（{number}）未通过审批。原因：{}", e.reason),
                format!("{item_en} ({number}) is rejected. Reason: {}", e.reason),
            ),
        ),
        NotificationKind::CaseReadyForPickup => {
            let code = e.delivery.and_then(|d| d.pickup_code.as_deref()).unwrap_or("");
            let (place_zh, place_en) = match e.pickup {
                Some((hall, w)) => (
                    format!(
                        "{}（{}）{} {}（{}），工作日 {}",
                        hall.name.zh,
                        hall.address.zh,
                        w.floor.zh,
                        w.name.zh,
                        w.code,
                        working_day_hours(hall)
                    ),
                    format!(
                        "{} ({}), {}, {} ({}), working days {}",
                        hall.name.en,
                        hall.address.en,
                        w.floor.en,
                        w.name.en,
                        w.code,
                        working_day_hours(hall)
                    ),
                ),
                None => {
                    let w = e.delivery.and_then(|d| d.window.as_deref()).unwrap_or("");
                    (format!("窗口 {w}"), format!("window {w}"))
                }
            };
            (
                Text::new("办理结果可领取", "Your result is ready for pickup"),
                Text::new(
                    format!("{item_zh}（{number}）的结果已可领取：{place_zh}。取件码 {code}，请携带身份证件。"),
                    format!("The result of {item_en} ({number}) is ready at {place_en}. Pickup code {code}; bring your ID."),
                ),
            )
        }
        NotificationKind::CaseMailed => {
            let d = e.delivery;
            let courier = d.and_then(|d| d.courier.as_deref()).unwrap_or("");
            let tracking = d.and_then(|d| d.tracking_number.as_deref()).unwrap_or("");
            (
                Text::new("办理结果已寄出", "Your result was mailed"),
                Text::new(
                    format!("{item_zh}（{number}）的结果已由 {courier} 寄出，运单号 {tracking}。收到后请在应用中确认。"),
                    format!("The result of {item_en} ({number}) was sent by {courier}, tracking number {tracking}. Confirm receipt in the app when it arrives."),
                ),
            )
        }
        _ => return Vec::new(),
    };
    recipients
        .iter()
        .map(|&user| NewNotification {
            user,
            kind: e.kind,
            title: title.clone(),
            body: body.clone(),
            link: format!("/applications/{}", e.case),
        })
        .collect()
}

/// To a member of a company: someone registered with its credit code and waits for a
/// member to confirm them (on the Me page).
pub fn member_waiting(member: UserId, newcomer: &str, company: &str) -> NewNotification {
    NewNotification {
        user: member,
        kind: NotificationKind::CompanyMemberWaiting,
        title: Text::new("有人申请成为企业成员", "Someone asks to join your company"),
        body: Text::new(
            format!("{newcomer}以“{company}”成员身份注册。请在“我的”页面确认或拒绝；确认前，对方看不到企业的办件。"),
            format!("{newcomer} registered as a member of “{company}”. Confirm or turn them away on the Me page; until then they see none of the company's cases."),
        ),
        link: "/me".into(),
    }
}
