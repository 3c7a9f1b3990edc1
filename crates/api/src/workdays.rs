//! Working-day arithmetic (工作日) over a holiday calendar with make-up working days (调休).
//! The calendar is data per deployment (a JSON file), never code.

use crate::text::Text;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One dated entry of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub name: Text,
}

/// The deployment's holiday calendar: public holidays (days off even on weekdays) and
/// make-up working days (weekend days that are worked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolidayCalendar {
    pub name: Text,
    pub timezone: String,
    pub holidays: Vec<CalendarDay>,
    pub workdays: Vec<CalendarDay>,
}

/// The UTC offset, in seconds east, of a time zone the product serves: those of mainland
/// China, Hong Kong, Macao and Taiwan (none observes daylight saving time, so one fixed
/// offset is exact), and UTC. `None` for any other zone, which a calendar or a hall
/// may therefore not name: its times would silently be wrong.
pub fn utc_offset_seconds(timezone: &str) -> Option<i32> {
    let hours = match timezone {
        "Asia/Shanghai" | "Asia/Chongqing" | "Asia/Chungking" | "Asia/Harbin"
        | "Asia/Hong_Kong" | "Asia/Macau" | "Asia/Macao" | "Asia/Taipei" | "PRC" | "ROC"
        | "Hongkong" => 8,
        "Asia/Urumqi" | "Asia/Kashgar" => 6,
        "UTC" | "Etc/UTC" => 0,
        _ => return None,
    };
    Some(hours * 3600)
}

/// Why a calendar was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("the time zone {0:?} is not one of those served (e.g. Asia/Shanghai)")]
    TimeZone(String),
    #[error("{0} is listed both as a holiday and as a make-up working day")]
    Both(NaiveDate),
    #[error("{0} is listed twice")]
    Duplicate(NaiveDate),
}

/// A calendar prepared for fast look-ups.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    /// `true` = working day, `false` = day off; dates not listed follow the weekday rule.
    overrides: BTreeMap<NaiveDate, bool>,
}

/// A limit on loops, so that a pathological calendar (all days off) cannot hang a caller.
const MAX_SCAN_DAYS: u32 = 366 * 20;

impl WorkCalendar {
    pub fn new(calendar: &HolidayCalendar) -> Result<WorkCalendar, CalendarError> {
        if utc_offset_seconds(&calendar.timezone).is_none() {
            return Err(CalendarError::TimeZone(calendar.timezone.clone()));
        }
        let mut overrides = BTreeMap::new();
        for d in &calendar.holidays {
            if overrides.insert(d.date, false).is_some() {
                return Err(CalendarError::Duplicate(d.date));
            }
        }
        for d in &calendar.workdays {
            match overrides.insert(d.date, true) {
                Some(false) => return Err(CalendarError::Both(d.date)),
                Some(true) => return Err(CalendarError::Duplicate(d.date)),
                None => {}
            }
        }
        Ok(WorkCalendar { overrides })
    }

    /// A public holiday of the calendar (whatever the weekday).
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.overrides.get(&date) == Some(&false)
    }

    /// A make-up working day (调休上班), usually a Saturday or Sunday.
    pub fn is_make_up_day(&self, date: NaiveDate) -> bool {
        self.overrides.get(&date) == Some(&true)
    }

    /// Monday to Friday, unless a holiday; Saturday and Sunday only as make-up days.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.overrides.get(&date) {
            Some(&working) => working,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The date on which a limit of `n` working days ends when the clock starts on
    /// `start`: the start day itself does not count (a case accepted on Friday with a
    /// limit of 1 is due on the next working day). `n = 0` is the start day (instant).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut date = start;
        let mut left = n;
        let mut scanned = 0;
        while left > 0 && scanned < MAX_SCAN_DAYS {
            date = date.checked_add_days(Days::new(1)).unwrap_or(date);
            scanned += 1;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// Working days in the half-open range `(from, to]`; 0 when `to <= from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut date = from;
        let mut scanned = 0;
        while date < to && scanned < MAX_SCAN_DAYS {
            date = date.checked_add_days(Days::new(1)).unwrap_or(to);
            scanned += 1;
            if self.is_working_day(date) {
                count += 1;
            }
        }
        count
    }

    /// The first working day on or after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        for _ in 0..MAX_SCAN_DAYS {
            if self.is_working_day(d) {
                return d;
            }
            d = d.checked_add_days(Days::new(1)).unwrap_or(d);
        }
        d
    }
}

/// Supervision light of a case (红黄灯预警).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Green,
    /// The promised limit is near: at most `yellow_days` working days are left.
    Yellow,
    /// The promised limit is exceeded.
    Red,
}

impl Light {
    pub const ALL: [Light; 3] = [Light::Green, Light::Yellow, Light::Red];

    /// The wire name (as serde writes it), for URLs and attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }

