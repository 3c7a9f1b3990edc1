//! Public statistics (办件统计): per department and city-wide over a period, the counts
//! the server gathers and the rates everybody derives from them the same way (on time,
//! handled on the spot, average working days, satisfaction).

use crate::catalogue::Department;
use crate::error::FieldError;
use crate::ids::DepartmentCode;
use crate::rating::Satisfaction;
use crate::text::Text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest period asked for at once, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;
/// The period when none is given: the last 30 days up to today.
pub const DEFAULT_PERIOD_DAYS: i64 = 30;

/// `GET /api/v1/stats`: dates are local (`YYYY-MM-DD`), both included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct StatsQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

impl StatsQuery {
    /// The period asked for, given today's date, or what is wrong with it.
    pub fn period(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Vec<FieldError>> {
        let parse = |field: &str, v: &Option<String>| match v.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| FieldError::new(field, "format", "give a date as YYYY-MM-DD"))
                .and_then(|d| {
                    // Statistics start with the service; far dates only overflow.
                    (1990..=2199)
                        .contains(&chrono::Datelike::year(&d))
                        .then_some(Some(d))
                        .ok_or_else(|| {
                            FieldError::new(field, "range", "give a date between 1990 and 2199")
                        })
                }),
        };
        let (from, to) = match (parse("from", &self.from), parse("to", &self.to)) {
            (Ok(f), Ok(t)) => (f, t),
            (f, t) => return Err([f.err(), t.err()].into_iter().flatten().collect()),
        };
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - chrono::Duration::days(DEFAULT_PERIOD_DAYS - 1));
        if from > to {
            return Err(vec![FieldError::new(
                "from",
                "range",
                "the period must start on or before its end",
            )]);
        }
        if (to - from).num_days() >= MAX_PERIOD_DAYS {
            return Err(vec![FieldError::new(
                "to",
                "range",
                "ask for at most 366 days at once",
            )]);
        }
        Ok((from, to))
    }
}

/// What was counted for one department, or the whole city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    /// Applications submitted in the period (收件).
    pub received: u64,
    /// Applications decided in the period (办结).
    pub completed: u64,
    /// Of those, decided by their due date.
    pub on_time: u64,
    /// Of those, decided on the day they were accepted (当场办结).
    pub on_the_spot: u64,
    /// Working days from acceptance to decision, summed over the completed, clock stops
    /// left out.
    pub working_days: u64,
    /// Ratings given in the period, by level: 非常满意 first, 非常不满意 last.
    pub ratings: [u64; 5],
    /// Appointments in the period (not cancelled).
    pub bookings: u64,
    /// Of those, not attended.
    pub no_shows: u64,
}

impl Counts {
    /// Adds another group's counts, for the city-wide total.
    pub fn add(&mut self, o: &Counts) {
        self.received += o.received;
        self.completed += o.completed;
        self.on_time += o.on_time;
        self.on_the_spot += o.on_the_spot;
        self.working_days += o.working_days;
        for (a, b) in self.ratings.iter_mut().zip(o.ratings) {
            *a += b;
        }
        self.bookings += o.bookings;
        self.no_shows += o.no_shows;
    }

    /// Counts one rating.
    pub fn rate(&mut self, level: Satisfaction, n: u64) {
        self.ratings[usize::from(5 - level.score())] += n;
    }

    pub fn rates(&self) -> Rates {
        let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
        let rated: u64 = self.ratings.iter().sum();
        let satisfied: u64 = Satisfaction::ALL
            .iter()
            .filter(|s| s.is_satisfied())
            .map(|s| self.ratings[usize::from(5 - s.score())])
            .sum();
        Rates {
            on_time: ratio(self.on_time, self.completed),
            on_the_spot: ratio(self.on_the_spot, self.completed),
            average_working_days: ratio(self.working_days, self.completed),
            satisfaction: ratio(satisfied, rated),
            no_show: ratio(self.no_shows, self.bookings),
        }
    }
}

