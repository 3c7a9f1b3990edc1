//! Appointment slots (预约时段) from rules that are data: a hall's weekly opening hours
//! with their breaks, the holiday calendar with its make-up working days, a slot length
//! and capacity per window, how far ahead one may book and the minimum lead time, and
//! periods staff blocked. The server generates what it offers with this, and the app
//! can show the same days offline.

use crate::catalogue::Hall;
use crate::check::parse_hhmm;
use crate::workdays::WorkCalendar;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// How a window's slots are cut and booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotRules {
    /// Length of one slot in minutes (5–240).
    pub slot_minutes: u32,
    /// Bookings one slot takes (1–50).
    pub capacity: u32,
    /// Days ahead that can be booked, today counting as day 0 (1–90).
    pub horizon_days: u32,
    /// A slot must start at least this many minutes from now (0–2880).
    pub min_lead_minutes: u32,
    /// Active bookings one citizen may hold for slots in one week, Monday to Sunday
    /// (1–50), whatever the items.
    #[serde(default = "default_per_week")]
    pub per_week: u32,
}

fn default_per_week() -> u32 {
    3
}

impl Default for SlotRules {
    fn default() -> Self {
        SlotRules {
            slot_minutes: 30,
            capacity: 2,
            horizon_days: 14,
            min_lead_minutes: 120,
            per_week: default_per_week(),
        }
    }
}

impl SlotRules {
    /// What is wrong with these rules, if anything.
    pub fn problem(&self) -> Option<&'static str> {
        if !(5..=240).contains(&self.slot_minutes) {
            Some("slot_minutes must be 5 to 240")
        } else if !(1..=50).contains(&self.capacity) {
            Some("capacity must be 1 to 50")
        } else if !(1..=90).contains(&self.horizon_days) {
            Some("horizon_days must be 1 to 90")
        } else if self.min_lead_minutes > 2880 {
            Some("min_lead_minutes must be at most 2880")
        } else if !(1..=50).contains(&self.per_week) {
            Some("per_week must be 1 to 50")
        } else {
            None
        }
    }
}

/// The Monday of the week a slot starts in: the weekly booking cap counts per this day.
pub fn week_of(start: NaiveDateTime) -> NaiveDate {
    let d = start.date();
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// A period staff closed for booking (maintenance, a training, a system outage), for one
/// window or, without a window, for the whole hall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockedPeriod {
    #[serde(default)]
    pub window: Option<String>,
    /// Local date and time, `YYYY-MM-DDTHH:MM:SS`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub start: NaiveDateTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub end: NaiveDateTime,
}

/// One bookable slot of a window, in the hall's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub start: NaiveDateTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub end: NaiveDateTime,
}

/// The weekday whose hours are the hall's working-day hours: the first of Monday to
/// Friday it opens (Monday for most halls; Tuesday for one closed on Mondays), as
/// 1 = Monday; `None` for a hall open on no weekday.
pub fn usual_weekday(hall: &Hall) -> Option<u8> {
    (1..=5).find(|d| hall.hours.iter().any(|p| p.weekday == *d))
}

/// The hall's opening periods on `date` as (open, close) minutes after midnight: none on
/// a public holiday; on a make-up working day (调休, a Saturday or Sunday worked in place
/// of a weekday) the hours of a working day ([`usual_weekday`]'s), even where the hall
/// keeps shorter weekend hours of its own: the staff work a full day, as on the weekday
/// it stands in for.
pub fn opening_periods(hall: &Hall, calendar: &WorkCalendar, date: NaiveDate) -> Vec<(u32, u32)> {
    if calendar.is_holiday(date) {
        return Vec::new();
    }
    let periods = |weekday: u8| -> Vec<(u32, u32)> {
        let mut v: Vec<(u32, u32)> = hall
            .hours
            .iter()
            .filter(|p| p.weekday == weekday)
            .filter_map(|p| Some((parse_hhmm(&p.open)?, parse_hhmm(&p.close)?)))
            .filter(|(o, c)| o < c)
            .collect();
        v.sort_unstable();
        v
    };
    let working_day = calendar
        .is_make_up_day(date)
        .then(|| usual_weekday(hall).map(periods))
        .flatten();
    match working_day {
        Some(hours) if !hours.is_empty() => hours,
        _ => periods(date.weekday().number_from_monday() as u8),
    }
}