    pub fn parse(s: &str) -> Option<Light> {
        Light::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl WorkCalendar {
    /// The light of a running case due on `deadline`, seen on `today`: red after the
    /// deadline, yellow when at most `yellow_days` working days remain, else green.
    pub fn light(&self, today: NaiveDate, deadline: NaiveDate, yellow_days: u32) -> Light {
        if today > deadline {
            Light::Red
        } else if self.working_days_between(today, deadline) <= yellow_days {
            Light::Yellow
        } else {
            Light::Green
        }
    }
}

/// A period in which a case's clock was stopped: from the day a correction notice was
/// sent after acceptance, or a special procedure started, to the day it ended (`None`
/// while it is still open); `case::pauses` finds them in a case's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl WorkCalendar {
    /// Working days spent in pauses: those in `(start, end]` of each, counting an open
    /// pause up to `today`.
    pub fn paused_working_days(&self, pauses: &[Pause], today: NaiveDate) -> u32 {
        pauses
            .iter()
            .map(|p| self.working_days_between(p.start, p.end.unwrap_or(today).max(p.start)))
            .sum()
    }

    /// The working days a case decided on `decided` spent with its clock running since
    /// `accepted`: those between the two, less those in its pauses.
    pub fn working_days_running(
        &self,
        accepted: NaiveDate,
        decided: NaiveDate,
        pauses: &[Pause],
    ) -> u32 {
        self.working_days_between(accepted, decided)
            .saturating_sub(self.paused_working_days(pauses, decided))
    }

    /// The due date of a case accepted on `accepted` with a limit of `promised` working
    /// days, moved out by the working days its clock was stopped.
    pub fn due_date(
        &self,
        accepted: NaiveDate,
        promised: u32,
        pauses: &[Pause],
        today: NaiveDate,
    ) -> NaiveDate {
        self.add_working_days(
            accepted,
            promised.saturating_add(self.paused_working_days(pauses, today)),
        )
    }

    /// Whether a reminder of something sent on `sent_on` and due on `due` is due `today`:
    /// from the day `ahead` working days before `due` (counted as in
    /// [`WorkCalendar::working_days_left`]) to `due` itself, never on the day it was sent
    /// (the applicant has just read it) nor once it is overdue (the case shows that), and
    /// never with `ahead` 0.
    pub fn reminder_due(
        &self,
        sent_on: NaiveDate,
        due: NaiveDate,
        today: NaiveDate,
        ahead: u32,
    ) -> bool {
        ahead > 0
            && sent_on < today
            && today <= due
            && self.working_days_left(today, due) <= i64::from(ahead)
    }

    /// Working days from `today` to `due`: positive while time is left, 0 on the due day,
    /// negative once overdue.
    pub fn working_days_left(&self, today: NaiveDate, due: NaiveDate) -> i64 {
        if today <= due {
            i64::from(self.working_days_between(today, due))
        } else {
            -i64::from(self.working_days_between(due, today))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_lights_name_is_its_wire_name() {
        for l in Light::ALL {
            assert_eq!(serde_json::to_value(l).unwrap(), l.as_str());
            assert_eq!(Light::parse(l.as_str()), Some(l));
        }
        assert_eq!(Light::parse("amber"), None);
    }

    fn day(s: &str) -> CalendarDay {
        CalendarDay {
            date: d(s),
            name: Text::new("节日", "holiday"),
        }
    }

    /// National Day 2026: 1–7 October off, Saturday 10 October worked (and Sunday 20
    /// September before it).
    fn calendar() -> WorkCalendar {
        WorkCalendar::new(&HolidayCalendar {
            name: Text::new("测试", "test"),
            timezone: "Asia/Shanghai".into(),
            holidays: [
                "2026-10-01",
                "2026-10-02",
                "2026-10-05",
                "2026-10-06",
                "2026-10-07",
            ]
            .into_iter()
            .map(day)
            .collect(),
            workdays: vec![day("2026-09-20"), day("2026-10-10")],
        })
        .unwrap()
    }

    #[test]
    fn weekdays_weekends_holidays_and_makeup_days() {
        let c = calendar();
        assert!(c.is_working_day(d("2026-09-30"))); // Wednesday
        assert!(!c.is_working_day(d("2026-10-01"))); // Thursday, holiday
        assert!(!c.is_working_day(d("2026-10-03"))); // Saturday
        assert!(c.is_working_day(d("2026-10-10"))); // Saturday, make-up day
        assert!(c.is_working_day(d("2026-09-20"))); // Sunday, make-up day
    }

    #[test]
    fn adding_working_days_skips_the_golden_week() {
        let c = calendar();
        // Accepted Wednesday 30 September with 3 working days: 8, 9 and 10 October.
        assert_eq!(c.add_working_days(d("2026-09-30"), 3), d("2026-10-10"));
        assert_eq!(c.add_working_days(d("2026-09-30"), 1), d("2026-10-08"));
        assert_eq!(c.add_working_days(d("2026-09-30"), 0), d("2026-09-30"));
        // Friday + 1 is Monday.
        assert_eq!(c.add_working_days(d("2026-11-20"), 1), d("2026-11-23"));
    }

    #[test]
    fn a_reminder_comes_in_the_last_working_days_before_the_due_day() {
        let c = calendar();
        // A notice of Friday 25 September, due (whatever the period) on Monday 12
        // October; two working days ahead is from Friday 9 October (Saturday 10 is a
        // make-up working day).
        let (sent, due) = (d("2026-09-25"), d("2026-10-12"));
        let due_on = |today: &str| c.reminder_due(sent, due, d(today), 2);
        assert!(!due_on("2026-10-08"), "three working days left");
        assert!(due_on("2026-10-09"));
        assert!(due_on("2026-10-11"), "a Sunday, one working day left");
        assert!(due_on("2026-10-12"), "the due day itself");
        assert!(!due_on("2026-10-13"), "overdue");
        // Never on the day of the notice, even when it gives so little time.
        assert!(!c.reminder_due(due, due, due, 2));
        assert!(c.reminder_due(d("2026-10-09"), due, d("2026-10-10"), 2));
        // No reminders with 0.
        assert!(!c.reminder_due(sent, due, due, 0));
    }

    #[test]
    fn counting_is_the_inverse_of_adding() {
        let c = calendar();
        let start = d("2026-09-15");
        for n in 0..40 {
            let end = c.add_working_days(start, n);
            assert_eq!(c.working_days_between(start, end), n, "n = {n}");
        }
        assert_eq!(c.working_days_between(d("2026-10-10"), d("2026-10-01")), 0);
    }

    #[test]
    fn lights() {
        let c = calendar();
        let deadline = d("2026-11-27"); // Friday
        assert_eq!(c.light(d("2026-11-16"), deadline, 2), Light::Green);
        assert_eq!(c.light(d("2026-11-25"), deadline, 2), Light::Yellow);
        assert_eq!(c.light(d("2026-11-27"), deadline, 2), Light::Yellow);
        assert_eq!(c.light(d("2026-11-28"), deadline, 2), Light::Red);
    }

    #[test]
    fn corrections_stop_the_clock_across_a_weekend_and_the_holiday() {
        let c = calendar();
        // Accepted Monday 21 September with 10 working days; a correction notice on
        // Friday 25 September answered on Thursday 8 October: 28, 29, 30 September and
        // 8 October were paused (the weekend and the holiday were never working days).
        let pause = Pause {
            start: d("2026-09-25"),
            end: Some(d("2026-10-08")),
        };
        assert_eq!(c.paused_working_days(&[pause], d("2026-10-20")), 4);
        // Decided on Tuesday 20 October: of the 17 working days since acceptance
        // (10 October, a make-up Saturday, among them), 13 with the clock running.
        assert_eq!(c.working_days_between(d("2026-09-21"), d("2026-10-20")), 17);
        assert_eq!(
            c.working_days_running(d("2026-09-21"), d("2026-10-20"), &[pause]),
            13
        );
        assert_eq!(c.add_working_days(d("2026-09-21"), 10), d("2026-10-10"));
        assert_eq!(
            c.due_date(d("2026-09-21"), 10, &[pause], d("2026-10-20")),
            d("2026-10-15")
        );
        // While the notice is open, the due date keeps moving with today.
        let open = Pause {
            start: d("2026-09-25"),
            end: None,
        };
        assert_eq!(
            c.due_date(d("2026-09-21"), 10, &[open], d("2026-09-29")),
            d("2026-10-13")
        );
        assert_eq!(c.working_days_left(d("2026-10-13"), d("2026-10-15")), 2);
        assert_eq!(c.working_days_left(d("2026-10-15"), d("2026-10-15")), 0);
        assert_eq!(c.working_days_left(d("2026-10-19"), d("2026-10-15")), -2);
    }

    #[test]
    fn contradictory_calendars_are_rejected() {
        let cal = HolidayCalendar {
            timezone: "Asia/Shanghai".into(),
            holidays: vec![day("2026-10-10")],
            workdays: vec![day("2026-10-10")],
            ..Default::default()
        };
        assert_eq!(
            WorkCalendar::new(&cal).unwrap_err(),
            CalendarError::Both(d("2026-10-10"))
        );
        let dup = HolidayCalendar {
            timezone: "Asia/Shanghai".into(),
            holidays: vec![day("2026-10-01"), day("2026-10-01")],
            ..Default::default()
        };
        assert!(matches!(
            WorkCalendar::new(&dup),
            Err(CalendarError::Duplicate(_))
        ));
    }

    #[test]
    fn only_the_time_zones_served_are_taken() {
        assert_eq!(utc_offset_seconds("Asia/Shanghai"), Some(8 * 3600));
        assert_eq!(utc_offset_seconds("Asia/Hong_Kong"), Some(8 * 3600));
        assert_eq!(utc_offset_seconds("Asia/Urumqi"), Some(6 * 3600));
        assert_eq!(utc_offset_seconds("UTC"), Some(0));
        for unknown in ["", "Europe/Berlin", "asia/shanghai", "CST", "+08:00"] {
            assert_eq!(utc_offset_seconds(unknown), None, "{unknown}");
            let cal = HolidayCalendar {
                timezone: unknown.into(),
                ..Default::default()
            };
            assert_eq!(
                WorkCalendar::new(&cal).unwrap_err(),
                CalendarError::TimeZone(unknown.into())
            );
        }
    }
}
