//! Consultation and complaint channels (咨询途径, 监督投诉) as lists, a phone number or
//! an address as a link where its kind allows: in the guide and on a case.

use crate::i18n::{self, use_i18n};
use leptos::prelude::*;
use onewindow_api::catalogue::{Channel, ChannelKind};

/// A channel's value as a link where the kind allows one.
fn channel_item(c: Channel) -> impl IntoView {
    let i18n = use_i18n();
    let value = c.value.clone();
    let link = match c.kind {
        ChannelKind::Phone => Some(format!("tel:{}", value.replace([' ', '-'], ""))),
        ChannelKind::Email => Some(format!("mailto:{value}")),
        ChannelKind::Online if value.starts_with("http") => Some(value.clone()),
        _ => None,
    };
    let value_view = match link {
        Some(href) => view! { <a href=href rel="external">{value}</a> }.into_any(),
        None => view! { <span>{value}</span> }.into_any(),
    };
    let note = c
        .note
        .is_complete()
        .then(|| view! { <span class="channel-note">{i18n.text(&c.note)}</span> });
    view! {
        <li class="channel">
            <span class="badge badge-neutral">{i18n.t(i18n::channel(c.kind))}</span>
            " " <span class="channel-value">{value_view}</span>
            {note}
        </li>
    }
}

/// The channels, one per line.
#[component]
pub fn ChannelList(channels: Vec<Channel>) -> impl IntoView {
    view! {
        <ul class="plain channels">{channels.into_iter().map(channel_item).collect_view()}</ul>
    }
}
