//! Texts of the service guide: its sections, and what is worked out from its data (a
//! step's time, a hall's opening hours as lines).

use super::{t, weekday, working_days, Key};
use onewindow_api::catalogue::OpeningPeriod;
use onewindow_api::Lang;

/// The sections of a service guide, in the order of the standard: (anchor, heading).
pub const GUIDE_SECTIONS: [(&str, Key); 11] = [
    ("basic", Key::GuideBasic),
    ("conditions", Key::Conditions),
    ("materials", Key::Materials),
    ("fees", Key::Fees),
    ("process", Key::Process),
    ("result", Key::ResultTitle),
    ("venues", Key::WhereToGo),
    ("rights", Key::RightsDuties),
    ("channels", Key::Channels),
    ("legal-basis", Key::LegalBasis),
    ("faq", Key::Faq),
];

/// A process step's time: "on the spot" or its working days.
pub fn step_days(lang: Lang, days: u32) -> String {
    if days == 0 {
        t(lang, Key::OnTheSpot).to_owned()
    } else {
        working_days(lang, days)
    }
}

/// Opening hours as lines, consecutive days with the same periods joined:
/// "Mon–Fri 09:00–12:00, 13:30–17:00".
pub fn opening_lines(lang: Lang, hours: &[OpeningPeriod]) -> Vec<String> {
    let day = |d: u8| {
        let mut periods: Vec<&OpeningPeriod> = hours.iter().filter(|p| p.weekday == d).collect();
        periods.sort_by(|a, b| a.open.cmp(&b.open));
        periods
            .iter()
            .map(|p| format!("{}–{}", p.open, p.close))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = Vec::new();
    let mut d = 1u8;
    while d <= 7 {
        let periods = day(d);
        let mut end = d;
        while end < 7 && day(end + 1) == periods {
            end += 1;
        }
        if !periods.is_empty() {
            let first = t(lang, weekday(d));
            let days = if end == d {
                first.to_owned()
            } else {
                let sep = if lang == Lang::ZhCn { "至" } else { "–" };
                format!("{first}{sep}{}", t(lang, weekday(end)))
            };
            lines.push(format!("{days} {periods}"));
        }
        d = end + 1;
    }
    lines
}
