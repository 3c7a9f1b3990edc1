//! `/stats?from=…&to=…`: the public statistics (政务服务统计), open to everyone. A period
//! picker (the last 30 days unless chosen), the city's figures, the on-time and
//! satisfaction rates of every department as bar charts drawn here in SVG, the ratings
//! by level as one stacked bar, and all of it again as a table for screen readers.

use crate::api;
use crate::app::set_title;
use crate::fetched::{listed, Fetched};
use crate::i18n::{decimal, percent, t, use_i18n, Key};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use onewindow_api::rating::Satisfaction;
use onewindow_api::stats::{Counts, Rates, Stats};
use onewindow_api::{Lang, Text};

// Geometry of the bar charts, in SVG units. The picture scales to the width of the
// screen; at 360 px it is drawn about 0.9 times this size, so the labels stay legible.
const WIDTH: f64 = 360.0;
const ROW: f64 = 46.0;
const BAR_H: f64 = 16.0;
/// Room at the right of a bar for its value.
const VALUE_W: f64 = 64.0;

#[component]
pub fn StatsPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| set_title(t(i18n.lang(), Key::StatsTitle), i18n.lang()));
    let query = use_query_map();
    let navigate = use_navigate();
    let period = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("from").filter(|s| !s.is_empty()),
            q.get("to").filter(|s| !s.is_empty()),
        )
    });
    // Without dates the server answers for the last 30 days, and says which.
    let stats = Fetched::new(move || {
        let (from, to) = period.get();
        api::stats(from, to)
    });
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // The inputs show the period the figures are for, once they have loaded.
    Effect::new(move |_| {
        if let Some(Ok(s)) = stats.get() {
            from.set(s.from.clone());
            to.set(s.to.clone());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = ParamsMap::new();
        q.insert("from", from.get_untracked());
        q.insert("to", to.get_untracked());
        navigate(
            &format!("/stats{}", q.to_query_string()),
            NavigateOptions::default(),
        );
    };
    view! {
        <div class="page stats">
            <h1>{i18n.t(Key::StatsTitle)}</h1>
            <p class="lead">{i18n.t(Key::StatsIntro)}</p>
            <form class="card period-form" on:submit=submit data-testid="period-form">
                <div class="field">
                    <label for="stats-from">{i18n.t(Key::PeriodFrom)}</label>
                    <input id="stats-from" data-testid="stats-from" type="date" required
                        prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="stats-to">{i18n.t(Key::PeriodTo)}</label>
                    <input id="stats-to" data-testid="stats-to" type="date" required
                        prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                </div>
                <button type="submit" data-testid="stats-submit">{i18n.t(Key::ShowPeriod)}</button>
            </form>
            {listed(stats, move |s| view! { <StatsView s/> }.into_any())}
        </div>
    }
}

#[component]
fn StatsView(s: Stats) -> impl IntoView {
    let i18n = use_i18n();
    let s = StoredValue::new(s);
    // Rebuilt as a whole when the language changes: every label and number text is in it.
    move || {
        let lang = i18n.lang();
        s.with_value(|s| {
            let on_time: Vec<(Text, Option<f64>)> = s
                .departments
                .iter()
                .map(|d| (d.name.clone(), d.rates.on_time))
                .collect();
            let satisfaction: Vec<(Text, Option<f64>)> = s
                .departments
                .iter()
                .map(|d| (d.name.clone(), d.rates.satisfaction))
                .collect();
            view! {
                <p class="period" data-testid="stats-period">
                    {t(lang, Key::PeriodLabel)} {t(lang, Key::Colon)}
                    <time datetime=s.from.clone()>{s.from.clone()}</time> " – "
                    <time datetime=s.to.clone()>{s.to.clone()}</time>
                </p>
                <section class="card" aria-labelledby="city-heading">
                    <h2 id="city-heading">{t(lang, Key::CityFigures)}</h2>
                    {figures(lang, &s.city, &s.city_rates)}
                </section>
                <section class="card charts" aria-labelledby="charts-heading">
                    <h2 id="charts-heading">{t(lang, Key::ChartOnTime)}</h2>
                    {bar_chart(lang, "chart-on-time", Key::ChartOnTime, &on_time)}
                    <h2>{t(lang, Key::ChartSatisfaction)}</h2>
                    {bar_chart(lang, "chart-satisfaction", Key::ChartSatisfaction, &satisfaction)}
                    <h2>{t(lang, Key::RatingDistribution)}</h2>
                    {rating_bar(lang, &s.city.ratings)}
                    <p class="hint">{t(lang, Key::ChartNote)}</p>
                </section>
                {table(lang, s)}
            }
        })
    }
}

/// The city's figures as a list of labelled numbers.
fn figures(lang: Lang, c: &Counts, r: &Rates) -> impl IntoView {
    let rows = [
        ("received", Key::StatReceived, c.received.to_string()),
        ("completed", Key::StatCompleted, c.completed.to_string()),
        ("on-time", Key::StatOnTime, percent(lang, r.on_time)),
        (
            "on-the-spot",
            Key::StatOnTheSpot,
            percent(lang, r.on_the_spot),
        ),
        (
            "average-days",
            Key::StatAvgDays,
            decimal(lang, r.average_working_days),
        ),
        (
            "satisfaction",
            Key::StatSatisfaction,
            percent(lang, r.satisfaction),
        ),
        ("bookings", Key::StatBookings, c.bookings.to_string()),
        ("no-shows", Key::StatNoShows, c.no_shows.to_string()),
    ];
    view! {
        <dl class="figures" data-testid="city-figures">
            {rows.into_iter().map(|(id, key, value)| view! {
                <div class="figure">
                    <dt>{t(lang, key)}</dt>
                    <dd data-testid=format!("figure-{id}")>{value}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}

/// One horizontal bar per department: its name above, the bar, and the value at the
/// right in words ("no data" where nothing was counted), so no number rests on the
/// bar's length or colour alone. The picture's accessible name reads every value.
fn bar_chart(
    lang: Lang,
    testid: &'static str,
    title: Key,
    rows: &[(Text, Option<f64>)],
) -> impl IntoView {
    let height = (rows.len().max(1) as f64) * ROW;
    let track = WIDTH - VALUE_W;
    let label = format!(
        "{}{}{}",
        t(lang, title),
        t(lang, Key::Colon),
        rows.iter()
            .map(|(name, v)| format!("{} {}", name.get(lang), percent(lang, *v)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let bars = rows
        .iter()
        .enumerate()
        .map(|(k, (name, value))| {
            let y = k as f64 * ROW;
            let fill = value.unwrap_or(0.0).clamp(0.0, 1.0) * track;
            view! {
                <text class="bar-label" x="0" y=y + 15.0>{name.get(lang).to_owned()}</text>
                <rect class="bar-track" x="0" y=y + 22.0 width=track height=BAR_H rx="3"/>
                <rect class="bar-fill" x="0" y=y + 22.0 width=fill height=BAR_H rx="3"/>
                <text class="bar-value" x=WIDTH y=y + 35.0 text-anchor="end">{percent(lang, *value)}</text>
            }
        })
        .collect_view();
    view! {
        <figure class="bar-chart">
            <svg data-testid=testid role="img" aria-label=label viewBox=format!("0 0 {WIDTH} {height}")
                preserveAspectRatio="xMinYMin meet">
                {bars}
            </svg>
        </figure>
    }
}

/// The city's ratings by level as one stacked bar, with a legend that names each level
/// with its count and share, best first, in the same order as the bar.
fn rating_bar(lang: Lang, ratings: &[u64; 5]) -> impl IntoView {
    let total: u64 = ratings.iter().sum();
    let share = |n: u64| (total > 0).then(|| n as f64 / total as f64);
    let mut x = 0.0;
    let segments = Satisfaction::ALL
        .iter()
        .zip(ratings)
        .filter(|(_, n)| **n > 0)
        .map(|(level, n)| {
            let w = share(*n).unwrap_or(0.0) * WIDTH;
            let at = x;
            x += w;
            view! { <rect class=format!("seg seg-{}", level.score()) x=at y="0" width=w height="28"/> }
        })
        .collect_view();
    let label = format!(
        "{}{}{}",
        t(lang, Key::RatingDistribution),
        t(lang, Key::Colon),
        Satisfaction::ALL
            .iter()
            .zip(ratings)
            .map(|(level, n)| format!("{} {n}", level.label().get(lang)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let legend = Satisfaction::ALL
        .iter()
        .zip(ratings)
        .map(|(level, n)| {
            view! {
                <li data-testid="rating-level" data-level=level.score().to_string()>
                    <span class=format!("swatch seg-{}", level.score()) aria-hidden="true"></span>
                    {level.label().get(lang).to_owned()} " " <strong>{n.to_string()}</strong>
                    {share(*n).map(|r| format!(" ({})", percent(lang, Some(r))))}
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="rating-bar">
            <svg data-testid="rating-bar" role="img" aria-label=label viewBox=format!("0 0 {WIDTH} 28")
                preserveAspectRatio="none">
                <rect class="bar-track" x="0" y="0" width=WIDTH height="28"/>
                {segments}
            </svg>
            {(total == 0).then(|| view! { <p class="hint">{t(lang, Key::NoData)}</p> })}
            <ul class="legend">{legend}</ul>
        </figure>
    }
}

/// Every department's figures and the city's total as a table; it scrolls sideways on
/// a narrow screen (by keyboard too: the region takes focus).
fn table(lang: Lang, s: &Stats) -> impl IntoView {
    let cols = [
        Key::StatReceived,
        Key::StatCompleted,
        Key::StatOnTime,
        Key::StatOnTheSpot,
        Key::StatAvgDays,
        Key::StatSatisfaction,
        Key::StatRatings,
        Key::StatBookings,
        Key::StatNoShows,
    ];
    let cells = |c: &Counts, r: &Rates| {
        [
            c.received.to_string(),
            c.completed.to_string(),
            percent(lang, r.on_time),
            percent(lang, r.on_the_spot),
            decimal(lang, r.average_working_days),
            percent(lang, r.satisfaction),
            c.ratings.iter().sum::<u64>().to_string(),
            c.bookings.to_string(),
            c.no_shows.to_string(),
        ]
        .into_iter()
        .map(|v| view! { <td>{v}</td> })
        .collect_view()
    };
    let rows = s
        .departments
        .iter()
        .map(|d| {
            view! {
                <tr data-testid="stats-row" data-department=d.department.to_string()>
                    <th scope="row">{d.name.get(lang).to_owned()}</th>
                    {cells(&d.counts, &d.rates)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="card">
            <div class="table-scroll" role="region" aria-labelledby="stats-table-caption" tabindex="0">
                <table class="stats-table" data-testid="stats-table">
                    <caption id="stats-table-caption">
                        {format!("{} ({} – {})", t(lang, Key::StatsTable), s.from, s.to)}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, Key::FilterDepartment)}</th>
                            {cols.map(|k| view! { <th scope="col">{t(lang, k)}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr data-testid="stats-total">
                            <th scope="row">{t(lang, Key::CityTotal)}</th>
                            {cells(&s.city, &s.city_rates)}
                        </tr>
                    </tfoot>
                </table>
            </div>
        </div>
    }
}
