//! What notifications say: the title, body and link of each kind, in both languages,
//! built from the record that causes it. The outbox rows are written by the store in
//! the causing change's transaction.

use crate::db::notifications::NewNotification;
use onewindow_api::booking::Booking;
use onewindow_api::ids::UserId;
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
    };
    NewNotification {
        user: citizen,
        kind,
        title,
        body,
        link: format!("/bookings/{}", b.id),
    }
}