/// The slots of one window a citizen can book now (`now` in the hall's local time):
/// whole slots inside each opening period (a lunch break splits them), from today up to
/// the horizon, starting no earlier than the lead time, none on holidays, none touching
/// a blocked period of this window or of the whole hall.
pub fn window_slots(
    hall: &Hall,
    window: &str,
    calendar: &WorkCalendar,
    rules: &SlotRules,
    blocked: &[BlockedPeriod],
    now: NaiveDateTime,
) -> Vec<Slot> {
    let mut out = Vec::new();
    if rules.problem().is_some() || !hall.windows.iter().any(|w| w.code == window) {
        return out;
    }
    let earliest = now + Duration::minutes(i64::from(rules.min_lead_minutes));
    let length = Duration::minutes(i64::from(rules.slot_minutes));
    let today = now.date();
    for offset in 0..=rules.horizon_days {
        let Some(date) = today.checked_add_days(chrono::Days::new(u64::from(offset))) else {
            break;
        };
        for (open, close) in opening_periods(hall, calendar, date) {
            let mut start = open;
            while start + rules.slot_minutes <= close {
                let at =
                    |m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0).map(|t| date.and_time(t));
                if let Some(begin) = at(start) {
                    let slot = Slot {
                        start: begin,
                        end: begin + length,
                    };
                    let free = !blocked.iter().any(|b| {
                        b.window.as_deref().is_none_or(|w| w == window)
                            && b.start < slot.end
                            && slot.start < b.end
                    });
                    if slot.start >= earliest && free {
                        out.push(slot);
                    }
                }
                start += rules.slot_minutes;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Level, OpeningPeriod, Window};
    use crate::ids::HallCode;
    use crate::text::Text;
    use crate::workdays::{CalendarDay, HolidayCalendar};

    fn hall() -> Hall {
        let mut hours = Vec::new();
        for weekday in 1..=5 {
            hours.push(OpeningPeriod {
                weekday,
                open: "09:00".into(),
                close: "12:00".into(),
            });
            hours.push(OpeningPeriod {
                weekday,
                open: "13:30".into(),
                close: "17:00".into(),
            });
        }
        // Open on Saturday mornings; closed on Sundays.
        hours.push(OpeningPeriod {
            weekday: 6,
            open: "09:00".into(),
            close: "12:00".into(),
        });
        Hall {
            code: HallCode::from("HALL-T"),
            name: Text::new("测试大厅", "Test hall"),
            level: Level::City,
            address: Text::default(),
            phone: String::new(),
            timezone: "Asia/Shanghai".into(),
            latitude: 0.0,
            longitude: 0.0,
            hours,
            windows: vec![Window {
                code: "A01".into(),
                name: Text::default(),
                floor: Text::default(),
                departments: vec!["PSB".into()],
            }],
            notes: Text::default(),
        }
    }

    fn calendar() -> WorkCalendar {
        let day = |d: &str| CalendarDay {
            date: NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(),
            name: Text::default(),
        };
        WorkCalendar::new(&HolidayCalendar {
            name: Text::default(),
            timezone: "Asia/Shanghai".into(),
            holidays: [
                "2026-10-01",
                "2026-10-02",
                "2026-10-05",
                "2026-10-06",
                "2026-10-07",
            ]
            .map(day)
            .to_vec(),
            // Sunday 27 September and Saturday 10 October are make-up working days.
            workdays: vec![day("2026-09-27"), day("2026-10-10")],
        })
        .unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn on(slots: &[Slot], date: &str) -> Vec<String> {
        slots
            .iter()
            .filter(|s| s.start.date().to_string() == date)
            .map(|s| s.start.format("%H:%M").to_string())
            .collect()
    }

    fn rules(horizon_days: u32, min_lead_minutes: u32) -> SlotRules {
        SlotRules {
            slot_minutes: 30,
            capacity: 2,
            horizon_days,
            min_lead_minutes,
            per_week: 3,
        }
    }

    #[test]
    fn a_weekday_is_cut_around_the_lunch_break() {
        // Monday 21 September 2026, asked the Friday before.
        let slots = window_slots(
            &hall(),
            "A01",
            &calendar(),
            &rules(7, 0),
            &[],
            at("2026-09-18 18:00"),
        );
        let monday = on(&slots, "2026-09-21");
        assert_eq!(monday.len(), 6 + 7);
        assert_eq!(monday.first().map(String::as_str), Some("09:00"));
        assert!(monday.contains(&"11:30".to_owned()) && !monday.contains(&"12:00".to_owned()));
        assert!(!monday.contains(&"13:00".to_owned()) && monday.contains(&"13:30".to_owned()));
        assert_eq!(monday.last().map(String::as_str), Some("16:30"));
        // A 45-minute slot never runs into the break or past closing.
        let long = SlotRules {
            slot_minutes: 45,
            ..rules(7, 0)
        };
        let slots = window_slots(
            &hall(),
            "A01",
            &calendar(),
            &long,
            &[],
            at("2026-09-18 18:00"),
        );
        assert!(slots
            .iter()
            .filter(|s| s.start.date() == at("2026-09-21 00:00").date())
            .all(
                |s| s.end.time() <= NaiveTime::from_hms_opt(12, 0, 0).unwrap()
                    || s.start.time() >= NaiveTime::from_hms_opt(13, 30, 0).unwrap()
            ));
    }

    #[test]
    fn weekends_holidays_and_make_up_days() {
        let slots = window_slots(
            &hall(),
            "A01",
            &calendar(),
            &rules(30, 0),
            &[],
            at("2026-09-25 18:00"),
        );
        // Saturday: the morning only; an ordinary Sunday: closed.
        assert_eq!(on(&slots, "2026-09-26").len(), 6);
        assert!(on(&slots, "2026-10-04").is_empty());
        // The make-up Sunday stands in for a weekday: Monday's hours.
        assert_eq!(on(&slots, "2026-09-27").len(), 13);
        // National Day holidays are closed, even on weekdays and the Saturday.
        for d in ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-07"] {
            assert!(on(&slots, d).is_empty(), "{d}");
        }
        // The make-up Saturday is a full working day too, not the Saturday morning.
        assert_eq!(on(&slots, "2026-10-10").len(), 13);
        assert_eq!(on(&slots, "2026-10-08").len(), 13);
    }

    #[test]
    fn a_hall_closed_on_mondays_works_its_tuesday_hours_on_a_make_up_day() {
        let mut hall = hall();
        hall.hours.retain(|p| p.weekday != 1);
        // Tuesday is a short day at this hall: the afternoon only (7 slots; Saturday
        // morning has 6).
        hall.hours.retain(|p| p.weekday != 2 || p.open == "13:30");
        assert_eq!(usual_weekday(&hall), Some(2));
        let slots = window_slots(
            &hall,
            "A01",
            &calendar(),
            &rules(30, 0),
            &[],
            at("2026-09-25 18:00"),
        );
        // The make-up Sunday and Saturday: Tuesday's afternoon, neither closed (the
        // Sunday) nor the Saturday's own morning.
        assert_eq!(on(&slots, "2026-09-27").len(), 7);
        assert_eq!(on(&slots, "2026-10-10").len(), 7);
        // A Monday stays closed.
        assert!(on(&slots, "2026-09-28").is_empty());
        assert_eq!(
            usual_weekday(&Hall {
                hours: Vec::new(),
                ..hall
            }),
            None
        );
    }

    #[test]
    fn lead_time_and_horizon() {
        // Monday 09:40 with two hours' lead: the first slot is 11:40 → 12:00 would not fit,
        // so 13:30 is the first; slots of earlier times are gone.
        let slots = window_slots(
            &hall(),
            "A01",
            &calendar(),
            &rules(3, 120),
            &[],
            at("2026-09-21 09:40"),
        );
        assert_eq!(
            on(&slots, "2026-09-21").first().map(String::as_str),
            Some("13:30")
        );
        // 11:30 would start before 11:40.
        assert!(!on(&slots, "2026-09-21").contains(&"11:30".to_owned()));
        // The horizon: today plus three days, no more.
        assert!(!on(&slots, "2026-09-24").is_empty());
        assert!(on(&slots, "2026-09-25").is_empty());
    }

    #[test]
    fn blocked_periods_and_bad_input() {
        let block = |window: Option<&str>| BlockedPeriod {
            window: window.map(str::to_owned),
            start: at("2026-09-21 10:00"),
            end: at("2026-09-21 11:00"),
        };
        let now = at("2026-09-18 18:00");
        let slots = window_slots(
            &hall(),
            "A01",
            &calendar(),
            &rules(7, 0),
            &[block(Some("A01"))],
            now,
        );
        let monday = on(&slots, "2026-09-21");
        assert!(!monday.contains(&"10:00".to_owned()) && !monday.contains(&"10:30".to_owned()));
        assert!(monday.contains(&"09:30".to_owned()) && monday.contains(&"11:00".to_owned()));
        // A block of another window changes nothing; a hall-wide block applies.
        let other = window_slots(
            &hall(),
            "A01",
            &calendar(),
            &rules(7, 0),
            &[block(Some("B09"))],
            now,
        );
        assert_eq!(on(&other, "2026-09-21").len(), 13);
        let hall_wide = window_slots(
            &hall(),
            "A01",
            &calendar(),
            &rules(7, 0),
            &[block(None)],
            now,
        );
        assert_eq!(on(&hall_wide, "2026-09-21").len(), 11);
        // An unknown window or absurd rules give nothing rather than garbage.
        assert!(window_slots(&hall(), "Z99", &calendar(), &rules(7, 0), &[], now).is_empty());
        let bad = SlotRules {
            slot_minutes: 0,
            ..rules(7, 0)
        };
        assert!(bad.problem().is_some());
        assert!(window_slots(&hall(), "A01", &calendar(), &bad, &[], now).is_empty());
    }

    #[test]
    fn weeks_start_on_monday() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 9, 21).unwrap();
        assert_eq!(week_of(at("2026-09-21T00:00")), monday);
        assert_eq!(week_of(at("2026-09-27T23:30")), monday);
        assert_eq!(week_of(at("2026-09-28T09:00")), monday + Duration::days(7));
    }
}
