//! The process (办事流程): an ordered list with every detail, and the same steps drawn
//! as a flow chart (办理流程图), one box per step joined by arrows.

use super::Section;
use crate::i18n::{self, use_i18n, working_days, Key};
use leptos::prelude::*;
use onewindow_api::catalogue::ProcessStep;
use onewindow_api::Lang;

// Geometry of the chart, in SVG units; it scales down to the width of the screen.
const WIDTH: u32 = 320;
const BOX_H: u32 = 56;
const GAP: u32 = 28;

#[component]
pub fn ProcessSection(steps: Vec<ProcessStep>) -> impl IntoView {
    let i18n = use_i18n();
    let list = steps
        .iter()
        .map(|s| {
            let days = s.working_days;
            view! {
                <li class="step">
                    <h3>{i18n.text(&s.name)}</h3>
                    <p class="meta">
                        {i18n.text(&s.actor)} " · " {move || step_days(i18n.lang(), days)}
                    </p>
                    <p>{i18n.text(&s.description)}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <Section id="process" title=Key::Process>
            <div class="process">
                <ol class="steps">{list}</ol>
                <FlowChart steps/>
            </div>
        </Section>
    }
}

fn step_days(lang: Lang, days: u32) -> String {
    if days == 0 {
        i18n::t(lang, Key::OnTheSpot).to_owned()
    } else {
        working_days(lang, days)
    }
}

/// The chart as inline SVG; its `<title>` names every step so that a screen reader
/// hears the same as the picture shows.
#[component]
fn FlowChart(steps: Vec<ProcessStep>) -> impl IntoView {
    let i18n = use_i18n();
    let n = steps.len() as u32;
    let height = n * BOX_H + n.saturating_sub(1) * GAP + 4;
    let steps = StoredValue::new(steps);
    let title = move || {
        let lang = i18n.lang();
        let names = steps.with_value(|s| {
            s.iter()
                .map(|s| s.name.get(lang).to_owned())
                .collect::<Vec<_>>()
        });
        format!(
            "{}{}{}",
            i18n::t(lang, Key::FlowChart),
            i18n::t(lang, Key::Colon),
            names.join(" → ")
        )
    };
    let boxes = move || {
        let lang = i18n.lang();
        steps.with_value(|s| {
            s.iter()
                .enumerate()
                .map(|(k, step)| {
                    let y = 2 + k as u32 * (BOX_H + GAP);
                    let label = format!("{}. {}", k + 1, step.name.get(lang));
                    let sub = format!("{} · {}", step.actor.get(lang), step_days(lang, step.working_days));
                    let arrow = (k + 1 < s.len()).then(|| {
                        let (x, y1, y2) = (WIDTH / 2, y + BOX_H, y + BOX_H + GAP);
                        view! {
                            <line class="flow-line" x1=x y1=y1 x2=x y2=y2 - 6/>
                            <polygon class="flow-head" points=format!("{},{} {},{} {},{}", x - 6, y2 - 8, x + 6, y2 - 8, x, y2)/>
                        }
                    });
                    view! {
                        <rect class="flow-box" x="2" y=y width=WIDTH - 4 height=BOX_H rx="8"/>
                        <text class="flow-name" x=WIDTH / 2 y=y + 24 text-anchor="middle">{label}</text>
                        <text class="flow-sub" x=WIDTH / 2 y=y + 44 text-anchor="middle">{sub}</text>
                        {arrow}
                    }
                })
                .collect_view()
        })
    };
    // Built directly: the view macro would create an HTML `<title>` here, as it takes
    // `<svg>` for an HTML element; only an SVG `<title>` is the picture's own name.
    let svg_title = leptos::svg::title().id("flow-title").child(title);
    view! {
        <figure class="flow-chart">
            <svg
                role="img"
                aria-labelledby="flow-title"
                viewBox=format!("0 0 {WIDTH} {height}")
                width=WIDTH
                height=height
                data-testid="flow-chart"
            >
                {svg_title}
                {boxes}
            </svg>
        </figure>
    }
}
