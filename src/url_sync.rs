//! Keeps the page URL in step with the view (`?v=&e=&n=`, `?track=&n=` or a journey's
//! `?path=&n=`, then the ranking options) with
//! `history.replaceState`, at most a few times a second so a drag floods nothing.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use moodplane_core::journey::Journey;
use moodplane_core::options_state::OptionsState;
use moodplane_core::rank_options::RankOptions;
use moodplane_core::region::Region;
use moodplane_core::{Catalog, Query, StateNotice, ViewState};

/// Shortest gap between two URL writes while the point moves.
const WRITE_INTERVAL: Duration = Duration::from_millis(150);

/// The state a shared link asks for, with notices for parameters that were unusable.
pub fn read_view_state() -> (ViewState, Vec<StateNotice>) {
    let search = window().location().search().unwrap_or_default();
    ViewState::parse(&search)
}

fn write_url(query_string: &str) {
    let Ok(history) = window().history() else {
        return;
    };
    let current = window().location().search().unwrap_or_default();
    if current.trim_start_matches('?') != query_string {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("?{query_string}")),
        );
    }
}

/// Writes the URL whenever the query or count changes, throttled: the first change is
/// written at once, later ones at most every [`WRITE_INTERVAL`], the last one always.
pub fn keep_url_current(
    catalog: Arc<Catalog>,
    query: RwSignal<Query>,
    count: RwSignal<usize>,
    options: RwSignal<RankOptions>,
    journey: Memo<Option<Journey>>,
    region: Memo<Option<Region>>,
) {
    keep_url_in_step(move || {
        let shared = options.with(|o| OptionsState::from_options(o, &catalog));
        let mut state = query.get().to_view_state(&catalog, count.get(), shared);
        state.journey = journey.get();
        state.region = region.get();
        state.to_query()
    });
}

/// Writes `query_string()` to the URL whenever what it reads changes, throttled as
/// [`keep_url_current`] says.
pub fn keep_url_in_step(query_string: impl Fn() -> String + 'static) {
    let pending = StoredValue::new(None::<String>);
    let timer_running = StoredValue::new(false);

    fn flush_later(pending: StoredValue<Option<String>>, timer_running: StoredValue<bool>) {
        timer_running.set_value(true);
        set_timeout(
            move || match pending.try_update_value(Option::take).flatten() {
                Some(next) => {
                    write_url(&next);
                    flush_later(pending, timer_running);
                }
                None => timer_running.set_value(false),
            },
            WRITE_INTERVAL,
        );
    }

    Effect::new(move |_| {
        let query_string = query_string();
        if timer_running.get_value() {
            pending.set_value(Some(query_string));
        } else {
            write_url(&query_string);
            flush_later(pending, timer_running);
        }
    });
}
