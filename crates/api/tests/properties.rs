//! Property-based tests of the rules both sides run: identity numbers (a valid number
//! always parses, any single changed character never does, and no input panics), the
//! working-day calendar over random holiday calendars, and the case state machine over
//! random walks of actions.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use onewindow_api::case::{Actor, CaseAction, CaseState};
use onewindow_api::idnum::{
    credit_code_check_char, mask_id_number, resident_id_check_char, CreditCode, ResidentId,
    PROVINCES,
};
use onewindow_api::workdays::{CalendarDay, HolidayCalendar, Light, WorkCalendar};
use onewindow_api::Text;
use proptest::prelude::*;

/// The first 17 characters of a well-formed resident ID number: a region in use (a
/// province and four more digits, a Taiwan resident's permit, or a foreigner's permanent
/// residence card: 9, a mainland province and a nationality), a real birth date and a
/// sequence number.
fn id_body() -> impl Strategy<Value = String> {
    let region = prop_oneof![
        (proptest::sample::select(&PROVINCES[..]), 0u32..10_000)
            .prop_map(|(p, rest)| format!("{p}{rest:04}")),
        (0u32..10_000).prop_map(|rest| format!("83{rest:04}")),
        (proptest::sample::select(&PROVINCES[..31]), 0u32..1000)
            .prop_map(|(p, nationality)| format!("9{p}{nationality:03}")),
    ];
    (region, 0i64..60_000, 0u32..1000).prop_map(|(region, days, seq)| {
        let born = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Days::new(days as u64);
        format!("{region}{}{seq:03}", born.format("%Y%m%d"))
    })
}

const USCC: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The first 17 characters of a well-formed credit code.
fn credit_body() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(0usize..USCC.len(), 2),
        0u32..1_000_000,
        proptest::collection::vec(0usize..USCC.len(), 9),
    )
        .prop_map(|(head, region, tail)| {
            let pick = |i: &usize| USCC.as_bytes()[*i] as char;
            let head: String = head.iter().map(pick).collect();
            let tail: String = tail.iter().map(pick).collect();
            format!("{head}{region:06}{tail}")
        })
}

proptest! {
    #[test]
    fn a_valid_resident_id_parses_and_masks(body in id_body()) {
        let check = resident_id_check_char(&body).unwrap();
        let id = format!("{body}{check}");
        let parsed = ResidentId::parse(&id).unwrap();
        prop_assert_eq!(parsed.as_str(), id.as_str());
        // Lowercase x and surrounding blanks are accepted.
        let padded = format!(" {} ", id.to_lowercase());
        prop_assert!(ResidentId::parse(&padded).is_ok());
        let masked = parsed.masked();
        prop_assert_eq!(&masked[..4], &id[..4]);
        prop_assert_eq!(&masked[14..], &id[14..]);
        prop_assert_eq!(&masked[4..14], "**********");
        let debug = format!("{:?}", parsed);
        prop_assert!(!debug.contains(&id[4..14]));
    }

    #[test]
    fn any_single_changed_character_of_a_resident_id_is_refused(
        body in id_body(), at in 0usize..18, by in 1u8..10,
    ) {
        let id = format!("{body}{}", resident_id_check_char(&body).unwrap());
        let mut bytes = id.into_bytes();
        bytes[at] = match bytes[at] {
            b'X' => b'0' + by % 10,
            d => b'0' + (d - b'0' + by) % 10,
        };
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(ResidentId::parse(&changed).is_err(), "{} parsed", changed);
    }

    #[test]
    fn a_valid_credit_code_parses_and_a_changed_one_does_not(
        body in credit_body(), at in 0usize..18, by in 1usize..31,
    ) {
        let code = format!("{body}{}", credit_code_check_char(&body).unwrap());
        prop_assert!(CreditCode::parse(&code).is_ok());
        let mut chars: Vec<char> = code.chars().collect();
        let i = USCC.find(chars[at]).unwrap();
        chars[at] = USCC.as_bytes()[(i + by) % USCC.len()] as char;
        let changed: String = chars.into_iter().collect();
        prop_assert!(CreditCode::parse(&changed).is_err(), "{} parsed", changed);
    }

    #[test]
    fn no_input_makes_the_identity_checks_panic(s in "\\PC{0,24}") {
        let _ = ResidentId::parse(&s);
        let _ = CreditCode::parse(&s);
        let masked = mask_id_number(&s);
        prop_assert_eq!(masked.chars().count(), s.chars().count());
    }

    #[test]
    fn eighteen_characters_of_any_kind_never_panic(s in "[0-9xX\\u{e9}\\u{4e00}-\\u{4e10}]{16,19}") {
        let _ = ResidentId::parse(&s);
        let _ = CreditCode::parse(&s);
    }
}

