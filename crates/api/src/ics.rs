//! iCalendar files (RFC 5545) for bookings: one event in the hall's time zone with a
//! reminder alarm and the cancel link, folded and escaped as the standard requires, so
//! that phone and desktop calendars import it as it is.

use chrono::{DateTime, NaiveDateTime, Utc};

/// What goes into a booking's calendar file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Globally unique and stable for the booking (a rescheduled booking keeps it, so
    /// that calendars update the event instead of adding one).
    pub uid: String,
    /// Local start and end in `timezone`.
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    /// IANA name, e.g. `Asia/Shanghai`.
    pub timezone: String,
    /// The UTC offset of `timezone` in minutes (the zones of China have no daylight saving).
    pub utc_offset_minutes: i32,
    pub summary: String,
    pub location: String,
    pub description: String,
    /// The page where the booking can be seen and cancelled.
    pub url: String,
    /// Minutes before the start at which the calendar reminds.
    pub alarm_minutes_before: u32,
    /// When the file was made.
    pub stamp: DateTime<Utc>,
    /// Incremented on each change of the booking.
    pub sequence: u32,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (§3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}{:02}", m / 60, m % 60)
}

impl CalendarEvent {
    /// The `.ics` file: `VCALENDAR` with the zone, the event and its alarm.
    pub fn to_ics(&self) -> String {
        let local = |t: &NaiveDateTime| t.format("%Y%m%dT%H%M%S").to_string();
        let tz = text(&self.timezone);
        let lines = [
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//OneWindow//Appointments//EN".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            "METHOD:PUBLISH".to_owned(),
            "BEGIN:VTIMEZONE".to_owned(),
            format!("TZID:{tz}"),
            "BEGIN:STANDARD".to_owned(),
            "DTSTART:19700101T000000".to_owned(),
            format!("TZOFFSETFROM:{}", offset(self.utc_offset_minutes)),
            format!("TZOFFSETTO:{}", offset(self.utc_offset_minutes)),
            "END:STANDARD".to_owned(),
            "END:VTIMEZONE".to_owned(),
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", text(&self.uid)),
            format!("DTSTAMP:{}", self.stamp.format("%Y%m%dT%H%M%SZ")),
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTART;TZID={tz}:{}", local(&self.start)),
            format!("DTEND;TZID={tz}:{}", local(&self.end)),
            format!("SUMMARY:{}", text(&self.summary)),
            format!("LOCATION:{}", text(&self.location)),
            format!("DESCRIPTION:{}", text(&self.description)),
            format!("URL:{}", self.url),
            "STATUS:CONFIRMED".to_owned(),
            "BEGIN:VALARM".to_owned(),
            "ACTION:DISPLAY".to_owned(),
            format!("DESCRIPTION:{}", text(&self.summary)),
            format!("TRIGGER:-PT{}M", self.alarm_minutes_before),
            "END:VALARM".to_owned(),
            "END:VEVENT".to_owned(),
            "END:VCALENDAR".to_owned(),
        ];
        let mut out = String::new();
        for line in &lines {
            fold(line, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unfolds and splits a file into (name with parameters, value) pairs, the way a
    /// calendar reads it.
    fn parse(ics: &str) -> Vec<(String, String)> {
        assert!(ics.ends_with("\r\n"));
        let unfolded = ics.replace("\r\n ", "");
        unfolded
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (k, v) = l.split_once(':').expect("name:value");
                (k.to_owned(), v.to_owned())
            })
            .collect()
    }

    fn unescape(v: &str) -> String {
        v.replace("\\n", "\n")
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\\\", "\\")
    }

    fn event() -> CalendarEvent {
        let at = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        CalendarEvent {
            uid: "booking-42@onewindow.example".into(),
            start: at("2026-11-24 09:30"),
            end: at("2026-11-24 10:00"),
            timezone: "Asia/Shanghai".into(),
            utc_offset_minutes: 480,
            summary: "预约：居民身份证换领 (A01)".into(),
            location: "临江市民中心, 市民大道1号; 一楼 A01".into(),
            description: "请携带：居民身份证原件；户口簿。\n预约码 7K3Q9P\n取消预约：https://onewindow.example/bookings/42".into(),
            url: "https://onewindow.example/bookings/42".into(),
            alarm_minutes_before: 60,
            stamp: DateTime::parse_from_rfc3339("2026-11-23T02:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            sequence: 0,
        }
    }

    #[test]
    fn a_booking_reads_back_whole() {
        let ics = event().to_ics();
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
        }
        let props = parse(&ics);
        let get = |k: &str| {
            props
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{k} missing"))
        };
        assert_eq!(props.first().unwrap().1, "VCALENDAR");
        assert_eq!(props.last().unwrap().1, "VCALENDAR");
        assert_eq!(get("VERSION"), "2.0");
        assert_eq!(get("DTSTART;TZID=Asia/Shanghai"), "20261124T093000");
        assert_eq!(get("DTEND;TZID=Asia/Shanghai"), "20261124T100000");
        assert_eq!(get("TZOFFSETTO"), "+0800");
        assert_eq!(get("DTSTAMP"), "20261123T020000Z");
        assert_eq!(get("TRIGGER"), "-PT60M");
        assert_eq!(unescape(&get("SUMMARY")), event().summary);
        assert_eq!(unescape(&get("LOCATION")), event().location);
        assert_eq!(unescape(&get("DESCRIPTION")), event().description);
        assert_eq!(get("URL"), event().url);
        // Every BEGIN has its END, properly nested.
        let mut stack = Vec::new();
        for (k, v) in &props {
            match k.as_str() {
                "BEGIN" => stack.push(v.clone()),
                "END" => assert_eq!(stack.pop().as_deref(), Some(v.as_str())),
                _ => {}
            }
        }
        assert!(stack.is_empty());
    }

    #[test]
    fn folding_never_splits_a_character() {
        let mut long = event();
        long.description = "请携带材料，".repeat(40);
        let ics = long.to_ics();
        // Every physical line is valid UTF-8 on its own (it is a &str) and ≤ 75 octets.
        assert!(ics.split("\r\n").all(|l| l.len() <= 75));
        let props = parse(&ics);
        let d = props.iter().find(|(k, _)| k == "DESCRIPTION").unwrap();
        assert_eq!(unescape(&d.1), long.description);
    }
}