/// Rates derived from `Counts` (0–1, or days); absent when there is nothing to divide by.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rates {
    pub on_time: Option<f64>,
    pub on_the_spot: Option<f64>,
    pub average_working_days: Option<f64>,
    /// 满意率: the three upper levels over all ratings.
    pub satisfaction: Option<f64>,
    pub no_show: Option<f64>,
}

/// One department's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentStats {
    pub department: DepartmentCode,
    pub name: Text,
    pub counts: Counts,
    pub rates: Rates,
}

/// The answer of `GET /api/v1/stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    pub from: String,
    pub to: String,
    pub city: Counts,
    pub city_rates: Rates,
    /// Every department, in code order.
    pub departments: Vec<DepartmentStats>,
}

impl Stats {
    /// Assembles the figures of every department (zero where nothing was counted) and
    /// the city-wide total.
    pub fn assemble(
        period: (NaiveDate, NaiveDate),
        departments: &[Department],
        mut counted: impl FnMut(&str) -> Counts,
    ) -> Stats {
        let mut city = Counts::default();
        let departments = departments
            .iter()
            .map(|d| {
                let counts = counted(d.code.as_str());
                city.add(&counts);
                DepartmentStats {
                    department: d.code.clone(),
                    name: d.name.clone(),
                    rates: counts.rates(),
                    counts,
                }
            })
            .collect();
        Stats {
            from: period.0.to_string(),
            to: period.1.to_string(),
            city_rates: city.rates(),
            city,
            departments,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_default_to_the_last_30_days_and_are_bounded() {
        let today = day("2026-11-23");
        assert_eq!(
            StatsQuery::default().period(today),
            Ok((day("2026-10-25"), today))
        );
        let q = |f: &str, t: &str| StatsQuery {
            from: Some(f.into()),
            to: Some(t.into()),
        };
        assert_eq!(
            q("2026-01-01", "2026-01-31").period(today),
            Ok((day("2026-01-01"), day("2026-01-31")))
        );
        assert_eq!(
            q("2026-02-01", "2026-01-31").period(today).unwrap_err()[0].reason,
            "range"
        );
        assert_eq!(
            q("2025-01-01", "2026-01-31").period(today).unwrap_err()[0].reason,
            "range"
        );
        let both = q("yesterday", "31/01/2026").period(today).unwrap_err();
        assert_eq!(both.len(), 2);
        // Far dates are refused, not overflowed (the day after the last date chrono
        // knows does not exist).
        let far = q("+262142-12-30", "+262142-12-31")
            .period(today)
            .unwrap_err();
        assert_eq!(
            (far[0].field.as_str(), far[0].reason.as_str()),
            ("from", "range")
        );
        assert_eq!(far.len(), 2);
    }

    #[test]
    fn rates_come_from_the_counts() {
        let mut c = Counts {
            completed: 4,
            on_time: 3,
            on_the_spot: 1,
            working_days: 10,
            bookings: 5,
            no_shows: 1,
            ..Default::default()
        };
        c.rate(Satisfaction::VerySatisfied, 3);
        c.rate(Satisfaction::Basic, 1);
        c.rate(Satisfaction::VeryDissatisfied, 1);
        assert_eq!(c.ratings, [3, 0, 1, 0, 1]);
        let r = c.rates();
        assert_eq!(r.on_time, Some(0.75));
        assert_eq!(r.on_the_spot, Some(0.25));
        assert_eq!(r.average_working_days, Some(2.5));
        assert_eq!(r.satisfaction, Some(0.8));
        assert_eq!(r.no_show, Some(0.2));
        assert_eq!(Counts::default().rates(), Rates::default());
        let mut total = Counts::default();
        total.add(&c);
        total.add(&c);
        assert_eq!(total.ratings, [6, 0, 2, 0, 2]);
        assert_eq!(total.completed, 8);
    }
}