/// A calendar of random holidays and make-up days in 2026–2027.
fn calendar() -> impl Strategy<Value = WorkCalendar> {
    proptest::collection::btree_map(0u64..730, any::<bool>(), 0..80).prop_map(|days| {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let day = |offset: &u64| CalendarDay {
            date: start + Days::new(*offset),
            name: Text::default(),
        };
        let cal = HolidayCalendar {
            name: Text::default(),
            timezone: "Asia/Shanghai".into(),
            holidays: days
                .iter()
                .filter(|(_, h)| **h)
                .map(|(o, _)| day(o))
                .collect(),
            workdays: days
                .iter()
                .filter(|(_, h)| !**h)
                .map(|(o, _)| day(o))
                .collect(),
        };
        WorkCalendar::new(&cal).unwrap()
    })
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0u64..700).prop_map(|o| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(o))
}

proptest! {
    #[test]
    fn adding_working_days_counts_back_exactly(cal in calendar(), start in date(), n in 0u32..60) {
        let due = cal.add_working_days(start, n);
        prop_assert_eq!(cal.working_days_between(start, due), n);
        if n > 0 {
            prop_assert!(cal.is_working_day(due));
            prop_assert!(due > start);
        } else {
            prop_assert_eq!(due, start);
        }
        prop_assert_eq!(cal.working_days_left(start, due), i64::from(n));
    }

    #[test]
    fn working_days_add_up_over_adjacent_ranges(cal in calendar(), a in date(), b in date(), c in date()) {
        let mut v = [a, b, c];
        v.sort();
        let [a, b, c] = v;
        prop_assert_eq!(
            cal.working_days_between(a, b) + cal.working_days_between(b, c),
            cal.working_days_between(a, c)
        );
        prop_assert_eq!(cal.working_days_between(c, a), 0);
        prop_assert_eq!(cal.working_days_left(c, a), -i64::from(cal.working_days_between(a, c)));
    }

    #[test]
    fn the_next_working_day_is_the_first(cal in calendar(), d in date()) {
        let next = cal.next_working_day(d);
        prop_assert!(next >= d);
        prop_assert!(cal.is_working_day(next));
        let mut x = d;
        while x < next {
            prop_assert!(!cal.is_working_day(x));
            x = x + Days::new(1);
        }
    }

    #[test]
    fn weekends_work_only_as_make_up_days_and_holidays_never(cal in calendar(), d in date()) {
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        if cal.is_holiday(d) {
            prop_assert!(!cal.is_working_day(d));
        } else if cal.is_make_up_day(d) {
            prop_assert!(cal.is_working_day(d));
        } else {
            prop_assert_eq!(cal.is_working_day(d), !weekend);
        }
    }

    #[test]
    fn the_light_turns_red_only_after_the_deadline(
        cal in calendar(), today in date(), deadline in date(), yellow in 0u32..5,
    ) {
        let light = cal.light(today, deadline, yellow);
        prop_assert_eq!(light == Light::Red, today > deadline);
        if light == Light::Green {
            prop_assert!(cal.working_days_between(today, deadline) > yellow);
        }
    }
}

proptest! {
    #[test]
    fn random_walks_keep_the_state_machine_sound(
        steps in proptest::collection::vec((0usize..CaseAction::ALL.len(), any::<bool>()), 0..40),
    ) {
        let mut state = CaseState::Draft;
        let mut accepted = false;
        for (a, staff) in steps {
            let action = CaseAction::ALL[a];
            let actor = if staff { Actor::Staff } else { Actor::Applicant };
            let offered = state.available_actions(actor, accepted).contains(&action);
            match state.next(action, actor, accepted) {
                Ok(next) => {
                    // Only the action's own actor, only what the buttons offer, and
                    // never out of a final state.
                    prop_assert_eq!(action.actor(), actor);
                    prop_assert!(offered);
                    prop_assert!(!state.is_final());
                    if action == CaseAction::Accept {
                        accepted = true;
                    }
                    // A correction answered after acceptance goes back to review,
                    // before it to pre-review.
                    if action == CaseAction::Resubmit {
                        prop_assert_eq!(
                            next,
                            if accepted { CaseState::UnderReview } else { CaseState::Submitted }
                        );
                    }
                    prop_assert!(CaseState::parse(next.as_str()) == Some(next));
                    state = next;
                }
                Err(_) => prop_assert!(!offered),
            }
            if state.is_final() {
                prop_assert!(state.available_actions(Actor::Staff, accepted).is_empty());
                prop_assert!(state.available_actions(Actor::Applicant, accepted).is_empty());
            }
            prop_assert!(!state.clock_runs() || accepted);
        }
    }
}
