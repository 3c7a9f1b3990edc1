//! The numeric `:id` of the current route, as every detail page (case, booking, thread)
//! reads it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The route's `:id`, or None when it is missing or not a number.
pub fn path_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()))
}
