//! The process (办事流程): an ordered list with every detail, and the same steps drawn
//! as a flow chart (办理流程图), one box per step joined by arrows.

use super::Section;
use crate::i18n::{self, step_days, use_i18n, Key};
use leptos::prelude::*;
use onewindow_api::catalogue::ProcessStep;
use onewindow_ui::chart::{self, WIDTH};

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

/// The chart as inline SVG; its `<title>` names every step so that a screen reader
/// hears the same as the picture shows.
#[component]
fn FlowChart(steps: Vec<ProcessStep>) -> impl IntoView {
    let i18n = use_i18n();
    let height = chart::height(steps.len());
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
                .zip(chart::boxes(s.len()))
                .enumerate()
                .map(|(k, (step, b))| {
                    let label = format!("{}. {}", k + 1, step.name.get(lang));
                    let sub = format!("{} · {}", step.actor.get(lang), step_days(lang, step.working_days));
                    let arrow = b.arrow.map(|a| {
                        view! {
                            <line class="flow-line" x1=a.x y1=a.y1 x2=a.x y2=a.y2 - 6/>
                            <polygon class="flow-head" points=a.head()/>
                        }
                    });
                    view! {
                        <rect class="flow-box" x="2" y=b.y width=WIDTH - 4 height=chart::BOX_H rx="8"/>
                        <text class="flow-name" x=WIDTH / 2 y=b.name_y text-anchor="middle">{label}</text>
                        <text class="flow-sub" x=WIDTH / 2 y=b.sub_y text-anchor="middle">{sub}</text>
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
