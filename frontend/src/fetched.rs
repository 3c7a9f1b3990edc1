//! `Fetched`: the answer to the latest question a page asked the server. Every page
//! loads what it shows through it, instead of Leptos' async resources and `Suspend`:
//! one small mechanism, type-erased so that it is compiled once per answer type (the
//! front-end's size is a goal), and whose behaviour can be checked by reading.
//!
//! The rule: an effect asks again whenever a reactive value read by the asking closure
//! changes (or `refetch` is called); each ask is numbered, and only the answer to the
//! newest ask is kept. Until it comes the previous answer stays on screen, dimmed and
//! marked busy in a list.

use crate::api::ApiResult;
use crate::components::states::{ErrorView, Loading};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onewindow_client::ClientError;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// The latest answer of an asking closure; `Copy`, like a signal.
pub struct Fetched<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    loading: RwSignal<bool>,
    again: RwSignal<u64>,
}

impl<T: 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Fetched<T> {}

impl<T: Clone + 'static> Fetched<T> {
    /// Asks now and again whenever a reactive value that `ask` reads before it returns
    /// its future changes. Values read inside the future are not followed: read them
    /// first, then move them into the future.
    pub fn new<Fut>(ask: impl Fn() -> Fut + 'static) -> Fetched<T>
    where
        Fut: Future<Output = T> + 'static,
    {
        // Type-erased at once, so that the machinery below is compiled once per answer
        // type rather than once per page (the front-end's size is a goal).
        Fetched::erased(Box::new(move || Box::pin(ask())))
    }

    fn erased(ask: Box<dyn Fn() -> Pin<Box<dyn Future<Output = T>>>>) -> Fetched<T> {
        let value = RwSignal::new_local(None);
        let loading = RwSignal::new(true);
        let again = RwSignal::new(0u64);
        let newest = Rc::new(Cell::new(0u64));
        Effect::new(move |_| {
            again.track();
            let answer = ask();
            let number = newest.get() + 1;
            newest.set(number);
            if !loading.get_untracked() {
                loading.set(true);
            }
            let newest = Rc::clone(&newest);
            spawn_local(async move {
                let answer = answer.await;
                // An older question's answer, or a page already left: dropped.
                if newest.get() == number {
                    let _ = value.try_set(Some(answer));
                    let _ = loading.try_set(false);
                }
            });
        });
        Fetched {
            value,
            loading,
            again,
        }
    }

    /// The latest answer, `None` before the first one (tracked).
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }

    /// Asks again with the same values, e.g. after a change the page made itself.
    pub fn refetch(&self) {
        self.again.update(|n| *n += 1);
    }
}

/// Shows the answer of `fetched` with `render`: the loading state before the first
/// answer, and a failure with a way to retry. `whole_page` makes a failure's title the
/// page's heading, for data without which the page has nothing to show.
pub fn shown<T, V>(
    fetched: Fetched<ApiResult<T>>,
    whole_page: bool,
    render: impl Fn(T) -> V + Send + Sync + 'static,
) -> AnyView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    // One boxed closure type for every page, rendered by one copy of the code.
    let body: Box<dyn Fn() -> AnyView + Send + Sync> = Box::new(move || match fetched.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(answer)) => render(answer).into_any(),
        Some(Err(error)) => failed(error, whole_page, fetched.again),
    });
    body.into_any()
}

/// A failure, with a retry that asks again.
fn failed(error: ClientError, whole_page: bool, again: RwSignal<u64>) -> AnyView {
    view! {
        <ErrorView error whole_page retry=Callback::new(move |_| again.update(|n| *n += 1))/>
    }
    .into_any()
}

/// `shown` for a list whose question changes (filters, pages): while the next answer
/// loads the current list stays, dimmed and marked busy.
pub fn listed<T, V>(
    fetched: Fetched<ApiResult<T>>,
    render: impl Fn(T) -> V + Send + Sync + 'static,
) -> AnyView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    busy(fetched.loading, shown(fetched, false, render))
}

/// The frame of a list that may be reloading.
fn busy(loading: RwSignal<bool>, list: AnyView) -> AnyView {
    view! {
        <div class="results" class:pending=move || loading.get()
            aria-busy=move || loading.get().to_string()>
            {list}
        </div>
    }
    .into_any()
}
